"""Bring your own table: a CloudWatch export of ConsumedReadCapacityUnits / ConsumedWriteCapacityUnits as a workload.

Two shapes are read (``dynalab.load_workload(path)`` hands a path here):

* the JSON that ``aws cloudwatch get-metric-data`` prints: ``{"MetricDataResults": [{"Id", "Label", "Timestamps",
  "Values", "StatusCode"}, ...]}``, newest first; (``get-metric-statistics``'s ``{"Label", "Datapoints":
  [{"Timestamp", "Sum"}]}`` too);
* a CSV of two columns, the timestamp (ISO 8601 or Unix seconds) and the period's **Sum**, with or without a
  header row.

DynamoDB publishes these metrics per minute; the **Sum** over a minute divided by 60 is the average units per
second of that minute ([src:cloudwatch-one-minute-sums]; ConsumedReadCapacityUnits: "get the Sum value over a span
of one minute, and divide it by the number of seconds in a minute (60)"). A coarser period (5 minutes) is divided by its
own seconds and repeated per minute. CloudWatch leaves out a minute without traffic: a gap is filled with 0 units/s,
and the description says how many were filled. Rows may come in any order; two values for one time are an error.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import reduce
from pathlib import Path
from typing import Any

import numpy as np

from dynalab.i18n import tr

__all__ = ["METRICS", "CloudWatchSeries", "read_cloudwatch_export", "units_per_second_per_minute"]

METRICS = ("ConsumedReadCapacityUnits", "ConsumedWriteCapacityUnits")
_SECONDS_PER_MINUTE = 60
#: a longer export than this many minutes (a year) is refused: a bad timestamp, not a workload
_MAX_MINUTES = 366 * 1440


@dataclass(frozen=True)
class CloudWatchSeries:
    """An export read: what ``dynalab.load_workload(path)`` turns into a ``Workload``."""

    name: str  # the file's stem
    description: str
    demand: np.ndarray  # units per second, one value per minute
    start_seconds: float  # Unix time of the first minute
    filled_minutes: int  # minutes without a datapoint, counted as 0


def _when(text: Any, where: str) -> float:
    """Unix seconds from an ISO 8601 timestamp (naive means UTC) or a number of Unix seconds."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text)
    if not isinstance(text, str) or not text.strip():
        raise ValueError(tr("{where}: a timestamp must be ISO 8601 text or Unix seconds; got {text!r}", where=where,
                            text=text))
    value = text.strip()
    try:
        return float(value)
    except ValueError:
        pass
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(tr("{where}: {value!r} is not an ISO 8601 timestamp (such as 2026-11-30T12:00:00Z)",
                            where=where, value=value)) \
            from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _sum(value: Any, where: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(tr("{where}: a Sum must be a number of capacity units; got {value!r}", where=where,
                            value=value)) from None
    if isinstance(value, bool) or not math.isfinite(number) or number < 0:
        raise ValueError(tr("{where}: a Sum must be a finite number of units >= 0; got {value!r}", where=where,
                            value=value))
    return number


def units_per_second_per_minute(times_seconds: Sequence[float], sums: Sequence[float],
                                where: str = "export") -> tuple[np.ndarray, float, int]:
    """(units per second for each minute from the first datapoint to the last, start time, minutes filled).

    The period is the largest whole number of minutes that divides every gap between datapoints (1 minute for
    DynamoDB's metrics; one datapoint alone counts as a minute). Each Sum is divided by its period's seconds.
    """
    if len(times_seconds) != len(sums):
        raise ValueError(tr("{where}: {n_times_seconds} timestamps but {n_sums} values", where=where,
                            n_times_seconds=len(times_seconds), n_sums=len(sums)))
    if not times_seconds:
        raise ValueError(tr("{where}: no datapoints (is the metric name, table or time range right?)", where=where))
    order = sorted(range(len(times_seconds)), key=lambda i: times_seconds[i])
    times = [times_seconds[i] for i in order]
    values = [sums[i] for i in order]
    for earlier, later in zip(times, times[1:], strict=False):
        if later == earlier:
            moment = datetime.fromtimestamp(later, UTC).isoformat()
            raise ValueError(tr("{where}: two datapoints for {moment}; an export has one per period", where=where,
                                moment=moment))
    gaps = [round(later - earlier) for earlier, later in zip(times, times[1:], strict=False)]
    if any(gap % _SECONDS_PER_MINUTE for gap in gaps):
        raise ValueError(tr("{where}: datapoints must be whole minutes apart (DynamoDB publishes per minute); got a "
                            "gap of {value} s", where=where,
                            value=next(g for g in gaps if g % _SECONDS_PER_MINUTE)))
    period_minutes = reduce(math.gcd, (gap // _SECONDS_PER_MINUTE for gap in gaps), 0) or 1
    minutes = round((times[-1] - times[0]) / _SECONDS_PER_MINUTE) + period_minutes
    if minutes > _MAX_MINUTES:
        raise ValueError(tr("{where}: the datapoints span {minutes:,} minutes; at most a year ({max_minutes:,}) is "
                            "read", where=where, minutes=minutes, max_minutes=_MAX_MINUTES))
    demand = np.zeros(minutes)
    seen = np.zeros(minutes, dtype=bool)
    for moment, value in zip(times, values, strict=True):
        first = round((moment - times[0]) / _SECONDS_PER_MINUTE)
        demand[first:first + period_minutes] = value / (period_minutes * _SECONDS_PER_MINUTE)
        seen[first:first + period_minutes] = True
    return demand, times[0], int((~seen).sum())


def _from_json(document: Any, metric: str | None, where: str) -> tuple[str, list[float], list[float]]:
    if not isinstance(document, dict):
        raise ValueError(tr("{where}: expected the JSON of 'aws cloudwatch get-metric-data' (an object with "
                            "MetricDataResults); got {kind}", where=where, kind=type(document).__name__))
    if "Datapoints" in document:  # get-metric-statistics
        label = str(document.get("Label", ""))
        if metric is not None and metric != label:
            raise ValueError(tr("{where}: holds {label!r}, not {metric!r}", where=where, label=label, metric=metric))
        points = document["Datapoints"]
        if not isinstance(points, list) or any(not isinstance(p, dict) for p in points):
            raise ValueError(tr("{where}: Datapoints must be a list of objects with Timestamp and Sum", where=where))
        if points and "Sum" not in points[0]:
            found = sorted(set(points[0]) - {"Timestamp", "Unit"})
            raise ValueError(tr("{where}: the export needs the Sum statistic (--statistics Sum); got {found}",
                                where=where, found=found))
        return (label, [_when(p.get("Timestamp"), where) for p in points],
                [_sum(p.get("Sum"), where) for p in points])
    results = document.get("MetricDataResults")
    if not isinstance(results, list) or not results:
        raise ValueError(tr("{where}: no MetricDataResults (expected the JSON 'aws cloudwatch get-metric-data' prints)",
                            where=where))
    names = [f"{r.get('Label')} (Id {r.get('Id')})" if isinstance(r, dict) else repr(r) for r in results]
    if metric is None:
        if len(results) > 1:
            raise ValueError(tr("{where}: holds {n_results} metrics ({names}); choose one with metric= (its Label or "
                                "Id, e.g. {metrics!r})", where=where, n_results=len(results), names=', '.join(names),
                                metrics=METRICS[1]))
        chosen = results[0]
    else:
        matches = [r for r in results if isinstance(r, dict) and metric in (r.get("Label"), r.get("Id"))]
        if not matches:
            raise ValueError(tr("{where}: no metric with Label or Id {metric!r}; it holds {names}", where=where,
                                metric=metric, names=', '.join(names)))
        chosen = matches[0]
    if not isinstance(chosen, dict) or not isinstance(chosen.get("Timestamps"), list) \
            or not isinstance(chosen.get("Values"), list):
        raise ValueError(tr("{where}: a MetricDataResult needs the lists Timestamps and Values", where=where))
    return (str(chosen.get("Label") or chosen.get("Id") or ""), [_when(t, where) for t in chosen["Timestamps"]],
            [_sum(v, where) for v in chosen["Values"]])


def _from_csv(text: str, where: str) -> tuple[list[float], list[float]]:
    rows = [row for row in csv.reader(text.splitlines()) if row and any(cell.strip() for cell in row)]
    if rows:
        try:
            _when(rows[0][0], where)
        except ValueError:
            rows = rows[1:]  # a header row: its first cell is no timestamp
    times, sums = [], []
    for number, row in enumerate(rows, start=1):
        if len(row) != 2:
            raise ValueError(tr("{where}: row {number} must have two columns, timestamp and Sum; got {row!r}",
                                where=where, number=number, row=row))
        times.append(_when(row[0], tr("{where} row {number}", where=where, number=number)))
        sums.append(_sum(row[1], tr("{where} row {number}", where=where, number=number)))
    return times, sums


class ExportNotFoundError(FileNotFoundError, ValueError):
    """No CloudWatch export at that path: a FileNotFoundError, and a ValueError (a bad argument)."""


def read_cloudwatch_export(path: str | os.PathLike, metric: str | None = None) -> CloudWatchSeries:
    """Units per second, one value per minute, from a CloudWatch export file (.json or .csv).

    ``metric`` picks one result of a get-metric-data export that holds several (its Label or Id).
    """
    file = Path(path)
    if not file.is_file():
        raise ExportNotFoundError(tr("path: CloudWatch export {value!r} not found (looked from {value2})",
                                     value=str(path), value2=os.getcwd()))
    where = tr("CloudWatch export {name}", name=file.name)
    text = file.read_text(encoding="utf-8")
    suffix = file.suffix.lower()
    if suffix == ".json":
        try:
            document = json.loads(text)
        except ValueError as error:
            raise ValueError(tr("{where} is not valid JSON: {error}", where=where, error=error)) from None
        label, times, sums = _from_json(document, metric, where)
    elif suffix == ".csv":
        label = metric or tr("consumed capacity units")
        times, sums = _from_csv(text, where)
    else:
        raise ValueError(tr("{where}: the name must end in .json (aws cloudwatch get-metric-data) or .csv "
                            "(timestamp,Sum); got {suffix!r}", where=where, suffix=file.suffix))
    demand, start, filled = units_per_second_per_minute(times, sums, where)
    begins = datetime.fromtimestamp(start, UTC).strftime("%Y-%m-%d %H:%M")
    gaps = tr(", {filled} minute(s) without a datapoint counted as 0", filled=filled) if filled else ""
    description = (tr("CloudWatch export {name}: {label}, {size:,} minutes from {begins} UTC (Sum per minute / "
                      "60{gaps})", name=file.name, label=label, size=demand.size, begins=begins, gaps=gaps))
    return CloudWatchSeries(file.stem, description, demand, start, filled)
