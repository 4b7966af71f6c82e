"""GSI back-pressure on the embedded engine: each provisioned GSI has its own bucket, and a write its GSI cannot
absorb is throttled on the base table (gsi-throttling.html), with the reason in the error."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

import dynalab
from dynalab.fidelity.throttling import THROTTLE_CODE, enforce_throughput


@pytest.fixture
def no_retries(lab):
    return lab.new_client(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.fixture
def table_with_a_1_wcu_gsi(lab, table_name):
    dynalab.create_table(
        lab, table_name, read_capacity_units=100, write_capacity_units=100,
        extra_attribute_definitions=[("status", "S")],
        GlobalSecondaryIndexes=[{"IndexName": "by_status", "KeySchema": [{"AttributeName": "status",
                                                                           "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "KEYS_ONLY"},
                                 "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 1}}])
    return table_name


def _put(client, table, key, **attributes):
    try:
        client.put_item(TableName=table, Item={"pk": {"S": key}, **{k: {"S": v} for k, v in attributes.items()}})
    except ClientError as error:
        assert error.response["Error"]["Code"] == THROTTLE_CODE
        return error.response
    return None


def test_a_1_wcu_gsi_throttles_base_table_writes_that_carry_its_key(lab, table_with_a_1_wcu_gsi, clock,
                                                                    no_retries):
    table = table_with_a_1_wcu_gsi
    enforcer = enforce_throughput(lab, table, burst_seconds=0, clock=clock)
    try:
        clock.advance(1)  # the table banks 100 WCU, the index 1
        results = [_put(no_retries, table, f"k{i}", status="open") for i in range(3)]
        assert results[0] is None and results[1] is not None and results[2] is not None
        error = results[1]
        assert "by_status" in error["Error"]["Message"]
        assert error["ThrottlingReasons"][0]["reason"] == "IndexWriteProvisionedThroughputExceeded"
        assert error["ThrottlingReasons"][0]["resource"].endswith(f"table/{table}/index/by_status")
        # writes without the index key do not touch the index: the table's own 100 WCU serve them
        assert [_put(no_retries, table, f"plain{i}") for i in range(20)] == [None] * 20
        assert enforcer.throttle_reasons == {"IndexWriteProvisionedThroughputExceeded": 2}
        clock.advance(1)  # the index refills: one more indexed write gets through
        assert _put(no_retries, table, "again", status="open") is None
        assert enforcer.index_units_total[("by_status", "write")] == 2
    finally:
        enforcer.stop()


def test_a_batch_is_served_in_part_under_gsi_back_pressure(lab, table_with_a_1_wcu_gsi, clock, no_retries):
    table = table_with_a_1_wcu_gsi
    enforcer = enforce_throughput(lab, table, burst_seconds=0, clock=clock)
    try:
        clock.advance(1)
        writes = [{"PutRequest": {"Item": {"pk": {"S": f"k{i}"}, "status": {"S": "open"}}}} for i in range(5)]
        writes += [{"PutRequest": {"Item": {"pk": {"S": f"plain{i}"}}}} for i in range(5)]
        answer = no_retries.batch_write_item(RequestItems={table: writes})
        assert len(answer["UnprocessedItems"][table]) == 4  # the index absorbs one indexed item
        assert len(lab.client.scan(TableName=table)["Items"]) == 6
    finally:
        enforcer.stop()


def test_gsi_reads_have_their_own_bucket(lab, table_with_a_1_wcu_gsi, clock, no_retries):
    table = table_with_a_1_wcu_gsi
    enforcer = enforce_throughput(lab, table, burst_seconds=0, clock=clock)
    try:
        clock.advance(1)
        query = {"TableName": table, "IndexName": "by_status", "KeyConditionExpression": "#s = :s",
                 "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "x"}}}
        no_retries.query(**query)  # 1 RCU banked on the index: 0.5 spent
        no_retries.query(**query)
        with pytest.raises(ClientError) as throttled:
            no_retries.query(**query)
        assert throttled.value.response["ThrottlingReasons"][0]["reason"] == "IndexReadProvisionedThroughputExceeded"
        no_retries.get_item(TableName=table, Key={"pk": {"S": "a"}})  # the table's reads are not affected
    finally:
        enforcer.stop()


def test_raising_the_gsi_capacity_with_update_table_ends_the_back_pressure(lab, table_with_a_1_wcu_gsi, clock,
                                                                           no_retries):
    table = table_with_a_1_wcu_gsi
    enforcer = enforce_throughput(lab, table, burst_seconds=0, clock=clock)
    try:
        clock.advance(1)
        assert [_put(no_retries, table, f"k{i}", status="open") is None for i in range(3)] == [True, False, False]
        lab.client.update_table(TableName=table, GlobalSecondaryIndexUpdates=[{"Update": {
            "IndexName": "by_status", "ProvisionedThroughput": {"ReadCapacityUnits": 1, "WriteCapacityUnits": 50}}}])
        clock.advance(1)
        assert [_put(no_retries, table, f"j{i}", status="open") is None for i in range(10)] == [True] * 10
    finally:
        enforcer.stop()


def test_a_gsi_takes_the_tables_capacity_mode(lab, table_name, table_with_a_1_wcu_gsi):
    # [src:gsi-capacity-mode-inherited]: on a provisioned table each GSI has provisioned settings of its own (here 1
    # WCU beside the table's 100); on an on-demand table the GSI is on-demand too, with nothing of its own to set
    provisioned = enforce_throughput(lab, table_with_a_1_wcu_gsi)
    try:
        assert provisioned.write_capacity_units == 100 and set(provisioned.global_secondary_indexes) == {"by_status"}
        assert provisioned.index_balance("by_status", "write") <= 1
    finally:
        provisioned.stop()
    on_demand = f"{table_name}-od"
    dynalab.create_table(lab, on_demand, extra_attribute_definitions=[("status", "S")],
                         GlobalSecondaryIndexes=[{"IndexName": "by_status", "KeySchema": [
                             {"AttributeName": "status", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}])
    described = lab.client.describe_table(TableName=on_demand)["Table"]
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert not (described["GlobalSecondaryIndexes"][0].get("ProvisionedThroughput") or {}).get("WriteCapacityUnits")
    enforcer = enforce_throughput(lab, on_demand)
    try:
        assert enforcer.on_demand and enforcer.global_secondary_indexes == {}
    finally:
        enforcer.stop()
