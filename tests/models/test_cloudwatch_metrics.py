"""DynamoDB's metrics for a call, pinned to AWS's counting rules (metrics-dimensions.html,
TroubleshootingThrottling-cloudwatch.html, API_ThrottlingReason.html)."""

from __future__ import annotations

import pytest

from dynalab.models.cloudwatch_metrics import (
    METRICS,
    CallRecord,
    MinuteAggregator,
    TableUse,
    Throttle,
    parse_throttling_reason,
    provisioned_samples,
    samples,
)


def by_metric(record):
    found = {}
    for sample in samples(record):
        found.setdefault((sample.metric_name, sample.dimensions), []).append(sample.value)
    return found


def test_throttling_reasons_read_as_resource_operation_and_limit_types():
    reason = parse_throttling_reason("TableWriteKeyRangeThroughputExceeded")
    assert (reason.resource_type, reason.operation_type, reason.limit_type) == ("Table", "Write",
                                                                                "KeyRangeThroughputExceeded")
    assert reason.metric_name == "WriteKeyRangeThroughputThrottleEvents"
    assert parse_throttling_reason("IndexReadProvisionedThroughputExceeded").metric_name == \
        "ReadProvisionedThroughputThrottleEvents"
    # the two examples AWS gives
    assert parse_throttling_reason("IndexWriteAccountLimitExceeded").resource_type == "Index"
    assert parse_throttling_reason("TableReadProvisionedThroughputExceeded").operation_type == "Read"
    for bad in ("ProvisionedThroughputExceededException", "TableWriteThrottled", "", None):
        with pytest.raises(ValueError):
            parse_throttling_reason(bad)


def test_every_cause_specific_metric_is_in_the_catalogue():
    for name in ("ReadKeyRangeThroughputThrottleEvents", "WriteMaxOnDemandThroughputThrottleEvents",
                 "WriteAccountLimitThrottleEvents", "ReadProvisionedThroughputThrottleEvents"):
        assert METRICS[name].unit == "Count" and ("TableName", "GlobalSecondaryIndexName") in METRICS[name].dimensions
    assert METRICS["ThrottledRequests"].dimensions == (("TableName", "Operation"),)
    assert METRICS["ConsumedWriteCapacityUnits"].statistics == ("Minimum", "Maximum", "Average", "Sum", "SampleCount")


def test_a_served_put_consumes_on_the_table_and_each_gsi_apart():
    record = CallRecord("PutItem", 0.0, tables=(TableUse("t", 0.0, 2.0, (("g", 0.0, 1.0),)),))
    found = by_metric(record)
    assert found[("ConsumedWriteCapacityUnits", (("TableName", "t"),))] == [2.0]
    assert found[("ConsumedWriteCapacityUnits", (("TableName", "t"), ("GlobalSecondaryIndexName", "g")))] == [1.0]
    assert not any(name.startswith("ConsumedRead") for name, _ in found)


def test_a_throttled_request_counts_once_and_its_events_each():
    """"A single request can result in multiple events ... ThrottledRequests is incremented by one"."""
    batch = CallRecord("BatchWriteItem", 0.0, 400, "ProvisionedThroughputExceededException",
                       throttles=(Throttle("t", None, "TableWriteProvisionedThroughputExceeded", events=10),))
    found = by_metric(batch)
    assert found[("WriteThrottleEvents", (("TableName", "t"),))] == [10.0]
    assert found[("WriteProvisionedThroughputThrottleEvents", (("TableName", "t"),))] == [10.0]
    assert found[("ThrottledRequests", (("TableName", "t"), ("Operation", "BatchWriteItem")))] == [1.0]
    assert ("UserErrors", ()) not in found  # throttles are not user errors


def test_a_batch_served_in_part_is_throttle_events_without_a_throttled_request():
    record = CallRecord("BatchWriteItem", 0.0, tables=(TableUse("t", 0.0, 3.0),),
                        throttles=(Throttle("t", None, "TableWriteProvisionedThroughputExceeded", 7, False),))
    found = by_metric(record)
    assert found[("WriteThrottleEvents", (("TableName", "t"),))] == [7.0]
    assert not any(name == "ThrottledRequests" for name, _ in found)


def test_gsi_back_pressure_throttles_the_index_not_the_table():
    record = CallRecord("PutItem", 0.0, 400, "ProvisionedThroughputExceededException",
                        throttles=(Throttle("t", "g", "IndexWriteProvisionedThroughputExceeded"),))
    found = by_metric(record)
    assert ("WriteThrottleEvents", (("TableName", "t"), ("GlobalSecondaryIndexName", "g"))) in found
    assert ("WriteThrottleEvents", (("TableName", "t"),)) not in found
    assert found[("ThrottledRequests", (("TableName", "t"), ("Operation", "PutItem")))] == [1.0]


def test_errors_and_returned_items():
    query = CallRecord("Query", 0.0, tables=(TableUse("t", 1.5, 0.0, (), 12),))
    assert by_metric(query)[("ReturnedItemCount", (("TableName", "t"), ("Operation", "Query")))] == [12.0]
    failed = CallRecord("PutItem", 0.0, 400, "ConditionalCheckFailedException", (TableUse("t", 0.0, 1.0),))
    assert by_metric(failed)[("ConditionalCheckFailedRequests", (("TableName", "t"),))] == [1.0]
    refused = CallRecord("PutItem", 0.0, 400, "ValidationException", table_names=("t",))
    assert by_metric(refused) == {("UserErrors", ()): [1.0]}


def test_one_statistic_set_per_metric_and_minute():
    aggregator = MinuteAggregator()
    for moment, units in ((60.0, 1.0), (75.0, 3.0), (119.9, 2.0), (120.0, 5.0)):
        aggregator.add(samples(CallRecord("PutItem", moment, tables=(TableUse("t", 0.0, units),))), moment)
    aggregator.add(provisioned_samples("t", 5, 5), 61.0)
    data = {(d["MetricName"], d["Timestamp"]): d for d in aggregator.drain()}
    assert data[("ConsumedWriteCapacityUnits", 60)]["StatisticValues"] == {"SampleCount": 3.0, "Sum": 6.0,
                                                                          "Minimum": 1.0, "Maximum": 3.0}
    assert data[("ConsumedWriteCapacityUnits", 120)]["StatisticValues"]["Sum"] == 5.0
    assert data[("ProvisionedWriteCapacityUnits", 60)]["Dimensions"] == [{"Name": "TableName", "Value": "t"}]
    assert all(d["Unit"] == "Count" for d in data.values())
    assert len(aggregator) == 0 and aggregator.drain() == []
