"""Live throttling on the embedded engine: token buckets at the provisioned rate, burst, UpdateTable, partitions.

Most tests step a fake clock by hand, so every admitted and throttled request is exact; the last ones run a real
load for a few seconds.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

import dynalab
from dynalab.fidelity.throttling import THROTTLE_CODE, ThroughputEnforcer, enforce_throughput
from dynalab.lessons.load_generator import run_load
from dynalab.models.autoscaling import TargetTrackingPolicy


@pytest.fixture
def no_retries(lab):
    return lab.new_client(retries={"mode": "standard", "total_max_attempts": 1})


@pytest.fixture
def enforcers(lab):
    made = []

    def make(*args, **kwargs):
        made.append(enforce_throughput(*args, **kwargs))
        return made[-1]

    yield make
    for enforcer in made:
        enforcer.stop()


def put(client, table, key, **extra):
    try:
        client.put_item(TableName=table, Item={"pk": {"S": key}, **extra})
    except ClientError as error:
        assert error.response["Error"]["Code"] == THROTTLE_CODE
        assert "UpdateTable" in error.response["Error"]["Message"]
        return False
    return True


def test_a_second_admits_the_provisioned_rate_then_throttles(lab, table_name, clock, no_retries, enforcers):
    dynalab.create_table(lab, table_name, read_capacity_units=5, write_capacity_units=5)
    enforcer = enforcers(lab, table_name, clock=clock)
    assert not put(no_retries, table_name, "first")  # nothing banked yet
    clock.advance(1)
    assert [put(no_retries, table_name, f"k{i}") for i in range(6)] == [True] * 5 + [False]
    rows = enforcer.per_second()
    assert rows[1].served_requests == 5 and rows[1].throttled_attempts == 1 and rows[0].throttled_attempts == 1
    assert rows[1].write_units == 5
    # reads have their own bucket
    clock.advance(1)
    no_retries.get_item(TableName=table_name, Key={"pk": {"S": "k0"}})


def test_burst_banks_at_most_300_seconds(lab, table_name, clock, no_retries, enforcers):
    dynalab.create_table(lab, table_name, read_capacity_units=1, write_capacity_units=2)
    enforcer = enforcers(lab, table_name, clock=clock)
    clock.advance(100)
    assert enforcer.balance("write") == pytest.approx(200)
    clock.advance(1000)
    assert enforcer.balance("write") == pytest.approx(600)  # 2 WCU x 300 s
    no_burst = ThroughputEnforcer(table_name, 1, 2, burst_seconds=0, clock=clock)
    clock.advance(1000)
    assert no_burst.balance("write") == pytest.approx(2)  # one second's worth


def test_actual_units_from_the_meter_are_charged(lab, table_name, clock, no_retries, enforcers):
    if lab.meter is None:
        pytest.skip("lesson 1's meter is not installed on this lab")
    dynalab.create_table(lab, table_name, read_capacity_units=5, write_capacity_units=10)
    enforcer = enforcers(lab, table_name, clock=clock)
    clock.advance(1)
    assert put(no_retries, table_name, "big", blob={"S": "x" * 2900})  # ~3 KB: 3 WCU
    assert enforcer.balance("write") == pytest.approx(7)


def test_boto3_retries_are_seen_and_counted(lab, table_name, clock, enforcers):
    dynalab.create_table(lab, table_name, read_capacity_units=1, write_capacity_units=1)
    enforcer = enforcers(lab, table_name, clock=clock)
    client = lab.new_client(retries={"mode": "standard", "max_attempts": 2})  # 2 retries
    with pytest.raises(ClientError) as raised:
        client.put_item(TableName=table_name, Item={"pk": {"S": "a"}})
    assert raised.value.response["Error"]["Code"] == THROTTLE_CODE
    assert raised.value.response["ResponseMetadata"]["RetryAttempts"] == 2
    assert enforcer.throttled_attempts == 3


def test_update_table_through_the_lab_is_followed(lab, table_name, clock, no_retries, enforcers):
    dynalab.create_table(lab, table_name, read_capacity_units=1, write_capacity_units=1)
    enforcer = enforcers(lab, table_name, clock=clock)
    lab.client.update_table(TableName=table_name,
                            ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 4})
    assert enforcer.write_capacity_units == 4
    clock.advance(1)
    assert [put(no_retries, table_name, f"k{i}") for i in range(5)] == [True] * 4 + [False]
    lab.client.update_table(TableName=table_name, BillingMode="PAY_PER_REQUEST")
    assert enforcer.on_demand
    assert all(put(no_retries, table_name, f"free{i}") for i in range(10))


def test_on_demand_tables_are_not_throttled_and_stop_removes_the_plugin(lab, table_name, clock, no_retries):
    dynalab.create_table(lab, table_name)
    enforcer = enforce_throughput(lab, table_name, clock=clock)
    assert all(put(no_retries, table_name, f"k{i}") for i in range(5))
    enforcer.stop()
    assert enforcer not in lab.fidelity.plugins


def test_a_hot_key_throttles_its_partition_while_the_table_has_capacity(lab, table_name, clock, no_retries,
                                                                        enforcers):
    from dynalab.models.partitions import partition_count, partition_index

    # RCU 3,000 + WCU 20: ceil(3000/3000 + 20/1000) = 2 partitions, 10 WCU each.
    dynalab.create_table(lab, table_name, read_capacity_units=3000, write_capacity_units=20)
    enforcer = enforcers(lab, table_name, per_partition=True, partition_mode="2017", clock=clock)
    assert enforcer.partitions == partition_count(3000, 20, 0) == 2
    hot = "hot"
    cold = next(f"cold{i}" for i in range(100) if partition_index(f"cold{i}", 2) != partition_index(hot, 2))
    clock.advance(1)
    assert [put(no_retries, table_name, hot) for _ in range(11)] == [True] * 10 + [False]
    assert put(no_retries, table_name, cold)  # the other partition still has its share
    assert enforcer.balance("write") > 0


def test_partitions_never_shrink_when_capacity_drops(clock):
    pytest.importorskip("dynalab.models.partitions")
    enforcer = ThroughputEnforcer("t-x", 3000, 5000, per_partition=True, partition_mode="2017", clock=clock)
    assert enforcer.partitions == 6  # ceil(3000/3000 + 5000/1000)
    enforcer.update_throughput(3000, 100)
    assert enforcer.partitions == 6
    clock.advance(1)
    assert enforcer.balance("write", 0) == pytest.approx(100 / 6)


def test_live_load_is_served_at_the_provisioned_rate(lab, table_name, enforcers):
    dynalab.create_table(lab, table_name, read_capacity_units=5, write_capacity_units=20)
    enforcers(lab, table_name)
    run = run_load(lab, table_name, 50, 4)
    assert abs(run.served_rate(1, 4) - 20) <= 2  # within 10 % of 20 WCU
    assert run.throttled_attempts > 0 and run.retries > 0


def test_throttles_disappear_after_the_compressed_time_scale_out(lab, table_name, enforcers):
    dynalab.create_table(lab, table_name, read_capacity_units=5, write_capacity_units=20)
    enforcers(lab, table_name)
    # The engine applies UpdateTable at once, so the live policy has no alarm or UpdateTable delay (the simulator's
    # defaults model them; lesson 2's LiveThrottlingDemo does the same).
    policy = TargetTrackingPolicy(70, alarm_delay_minutes=0, update_delay_minutes=0)
    run = run_load(lab, table_name, 35, 11, autoscaling=policy)
    outs = [e for e in run.events if e.kind == "scale-out"]
    assert outs and outs[0].minute == 1  # two datapoints (seconds 0 and 1) above 70 %
    # throttled before the scale-out takes effect (the first seconds; a loaded machine may shift it by one)
    assert sum(row.throttled_attempts for row in run.rows[:3]) > 0
    assert all(row.throttled_attempts == 0 and row.failed == 0 for row in run.rows[-3:])
    assert lab.client.describe_table(TableName=table_name)["Table"]["ProvisionedThroughput"][
        "WriteCapacityUnits"] == outs[-1].to_capacity


def test_bad_input_is_refused_clearly(lab, table_name):
    with pytest.raises(ValueError, match="does not exist on this engine"):
        enforce_throughput(lab, "no-such-table-" + table_name)
    with pytest.raises(ValueError, match="burst_seconds must be a finite number from 0 to 3,600"):
        ThroughputEnforcer("t-x", 1, 1, burst_seconds=-1)
    dynalab.create_table(lab, table_name, read_capacity_units=1, write_capacity_units=1)
    with pytest.raises(ValueError, match="requests_per_second must be a finite number > 0 and <= 500"):
        run_load(lab, table_name, 0, 2)
    with pytest.raises(ValueError, match="needs dynalab.enforce_throughput"):
        run_load(lab, table_name, 5, 2, autoscaling=TargetTrackingPolicy(70))


def test_enforcing_a_table_again_replaces_its_old_throttle(lab, table_name):
    from dynalab.fidelity.throttling import ThroughputEnforcer, find_enforcer

    dynalab.create_table(lab, table_name, read_capacity_units=5, write_capacity_units=5)
    first = enforce_throughput(lab, table_name)
    second = enforce_throughput(lab, table_name)
    try:
        assert find_enforcer(lab, table_name) is second
        assert [p for p in lab.fidelity.plugins if isinstance(p, ThroughputEnforcer) and p.table_name == table_name] \
            == [second]
        assert not first.active
    finally:
        second.stop()
    assert find_enforcer(lab, table_name) is None
