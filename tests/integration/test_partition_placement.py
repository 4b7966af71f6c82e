"""Lesson 3 live: keys loaded on a real engine land per the model, and a hot key throttles per partition."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

import dynalab
from dynalab.lessons.partitions import load_tested_table, place_keys, run_hot_key_test
from dynalab.models.clock import StepClock
from dynalab.models.key_distributions import key_distribution
from dynalab.models.partitions import partition_count, partition_index, split_history


def test_loaded_keys_are_read_back_and_placed_by_the_model(lab, table_name):
    dynalab.create_table(lab, table_name, partition_key=("pk", "S"), sort_key=("sk", "N"))
    placement = place_keys(lab, table_name, "creation_dates", 600, partitions=4, seed=2)
    assert placement.items_loaded == 600
    expected = key_distribution("creation_dates").sample_keys(600, 2)
    assert placement.distinct_keys == len(set(expected))
    counts = np.bincount([partition_index(k, 4) for k in expected], minlength=4)
    assert list(placement.items_per_partition) == list(counts)
    assert placement.items_per_partition.max() > 0.5 * 600  # today's date holds half the items on one partition


def _load_tested_table(lab, table_name):
    table = load_tested_table(lab, table_name, created=(5000, 500), load_test=(30000, 14000))
    return table.throttling, table.clock


def test_partitions_kept_after_scaling_down_match_the_model(lab, table_name):
    enforcer, _ = _load_tested_table(lab, table_name)
    try:
        model = split_history([(5000, 500, 0), (30000, 14000, 0), (5000, 500, 0)])
        assert enforcer.partitions == model[-1].partitions == 24
        assert partition_count(5000, 500) == 3  # what a fresh table with the same settings would have
    finally:
        enforcer.stop()


def test_a_hot_key_throttles_while_the_table_has_capacity_to_spare(lab, table_name):
    enforcer, clock = _load_tested_table(lab, table_name)
    try:
        keys = key_distribution("skewed_device_ids").sample_keys(400, seed=3)
        result = run_hot_key_test(lab, table_name, keys, writes_per_second=400, clock=clock)
    finally:
        enforcer.stop()
    assert result.writes_per_second < result.table_write_capacity_units  # 400 of 500 WCU: capacity to spare
    assert result.partitions == 24  # each partition's share: 500 / 24 = 20.8 WCU/s
    hot_key, hot_count = result.throttled_by_key.most_common(1)[0]
    assert hot_key == "device-000000"
    hot = partition_index(hot_key, 24)
    assert result.throttled_by_partition.most_common(1)[0][0] == hot
    assert hot_count > result.throttled / 2
    # partitions asked well under their share never throttle
    demand = Counter(partition_index(k, 24) for k in keys)
    quiet = [p for p in range(24) if demand[p] <= 10]
    assert len(quiet) > 12 and all(result.throttled_by_partition[p] == 0 for p in quiet)


def test_the_hot_key_test_refuses_a_table_without_enforcement(lab, table_name):
    dynalab.create_table(lab, table_name, partition_key=("pk", "S"))
    with pytest.raises(ValueError, match="enforce_throughput"):
        run_hot_key_test(lab, table_name, ["a"], writes_per_second=1, clock=StepClock())
    with pytest.raises(ValueError, match="keys"):
        run_hot_key_test(lab, table_name, [], writes_per_second=1, clock=StepClock())


def test_the_load_test_is_refused_on_aws(lab):
    from dataclasses import replace

    with pytest.raises(RuntimeError, match="refused on AWS"):
        load_tested_table(replace(lab, engine="aws"), "never-created")
