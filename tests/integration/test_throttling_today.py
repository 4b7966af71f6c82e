"""Live per-partition throttling in today's mode: adaptive capacity up to the table's total, split for heat, and
the 3,000 read / 1,000 write units a second each partition is designed for, binding one item, or one partition-key
value where the item collection cannot be split [src:partition-3000-1000], [src:hot-key-per-item]. A step clock
makes every count exact."""

from __future__ import annotations

import pytest

import dynalab
from dynalab.fidelity.throttling import ThroughputEnforcer, enforce_throughput
from dynalab.models.clock import StepClock
from dynalab.models.key_distributions import key_distribution
from dynalab.widgets.partitions import load_tested_table, run_hot_key_test


@pytest.fixture
def today_table(lab, table_name):
    dynalab.create_table(lab, table_name, partition_key=("pk", "S"), read_capacity_units=5,
                         write_capacity_units=5000)
    clock = StepClock()
    enforcer = enforce_throughput(lab, table_name, per_partition=True, burst_seconds=0, clock=clock)
    yield table_name, clock, enforcer
    enforcer.stop()


def test_a_single_key_cannot_pass_1000_writes_a_second(lab, today_table):
    table_name, clock, enforcer = today_table
    assert enforcer.partition_mode == "today"
    result = run_hot_key_test(lab, table_name, ["hot"] * 400, writes_per_second=2000, clock=clock)
    assert result.throttled == pytest.approx(200, abs=2)  # 2,000 asked of one key, 1,000 a second served
    assert "today" in result.describe() and "1,000 WCU/s" in result.describe()


def test_many_keys_share_the_table_capacity_with_no_key_ceiling_in_the_way(lab, today_table):
    table_name, clock, _ = today_table
    result = run_hot_key_test(lab, table_name, [f"k{i}" for i in range(400)], writes_per_second=2000, clock=clock)
    assert result.throttled == 0  # 2,000 writes/s of 5,000 WCU, each key far under 1,000


def test_today_the_load_tested_table_serves_the_skewed_devices(lab, table_name):
    # The 2017 model throttles about half of these writes (tests/integration/test_partition_placement.py).
    table = load_tested_table(lab, table_name, partition_mode="today")
    try:
        keys = key_distribution("skewed_device_ids").sample_keys(400, seed=3)
        result = run_hot_key_test(lab, table.table_name, keys, writes_per_second=400, clock=table.clock)
    finally:
        table.throttling.stop()
    assert result.throttled == 0


def test_a_bad_partition_mode_is_refused():
    with pytest.raises(ValueError, match="partition_mode must be one of 'today', '2017'"):
        ThroughputEnforcer("t-x", 5, 5, per_partition=True, partition_mode="2019")


def test_a_batch_of_one_hot_key_is_served_in_part_up_to_the_key_ceiling(lab, table_name):
    dynalab.create_table(lab, table_name, partition_key=("pk", "S"), sort_key=("sk", "N"), read_capacity_units=5,
                         write_capacity_units=5000)
    clock = StepClock()
    # sk 0, 1, 2 ...: a sort key that only grows, so the key's items are not split: the ceiling binds the key
    enforcer = enforce_throughput(lab, table_name, per_partition=True, burst_seconds=0, clock=clock,
                                  monotonic_sort_key=True)
    try:
        clock.advance(0.01)  # the key's bucket has filled 1,000 x 0.01 = 10 units, the table's 50
        client = lab.new_client(retries={"mode": "standard", "total_max_attempts": 1})
        writes = [{"PutRequest": {"Item": {"pk": {"S": "hot"}, "sk": {"N": str(n)}}}} for n in range(25)]
        answer = client.batch_write_item(RequestItems={table_name: writes})
    finally:
        enforcer.stop()
    assert len(answer["UnprocessedItems"][table_name]) == 15  # 10 written, the key's ceiling holds the rest


@pytest.mark.parametrize("table_kind, throttled", [("sort key", 0), ("sort key that only grows", 200),
                                                   ("sort key and an LSI", 200)])
def test_today_the_ceiling_binds_an_item_where_the_collection_can_split(lab, table_name, table_kind, throttled):
    # [src:hot-key-per-item]: 400 writes at 2,000 a second under one partition key, each to its own item: split by
    # sort key the items share nothing; with a monotonic sort key or an LSI the key's 1,000 a second binds them all
    extra = {}
    if table_kind.endswith("LSI"):
        extra = {"extra_attribute_definitions": [("placed", "S")],
                 "LocalSecondaryIndexes": [{"IndexName": "by-placed", "Projection": {"ProjectionType": "KEYS_ONLY"},
                                            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                          {"AttributeName": "placed", "KeyType": "RANGE"}]}]}
    dynalab.create_table(lab, table_name, partition_key=("pk", "S"), sort_key=("sk", "S"), read_capacity_units=5,
                         write_capacity_units=5000, **extra)
    clock = StepClock()
    enforcer = enforce_throughput(lab, table_name, per_partition=True, burst_seconds=0, clock=clock,
                                  monotonic_sort_key=table_kind.endswith("grows"))
    assert enforcer.item_collections_split == (throttled == 0)
    client = lab.new_client(retries={"mode": "legacy", "max_attempts": 0})
    refused, reasons = 0, set()
    try:
        for n in range(400):
            clock.advance(1 / 2000)
            try:
                client.put_item(TableName=table_name, Item={"pk": {"S": "device-1"}, "sk": {"S": f"{n:05d}"}})
            except client.exceptions.ProvisionedThroughputExceededException as error:
                refused += 1
                reasons |= {r["reason"] for r in error.response.get("ThrottlingReasons", [])}
    finally:
        enforcer.stop()
    assert refused == pytest.approx(throttled, abs=2)
    # [src:throttling-reasons]: the error says which limit: the key range's
    assert reasons == (set() if throttled == 0 else {"TableWriteKeyRangeThroughputExceeded"})
