"""The partition model: the article's worked examples, the two roundings, splits that never merge, key placement."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import numpy as np
import pytest

import dynalab
from dynalab.models.partitions import (
    estimate_partitions,
    key_bytes,
    partition_count,
    partition_count_per_term,
    partition_index,
    partition_indices,
    rounding_differences,
    size_partitions,
    split_history,
    throughput_partitions,
)

# --- the second source article's three worked examples --------------------------------------------------------

def test_article_throughput_example_rcu_5000_wcu_500_gives_3():
    assert partition_count(5000, 500, 0) == 3
    # the article rounds each term here: 5000/3000 -> 2, 500/1000 -> 1, 2 + 1 = 3; the sum rule agrees
    assert partition_count_per_term(5000, 500, 0) == 3
    assert throughput_partitions(5000, 500) == 3


def test_article_size_example_35_gb_gives_4():
    assert size_partitions(35) == 4
    assert partition_count(0, 0, 35) == 4


def test_article_combined_example_8_gb_rcu_5000_wcu_500_gives_3():
    estimate = estimate_partitions(5000, 500, 8)
    assert estimate.throughput_partitions == 3  # 5000/3000 + 500/1000 = 2.17 -> 3
    assert estimate.size_partitions == 1  # 8/10 = 0.8 -> 1
    assert estimate.partitions == 3
    assert estimate.decided_by == "throughput"


def test_exported_from_the_package():
    assert dynalab.partition_count(5000, 500, 8) == 3
    assert dynalab.partition_count_per_term(1000, 100) == 2


# --- the two roundings -------------------------------------------------------------------------------------------

def test_summing_then_rounding_differs_from_rounding_each_term():
    # 1000/3000 + 100/1000 = 0.43 -> 1 partition (2018 guide); rounded per term 1 + 1 = 2
    assert throughput_partitions(1000, 100) == 1
    assert throughput_partitions(1000, 100, "round_each_term") == 2
    assert estimate_partitions(1000, 100).roundings_differ


def test_rounding_differences_are_exactly_where_the_fractions_fit_in_one():
    grid = rounding_differences(range(0, 9001, 1500), range(0, 3001, 500))
    assert (1500, 500, 1, 2) in grid  # 0.5 + 0.5 = 1 -> 1 summed, 2 per term
    assert all(rcu % 3000 and wcu % 1000 for rcu, wcu, _, _ in grid)  # both terms fractional
    assert all(per_term == summed + 1 for _, _, summed, per_term in grid)
    assert (1500, 1000, 2, 2) not in grid


def test_exact_arithmetic_at_the_boundaries():
    assert throughput_partitions(3000, 1000) == 2  # exactly 1 + 1, no float drift to 3
    assert throughput_partitions(0.1 * 3 * 1000, 0) == 1
    assert throughput_partitions(3001, 0) == 2
    assert size_partitions(10) == 1 and size_partitions(10.000001) == 2


def test_a_table_has_at_least_one_partition():
    assert partition_count(0, 0, 0) == 1
    assert partition_count(1, 1, 0) == 1


@pytest.mark.parametrize(
    ("args", "name"),
    [((-1, 0, 0), "read_capacity_units"), ((0, -5, 0), "write_capacity_units"), ((0, 0, -0.1), "size_gb"),
     (("5000", 0, 0), "read_capacity_units"), ((float("nan"), 0, 0), "read_capacity_units"),
     ((True, 0, 0), "read_capacity_units")],
)
def test_bad_capacity_or_size_names_the_parameter(args, name):
    with pytest.raises(ValueError, match=name):
        partition_count(*args)


def test_unknown_rounding_is_refused():
    with pytest.raises(ValueError, match="rounding"):
        throughput_partitions(1, 1, "banker")


def test_per_partition_share_is_the_capacity_divided_evenly():
    estimate = estimate_partitions(5000, 500, 8)
    assert estimate.read_capacity_units_per_partition == pytest.approx(5000 / 3)
    assert estimate.write_capacity_units_per_partition == pytest.approx(500 / 3)
    assert "3 partition(s)" in estimate.describe()


# --- split history: grow, never merge ------------------------------------------------------------------------------

LOAD_TEST = [("created", 5000, 500, 8), ("load test", 30000, 10000, 8), ("scaled down", 5000, 500, 8)]


def test_scaling_up_doubles_partitions_until_enough():
    steps = split_history(LOAD_TEST)
    assert [s.required_partitions for s in steps] == [3, 20, 3]
    assert [s.partitions for s in steps] == [3, 24, 24]  # 3 -> 6 -> 12 -> 24 >= 20


def test_scaling_down_never_merges_and_thins_every_partition():
    before, _, after = split_history(LOAD_TEST)
    assert after.partitions == 24 and after.extra_partitions == 21
    assert after.read_capacity_units_per_partition == pytest.approx(5000 / 24)
    assert after.read_capacity_units_per_partition < before.read_capacity_units_per_partition / 7


def test_exact_growth_adds_just_enough():
    assert [s.partitions for s in split_history(LOAD_TEST, growth="exact")] == [3, 20, 20]


def test_partitions_never_decrease_over_any_history():
    rng = np.random.default_rng(7)
    states = [(float(r), float(w), float(g)) for r, w, g in rng.integers(0, 40000, size=(50, 3))]
    for growth in ("double", "exact"):
        counts = [s.partitions for s in split_history(states, growth=growth)]
        assert all(a <= b for a, b in zip(counts, counts[1:], strict=False))
        assert all(s.partitions >= s.required_partitions for s in split_history(states, growth=growth))


def test_size_growth_splits_too_and_deleting_data_keeps_them():
    steps = split_history([(1000, 100, 5), (1000, 100, 35), (1000, 100, 1)])
    assert [s.partitions for s in steps] == [1, 4, 4]


def test_bad_history_input():
    with pytest.raises(ValueError, match="states"):
        split_history([])
    with pytest.raises(ValueError, match="growth"):
        split_history(LOAD_TEST, growth="halve")
    with pytest.raises(ValueError, match="states"):
        split_history([(1, 2)])


# --- key placement (a model: DynamoDB's hash is not public) -------------------------------------------------------

def test_partition_index_is_in_range_and_deterministic():
    for count in (1, 2, 3, 7, 24, 1000):
        for key in ("user-1", "200", "2024-08-19", b"\x00\x01", 42, Decimal("3.5")):
            index = partition_index(key, count)
            assert 0 <= index < count
            assert index == partition_index(key, count)


def test_partition_index_is_stable_across_processes():
    # Python's hash() is salted per process; the model must not be
    code = "from dynalab.models.partitions import partition_index as p; print([p(f'user-{i}', 7) for i in range(20)])"
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(runs) == 1
    assert runs.pop().strip() == str([partition_index(f"user-{i}", 7) for i in range(20)])


def test_pinned_placements():
    # pinned, so a change to the model is a visible decision (the lesson's figures depend on it)
    assert [partition_index(f"user-{i}", 4) for i in range(8)] == [2, 3, 0, 0, 0, 0, 1, 1]
    assert partition_index("user-1", 1) == 0
    import hashlib
    top = int.from_bytes(hashlib.md5(b"user-1").digest()[:4], "big")
    assert partition_index("user-1", 4) == top * 4 // 2**32


def test_equal_hash_ranges_give_near_equal_counts():
    counts = np.bincount(partition_indices([f"user-{i}" for i in range(40_000)], 8), minlength=8)
    assert counts.sum() == 40_000
    assert counts.min() > 0.95 * 5000 and counts.max() < 1.05 * 5000


def test_vectorised_form_agrees_with_the_scalar_one():
    keys = [f"device-{i}" for i in range(500)] + [1, 2.5, b"xyz"]
    assert list(partition_indices(keys, 13)) == [partition_index(k, 13) for k in keys]


def test_wire_form_values_hash_like_plain_values():
    assert partition_index({"S": "user-1"}, 9) == partition_index("user-1", 9)
    assert partition_index({"N": "12.0"}, 9) == partition_index(12, 9)
    assert partition_index({"B": "eHl6"}, 9) == partition_index(b"xyz", 9)
    assert key_bytes(1) == key_bytes(1.0) == key_bytes(Decimal("1E0"))


def test_more_partitions_only_split_ranges():
    # equal hash ranges: doubling the count splits each range in two, so a key moves only to a child
    for i in range(200):
        assert partition_index(f"k{i}", 8) // 2 == partition_index(f"k{i}", 4)


@pytest.mark.parametrize("count", [0, -1, 2.5, True, "3"])
def test_bad_partition_count_is_refused(count):
    with pytest.raises(ValueError, match="partition_count"):
        partition_index("a", count)


@pytest.mark.parametrize("key", ["", b"", None, float("inf"), [1]])
def test_bad_key_values_are_refused(key):
    with pytest.raises(ValueError, match="partition key"):
        partition_index(key, 3)


# --- the lesson's calculator widget and split-history figure -------------------------------------------------------


def test_the_two_roundings_differ_by_at_most_one_for_any_capacity():
    from hypothesis import given
    from hypothesis import strategies as st

    @given(st.integers(0, 400_000), st.integers(0, 400_000), st.floats(0, 5000, allow_nan=False))
    def check(rcu, wcu, size):
        summed, per_term = partition_count(rcu, wcu, size), partition_count_per_term(rcu, wcu, size)
        assert summed <= per_term <= summed + 1
        assert summed >= max(1, -(-rcu // 3000), -(-wcu // 1000))  # never below either term alone

    check()


def test_partitions_after_split_doubles_and_never_merges():
    from dynalab.models.partitions import partitions_after_split

    assert partitions_after_split(3, 10) == 12  # 3 -> 6 -> 12
    assert partitions_after_split(3, 10, "exact") == 10
    assert partitions_after_split(12, 2) == 12  # scaling down keeps every partition
    with pytest.raises(ValueError, match="growth must be"):
        partitions_after_split(3, 4, "halve")


def test_warm_throughput_grows_with_the_load_test_and_never_decreases():
    # [src:warm-throughput-no-decrease-billed]: once raised, warm throughput cannot be decreased
    from dynalab.models.partitions import split_history, warm_throughput_after

    steps = split_history([("created", 5_000, 500, 8), ("load test", 30_000, 14_000, 8),
                           ("scaled back down", 5_000, 500, 8)])
    assert [(s.warm_read_units_per_second, s.warm_write_units_per_second) for s in steps] == [
        (5_000, 500), (30_000, 14_000), (30_000, 14_000)]
    assert warm_throughput_after(30_000, 5_000) == 30_000 and warm_throughput_after(100, 400) == 400
    with pytest.raises(ValueError, match="provisioned_units"):
        warm_throughput_after(0, -1)
