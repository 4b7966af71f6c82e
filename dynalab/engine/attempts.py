"""One attempt per request, throttles counted: the one loop a lesson uses to *see* what a table refused.

botocore retries a throttled call by itself (DynamoDB's backoff from 50 ms), so a lesson that counts refusals sends
each request exactly once: ``attempt_writes`` puts items one attempt each (on a step clock when given, advanced
before each write, so the throttling sees the rate asked for, not the machine's speed) and yields each write's
``WriteAttempt``; ``single_attempt_client`` is the client it uses; ``is_throttled`` tells a throttle (any of
``quotas.THROTTLE_ERROR_CODES`` [src:throttle-error-codes]) from another refusal, which is raised as it came.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine import Lab
from dynalab.models import checks
from dynalab.models.clock import StepClock
from dynalab.models.quotas import THROTTLE_ERROR_CODES

__all__ = ["WriteAttempt", "attempt_writes", "is_throttled", "single_attempt_client", "throttling_reasons"]


@dataclass(frozen=True)
class WriteAttempt:
    """One write's only attempt: ``number`` (its position in the items given), ``throttled``, and the
    ``ThrottlingReasons`` the refusal carried, as DynamoDB sends them (``{"reason": ..., "resource": ...}``, e.g.
    TableWriteKeyRangeThroughputExceeded [src:throttling-reasons])."""

    number: int
    item: Mapping[str, Any]
    throttled: bool
    throttling_reasons: tuple[dict[str, str], ...] = ()

    @property
    def reasons(self) -> tuple[str, ...]:
        """Each ThrottlingReason's ``reason``."""
        return tuple(reason.get("reason", "") for reason in self.throttling_reasons)


def is_throttled(error: ClientError) -> bool:
    """Whether DynamoDB refused the call for throughput (a throttle), not for what it asked."""
    return error.response.get("Error", {}).get("Code") in THROTTLE_ERROR_CODES


def throttling_reasons(error: ClientError) -> tuple[dict[str, str], ...]:
    """The ThrottlingReasons a throttle carried ([src:throttling-reasons]; () if none)."""
    return tuple(error.response.get("ThrottlingReasons") or ())


def single_attempt_client(lab: Lab) -> Any:
    """The lab's DynamoDB client that makes one attempt a call (botocore retries nothing): each refusal counted once."""
    return lab.retrying_client(1)


def attempt_writes(lab: Lab, table_name: str, items: Iterable[Mapping[str, Any]], *, clock: StepClock | None = None,
                   writes_per_second: float | None = None) -> Iterator[WriteAttempt]:
    """PutItem each item (DynamoDB's typed form) once, in order, and yield what happened to it. With ``clock`` (the
    step clock the table's ``enforce_throughput`` runs on), it is advanced ``1 / writes_per_second`` before each
    write. A refusal other than a throttle is raised (nothing after it is written)."""
    if clock is not None:
        checks.instance("clock", clock, StepClock)
        checks.number("writes_per_second", writes_per_second, low=0, low_open=True)
    client = single_attempt_client(lab)
    for number, item in enumerate(items):
        if clock is not None:
            clock.advance(1.0 / writes_per_second)  # type: ignore[operator]  (checked above)
        try:
            client.put_item(TableName=table_name, Item=item)
        except ClientError as error:
            if not is_throttled(error):
                raise
            yield WriteAttempt(number, item, True, throttling_reasons(error))
        else:
            yield WriteAttempt(number, item, False)
