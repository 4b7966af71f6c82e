"""The charge rules on their own (no engine), pinned to [src:read-rounding-4-kb] and [src:capacity-unit-sizes]."""

from __future__ import annotations

import pytest

from dynalab.models.charges import (
    batch_get_units,
    batch_write_units,
    get_units,
    query_units,
    transact_get_units,
    transact_write_units,
    write_action_units,
)

KB = 1024


def test_reads():
    assert get_units(8 * KB, "strong") == 2 and get_units(8 * KB, "eventual") == 1
    assert get_units(None, "strong") == 1  # a key that found nothing still costs one block
    # Query sums then rounds once: 10 items totalling 40.8 KB count as 44 KB (11 blocks).
    assert query_units(int(40.8 * KB), "strong") == 11
    assert query_units(0, "eventual") == 0.5  # an empty Query is still charged
    # A page is not an item: an eventually consistent 1 MB page is 1024/4 x 0.5 = 128 RCU (read-write-operations.html),
    # though no single item may pass 400 KB.
    assert query_units(1024 * KB, "eventual") == 128
    # BatchGetItem rounds each item: 1.5 KB + 6.5 KB = 1 + 2 blocks
    assert batch_get_units([int(1.5 * KB), int(6.5 * KB)], "strong") == 3
    assert transact_get_units([8 * KB, None]) == 4 + 2


def test_single_writes_larger_of_before_and_after():
    assert write_action_units("Put", new_size_bytes=500, old_size_bytes=3500) == 4
    assert write_action_units("Update", new_size_bytes=2100, old_size_bytes=100) == 3
    assert write_action_units("Delete", old_size_bytes=2048) == 2
    assert write_action_units("Delete", old_size_bytes=None) == 1


def test_failed_conditional_writes_are_charged():
    assert write_action_units("Put", new_size_bytes=5000, old_size_bytes=None, ok=False) == 1
    assert write_action_units("Put", new_size_bytes=5000, old_size_bytes=100, ok=False) == 5
    assert write_action_units("Update", new_size_bytes=None, old_size_bytes=3000, ok=False) == 3


def test_transactional_writes_two_units_per_kb_of_the_larger_item():
    # read-write-operations.html today: Put, Update and Delete alike.
    assert write_action_units("Update", new_size_bytes=3 * KB, old_size_bytes=1 * KB, transactional=True) == 6
    assert write_action_units("Update", new_size_bytes=1 * KB, old_size_bytes=3 * KB, transactional=True) == 6
    assert write_action_units("Delete", old_size_bytes=3 * KB, transactional=True) == 6
    assert write_action_units("Put", new_size_bytes=2500, transactional=True) == 6
    assert write_action_units("ConditionCheck", old_size_bytes=9 * KB, transactional=True) == 2
    assert transact_write_units([("Update", 3 * KB, 2 * KB), ("Put", 100, None), ("ConditionCheck", None, None)]) \
        == 6 + 2 + 2


def test_batch_writes_round_each_item():
    # writing 500 B + 3.5 KB costs 1 + 4 WCU; a delete of an unknown item 1
    assert batch_write_units([("Put", 500, None), ("Put", int(3.5 * KB), None), ("Delete", None, None)]) == 6


def test_bad_action_is_named():
    with pytest.raises(ValueError, match="action"):
        write_action_units("Upsert", new_size_bytes=1)
