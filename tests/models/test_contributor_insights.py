"""Contributor Insights for DynamoDB: rule names as AWS names them, ConsumedThroughputUnits, a rule's report."""

from __future__ import annotations

import json

import pytest

from dynalab.models.cloudwatch_metrics import KeyAccess
from dynalab.models.contributor_insights import (
    consumed_throughput_units,
    key_event,
    key_text,
    rule_definition,
    rule_names,
    rule_report,
)


def test_rule_names_follow_aws_examples():
    # DescribeContributorInsights' example answer for a GSI: DynamoDBContributorInsights-PKC-myable-Partition_key-
    # index-1618028180292 (and PKT); a table with a sort key adds SKC and SKT
    names = [r.name for r in rule_names("myable", "Partition_key-index", False, "ACCESSED_AND_THROTTLED_KEYS",
                                        1618028180292)]
    assert names == ["DynamoDBContributorInsights-PKC-myable-Partition_key-index-1618028180292",
                     "DynamoDBContributorInsights-PKT-myable-Partition_key-index-1618028180292"]
    kinds = [r.kind for r in rule_names("Users", None, True, "ACCESSED_AND_THROTTLED_KEYS", 1707744000000)]
    assert kinds == ["PKC", "PKT", "SKC", "SKT"]
    assert [r.kind for r in rule_names("Users", None, True, "THROTTLED_KEYS", 1)] == ["PKT", "SKT"]
    long = rule_names("t" * 255, None, False, "THROTTLED_KEYS", 1707744000000)[0].name
    assert len(long) == 128 and long.endswith("-1707744000000")
    with pytest.raises(ValueError):
        rule_names("t", None, False, "ALL_KEYS", 1)


def test_consumed_throughput_units_weigh_a_write_three_times():
    # "(3 x consumed write capacity units) + consumed read capacity units"; 3,000 RRU x 60 s = 180,000 a minute
    assert consumed_throughput_units(0.5, 2) == 6.5
    assert consumed_throughput_units(3000 * 60, 0) == 180_000 == consumed_throughput_units(0, 1000 * 60)


def test_keys_are_shown_as_text():
    assert key_text({"S": "user#1"}) == "user#1"
    assert key_text({"N": "42"}) == "42"
    assert key_text({"B": b"\x00\x01"}) == "AAE="
    with pytest.raises(ValueError):
        key_text({"S": "a", "N": "1"})


def events(*accesses, at=600.0):
    return [(at + i, json.loads(json.dumps(key_event(a, ("pk", "sk"))))) for i, a in enumerate(accesses)]


def test_the_report_ranks_the_hot_key_first():
    hot = [KeyAccess("t", None, "hot", "1", write_units=1.0) for _ in range(5)]
    cold = [KeyAccess("t", None, f"k{i}", "1", write_units=1.0) for i in range(3)]
    other_table = [KeyAccess("u", None, "hot", "1", write_units=50.0)]
    found = events(*cold, *hot, *other_table)
    report = rule_report(rule_definition("PKC", "t", None, ("pk", "sk")), found, start_seconds=0, end_seconds=1000,
                         period_seconds=60, metrics=["MaxContributorValue", "UniqueContributors"])
    assert report["KeyLabels"] == ["pk"] and report["AggregationStatistic"] == "Sum"
    assert report["Contributors"][0]["Keys"] == ["hot"] and report["Contributors"][0]["ApproximateAggregateValue"] == 15
    assert report["AggregateValue"] == 24 and report["ApproximateUniqueCount"] == 4
    assert report["MetricDatapoints"] == [{"Timestamp": 600, "UniqueContributors": 4.0, "MaxContributorValue": 15.0}]
    top = rule_report(rule_definition("SKC", "t", None, ("pk", "sk")), found, start_seconds=0, end_seconds=1000,
                      period_seconds=60, max_contributors=1)
    assert top["KeyLabels"] == ["pk", "sk"] and top["Contributors"][0]["Keys"] == ["hot", "1"]
    assert len(top["Contributors"]) == 1


def test_throttled_rules_count_throttles_only_and_indexes_apart():
    found = events(KeyAccess("t", None, "a", None, write_units=1.0), KeyAccess("t", None, "b", None, throttle_count=2),
                   KeyAccess("t", "g", "c", None, throttle_count=9))
    table = rule_report(rule_definition("PKT", "t", None, ("pk",)), found, start_seconds=0, end_seconds=1000,
                        period_seconds=60)
    assert [c["Keys"] for c in table["Contributors"]] == [["b"]] and table["AggregateValue"] == 2
    index = rule_report(rule_definition("PKT", "t", "g", ("pk",)), found, start_seconds=0, end_seconds=1000,
                        period_seconds=60)
    assert [c["Keys"] for c in index["Contributors"]] == [["c"]]
    outside = rule_report(rule_definition("PKT", "t", None, ("pk",)), found, start_seconds=0, end_seconds=600,
                          period_seconds=60)
    assert outside["Contributors"] == []


def test_a_custom_count_rule_and_bad_definitions():
    rule = {"Schema": {"Name": "CloudWatchLogRule", "Version": 1}, "AggregateOn": "Count",
            "Contribution": {"Keys": ["$.ip"], "Filters": [{"Match": "$.status", "EqualTo": 500}]}}
    found = [(1.0, {"ip": "a", "status": 500}), (2.0, {"ip": "a", "status": 200}), (3.0, {"ip": "b", "status": 500}),
             (4.0, {"ip": "a", "status": 500})]
    report = rule_report(rule, found, start_seconds=0, end_seconds=10, period_seconds=5, order_by="Maximum")
    assert [(c["Keys"], c["ApproximateAggregateValue"]) for c in report["Contributors"]] == [(["a"], 2), (["b"], 1)]
    for bad in ("not json", {"Contribution": {"Keys": []}}, {"AggregateOn": "Sum", "Contribution": {"Keys": ["$.a"]}}):
        with pytest.raises(ValueError):
            rule_report(bad, found, start_seconds=0, end_seconds=10, period_seconds=5)
