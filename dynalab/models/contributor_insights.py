"""CloudWatch Contributor Insights for DynamoDB: its rules, what it counts per key, and the report of a rule.

When Contributor Insights is enabled on a table or GSI, DynamoDB creates CloudWatch rules "on your behalf"
(contributorinsights_HowItWorks.html [A23], read 2026-12) [src:contributor-insights-rule-names]:

* ``DynamoDBContributorInsights-PKC-[resource_name]-[creationtimestamp]``: most accessed items (partition key);
* ``DynamoDBContributorInsights-PKT-...``: most throttled keys (partition key);
* with a sort key, also ``SKC`` and ``SKT``: the same for partition and sort key pairs.

``resource_name`` is the table's name, or ``table-index`` for a GSI; the timestamp is in milliseconds (an example
answer of DescribeContributorInsights: ``DynamoDBContributorInsights-PKC-myable-Partition_key-index-1618028180292``).
The THROTTLED_KEYS mode keeps only the throttled-key rules (ContributorInsightsMode, API_UpdateContributorInsights).

Access is ranked by ``ConsumedThroughputUnits`` = 3 x write units + read units, throttling by ``ThrottleCount``
(the count of throttling errors) [src:contributor-insights-units]. dynalab's engine keeps each key's share as a
JSON event in its CloudWatch Logs (``LOG_GROUP``) and each rule as a CloudWatch ``CloudWatchLogRule`` over it
(``rule_definition``); ``rule_report`` answers GetInsightRuleReport for any such rule (dynalab's subset of the rule
syntax: ``Keys``, ``ValueOf``, ``AggregateOn`` Sum or Count, ``Filters`` with In, NotIn, EqualTo, GreaterThan,
LessThan, IsPresent and StartsWith). Pure: the engine and the stand-in do the I/O.
"""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dynalab.i18n import tr
from dynalab.models.cloudwatch_metrics import KeyAccess
from dynalab.models.quotas import (
    CONSUMED_THROUGHPUT_UNITS_PER_WRITE_UNIT,
    INSIGHT_RULE_NAME_MAX_LENGTH,
)

__all__ = [
    "LOG_GROUP", "LOG_STREAM", "MODES", "RULE_KINDS", "RULE_PREFIX", "InsightRule", "consumed_throughput_units",
    "key_event", "key_text", "rule_definition", "rule_names", "rule_report",
]

RULE_PREFIX = "DynamoDBContributorInsights"
#: ContributorInsightsMode (API_UpdateContributorInsights.html, read 2026-12); the first is the default.
MODES = ("ACCESSED_AND_THROTTLED_KEYS", "THROTTLED_KEYS")
#: The four rules: (kind, with the sort key, counts throttling, what AWS calls it).
RULE_KINDS = {
    "PKC": (False, False, "Most accessed items (partition key)"),
    "PKT": (False, True, "Most throttled keys (partition key)"),
    "SKC": (True, False, "Most accessed keys (partition and sort keys)"),
    "SKT": (True, True, "Most throttled keys (partition and sort keys)"),
}
#: dynalab's: where the engine keeps the per-key events its rules read (no AWS name: DynamoDB's own are hidden).
LOG_GROUP = "/dynalab/dynamodb/contributor-insights"
LOG_STREAM = "events"
_STATISTICS = ("UniqueContributors", "MaxContributorValue", "SampleCount", "Sum", "Minimum", "Maximum", "Average")


def consumed_throughput_units(read_units: float, write_units: float) -> float:
    """ConsumedThroughputUnits: "(3 x consumed write capacity units) + consumed read capacity units"."""
    return CONSUMED_THROUGHPUT_UNITS_PER_WRITE_UNIT * write_units + read_units


def key_text(value: Mapping[str, Any]) -> str:
    """A typed key value as the graphs show it: a string as is, a number's digits, binary as base64."""
    if not isinstance(value, Mapping) or len(value) != 1:
        raise ValueError(tr("a key value is one typed attribute value such as {{'S': 'a'}}; got {value!r:.60}",
                            value=value))
    ((kind, inner),) = value.items()
    if kind == "B" and isinstance(inner, bytes | bytearray):
        return base64.b64encode(bytes(inner)).decode()
    return str(inner)


@dataclass(frozen=True)
class InsightRule:
    """One rule DynamoDB would create: its name and kind (PKC, PKT, SKC, SKT)."""

    name: str
    kind: str


def rule_names(table_name: str, index_name: str | None, has_sort_key: bool, mode: str,
               created_milliseconds: int) -> list[InsightRule]:
    """The rules DynamoDB creates for a table (or GSI) in ``mode``, named as AWS names them."""
    if mode not in MODES:
        raise ValueError(tr("mode must be one of {modes}; got {mode!r}", modes=", ".join(MODES), mode=mode))
    resource = table_name if index_name is None else f"{table_name}-{index_name}"
    suffix = f"-{int(created_milliseconds)}"
    rules = []
    for kind, (sort_key, throttled, _) in RULE_KINDS.items():
        if (sort_key and not has_sort_key) or (mode == "THROTTLED_KEYS" and not throttled):
            continue
        head = f"{RULE_PREFIX}-{kind}-"
        # A rule name holds at most 128 characters; a long table name is cut (never the kind or the timestamp).
        room = INSIGHT_RULE_NAME_MAX_LENGTH - len(head) - len(suffix)
        rules.append(InsightRule(head + resource[:room].rstrip("-_.") + suffix, kind))
    return rules


def key_event(access: KeyAccess, key_names: Sequence[str]) -> dict[str, Any]:
    """The JSON event the engine keeps for one key's share of a call (``key_names``: the key attributes' names)."""
    keys = {key_names[0]: access.partition_key}
    if access.sort_key is not None and len(key_names) > 1:
        keys[key_names[1]] = access.sort_key
    event: dict[str, Any] = {"table": access.table_name, "keys": keys,
                             "ConsumedThroughputUnits": consumed_throughput_units(access.read_units,
                                                                                  access.write_units),
                             "ThrottleCount": access.throttle_count}
    if access.index_name is not None:
        event["index"] = access.index_name
    return event


def rule_definition(kind: str, table_name: str, index_name: str | None, key_names: Sequence[str]) -> dict[str, Any]:
    """A CloudWatchLogRule over the engine's key events that ranks what ``kind`` ranks (dynalab's definition: AWS does
    not publish the definitions of DynamoDB's managed rules)."""
    sort_key, throttled, _ = RULE_KINDS[kind]
    names = list(key_names[:2] if sort_key else key_names[:1])
    value = "$.ThrottleCount" if throttled else "$.ConsumedThroughputUnits"
    filters: list[dict[str, Any]] = [{"Match": "$.table", "In": [table_name]}, {"Match": value, "GreaterThan": 0}]
    filters.append({"Match": "$.index", "In": [index_name]} if index_name is not None else
                   {"Match": "$.index", "IsPresent": False})
    filters.extend({"Match": f"$.keys.{name}", "IsPresent": True} for name in names)
    return {"Schema": {"Name": "CloudWatchLogRule", "Version": 1}, "LogGroupNames": [LOG_GROUP], "LogFormat": "JSON",
            "Contribution": {"Keys": [f"$.keys.{name}" for name in names], "ValueOf": value, "Filters": filters},
            "AggregateOn": "Sum"}


# ------------------------------------------------------------------------------------------------ the report

_MISSING = object()


def _at(event: Mapping[str, Any], path: str) -> Any:
    """The value at a JSON path like ``$.keys.pk`` (``_MISSING`` if absent)."""
    if not isinstance(path, str) or not path.startswith("$."):
        return _MISSING
    value: Any = event
    for part in path[2:].split("."):
        if not isinstance(value, Mapping) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _passes(event: Mapping[str, Any], check: Mapping[str, Any]) -> bool:
    value = _at(event, check.get("Match", ""))
    if "IsPresent" in check:
        return (value is not _MISSING) == bool(check["IsPresent"])
    if value is _MISSING:
        return False
    if "In" in check:
        return value in check["In"]
    if "NotIn" in check:
        return value not in check["NotIn"]
    if "EqualTo" in check:
        return value == check["EqualTo"]
    if "StartsWith" in check:
        return isinstance(value, str) and any(value.startswith(p) for p in check["StartsWith"])
    number = _number(value)
    if "GreaterThan" in check:
        return number is not None and number > float(check["GreaterThan"])
    if "LessThan" in check:
        return number is not None and number < float(check["LessThan"])
    return True


def _parse_definition(definition: Mapping[str, Any] | str) -> tuple[list[str], str | None, list[dict], str]:
    if isinstance(definition, str):
        try:
            definition = json.loads(definition)
        except ValueError:
            raise ValueError(tr("the rule's definition is not JSON")) from None
    contribution = definition.get("Contribution") if isinstance(definition, Mapping) else None
    if not isinstance(contribution, Mapping) or not isinstance(contribution.get("Keys"), list) \
            or not 1 <= len(contribution["Keys"]) <= 4:
        raise ValueError(tr("the rule needs Contribution.Keys: 1 to 4 JSON paths such as $.ip"))
    aggregate = definition.get("AggregateOn", "Count")
    if aggregate not in ("Sum", "Count") or (aggregate == "Sum" and not contribution.get("ValueOf")):
        raise ValueError(tr("the rule's AggregateOn must be Count, or Sum with Contribution.ValueOf; got {value!r}",
                            value=aggregate))
    return list(contribution["Keys"]), contribution.get("ValueOf") if aggregate == "Sum" else None, \
        list(contribution.get("Filters") or []), aggregate


def _observations(definition: Mapping[str, Any] | str, events: Iterable[tuple[float, Mapping[str, Any]]],
                  start_seconds: float, end_seconds: float
                  ) -> tuple[list[str], str, list[tuple[float, tuple[str, ...], float]]]:
    key_paths, value_path, filters, aggregate = _parse_definition(definition)
    found = []
    for timestamp, event in events:
        if not start_seconds <= timestamp < end_seconds or not isinstance(event, Mapping):
            continue
        if not all(_passes(event, check) for check in filters if isinstance(check, Mapping)):
            continue
        keys = [_at(event, path) for path in key_paths]
        if any(key is _MISSING for key in keys):
            continue
        value = 1.0 if value_path is None else _number(_at(event, value_path))
        if value is not None:
            found.append((timestamp, tuple(str(key) for key in keys), value))
    return key_paths, aggregate, found


def rule_report(definition: Mapping[str, Any] | str, events: Iterable[tuple[float, Mapping[str, Any]]], *,
                start_seconds: float, end_seconds: float, period_seconds: int, max_contributors: int = 10,
                metrics: Sequence[str] = (), order_by: str = "Sum") -> dict[str, Any]:
    """GetInsightRuleReport's answer for a CloudWatchLogRule over ``events`` ((Unix seconds, JSON object) pairs).

    Datapoints are per ``period_seconds`` from the period boundary before ``start_seconds``; contributors are ranked
    by their sum over the range (``order_by="Sum"``) or their largest period (``"Maximum"``), the top
    ``max_contributors`` kept. Timestamps in the answer are Unix seconds.
    """
    key_paths, aggregate, found = _observations(definition, events, start_seconds, end_seconds)
    by_key: dict[tuple[str, ...], dict[int, float]] = {}
    periods: dict[int, list[float]] = {}
    for timestamp, keys, value in found:
        period = int(math.floor(timestamp / period_seconds) * period_seconds)
        by_key.setdefault(keys, {})
        by_key[keys][period] = by_key[keys].get(period, 0.0) + value
        periods.setdefault(period, []).append(value)
    totals = {keys: (max(points.values()) if order_by == "Maximum" else sum(points.values()))
              for keys, points in by_key.items()}
    ranked = sorted(by_key, key=lambda keys: (-totals[keys], keys))[:max_contributors]
    contributors = [{"Keys": list(keys), "ApproximateAggregateValue": totals[keys],
                     "Datapoints": [{"Timestamp": period, "ApproximateValue": value}
                                    for period, value in sorted(by_key[keys].items())]} for keys in ranked]
    datapoints = []
    for period, values in sorted(periods.items()):
        if not metrics:
            break
        per_key = [points[period] for points in by_key.values() if period in points]
        stats = {"UniqueContributors": float(len(per_key)), "MaxContributorValue": max(per_key),
                 "SampleCount": float(len(values)), "Sum": sum(values), "Minimum": min(values),
                 "Maximum": max(values), "Average": sum(values) / len(values)}
        datapoints.append({"Timestamp": period, **{name: stats[name] for name in _STATISTICS if name in metrics}})
    return {"KeyLabels": [path.rsplit(".", 1)[-1] for path in key_paths], "AggregationStatistic": aggregate,
            "AggregateValue": sum(value for _, _, value in found), "ApproximateUniqueCount": len(by_key),
            "Contributors": contributors, "MetricDatapoints": datapoints}
