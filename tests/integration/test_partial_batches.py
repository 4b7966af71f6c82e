"""Throttled batches served in part, as DynamoDB serves them: the items the table's capacity can take are written
(or read), the others come back in UnprocessedItems / UnprocessedKeys; only when none can be served does the call
fail with ProvisionedThroughputExceededException ([src:batch-write-unprocessed-items])."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

import dynalab
from dynalab.fidelity.throttling import THROTTLE_CODE, enforce_throughput


@pytest.fixture
def no_retries(lab):
    return lab.new_client(retries={"mode": "standard", "total_max_attempts": 1})


def _batch(table: str, keys) -> dict:
    return {table: [{"PutRequest": {"Item": {"pk": {"S": k}, "b": {"B": b"\x00\x01"}}}} for k in keys]}


def test_a_25_item_batch_on_a_5_wcu_table_writes_5_and_hands_back_20(lab, table_name, clock, no_retries):
    dynalab.create_table(lab, table_name, read_capacity_units=5, write_capacity_units=5)
    enforcer = enforce_throughput(lab, table_name, burst_seconds=0, clock=clock)
    try:
        keys = [f"k{i:02d}" for i in range(25)]
        with pytest.raises(ClientError) as refused:  # nothing banked yet: none can be served
            no_retries.batch_write_item(RequestItems=_batch(table_name, keys))
        assert refused.value.response["Error"]["Code"] == THROTTLE_CODE
        clock.advance(1)  # one second at 5 WCU
        answer = no_retries.batch_write_item(RequestItems=_batch(table_name, keys))
        left = answer["UnprocessedItems"][table_name]
        assert len(left) == 20
        assert left[0] == {"PutRequest": {"Item": {"pk": {"S": "k05"}, "b": {"B": b"\x00\x01"}}}}
        stored = sorted(i["pk"]["S"] for i in lab.client.scan(TableName=table_name, ConsistentRead=True)["Items"])
        assert stored == keys[:5]  # the engine wrote exactly the admitted ones
        assert enforcer.unprocessed_items == 20
        assert lab.meter.last("BatchWriteItem").write_units == 5
        # the learner's retry of what came back, a second later, writes 5 more
        clock.advance(1)
        again = no_retries.batch_write_item(RequestItems={table_name: left})
        assert len(again["UnprocessedItems"][table_name]) == 15
        assert len(lab.client.scan(TableName=table_name)["Items"]) == 10
    finally:
        enforcer.stop()


def test_a_throttled_batch_get_hands_back_unprocessed_keys(lab, table_name, clock, no_retries):
    dynalab.create_table(lab, table_name, read_capacity_units=2, write_capacity_units=50)
    keys = [f"k{i}" for i in range(10)]
    lab.client.batch_write_item(RequestItems=_batch(table_name, keys))
    enforcer = enforce_throughput(lab, table_name, burst_seconds=0, clock=clock)
    try:
        clock.advance(1)  # 2 RCU: 4 eventually consistent reads of one block each
        answer = no_retries.batch_get_item(RequestItems={table_name: {
            "Keys": [{"pk": {"S": k}} for k in keys], "ProjectionExpression": "pk"}})
        assert len(answer["Responses"][table_name]) == 4
        left = answer["UnprocessedKeys"][table_name]
        assert left["ProjectionExpression"] == "pk" and len(left["Keys"]) == 6
    finally:
        enforcer.stop()


def test_the_resource_batch_writer_finishes_on_a_throttled_table(lab, table_name):
    table = dynalab.create_table(lab, table_name, read_capacity_units=5, write_capacity_units=20)
    enforcer = enforce_throughput(lab, table_name, burst_seconds=0, initial_burst_seconds=1)
    try:
        with table.batch_writer() as writer:
            for i in range(40):
                writer.put_item(Item={"pk": f"k{i}"})
        assert len(lab.client.scan(TableName=table_name)["Items"]) == 40
        assert enforcer.unprocessed_items > 0
    finally:
        enforcer.stop()
