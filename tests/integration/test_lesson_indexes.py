"""Lesson 6's scenarios on the embedded engine: index write units from the meter, sparse indexes, key changes,
filter vs index, GSI back-pressure and write sharding (per-partition throttling on a step clock)."""

from __future__ import annotations

import pytest

from dynalab.lessons import indexes
from dynalab.models.index_choice import query_read_units_for
from dynalab.widgets.indexes import IndexWriteExplorer, modelled_write


@pytest.fixture
def metered(lab):
    assert indexes.meters_indexes(lab), "the meter gives no per-index split (ReturnConsumedCapacity=INDEXES)"
    return lab


def test_a_2500_byte_put_into_one_all_gsi_costs_3_plus_3(metered, table_name):
    table = indexes.create_index_table(metered, table_name, 1, "ALL")
    units = indexes.write_with_indexes(metered, table.name, indexes.indexed_item(2500, 1))
    assert (units.table_units, units.global_index_units, units.total_units) == (3, {"gsi1": 3}, 6)


def test_compare_index_writes_follows_the_model(metered):
    for measured, (count, projection) in zip(indexes.compare_index_writes(metered, 2500),
                                             [(0, "ALL"), (1, "KEYS_ONLY"), (1, "INCLUDE"), (1, "ALL"), (3, "ALL")],
                                             strict=True):
        table, by_index = modelled_write(2500, count, projection)
        assert measured.table_units == table
        assert {k: v for k, v in measured.global_index_units.items() if v} == {k: v for k, v in by_index.items() if v}


def test_a_key_change_costs_two_index_writes_and_an_untouched_index_none(metered):
    steps = indexes.key_change(metered).steps
    assert [step.index_units for step in steps] == [1, 2, 0, 0]


def test_only_items_with_the_attribute_pay_and_appear(metered):
    sparse = indexes.sparse_index(metered, item_count=12, flagged_every=4)
    assert (sparse.items_with_attribute, sparse.items_in_index, sparse.items_in_table) == (3, 3, 12)
    assert sparse.index_units_with_attribute == 3 and sparse.index_units_without_attribute == 0


def test_the_sparse_index_works_on_any_meter(lab):
    sparse = indexes.sparse_index(lab, item_count=8, flagged_every=2)
    assert (sparse.items_in_index, sparse.items_in_table) == (4, 8)


def test_the_filter_pays_for_what_it_reads_the_index_for_what_matches(lab):
    live = indexes.filter_or_index_live(lab, items_in_partition=100, open_every=10, item_size_bytes=1500)
    assert live.filter_items_returned == live.index_items_returned == live.matching_items == 10
    assert live.filter_read_units == query_read_units_for(100, 1500, "eventual")
    assert live.index_read_units == query_read_units_for(10, live.index_entry_size_bytes, "eventual")


def test_a_keys_only_index_pays_its_follow_up_get_items(lab):
    # [src:gsi-no-fetch]: the KEYS_ONLY entries hold no order: 10 GetItems of 2,000 B (0.5 RCU each, eventual)
    live = indexes.filter_or_index_live(lab, items_in_partition=200, open_every=20, item_size_bytes=2000)
    assert (live.filter_read_units, live.index_read_units) == (49.0, 0.5)
    assert (live.follow_up_gets, live.follow_up_read_units, live.keys_only_read_units) == (10, 5.0, 5.5)
    assert (live.all_index_read_units, live.all_index_items_returned) == (2.5, 10)  # 10 x 2,000 B: 5 blocks x 0.5
    assert "+ 10 GetItems 5 RCU = 5.5 RCU; ALL GSI: 2.5 RCU" in live.describe()


def test_a_multi_attribute_gsi_is_queried_by_its_whole_partition_key(lab):
    # [src:gsi-multi-attribute-keys]: every partition-key attribute by equality, the sort key by a range
    result = indexes.multi_attribute_gsi_live(lab, orders=60)
    assert result.index.partition_key_attributes == ("customer", "status")
    assert result.index.sort_key_attributes == ("placed_at",)
    expected = [n for n in range(60) if n % 3 == 0 and n // 3 % 3 == 0 and n % 28 + 1 >= 10]
    assert result.matched == len(expected) > 0
    assert result.read_units == 0.5 and result.refused_code == "ValidationException"


def test_write_sharding_removes_the_throttles_and_fans_the_reads_out(lab):
    result = indexes.write_sharding(lab, shards=8, writes=200)
    assert result.hot_throttled > 50 and result.sharded_throttled == 0
    assert result.sharded_items_read == 200 and result.hot_items_read == 200 - result.hot_throttled
    assert result.sharded_read_queries == 8 and result.sharded_read_units > result.hot_read_units


def test_back_pressure_throttles_only_the_writes_that_carry_the_index_key(lab):
    result = indexes.gsi_back_pressure(lab, seconds=2, writes_per_second=20)
    assert result.without_key_throttled == 0 and result.without_key_written == 20
    # The GSI's 1 WCU admits about one write a second of the 10 that carry its key.
    assert result.with_key_written <= 3 and result.with_key_throttled >= 17
    assert [s.second for s in result.seconds] == [0, 1]


def test_a_low_cardinality_gsi_key_is_a_hot_partition_the_table_key_is_not(lab):
    hot = indexes.gsi_hot_partition(lab, writes=200)
    assert hot.table_throttled == 0 and hot.index_throttled > 0
    assert hot.index_throttled_by_status["open"] == hot.index_throttled
    assert hot.index_busiest_share > 0.7 > 0.4 > hot.table_busiest_share


def test_the_explorer_writes_on_the_engine(metered):
    explorer = IndexWriteExplorer(metered, item_size_bytes=2500, index_count=1, projection="ALL")
    assert "= 6 WCU" in explorer.describe()
    assert explorer.write_on_engine().total_units == 6
    explorer.projection.value = "KEYS_ONLY"
    assert explorer.write_on_engine().global_index_units == {"gsi1": 1}


def test_an_item_collection_past_the_lowered_limit_is_refused_and_the_limit_restored(lab):
    saved = lab.meter.item_collection_limit_bytes
    result = indexes.item_collection_limit(lab, limit_bytes=20_000, item_size_bytes=2000)
    # Each order adds itself and its ALL-projection LSI entry: 5 x 4,000 B fit in 20,000 B, the sixth does not.
    assert (result.items_written, result.error_code) == (5, "ItemCollectionSizeLimitExceededException")
    assert result.other_key_written and lab.meter.item_collection_limit_bytes == saved


@pytest.mark.parametrize("call, message", [
    (lambda lab: indexes.create_index_table(lab, "x-bad", 2, "SOME"), "projection"),
    (lambda lab: indexes.create_index_table(lab, "x-bad", -1), "index_count"),
    (lambda lab: indexes.indexed_item(10), "item_size_bytes"),
    (lambda lab: indexes.write_sharding(lab, shards=1), "shards"),
    (lambda lab: indexes.gsi_back_pressure(lab, seconds=0), "seconds"),
    (lambda lab: indexes.sparse_index(lab, item_count=5, flagged_every=9), "flagged_every"),
    (lambda lab: indexes.item_collection_limit(lab, limit_bytes=10), "limit_bytes"),
])
def test_bad_input_names_the_parameter(lab, call, message):
    with pytest.raises(ValueError, match=message):
        call(lab)
