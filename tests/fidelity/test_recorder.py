"""The recorder's one adapter: a call's CallRecord from the layer's per-call values (no engine)."""

from __future__ import annotations

from dynalab.fidelity.recorder import record_of
from dynalab.fidelity.throttling import THROTTLES_KEY
from dynalab.models.cloudwatch_metrics import Throttle, put_metric_data_requests, samples


def test_a_served_batch_carries_its_units_and_the_items_handed_back():
    request = {"RequestItems": {"t": [{"PutRequest": {"Item": {"pk": {"S": f"k{i}"}}}} for i in range(3)]}}
    withheld = Throttle("t", None, "TableWriteProvisionedThroughputExceeded", 2, whole_request=False)
    context = {"dynalab_consumed": {"t": (0.0, 3.0)}, "dynalab_consumed_indexes": {"t": {"g": (0.0, 1.0)}},
               THROTTLES_KEY: [(withheld, [{"pk": {"S": "k3"}}, {"pk": {"S": "k4"}}])]}
    record = record_of("BatchWriteItem", request, {}, 200, context, now=120.0,
                       insights={("t", None): ("pk",)})
    assert record.tables[0].write_units == 3.0 and record.tables[0].index_units == (("g", 0.0, 1.0),)
    assert record.throttles == (withheld,) and record.timestamp_seconds == 120.0
    served = [k for k in record.keys if k.write_units]
    held = [k for k in record.keys if k.throttle_count]
    assert sorted(k.partition_key for k in served) == ["k0", "k1", "k2"] and served[0].write_units == 1.0
    assert sorted(k.partition_key for k in held) == ["k3", "k4"]
    names = {s.metric_name for s in samples(record)}
    assert "ThrottledRequests" not in names and {"WriteThrottleEvents", "ConsumedWriteCapacityUnits"} <= names


def test_a_throttled_query_names_its_key_and_keys_are_only_kept_for_insights():
    request = {"TableName": "t", "KeyConditionExpression": "#p = :v", "ExpressionAttributeNames": {"#p": "pk"},
               "ExpressionAttributeValues": {":v": {"N": "7"}}}
    throttle = Throttle("t", None, "TableReadKeyRangeThroughputExceeded")
    context = {THROTTLES_KEY: [(throttle, [{"pk": {"N": "7"}}])]}
    parsed = {"Error": {"Code": "ProvisionedThroughputExceededException"}}
    record = record_of("Query", request, parsed, 400, context, insights={("t", None): ("pk",)})
    assert record.error_code == "ProvisionedThroughputExceededException" and record.tables == ()
    assert [(k.partition_key, k.throttle_count) for k in record.keys] == [("7", 1)]
    assert record_of("Query", request, parsed, 400, context).keys == ()  # insights off: no keys kept


def test_control_plane_calls_publish_nothing():
    assert record_of("DescribeTable", {"TableName": "t"}, {}, 200, {}) is None
    assert record_of("ListTables", {}, {}, 200, {}) is None


def test_metric_data_is_sent_in_requests_of_at_most_1000_metrics():
    data = [{"MetricName": f"m{i}"} for i in range(2001)]
    requests = put_metric_data_requests(data)
    assert [len(r) for r in requests] == [1000, 1000, 1] and sum(requests, []) == data
    assert put_metric_data_requests([]) == []
