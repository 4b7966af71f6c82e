"""Filter or index? What a query the table's key cannot answer costs each way, in dollars a month.

Two ways to find "the items of this partition whose ``status`` is ``open``":

* **filter**: Query the partition with a FilterExpression. DynamoDB charges every item the Query *reads*, before
  the filter throws most away (Query.FilterExpression.html, read-write-operations.html): the filter saves network,
  not capacity. Writes cost nothing extra.
* **index**: a (sparse) secondary index keyed on ``status``. A Query on it reads only the matching index entries,
  but every table write that puts, changes or removes an index entry also writes the index
  [src:gsi-index-write-rules], and the index's entries are stored (and billed) too [src:gsi-storage-billed]. A GSI
  Query cannot fetch what its projection lacks [src:gsi-no-fetch]: with a KEYS_ONLY (or too narrow INCLUDE) index
  each match costs a GetItem of the item too (``fetch_item_size_bytes``).

The table's own writes are the same both ways and are left out. Reads are priced as read request units, writes as
write request units (on-demand), or, with ``mode="provisioned"``, as capacity held at exactly the average rate (100 %
utilisation: the cheapest provisioned capacity can ever be; real tables hold more). Units of the two kinds have
different prices (a WCU costs 5x an RCU), so the comparison is in dollars (``dynalab.models.pricing``), never in
summed units.

``index_writes_per_second`` is the caller's count of index-entry writes; ``sparse_index_writes_per_second`` counts
them for a sparse index's life cycle: each item that enters the index is put (1 write), rewritten by every update
of a projected attribute while it is there (1 write each), and deleted when the indexed attribute is removed (1
write) [src:gsi-index-write-rules]. (A write that changes an indexed key's value costs two: delete + put.) The index
entry's size comes from the caller too (``dynalab.models.indexes`` computes it from the projection).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.models.capacity import CONSISTENCIES, page_read_units, read_units, write_units
from dynalab.models.pricing import DEFAULT_PRICES, Prices
from dynalab.models.quotas import PAGE_LIMIT_BYTES, STORAGE_OVERHEAD_BYTES_PER_ITEM

__all__ = ["HOURS_PER_MONTH", "MODES", "IndexChoice", "crossover_curve", "filter_or_index", "query_read_units_for",
           "sparse_index_writes_per_second"]

#: The month of the AWS Pricing Calculator: 730 hours.
HOURS_PER_MONTH = 730.0
MODES = ("on_demand", "provisioned")
_GB = 1024**3


def _whole(name: str, value: object, low: int = 0) -> int:
    return checks.number(name, value, low=low, integer=True)


def _number(name: str, value: object, low: float = 0.0, high: float = math.inf) -> float:
    return float(checks.number(name, value, low=low, high=None if high == math.inf else high))


def sparse_index_writes_per_second(selectivity: float, items_written_per_second: float, *,
                                   updates_while_indexed: int = 0) -> float:
    """Index-entry writes per second of a sparse index holding ``selectivity`` of the items written: each such item
    is put into the index when it gets the indexed attribute (1 write), rewritten by each of its
    ``updates_while_indexed`` updates of a projected attribute (1 write each) and deleted when the attribute is
    removed (1 write) [src:gsi-index-write-rules]. 5 % of 10 orders a second, each updated once while open:
    0.05 x 10 x (1 + 1 + 1) = 1.5 index writes a second."""
    share = _number("selectivity", selectivity, 0.0, 1.0)
    rate = _number("items_written_per_second", items_written_per_second)
    updates = checks.number("updates_while_indexed", updates_while_indexed, low=0, high=10_000, integer=True)
    return share * rate * (2 + updates)


def query_read_units_for(item_count: float, item_size_bytes: int, consistency: str = "eventual") -> float:
    """Read units of a Query that reads ``item_count`` items of ``item_size_bytes`` each, over all its pages.

    Each page stops after the item that takes it to 1 MB and is rounded up to 4 KB on its own; a Query that reads
    nothing still costs one block. ``item_count`` may be fractional (an expected count: selectivity x items).
    """
    count = _number("item_count", item_count)
    size = _whole("item_size_bytes", item_size_bytes, 1)
    checks.choice("consistency", consistency, CONSISTENCIES)
    per_page = math.ceil(PAGE_LIMIT_BYTES / size)  # the item that crosses 1 MB is still on the page
    full_pages, rest = divmod(count, per_page)
    units = full_pages * page_read_units(per_page * size, consistency)
    if rest > 0 or full_pages == 0:
        units += page_read_units(math.ceil(rest * size), consistency)
    return float(units)


@dataclass(frozen=True)
class IndexChoice:
    """One access pattern served by a filtered Query and by an index: units per call and dollars a month."""

    mode: str
    selectivity: float
    queries_per_second: float
    index_writes_per_second: float
    filter_read_units_per_query: float
    index_read_units_per_query: float
    index_write_units_per_write: float
    filter_dollars_per_month: float
    index_read_dollars_per_month: float
    index_write_dollars_per_month: float
    index_storage_dollars_per_month: float
    #: queries per second above which the index is cheaper (inf: never, the index reads as much as the filter)
    crossover_queries_per_second: float

    @property
    def index_dollars_per_month(self) -> float:
        return self.index_read_dollars_per_month + self.index_write_dollars_per_month \
            + self.index_storage_dollars_per_month

    @property
    def cheaper(self) -> str:
        """"index" or "filter" (a tie goes to the filter: no index to build and keep)."""
        return "index" if self.index_dollars_per_month < self.filter_dollars_per_month else "filter"

    def describe(self) -> str:
        crossover = (tr("never") if math.isinf(self.crossover_queries_per_second)
                     else tr("above {rate:,.3g} queries/s", rate=self.crossover_queries_per_second))
        return tr("filter: {filter_units:g} read units a query, ${filter_dollars:,.2f} a month; index: "
                  "{index_units:g} read units a query + {index_write_units:g} WCU per index write, "
                  "${index_dollars:,.2f} a month (reads ${read_dollars:,.2f}, writes ${write_dollars:,.2f}, storage "
                  "${storage_dollars:,.2f}); cheaper: {cheaper}; the index pays off {crossover} ({mode} prices)",
                  filter_units=self.filter_read_units_per_query, filter_dollars=self.filter_dollars_per_month,
                  index_units=self.index_read_units_per_query, index_write_units=self.index_write_units_per_write,
                  index_dollars=self.index_dollars_per_month, read_dollars=self.index_read_dollars_per_month,
                  write_dollars=self.index_write_dollars_per_month,
                  storage_dollars=self.index_storage_dollars_per_month,
                  cheaper=tr("index") if self.cheaper == "index" else tr("filter"), crossover=crossover,
                  mode=tr("on-demand") if self.mode == "on_demand" else tr("provisioned"))


def _unit_dollars(kind: str, mode: str, prices: Prices) -> float:
    """Dollars for one unit per second held for a month (provisioned) or served for a month (on-demand)."""
    if mode == "provisioned":
        return prices.capacity_unit_hour(kind) * HOURS_PER_MONTH
    return prices.request_unit(kind) * HOURS_PER_MONTH * 3600.0


def filter_or_index(
    *,
    items_read_per_query: int,
    item_size_bytes: int,
    selectivity: float,
    queries_per_second: float,
    index_writes_per_second: float,
    index_entry_size_bytes: int,
    index_item_count: int = 0,
    consistency: str = "eventual",
    mode: str = "on_demand",
    prices: Prices = DEFAULT_PRICES,
    fetch_item_size_bytes: int | None = None,
) -> IndexChoice:
    """Dollars a month to answer one query pattern by filtering a partition, and by an index.

    ``items_read_per_query`` items of ``item_size_bytes`` are read by the filtered Query; ``selectivity`` of them
    (0 to 1) match, and the index Query reads only those, as entries of ``index_entry_size_bytes``.
    ``index_writes_per_second`` index-entry writes (each ``write_units(index_entry_size_bytes)``) and
    ``index_item_count`` stored entries (each plus 100 B of overhead) are what the index adds.
    A GSI reads eventually consistent only; pass ``consistency="strong"`` for an LSI. ``fetch_item_size_bytes``: the
    index does not project what the query needs (KEYS_ONLY), so each match is also read with a GetItem of that size.
    """
    reads = _whole("items_read_per_query", items_read_per_query, 1)
    size = _whole("item_size_bytes", item_size_bytes, 1)
    share = _number("selectivity", selectivity, 0.0, 1.0)
    rate = _number("queries_per_second", queries_per_second)
    index_rate = _number("index_writes_per_second", index_writes_per_second)
    entry = checks.size_bytes("index_entry_size_bytes", index_entry_size_bytes, low=1)
    stored = _whole("index_item_count", index_item_count)
    checks.choice("mode", mode, MODES)
    if not isinstance(prices, Prices):
        raise TypeError(tr("prices must be a dynalab.models.pricing.Prices, got {type}", type=type(prices).__name__))
    filter_units = query_read_units_for(reads, size, consistency)
    index_units = query_read_units_for(share * reads, entry, consistency)
    if fetch_item_size_bytes is not None:  # a GSI cannot fetch from the table: a GetItem per match
        fetched = checks.size_bytes("fetch_item_size_bytes", fetch_item_size_bytes, low=1)
        index_units += share * reads * read_units(fetched, consistency)
    write_each = write_units(entry)
    read_dollar, write_dollar = _unit_dollars("read", mode, prices), _unit_dollars("write", mode, prices)
    fixed = index_rate * write_each * write_dollar + stored * (entry + STORAGE_OVERHEAD_BYTES_PER_ITEM) / _GB \
        * prices.storage_gb_month
    saved_per_query = (filter_units - index_units) * read_dollar  # dollars a month per query/s the index saves
    crossover = fixed / saved_per_query if saved_per_query > 0 else math.inf
    return IndexChoice(
        mode=mode, selectivity=share, queries_per_second=rate, index_writes_per_second=index_rate,
        filter_read_units_per_query=filter_units, index_read_units_per_query=index_units,
        index_write_units_per_write=write_each,
        filter_dollars_per_month=rate * filter_units * read_dollar,
        index_read_dollars_per_month=rate * index_units * read_dollar,
        index_write_dollars_per_month=index_rate * write_each * write_dollar,
        index_storage_dollars_per_month=stored * (entry + STORAGE_OVERHEAD_BYTES_PER_ITEM) / _GB
        * prices.storage_gb_month,
        crossover_queries_per_second=crossover,
    )


def crossover_curve(selectivities: Sequence[float] | np.ndarray, *, writes_per_second: float,
                    table_item_count: int = 0, updates_while_indexed: int = 0, **pattern: object) -> np.ndarray:
    """The crossover (queries per second above which the index is cheaper) for each selectivity.

    ``writes_per_second`` items (orders) are written a second; a sparse index holds the share ``s`` of them that
    match, so it pays ``sparse_index_writes_per_second(s, writes_per_second, updates_while_indexed=...)`` index
    writes (the put, the updates of projected attributes, the delete when the attribute is removed) and stores
    ``s x table_item_count`` entries; the other arguments go to ``filter_or_index``.
    """
    values = np.asarray(selectivities, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(tr("selectivities must be a non-empty sequence of fractions from 0 to 1"))
    writes = _number("writes_per_second", writes_per_second)
    items = _whole("table_item_count", table_item_count)
    pattern.setdefault("queries_per_second", 1.0)
    return np.array([
        filter_or_index(selectivity=float(s), index_writes_per_second=sparse_index_writes_per_second(
            float(s), writes, updates_while_indexed=updates_while_indexed),
                        index_item_count=round(float(s) * items), **pattern).crossover_queries_per_second
        for s in values
    ])
