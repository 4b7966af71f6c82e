"""What a projector commits: the writes a run of records adds up to (``Batch``), how a refusal is told from
contention, and the idempotent path through the one batch writer."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine import Lab
from dynalab.engine.tables import BatchWriteError, batch_write
from dynalab.i18n import tr
from dynalab.models.quotas import TRANSACTION_MAX_BYTES

__all__ = ["Batch", "ProjectorStats"]


class _CommitRefused(Exception):
    """The target table refused the commit (a ValidationException: a key too long, an item too large...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


#: Codes by which a table refuses a write for what the write holds (not for contention or the engine's state).
_REFUSED_CODES = ("ValidationException", "ItemCollectionSizeLimitExceededException")
#: The share of a transaction's 4 MB a commit fills at most: sizes here are estimated from the JSON text.
_TRANSACTION_BYTES_BUDGET = TRANSACTION_MAX_BYTES * 3 // 4


def _refusal(error: ClientError) -> str | None:
    """The message of a write refused for what it holds, else None (the error is something else)."""
    code = error.response.get("Error", {}).get("Code", "")
    if code in _REFUSED_CODES:
        return f"{code}: {error.response['Error'].get('Message', '')}"
    if code == "TransactionCanceledException":
        reasons = error.response.get("CancellationReasons") or []
        refused = [r for r in reasons if r.get("Code") in _REFUSED_CODES]
        if refused:
            return f"{refused[0]['Code']}: {refused[0].get('Message', '')}"
    return None


def _json_size(value: Any) -> int:
    return len(json.dumps(value, default=str).encode())



class _CommitCancelled(Exception):
    """The checkpoint condition failed: another reader (or a replay) got there first. Re-read the checkpoint."""


def _write_idempotent(lab: Lab, actions: list[dict]) -> None:
    """Put/Delete actions through the one batch writer (25 a call, UnprocessedItems resent with backoff)."""
    writes: list[tuple[str, dict]] = []
    for action in actions:
        (kind, args), = action.items()
        if kind == "Put":
            writes.append((args["TableName"], {"PutRequest": {"Item": args["Item"]}}))
        elif kind == "Delete":
            writes.append((args["TableName"], {"DeleteRequest": {"Key": args["Key"]}}))
        else:
            raise ValueError(tr("an idempotent projection writes with Put and Delete only, got {kind}", kind=kind))
    try:
        batch_write(lab, writes)
    except BatchWriteError as error:
        raise BatchWriteError(tr("{error} The checkpoint was not advanced, so these records will be applied again.",
                                 error=error),
                              items_written=error.items_written, failed_index=error.failed_index,
                              reason=error.reason, unwritten=error.unwritten) from None


class Batch:
    """The writes a run of records adds up to: one pending value per target item, merged by the projection."""

    def __init__(self, projection: Any) -> None:
        self.projection = projection
        self.pending: dict[Any, Any] = {}

    def count_with(self, effects: list[tuple[Any, Any]]) -> int:
        """How many target items the batch would touch with these effects added (an upper bound on actions)."""
        return len(self.pending.keys() | {key for key, _ in effects})

    def add(self, effects: list[tuple[Any, Any]]) -> None:
        for key, value in effects:
            self.pending[key] = self.projection.merge(self.pending[key], value) if key in self.pending else value

    def actions(self) -> list[dict]:
        """TransactWriteItems actions, one per target item that changes."""
        found = (self.projection.action(key, value) for key, value in self.pending.items())
        return [action for action in found if action is not None]


@dataclass
class ProjectorStats:
    """What a projector did since it was made (the lesson and the benchmark print these)."""

    records_applied: int = 0
    records_skipped: int = 0  # at or below the checkpoint: delivered again, applied once
    commits: int = 0
    cancelled_commits: int = 0
    get_records_calls: int = 0
    dead_letters: int = 0
    isolated_commits: int = 0  # commits the target refused, retried record by record to find the bad one
    crashes: list[str] = field(default_factory=list)
    lease_waits: int = 0  # passes that skipped a shard another reader of the consumer holds
    lease_takeovers: int = 0  # leases taken over from a reader whose lease expired or that is gone
    lease_events: list[str] = field(default_factory=list)  # what the reader said about leases (the last 50)

