"""A Lambda function run locally: a Python ``handler(event, context)`` called as Lambda calls it, within its timeout.

``LambdaFunction(handler, name, timeout_seconds).invoke(event)`` calls the handler in a thread of its own and waits
at most the function's timeout (Lambda's default 3 s, 1 to 900: configuration-timeout.html, read 2026-12). A call
still running then is abandoned, as Lambda stops the function: the invocation is a function error ("Task timed out
after 3.00 seconds") and its late result is dropped. Python cannot stop a thread, so the abandoned call runs on
unseen; with ``MAX_ABANDONED_HANDLERS`` of them still running, the next invocation raises instead of adding one more
thread (a handler that never returns would otherwise pile them up). ``dynalab.lessons.event_source_mapping`` uses it.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from dynalab.engine import REGION
from dynalab.i18n import N_, tr
from dynalab.models import checks
from dynalab.models.quotas import LAMBDA_TIMEOUT_SECONDS_DEFAULT, LAMBDA_TIMEOUT_SECONDS_RANGE

__all__ = ["ACCOUNT_ID", "MAX_ABANDONED_HANDLERS", "LambdaContext", "LambdaFunction"]

ACCOUNT_ID = "123456789012"  # the account moto's ARNs carry
#: dynalab's bound (not a Lambda limit): abandoned calls (past their timeout) still running before invoking stops
MAX_ABANDONED_HANDLERS = 16


@dataclass
class LambdaContext:
    """The small part of Lambda's context object a handler usually reads."""

    function_name: str
    aws_request_id: str
    invoked_function_arn: str
    memory_limit_in_mb: int = 128
    function_version: str = "$LATEST"
    deadline: float = float("inf")  # time.monotonic() at which the function times out

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self.deadline - time.monotonic()) * 1000))


class LambdaFunction:
    """A handler with a name, an ARN and a timeout (``timeout_seconds``: an integer from 1 to 900)."""

    def __init__(self, handler: Callable[[dict, LambdaContext], Any], name: str,
                 timeout_seconds: int = LAMBDA_TIMEOUT_SECONDS_DEFAULT) -> None:
        low, high = LAMBDA_TIMEOUT_SECONDS_RANGE
        self.timeout_seconds = checks.number("function_timeout_seconds", timeout_seconds, low=low, high=high,
                                             integer=True, unit=N_("seconds"))
        self.handler, self.name = handler, name
        self.arn = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{name}"
        self._abandoned: list[threading.Thread] = []

    def invoke(self, event: dict) -> tuple[Any, str, bool]:
        """Call the handler and wait at most the timeout: (response, error text, timed out)."""
        self._abandoned = [thread for thread in self._abandoned if thread.is_alive()]
        if len(self._abandoned) >= MAX_ABANDONED_HANDLERS:
            raise RuntimeError(tr("{count} calls of the handler are still running past their timeout "
                                  "(function_timeout_seconds = {seconds}); Python cannot stop them, so the mapping "
                                  "stopped: fix the handler, then make a new mapping", count=len(self._abandoned),
                                  seconds=self.timeout_seconds))
        context = LambdaContext(self.name, str(uuid.uuid4()), self.arn,
                                deadline=time.monotonic() + self.timeout_seconds)
        box: dict[str, Any] = {}

        def call() -> None:
            try:
                box["response"] = self.handler(event, context)
            except Exception as raised:  # noqa: BLE001 - a function error, as Lambda sees it
                box["error"] = f"{type(raised).__name__}: {raised}"

        thread = threading.Thread(target=call, name=f"dynalab-lambda-{self.name}", daemon=True)
        thread.start()
        thread.join(self.timeout_seconds)
        if thread.is_alive():  # abandoned: whatever it returns later goes nowhere
            self._abandoned.append(thread)
            return None, f"Task timed out after {self.timeout_seconds:.2f} seconds", True
        return box.get("response"), box.get("error", ""), False
