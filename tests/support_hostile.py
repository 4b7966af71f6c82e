"""What a hostile call must end in (issue 12, items 10-11): a result, or dynalab's own clear error.

``outcome(call)`` runs ``call()`` and returns ``("result", value)`` or ``("error", exception)``;
``assert_clear_error(error, parameter)`` asserts the error is of dynalab's documented kinds, raised from a frame
inside ``dynalab/``, with the parameter named in its message.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import dynalab
from dynalab.engine.aws_budget import AwsCostCeilingError
from dynalab.engine.streams import BadRecordError
from dynalab.engine.tables import BatchWriteError

PACKAGE = Path(dynalab.__file__).resolve().parent

#: dynalab's documented error kinds: bad input (ValueError, TypeError), its own errors, and the few a lab raises by
#: design (PermissionError: a table dynalab does not own on AWS; TimeoutError: a bounded wait ran out).
DOCUMENTED = (ValueError, TypeError, BatchWriteError, BadRecordError, AwsCostCeilingError,
              dynalab.EngineUnreachableError, PermissionError, TimeoutError)


def outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return "result", call()
    except Exception as error:  # noqa: BLE001 (the point: see what any call raises)
        return "error", error


def raised_inside_dynalab(error: BaseException) -> bool:
    """True if the frame that raised ``error`` is in dynalab's own code (not boto3, numpy, the stdlib...)."""
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and Path(frames[-1].filename).resolve().is_relative_to(PACKAGE)


def clear_error_problem(error: BaseException, parameter: str) -> str | None:
    """Why ``error`` is not a clear error about ``parameter``, or None when it is one."""
    if not isinstance(error, DOCUMENTED):
        return f"{type(error).__name__} is not one of dynalab's documented error kinds: {error}"
    if not raised_inside_dynalab(error):
        frame = traceback.extract_tb(error.__traceback__)[-1]
        return f"raised outside dynalab ({frame.filename}:{frame.lineno}): {type(error).__name__}: {error}"
    if parameter not in str(error):
        return f"the message does not name {parameter!r}: {type(error).__name__}: {error}"
    return None


#: the hostile values the lab-driven property tests draw from (one replaces a valid argument)
def parameters_of(name: str, skip: tuple[str, ...] = ()) -> list[str]:
    """The parameters of ``dynalab.<name>`` a caller passes by name (not *args/**kwargs), less ``skip``."""
    import inspect

    import dynalab

    return [p.name for p in inspect.signature(getattr(dynalab, name)).parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name not in skip]


HOSTILE_VALUES = (None, True, False, float("nan"), float("inf"), -1, 0, 10**30, 1.5, "x", "", "no",
                  [], {}, (), set(), b"x", object())


def check_hostile_call(name: str, arguments: dict[str, Any], parameter: str, value: Any) -> None:
    """Call ``dynalab.<name>(**arguments)`` (one of them, ``parameter``, is the hostile ``value``): a result (a
    background runner it returns is stopped), or a clear error about ``parameter``."""
    kind, result = outcome(lambda: getattr(dynalab, name)(**arguments))
    if kind == "result":
        if hasattr(result, "stop"):
            result.stop()
        return
    problem = clear_error_problem(result, parameter)
    assert problem is None, f"{name}({parameter}={value!r:.60}): {problem}"
