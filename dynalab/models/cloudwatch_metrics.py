"""What DynamoDB publishes to CloudWatch for a call: its metrics, their units and dimensions, one-minute statistic sets.

DynamoDB sends its metrics to CloudWatch in the ``AWS/DynamoDB`` namespace, aggregated "at one-minute intervals"
(metrics-dimensions.html, read 2026-12) [src:cloudwatch-one-minute-periods]. This module holds the catalogue
(``METRICS``: name, unit, dimension sets, statistics), the typed record of one call that the fidelity layer's
recorder hands over (``CallRecord``), the rules that turn a call into metric samples (``samples``), and the
aggregator that folds samples into one statistic set per metric, dimensions and minute (``MinuteAggregator``), the
shape ``PutMetricData`` takes. Pure: no I/O; the recorder (``dynalab.fidelity.recorder``) publishes.

The counting rules, from AWS's pages (metrics-dimensions.html; TroubleshootingThrottling-cloudwatch.html, read
2026-12) [src:throttle-events-per-event] [src:throttled-requests-per-request]:

* ``ConsumedReadCapacityUnits`` / ``ConsumedWriteCapacityUnits``: one sample per request that consumed capacity
  (SampleCount is the number of requests, Sum the units); per table (``TableName``), and per GSI (``TableName``,
  ``GlobalSecondaryIndexName``): "The TableName dimension returns ... for the table, but not for any global
  secondary indexes".
* ``ReadThrottleEvents`` / ``WriteThrottleEvents``: one per throttled *event* (a batch item is an event; a table
  write and each GSI write are events), per table or GSI; and the cause-specific ``{Read,Write}{ProvisionedThroughput,
  KeyRangeThroughput,AccountLimit,MaxOnDemandThroughput}ThrottleEvents`` named by the throttling reason.
* ``ThrottledRequests`` (``TableName``, ``Operation``): one per throttled *request*, whatever its events; a batch
  counts only when every item in it was throttled.
* ``ReturnedItemCount`` (``TableName``, ``Operation``): the items a Query or Scan returned.
* ``ConditionalCheckFailedRequests`` (``TableName``); ``UserErrors`` (no dimension: HTTP 400s other than throttling
  and failed conditions); ``SystemErrors`` (``TableName``, ``Operation``).
* ``ProvisionedReadCapacityUnits`` / ``ProvisionedWriteCapacityUnits``: the table's (or GSI's) setting, one sample a
  minute (``provisioned_samples``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dynalab.i18n import tr
from dynalab.models.quotas import DYNAMODB_METRICS_NAMESPACE, METRICS_PERIOD_SECONDS

__all__ = [
    "DYNAMODB_METRICS_NAMESPACE", "LIMIT_TYPES", "METRICS", "CallRecord", "KeyAccess", "MetricSpec",
    "MinuteAggregator", "Sample", "datum", "TableUse", "Throttle", "ThrottlingReason", "minute_start",
    "parse_throttling_reason", "provisioned_samples", "put_metric_data_requests", "samples",
]

_TABLE = ("TableName",)
_INDEX = ("TableName", "GlobalSecondaryIndexName")
_OPERATION = ("TableName", "Operation")
_SUMS = ("Sum", "SampleCount")
_ALL = ("Minimum", "Maximum", "Average", "Sum", "SampleCount")


@dataclass(frozen=True)
class MetricSpec:
    """One metric of ``AWS/DynamoDB`` as metrics-dimensions.html lists it."""

    name: str
    unit: str
    dimensions: tuple[tuple[str, ...], ...]
    statistics: tuple[str, ...]


#: Limit types of a ThrottlingReason and the stem of their cause-specific metric (API_ThrottlingReason.html;
#: TroubleshootingThrottling-cloudwatch.html, read 2026-12) [src:throttling-reason-format].
LIMIT_TYPES = {
    "ProvisionedThroughputExceeded": "ProvisionedThroughput",
    "KeyRangeThroughputExceeded": "KeyRangeThroughput",
    "AccountLimitExceeded": "AccountLimit",
    "MaxOnDemandThroughputExceeded": "MaxOnDemandThroughput",
}
_RESOURCE_TYPES = ("Table", "Index")
_OPERATION_TYPES = ("Read", "Write")


def _catalogue() -> dict[str, MetricSpec]:
    specs = [
        MetricSpec("ConsumedReadCapacityUnits", "Count", (_TABLE, _INDEX), _ALL),
        MetricSpec("ConsumedWriteCapacityUnits", "Count", (_TABLE, _INDEX), _ALL),
        MetricSpec("ProvisionedReadCapacityUnits", "Count", (_TABLE, _INDEX), ("Minimum", "Maximum", "Average")),
        MetricSpec("ProvisionedWriteCapacityUnits", "Count", (_TABLE, _INDEX), ("Minimum", "Maximum", "Average")),
        MetricSpec("ReadThrottleEvents", "Count", (_TABLE, _INDEX), _SUMS),
        MetricSpec("WriteThrottleEvents", "Count", (_TABLE, _INDEX), _SUMS),
        MetricSpec("ThrottledRequests", "Count", (_OPERATION,), _SUMS),
        MetricSpec("ReturnedItemCount", "Count", (_OPERATION,), _ALL),
        MetricSpec("ConditionalCheckFailedRequests", "Count", (_TABLE,), _SUMS),
        MetricSpec("UserErrors", "Count", ((),), _SUMS),
        MetricSpec("SystemErrors", "Count", (_OPERATION,), _SUMS),
    ]
    for operation_type in _OPERATION_TYPES:
        for stem in LIMIT_TYPES.values():
            specs.append(MetricSpec(f"{operation_type}{stem}ThrottleEvents", "Count", (_TABLE, _INDEX), _SUMS))
    return {spec.name: spec for spec in specs}


#: Every metric dynalab publishes, by name.
METRICS: dict[str, MetricSpec] = _catalogue()


@dataclass(frozen=True)
class ThrottlingReason:
    """A ThrottlingReason's ``reason`` read as AWS defines it: ResourceType + OperationType + LimitType."""

    reason: str
    resource_type: str  # "Table" or "Index"
    operation_type: str  # "Read" or "Write"
    limit_type: str  # a key of LIMIT_TYPES

    @property
    def metric_name(self) -> str:
        """The cause-specific metric this reason counts in (``WriteKeyRangeThroughputThrottleEvents``...)."""
        return f"{self.operation_type}{LIMIT_TYPES[self.limit_type]}ThrottleEvents"

    @property
    def events_metric_name(self) -> str:
        """``ReadThrottleEvents`` or ``WriteThrottleEvents``."""
        return f"{self.operation_type}ThrottleEvents"


def parse_throttling_reason(reason: str) -> ThrottlingReason:
    """``"TableWriteKeyRangeThroughputExceeded"`` -> Table, Write, KeyRangeThroughputExceeded; a ValueError for
    anything not in AWS's format (API_ThrottlingReason.html) [src:throttling-reason-format]."""
    if isinstance(reason, str):
        for resource_type in _RESOURCE_TYPES:
            for operation_type in _OPERATION_TYPES:
                prefix = resource_type + operation_type
                if reason.startswith(prefix) and reason[len(prefix):] in LIMIT_TYPES:
                    return ThrottlingReason(reason, resource_type, operation_type, reason[len(prefix):])
    raise ValueError(tr("a throttling reason is ResourceType (Table, Index) + OperationType (Read, Write) + LimitType "
                        "({limits}), such as TableWriteProvisionedThroughputExceeded; got {reason!r:.80}",
                        limits=", ".join(LIMIT_TYPES), reason=reason))


# ------------------------------------------------------------------------------------------------ the record


@dataclass(frozen=True)
class KeyAccess:
    """One key a call read or wrote, for Contributor Insights: the table (or GSI) key's values as text, the units
    the call spent on it, and the throttle events it met (``dynalab.models.contributor_insights``)."""

    table_name: str
    index_name: str | None
    partition_key: str
    sort_key: str | None
    read_units: float = 0.0
    write_units: float = 0.0
    throttle_count: int = 0


@dataclass(frozen=True)
class Throttle:
    """One throttled request (an HTTP attempt answered ProvisionedThroughputExceededException), or the items a batch
    handed back unprocessed. ``events``: the throttled events in it (a batch's items); ``whole_request``: False for a
    batch served in part (its withheld items are throttle events, not a throttled request)."""

    table_name: str
    index_name: str | None
    reason: str
    events: int = 1
    whole_request: bool = True


@dataclass(frozen=True)
class TableUse:
    """What a served call spent on one table: its own units, each GSI's, and the items a Query/Scan returned."""

    table_name: str
    read_units: float = 0.0
    write_units: float = 0.0
    index_units: tuple[tuple[str, float, float], ...] = ()  # (GSI name, read units, write units)
    returned_items: int | None = None


@dataclass(frozen=True)
class CallRecord:
    """One call as the metrics see it: built once by the recorder's adapter from the layer's per-call values."""

    operation: str
    timestamp_seconds: float
    status_code: int = 200
    error_code: str | None = None
    tables: tuple[TableUse, ...] = ()
    throttles: tuple[Throttle, ...] = ()
    keys: tuple[KeyAccess, ...] = field(default=(), compare=False)
    table_names: tuple[str, ...] = ()  # every table the request named (for errors that spent nothing)


@dataclass(frozen=True)
class Sample:
    """One value of one metric: ``dimensions`` as ((name, value), ...) in the order AWS lists them."""

    metric_name: str
    dimensions: tuple[tuple[str, str], ...]
    value: float


def _dims(table: str, index: str | None = None) -> tuple[tuple[str, str], ...]:
    return (("TableName", table),) if index is None else (("TableName", table), ("GlobalSecondaryIndexName", index))


def _throttle_samples(record: CallRecord) -> list[Sample]:
    found: list[Sample] = []
    for throttle in record.throttles:
        reason = parse_throttling_reason(throttle.reason)
        where = _dims(throttle.table_name, throttle.index_name if reason.resource_type == "Index" else None)
        found.append(Sample(reason.events_metric_name, where, float(throttle.events)))
        found.append(Sample(reason.metric_name, where, float(throttle.events)))
        if throttle.whole_request:
            found.append(Sample("ThrottledRequests", (("TableName", throttle.table_name),
                                                      ("Operation", record.operation)), 1.0))
    return found


def samples(record: CallRecord) -> list[Sample]:
    """The metric samples DynamoDB would publish for this call (see the module docstring for the rules)."""
    found = _throttle_samples(record)
    for use in record.tables:
        table = use.table_name
        if use.read_units > 0:
            found.append(Sample("ConsumedReadCapacityUnits", _dims(table), use.read_units))
        if use.write_units > 0:
            found.append(Sample("ConsumedWriteCapacityUnits", _dims(table), use.write_units))
        for index, read, write in use.index_units:
            if read > 0:
                found.append(Sample("ConsumedReadCapacityUnits", _dims(table, index), read))
            if write > 0:
                found.append(Sample("ConsumedWriteCapacityUnits", _dims(table, index), write))
        if use.returned_items is not None and record.operation in ("Query", "Scan"):
            found.append(Sample("ReturnedItemCount", (("TableName", table), ("Operation", record.operation)),
                                float(use.returned_items)))
    named = record.table_names or tuple(use.table_name for use in record.tables)
    if record.error_code == "ConditionalCheckFailedException":
        found.extend(Sample("ConditionalCheckFailedRequests", _dims(table), 1.0) for table in named[:1])
    elif record.status_code >= 500:
        found.extend(Sample("SystemErrors", (("TableName", table), ("Operation", record.operation)), 1.0)
                     for table in named[:1])
    elif 400 <= record.status_code < 500 and not record.throttles:
        found.append(Sample("UserErrors", (), 1.0))
    return found


def provisioned_samples(table_name: str, read_capacity_units: float, write_capacity_units: float,
                        index_name: str | None = None) -> list[Sample]:
    """A provisioned table's (or GSI's) two capacity settings, as the minute's ``Provisioned*CapacityUnits``."""
    where = _dims(table_name, index_name)
    return [Sample("ProvisionedReadCapacityUnits", where, float(read_capacity_units)),
            Sample("ProvisionedWriteCapacityUnits", where, float(write_capacity_units))]


# ------------------------------------------------------------------------------------------------ one minute


def minute_start(timestamp_seconds: float, period_seconds: int = METRICS_PERIOD_SECONDS) -> int:
    """The start (Unix seconds) of the period holding ``timestamp_seconds``: DynamoDB's datapoints are per minute."""
    return int(math.floor(timestamp_seconds / period_seconds) * period_seconds)


class MinuteAggregator:
    """Samples folded into one statistic set (SampleCount, Sum, Minimum, Maximum) per metric, dimensions and minute.

    ``drain()`` returns them as ``PutMetricData`` MetricDatum entries and starts again: publishing a minute in
    several parts is exact, since CloudWatch adds statistic sets (sums and counts add, min of mins, max of maxes).
    """

    def __init__(self) -> None:
        self._sets: dict[tuple[str, tuple[tuple[str, str], ...], int], list[float]] = {}

    def __len__(self) -> int:
        return len(self._sets)

    def add(self, found: Iterable[Sample], timestamp_seconds: float) -> None:
        minute = minute_start(timestamp_seconds)
        for sample in found:
            key = (sample.metric_name, sample.dimensions, minute)
            entry = self._sets.get(key)
            if entry is None:
                self._sets[key] = [1.0, sample.value, sample.value, sample.value]
            else:
                entry[0] += 1.0
                entry[1] += sample.value
                entry[2] = min(entry[2], sample.value)
                entry[3] = max(entry[3], sample.value)

    def drain(self) -> list[dict[str, Any]]:
        """The sets as MetricDatum dicts (Timestamp in Unix seconds, the minute's start), oldest first; then empty."""
        sets, self._sets = self._sets, {}
        return [datum(name, dimensions, minute, count, total, low, high)
                for (name, dimensions, minute), (count, total, low, high) in sorted(sets.items(),
                                                                                   key=lambda kv: kv[0][2])]


def datum(name: str, dimensions: tuple[tuple[str, str], ...], minute: int, count: float, total: float, low: float,
          high: float) -> dict[str, Any]:
    """One PutMetricData MetricDatum with a statistic set, in the metric's own unit."""
    spec: Mapping[str, MetricSpec] = METRICS
    return {"MetricName": name, "Dimensions": [{"Name": n, "Value": v} for n, v in dimensions],
            "Timestamp": minute, "Unit": spec[name].unit if name in spec else "None",
            "StatisticValues": {"SampleCount": count, "Sum": total, "Minimum": low, "Maximum": high}}


def put_metric_data_requests(data: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """``data`` cut into PutMetricData requests of at most ``PUT_METRIC_DATA_MAX_METRICS`` metrics each
    [src:cloudwatch-put-metric-data-1000]."""
    from dynalab.models.quotas import PUT_METRIC_DATA_MAX_METRICS

    size = PUT_METRIC_DATA_MAX_METRICS
    return [data[first:first + size] for first in range(0, len(data), size)]
