"""The recorder's one adapter: a call's CallRecord from the layer's typed record of the call (no engine)."""

from __future__ import annotations

from dynalab.fidelity.call import Call, IndexUnits, TableUnits
from dynalab.fidelity.call import Throttle as ThrottleNote
from dynalab.fidelity.catalog import TableInfo
from dynalab.fidelity.partiql import translate
from dynalab.fidelity.recorder import record_of
from dynalab.models.cloudwatch_metrics import Throttle, put_metric_data_requests, samples


class _Catalog:
    def info(self, table):
        return TableInfo(("pk",), (), {"pk": "S"}) if table == "users" else None


def _call(operation: str, request: dict, status_code: int = 200, parsed: dict | None = None) -> Call:
    call = Call(operation, request)
    call.status_code, call.parsed = status_code, parsed or {}
    return call


def test_a_served_batch_carries_its_units_and_the_items_handed_back():
    request = {"RequestItems": {"t": [{"PutRequest": {"Item": {"pk": {"S": f"k{i}"}}}} for i in range(3)]}}
    withheld = Throttle("t", None, "TableWriteProvisionedThroughputExceeded", 2, whole_request=False)
    call = _call("BatchWriteItem", request)
    call.units["t"] = TableUnits(0.0, 3.0, {"g": IndexUnits(0.0, 1.0, True)})
    call.throttles.append(ThrottleNote("t", None, "TableWriteProvisionedThroughputExceeded", "arn", 2, False,
                                       ({"pk": {"S": "k3"}}, {"pk": {"S": "k4"}})))
    record = record_of(call, now=120.0, insights={("t", None): ("pk",)})
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
    parsed = {"Error": {"Code": "ProvisionedThroughputExceededException"}}
    call = _call("Query", request, 400, parsed)
    call.throttles.append(ThrottleNote("t", None, "TableReadKeyRangeThroughputExceeded", "arn",
                                       keys=({"pk": {"N": "7"}},)))
    record = record_of(call, insights={("t", None): ("pk",)})
    assert record.error_code == "ProvisionedThroughputExceededException" and record.tables == ()
    assert record.throttles == (Throttle("t", None, "TableReadKeyRangeThroughputExceeded"),)
    assert [(k.partition_key, k.throttle_count) for k in record.keys] == [("7", 1)]
    assert record_of(call).keys == ()  # insights off: no keys kept


def test_control_plane_calls_publish_nothing():
    assert record_of(_call("DescribeTable", {"TableName": "t"})) is None
    assert record_of(_call("ListTables", {})) is None


def test_a_partiql_call_is_recorded_with_the_keys_its_statement_ran_on():
    # the record holds what the statement runs: here the GetItem a keyed SELECT translates to
    call = Call("ExecuteStatement", {"Statement": "SELECT * FROM users WHERE pk = 'a'"}, catalog=_Catalog(),
                translator=translate)
    call.status_code = 200
    assert [run.operation for run in call.runs] == ["GetItem"]
    call.units["users"] = TableUnits(0.5, 0.0)
    record = record_of(call, now=60.0, insights={("users", None): ("pk",)})
    assert record.operation == "ExecuteStatement" and record.table_names == ("users",)
    assert [(k.partition_key, k.read_units) for k in record.keys] == [("a", 0.5)]
    assert ("ConsumedReadCapacityUnits", (("TableName", "users"),), 0.5) in [
        (s.metric_name, s.dimensions, s.value) for s in samples(record)]


def test_metric_data_is_sent_in_requests_of_at_most_1000_metrics():
    data = [{"MetricName": f"m{i}"} for i in range(2001)]
    requests = put_metric_data_requests(data)
    assert [len(r) for r in requests] == [1000, 1000, 1] and sum(requests, []) == data
    assert put_metric_data_requests([]) == []
