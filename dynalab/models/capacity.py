"""What reading and writing costs, in capacity units, from item sizes in bytes (sizes: ``dynalab.models.sizing``).

The rules ([src:capacity-unit-sizes], [src:read-rounding-4-kb], [src:query-page-1-mb], [src:filter-after-read]):

* **Reads** count in 4 KB blocks (1 KB = 1,024 B), rounded up: per block 1 RCU strongly consistent, 0.5 RCU
  eventually consistent (GetItem's default), 2 RCU transactional. 16 KB strong = 4 RCU, eventual = 2 (the
  second source article's example). A read that finds nothing still costs one block.
* **Writes** count in 1 KB blocks, rounded up: 1 WCU a block, 2 transactional. 16 KB = 16 WCU (the article).
* **PutItem / UpdateItem** are charged on the larger of the item before and after; **DeleteItem** on the item
  deleted. A **failed conditional write** is still charged.
* **BatchGetItem / BatchWriteItem** round each item on its own, then sum: reading 1.5 KB + 6.5 KB costs
  1 + 2 blocks; writing 500 B + 3.5 KB costs 1 + 4 WCU.
* **Query / Scan** sum the sizes of all items read (evaluated, before any filter) and round once: 10 items
  totalling 40.8 KB count as 44 KB; 1,500 items of 64 B as 96 KB.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from dynalab.models import checks
from dynalab.models.quotas import BATCH_GET_MAX_KEYS, BATCH_WRITE_MAX_REQUESTS, MAX_ITEM_SIZE_BYTES

__all__ = [
    "CONSISTENCIES",
    "MAX_SIZES",
    "READ_BLOCK_BYTES",
    "WRITE_BLOCK_BYTES",
    "PAGE_LIMIT_BYTES",
    "ItemCost",
    "Page",
    "batch_read_units",
    "batch_write_units",
    "delete_write_units",
    "first_page",
    "item_cost",
    "page_read_units",
    "put_write_units",
    "query_read_units",
    "read_units",
    "write_units",
]

READ_BLOCK_BYTES = 4 * 1024
WRITE_BLOCK_BYTES = 1024
#: A Query or Scan page stops once it has read 1 MB (Query.Pagination.html), before any filter.
from dynalab.models.quotas import PAGE_LIMIT_BYTES  # noqa: E402  (re-exported)

#: RCU per 4 KB block for each kind of read.
CONSISTENCIES = {"strong": 1.0, "eventual": 0.5, "transactional": 2.0}


def _checked_size(size_bytes: int, name: str = "size_bytes", high: int = MAX_ITEM_SIZE_BYTES) -> int:
    """An item's size: 0 to 409,600 B (400 KB, the largest item), so write_units(409_601) is an error."""
    return checks.size_bytes(name, size_bytes, high=high)


def _rate(consistency: str) -> float:
    return CONSISTENCIES[checks.choice("consistency", consistency, CONSISTENCIES)]


#: dynalab's bound on the item sizes one call sums (not an AWS limit: a Query reads any number of items, a page at
#: a time): each size is checked in Python, about 5 µs each, so 100,000 take about half a second.
MAX_SIZES = 100_000


def _sizes(name: str, sizes_bytes: Iterable[int], max_items: int = MAX_SIZES) -> list[int]:
    """A list of item sizes, each 0 to 409,600 B (``sizes_bytes[i]`` named in the error)."""
    return checks.sequence_of(name, sizes_bytes, checks.size_bytes, max_length=max_items)


def read_blocks(size_bytes: int) -> int:
    """4 KB blocks a read of this many bytes counts as (at least one: a read that finds nothing is charged).
    Any size (a Query page holds up to 1 MB plus the item that crosses it)."""
    return max(1, math.ceil(checks.number("size_bytes", size_bytes, low=0, integer=True) / READ_BLOCK_BYTES))


def write_blocks(size_bytes: int) -> int:
    """1 KB blocks a write of this many bytes counts as (at least one)."""
    return max(1, math.ceil(_checked_size(size_bytes) / WRITE_BLOCK_BYTES))


def page_read_units(size_bytes: int, consistency: str = "strong") -> float:
    """RCU to read a Query/Scan page of ``size_bytes`` (any size): 4 KB blocks × 1, 0.5 or 2."""
    return read_blocks(size_bytes) * _rate(consistency)


def read_units(size_bytes: int, consistency: str = "strong") -> float:
    """RCU to read one item of ``size_bytes`` (0 to 409,600 B): 4 KB blocks × 1, 0.5 or 2."""
    return page_read_units(_checked_size(size_bytes), consistency)


def write_units(size_bytes: int, transactional: bool = False) -> float:
    """WCU to write one item of ``size_bytes`` (0 to 409,600 B): 1 KB blocks × 1 (2 in a transaction)."""
    return float(write_blocks(size_bytes) * (2 if checks.flag("transactional", transactional) else 1))


def put_write_units(new_size_bytes: int, old_size_bytes: int | None = None, transactional: bool = False) -> float:
    """PutItem/UpdateItem: charged on the larger of the new item and the item it replaces (if any)."""
    larger = max(_checked_size(new_size_bytes, "new_size_bytes"),
                 0 if old_size_bytes is None else _checked_size(old_size_bytes, "old_size_bytes"))
    return write_units(larger, checks.flag("transactional", transactional))


def delete_write_units(old_size_bytes: int | None, transactional: bool = False) -> float:
    """DeleteItem: charged on the deleted item's size; deleting nothing still costs 1 WCU."""
    return write_units(0 if old_size_bytes is None else _checked_size(old_size_bytes, "old_size_bytes"),
                       transactional)


def query_read_units(sizes_bytes: Iterable[int], consistency: str = "eventual") -> float:
    """Query/Scan page: the sizes of all items read are summed, then rounded up to 4 KB once."""
    return page_read_units(sum(_sizes("sizes_bytes", sizes_bytes)), consistency)


def batch_read_units(sizes_bytes: Iterable[int], consistency: str = "eventual") -> float:
    """BatchGetItem (at most 100 keys): each item rounded up to 4 KB on its own, then summed."""
    return sum(read_units(size, consistency) for size in _sizes("sizes_bytes", sizes_bytes, BATCH_GET_MAX_KEYS))


def batch_write_units(sizes_bytes: Iterable[int]) -> float:
    """BatchWriteItem (at most 25 requests): each item rounded up to 1 KB on its own, then summed."""
    return sum(write_units(size) for size in _sizes("sizes_bytes", sizes_bytes, BATCH_WRITE_MAX_REQUESTS))


@dataclass(frozen=True)
class ItemCost:
    """Everything one item costs to read and write, for a table in the lesson."""

    size_bytes: int
    strong_read_units: float
    eventual_read_units: float
    transactional_read_units: float
    write_units: float
    transactional_write_units: float


def item_cost(size_bytes: int) -> ItemCost:
    """The five prices of one item of ``size_bytes``."""
    return ItemCost(
        size_bytes=_checked_size(size_bytes),
        strong_read_units=read_units(size_bytes, "strong"),
        eventual_read_units=read_units(size_bytes, "eventual"),
        transactional_read_units=read_units(size_bytes, "transactional"),
        write_units=write_units(size_bytes),
        transactional_write_units=write_units(size_bytes, transactional=True),
    )


@dataclass(frozen=True)
class Page:
    """The first page of a Query or Scan: how many items it reads, their bytes, and what it costs."""

    item_count: int
    size_bytes: int
    read_units: float
    more: bool  # True when items are left for a next page (LastEvaluatedKey)


def first_page(sizes_bytes: Iterable[int], consistency: str = "eventual") -> Page:
    """The first 1 MB page over items of these sizes, in key order: DynamoDB reads until the page holds 1 MB.

    The item that crosses 1 MB is still part of the page (dynalite does the same), which is why a full
    eventually consistent page of 4,000 B items costs 128.5 RCU, not 128 (a third-party measurement on DynamoDB,
    dev.to "DynamoDB scan and why 128.5 RCU").
    """
    sizes = _sizes("sizes_bytes", sizes_bytes)
    total = count = 0
    for size in sizes:
        if total >= PAGE_LIMIT_BYTES:
            break
        total += size
        count += 1
    return Page(count, total, page_read_units(total, consistency), count < len(sizes))
