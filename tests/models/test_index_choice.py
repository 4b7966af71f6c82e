"""Filter vs index in dollars (dynalab.models.index_choice), pinned to the capacity rules' documented examples."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dynalab.models.index_choice import (
    HOURS_PER_MONTH,
    crossover_curve,
    filter_or_index,
    query_read_units_for,
    sparse_index_writes_per_second,
)
from dynalab.models.pricing import DEFAULT_PRICES, Prices

PATTERN = dict(items_read_per_query=1000, item_size_bytes=2000, index_entry_size_bytes=100)


def test_a_query_sums_then_rounds_once_per_page():
    # read-write-operations.html: 1,500 items of 64 B count as 96 KB (96,000 B: 24 blocks).
    assert query_read_units_for(1500, 64, "strong") == 24
    assert query_read_units_for(1500, 64, "eventual") == 12
    # A Query that reads nothing still costs one block.
    assert query_read_units_for(0, 100) == 0.5


def test_a_query_past_1_mb_is_rounded_per_page():
    # 1,000 items of 2,000 B: a page of 525 items (1,050,000 B: 257 blocks), then 475 (950,000 B: 232 blocks).
    assert query_read_units_for(1000, 2000, "strong") == 257 + 232
    assert query_read_units_for(1000, 2000, "eventual") == (257 + 232) / 2


def test_the_filter_pays_for_what_it_reads_not_what_it_returns():
    few = filter_or_index(selectivity=0.01, queries_per_second=1, index_writes_per_second=0, **PATTERN)
    many = filter_or_index(selectivity=0.9, queries_per_second=1, index_writes_per_second=0, **PATTERN)
    assert few.filter_read_units_per_query == many.filter_read_units_per_query == 244.5
    # The index reads only the matches: 10 entries of 100 B (one block), 900 (22 blocks).
    assert few.index_read_units_per_query == 0.5
    assert many.index_read_units_per_query == 11


def test_dollars_come_from_the_price_list():
    choice = filter_or_index(selectivity=0.01, queries_per_second=2, index_writes_per_second=3,
                             index_item_count=10_000_000, **PATTERN)
    seconds = HOURS_PER_MONTH * 3600
    assert choice.filter_dollars_per_month == pytest.approx(2 * 244.5 * seconds * 0.125e-6)
    assert choice.index_read_dollars_per_month == pytest.approx(2 * 0.5 * seconds * 0.125e-6)
    # One 100 B entry: 1 WCU per index write, at $0.625 per million write request units.
    assert choice.index_write_units_per_write == 1
    assert choice.index_write_dollars_per_month == pytest.approx(3 * seconds * 0.625e-6)
    # 10 M entries of 100 B + 100 B overhead, $0.25 per GB-month.
    assert choice.index_storage_dollars_per_month == pytest.approx(10_000_000 * 200 / 1024**3 * 0.25)
    assert choice.cheaper == "index"
    assert "cheaper: index" in choice.describe()


def test_provisioned_prices_hold_the_average_rate_for_730_hours():
    choice = filter_or_index(selectivity=0.01, queries_per_second=2, index_writes_per_second=3, mode="provisioned",
                             **PATTERN)
    assert choice.filter_dollars_per_month == pytest.approx(2 * 244.5 * 0.00013 * 730)
    assert choice.index_write_dollars_per_month == pytest.approx(3 * 0.00065 * 730)


def test_the_crossover_is_where_the_two_costs_meet():
    base = dict(selectivity=0.05, index_writes_per_second=50, index_item_count=1_000_000, **PATTERN)
    crossover = filter_or_index(queries_per_second=1, **base).crossover_queries_per_second
    below = filter_or_index(queries_per_second=crossover * 0.99, **base)
    above = filter_or_index(queries_per_second=crossover * 1.01, **base)
    at = filter_or_index(queries_per_second=crossover, **base)
    assert below.cheaper == "filter" and above.cheaper == "index"
    assert at.filter_dollars_per_month == pytest.approx(at.index_dollars_per_month)


def test_an_index_that_reads_as_much_as_the_filter_never_pays_off():
    # Every item matches and the entry is the whole item: the index reads what the filter reads, and adds writes.
    choice = filter_or_index(items_read_per_query=10, item_size_bytes=400, index_entry_size_bytes=400,
                             selectivity=1.0, queries_per_second=100, index_writes_per_second=1)
    assert math.isinf(choice.crossover_queries_per_second) and choice.cheaper == "filter"
    assert "never" in choice.describe()


def test_a_write_costs_five_times_a_read_so_units_are_never_summed():
    prices = Prices()
    one_write = filter_or_index(selectivity=0.5, queries_per_second=0, index_writes_per_second=1, **PATTERN)
    assert one_write.index_write_dollars_per_month == pytest.approx(
        5 * HOURS_PER_MONTH * 3600 * prices.request_unit("read"))


def test_the_crossover_curve_rises_with_selectivity():
    curve = crossover_curve([0.001, 0.01, 0.1, 0.5], writes_per_second=20, table_item_count=1_000_000, **PATTERN)
    assert np.all(np.diff(curve) > 0)
    # 10 % of 20 orders a second enter the index and leave it: 0.1 x 20 x 2 = 4 index writes a second
    direct = filter_or_index(selectivity=0.1, queries_per_second=1, index_writes_per_second=4,
                             index_item_count=100_000, **PATTERN)
    assert curve[2] == pytest.approx(direct.crossover_queries_per_second)


def test_an_index_pays_the_open_the_updates_and_the_close_of_each_entry():
    # [src:gsi-index-write-rules]: a put when the attribute appears, one write per update of a projected attribute,
    # one write to delete the entry when the indexed attribute is removed
    assert sparse_index_writes_per_second(0.05, 10) == pytest.approx(1.0)  # opened and closed: 2 writes each
    assert sparse_index_writes_per_second(0.05, 10, updates_while_indexed=1) == pytest.approx(1.5)
    opened_only = filter_or_index(selectivity=0.05, queries_per_second=1, index_writes_per_second=0.5,
                                  index_item_count=50_000, **PATTERN).crossover_queries_per_second
    full_life = crossover_curve([0.05], writes_per_second=10, table_item_count=1_000_000, updates_while_indexed=1,
                                **PATTERN)[0]
    assert full_life > opened_only  # counting the updates and the deletes, the index pays off later


def test_a_keys_only_index_pays_a_get_item_per_match():
    # [src:gsi-no-fetch]: 10 matches of 200 orders of 2,000 B; the KEYS_ONLY query reads 10 entries of 57 B
    # (0.5 RCU), then 10 GetItems of 2,000 B at 0.5 RCU each: 5.5 RCU, against 49 for the filter and 2.5 with ALL
    keys_only = filter_or_index(items_read_per_query=200, item_size_bytes=2000, index_entry_size_bytes=57,
                                selectivity=0.05, queries_per_second=1, index_writes_per_second=0,
                                fetch_item_size_bytes=2000)
    assert (keys_only.filter_read_units_per_query, keys_only.index_read_units_per_query) == (49.0, 5.5)
    everything = filter_or_index(items_read_per_query=200, item_size_bytes=2000, index_entry_size_bytes=2000,
                                 selectivity=0.05, queries_per_second=1, index_writes_per_second=0)
    assert everything.index_read_units_per_query == 2.5


@pytest.mark.parametrize("name, value", [
    ("selectivity", 1.5), ("selectivity", -0.1), ("queries_per_second", -1), ("queries_per_second", float("nan")),
    ("items_read_per_query", 0), ("item_size_bytes", 2.5), ("index_entry_size_bytes", True),
    ("index_item_count", -3), ("mode", "reserved"), ("consistency", "psychic"),
])
def test_bad_input_names_the_parameter(name, value):
    args = dict(selectivity=0.1, queries_per_second=1, index_writes_per_second=1, **PATTERN)
    args[name] = value
    with pytest.raises(ValueError, match=name):
        filter_or_index(**args)


def test_prices_must_be_a_price_table():
    with pytest.raises(TypeError, match="prices"):
        filter_or_index(selectivity=0.1, queries_per_second=1, index_writes_per_second=1, prices={"x": 1},
                        **PATTERN)
    assert DEFAULT_PRICES.request_unit("write") == pytest.approx(5 * DEFAULT_PRICES.request_unit("read"))
