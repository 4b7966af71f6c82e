"""Lesson 7's scenarios: lesson 4's vote summary as a Lambda handler, poison votes, and a tumbling-window count.

``vote_summary_handler`` returns ``handler(event, context)`` for an ``EventSourceMapping`` on the vote table. Lambda
delivers **at least once** [src:esm-at-least-once]: a batch is retried after an error (with everything in it that had
already been applied),
re-split by bisect, or re-read after a restart. A vote summary is a sum (``ADD num :delta``), and an ADD applied
twice counts twice. So the handler needs idempotency, and it gets it the way lesson 4's projector does: the effect
and the proof that it happened are **one transaction**. Each batch (in chunks that fit a TransactWriteItems) commits
the ADDs together with one marker item per record (its ``eventID``, in the checkpoint table, with
``attribute_not_exists``). A record seen again makes the transaction cancel; the handler then drops the records whose
markers exist and commits the rest. (Lesson 4 kept one checkpoint per shard; a Lambda event does not say which
shard it came from, so the marker is per record.)

``idempotent=False`` is the naive handler (plain UpdateItem ADDs): under a retry it counts votes twice.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine import Lab
from dynalab.engine.streams import Batch, CheckpointStore
from dynalab.engine.tables import ensure_table
from dynalab.i18n import tr
from dynalab.lessons.projections import VoteSummaryProjection, vote_of
from dynalab.models.quotas import TRANSACTION_MAX_ACTIONS

__all__ = ["poison_vote", "tumbling_vote_counter", "vote_summary_handler"]


def _marker_key(consumer: str, record: dict) -> dict:
    return {"consumer": {"S": f"{consumer}#seen"}, "lease_key": {"S": record["eventID"]}}


def vote_summary_handler(lab: Lab, summary_table: str, daily_table: str, *, idempotent: bool = True,
                         consumer: str | None = None, fail_after_commit: Callable[[dict], bool] | None = None,
                         ) -> Callable[[dict, Any], None]:
    """A Lambda handler keeping the vote summary (and per-day table) from vote-table stream events.

    A record it cannot read (a vote that is not a string) raises ``BadRecordError``: the whole batch fails, as a
    poison record does in Lambda. ``fail_after_commit(event)`` True makes it raise *after* committing (a timeout
    after the work was done: the retry must not count the batch again).
    """
    ensure_table(lab, summary_table, ("vote", "S"))
    ensure_table(lab, daily_table, ("vote", "S"), ("Date", "S"))
    projection = VoteSummaryProjection(summary_table, daily_table)
    markers = CheckpointStore(lab)
    consumer = consumer or f"lambda-votes:{summary_table}"

    def commit(records: list[dict]) -> None:
        batch = Batch(projection)
        for record in records:
            batch.add(projection.effects(record))
        actions = batch.actions()
        if not idempotent:
            for action in actions:
                lab.client.update_item(**action["Update"])
            return
        # One TransactWriteItems: the counts and the markers commit together or not at all
        # [src:transact-write-all-or-nothing].
        actions += [{"Put": {"TableName": markers.table_name, "Item": _marker_key(consumer, r),
                             "ConditionExpression": "attribute_not_exists(lease_key)"}} for r in records]
        lab.client.transact_write_items(TransactItems=actions)

    def handler(event: dict, context: Any) -> None:
        records = event["Records"]
        for record in records:  # read every record first: a poison vote fails the batch before anything is written
            projection.effects(record)
        chunk_size = max(1, (TRANSACTION_MAX_ACTIONS - 1) // 5)  # a vote touches at most 4 items, plus its marker
        for start in range(0, len(records), chunk_size):
            chunk = records[start:start + chunk_size]
            while chunk:
                try:
                    commit(chunk)
                    break
                except ClientError as error:
                    if error.response["Error"]["Code"] != "TransactionCanceledException":
                        raise
                    # Some of these records were applied before (a retry): keep only the unseen ones.
                    seen = {r["eventID"] for r in chunk if "Item" in lab.client.get_item(
                        TableName=markers.table_name, Key=_marker_key(consumer, r), ConsistentRead=True)}
                    if not seen:
                        raise
                    chunk = [r for r in chunk if r["eventID"] not in seen]
        if fail_after_commit is not None and fail_after_commit(event):
            raise TimeoutError(tr("the function timed out after its writes committed"))

    handler.consumer = consumer  # type: ignore[attr-defined]
    return handler


def poison_vote(lab: Lab, votes_table: str, user: str, date: str = "2023-07-08") -> None:
    """A vote the handler cannot read: stored as a number (``{"N": "5"}``), not a candidate's name."""
    lab.client.put_item(TableName=votes_table, Item={"UserID": {"S": user}, "vote": {"N": "5"},
                                                     "Date": {"S": date}})


def tumbling_vote_counter(finals: list[dict]) -> Callable[[dict, Any], dict]:
    """A tumbling-window handler: counts votes per candidate in its state; each window's final invocation appends
    ``{"window": ..., "counts": ...}`` to ``finals`` (where a real function would write the window's result)."""

    def handler(event: dict, context: Any) -> dict:
        state = Counter(event.get("state") or {})
        for record in event["Records"]:
            new = vote_of(record["dynamodb"].get("NewImage"))
            if new is not None and record["eventName"] == "INSERT":
                state[new[0]] += 1
        if event["isFinalInvokeForWindow"]:
            finals.append({"window": event["window"], "counts": dict(sorted(state.items()))})
        return {"state": dict(state)}

    return handler


def describe_failure(record: dict) -> str:
    """One line for an on-failure invocation record."""
    info = record["DDBStreamBatchInfo"]
    return (tr("{condition}: {count} record(s), sequence numbers {first}..{last} after {attempts} invocation(s)",
               condition=record['requestContext']['condition'], count=info['batchSize'],
               first=info['startSequenceNumber'], last=info['endSequenceNumber'],
               attempts=record['requestContext']['approximateInvokeCount']))


def as_json(record: dict) -> str:
    return json.dumps(record, indent=1)
