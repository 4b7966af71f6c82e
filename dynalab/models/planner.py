"""The capstone planner: a table design (keys, indexes, access patterns) -> capacity units, partitions, the bill.

Pure: a design is a plain dict (``dynalab.plan_table`` also reads it from a YAML or JSON file, in
``dynalab.lessons.planner``), validated with each pattern's units per request by ``dynalab.models.planner_patterns``;
every rule comes from the course's models, none is restated here:

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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dynalab.i18n import N_, given, tr
from dynalab.models._shown import Shown
from dynalab.models.autoscaling import validate_demand, validate_target_utilization
from dynalab.models.partitions import PartitionEstimate, estimate_partitions
from dynalab.models.planner_patterns import (
    DEFAULT_INDEX_KEY_BYTES,
    DEFAULT_TABLE_KEY_BYTES,
    OPERATIONS,
    PROJECTIONS,
    IndexDesign,
    PatternPlan,
    PatternRequest,
    TableDesign,
    parse_design,
)
from dynalab.models.pricing import DEFAULT_PRICES, Prices, on_demand_cost, provisioned_cost
from dynalab.models.quotas import (
    HOURS_PER_MONTH,
    PARTITION_MAX_READ_UNITS_PER_SECOND,
    PARTITION_MAX_WRITE_UNITS_PER_SECOND,
    SECONDS_PER_HOUR,
    STORAGE_OVERHEAD_BYTES_PER_ITEM,
)

__all__ = [
    "DEFAULT_INDEX_KEY_BYTES",
    "DEFAULT_TABLE_KEY_BYTES",
    "MODES",
    "OPERATIONS",
    "PARTITION_MODEL",
    "PROJECTIONS",
    "HotKey",
    "IndexDesign",
    "MonthlyBill",
    "PatternPlan",
    "PatternRequest",
    "TableDesign",
    "TablePlan",
    "WorkloadReplay",
    "plan_design",
]

MODES = ("provisioned", "on-demand")
#: the bundled designs' pattern names (data/designs/), marked so the Japanese catalog gives each a label: a readout
#: shows a pattern by ``given(name)`` (its label where there is one, a learner's own name as it is); code and
#: designs use the name itself (``PlanExplorer.set_rate("place order", 300)``)
BUNDLED_PATTERN_NAMES = (N_("get order"), N_("list orders"), N_("place order"))

PARTITION_MODEL = Shown(N_("2017 model (archived GuidelinesForTables.md): max(ceil(RCU/3000 + WCU/1000), "
                           "ceil(GB/10)); AWS no longer publishes a table's partition count"))


# ---------------------------------------------------------------------------------------------- the plan


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
                   pattern=given(self.pattern), units_per_second_per_key=self.units_per_second_per_key,
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
            written = [p.request.written_bytes for p in self.patterns
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
        lines = [f"{given(p.name)} ({p.operation}): {p.how}" for p in self.patterns]
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


def plan_design(design: Mapping[str, Any], prices: Prices = DEFAULT_PRICES) -> TablePlan:
    """Plan a design dict (see the module docstring). A bad field is a ValueError naming the table, index or
    pattern, the field and the allowed values."""
    if not isinstance(prices, Prices):
        raise TypeError(tr("prices must be a dynalab Prices, got {type}", type=type(prices).__name__))
    table, indexes, patterns = parse_design(design)
    return TablePlan(table, indexes, patterns, prices)
