"""The console's Monitor tab, read from the engine with boto3: a table's CloudWatch graphs, Contributor Insights'
top keys, a throttling error's reasons, and the metrics exported as ``aws cloudwatch get-metric-data`` prints them.

Everything here reads through ``lab.cloudwatch`` and ``lab.client`` exactly as a program reads DynamoDB on AWS, so
it works the same on the local engine (where dynalab's recorder publishes what DynamoDB would) and on AWS
(``DYNALAB_ENDPOINT=aws``, your account's own metrics). Nothing here draws: ``dynalab.figures.console`` does.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from botocore.exceptions import ClientError

from dynalab.engine import Lab, check_lab
from dynalab.fidelity.throttling import THROTTLE_CODE, enforce_throughput
from dynalab.i18n import N_, tr
from dynalab.models import checks
from dynalab.models.clock import StepClock
from dynalab.models.cloudwatch_metrics import LIMIT_TYPES, parse_throttling_reason
from dynalab.models.contributor_insights import MODES
from dynalab.models.quotas import (
    DYNAMODB_METRICS_NAMESPACE,
    INSIGHT_RULE_REPORT_CONTRIBUTORS_RANGE,
    METRICS_PERIOD_SECONDS,
)

__all__ = ["ConsoleMetrics", "TopKey", "describe_throttling_reason", "enable_contributor_insights",
           "export_metrics", "table_metrics", "throttle_events_by_reason", "throttled_write", "top_keys"]

#: How far back a read looks by default, and at most (a lesson's window, not CloudWatch's 15 months).
DEFAULT_MINUTES = 10
MAX_MINUTES = 24 * 60
#: The latest time a window may end (2100-01-01 UTC): dynalab's bound, far past any metric.
LATEST_SECONDS = 4_102_444_800
_SERIES = {  # ConsoleMetrics field -> (metric, statistic)
    "consumed_read": ("ConsumedReadCapacityUnits", "Sum"),
    "consumed_write": ("ConsumedWriteCapacityUnits", "Sum"),
    "provisioned_read": ("ProvisionedReadCapacityUnits", "Maximum"),
    "provisioned_write": ("ProvisionedWriteCapacityUnits", "Maximum"),
    "read_throttle_events": ("ReadThrottleEvents", "Sum"),
    "write_throttle_events": ("WriteThrottleEvents", "Sum"),
}
_LIMIT_WORDS = {
    "ProvisionedThroughputExceeded": N_("the provisioned capacity (RCU/WCU) was used up"),
    "KeyRangeThroughputExceeded": N_("one partition key value asked for more than a partition serves (a hot key)"),
    "AccountLimitExceeded": N_("an on-demand table passed the account's per-table quota"),
    "MaxOnDemandThroughputExceeded": N_("an on-demand table passed the maximum throughput you configured"),
}


def _window(minutes: int, start_seconds: float | None, end_seconds: float | None) -> tuple[dt.datetime, dt.datetime]:
    checks.number("minutes", minutes, low=1, high=MAX_MINUTES, integer=True)
    end = checks.optional(checks.number, "end_seconds", end_seconds, low=0, high=LATEST_SECONDS,
                          unit=tr("Unix seconds"))
    end = dt.datetime.now(dt.UTC).timestamp() if end is None else end
    start = checks.optional(checks.number, "start_seconds", start_seconds, low=max(0.0, end - MAX_MINUTES * 60),
                            high=end, unit=tr("Unix seconds, within a day before end_seconds"))
    start = end - minutes * 60 if start is None else start
    period = METRICS_PERIOD_SECONDS
    first = math.floor(start / period) * period
    last = math.ceil((end + 1) / period) * period
    return dt.datetime.fromtimestamp(first, dt.UTC), dt.datetime.fromtimestamp(last, dt.UTC)


@dataclass(frozen=True)
class ConsoleMetrics:
    """A table's (or GSI's) graphs of the console's Monitor tab, one value per minute from ``minutes[0]``.

    ``consumed_*`` are the minute's Sum divided by 60: the average units per second, as the console draws
    "Read/Write usage (average units/second)" (metrics-dimensions.html: "get the Sum value over a span of one minute,
    and divide it by the number of seconds in a minute (60)") [src:cloudwatch-sum-over-60]; ``provisioned_*`` the
    setting (NaN where none was published: on-demand); ``*_throttle_events`` the minute's count.
    """

    table_name: str
    index_name: str | None
    minutes: list[dt.datetime]
    consumed_read: np.ndarray
    consumed_write: np.ndarray
    provisioned_read: np.ndarray
    provisioned_write: np.ndarray
    read_throttle_events: np.ndarray
    write_throttle_events: np.ndarray
    sums: dict[str, float] = field(default_factory=dict)  # metric -> its Sum over the window

    @property
    def start(self) -> dt.datetime:
        """The window's first minute (UTC)."""
        return self.minutes[0]

    @property
    def end(self) -> dt.datetime:
        """The end of the window's last minute (UTC)."""
        return self.minutes[-1] + dt.timedelta(seconds=METRICS_PERIOD_SECONDS)

    def describe(self, kind: str = "write") -> str:
        """One line: the busiest minute against the provisioned setting, and the throttle events."""
        kind = checks.choice("kind", kind, ("read", "write"))
        consumed = self.consumed_write if kind == "write" else self.consumed_read
        provisioned = self.provisioned_write if kind == "write" else self.provisioned_read
        throttles = self.write_throttle_events if kind == "write" else self.read_throttle_events
        setting = np.nanmax(provisioned) if np.isfinite(provisioned).any() else None
        where = self.table_name + (f" / {self.index_name}" if self.index_name else "")
        capacity = tr("{value:g} provisioned", value=setting) if setting is not None else tr("on-demand")
        return tr("{where}: busiest minute {peak:.2f} {kind} units/s on average ({capacity}); {events:g} {kind} "
                  "throttle events in {minutes} minute(s)", where=where, peak=float(consumed.max(initial=0.0)),
                  kind=tr("write") if kind == "write" else tr("read"), capacity=capacity,
                  events=float(throttles.sum()), minutes=len(self.minutes))


def _query(metric: str, statistic: str, dimensions: list[dict[str, str]], number: int) -> dict[str, Any]:
    return {"Id": f"m{number}", "Label": metric, "ReturnData": True, "MetricStat": {
        "Metric": {"Namespace": DYNAMODB_METRICS_NAMESPACE, "MetricName": metric, "Dimensions": dimensions},
        "Period": METRICS_PERIOD_SECONDS, "Stat": statistic}}


def _dimensions(lab: Lab, table_name: str, index_name: str | None) -> tuple[str, list[dict[str, str]]]:
    name = lab.table_name(checks.table_name("table_name", table_name))
    dimensions = [{"Name": "TableName", "Value": name}]
    if index_name is not None:
        dimensions.append({"Name": "GlobalSecondaryIndexName", "Value": checks.table_name("index_name", index_name)})
    return name, dimensions


def table_metrics(lab: Lab, table_name: str, *, index_name: str | None = None, minutes: int = DEFAULT_MINUTES,
                  start_seconds: float | None = None, end_seconds: float | None = None) -> ConsoleMetrics:
    """The console's capacity and throttling graphs of a table (or GSI), per minute, from one GetMetricData call.

    The window is the last ``minutes`` minutes, or ``start_seconds`` to ``end_seconds`` (Unix seconds), widened to
    whole minutes. On a local engine the lab's recorder is flushed first, so every call made through the lab is in.
    """
    check_lab(lab)
    name, dimensions = _dimensions(lab, table_name, index_name)
    start, end = _window(minutes, start_seconds, end_seconds)
    queries = [_query(metric, statistic, dimensions, i) for i, (metric, statistic) in enumerate(_SERIES.values())]
    found: dict[str, dict[dt.datetime, float]] = {key: {} for key in _SERIES}
    token = None
    while True:
        page = lab.cloudwatch.get_metric_data(MetricDataQueries=queries, StartTime=start, EndTime=end,
                                              ScanBy="TimestampAscending", **({"NextToken": token} if token else {}))
        for result in page["MetricDataResults"]:
            key = list(_SERIES)[int(result["Id"][1:])]
            for moment, value in zip(result["Timestamps"], result["Values"], strict=True):
                found[key][moment.astimezone(dt.UTC)] = float(value)
        token = page.get("NextToken")
        if not token:
            break
    count = int((end - start).total_seconds() // METRICS_PERIOD_SECONDS)
    moments = [start + dt.timedelta(seconds=METRICS_PERIOD_SECONDS * i) for i in range(count)]

    def column(key: str, missing: float, scale: float = 1.0) -> np.ndarray:
        return np.array([found[key].get(moment, missing) / scale for moment in moments])

    sums = {metric: sum(found[key].values()) for key, (metric, statistic) in _SERIES.items() if statistic == "Sum"}
    return ConsoleMetrics(name, index_name, moments, column("consumed_read", 0.0, METRICS_PERIOD_SECONDS),
                          column("consumed_write", 0.0, METRICS_PERIOD_SECONDS), column("provisioned_read", math.nan),
                          column("provisioned_write", math.nan), column("read_throttle_events", 0.0),
                          column("write_throttle_events", 0.0), sums)


def throttle_events_by_reason(lab: Lab, table_name: str, *, index_name: str | None = None,
                              minutes: int = DEFAULT_MINUTES, start_seconds: float | None = None) -> dict[str, float]:
    """{cause-specific metric: throttle events in the window} (``WriteKeyRangeThroughputThrottleEvents``...): each
    counts the errors whose ThrottlingReasons named that limit (TroubleshootingThrottling-cloudwatch.html)."""
    check_lab(lab)
    _, dimensions = _dimensions(lab, table_name, index_name)
    start, end = _window(minutes, start_seconds, None)
    names = [f"{kind}{stem}ThrottleEvents" for kind in ("Read", "Write") for stem in LIMIT_TYPES.values()]
    answer = lab.cloudwatch.get_metric_data(MetricDataQueries=[_query(metric, "Sum", dimensions, i)
                                                               for i, metric in enumerate(names)],
                                            StartTime=start, EndTime=end)
    return {names[int(r["Id"][1:])]: float(sum(r["Values"])) for r in answer["MetricDataResults"]}


def enable_contributor_insights(lab: Lab, table_name: str, *, index_name: str | None = None,
                                mode: str = MODES[0]) -> list[str]:
    """UpdateContributorInsights(ENABLE) on a table (or GSI); returns the rules DynamoDB created for it."""
    check_lab(lab)
    checks.choice("mode", mode, MODES)
    name, _ = _dimensions(lab, table_name, index_name)
    target = {"TableName": name, **({"IndexName": index_name} if index_name else {})}
    lab.client.update_contributor_insights(ContributorInsightsAction="ENABLE", ContributorInsightsMode=mode, **target)
    return list(lab.client.describe_contributor_insights(**target).get("ContributorInsightsRuleList") or [])


@dataclass(frozen=True)
class TopKey:
    """One contributor of a Contributor Insights report: its key values and its value over the window
    (ConsumedThroughputUnits for the most accessed, the count of throttling errors for the most throttled)."""

    keys: tuple[str, ...]
    value: float

    @property
    def label(self) -> str:
        return " / ".join(self.keys)


def top_keys(lab: Lab, table_name: str, *, index_name: str | None = None, throttled: bool = False,
             with_sort_key: bool = False, count: int = 5, minutes: int = DEFAULT_MINUTES,
             start_seconds: float | None = None) -> list[TopKey]:
    """The top keys of a table (or GSI) with Contributor Insights on: DescribeContributorInsights names its rules,
    GetInsightRuleReport ranks the keys. ``throttled``: the most throttled keys, else the most accessed items;
    ``with_sort_key``: the partition+sort key rule (SKC/SKT) instead of the partition key one (PKC/PKT)."""
    check_lab(lab)
    checks.flag("throttled", throttled)
    checks.flag("with_sort_key", with_sort_key)
    low, high = INSIGHT_RULE_REPORT_CONTRIBUTORS_RANGE
    checks.number("count", count, low=low, high=high, integer=True)
    name, _ = _dimensions(lab, table_name, index_name)
    target = {"TableName": name, **({"IndexName": index_name} if index_name else {})}
    described = lab.client.describe_contributor_insights(**target)
    kind = ("SK" if with_sort_key else "PK") + ("T" if throttled else "C")
    found = described.get("ContributorInsightsRuleList") or []
    rule = next((r for r in found if f"-{kind}-" in r), None)
    if rule is None and with_sort_key and any(f"-PK{kind[-1]}-" in r for r in found):
        raise ValueError(tr("with_sort_key=True needs a table (or index) with a sort key; {table} has a partition key "
                            "only", table=name))
    if rule is None:
        raise ValueError(tr("{table}: Contributor Insights has no {kind} rule (status {status}); enable it first "
                            "(dynalab.enable_contributor_insights), with a sort key for the partition+sort key "
                            "rules", table=name, kind=kind, status=described.get("ContributorInsightsStatus")))
    start, end = _window(minutes, start_seconds, None)
    report = lab.cloudwatch.get_insight_rule_report(RuleName=rule, StartTime=start, EndTime=end,
                                                    Period=METRICS_PERIOD_SECONDS, MaxContributorCount=count)
    return [TopKey(tuple(c["Keys"]), float(c["ApproximateAggregateValue"])) for c in report["Contributors"]]


def describe_throttling_reason(reason: str) -> str:
    """A ThrottlingReason's ``reason`` in words: what was throttled (table or index), which kind of request, why."""
    parsed = parse_throttling_reason(reason)
    what = tr("the table") if parsed.resource_type == "Table" else tr("a global secondary index")
    kind = tr("read requests") if parsed.operation_type == "Read" else tr("write requests")
    return tr("{reason}: {kind} on {what} were throttled because {why} (counted in CloudWatch as {metric})",
              reason=reason, kind=kind, what=what, why=tr(_LIMIT_WORDS[parsed.limit_type]), metric=parsed.metric_name)


def throttled_write(lab: Lab, table_name: str, item: dict[str, Any]) -> list[dict[str, str]]:
    """Throttle a provisioned table (nothing banked yet), put ``item`` once without retries, and return the
    ``ThrottlingReasons`` of its ProvisionedThroughputExceededException ([] if it was served). A local engine only."""
    check_lab(lab)
    name, _ = _dimensions(lab, table_name, None)
    shape = tr("an item in boto3's client shape, e.g. {{'pk': {{'S': 'a'}}}}")
    checks.instance("item", item, dict, what=shape)
    if not item or not all(isinstance(k, str) and isinstance(v, dict) and len(v) == 1 for k, v in item.items()):
        raise checks.ParameterTypeError(tr("item must be {shape}; got {item!r:.60}", shape=shape, item=item))
    enforcer = enforce_throughput(lab, name, clock=StepClock())  # a clock that stands still: nothing refills
    try:
        lab.new_client(retries={"mode": "standard", "total_max_attempts": 1}).put_item(TableName=name, Item=item)
    except ClientError as error:
        if error.response["Error"]["Code"] != THROTTLE_CODE:
            raise ValueError(tr("item: DynamoDB refused it ({code}: {message})", code=error.response["Error"][
                "Code"], message=error.response["Error"].get("Message"))) from None
        return list(error.response.get("ThrottlingReasons") or [])
    finally:
        enforcer.stop()
    return []


def export_metrics(lab: Lab, table_name: str, path: str | os.PathLike | None = None, *,
                   metric: str = "ConsumedWriteCapacityUnits", minutes: int = 60) -> Path:
    """Write a table's ``metric`` (Sum per minute) as ``aws cloudwatch get-metric-data`` prints it (the JSON
    ``dynalab.load_workload`` reads, newest first), to ``path`` or a new file in the temporary folder."""
    check_lab(lab)
    checks.choice("metric", metric, ("ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits"))
    name, dimensions = _dimensions(lab, table_name, None)
    start, end = _window(minutes, None, None)
    answer = lab.cloudwatch.get_metric_data(MetricDataQueries=[{**_query(metric, "Sum", dimensions, 1), "Id": "m1"}],
                                            StartTime=start, EndTime=end)
    results = [{"Id": r["Id"], "Label": r["Label"], "Timestamps": [t.astimezone(dt.UTC).isoformat().replace(
        "+00:00", "Z") for t in r["Timestamps"]], "Values": r["Values"], "StatusCode": r["StatusCode"]}
        for r in answer["MetricDataResults"]]
    if path is None:
        handle, path = tempfile.mkstemp(prefix=f"{name}-", suffix=".json")
        os.close(handle)
    elif not isinstance(path, str | os.PathLike) or not str(path).endswith(".json") \
            or not Path(path).parent.is_dir() or Path(path).is_dir():
        raise ValueError(tr("path must name a .json file in a folder that exists (or be None: a new file in the "
                            "temporary folder); got {path!r:.80}", path=path))
    target = Path(path)
    target.write_text(json.dumps({"MetricDataResults": results, "Messages": []}, indent=4), encoding="utf-8")
    return target
