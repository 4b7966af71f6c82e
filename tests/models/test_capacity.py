"""Capacity units, pinned to the source article's and the AWS docs' worked examples."""

from __future__ import annotations

import pytest

from dynalab.models.capacity import (
    batch_read_units,
    batch_write_units,
    delete_write_units,
    first_page,
    item_cost,
    page_read_units,
    put_write_units,
    query_read_units,
    read_units,
    write_units,
)

KB = 1024


def test_the_articles_examples():
    # the first source article: 16 KB strongly consistent = 16/4 = 4 RCU; eventually consistent half = 2; write 16 WCU.
    assert read_units(16 * KB, "strong") == 4
    assert read_units(16 * KB, "eventual") == 2
    assert write_units(16 * KB) == 16


def test_aws_read_examples():
    # read-write-operations.html: 3,500 B costs like 4 KB; an 8 KB item 2 / 1 / 4; a 10 KB item counts as 12 KB.
    assert read_units(3500, "strong") == 1
    assert (read_units(8 * KB, "strong"), read_units(8 * KB, "eventual"), read_units(8 * KB, "transactional")) == (
        2, 1, 4)
    assert read_units(10 * KB, "strong") == 3


def test_rounding_edges():
    assert read_units(4 * KB, "strong") == 1
    assert read_units(4 * KB + 1, "strong") == 2
    assert write_units(KB) == 1
    assert write_units(KB + 1) == 2
    assert write_units(KB, transactional=True) == 2
    assert read_units(0, "eventual") == 0.5  # a read that finds nothing is still charged
    assert write_units(0) == 1


def test_batch_rounds_each_item_query_rounds_once():
    # [src:read-rounding-4-kb]:
    # BatchGet of 1.5 KB + 6.5 KB costs 12 KB (3 blocks); BatchWrite of 500 B + 3.5 KB costs 5.
    assert batch_read_units([1536, 6656], "strong") == 3
    assert batch_write_units([500, 3584]) == 5
    # Query: 10 items totalling 40.8 KB count as 44 KB; 1,500 items of 64 B as 96 KB.
    assert query_read_units([int(40.8 * KB) // 10] * 10, "strong") == 11
    assert query_read_units([64] * 1500, "strong") == 24
    # Why a query of 10 small items costs less than 10 gets:
    assert query_read_units([100] * 10, "eventual") == 0.5
    assert batch_read_units([100] * 10, "eventual") == 5


def test_eventually_consistent_full_page():
    # A 1 MB page read eventually consistent: 1024/4 x 0.5 = 128 RCU.
    assert page_read_units(1024 * KB, "eventual") == 128


def test_one_item_past_400_kb_is_refused_not_priced():
    # write_units(409_601) is an error, not 401 WCU: no item is larger than 400 KB (ServiceQuotas.html).
    assert write_units(409_600) == 400
    for price in (write_units, read_units, item_cost):
        with pytest.raises(ValueError, match=r"size_bytes must be an integer from 0 to 409,600 .*got 409601"):
            price(409_601)
    with pytest.raises(ValueError, match="sizes_bytes must be a list of at most 25 elements"):
        batch_write_units([100] * 26)
    with pytest.raises(ValueError, match="sizes_bytes must be a list of at most 100 elements"):
        batch_read_units([100] * 101)
    with pytest.raises(TypeError, match="transactional must be True or False; got 'no'"):
        write_units(1000, transactional="no")


def test_a_full_page_of_4000_byte_items_costs_128_5_rcu():
    # dev.to "DynamoDB scan and why 128.5 RCU" (a third-party measurement): the item crossing 1 MB is in the page.
    page = first_page([4000] * 1000, "eventual")
    assert (page.item_count, page.size_bytes, page.read_units, page.more) == (263, 1_052_000, 128.5, True)
    assert first_page([100] * 10).more is False


def test_writes_charge_the_larger_item():
    assert put_write_units(500, 3000) == 3
    assert put_write_units(3000, 500) == 3
    assert put_write_units(3000) == 3
    assert delete_write_units(2500) == 3
    assert delete_write_units(None) == 1


def test_item_cost_lists_all_five_prices():
    cost = item_cost(16 * KB)
    assert (cost.strong_read_units, cost.eventual_read_units, cost.transactional_read_units,
            cost.write_units, cost.transactional_write_units) == (4, 2, 8, 16, 32)


@pytest.mark.parametrize("size", [-1, -4096])
def test_negative_sizes_are_refused(size):
    with pytest.raises(ValueError, match=str(size)):
        read_units(size)
    with pytest.raises(ValueError, match=str(size)):
        write_units(size)


def test_bad_consistency_and_types():
    with pytest.raises(ValueError, match="'strong', 'eventual', 'transactional'"):
        read_units(10, "weak")
    with pytest.raises(TypeError, match="must be an integer"):
        read_units(1.5)
    with pytest.raises(TypeError, match="must be an integer"):
        write_units(True)
