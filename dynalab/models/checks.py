"""One validation layer for dynalab's public entry points: check a parameter, return the clean value, or raise.

Every check takes the parameter's ``name`` first and its ``value`` second, returns the value cleaned (numpy
scalars become ``int``/``float``, a sequence becomes a ``list``) and, when the value is wrong, raises with a
message naming the parameter, the bad value and what is allowed::

    >>> number("read_capacity_units", -1, low=1, high=40_000, integer=True)
    Traceback (most recent call last):
    ValueError: read_capacity_units must be an integer from 1 to 40,000; got -1

The API (kept small and stable; other modules import it as ``from dynalab.models import checks``):

- ``number(name, value, *, low=None, high=None, integer=False, low_open=False, high_open=False, unit="")``:
  a real, finite number (``True`` is not 1; NaN, infinity, text and None are refused) within the bounds
  (``low_open``/``high_open`` make a bound exclusive). ``integer=True`` accepts ints only (not 2.0).
- ``flag(name, value)``: a real ``bool`` (``"no"``, 0 and 1 are not flags).
- ``choice(name, value, choices)``: one of ``choices`` (compared with ``==``, bools never equal to 0/1).
- ``text(name, value, *, min_length=0, max_length=None, pattern=None)``: a ``str`` (``pattern`` is a full-match
  regular expression).
- ``size_bytes(name, value, *, low=0, high=MAX_ITEM_SIZE_BYTES)``: an integer byte count, 0 to 409,600 B (an
  item's largest size) unless told otherwise.
- ``sequence_of(name, value, check=None, *, min_length=0, max_length=None)``: a list or tuple (or numpy array),
  not text nor a mapping; each element cleaned by ``check(element_name, element)`` (``name[i]``) when given,
  e.g. ``sequence_of("demand", d, lambda n, v: number(n, v, low=0))``.
- ``instance(name, value, types, *, what=None)``: ``isinstance(value, types)``, else a TypeError saying ``what``.
- ``optional(check, name, value, *args, **kwargs)``: None stays None; anything else goes through ``check``.
- ``table_name(name, value)``: DynamoDB's table-name rule (``models/naming.py``).
- ``dynamodb_number(name, value)``: a number DynamoDB can store: finite, at most 38 significant digits, zero or
  a magnitude from 1E-130 to 9.99...E+125 (``quotas.NUMBER_MIN/MAX_MAGNITUDE``). Returns a ``Decimal``.

Messages are in the current language (``dynalab.set_language``; the templates are in ``i18n/ja/models.json``). A
caller's own words, ``unit=`` and ``what=``, are shown translated when the catalog has them (mark the literal with
``N_`` where it is written, e.g. ``unit=N_("seconds")``), else as given (``unit="GB"`` needs no entry).

Errors: a wrong type raises ``ParameterTypeError``, a subclass of both TypeError and ValueError (so code written
against the older ValueError-only checks still catches it); a right type with a wrong value raises ValueError.
No I/O, no imports beyond the standard library, numpy and ``models``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from numbers import Integral, Real
from typing import Any, TypeVar

import numpy as np

from dynalab.i18n import N_, given, tr
from dynalab.i18n.text_width import display_width, truncate_to_width
from dynalab.models.naming import table_name_problem
from dynalab.models.quotas import (
    MAX_ITEM_SIZE_BYTES,
    MAX_NUMBER_DIGITS,
    NUMBER_MAX_MAGNITUDE,
    NUMBER_MIN_MAGNITUDE,
)

__all__ = [
    "ParameterTypeError",
    "choice",
    "dynamodb_number",
    "flag",
    "instance",
    "number",
    "optional",
    "sequence_of",
    "size_bytes",
    "table_name",
    "text",
]

T = TypeVar("T")


class ParameterTypeError(TypeError, ValueError):
    """A parameter of the wrong type: a TypeError, and a ValueError too (dynalab's older checks raised that)."""


def _show(value: Any) -> str:
    """The bad value as the message shows it: its repr, cut short (a 400 KB string would drown the message)."""
    shown = repr(value)
    # columns, not characters: a Japanese value is cut at the same width as an English one
    if len(shown) <= 120 and display_width(shown) <= 120:
        return shown
    return tr("{start}... ({type}, {count:,} characters)", start=truncate_to_width(shown, 100, ellipsis=""),
              type=type(value).__name__, count=len(shown))


def _must(name: str, allowed: str, value: Any) -> str:
    """ "{name} must be {allowed}; got {value}": the message of a right type with a wrong value."""
    return tr("{name} must be {allowed}; got {value}", name=name, allowed=allowed, value=_show(value))


def _must_type(name: str, allowed: str, value: Any) -> str:
    """ "{name} must be {allowed}; got {value} ({type})": the message of a wrong type."""
    return tr("{name} must be {allowed}; got {value} ({type})", name=name, allowed=allowed, value=_show(value),
              type=type(value).__name__)


def _fmt(bound: float | int | Decimal | Fraction) -> str:
    if isinstance(bound, int) or (isinstance(bound, float) and bound.is_integer() and abs(bound) < 1e15):
        return f"{int(bound):,}"
    return f"{bound:g}" if isinstance(bound, float) else str(bound)


def _range_words(low: Any, high: Any, low_open: bool, high_open: bool) -> str:
    if low is not None and high is not None:
        low_text, high_text = _fmt(low), _fmt(high)
        if not low_open and not high_open:
            return tr("from {low} to {high}", low=low_text, high=high_text)
        if low_open and high_open:
            return tr("> {low} and < {high}", low=low_text, high=high_text)
        if low_open:
            return tr("> {low} and <= {high}", low=low_text, high=high_text)
        return tr(">= {low} and < {high}", low=low_text, high=high_text)
    if low is not None:
        return tr("> {low}", low=_fmt(low)) if low_open else tr(">= {low}", low=_fmt(low))
    if high is not None:
        return tr("< {high}", high=_fmt(high)) if high_open else tr("<= {high}", high=_fmt(high))
    return ""


#: per noun: "low to high", "at least low", "at least 1", "at most high", "at most 1" (singular and plural differ)
_COUNT_TEMPLATES: dict[str, tuple[str, str, str, str, str]] = {
    "character": (N_("{low:,} to {high:,} characters"), N_("at least {low:,} characters"), N_("at least 1 character"),
                  N_("at most {high:,} characters"), N_("at most 1 character")),
    "element": (N_("{low:,} to {high:,} elements"), N_("at least {low:,} elements"), N_("at least 1 element"),
                N_("at most {high:,} elements"), N_("at most 1 element")),
}


def _count_words(low: int, high: int | None, noun: str) -> str:
    """ "3 to 255 characters", "at least 1 element", "at most 25 elements", or "" when any count goes
    (``noun`` is "character" or "element")."""
    span, at_least, at_least_one, at_most, at_most_one = _COUNT_TEMPLATES[noun]
    if low and high is not None:
        return tr(span, low=low, high=high)
    if low:
        return tr(at_least, low=low) if low != 1 else tr(at_least_one)
    if high is not None:
        return tr(at_most, high=high) if high != 1 else tr(at_most_one)
    return ""


def _is_number_type(value: Any, integer: bool) -> bool:
    if isinstance(value, bool | np.bool_):
        return False
    if integer:
        return isinstance(value, Integral | np.integer)
    return isinstance(value, Real | Decimal | np.integer | np.floating)


def number(name: str, value: Any, *, low: float | None = None, high: float | None = None, integer: bool = False,
           low_open: bool = False, high_open: bool = False, unit: str = "") -> Any:
    """``value`` as a finite number within the bounds (an ``int`` when ``integer``), else a clear error."""

    def allowed() -> str:  # built only for an error: a list of a million sizes is checked element by element
        kind = tr("an integer") if integer else tr("a finite number")
        bounds = _range_words(low, high, low_open, high_open)
        words = tr("{kind} {bounds}", kind=kind, bounds=bounds) if bounds else kind
        return tr("{allowed} ({unit})", allowed=words, unit=given(unit)) if unit else words

    if not _is_number_type(value, integer):
        raise ParameterTypeError(_must_type(name, allowed(), value))
    if isinstance(value, Integral | np.integer):
        clean: Any = int(value)
    elif isinstance(value, Decimal | Fraction):
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(_must(name, allowed(), value))
        clean = value
    else:
        clean = float(value)
        if not math.isfinite(clean):
            raise ValueError(_must(name, allowed(), value))
    too_low = low is not None and (clean <= low if low_open else clean < low)
    too_high = high is not None and (clean >= high if high_open else clean > high)
    if too_low or too_high:
        raise ValueError(_must(name, allowed(), value))
    return clean


def flag(name: str, value: Any) -> bool:
    """``value`` as a real bool: ``"no"``, ``"false"``, 0 and 1 are refused (``"no"`` would be true)."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise ParameterTypeError(_must_type(name, tr("True or False"), value))


def choice(name: str, value: Any, choices: Sequence[T] | Mapping[T, Any]) -> T:
    """``value`` if it is one of ``choices`` (a bool never matches 0 or 1), else a ValueError listing them."""
    options = list(choices)
    for option in options:
        if type(option) is type(value) or not isinstance(value, bool) and not isinstance(option, bool):
            try:
                if value == option:
                    return option
            except Exception:  # an odd value whose == fails (a numpy array) is simply not a choice
                continue
    listed = ", ".join(repr(option) for option in options)
    raise ValueError(tr("{name} must be one of {listed}; got {value}", name=name, listed=listed, value=_show(value)))


def text(name: str, value: Any, *, min_length: int = 0, max_length: int | None = None,
         pattern: str | None = None) -> str:
    """``value`` as a ``str`` of ``min_length`` to ``max_length`` characters, matching ``pattern`` when given."""
    lengths = _count_words(min_length, max_length, "character")
    if pattern is None:
        allowed = tr("text of {lengths}", lengths=lengths) if lengths else tr("text")
    elif lengths:
        allowed = tr("text of {lengths} matching {pattern}", lengths=lengths, pattern=pattern)
    else:
        allowed = tr("text matching {pattern}", pattern=pattern)
    if not isinstance(value, str):
        raise ParameterTypeError(_must_type(name, allowed, value))
    if len(value) < min_length or (max_length is not None and len(value) > max_length) \
            or (pattern is not None and not re.fullmatch(pattern, value)):
        raise ValueError(_must(name, allowed, value))
    return value


def size_bytes(name: str, value: Any, *, low: int = 0, high: int = MAX_ITEM_SIZE_BYTES) -> int:
    """An integer count of bytes, 0 to 409,600 B (400 KB, the largest item) unless ``low``/``high`` say otherwise."""
    unit = N_("bytes; 400 KB = 409,600 B is the largest item") if high == MAX_ITEM_SIZE_BYTES else N_("bytes")
    return number(name, value, low=low, high=high, integer=True, unit=unit)


def sequence_of(name: str, value: Any, check: Callable[[str, Any], Any] | None = None, *, min_length: int = 0,
                max_length: int | None = None) -> list[Any]:
    """``value`` as a list (from a list, tuple or numpy array; not text, bytes, a mapping or a set), each element
    cleaned by ``check(f"{name}[{i}]", element)`` when given."""
    lengths = _count_words(min_length, max_length, "element")
    allowed = tr("a list of {lengths}", lengths=lengths) if lengths else tr("a list")
    if isinstance(value, np.ndarray):
        if value.ndim != 1:
            raise ValueError(tr("{name} must be {allowed} (one dimension); got an array of shape {shape}",
                                name=name, allowed=allowed, shape=value.shape))
    elif not isinstance(value, Sequence) or isinstance(value, str | bytes | bytearray):
        raise ParameterTypeError(_must_type(name, allowed, value))
    if len(value) < min_length or (max_length is not None and len(value) > max_length):  # before any copy
        raise ValueError(tr("{name} must be {allowed}; got {count:,} elements", name=name, allowed=allowed,
                            count=len(value)))
    elements = value.tolist() if isinstance(value, np.ndarray) else list(value)
    if check is not None:
        elements = [check(f"{name}[{i}]", element) for i, element in enumerate(elements)]
    return elements


def instance(name: str, value: Any, types: type | tuple[type, ...], *, what: str | None = None) -> Any:
    """``value`` if ``isinstance(value, types)``, else a TypeError saying what was expected (``what``)."""
    if isinstance(value, types):
        return value
    if what is None:
        group = types if isinstance(types, tuple) else (types,)
        what = tr(" or ").join(t.__name__ for t in group)
    else:
        what = given(what)  # a unit such as "GB" needs no entry
    raise ParameterTypeError(_must_type(name, what, value))


def optional(check: Callable[..., T], name: str, value: Any, *args: Any, **kwargs: Any) -> T | None:
    """None when ``value`` is None, else ``check(name, value, *args, **kwargs)``."""
    return None if value is None else check(name, value, *args, **kwargs)


def table_name(name: str, value: Any) -> str:
    """``value`` if it follows DynamoDB's table-name rule (3 to 255 characters of A-Z a-z 0-9 _ - .)."""
    problem = table_name_problem(value)
    if problem is None:
        return value
    error = ParameterTypeError if not isinstance(value, str) else ValueError
    raise error(f"{name}: {problem}")


def dynamodb_number(name: str, value: Any) -> Decimal:
    """``value`` (int, float, Decimal or numeric text) as the Decimal DynamoDB would store, else a clear error:
    finite, at most 38 significant digits, and zero or a magnitude from 1E-130 to 9.99...E+125."""
    allowed = tr("a number DynamoDB can store (finite, at most {digits} significant digits, 0 or a magnitude from "
                 "{low} to {high})", digits=MAX_NUMBER_DIGITS, low=NUMBER_MIN_MAGNITUDE, high=NUMBER_MAX_MAGNITUDE)
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | Decimal | str | np.integer
                                                              | np.floating):
        raise ParameterTypeError(_must_type(name, allowed, value))
    try:
        if isinstance(value, np.integer):
            exact = Decimal(int(value))
        elif isinstance(value, float | np.floating):
            exact = Decimal(repr(float(value)))  # the shortest text that rounds back: 0.1, not 0.1000000000000000055
        else:
            exact = Decimal(value.strip() if isinstance(value, str) else value)
    except (InvalidOperation, ValueError):
        raise ValueError(_must(name, allowed, value)) from None
    if not exact.is_finite():
        raise ValueError(_must(name, allowed, value))
    if exact.is_zero():
        return exact
    digits = "".join(map(str, exact.as_tuple().digits)).strip("0")  # significant digits, exactly (no context)
    if len(digits) > MAX_NUMBER_DIGITS or not NUMBER_MIN_MAGNITUDE <= exact.copy_abs() <= NUMBER_MAX_MAGNITUDE:
        raise ValueError(_must(name, allowed, value))
    return exact
