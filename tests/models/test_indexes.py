"""Index entries and index write units, pinned to the developer guide's GSI/LSI rules (GSI.html, LSI.html)."""

from __future__ import annotations

import pytest

from dynalab.models.capacity import write_units
from dynalab.models.indexes import (
    SecondaryIndex,
    entry_size_bytes,
    index_entry,
    index_entry_size,
    index_write_units,
    indexes_from_description,
    write_units_by_index,
)
from dynalab.models.sizing import typed_item_size

TABLE_KEYS = ("pk",)


def padded(size_bytes: int, **attributes: str) -> dict:
    """A typed item of exactly ``size_bytes``: the given string attributes plus a padding attribute."""
    item = {"pk": {"S": "p1"}, **{k: {"S": v} for k, v in attributes.items()}}
    item["pad"] = {"S": ""}
    item["pad"] = {"S": "x" * (size_bytes - typed_item_size(item))}
    assert typed_item_size(item) == size_bytes
    return item


ALL = SecondaryIndex("by_status", ("status",), "ALL")
KEYS_ONLY = SecondaryIndex("by_status", ("status",), "KEYS_ONLY")


def test_the_pinned_example_2500_bytes_into_one_all_gsi():
    # issue 13's example: a 2,500 B PutItem, one ALL-projection GSI: 3 table WCU + 3 index WCU.
    item = padded(2500, status="open")
    assert write_units(typed_item_size(item)) == 3
    assert index_write_units(None, item, ALL, TABLE_KEYS) == 3


def test_entry_per_projection():
    item = padded(2500, status="open", owner="ann")
    assert index_entry(item, ALL, TABLE_KEYS) == item
    assert index_entry(item, KEYS_ONLY, TABLE_KEYS) == {"pk": {"S": "p1"}, "status": {"S": "open"}}
    include = SecondaryIndex("by_status", ("status",), "INCLUDE", ("owner", "missing"))
    assert index_entry(item, include, TABLE_KEYS) == {"pk": {"S": "p1"}, "status": {"S": "open"},
                                                      "owner": {"S": "ann"}}
    # KEYS_ONLY: table keys + index keys: "pk"+"p1" (4) + "status"+"open" (10) = 14 B.
    assert index_entry_size(item, KEYS_ONLY, TABLE_KEYS) == 14
    assert index_entry_size(item, include, TABLE_KEYS) == 14 + len("owner") + len("ann")
    assert index_entry_size(item, ALL, TABLE_KEYS) == 2500


def test_plain_items_too():
    item = {"pk": "p1", "status": "open", "n": 12}
    assert index_entry_size(item, KEYS_ONLY, TABLE_KEYS, typed=False) == 14
    assert index_write_units(None, item, ALL, TABLE_KEYS, typed=False) == 1


def test_sparse_index_an_item_without_the_index_key_costs_nothing():
    item = padded(2500)
    assert index_entry(item, ALL, TABLE_KEYS) is None
    assert index_entry_size(item, ALL, TABLE_KEYS) is None
    assert index_write_units(None, item, ALL, TABLE_KEYS) == 0
    assert index_write_units(item, None, ALL, TABLE_KEYS) == 0
    # a sort key in the index: both key attributes needed
    two = SecondaryIndex("by_status_date", ("status", "date"), "KEYS_ONLY")
    assert index_entry(padded(100, status="open"), two, TABLE_KEYS) is None


def test_changing_the_index_key_is_a_delete_and_a_put():
    before = padded(2500, status="open")
    after = padded(2500, status="closed")
    assert index_write_units(before, after, KEYS_ONLY, TABLE_KEYS) == 2
    assert index_write_units(before, after, ALL, TABLE_KEYS) == 3 + 3


def test_a_write_that_does_not_touch_the_index_costs_it_nothing():
    before = padded(2500, status="open", note="a")
    after = padded(2500, status="open", note="b")
    assert index_write_units(before, after, KEYS_ONLY, TABLE_KEYS) == 0
    # ... but an ALL index projects "note": one write of the entry
    assert index_write_units(before, after, ALL, TABLE_KEYS) == 3
    # equal numbers written differently are the same value
    a = {"pk": {"S": "p"}, "status": {"N": "1"}}
    b = {"pk": {"S": "p"}, "status": {"N": "1.0"}}
    assert index_write_units(a, b, KEYS_ONLY, TABLE_KEYS) == 0


def test_entering_and_leaving_the_index_cost_one_write():
    without = padded(1500)
    with_key = padded(1500, status="open")
    assert index_write_units(without, with_key, ALL, TABLE_KEYS) == 2  # put only: 1,500 B = 2 blocks
    assert index_write_units(with_key, without, KEYS_ONLY, TABLE_KEYS) == 1  # delete only
    assert index_write_units(with_key, None, ALL, TABLE_KEYS) == 2  # DeleteItem


def test_a_writes_total_across_indexes():
    item = padded(2500, status="open", owner="ann")
    indexes = [ALL, SecondaryIndex("by_owner", ("owner",), "KEYS_ONLY"),
               SecondaryIndex("by_missing", ("missing",), "ALL"),
               SecondaryIndex("lsi_status", ("pk", "status"), "KEYS_ONLY", is_global=False)]
    units = write_units_by_index(None, item, indexes, TABLE_KEYS)
    assert units == {"by_status": 3, "by_owner": 1, "by_missing": 0, "lsi_status": 1}
    assert sum(units.values()) == 5


def test_bytes_level_helper_for_planners():
    assert entry_size_bytes("ALL", item_bytes=2500, key_bytes=14) == 2500
    assert entry_size_bytes("KEYS_ONLY", item_bytes=2500, key_bytes=14, projected_bytes=900) == 14
    assert entry_size_bytes("INCLUDE", item_bytes=2500, key_bytes=14, projected_bytes=900) == 914
    assert entry_size_bytes("INCLUDE", item_bytes=100, key_bytes=14, projected_bytes=900) == 100
    with pytest.raises(ValueError, match="projection_type"):
        entry_size_bytes("SOME", item_bytes=1, key_bytes=1)
    with pytest.raises(ValueError, match="key_bytes"):
        entry_size_bytes("ALL", item_bytes=1, key_bytes=2)
    with pytest.raises(ValueError, match="item_bytes"):
        entry_size_bytes("ALL", item_bytes=-1, key_bytes=0)


def test_from_describe_table():
    table = {
        "KeySchema": [{"AttributeName": "sk", "KeyType": "RANGE"}, {"AttributeName": "pk", "KeyType": "HASH"}],
        "GlobalSecondaryIndexes": [{"IndexName": "g", "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}],
                                    "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["owner"]}}],
        "LocalSecondaryIndexes": [{"IndexName": "l", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                   {"AttributeName": "d", "KeyType": "RANGE"}],
                                   "Projection": {"ProjectionType": "KEYS_ONLY"}}],
    }
    keys, indexes = indexes_from_description(table)
    assert keys == ("pk", "sk")
    assert indexes == [SecondaryIndex("g", ("status",), "INCLUDE", ("owner",)),
                       SecondaryIndex("l", ("pk", "d"), "KEYS_ONLY", is_global=False)]


def test_a_gsi_key_of_up_to_four_plus_four_attributes():
    # [src:gsi-multi-attribute-keys]: "a partition key from up to four attributes and a sort key from up to four"
    match = SecondaryIndex("by-tournament", ("tournament", "region", "round", "bracket"), "KEYS_ONLY",
                           partition_key_count=2)
    assert match.partition_key_attributes == ("tournament", "region")
    assert match.sort_key_attributes == ("round", "bracket")
    assert "partition key (tournament, region), sort key (round, bracket)" in match.describe()
    SecondaryIndex("widest", tuple("abcdefgh"), partition_key_count=4)  # 4 + 4: the most
    for keys, count in ((tuple("abcde"), 5), (tuple("abcdefghi"), 4), (("a",), 0)):
        with pytest.raises(ValueError, match="partition-key .* and .* sort-key attribute"):
            SecondaryIndex("too-many", keys, partition_key_count=count)
    with pytest.raises(ValueError, match=r"an LSI's \(is_global=False\) key"):  # an LSI keeps one sort key
        SecondaryIndex("lsi", ("pk", "a", "b"), is_global=False)
    # an item lacking one attribute of the key is not in the index (sparse); changing any one moves the entry
    item = {"pk": {"S": "m1"}, "tournament": {"S": "WINTER2024"}, "region": {"S": "NA-EAST"},
            "round": {"S": "SEMIFINALS"}, "bracket": {"S": "UPPER"}}
    assert index_entry({k: v for k, v in item.items() if k != "region"}, match, TABLE_KEYS) is None
    assert index_write_units(None, item, match, TABLE_KEYS) == 1
    assert index_write_units(item, {**item, "bracket": {"S": "LOWER"}}, match, TABLE_KEYS) == 2


def test_multi_attribute_keys_from_describe_table():
    # DescribeTable lists a multi-attribute key as several HASH elements, then several RANGE elements
    table = {"KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
             "GlobalSecondaryIndexes": [{"IndexName": "by-tournament", "Projection": {"ProjectionType": "ALL"},
                                         "KeySchema": [{"AttributeName": "tournament", "KeyType": "HASH"},
                                                       {"AttributeName": "region", "KeyType": "HASH"},
                                                       {"AttributeName": "round", "KeyType": "RANGE"}]}]}
    _, (index,) = indexes_from_description(table)
    assert index == SecondaryIndex("by-tournament", ("tournament", "region", "round"), partition_key_count=2)


def test_bad_definitions_are_refused_by_name():
    with pytest.raises(ValueError, match="projection_type"):
        SecondaryIndex("g", ("a",), "EVERYTHING")
    with pytest.raises(ValueError, match="key_attributes"):
        SecondaryIndex("g", (), "ALL")
    with pytest.raises(ValueError, match="non_key_attributes"):
        SecondaryIndex("g", ("a",), "ALL", ("b",))


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="item"):
        index_write_units(5, None, ALL, TABLE_KEYS)
    with pytest.raises(TypeError, match="table_key_attributes"):
        index_entry({"pk": {"S": "a"}, "status": {"S": "x"}}, ALL, "pk")
    with pytest.raises(TypeError, match="index"):
        index_entry({}, "by_status", TABLE_KEYS)
