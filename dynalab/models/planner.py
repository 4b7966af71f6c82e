"""The capstone planner: a table design (keys, indexes, access patterns) -> capacity units, partitions, the bill.

Pure: a design is a plain dict (``dynalab.plan_table`` also reads it from a YAML or JSON file, in
``dynalab.lessons.planner``); every rule comes from the course's models, none is restated here:

* units per request: ``dynalab.models.capacity`` (reads in 4 KB blocks x 1 / 0.5 / 2, writes in 1 KB blocks x 1 / 2;
  Query and Scan sum a page's items then round once, a page stopping at 1 MB; batches round each item);
* index writes: each GSI a write touches pays one write of its *index entry* (``dynalab.models.indexes`` sizes an
  entry from the projection: ALL, KEYS_ONLY, INCLUDE), two when the write changes the index key (delete + put);
* partitions: ``dynalab.models.partitions`` (the **2017 model**, labelled), and today's per-partition ceilings
  (3,000 read / 1,000 write units per second, ``dynalab.models.quotas``) as hot-key flags;
* dollars: ``dynalab.models.pricing`` (the 2026-12 price table), 730 hours a month (``quotas.HOURS_PER_MONTH``);
  storage counts the table and every index (an index item is billed too, with its 100 B of overhead
  [src:gsi-storage-billed]), without the 25 GB free tier, which is per account and Region and shared by every table
  [src:prices-storage-free-tier].

The design (the example is ``data/designs/orders.yaml``)::

    {"table": {"name": "orders", "partition_key": "pk", "sort_key": "sk", "size_gb": 12},
     "indexes": [{"name": "by_customer", "projection": "ALL"}],
     "patterns": [
       {"name": "get order", "operation": "GetItem", "item_bytes": 4096, "per_second": 100, "consistency": "strong"},
       {"name": "list orders", "operation": "Query", "items": 20, "item_bytes": 500, "per_second": 50,
        "consistency": "eventual"},
       {"name": "place order", "operation": "PutItem", "item_bytes": 1500, "per_second": 20,
        "indexes": ["by_customer"]}]}

plans to 175 RCU and 80 WCU: $54.57 a month provisioned, $188.89 on-demand, 2 partitions (2017 model, 12 GB).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dynalab.i18n import N_, tr
from dynalab.models._shown import Shown
from dynalab.models.autoscaling import validate_demand, validate_target_utilization
from dynalab.models.capacity import (
    CONSISTENCIES,
    delete_write_units,
    page_read_units,
    put_write_units,
    read_blocks,
    read_units,
    write_blocks,
    write_units,
)
from dynalab.models.indexes import PROJECTION_TYPES, entry_size_bytes
from dynalab.models.partitions import PartitionEstimate, estimate_partitions
from dynalab.models.pricing import DEFAULT_PRICES, Prices, on_demand_cost, provisioned_cost
from dynalab.models.quotas import (
    BATCH_GET_MAX_KEYS,
    BATCH_WRITE_MAX_REQUESTS,
    GLOBAL_SECONDARY_INDEXES_PER_TABLE,
    HOURS_PER_MONTH,
    MAX_ITEM_SIZE_BYTES,
    MODEL_MAX_SIZE_GB,
    PAGE_LIMIT_BYTES,
    PARTITION_MAX_READ_UNITS_PER_SECOND,
    PARTITION_MAX_WRITE_UNITS_PER_SECOND,
    SECONDS_PER_HOUR,
    STORAGE_OVERHEAD_BYTES_PER_ITEM,
    TABLE_NAME_LENGTHS,
    TABLE_NAME_PATTERN,
    TRANSACTION_MAX_ACTIONS,
)

__all__ = [
    "MODES",
    "OPERATIONS",
    "PARTITION_MODEL",
    "PROJECTIONS",
    "HotKey",
    "IndexDesign",
    "MonthlyBill",
    "PatternPlan",
    "TableDesign",
    "TablePlan",
    "WorkloadReplay",
    "plan_design",
]

#: operation -> "read" or "write"
OPERATIONS: dict[str, str] = {
    "GetItem": "read", "Query": "read", "Scan": "read", "BatchGetItem": "read", "TransactGetItems": "read",
    "PutItem": "write", "UpdateItem": "write", "DeleteItem": "write", "BatchWriteItem": "write",
    "TransactWriteItems": "write",
}
PROJECTIONS = PROJECTION_TYPES
MODES = ("provisioned", "on-demand")
PARTITION_MODEL = Shown(N_("2017 model (archived GuidelinesForTables.md): max(ceil(RCU/3000 + WCU/1000), "
                           "ceil(GB/10)); AWS no longer publishes a table's partition count"))

#: Defaults a design may leave out (shown by ``TablePlan.describe``): the bytes of the table's key attributes and
#: of an index's key attributes (names + values), used for KEYS_ONLY and INCLUDE entries and for verify's items.
DEFAULT_TABLE_KEY_BYTES = 32
DEFAULT_INDEX_KEY_BYTES = 24

#: dynalab's bounds on a design (the planner's own, not AWS limits): the items a planned Query or Scan reads per
#: request, the 1 MB pages they fill (each page is priced on its own: 10**7 items of 400 KB, 3.3 million pages,
#: took 28 s), the patterns of one design and their rates (a billion requests a second)
MAX_QUERY_ITEMS = 10_000_000
MAX_QUERY_PAGES = 1_000
MAX_PATTERNS = 100
MAX_REQUESTS_PER_SECOND = 10**9

_TABLE_FIELDS = ("name", "partition_key", "sort_key", "size_gb", "key_bytes")
_INDEX_FIELDS = ("name", "projection", "partition_key", "sort_key", "key_bytes", "projected_bytes", "keys", "size_gb")
_TOP_FIELDS = ("table", "indexes", "patterns")
#: fields each operation takes besides name, operation, per_second and keys
_PATTERN_FIELDS: dict[str, tuple[str, ...]] = {
    "GetItem": ("item_bytes", "consistency"),
    "Query": ("items", "item_bytes", "consistency", "index"),
    "Scan": ("items", "item_bytes", "consistency", "index"),
    "BatchGetItem": ("items", "item_bytes", "consistency"),
    "TransactGetItems": ("items", "item_bytes", "consistency"),
    "PutItem": ("item_bytes", "before_bytes", "indexes", "changes_index_key"),
    "UpdateItem": ("before_bytes", "after_bytes", "indexes", "changes_index_key"),
    "DeleteItem": ("item_bytes", "indexes"),
    "BatchWriteItem": ("items", "item_bytes", "indexes"),
    "TransactWriteItems": ("items", "item_bytes", "indexes"),
}
_COMMON_FIELDS = ("name", "operation", "per_second", "keys")
#: the most items one request of each operation may carry (ServiceQuotas.html, transaction-apis.html)
_MAX_ITEMS = {"BatchGetItem": BATCH_GET_MAX_KEYS, "BatchWriteItem": BATCH_WRITE_MAX_REQUESTS,
              "TransactGetItems": TRANSACTION_MAX_ACTIONS, "TransactWriteItems": TRANSACTION_MAX_ACTIONS}


# ----------------------------------------------------------------------------------------------- validation


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"{where}: {message}")


def _fields(where: str, spec: Any, allowed: Sequence[str], required: Sequence[str] = ()) -> Mapping[str, Any]:
    if not isinstance(spec, Mapping):
        raise _fail(where, tr("must be a mapping of {choices}; got {type} {spec!r:.60}",
                              choices=", ".join(allowed), type=type(spec).__name__, spec=spec))
    unknown = [name for name in spec if name not in allowed]
    if unknown:
        raise _fail(where, tr("unknown field(s) {choices}; allowed: {allowed}",
                              choices=", ".join(map(repr, unknown)), allowed=', '.join(allowed)))
    missing = [name for name in required if name not in spec]
    if missing:
        raise _fail(where, tr("missing field(s) {choices}", choices=", ".join(missing)))
    return spec


def _name(where: str, field_name: str, value: Any) -> str:
    low, high = TABLE_NAME_LENGTHS
    if not isinstance(value, str) or not low <= len(value) <= high or not re.fullmatch(TABLE_NAME_PATTERN, value):
        raise _fail(where, tr("{field_name} must be {low} to {high} characters of a-z, A-Z, 0-9, '_', '-' and '.'; "
                              "got {value!r}", field_name=field_name, low=low, high=high, value=value))
    return value


def _attribute(where: str, field_name: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise _fail(where, tr("{field_name} must be a non-empty attribute name; got {value!r}",
                              field_name=field_name, value=value))
    return value


def _integer(where: str, field_name: str, value: Any, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low \
            or (high is not None and value > high):
        allowed = (tr("from {low} to {high}", low=f"{low:,}", high=f"{high:,}") if high is not None
                   else tr(">= {low}", low=f"{low:,}"))
        raise _fail(where, tr("{field_name} must be a whole number {allowed}; got {value!r}",
                              field_name=field_name, allowed=allowed, value=value))
    return int(value)


def _number(where: str, field_name: str, value: Any, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating) \
            or not math.isfinite(float(value)) or not 0 <= float(value) <= high:
        raise _fail(where, tr("{field_name} must be a finite number from 0 to {high:,}; got {value!r}",
                              field_name=field_name, high=high, value=value))
    return float(value)


def _bytes(where: str, field_name: str, value: Any) -> int:
    return _integer(where, field_name, value, 1, MAX_ITEM_SIZE_BYTES)


# ---------------------------------------------------------------------------------------------- the design


@dataclass(frozen=True)
class TableDesign:
    name: str
    partition_key: str
    sort_key: str | None
    size_gb: float
    key_bytes: int  # the table's key attributes, names + values


@dataclass(frozen=True)
class IndexDesign:
    """A global secondary index: its projection, its key attributes and (INCLUDE) the projected bytes."""

    name: str
    projection: str
    partition_key: str
    sort_key: str | None
    key_bytes: int  # the index's key attributes, names + values
    projected_bytes: int  # INCLUDE: the non-key attributes projected (0 for ALL and KEYS_ONLY)
    keys: int  # distinct values of the index partition key the writes spread over (1: the worst case)
    size_gb: float | None = None  # the index's storage, if the design gives it (else estimated by the plan)

    def entry_bytes(self, item_bytes: int, table_key_bytes: int) -> int:
        """The size of this index's entry for a table item of ``item_bytes`` (``dynalab.models.indexes``)."""
        return entry_size_bytes(self.projection, item_bytes=item_bytes, key_bytes=table_key_bytes + self.key_bytes,
                                projected_bytes=self.projected_bytes)


def _table(spec: Any) -> TableDesign:
    where = tr("table")
    spec = _fields(where, spec, _TABLE_FIELDS, ("name", "partition_key"))
    sort_key = spec.get("sort_key")
    return TableDesign(
        name=_name(where, "name", spec["name"]),
        partition_key=_attribute(where, "partition_key", spec["partition_key"]),
        sort_key=None if sort_key is None else _attribute(where, "sort_key", sort_key),
        size_gb=_number(where, "size_gb", spec.get("size_gb", 0), MODEL_MAX_SIZE_GB),
        key_bytes=_bytes(where, "key_bytes", spec.get("key_bytes", DEFAULT_TABLE_KEY_BYTES)),
    )


def _index(spec: Any, number: int) -> IndexDesign:
    name = spec.get("name") if isinstance(spec, Mapping) else None
    where = tr("index {name!r}", name=name) if isinstance(name, str) else f"indexes[{number}]"
    spec = _fields(where, spec, _INDEX_FIELDS, ("name", "projection"))
    projection = spec["projection"]
    if projection not in PROJECTIONS:
        raise _fail(where, tr("projection must be one of {choices}; got {projection!r}",
                              choices=", ".join(PROJECTIONS), projection=projection))
    if projection == "INCLUDE" and "projected_bytes" not in spec:
        raise _fail(where, tr("an INCLUDE projection needs projected_bytes (the bytes of the attributes it projects)"))
    if projection != "INCLUDE" and "projected_bytes" in spec:
        raise _fail(where, tr("projected_bytes is for INCLUDE projections only; this one is {projection}",
                              projection=projection))
    sort_key = spec.get("sort_key")
    return IndexDesign(
        name=_name(where, "name", spec["name"]),
        projection=projection,
        partition_key=_attribute(where, "partition_key", spec.get("partition_key", f"{spec['name']}_pk")),
        sort_key=None if sort_key is None else _attribute(where, "sort_key", sort_key),
        key_bytes=_bytes(where, "key_bytes", spec.get("key_bytes", DEFAULT_INDEX_KEY_BYTES)),
        projected_bytes=(_integer(where, "projected_bytes", spec["projected_bytes"], 0, MAX_ITEM_SIZE_BYTES)
                         if projection == "INCLUDE" else 0),
        keys=_integer(where, "keys", spec.get("keys", 1), 1),
        size_gb=None if spec.get("size_gb") is None else _number(where, "size_gb", spec["size_gb"], MODEL_MAX_SIZE_GB),
    )


# ---------------------------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class PatternPlan:
    """One access pattern's units: per request and per second, on the table and on each index."""

    name: str
    operation: str
    per_second: float
    keys: int  # distinct partition-key values the requests spread over (1: the worst case, one key)
    request: Mapping[str, Any]  # the pattern's validated fields (item_bytes, items, consistency, ...)
    table_read_units: float  # per request
    table_write_units: float  # per request
    index_read_units: Mapping[str, float]  # per request, a Query/Scan on an index
    index_write_units: Mapping[str, float]  # per request, each GSI the write touches
    how: str  # the arithmetic, in words

    @property
    def kind(self) -> str:
        return OPERATIONS[self.operation]

    @property
    def read_units_per_request(self) -> float:
        return self.table_read_units + sum(self.index_read_units.values())

    @property
    def write_units_per_request(self) -> float:
        return self.table_write_units + sum(self.index_write_units.values())

    @property
    def read_units_per_second(self) -> float:
        return self.read_units_per_request * self.per_second

    @property
    def write_units_per_second(self) -> float:
        return self.write_units_per_request * self.per_second


@dataclass(frozen=True)
class HotKey:
    """A pattern's units per second on one key beside today's per-partition ceiling (``hot`` when above)."""

    pattern: str
    where: str  # "table" or the index name
    kind: str  # "read" or "write"
    units_per_second_per_key: float
    ceiling_per_second: int

    @property
    def hot(self) -> bool:
        return self.units_per_second_per_key > self.ceiling_per_second

    def describe(self) -> str:
        return (tr("hot key: pattern {pattern!r} asks {units_per_second_per_key:,.1f} {kind} units/s of one key on "
                   "{where}, above the {ceiling_per_second:,} a partition serves today",
                   pattern=self.pattern, units_per_second_per_key=self.units_per_second_per_key,
                   kind=tr("read") if self.kind == "read" else tr("write"),
                   where=tr("table") if self.where == "table" else self.where,
                   ceiling_per_second=self.ceiling_per_second))


@dataclass(frozen=True)
class MonthlyBill:
    """Dollars a month (730 hours) in one capacity mode; storage priced separately."""

    mode: str
    read_dollars: float
    write_dollars: float
    storage_dollars: float
    read_capacity_units: int | None  # provisioned: the capacity held (None on-demand)
    write_capacity_units: int | None
    target_utilization: float | None

    @property
    def capacity_dollars(self) -> float:
        return self.read_dollars + self.write_dollars

    @property
    def total_dollars(self) -> float:
        return self.capacity_dollars + self.storage_dollars


@dataclass(frozen=True)
class WorkloadReplay:
    """Measured traffic (a workload: units per second, one value per minute, e.g. a CloudWatch export) beside
    the plan: how often it passed the planned capacity, and what it cost in each mode over its minutes."""

    kind: str  # "read" or "write"
    minutes: int
    planned_capacity_units: int
    peak_units_per_second: float
    mean_units_per_second: float
    minutes_above_plan: int
    provisioned_dollars: float  # capacity held at the plan for these minutes
    on_demand_dollars: float  # the measured request units

    @property
    def use_percent(self) -> float:
        """The measured mean as a percent of the planned capacity (compare with the break-even)."""
        return 100.0 * self.mean_units_per_second / self.planned_capacity_units if self.planned_capacity_units \
            else math.inf

    def describe(self) -> str:
        unit = "RCU" if self.kind == "read" else "WCU"
        return (tr("{minutes:,} minutes of {kind}s: peak {peak_units_per_second:,.1f} and mean "
                   "{mean_units_per_second:,.1f} units/s against {planned_capacity_units:,} planned {unit} "
                   "({use_percent:.1f} % used; above the plan in {minutes_above_plan} minute(s)); over these minutes "
                   "provisioned at the plan ${provisioned_dollars:,.2f}, on-demand ${on_demand_dollars:,.2f}",
                   minutes=self.minutes, kind=tr("read") if self.kind == "read" else tr("write"),
                   peak_units_per_second=self.peak_units_per_second,
                   mean_units_per_second=self.mean_units_per_second,
                   planned_capacity_units=self.planned_capacity_units, unit=unit, use_percent=self.use_percent,
                   minutes_above_plan=self.minutes_above_plan, provisioned_dollars=self.provisioned_dollars,
                   on_demand_dollars=self.on_demand_dollars))


def _ceil_units(value: float) -> int:
    # 175.00000000001 from float sums is 175 units, not 176
    return math.ceil(round(value, 9))


@dataclass(frozen=True)
class TablePlan:
    """The plan of a design: per pattern and in total, units per second, capacity, partitions, the monthly bill."""

    table: TableDesign
    indexes: tuple[IndexDesign, ...]
    patterns: tuple[PatternPlan, ...]
    prices: Prices = field(default=DEFAULT_PRICES, repr=False)

    # ---- units
    @property
    def read_units_per_second(self) -> float:
        return sum(p.read_units_per_second for p in self.patterns)

    @property
    def write_units_per_second(self) -> float:
        return sum(p.write_units_per_second for p in self.patterns)

    @property
    def read_capacity_units(self) -> int:
        """Provisioned read capacity that serves the plan exactly: the read units per second, rounded up."""
        return _ceil_units(self.read_units_per_second)

    @property
    def write_capacity_units(self) -> int:
        return _ceil_units(self.write_units_per_second)

    def units_by_resource(self) -> dict[str, tuple[float, float]]:
        """(read, write) units per second for the table and for each index (each GSI has its own capacity)."""
        totals = {"table": [0.0, 0.0], **{index.name: [0.0, 0.0] for index in self.indexes}}
        for p in self.patterns:
            totals["table"][0] += p.table_read_units * p.per_second
            totals["table"][1] += p.table_write_units * p.per_second
            for name, units in p.index_read_units.items():
                totals[name][0] += units * p.per_second
            for name, units in p.index_write_units.items():
                totals[name][1] += units * p.per_second
        return {name: (read, write) for name, (read, write) in totals.items()}

    def capacity_by_resource(self) -> dict[str, tuple[int, int]]:
        """Provisioned (RCU, WCU) to create the table and each GSI with: the units rounded up, at least 1 each
        (DynamoDB's minimum). Their sum can exceed the plan's totals by that rounding and minimum."""
        return {name: (max(1, _ceil_units(read)), max(1, _ceil_units(write)))
                for name, (read, write) in self.units_by_resource().items()}

    # ---- partitions
    @property
    def partition_estimate(self) -> PartitionEstimate:
        """The table's partitions in the 2017 model, from the table's own units (a GSI has partitions of its own)."""
        read, write = self.units_by_resource()["table"]
        return estimate_partitions(_ceil_units(read), _ceil_units(write), self.table.size_gb)

    @property
    def partitions(self) -> int:
        """Partitions of the table in the **2017 model** (``PARTITION_MODEL``); today AWS does not publish it."""
        return self.partition_estimate.partitions

    partition_model: str = field(default=PARTITION_MODEL, init=False, repr=False)

    @property
    def key_loads(self) -> list[HotKey]:
        """Each pattern's units per second on one key, for the table and each index it uses, beside today's
        per-partition ceiling (3,000 read / 1,000 write units per second: bp-partition-key-design.html). A Scan
        reads every partition, so it has no key of its own and is left out."""
        by_name = {index.name: index for index in self.indexes}
        loads = []
        for p in self.patterns:
            if p.operation == "Scan":
                continue
            checks = [("table", kind, units * p.per_second / p.keys)
                      for kind, units in (("read", p.table_read_units), ("write", p.table_write_units)) if units]
            checks += [(name, "read", units * p.per_second / p.keys) for name, units in p.index_read_units.items()]
            checks += [(name, "write", units * p.per_second / by_name[name].keys)
                       for name, units in p.index_write_units.items()]
            for where, kind, per_key in checks:
                ceiling = (PARTITION_MAX_READ_UNITS_PER_SECOND if kind == "read"
                           else PARTITION_MAX_WRITE_UNITS_PER_SECOND)
                loads.append(HotKey(p.name, where, kind, per_key, ceiling))
        return loads

    @property
    def hot_keys(self) -> list[HotKey]:
        """The key loads above today's per-partition ceiling: a hot key, whatever the partition count."""
        return [load for load in self.key_loads if load.hot]

    # ---- dollars
    def storage_gb_by_resource(self) -> dict[str, float]:
        """GB stored by the table and by each index: an index's own ``size_gb`` if the design gives it; else, for
        an ALL projection, the table's size (every entry is the whole item); for KEYS_ONLY / INCLUDE, the table's
        size scaled by (entry + 100 B) / (item + 100 B) for the largest item a write pattern puts into it (the whole
        table's size when no pattern writes it: an upper bound) [src:gsi-storage-billed]."""
        sizes = {"table": self.table.size_gb}
        for index in self.indexes:
            if index.size_gb is not None:
                sizes[index.name] = index.size_gb
                continue
            written = [p.request.get("item_bytes") or p.request.get("after_bytes") or 0 for p in self.patterns
                       if index.name in p.index_write_units]
            item = max(written, default=0)
            if index.projection == "ALL" or not item:
                sizes[index.name] = self.table.size_gb
            else:
                entry = index.entry_bytes(item, self.table.key_bytes)
                sizes[index.name] = self.table.size_gb * (entry + STORAGE_OVERHEAD_BYTES_PER_ITEM) / (
                    item + STORAGE_OVERHEAD_BYTES_PER_ITEM)
        return sizes

    @property
    def storage_gb(self) -> float:
        return sum(self.storage_gb_by_resource().values())

    @property
    def storage_dollars_per_month(self) -> float:
        """Storage of the table and its indexes, priced separately from capacity, without the free tier (25 GB a
        month per account and Region, shared by every table: a plan for one table does not count on it)."""
        return self.prices.storage_per_month(self.storage_gb, free_tier=False)

    @property
    def storage_dollars_with_free_tier(self) -> float:
        """The same storage if this table had the account's 25 GB free tier to itself."""
        return self.prices.storage_per_month(self.storage_gb)

    def monthly_bill(self, mode: str = "provisioned", target_utilization: float | None = None) -> MonthlyBill:
        """The month's bill (730 hours) in ``mode``: "provisioned" holds capacity at the planned units (or, with
        ``target_utilization``, at the units / target, as auto scaling would keep headroom); "on-demand" bills the
        request units at the planned rates."""
        hours = HOURS_PER_MONTH
        if mode == "provisioned":
            if target_utilization is None:
                rcu, wcu, target = self.read_capacity_units, self.write_capacity_units, None
            else:
                target = validate_target_utilization(target_utilization)
                rcu = _ceil_units(self.read_units_per_second * 100 / target)
                wcu = _ceil_units(self.write_units_per_second * 100 / target)
            return MonthlyBill(mode, rcu * hours * self.prices.read_capacity_unit_hour,
                               wcu * hours * self.prices.write_capacity_unit_hour, self.storage_dollars_per_month,
                               rcu, wcu, target)
        if mode == "on-demand":
            if target_utilization is not None:
                raise ValueError(tr("target_utilization is for provisioned mode only; on-demand has none (got "
                                    "{target_utilization!r})", target_utilization=target_utilization))
            seconds = hours * SECONDS_PER_HOUR
            return MonthlyBill(mode, self.read_units_per_second * seconds * self.prices.request_unit("read"),
                               self.write_units_per_second * seconds * self.prices.request_unit("write"),
                               self.storage_dollars_per_month, None, None, None)
        raise ValueError(tr("mode must be one of {choices}; got {mode!r}", choices=", ".join(map(repr, MODES)),
                            mode=mode))

    def monthly_cost(self, mode: str = "provisioned", target_utilization: float | None = None) -> float:
        """Dollars a month for capacity in ``mode`` (storage is ``storage_dollars_per_month``)."""
        return self.monthly_bill(mode, target_utilization).capacity_dollars

    def on_demand_cost_at(self, utilization_percent: Any) -> Any:
        """On-demand dollars a month when the traffic averages ``utilization_percent`` of the planned rates
        (request units are billed as used; a number or a numpy array)."""
        return self.monthly_cost("on-demand") * np.asarray(utilization_percent, dtype=float) / 100.0

    def break_even_utilization(self, target_utilization: float | None = None) -> float:
        """Average use, percent of the planned rates, above which provisioned capacity is cheaper than on-demand."""
        on_demand = self.monthly_cost("on-demand")
        return 100.0 * self.monthly_cost("provisioned", target_utilization) / on_demand if on_demand else math.inf

    def replay(self, demand: Any, kind: str = "write") -> WorkloadReplay:
        """Measured traffic beside the plan: ``demand`` is units per second, one value per minute (a ``Workload``,
        e.g. ``dynalab.load_workload(path)`` of a CloudWatch export, or an array); ``kind`` "read" or "write"."""
        if kind not in ("read", "write"):
            raise ValueError(tr("kind must be 'read' or 'write'; got {kind!r}", kind=kind))
        measured = validate_demand(demand)
        capacity = self.read_capacity_units if kind == "read" else self.write_capacity_units
        return WorkloadReplay(
            kind=kind, minutes=int(measured.size), planned_capacity_units=capacity,
            peak_units_per_second=float(measured.max()), mean_units_per_second=float(measured.mean()),
            minutes_above_plan=int((measured > capacity).sum()),
            provisioned_dollars=provisioned_cost(np.full(measured.size, float(capacity)), kind, self.prices),
            on_demand_dollars=on_demand_cost(measured, kind, self.prices))

    # ---- display
    def rows(self) -> list[dict[str, Any]]:
        """One row per pattern (the notebook's table)."""
        return [{"pattern": p.name, "operation": p.operation, "per_second": p.per_second,
                 "read_units_per_request": p.read_units_per_request,
                 "write_units_per_request": p.write_units_per_request,
                 "read_units_per_second": p.read_units_per_second,
                 "write_units_per_second": p.write_units_per_second, "how": p.how} for p in self.patterns]

    def describe(self) -> str:
        """The plan in a few lines."""
        lines = [f"{p.name} ({p.operation}): {p.how}" for p in self.patterns]
        lines.append(tr("total: {read_units_per_second:,.2f} read and {write_units_per_second:,.2f} write units/s -> "
                        "{read_capacity_units:,} RCU, {write_capacity_units:,} WCU",
                        read_units_per_second=self.read_units_per_second,
                        write_units_per_second=self.write_units_per_second,
                        read_capacity_units=self.read_capacity_units, write_capacity_units=self.write_capacity_units))
        estimate = self.partition_estimate
        lines.append(tr("partitions (2017 model): {partitions} (throughput term {throughput_partitions}, size term "
                        "{size_partitions} for {size_gb:g} GB)",
                        partitions=estimate.partitions, throughput_partitions=estimate.throughput_partitions,
                        size_partitions=estimate.size_partitions, size_gb=self.table.size_gb))
        lines += [flag.describe() for flag in self.hot_keys] or [tr("hot keys: none (no pattern passes 3,000 read / "
                                                                    "1,000 write units/s on one key)")]
        provisioned, on_demand = self.monthly_bill("provisioned"), self.monthly_bill("on-demand")
        lines.append(tr("a month ({hours_per_month} h): provisioned ${provisioned_dollars:,.2f}, on-demand "
                        "${on_demand_dollars:,.2f} (break-even at {break_even_utilization:.1f} % average use)",
                        hours_per_month=HOURS_PER_MONTH, provisioned_dollars=provisioned.capacity_dollars,
                        on_demand_dollars=on_demand.capacity_dollars,
                        break_even_utilization=self.break_even_utilization()))
        sizes = self.storage_gb_by_resource()
        lines.append(tr("storage {total:g} GB ({parts}): ${dollars:,.2f} a month; the 25 GB free tier is per account "
                        "and Region, shared by every table (${free:,.2f} if this table had it alone)",
                        total=round(self.storage_gb, 2), parts=" + ".join(
                            f"{tr('table') if name == 'table' else name} {gb:g}" for name, gb in sizes.items()),
                        dollars=self.storage_dollars_per_month, free=self.storage_dollars_with_free_tier))
        return "\n".join(lines)


# ------------------------------------------------------------------------------------------- the rules


def _pages(items: int, item_bytes: int) -> list[int]:
    """Bytes of each 1 MB page a Query/Scan reads over ``items`` items of ``item_bytes`` (capacity.first_page's
    rule: a page takes items until it holds 1 MB, the crossing item included). No items: one empty page."""
    per_page = math.ceil(PAGE_LIMIT_BYTES / item_bytes)
    full, rest = divmod(items, per_page)
    pages = [per_page * item_bytes] * full
    if rest or not pages:
        pages.append(rest * item_bytes)
    return pages


def _consistency(where: str, spec: Mapping[str, Any], operation: str, index: str | None) -> str:
    if operation == "TransactGetItems":
        allowed: tuple[str, ...] = ("transactional",)
    elif index is not None:
        allowed = ("eventual",)  # a GSI serves eventually consistent reads only (GSI.html)
    else:
        allowed = ("strong", "eventual")
    default = allowed[0] if operation == "TransactGetItems" else "eventual"  # GetItem/Query/Scan default: eventual
    value = spec.get("consistency", default)
    if value not in allowed:
        extra = tr(" (a global secondary index serves eventually consistent reads only)") if index is not None else ""
        raise _fail(where, tr("consistency must be one of {choices} for {operation}{extra}; got {value!r}",
                              choices=", ".join(allowed), operation=operation, extra=extra, value=value))
    return value


def _pattern(spec: Any, number: int, table: TableDesign, indexes: dict[str, IndexDesign]) -> PatternPlan:
    name = spec.get("name") if isinstance(spec, Mapping) else None
    where = tr("pattern {name!r}", name=name) if isinstance(name, str) and name else f"patterns[{number}]"
    if not isinstance(spec, Mapping):
        raise _fail(where, tr("must be a mapping with name, operation, per_second, ...; got {spec!r:.60}", spec=spec))
    operation = spec.get("operation")
    if operation not in OPERATIONS:
        raise _fail(where, tr("operation must be one of {choices}; got {operation!r}",
                              choices=", ".join(OPERATIONS), operation=operation))
    if OPERATIONS[operation] == "write" and "consistency" in spec:
        raise _fail(where, tr("consistency is for reads; {operation} is a write", operation=operation))
    spec = _fields(where, spec, _COMMON_FIELDS + _PATTERN_FIELDS[operation], ("name", "operation", "per_second"))
    if not isinstance(name, str) or not name.strip():
        raise _fail(where, tr("name must be non-empty text; got {name!r}", name=name))
    per_second = _number(where, "per_second", spec["per_second"], MAX_REQUESTS_PER_SECOND)
    keys = _integer(where, "keys", spec.get("keys", 1), 1)
    request: dict[str, Any] = {}
    table_read = table_write = 0.0
    index_read: dict[str, float] = {}
    index_write: dict[str, float] = {}
    kind = OPERATIONS[operation]
    count = 1

    if kind == "read":
        index = spec.get("index")
        if index is not None and index not in indexes:
            raise _fail(where, tr("index must be one of the design's indexes ({value}); got {index!r}",
                                  value=", ".join(indexes) or tr("none"), index=index))
        consistency = _consistency(where, spec, operation, index)
        item_bytes = _bytes(where, "item_bytes", spec.get("item_bytes"))
        request.update(item_bytes=item_bytes, consistency=consistency)
        if operation in ("Query", "Scan"):
            count = _integer(where, "items", spec.get("items"), 0, MAX_QUERY_ITEMS)
            if operation == "Query" and index is None and table.sort_key is None and count > 1:
                raise _fail(where, tr("items must be 0 or 1 for a Query on a table without a sort key (one item per "
                                      "partition key); got {count}", count=count))
            # an index read reads index entries: their size comes from the projection
            read_bytes = indexes[index].entry_bytes(item_bytes, table.key_bytes) if index else item_bytes
            most = MAX_QUERY_PAGES * math.ceil(PAGE_LIMIT_BYTES / read_bytes)
            if count > most:
                raise _fail(where, tr("items must be at most {most:,} for entries of {read_bytes:,} B (dynalab's "
                                      "planner follows at most {pages:,} pages of 1 MB a request); got {count:,}",
                                      most=most, read_bytes=read_bytes, pages=MAX_QUERY_PAGES, count=count))
            pages = _pages(count, read_bytes)
            units = sum(page_read_units(page, consistency) for page in pages)
            request.update(items=count, index=index, read_bytes=read_bytes)
            paged = tr(" in {count} pages of at most 1 MB,", count=len(pages)) if len(pages) > 1 else ""
            blocks = sum(read_blocks(page) for page in pages)
            how = (tr("{count} x {read_bytes:,} B = {total:,} B summed,{paged} rounded up to {blocks} x 4 KB x "
                      "{factor:g} ({consistency}) = {units:g} RCU per request",
                      count=count, read_bytes=read_bytes, total=count * read_bytes, paged=paged, blocks=blocks,
                      factor=CONSISTENCIES[consistency], consistency=consistency, units=units)
                   + (tr(" (on index {index})", index=index) if index else ""))
        else:
            if operation != "GetItem":
                count = _integer(where, "items", spec.get("items"), 1, _MAX_ITEMS[operation])
                request["items"] = count
            each = read_units(item_bytes, consistency)
            units = count * each
            fields = dict(item_bytes=item_bytes, blocks=read_blocks(item_bytes), factor=CONSISTENCIES[consistency],
                          consistency=consistency, units=units)
            if operation == "GetItem":
                how = tr("{item_bytes:,} B rounded up to {blocks} x 4 KB x {factor:g} ({consistency}) = {units:g} RCU "
                         "per request", **fields)
            else:
                how = tr("{count} x {item_bytes:,} B rounded up to {blocks} x 4 KB x {factor:g} ({consistency}) each "
                         "= {units:g} RCU per request", count=count, **fields)
        if index:
            index_read[index] = units
        else:
            table_read = units
        how += tr("; x {per_second:g}/s = {total:,.2f} RCU/s", per_second=per_second, total=units * per_second)
    else:
        touched = spec.get("indexes", [])
        if isinstance(touched, str) or not isinstance(touched, Sequence) or any(t not in indexes for t in touched) \
                or len(set(touched)) != len(touched):
            raise _fail(where, tr("indexes must be a list of distinct names among the design's indexes ({value}); "
                                  "got {touched!r}", value=", ".join(indexes) or tr("none"), touched=touched))
        changes_key = spec.get("changes_index_key", False)
        if not isinstance(changes_key, bool):
            raise _fail(where, tr("changes_index_key must be true or false; got {changes_key!r}",
                                  changes_key=changes_key))
        if changes_key and not touched:
            raise _fail(where, tr("changes_index_key needs the indexes whose key the write changes"))
        if changes_key and operation not in ("PutItem", "UpdateItem"):
            raise _fail(where, tr("changes_index_key is for PutItem and UpdateItem; got {operation}",
                                  operation=operation))
        if changes_key and operation == "PutItem" and "before_bytes" not in spec:
            raise _fail(where, tr("changes_index_key on a PutItem needs before_bytes (the item it replaces)"))
        transactional = operation == "TransactWriteItems"
        if operation == "UpdateItem":
            before = _bytes(where, "before_bytes", spec.get("before_bytes"))
            after = _bytes(where, "after_bytes", spec.get("after_bytes"))
            request.update(before_bytes=before, after_bytes=after)
            table_write = put_write_units(after, before)
            how = (tr("the larger of {before:,} B and {after:,} B: {blocks} x 1 KB = {table_write:g} WCU",
                      before=before, after=after, blocks=write_blocks(max(before, after)),
                      table_write=table_write))
            sizes = (before, after)
        else:
            item_bytes = _bytes(where, "item_bytes", spec.get("item_bytes"))
            request["item_bytes"] = item_bytes
            sizes = (item_bytes,)
            if operation == "PutItem":
                before = spec.get("before_bytes")
                before = None if before is None else _bytes(where, "before_bytes", before)
                if before is not None:
                    request["before_bytes"] = before
                    sizes = (before, item_bytes)
                table_write = put_write_units(item_bytes, before)
                fields = dict(item_bytes=item_bytes, blocks=write_blocks(max(item_bytes, before or 0)),
                              table_write=table_write)
                if before:
                    how = tr("{item_bytes:,} B replacing {before:,} B (the larger counts): {blocks} x 1 KB = "
                             "{table_write:g} WCU", before=before, **fields)
                else:
                    how = tr("{item_bytes:,} B: {blocks} x 1 KB = {table_write:g} WCU", **fields)
            elif operation == "DeleteItem":
                table_write = delete_write_units(item_bytes)
                how = tr("deleting {item_bytes:,} B: {blocks} x 1 KB = {table_write:g} WCU",
                         item_bytes=item_bytes, blocks=write_blocks(item_bytes), table_write=table_write)
            else:
                count = _integer(where, "items", spec.get("items"), 1, _MAX_ITEMS[operation])
                request["items"] = count
                table_write = count * write_units(item_bytes, transactional)
                fields = dict(count=count, item_bytes=item_bytes, blocks=write_blocks(item_bytes),
                              table_write=table_write)
                if transactional:
                    how = tr("{count} x {item_bytes:,} B: {blocks} x 1 KB x 2 (transactional) each = {table_write:g} "
                             "WCU", **fields)
                else:
                    how = tr("{count} x {item_bytes:,} B: {blocks} x 1 KB each = {table_write:g} WCU", **fields)
        request.update(indexes=list(touched), changes_index_key=changes_key)
        for index_name in touched:
            index = indexes[index_name]
            entries = [index.entry_bytes(size, table.key_bytes) for size in sizes]
            if changes_key:  # a changed index key: delete the old entry, put the new one (GSI.html)
                each = write_units(entries[0]) + write_units(entries[-1])
                said = tr("delete {old:,} B + put {new:,} B entries", old=entries[0], new=entries[-1])
            else:  # a put, a delete, or an entry updated in place: one write of the larger entry
                each = write_units(max(entries))
                said = tr("{size:,} B entry", size=max(entries))
            units = count * each
            index_write[index_name] = units
            how += (tr(" + index {index_name} ({projection}): ", index_name=index_name, projection=index.projection)
                    + (f"{count} x " if count > 1 else "") + f"{said} = {units:g} WCU")
        total = table_write + sum(index_write.values())
        how += tr("; {total:g} WCU per request x {per_second:g}/s = {rate:,.2f} WCU/s",
                  total=total, per_second=per_second, rate=total * per_second)
    return PatternPlan(name, operation, per_second, keys, request, table_read, table_write, index_read, index_write,
                       how)


def plan_design(design: Mapping[str, Any], prices: Prices = DEFAULT_PRICES) -> TablePlan:
    """Plan a design dict (see the module docstring). A bad field is a ValueError naming the table, index or
    pattern, the field and the allowed values."""
    if not isinstance(prices, Prices):
        raise TypeError(tr("prices must be a dynalab Prices, got {type}", type=type(prices).__name__))
    design = _fields(tr("design"), design, _TOP_FIELDS, ("table", "patterns"))
    table = _table(design["table"])
    raw_indexes = design.get("indexes") or []
    if not isinstance(raw_indexes, Sequence) or isinstance(raw_indexes, str) \
            or len(raw_indexes) > GLOBAL_SECONDARY_INDEXES_PER_TABLE:
        raise _fail(tr("design"), tr("indexes must be a list of at most {most} index mappings (DynamoDB's quota of "
                                     "global secondary indexes per table); got {raw_indexes!r:.60}",
                                     most=GLOBAL_SECONDARY_INDEXES_PER_TABLE, raw_indexes=raw_indexes))
    indexes: dict[str, IndexDesign] = {}
    for number, spec in enumerate(raw_indexes):
        index = _index(spec, number)
        if index.name in indexes:
            raise _fail(tr("index {name!r}", name=index.name), tr("index names must be unique in a table"))
        indexes[index.name] = index
    raw_patterns = design["patterns"]
    if not isinstance(raw_patterns, Sequence) or isinstance(raw_patterns, str) or not 1 <= len(raw_patterns) \
            <= MAX_PATTERNS:
        raise _fail(tr("design"), tr("patterns must be a list of 1 to {most} access patterns (dynalab's planner "
                                     "limit); got {raw_patterns!r:.60}", most=MAX_PATTERNS, raw_patterns=raw_patterns))
    patterns = [_pattern(spec, number, table, indexes) for number, spec in enumerate(raw_patterns)]
    names = [p.name for p in patterns]
    for name in names:
        if names.count(name) > 1:
            raise _fail(tr("pattern {name!r}", name=name), tr("pattern names must be unique"))
    return TablePlan(table, tuple(indexes.values()), tuple(patterns), prices)
