"""The hot-partition simulator's invariants, and the story the lesson tells with it."""

from __future__ import annotations

import numpy as np
import pytest

from dynalab.models.hot_partitions import keys_per_partition, serve, simulate_partition_load
from dynalab.models.key_distributions import KeyDistribution, key_distribution, user_ids
from dynalab.models.partitions import partition_count, partition_index

MODES = ("2017", "today_no_isolation", "today")


def run(name, requests=1_000_000, seed=1, rcu=12_000, seconds=100.0, mode="2017", partitions=None, **parameters):
    distribution = key_distribution(name, **parameters)
    return simulate_partition_load(
        distribution, distribution.sample(requests, seed), partition_count=partitions or partition_count(rcu, 0),
        table_capacity_per_second=rcu, duration_seconds=seconds, mode=mode,
    )


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", ["user_ids", "status_codes", "creation_dates", "skewed_device_ids"])
def test_total_load_is_conserved(name, mode):
    load = run(name, mode=mode)
    assert load.total_requests == 1_000_000
    assert load.demand_per_second.sum() * load.duration_seconds == pytest.approx(1_000_000)
    assert np.allclose(load.served_per_second + load.throttled_per_second, load.demand_per_second)
    assert (load.served_per_second >= -1e-9).all() and (load.throttled_per_second >= -1e-9).all()
    assert load.served_per_second.sum() <= load.table_capacity_per_second + 1e-6


def test_uniform_keys_give_near_equal_partitions_and_no_throttling():
    load = run("user_ids")  # 10,000 reads/s on 12,000 RCU = 4 partitions of 3,000
    assert load.partition_count == 4
    expected = 1_000_000 / 4
    assert (np.abs(load.requests - expected) < 0.02 * expected).all()
    assert load.throttled_requests == 0


def test_one_hot_key_throttles_only_its_partition_while_the_table_has_capacity_to_spare():
    load = run("status_codes")  # "200" gets 80 % of 10,000 reads/s = 8,000/s; each partition may serve 3,000
    assert load.table_utilisation < 1  # the table as a whole is not over its capacity
    hot = partition_index("200", 4)
    assert list(load.throttling_partitions) == [hot]
    assert load.hottest_key == "200" and load.hottest_partition == hot
    assert load.served_per_second[hot] == pytest.approx(3000)
    assert load.throttled_requests > 0


def test_adaptive_capacity_lends_unused_capacity_up_to_the_ceiling():
    # 24 thin partitions (the table after a load test): an even share is 500 RCU, the ceiling 3,000
    old = run("status_codes", partitions=24)
    adaptive = run("status_codes", partitions=24, mode="today_no_isolation")
    assert old.served_per_second[old.hottest_partition] == pytest.approx(500)
    assert adaptive.throttled_requests < old.throttled_requests
    assert adaptive.served_per_second[adaptive.hottest_partition] == pytest.approx(3000)  # the ceiling holds
    assert adaptive.served_per_second.max() <= adaptive.ceiling_per_second + 1e-9


def test_adaptive_capacity_at_the_ceiling_already_changes_nothing():
    # 4 partitions of 12,000 RCU: each share is already the 3,000 ceiling, nothing more to lend
    assert run("status_codes", mode="today_no_isolation").throttled_requests == run("status_codes").throttled_requests


def test_adaptive_capacity_cannot_beat_the_table_total():
    load = run("user_ids", rcu=2000, partitions=8, mode="today_no_isolation")  # 10,000/s asked of a 2,000 RCU table
    assert load.served_per_second.sum() == pytest.approx(2000)
    assert load.served_per_second == pytest.approx(np.full(8, 250))


def test_split_for_heat_gives_a_hot_key_a_whole_partition_but_not_more():
    # one device with most traffic, many partitions: split isolates it, its ceiling is still 3,000/s per key
    load = run("skewed_device_ids", rcu=40_000, seconds=10.0, mode="today")
    adaptive = run("skewed_device_ids", rcu=40_000, seconds=10.0, mode="today_no_isolation")
    assert load.throttled_requests <= adaptive.throttled_requests
    assert load.hottest_key_requests / load.duration_seconds > 3000  # the hot key alone is over the ceiling
    assert load.throttled_requests > 0  # so even split for heat cannot serve it all


def test_today_a_key_whose_items_spread_over_sort_keys_is_split():
    # [src:hot-key-per-item]: the ceiling binds one item; "200" asks 8,000 reads/s of one item (no sort key) and
    # throttles; spread over 4 items of a collection DynamoDB can split, it is served in full (about 2,000 each)
    one_item = run("status_codes", mode="today")
    four_items = simulate_partition_load(*_stream("status_codes"), partition_count=4, table_capacity_per_second=12_000,
                                         duration_seconds=100.0, mode="today", items_per_key=4)
    assert one_item.hottest_key_served_per_second == pytest.approx(3000) and one_item.throttled_requests > 0
    asked = four_items.hottest_key_requests / four_items.duration_seconds  # about 8,000 a second
    assert asked > 3000 and four_items.hottest_key_served_per_second == pytest.approx(asked)
    assert four_items.throttled_requests == 0


def test_an_lsi_keeps_an_item_collection_whole_but_isolates_it():
    # [src:lsi-no-split-item-collections]: with an LSI the collection is not split (items_per_key stays 1) but it is
    # isolated: its key competes with no other, unlike "no isolation" (a provisioned table with Streams), where the
    # keys sharing the hot partition share its 3,000
    lsi = run("status_codes", partitions=24, mode="today")
    shared = run("status_codes", partitions=24, mode="today_no_isolation")
    assert lsi.hottest_key_served_per_second == pytest.approx(3000)
    assert shared.hottest_key_served_per_second < 3000
    assert lsi.throttled_requests < shared.throttled_requests
    with pytest.raises(ValueError, match="items_per_key"):
        simulate_partition_load(*_stream("status_codes"), partition_count=4, table_capacity_per_second=12_000,
                                items_per_key=0)


def _stream(name):
    distribution = key_distribution(name)
    return distribution, distribution.sample(1_000_000, 1)


def test_writes_use_the_1000_ceiling():
    distribution = user_ids(1000)
    load = simulate_partition_load(distribution, distribution.sample(50_000, 0), partition_count=1,
                                   table_capacity_per_second=5000, kind="write", mode="2017")
    assert load.ceiling_per_second == 1000
    assert load.share_per_second[0] == 1000  # one partition cannot take more than 1,000 WCU
    assert load.served_per_second[0] == pytest.approx(1000)


def test_water_filling():
    assert list(serve(np.array([1.0, 2.0, 3.0]), 10, 100)) == [1, 2, 3]
    assert list(serve(np.array([1.0, 5.0, 9.0]), 10, 9)) == [1, 4, 4]
    assert list(serve(np.array([1.0, 50.0, 50.0]), 10, 100)) == [1, 10, 10]
    assert serve(np.array([0.0, 0.0]), 10, 0).sum() == 0


def test_hot_partition_figures_are_deterministic_for_a_seed():
    a, b = run("creation_dates", seed=5), run("creation_dates", seed=5)
    assert np.array_equal(a.requests, b.requests) and a.describe() == b.describe()


def test_keys_per_partition():
    counts = keys_per_partition([f"user-{i}" for i in range(8)], 4)
    assert list(counts) == [4, 2, 1, 1]  # from the pinned placements [2, 3, 0, 0, 0, 0, 1, 1]
    with pytest.raises(ValueError, match="partition_key_values"):
        keys_per_partition([], 4)


def test_bad_input_names_the_parameter():
    distribution = user_ids(10)
    stream = distribution.sample(100, 0)
    good = {"partition_count": 2, "table_capacity_per_second": 100}
    with pytest.raises(ValueError, match="mode"):
        simulate_partition_load(distribution, stream, mode="2019", **good)
    with pytest.raises(ValueError, match="kind"):
        simulate_partition_load(distribution, stream, kind="scan", **good)
    with pytest.raises(ValueError, match="table_capacity_per_second"):
        simulate_partition_load(distribution, stream, partition_count=2, table_capacity_per_second=-1)
    with pytest.raises(ValueError, match="partition_count"):
        simulate_partition_load(distribution, stream, partition_count=0, table_capacity_per_second=1)
    with pytest.raises(ValueError, match="request_keys"):
        simulate_partition_load(distribution, np.array([], dtype=np.int64), **good)
    with pytest.raises(ValueError, match="request_keys"):
        simulate_partition_load(distribution, np.array([10]), **good)
    with pytest.raises(ValueError, match="duration_seconds"):
        simulate_partition_load(distribution, stream, duration_seconds=0, **good)


def test_a_single_key_vocabulary():
    single = KeyDistribution("one", "one key", "bad", ("only",), np.array([1.0]))
    load = simulate_partition_load(single, single.sample(1000, 0), partition_count=3, table_capacity_per_second=300,
                                   mode="2017")
    assert load.throttled_per_second.sum() == pytest.approx(900)  # 1,000/s on one partition with a share of 100
    today = simulate_partition_load(single, single.sample(1000, 0), partition_count=3, table_capacity_per_second=300)
    assert today.mode == "today" and today.throttled_per_second.sum() == pytest.approx(700)  # the table's 300


def test_today_a_single_key_still_cannot_pass_3000_reads_or_1000_writes():
    # bp-partition-key-design / burst-adaptive-capacity: adaptive capacity up to the table's total, a hot item on
    # a partition of its own, but each partition is designed for 3,000 read / 1,000 write units per second.
    single = KeyDistribution("one", "one key", "bad", ("only",), np.array([1.0]))
    for kind, ceiling in (("read", 3000), ("write", 1000)):
        load = simulate_partition_load(single, single.sample(50_000, 0), partition_count=8, kind=kind,
                                       table_capacity_per_second=40_000, duration_seconds=10.0)
        assert load.table_utilisation < 1
        assert load.served_per_second.sum() == pytest.approx(ceiling)
        assert load.throttled_per_second.sum() == pytest.approx(5000 - ceiling)


def test_today_spreads_a_hot_partition_up_to_the_table_and_the_warm_throughput():
    status = run("status_codes", partitions=24, rcu=5000, seconds=250.0, mode="today")
    key_share = status.hottest_key_requests / status.duration_seconds
    assert status.throttled_per_second.sum() == pytest.approx(key_share - 3000)  # only the key past 3,000
    assert status.hottest_key == "200" and status.hottest_key_served_per_second == pytest.approx(3000)
    warm = run("user_ids", rcu=12_000, mode="today")
    assert warm.throttled_requests == 0
    from dynalab.models.key_distributions import key_distribution as kd

    cold = simulate_partition_load(kd("user_ids"), kd("user_ids").sample(1_000_000, 1), partition_count=4,
                                   table_capacity_per_second=12_000, duration_seconds=100.0,
                                   warm_throughput_per_second=8_000)
    assert cold.served_per_second.sum() == pytest.approx(8_000)  # 10,000/s asked, warmed for 8,000 at once
    with pytest.raises(ValueError, match="warm_throughput_per_second"):
        simulate_partition_load(kd("user_ids"), np.array([0]), partition_count=1, table_capacity_per_second=1,
                                warm_throughput_per_second=0)
