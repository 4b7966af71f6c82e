"""The embedded engine's CloudWatch, made to answer metric reads as CloudWatch does (moto 5.2 differs in three ways).

moto serves CloudWatch on the engine's endpoint (its server dispatches by service), so dynalab's recorder
(``dynalab.fidelity.recorder``) publishes DynamoDB's metrics there with PutMetricData, and any boto3 cloudwatch
client reads them. moto's GetMetricStatistics and GetMetricData differ from CloudWatch's:

* **dimensions**: moto returns every datapoint whose dimensions *include* the ones asked for, so ``TableName=t``
  also summed the table's GSIs (``TableName=t, GlobalSecondaryIndexName=i``) and every ``Operation``; CloudWatch
  matches a metric by its exact set of dimensions ("The TableName dimension returns the WriteThrottleEvents for the
  table, but not for any global secondary indexes") [src:cloudwatch-table-dimension];
* **periods**: moto starts its periods at the first datapoint (GetMetricStatistics) or at the exact StartTime
  (GetMetricData); CloudWatch rounds StartTime down to the whole minute and reports each period from there
  (GetMetricStatistics: "Start time less than 15 days ago - Round down to the nearest whole minute"
  [src:get-metric-statistics-rounding]);
* **namespace**: moto's GetMetricData ignored the namespace of a query that names dimensions.

``use_cloudwatch_periods()`` replaces the two reads on moto's backend class; the embedded engine calls it at start
(``_process.main``). Metric math and Metrics Insights queries still go to moto's own code.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

__all__ = ["use_cloudwatch_periods"]


def _round_down(moment: datetime, period_seconds: int) -> datetime:
    """StartTime as CloudWatch rounds it (under 15 days old: to the minute; a sub-minute period: to the period)."""
    step = period_seconds if period_seconds < 60 else 60
    moment = moment.replace(microsecond=0)
    return moment - timedelta(seconds=(moment.minute * 60 + moment.second) % step)


def _same_metric(datum: Any, namespace: str | None, name: str, dimensions: list[dict[str, Any]]) -> bool:
    if datum.name != name or (namespace is not None and datum.namespace != namespace):
        return False
    wanted = {(d.get("Name"), d.get("Value")) for d in dimensions or []}
    return {(d.name, d.value) for d in datum.dimensions} == wanted


def _periods(data: list[Any], start: datetime, end: datetime, period_seconds: int) -> list[tuple[datetime, list]]:
    """Datapoints grouped by period, periods counted from ``start``; only periods with data, oldest first."""
    grouped: dict[int, list[Any]] = {}
    for datum in data:
        if start <= datum.timestamp < end:
            index = int((datum.timestamp - start).total_seconds() // period_seconds)
            grouped.setdefault(index, []).append(datum)
    return [(start + timedelta(seconds=index * period_seconds), grouped[index]) for index in sorted(grouped)]


def use_cloudwatch_periods() -> None:
    """Make moto's GetMetricStatistics and GetMetricData match metrics exactly and align periods (see above)."""
    from moto.cloudwatch import models

    original_get_metric_data = models.CloudWatchBackend.get_metric_data

    def get_metric_statistics(self: Any, namespace: str, metric_name: str, start_time: datetime,
                              end_time: datetime, period: int, stats: list[str], dimensions: list[dict[str, str]],
                              unit: str | None = None) -> list[Any]:
        start = _round_down(start_time, int(period))
        end = end_time.replace(microsecond=0)
        if start >= end:
            raise models.InvalidParameterValue("The parameter StartTime must be less than the parameter EndTime.")
        data = [d for d in self.get_all_metrics() if _same_metric(d, namespace, metric_name, dimensions)
                and (not unit or d.unit == unit)]
        found = []
        for moment, group in _periods(data, start, end, int(period)):
            statistics = models.Statistics(stats, moment)
            statistics.metric_data = group
            statistics.unit = group[-1].unit
            found.append(statistics)
        return found

    def get_metric_data(self: Any, queries: list[dict[str, Any]], start_time: datetime, end_time: datetime,
                        scan_by: str = "TimestampAscending") -> list[dict[str, Any]]:
        if any(str(q.get("Expression", "")).startswith("SELECT") for q in queries):
            return original_get_metric_data(self, queries, start_time, end_time, scan_by)
        if start_time.replace(microsecond=0) >= end_time.replace(microsecond=0):
            return original_get_metric_data(self, queries, start_time, end_time, scan_by)  # moto's own errors
        results: list[dict[str, Any]] = []
        returned: list[dict[str, Any]] = []
        every = self.get_all_metrics()
        for query in queries:
            if "MetricStat" in query:
                result = _metric_stat(models, every, query, start_time, end_time, scan_by)
            else:
                values, timestamps = models.parse_expression(query["Expression"], results)
                result = {"id": query["Id"], "label": query.get("Label") or query["Id"], "values": values,
                          "timestamps": timestamps, "status_code": "Complete"}
            results.append(result)
            if query.get("ReturnData", True):
                returned.append(result)
        return returned

    models.CloudWatchBackend.get_metric_statistics = get_metric_statistics  # type: ignore[method-assign]
    models.CloudWatchBackend.get_metric_data = get_metric_data  # type: ignore[method-assign]


def _metric_stat(models: Any, every: list[Any], query: dict[str, Any], start_time: datetime, end_time: datetime,
                 scan_by: str) -> dict[str, Any]:
    stat = query["MetricStat"]
    metric = stat["Metric"]
    period = int(stat["Period"])
    start = _round_down(start_time, period)
    data = [d for d in every if _same_metric(d, metric.get("Namespace"), metric["MetricName"],
                                             metric.get("Dimensions", []))
            and (not stat.get("Unit") or d.unit == stat["Unit"])]
    values, timestamps = [], []
    for moment, group in _periods(data, start, end_time.replace(microsecond=0), period):
        statistics = models.Statistics([stat["Stat"]], moment)
        statistics.metric_data = group
        values.append(statistics.get_statistics_for_type(stat["Stat"]))
        timestamps.append(moment)
    if scan_by == "TimestampDescending":
        values.reverse()
        timestamps.reverse()
    return {"id": query["Id"], "label": query.get("Label") or f"{metric['MetricName']} {stat['Stat']}",
            "values": values, "timestamps": timestamps, "status_code": "Complete"}
