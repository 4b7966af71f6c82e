"""What one DynamoDB request is charged, in capacity units, from the item sizes it read and wrote.

The meter (``dynalab.fidelity.metering``) finds the sizes (in the request, the answer, or by reading old items);
these functions turn them into units, with no I/O, so the rules are tested on their own
(tests/models/test_charges.py). Sources: [src:read-rounding-4-kb], [src:capacity-unit-sizes].

* **GetItem**: the item's 4 KB blocks (a key that finds nothing: one block) × 1 strong / 0.5 eventual.
* **Query / Scan**: the sizes of the items read (evaluated, before any filter) summed, then rounded up to 4 KB
  once. An empty Query or Scan still costs one block (DynamoDB charges for the partitions searched "even if no
  data exists").
* **BatchGetItem**: each key a read of its own; **TransactGetItems**: 2 RCU per 4 KB block of each item.
* **PutItem / UpdateItem**: the larger of the item before and after, 1 KB blocks; **DeleteItem**: the deleted
  item (nothing deleted: 1 WCU). A failed conditional write is still charged: a Put on the larger of the new item
  and the existing one (1 WCU when there is none), an Update or Delete on the existing item.
* **Transactional Put, Update and Delete**: 2 WCU per 1 KB of the larger of the before and after item, the same
  rule whatever the operation (§0): a 3 KB transactional update = 6 WCU. A **ConditionCheck** is charged the
  transactional minimum, 2 WCU (no AWS text sizes it: dynalab's choice, stated).
* **BatchWriteItem**: each write rounded on its own (the larger of before and after, like PutItem), then summed.
"""

from __future__ import annotations

from collections.abc import Iterable

from dynalab.i18n import tr
from dynalab.models.capacity import page_read_units, put_write_units, read_units, write_units

__all__ = [
    "WRITE_ACTIONS",
    "batch_get_units",
    "batch_write_units",
    "get_units",
    "query_units",
    "transact_get_units",
    "transact_write_units",
    "write_action_units",
]

#: The write actions a request can carry (single calls, batches, transactions).
WRITE_ACTIONS = ("Put", "Update", "Delete", "ConditionCheck")


def get_units(item_size_bytes: int | None, consistency: str = "eventual") -> float:
    """GetItem: the item's 4 KB blocks (None: no item found, still one block)."""
    return read_units(item_size_bytes or 0, consistency)


def query_units(page_size_bytes: int, consistency: str = "eventual") -> float:
    """One Query or Scan page: the sizes of the items evaluated, summed (a page may hold up to 1 MB, far past one
    item's 400 KB), rounded up to 4 KB once (empty: one block)."""
    return page_read_units(page_size_bytes, consistency)


def batch_get_units(item_sizes_bytes: Iterable[int | None], consistency: str = "eventual") -> float:
    """BatchGetItem (one table): each key a read of its own; None for a key that found nothing."""
    return sum(get_units(size, consistency) for size in item_sizes_bytes)


def transact_get_units(item_sizes_bytes: Iterable[int | None]) -> float:
    """TransactGetItems: 2 RCU per 4 KB block of each item."""
    return sum(read_units(size or 0, "transactional") for size in item_sizes_bytes)


def write_action_units(action: str, *, new_size_bytes: int | None = None, old_size_bytes: int | None = None,
                       ok: bool = True, transactional: bool = False) -> float:
    """WCU of one write: ``action`` one of WRITE_ACTIONS; ``new_size_bytes`` the item written (a Put's item, an
    Update's result), ``old_size_bytes`` the item it replaced (None: there was none); ``ok=False`` for a write
    whose condition failed (nothing written, still charged)."""
    if action not in WRITE_ACTIONS:
        raise ValueError(tr("action must be one of {choices}; got {action!r}",
                            choices=", ".join(WRITE_ACTIONS), action=action))
    if action == "ConditionCheck":
        return write_units(0, transactional=True)
    if action == "Delete":
        return write_units(old_size_bytes or 0, transactional)
    if not ok:
        if action == "Put" and old_size_bytes is None:
            return write_units(0, transactional)  # a failed condition on a missing item: 1 WCU (§2)
        new_size_bytes = new_size_bytes if action == "Put" else 0  # a failed Update wrote nothing
    return put_write_units(new_size_bytes or 0, old_size_bytes, transactional)


def transact_write_units(actions: Iterable[tuple[str, int | None, int | None]]) -> float:
    """TransactWriteItems (one table): ``(action, new_size_bytes, old_size_bytes)`` per action, 2× rates."""
    return sum(write_action_units(action, new_size_bytes=new, old_size_bytes=old, transactional=True)
               for action, new, old in actions)


def batch_write_units(writes: Iterable[tuple[str, int | None, int | None]]) -> float:
    """BatchWriteItem (one table): ``(action, new_size_bytes, old_size_bytes)`` per write, "Put" or "Delete"."""
    return sum(write_action_units(action, new_size_bytes=new, old_size_bytes=old) for action, new, old in writes)
