"""A Lambda event source mapping on a DynamoDB stream, run locally: ``EventSourceMapping(lab, table, handler, ...)``.

What Lambda does for a DynamoDB trigger, on the local engine, with the handler a Python function in this process
(services-ddb-params.html, with-ddb.html, services-dynamodb-errors.html, services-ddb-batchfailurereporting.html,
services-ddb-windows.html, invocation-eventfiltering.html; read 2026-12):

* It reads each shard (``dynalab.engine.streams``: ``list_shards``, ``lineage_order``, shard iterators, and a
  checkpoint per shard in the ``CheckpointStore`` table, so a new mapping with the same name resumes), drops records
  no filter matches, and hands the rest to ``handler(event, context)`` in batches of at most ``batch_size``
  (and 6 MB [src:esm-batch-6-mb]), waiting up to ``maximum_batching_window_in_seconds`` to fill one. The event is
  Lambda's
  (``{"Records": [...]}``, each with ``eventSourceARN``; a TTL delete carries ``userIdentity``).
* A handler that raises fails the **whole batch**: it is retried, and the shard waits behind it (records after it
  are not delivered) until it succeeds, ``maximum_retry_attempts`` run out, or its records pass
  ``maximum_record_age_in_seconds`` (-1: the stream's 24 h). With ``bisect_batch_on_function_error`` a failing
  batch is split in two first (a split is not a retry); a single record that fails is retried. Then the batch is
  discarded: an invocation record (``DDBStreamBatchInfo``: shard, first and last sequence numbers, batch size,
  stream ARN) goes to the ``OnFailure`` destination (an SQS queue, an SNS topic or an S3 bucket, whichever the
  engine has [src:esm-on-failure-destinations]), and the mapping moves on.
* With ``function_response_types=["ReportBatchItemFailures"]`` the handler may return
  ``{"batchItemFailures": [{"itemIdentifier": "<SequenceNumber>"}]}``: the records before the lowest one named
  [src:esm-partial-batch-lowest-sequence] are
  done, the batch is retried from it (a retry). An identifier that names no record of the batch fails it whole.
* ``parallelization_factor`` > 1: records are spread over that many lanes by the item's whole primary key
  (partition and sort key: one item, one lane, so per-item order holds, and one partition key's items may
  interleave) [src:esm-parallelization-per-item]; lanes invoke concurrently, each with its own retries.
* ``tumbling_window_in_seconds`` > 0: batches never cross a window (aligned to the records' creation time); each
  invocation gets the state the previous one returned (``{"state": ...}`` is required: without it the invocation
  failed), and when the window closes a last invocation with ``isFinalInvokeForWindow`` true and no records gets
  the final state (AWS's docs do not say whether that call carries records; here it carries none).
* A handler still running after ``function_timeout_seconds`` (the function's timeout: Lambda's default 3 s, 1 to
  900; configuration-timeout.html) is abandoned, as Lambda stops it: the invocation is a function error ("Task timed
  out after 3.00 seconds"), retried and bisected like any other, and its late result is ignored
  (``dynalab.lessons.lambda_function``).

Delivery is at least once throughout: a record can reach the handler again (a retry, a restart from the checkpoint).

What is a model here: retries happen at once (Lambda backs off), and the mapping keeps a *clock* of its own:
``run_until_idle()`` moves it past open batching windows instead of waiting, and ``advance_clock(seconds)`` lets a
lesson age records (24 h in a call) without waiting. Every invocation is recorded in ``invocations``.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine import Lab
from dynalab.engine.background import BackgroundPoller
from dynalab.engine.streams import (
    LEASE_SECONDS,
    LEASE_SECONDS_MAX,
    CheckpointStore,
    ShardLeases,
    ShardReader,
    SourceWatch,
    lineage_order,
    list_shards,
    runner_state,
    stream_arn,
    stream_view_type,
)
from dynalab.i18n import N_, tr
from dynalab.lessons import ttl
from dynalab.lessons.failure_destinations import FailureDestination
from dynalab.lessons.lambda_function import LambdaContext, LambdaFunction
from dynalab.models import checks
from dynalab.models.event_filters import matches_criteria, parse_filter_criteria
from dynalab.models.event_source_mapping import (
    MappingSettings,
    batch_is_full,
    failure_record,
    iso_time,
    lane_for_keys,
    window_bounds,
)
from dynalab.models.quotas import (
    ESM_POLLS_PER_SECOND,
    GET_RECORDS_MAX_RECORDS,
    LAMBDA_TIMEOUT_SECONDS_DEFAULT,
    STREAM_RETENTION_SECONDS,
)

__all__ = ["EventSourceMapping", "Invocation", "LambdaContext", "RunReport"]



@dataclass(frozen=True)
class Invocation:
    """One call of the handler (or one discard): what it got and what the mapping did next.

    ``outcome``: "success", "error" (raised, or an invalid response) or "partial" (batchItemFailures).
    ``action``: "done", "retry", "bisect", "discard" (sent to the destination, or dropped without one).
    """

    number: int
    shard_id: str
    lane: int
    first_sequence_number: str
    last_sequence_number: str
    batch_size: int
    outcome: str
    action: str
    retry: int  # 0: the first attempt of this batch
    bisect_depth: int
    invoked_at: float  # the mapping's clock
    error: str = ""
    failed_at: str = ""  # the lowest sequence number a partial response named
    final_for_window: bool = False
    keys: tuple[str, ...] = ()  # each record's partition key value, in order (for the lesson's figures)
    timed_out: bool = False  # the handler ran past function_timeout_seconds and was abandoned (an "error")


@dataclass
class RunReport:
    """What ``run_until_idle`` did."""

    invocations: list[Invocation] = field(default_factory=list)
    records_delivered: int = 0  # records in successful batches (a record retried counts once per success)
    records_filtered: int = 0
    failure_records: list[dict] = field(default_factory=list)  # what went to the on-failure destination
    blocked: list[str] = field(default_factory=list)  # shards still waiting behind a failing batch
    waiting: list[str] = field(default_factory=list)  # shards another mapping of this function reads (a lease)

    def describe(self) -> str:
        outcomes = {name: sum(i.outcome == name for i in self.invocations) for name in ("success", "error",
                                                                                        "partial")}
        def count(n: int, one: str, many: str) -> str:
            return tr(one, n=n) if n == 1 else tr(many, n=n)

        text = tr("{invocations} ({succeeded} succeeded, {failed} failed, {partly} partly), {records} delivered, "
                  "{filtered} filtered out, {failures} sent",
                  invocations=count(len(self.invocations), N_("{n} invocation"), N_("{n} invocations")),
                  succeeded=outcomes['success'], failed=outcomes['error'], partly=outcomes['partial'],
                  records=count(self.records_delivered, N_("{n} record"), N_("{n} records")),
                  filtered=self.records_filtered,
                  failures=count(len(self.failure_records), N_("{n} failure record"), N_("{n} failure records")))
        timed_out = [i for i in self.invocations if i.timed_out]
        if timed_out:
            text += tr("; {n} timed out ({error}) and were abandoned", n=len(timed_out), error=timed_out[-1].error)
        text += tr("; blocked: {shards}", shards="; ".join(self.blocked)) if self.blocked else ""
        return text + ("; " + "; ".join(self.waiting) if self.waiting else "")


@dataclass
class _Work:
    records: list[dict]
    retry: int = 0
    depth: int = 0
    invoke_count: int = 0
    final: bool = False  # a tumbling window's closing invocation


@dataclass
class _Lane:
    queue: deque = field(default_factory=deque)
    work: list[_Work] = field(default_factory=list)
    window: tuple[float, float] | None = None
    state: Any = None


@dataclass
class _Shard:
    shard_id: str
    reader: ShardReader | None = None  # the one GetRecords loop (dynalab.engine.streams), made on first read
    ended: bool = False  # no NextShardIterator: closed and fully read
    lanes: list[_Lane] = field(default_factory=list)
    open: deque = field(default_factory=deque)  # sequence numbers read and not yet done, in order
    done: set = field(default_factory=set)
    checkpoint: int | None = None
    read_upto: int | None = None


#: dynalab's bound on one ``run_until_idle``: a handler that always fails is retried at once, so the run's length
#: is this many handler calls
MAX_INVOCATIONS_PER_RUN = 10_000


def _seq(record: dict) -> int:
    return int(record["dynamodb"]["SequenceNumber"])


def _epoch(value: Any) -> float:
    if isinstance(value, datetime):
        return float(int(value.timestamp()))  # "rounded down to the closest second" (API_streams_StreamRecord)
    return float(value)


class EventSourceMapping(BackgroundPoller):
    """Run ``handler(event, context)`` on the changes of ``table_name`` as a Lambda trigger would.

    ``settings`` are AWS's parameters in snake_case (``dynalab.models.event_source_mapping.MappingSettings``):
    batch_size, maximum_batching_window_in_seconds, starting_position, maximum_retry_attempts,
    maximum_record_age_in_seconds, bisect_batch_on_function_error, destination_config, function_response_types,
    parallelization_factor, filter_criteria, tumbling_window_in_seconds. ``function_name`` names the mapping's
    checkpoints (a new mapping with the same name and table resumes where this one got to). Two mappings of one
    function and table share its shards as readers of one consumer do (``dynalab.engine.streams.ShardLeases``):
    a shard is read by the mapping holding its lease (``lease_seconds``); the other waits and says so in its
    report, and takes the lease over once it expired or its holder is gone. ``function_timeout_seconds`` is the
    function's timeout (Lambda's default 3 s, 1 to 900): a call still running then is abandoned, a function error.
    """

    def __init__(self, lab: Lab, table_name: str, handler: Callable[[dict, LambdaContext], Any], *,
                 function_name: str = "dynalab-function", checkpoints: CheckpointStore | None = None,
                 lease_seconds: float = LEASE_SECONDS,
                 function_timeout_seconds: int = LAMBDA_TIMEOUT_SECONDS_DEFAULT, **settings: Any) -> None:
        if not callable(handler):
            raise TypeError(tr("handler must be a function handler(event, context), got {handler!r}",
                               handler=handler))
        checks.table_name("table_name", table_name)
        if checkpoints is not None:
            checks.instance("checkpoints", checkpoints, CheckpointStore, what=tr("a CheckpointStore or None"))
        function_name = checks.text("function_name", function_name, min_length=1, max_length=64,
                                    pattern=r"[A-Za-z0-9_-]+")
        lease_seconds = checks.number("lease_seconds", lease_seconds, low=0, high=LEASE_SECONDS_MAX,
                                      low_open=True, unit="seconds")
        self.function = LambdaFunction(handler, function_name, function_timeout_seconds)
        self.settings = MappingSettings.from_settings(**settings)
        self.lab, self.table_name, self.handler = lab, table_name, handler
        self.function_name, self.function_arn = function_name, self.function.arn
        self.stream_arn = stream_arn(lab, table_name)
        self.view_type = stream_view_type(lab, table_name)
        self.patterns = parse_filter_criteria(self.settings.filter_criteria)
        self._destination = FailureDestination(lab, self.settings)
        self.checkpoints = checkpoints or CheckpointStore(lab)
        self.consumer = f"lambda:{function_name}:{table_name}"
        self.leases = ShardLeases(self.checkpoints, self.consumer, self.stream_arn, "mapping", lease_seconds)
        #: stops the mapping with a readout that says so once its table is deleted or made again (a new stream)
        self.source = SourceWatch(lab, table_name, self.stream_arn, tr("the event source mapping"))
        self.invocations: list[Invocation] = []
        self.failure_records: list[dict] = []
        self.records_filtered = 0
        self.get_records_calls = 0
        self._clock_offset = 0.0
        self._shards: dict[str, _Shard] = {}
        self._lock = threading.RLock()
        self._record_lock = threading.Lock()
        self._init_poller()
        self._delivered = 0
        self._active_cache: list[_Shard] = []
        self._refresh_shards()  # LATEST means "after the mapping was created": take the iterators now

    # -- set-up ---------------------------------------------------------------------------------------------------
    def _refresh_shards(self) -> list[_Shard]:
        saved = {c.shard_id: c for c in self.checkpoints.load(self.consumer, self.stream_arn).values()}
        ordered = []
        for description in lineage_order(list_shards(self.lab, self.stream_arn)):
            shard_id = description["ShardId"]
            shard = self._shards.get(shard_id)
            if shard is None:
                shard = self._shards[shard_id] = _Shard(shard_id, lanes=[
                    _Lane() for _ in range(self.settings.parallelization_factor)])
                checkpoint = saved.get(shard_id)
                shard.checkpoint = shard.read_upto = checkpoint.sequence_number if checkpoint else None
                shard.parent = description.get("ParentShardId")  # type: ignore[attr-defined]
                if self.settings.starting_position == "LATEST" and checkpoint is None:
                    self._reader(shard).open()  # LATEST: after the mapping was made, so take the place now
            ordered.append(shard)
        return ordered

    def _reader(self, shard: _Shard) -> ShardReader:
        if shard.reader is None:
            shard.reader = ShardReader(self.lab, self.stream_arn, shard.shard_id, after=shard.read_upto,
                                       start_at=self.settings.starting_position, limit=GET_RECORDS_MAX_RECORDS)
        return shard.reader

    # -- the clock ------------------------------------------------------------------------------------------------
    def now(self) -> float:
        """The mapping's clock: wall time plus what ``advance_clock`` and ``run_until_idle`` added."""
        return time.time() + self._clock_offset

    def advance_clock(self, seconds: float) -> None:
        """Let ``seconds`` pass for the mapping (records age, windows close) without waiting."""
        if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 0 <= seconds < float("inf"):
            raise ValueError(tr("seconds must be a number >= 0, got {seconds!r}", seconds=seconds))
        self._clock_offset += seconds

    # -- reading --------------------------------------------------------------------------------------------------
    def _lambda_record(self, record: dict) -> dict:
        body = dict(record["dynamodb"])
        body["ApproximateCreationDateTime"] = _epoch(body["ApproximateCreationDateTime"])
        event = {key: record[key] for key in ("eventID", "eventName", "eventVersion", "eventSource", "awsRegion")
                 if key in record}
        event["dynamodb"] = body
        event["eventSourceARN"] = self.stream_arn
        if "userIdentity" in record:
            event["userIdentity"] = record["userIdentity"]
        elif record.get("eventName") == "REMOVE" and ttl.is_ttl_delete(self.lab, self.table_name, body):
            event["userIdentity"] = dict(ttl.TTL_USER_IDENTITY)
        return event

    def _lane_of(self, record: dict) -> int:
        # by the whole primary key: per-item order [src:esm-parallelization-per-item]
        return lane_for_keys(record["dynamodb"].get("Keys", {}), self.settings.parallelization_factor)

    def _partition_key(self) -> str:
        if not hasattr(self, "_hash_key"):
            schema = self.lab.client.describe_table(TableName=self.table_name)["Table"]["KeySchema"]
            self._hash_key = next(k["AttributeName"] for k in schema if k["KeyType"] == "HASH")
        return self._hash_key

    def _read(self, shard: _Shard) -> int:
        """Read what the shard has now into its lanes; return how many records were read."""
        if shard.ended:
            return 0
        reader = self._reader(shard)
        calls_before = reader.calls
        read = 0
        for records in reader.pages():
            for raw in records:
                if shard.read_upto is not None and _seq(raw) <= shard.read_upto:
                    continue
                record = self._lambda_record(raw)
                shard.read_upto = _seq(raw)
                shard.open.append(_seq(raw))
                if matches_criteria(self.patterns, record):
                    shard.lanes[self._lane_of(record)].queue.append(record)
                else:
                    self.records_filtered += 1
                    shard.done.add(_seq(raw))
                read += 1
        self.get_records_calls += reader.calls - calls_before
        shard.ended = reader.ended
        self._advance_checkpoint(shard)
        return read

    def _advance_checkpoint(self, shard: _Shard) -> None:
        moved = None
        while shard.open and shard.open[0] in shard.done:
            moved = shard.open.popleft()
            shard.done.discard(moved)
        if moved is not None:
            shard.checkpoint = moved
            self.checkpoints.save(self.consumer, self.stream_arn, shard.shard_id, moved,
                                  shard_end=shard.ended and not shard.open)

    # -- batching -------------------------------------------------------------------------------------------------
    def _ready_at(self, lane: _Lane) -> float | None:
        """When the lane's next step may run (None: nothing to do); <= now: now."""
        if lane.work:
            return float("-inf")
        window = self.settings.tumbling_window_in_seconds
        if window and lane.window is not None:
            first = lane.queue[0] if lane.queue else None
            if first is None or window_bounds(first["dynamodb"]["ApproximateCreationDateTime"], window) != lane.window:
                return float("-inf") if first is not None else lane.window[1]  # the window closes (at its end)
        if not lane.queue:
            return None
        batch = self._take(lane, dry_run=True)
        wait = self.settings.maximum_batching_window_in_seconds
        if len(batch) >= self.settings.batch_size or wait == 0 or len(batch) < len(lane.queue):
            return float("-inf")  # full (by count, size or window boundary), or no batching window
        return lane.queue[0]["dynamodb"]["ApproximateCreationDateTime"] + wait

    def _take(self, lane: _Lane, dry_run: bool = False) -> list[dict]:
        batch: list[dict] = []
        size = 0
        window = self.settings.tumbling_window_in_seconds
        bounds = None
        for record in lane.queue:
            record_size = len(json.dumps(record, default=str))
            if batch_is_full(len(batch), size, record_size, self.settings.batch_size):
                break
            if window:
                this = window_bounds(record["dynamodb"]["ApproximateCreationDateTime"], window)
                if bounds is not None and this != bounds:
                    break
                bounds = this
            batch.append(record)
            size += record_size
        if not dry_run:
            for _ in batch:
                lane.queue.popleft()
        return batch

    def _next_work(self, lane: _Lane) -> _Work | None:
        if lane.work:
            return lane.work[0]
        window = self.settings.tumbling_window_in_seconds
        if window and lane.window is not None:
            first = lane.queue[0] if lane.queue else None
            if (first is None and self.now() >= lane.window[1]) or (
                    first is not None and window_bounds(first["dynamodb"]["ApproximateCreationDateTime"],
                                                        window) != lane.window):
                lane.work.append(_Work([], final=True))
                return lane.work[0]
        if not lane.queue:
            return None
        batch = self._take(lane)
        if window:
            lane.window = window_bounds(batch[0]["dynamodb"]["ApproximateCreationDateTime"], window)
        lane.work.append(_Work(batch))
        return lane.work[0]

    # -- invoking -------------------------------------------------------------------------------------------------
    def _event(self, shard: _Shard, lane: _Lane, work: _Work) -> dict:
        event: dict[str, Any] = {"Records": [json.loads(json.dumps(r)) for r in work.records]}  # the handler's copy
        if self.settings.tumbling_window_in_seconds:
            start, end = lane.window  # type: ignore[misc]
            event.update(window={"start": iso_time(start).replace(".000", ""),
                                 "end": iso_time(end).replace(".000", "")},
                         state=json.loads(json.dumps(lane.state if lane.state is not None else {})),
                         shardId=shard.shard_id, eventSourceARN=self.stream_arn,
                         isFinalInvokeForWindow=work.final, isWindowTerminatedEarly=False)
        return event

    def _classify(self, work: _Work, response: Any, error: str) -> tuple[str, int | None, str]:
        """(outcome, index of the lowest failed record, error text)."""
        if error:
            return "error", None, error
        if self.settings.tumbling_window_in_seconds and not (isinstance(response, dict) and "state" in response):
            return "error", None, tr("the response has no 'state' (a tumbling-window function must return one)")
        if not self.settings.report_batch_item_failures or not isinstance(response, dict):
            return "success", None, ""
        failures = response.get("batchItemFailures")
        if not failures:
            return "success", None, ""
        index = {r["dynamodb"]["SequenceNumber"]: n for n, r in enumerate(work.records)}
        named = [f.get("itemIdentifier") if isinstance(f, dict) else None for f in failures]
        if any(not isinstance(n, str) or n not in index for n in named):
            return "error", None, tr("batchItemFailures names {named!r}: not sequence numbers of this batch",
                                     named=named)
        return "partial", min(index[n] for n in named), ""

    def _step(self, shard: _Shard, lane_number: int) -> None:
        lane = shard.lanes[lane_number]
        work = self._next_work(lane)
        if work is None:
            return
        limit = self.settings.maximum_record_age_in_seconds
        limit = STREAM_RETENTION_SECONDS if limit == -1 else limit
        now = self.now()
        expired = [r for r in work.records if now - r["dynamodb"]["ApproximateCreationDateTime"] > limit]
        if expired:
            self._discard(shard, lane, work, expired, "RecordAgeExceeded", now)
            rest = work.records[len(expired):]
            if rest:
                lane.work[0] = _Work(rest, work.retry, work.depth, work.invoke_count)
            else:
                lane.work.pop(0)
            return
        work.invoke_count += 1
        response, error, timed_out = self.function.invoke(self._event(shard, lane, work))
        outcome, failed, error = self._classify(work, response, error)
        records = work.records
        if outcome == "success":
            action = "done"
            self._finish(shard, records)
            if self.settings.tumbling_window_in_seconds:
                lane.state = None if work.final else response["state"]
                if work.final:
                    lane.window = None
            lane.work.pop(0)
        elif outcome == "partial":
            self._finish(shard, records[:failed])
            if self.settings.tumbling_window_in_seconds:
                lane.state = response["state"]
            rest = records[failed:]
            if self.settings.retries_left(work.retry):
                action = "retry"
                lane.work[0] = _Work(rest, work.retry + 1, work.depth, work.invoke_count)
            else:
                action = "discard"
                self._discard(shard, lane, work, rest, "RetryAttemptsExhausted", now)
                lane.work.pop(0)
        elif self.settings.bisect_batch_on_function_error and len(records) > 1:
            action = "bisect"  # a split is not a retry (services-dynamodb-errors.html)
            half = len(records) // 2
            lane.work[0:1] = [_Work(records[:half], work.retry, work.depth + 1),
                              _Work(records[half:], work.retry, work.depth + 1)]
        elif self.settings.retries_left(work.retry):
            action = "retry"
            work.retry += 1
        else:
            action = "discard"
            if work.final:
                lane.state, lane.window = None, None
            else:
                self._discard(shard, lane, work, records, "RetryAttemptsExhausted", now)
            lane.work.pop(0)
        first = records[0]["dynamodb"]["SequenceNumber"] if records else ""
        last = records[-1]["dynamodb"]["SequenceNumber"] if records else ""
        key = self._partition_key()
        with self._record_lock:
            self.invocations.append(Invocation(
                len(self.invocations) + 1, shard.shard_id, lane_number, first, last, len(records), outcome, action,
                work.retry - (action == "retry" and outcome == "error"), work.depth, now, error,
                records[failed]["dynamodb"]["SequenceNumber"] if failed is not None else "", work.final,
                tuple(str(next(iter(r["dynamodb"]["Keys"].get(key, {"": ""}).values()))) for r in records),
                timed_out))
            if outcome == "success":
                self._delivered += len(records)
            elif outcome == "partial":
                self._delivered += failed or 0

    def _finish(self, shard: _Shard, records: list[dict]) -> None:
        with self._record_lock:
            shard.done.update(_seq(r) for r in records)

    def _discard(self, shard: _Shard, lane: _Lane, work: _Work, records: list[dict], condition: str,
                 now: float) -> None:
        """Give up on records: an invocation record to the on-failure destination (if any); the mapping moves on."""
        record = failure_record(function_arn=self.function_arn, condition=condition,
                                invoke_count=max(work.invoke_count, 1), shard_id=shard.shard_id,
                                stream_arn=self.stream_arn, records=records, request_id=str(uuid.uuid4()),
                                timestamp=now)
        self._destination.send(record, self.function_name)
        with self._record_lock:
            self.failure_records.append(record)
            if condition == "RecordAgeExceeded":
                self.invocations.append(Invocation(
                    len(self.invocations) + 1, shard.shard_id, shard.lanes.index(lane),
                    records[0]["dynamodb"]["SequenceNumber"], records[-1]["dynamodb"]["SequenceNumber"],
                    len(records), "expired", "discard", work.retry, work.depth, now,
                    tr("records older than the maximum record age")))
        self._finish(shard, records)

    # -- running --------------------------------------------------------------------------------------------------
    def _active_shards(self) -> list[_Shard]:
        active = []
        for shard in self._refresh_shards():
            parent = self._shards.get(getattr(shard, "parent", None) or "")
            if parent is not None and not (parent.ended and not parent.open):
                continue  # a child waits for its parent (lineage)
            if self._hold(shard):
                active.append(shard)
        return active

    def _hold(self, shard: _Shard) -> bool:
        """Hold the shard's lease (the projector's mechanism); taken over from another mapping, or moved on by
        one meanwhile, the shard is read again from the checkpoint stored (what was in hand here is dropped)."""
        lease = self.leases.hold(shard.shard_id)
        if not lease.held:
            return False
        if lease.took_over_from or (lease.counter and lease.checkpoint != shard.checkpoint):
            fresh = _Shard(shard.shard_id, lanes=[_Lane() for _ in range(self.settings.parallelization_factor)])
            fresh.checkpoint = fresh.read_upto = lease.checkpoint
            fresh.parent = getattr(shard, "parent", None)  # type: ignore[attr-defined]
            shard.__dict__.update(fresh.__dict__)
        return True

    @property
    def waiting(self) -> dict[str, str]:
        """Shards another mapping of this function holds (shard id -> its owner): this one waits for them."""
        return self.leases.waiting

    def _round(self, budget: int, refresh: bool) -> tuple[int, float | None]:
        """``_shard_round``, once the source table is known to still have the stream (else SourceTableChangedError)."""
        self.source.check()
        try:
            return self._shard_round(budget, refresh)
        except ClientError as error:
            self.source.on_error(error)  # a stream gone with its table: say that, not ResourceNotFound
            raise

    def _shard_round(self, budget: int, refresh: bool) -> tuple[int, float | None]:
        """Read every shard, run one step on every lane that is ready; return (steps run, earliest wait).
        ``refresh``: list the shards again (DescribeStream), else work on the shards known."""
        steps: list[tuple[_Shard, int]] = []
        earliest: float | None = None
        now = self.now()
        if refresh or not self._active_cache or any(s.ended for s in self._active_cache):
            self._active_cache = self._active_shards()  # a shard that ended may let its children start
        shards = [shard for shard in self._active_cache if self._hold(shard)]
        for shard in shards:
            if not any(lane.work and lane.work[0].invoke_count for lane in shard.lanes):
                self._read(shard)  # a shard waiting behind a failing batch reads nothing new meanwhile
            for number, lane in enumerate(shard.lanes):
                ready = self._ready_at(lane)
                if ready is None:
                    continue
                if ready <= now:
                    steps.append((shard, number))
                else:
                    earliest = ready if earliest is None else min(earliest, ready)
        steps = steps[:budget]
        if len(steps) > 1:
            with ThreadPoolExecutor(max_workers=len(steps)) as pool:
                list(pool.map(lambda step: self._step(*step), steps))
        elif steps:
            self._step(*steps[0])
        for shard in {id(s): s for s, _ in steps}.values():
            self._advance_checkpoint(shard)
        return len(steps), earliest

    def run_until_idle(self, max_invocations: int = 1000) -> RunReport:
        """Process everything the stream holds now (moving the clock past open batching windows and tumbling
        windows rather than waiting); return what happened. Stops after ``max_invocations`` handler calls, with
        the shards still waiting behind a failing batch named in ``blocked``."""
        checks.number("max_invocations", max_invocations, low=1, high=MAX_INVOCATIONS_PER_RUN, integer=True,
                      unit=N_("dynalab's limit"))
        with self._lock:
            try:
                return self._run_until_idle(max_invocations)
            finally:
                if not self.running:
                    self.leases.release_all(quietly=True)  # a synchronous run gives its leases back

    def _run_until_idle(self, max_invocations: int) -> RunReport:
        before, failures_before = len(self.invocations), len(self.failure_records)
        delivered_before, filtered_before = self._delivered, self.records_filtered
        refresh = True
        while len(self.invocations) - before < max_invocations:
            ran, earliest = self._round(max_invocations - (len(self.invocations) - before), refresh)
            refresh = False
            if ran:
                continue
            if earliest is None:
                break
            self._clock_offset += max(0.0, earliest - self.now()) + 0.001
        report = RunReport(self.invocations[before:], self._delivered - delivered_before,
                           self.records_filtered - filtered_before, self.failure_records[failures_before:])
        for shard in self._shards.values():
            for lane in shard.lanes:
                if lane.work:
                    work = lane.work[0]
                    report.blocked.append(tr(
                        "shard {shard} waits behind a batch of {count} record(s) from {first} that failed "
                        "{times} time(s)", shard=shard.shard_id, count=len(work.records),
                        first=work.records[0]['dynamodb']['SequenceNumber'] if work.records else '-',
                        times=work.invoke_count))
        report.waiting = [tr("shard {shard} is read by another mapping of {function} ({owner}); waiting",
                             shard=shard_id, function=self.function_name, owner=owner.split('@')[-1])
                          for shard_id, owner in sorted(self.waiting.items())]
        return report

    def pending_records(self) -> int:
        """Records read from the stream and not done yet (waiting in a lane or in a failing batch)."""
        return sum(len(shard.open) for shard in self._shards.values())

    def start(self) -> EventSourceMapping:
        """Poll in a background thread (4 times a second when idle, as Lambda does) until ``stop()``."""
        return super().start()

    def _poll(self) -> bool:
        with self._lock:
            ran, _ = self._round(100, True)
        return bool(ran)

    def _poll_seconds(self) -> float:
        return 1 / ESM_POLLS_PER_SECOND

    def _thread_name(self) -> str:
        return f"dynalab-esm-{self.function_name}"

    def _on_poll_error(self, error: BaseException) -> None:
        self.leases.release_all(quietly=True)

    def stop(self, timeout_seconds: float = 30.0) -> None:
        """Stop the background polling after the invocation in hand; re-raise the error that ended it, if any."""
        self._stop_thread(timeout_seconds, tr("the event source mapping"))
        with self._lock:
            self.leases.release_all(quietly=True)
        if self.error is not None:
            error, self.error = self.error, None
            raise error

    def state(self) -> str:
        """One phrase for a readout: running (the thread alive and the engine answering), stopped (with its
        error), idle, or stalled (the engine is gone); and the shards it waits for (another mapping's lease)."""
        state = runner_state(self.lab, self.running, self.error)
        if self.waiting:
            state += tr("; waiting for {shards} (another mapping holds the lease)",
                        shards=", ".join(sorted(self.waiting)))
        return state

    def received_failure_records(self, max_messages: int = 100) -> list[dict]:
        """Read (and delete) the invocation records waiting in the on-failure SQS queue ([] for another
        destination: read the SNS topic's subscribers or the S3 bucket instead)."""
        return self._destination.received(max_messages)
