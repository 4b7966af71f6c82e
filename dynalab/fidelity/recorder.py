"""The metrics recorder: what DynamoDB publishes to CloudWatch, published to the local engine's own CloudWatch.

The fidelity layer's record-phase plugin (``Phase.RECORD``). After each DynamoDB call made through a lab, ``record_of``
(the ONE adapter) turns the layer's typed record of the call (``dynalab.fidelity.call.Call``) into a ``CallRecord``
(``dynalab.models.cloudwatch_metrics``): the units each table and GSI consumed (the meter's ``call.units``), the
throttled attempts with their ThrottlingReasons and the batch items handed back (the throttle's ``call.throttles``),
the items a Query or Scan returned, the error, and, for tables with Contributor Insights on, the keys it touched
(PartiQL statements' keys too: the record holds the operations they ran). ``MetricsRecorder.record`` keeps it in a
buffer; nothing is sent during the call.

Publishing is batched: a background thread flushes the buffer at most every ``flush_interval_seconds`` (1 s), and
the lab's CloudWatch client flushes it before each read (``lab.cloudwatch``: GetMetricStatistics, GetMetricData,
ListMetrics, GetInsightRuleReport...), so a read through the lab sees every call made before it, and a plain boto3
cloudwatch client sees them within about a second. A flush folds the records into one statistic set per metric,
dimensions and minute (``MinuteAggregator``) and sends them with PutMetricData (up to 1,000 metrics a request),
plus each provisioned table's (and GSI's) ``Provisioned*CapacityUnits`` once a minute, and, for tables and GSIs
with Contributor Insights on, one JSON event per key and second to the engine's CloudWatch Logs
(``dynalab.models.contributor_insights``), which the rules' reports read.

Only on a local engine that serves CloudWatch (moto, embedded or not): on AWS nothing is published (DynamoDB does
it), and dynalite serves no CloudWatch. A failed flush never fails a learner's call: it is counted
(``errors``, ``last_error``) and the data of that flush is dropped.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any

from dynalab.fidelity.call import PARTIQL_OPERATIONS, Call, Phase
from dynalab.fidelity.requests import READS, WRITES, accesses, tables_named
from dynalab.fidelity.throttling.estimates import query_key
from dynalab.models.cloudwatch_metrics import (
    CallRecord,
    KeyAccess,
    MinuteAggregator,
    TableUse,
    Throttle,
    minute_start,
    provisioned_samples,
    put_metric_data_requests,
    samples,
)
from dynalab.models.contributor_insights import LOG_GROUP, LOG_STREAM, key_event, key_text
from dynalab.models.quotas import DYNAMODB_METRICS_NAMESPACE

__all__ = ["MetricsRecorder", "record_of"]

#: The calls DynamoDB publishes metrics about: item reads and writes, PartiQL's included (metered as they run).
_DATA_PLANE = READS | WRITES | PARTIQL_OPERATIONS
_SCHEMA_CHANGES = ("CreateTable", "UpdateTable", "DeleteTable")
_LOG_EVENTS_PER_REQUEST = 5000
#: How long the recorder trusts what it read of the engine's Contributor Insights rules (a plain client may change
#: them without the lab seeing it).
INSIGHTS_REFRESH_SECONDS = 5.0
#: Consecutive failed flushes after which the background thread stops (the engine has stopped).
_GIVE_UP_AFTER_FAILURES = 5


def _key_values(key: Mapping[str, Any], names: tuple[str, ...]) -> tuple[str, str | None] | None:
    try:
        partition = key_text(key[names[0]])
        sort = key_text(key[names[1]]) if len(names) > 1 else None
    except (KeyError, ValueError):
        return None
    return partition, sort


def _touched(call: Call, table: str, index: str | None, names: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """The keys (as text) the call's runs name on ``table`` (or its GSI ``index``, for a Query of it)."""
    found = []
    for run in call.runs:
        request = run.request
        if run.operation == "Query":
            if request.get("TableName") != table or request.get("IndexName") != index:
                continue
            value = query_key(request, names[0])  # the throttle's own reading of a Query's key (one parser)
            found += [] if value is None else [(key_text(value), None)]
        elif index is None and run.operation != "Scan":
            for access in accesses(run.operation, request):
                values = _key_values(access.key, names) if access.table == table else None
                if values is not None:
                    found.append(values)
    return found


def _key_accesses(call: Call, uses: Mapping[str, TableUse],
                  insights: Mapping[tuple[str, str | None], tuple[str, ...]]) -> tuple[KeyAccess, ...]:
    """For each table (or GSI) with insights on: its keys' share of the units (split evenly) and throttle counts."""
    found: list[KeyAccess] = []
    for (table, index), names in insights.items():
        use = uses.get(table)
        if use is not None:
            keys = _touched(call, table, index, names)
            read, write = (use.read_units, use.write_units) if index is None else next(
                ((r, w) for name, r, w in use.index_units if name == index), (use.read_units, 0.0))
            for partition, sort in keys:
                found.append(KeyAccess(table, index, partition, sort, read / len(keys), write / len(keys)))
        for throttle in call.throttles:
            if throttle.table != table or (index is not None and throttle.index != index):
                continue
            for key in throttle.keys:
                values = _key_values(key, names)
                if values is not None:
                    found.append(KeyAccess(table, index, values[0], values[1], throttle_count=1))
    return tuple(found)


def _tables_named(call: Call) -> tuple[str, ...]:
    names = {name for run in call.runs for name in tables_named(run.request)}
    if call.translation is not None:  # a statement that could not be translated still names its table
        names.update(call.translation.tables)
    return tuple(sorted(names))


def record_of(call: Call, *, now: float | None = None,
              insights: Mapping[tuple[str, str | None], tuple[str, ...]] | None = None) -> CallRecord | None:
    """The ONE adapter: a call's ``CallRecord`` from the layer's typed record of it (the meter's ``call.units``, the
    throttle's ``call.throttles``), or None for a call DynamoDB publishes nothing about. ``insights``: {(table, GSI
    or None): its key attributes} of the tables and GSIs whose keys are wanted (Contributor Insights on)."""
    operation = call.operation
    if operation not in _DATA_PLANE:
        return None
    returned = call.parsed.get("Count") if operation in ("Query", "Scan") and call.ok else None
    uses: dict[str, TableUse] = {}
    for table, units in call.units.items():
        gsis = tuple((name, float(u.read), float(u.write)) for name, u in units.indexes.items() if u.is_global)
        uses[table] = TableUse(table, float(units.read), float(units.write), gsis, returned)
    throttles = tuple(Throttle(t.table, t.index, t.reason, t.events, t.whole_request) for t in call.throttles)
    keys = _key_accesses(call, uses, insights) if insights else ()
    return CallRecord(operation, time.time() if now is None else now, call.status_code, call.error_code,
                      tuple(uses.values()), throttles, keys, _tables_named(call))


class MetricsRecorder:
    """The record phase's plugin (see the module docstring). ``cloudwatch`` and ``logs`` are clients to the engine
    without the layer; ``describe_table(name)`` answers DescribeTable's ``Table`` (unmetered) or raises;
    ``key_attributes(table, index)`` gives a table's (or GSI's) key attribute names, partition key first, or None."""

    phase = Phase.RECORD

    def __init__(self, cloudwatch: Any, logs: Any, describe_table: Callable[[str], Mapping[str, Any]],
                 key_attributes: Callable[[str, str | None], tuple[str, ...] | None], *,
                 flush_interval_seconds: float = 1.0, clock: Callable[[], float] = time.time,
                 background: bool = True) -> None:
        self.cloudwatch, self.logs = cloudwatch, logs
        self._describe_table = describe_table
        self._key_attributes = key_attributes
        self.flush_interval_seconds = float(flush_interval_seconds)
        self.clock = clock
        self._buffer: deque[CallRecord] = deque()
        self._flush_lock = threading.Lock()
        self._tables: dict[str, list[tuple[str | None, float, float]] | None] = {}  # table -> provisioned settings
        self._provisioned_minutes: dict[str, int] = {}
        self._insights: dict[tuple[str, str | None], tuple[str, ...]] = {}
        self._insights_read_at = float("-inf")
        self._log_stream_ready = False
        self.published_metrics = 0
        self.published_key_events = 0
        self.errors = 0
        self.last_error: BaseException | None = None
        self._wake = threading.Event()
        self._stopped = False
        self._thread: threading.Thread | None = None
        self._background = background

    # -- the hook ------------------------------------------------------------------------------------------------
    def after_call(self, call: Call) -> None:
        if call.operation in _SCHEMA_CHANGES or call.operation == "UpdateContributorInsights":
            self._schema_changed(call.operation, call.request)
            return
        record = record_of(call, insights=self._insights)
        if record is not None:
            self.record(record)

    def record(self, record: CallRecord) -> None:
        """Keep one call's record until the next flush (the pipeline's record phase calls this)."""
        self._buffer.append(record)
        for table in record.table_names:
            if table not in self._tables:
                self._tables[table] = None  # seen: its provisioned settings are read at the next flush
        if self._background and self._thread is None:
            self._start()

    def _schema_changed(self, operation: str, request: Mapping[str, Any]) -> None:
        table = request.get("TableName")
        if isinstance(table, str):
            if operation == "DeleteTable":
                self._tables.pop(table, None)
            elif table in self._tables:
                self._tables[table] = None  # read its settings again
        self._insights_read_at = float("-inf")  # insights may have changed: read the rules at the next flush
        if operation == "UpdateContributorInsights":
            self._refresh_insights()

    # -- flushing ------------------------------------------------------------------------------------------------
    def _start(self) -> None:
        with self._flush_lock:
            if self._thread is None and not self._stopped:
                self._thread = threading.Thread(target=self._run, name="dynalab-metrics", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        failures = 0
        while not self._stopped:
            self._wake.wait(self.flush_interval_seconds)
            self._wake.clear()
            failures = 0 if self.flush() else failures + 1
            if failures >= _GIVE_UP_AFTER_FAILURES:  # the engine is gone: stop knocking (a new record restarts it)
                with self._flush_lock:
                    self._thread = None
                return

    def stop(self) -> None:
        """Flush what is buffered and end the background thread."""
        self._stopped = True
        self._wake.set()
        self.flush()

    def flush(self) -> bool:
        """Publish everything recorded so far (called every second in the background, and before reads); False if
        it failed (the flush's data is dropped, the error counted)."""
        with self._flush_lock:
            try:
                self._flush()
            except Exception as error:  # never fail a learner's call; count it, keep going
                self.errors += 1
                self.last_error = error
                return False
        return True

    def _flush(self) -> None:
        records = []
        while self._buffer:
            records.append(self._buffer.popleft())
        if self.clock() - self._insights_read_at > INSIGHTS_REFRESH_SECONDS and (records or self._insights):
            self._refresh_insights()
        aggregator = MinuteAggregator()
        key_shares: dict[tuple, list[float]] = {}
        for record in records:
            aggregator.add(samples(record), record.timestamp_seconds)
            for access in record.keys:
                slot = (int(record.timestamp_seconds), access.table_name, access.index_name, access.partition_key,
                        access.sort_key)
                share = key_shares.setdefault(slot, [0.0, 0.0, 0, 0.0])
                share[0] += access.read_units
                share[1] += access.write_units
                share[2] += access.throttle_count
                share[3] = max(share[3], record.timestamp_seconds)  # the event's time: its last call's
        self._add_provisioned(aggregator)
        if key_shares:  # first: a reader who sees a flush's metrics sees its keys too
            self._put_key_events(key_shares)
        data = aggregator.drain()
        for request in put_metric_data_requests(data):
            self.cloudwatch.put_metric_data(Namespace=DYNAMODB_METRICS_NAMESPACE, MetricData=request)
        self.published_metrics += len(data)

    def _add_provisioned(self, aggregator: MinuteAggregator) -> None:
        minute = minute_start(self.clock())
        for table in list(self._tables):
            if self._provisioned_minutes.get(table) == minute:
                continue
            settings = self._tables.get(table)
            if settings is None:
                settings = self._provisioned(table)
                if settings is None:
                    continue
            for index, read, write in settings:
                aggregator.add(provisioned_samples(table, read, write, index), minute)
            self._provisioned_minutes[table] = minute

    def _provisioned(self, table: str) -> list[tuple[str | None, float, float]] | None:
        """The table's provisioned settings [(GSI or None, RCU, WCU)] ([] on-demand), or None if it is gone."""
        try:
            description = self._describe_table(table)
        except Exception:  # deleted, or not yet created: forget it
            self._tables.pop(table, None)
            return None
        settings: list[tuple[str | None, float, float]] = []
        mode = (description.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
        if mode != "PAY_PER_REQUEST":
            for index, owner in [(None, description), *((g.get("IndexName"), g) for g in
                                                        description.get("GlobalSecondaryIndexes") or [])]:
                throughput = owner.get("ProvisionedThroughput") or {}
                if throughput.get("ReadCapacityUnits") and throughput.get("WriteCapacityUnits"):
                    settings.append((index, float(throughput["ReadCapacityUnits"]),
                                     float(throughput["WriteCapacityUnits"])))
        self._tables[table] = settings
        return settings

    def _refresh_insights(self) -> None:
        """Which tables and GSIs have Contributor Insights on: the engine's rules (one DescribeInsightRules)."""
        from dynalab.fidelity.contributor_insights import enabled_resources

        rules, token = [], None
        while True:
            page = self.cloudwatch.describe_insight_rules(**({"NextToken": token} if token else {}))
            rules += [(r["Name"], r.get("Definition", "")) for r in page.get("InsightRules") or []]
            token = page.get("NextToken")
            if not token:
                break
        found: dict[tuple[str, str | None], tuple[str, ...]] = {}
        for (table, index) in enabled_resources(rules):
            names = self._key_attributes(table, index)
            if names:
                found[(table, index)] = tuple(names)
        self._insights = found
        self._insights_read_at = self.clock()

    def _put_key_events(self, shares: Mapping[tuple, list[float]]) -> None:
        events = []
        for (_, table, index, partition, sort), (read, write, throttled, last) in sorted(
                shares.items(), key=lambda kv: kv[1][3]):
            names = self._insights.get((table, index))
            if not names:
                continue
            access = KeyAccess(table, index, partition, sort, read, write, int(throttled))
            events.append({"timestamp": int(last * 1000), "message": _json(key_event(access, names))})
        if not events:
            return
        self._ensure_log_stream()
        for first in range(0, len(events), _LOG_EVENTS_PER_REQUEST):
            self.logs.put_log_events(logGroupName=LOG_GROUP, logStreamName=LOG_STREAM,
                                     logEvents=events[first:first + _LOG_EVENTS_PER_REQUEST])
        self.published_key_events += len(events)

    def _ensure_log_stream(self) -> None:
        if self._log_stream_ready:
            return
        for create, args in ((self.logs.create_log_group, {"logGroupName": LOG_GROUP}),
                             (self.logs.create_log_stream, {"logGroupName": LOG_GROUP, "logStreamName": LOG_STREAM})):
            try:
                create(**args)
            except self.logs.exceptions.ResourceAlreadyExistsException:
                pass
        self._log_stream_ready = True


def _json(value: Any) -> str:
    import json

    return json.dumps(value, separators=(",", ":"), sort_keys=True)

