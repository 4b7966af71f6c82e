"""Lesson 6's scenarios on the engine: what secondary indexes cost, measured with ``ReturnConsumedCapacity``.

Every number here is what the lab's meter reports (``dynalab.fidelity.metering``) in DynamoDB's ``INDEXES`` shape:
``Table``, ``GlobalSecondaryIndexes`` and ``LocalSecondaryIndexes``, each with ``CapacityUnits``. The rules behind
them (an index entry's size from its projection, 1 KB blocks, two index writes when an indexed key changes, nothing
for a write that does not touch the index) live in ``dynalab.models.indexes``, which the meter uses; the scenarios
only set up tables, write, and read what was metered. Throttling (a GSI's own bucket, back-pressure on the table, the
per-partition ceilings) is ``dynalab.fidelity.throttling``'s ``enforce_throughput``, on a step clock so each run
prints the same numbers.

When the meter of this engine reports no per-index units (``MeteredUnits.reported`` is False) the scenarios still
run, and their ``describe()`` says so instead of showing zeros as if they were measured.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine.attempts import attempt_writes
from dynalab.engine.tables import create_table, query_pages
from dynalab.i18n import tr
from dynalab.lessons.index_queries import (  # noqa: F401 - lesson 6 calls them from here
    FilterOrIndexLive,
    MultiAttributeQuery,
    filter_or_index_live,
    multi_attribute_gsi_live,
)
from dynalab.models import checks
from dynalab.models.clock import StepClock
from dynalab.models.quotas import DEFAULT_TABLE_MAX_CAPACITY_UNITS as MAX_UNITS
from dynalab.models.quotas import GLOBAL_SECONDARY_INDEXES_PER_TABLE, PARTITION_MAX_WRITE_UNITS_PER_SECOND
from dynalab.models.sizing import item_size

__all__ = [
    "INDEX_PROJECTIONS",
    "BackPressure",
    "ItemCollectionLimit",
    "KeyChange",
    "MeteredUnits",
    "ShardingResult",
    "SparseIndex",
    "compare_index_writes",
    "consumed_units",
    "FilterOrIndexLive",
    "GsiHotPartition",
    "MultiAttributeQuery",
    "create_index_table",
    "filter_or_index_live",
    "gsi_back_pressure",
    "gsi_hot_partition",
    "indexed_item",
    "item_collection_limit",
    "key_change",
    "meters_indexes",
    "multi_attribute_gsi_live",
    "sparse_index",
    "write_sharding",
    "write_with_indexes",
]

INDEX_PROJECTIONS = ("KEYS_ONLY", "INCLUDE", "ALL")
#: The attribute an INCLUDE projection carries into each index (a short title, as a listing page would show).
INCLUDED_ATTRIBUTE = "title"
MAX_INDEXES = GLOBAL_SECONDARY_INDEXES_PER_TABLE  # GSIs per table, the default quota [src:index-quotas]


# ------------------------------------------------------------------------------------------------ the units


@dataclass(frozen=True)
class MeteredUnits:
    """One call's ConsumedCapacity in DynamoDB's INDEXES shape: the table's units and each index's."""

    label: str
    table_units: float
    global_index_units: dict[str, float] = field(default_factory=dict)
    local_index_units: dict[str, float] = field(default_factory=dict)
    total_units: float = 0.0
    #: False when the answer had no per-index breakdown (the engine's meter does not split units by index)
    reported: bool = True

    @property
    def index_units(self) -> float:
        return sum(self.global_index_units.values()) + sum(self.local_index_units.values())

    def describe(self) -> str:
        if not self.reported:
            return tr("{label}: {total_units:g} units in all (this engine's meter gives no per-index split)",
                      label=self.label, total_units=self.total_units)
        parts = [tr("table {table_units:g}", table_units=self.table_units)]
        parts += [f"{name} {units:g}" for name, units in sorted(self.global_index_units.items())]
        parts += [f"{name} (LSI) {units:g}" for name, units in sorted(self.local_index_units.items())]
        return tr("{label}: {parts} = {total_units:g} WCU", label=self.label, parts=' + '.join(parts),
                  total_units=self.total_units)


_PROBED: dict[int, bool] = {}


def meters_indexes(lab: Any) -> bool:
    """Does this lab's meter split a write's units by index? One probe write per lab (a PutItem into a small table
    with one GSI must report the GSI's units), remembered."""
    if id(lab) not in _PROBED:
        table = create_index_table(lab, "lesson6-probe", 1, "KEYS_ONLY")
        answer = table.put_item(Item=indexed_item(200, 1), ReturnConsumedCapacity="INDEXES")
        _PROBED[id(lab)] = bool((answer.get("ConsumedCapacity") or {}).get("GlobalSecondaryIndexes"))
    return _PROBED[id(lab)]


def consumed_units(consumed: Mapping[str, Any] | None, label: str = "", *, reported: bool = True) -> MeteredUnits:
    """Read a ConsumedCapacity answered for ``ReturnConsumedCapacity="INDEXES"``.

    DynamoDB's shape: ``{"TableName", "CapacityUnits", "Table": {"CapacityUnits"}, "GlobalSecondaryIndexes":
    {name: {"CapacityUnits"}}, "LocalSecondaryIndexes": {...}}``. An index the write did not touch is absent.
    """
    if not consumed:
        return MeteredUnits(label, 0.0, total_units=0.0, reported=False)
    total = float(consumed.get("CapacityUnits") or 0.0)
    table = consumed.get("Table")
    gsis = {name: float(v.get("CapacityUnits") or 0.0)
            for name, v in (consumed.get("GlobalSecondaryIndexes") or {}).items()}
    lsis = {name: float(v.get("CapacityUnits") or 0.0)
            for name, v in (consumed.get("LocalSecondaryIndexes") or {}).items()}
    if table is None:
        return MeteredUnits(label, total, gsis, lsis, total, reported=False)
    return MeteredUnits(label, float(table.get("CapacityUnits") or 0.0), gsis, lsis, total, reported=reported)


# ------------------------------------------------------------------------------------------------ the tables


def _index_names(index_count: int) -> list[str]:
    return [f"gsi{n}" for n in range(1, index_count + 1)]


def _check_index_args(index_count: int, projection: str) -> None:
    checks.number("index_count", index_count, low=0, high=MAX_INDEXES, integer=True)
    if projection not in INDEX_PROJECTIONS:
        raise ValueError(tr("projection must be one of {index_projections_list}; got {projection!r}",
                            index_projections_list=', '.join(INDEX_PROJECTIONS), projection=projection))


def _gsi(name: str, key: str, projection: str, capacity: tuple[int, int] | None) -> dict[str, Any]:
    spec: dict[str, Any] = {"IndexName": name, "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}],
                            "Projection": {"ProjectionType": projection}}
    if projection == "INCLUDE":
        spec["Projection"]["NonKeyAttributes"] = [INCLUDED_ATTRIBUTE]
    if capacity is not None:
        spec["ProvisionedThroughput"] = {"ReadCapacityUnits": capacity[0], "WriteCapacityUnits": capacity[1]}
    return spec


def create_index_table(lab: Any, name: str, index_count: int = 1, projection: str = "ALL", *,
                       index_keys: Sequence[str] | None = None, table_capacity: tuple[int, int] | None = None,
                       index_capacity: tuple[int, int] | None = None) -> Any:
    """A table keyed on ``pk`` (S) with ``index_count`` GSIs ``gsi1..gsiN``, each keyed on its own string
    attribute (``g1..gN``, or ``index_keys``) and projecting ``projection``. ``table_capacity`` / ``index_capacity``
    (RCU, WCU): provisioned; both None: on-demand. Returns the boto3 ``Table``."""
    _check_index_args(index_count, projection)
    keys = list(index_keys) if index_keys is not None else [f"g{n}" for n in range(1, index_count + 1)]
    if len(keys) != index_count:
        raise ValueError(tr("index_keys must name {index_count} attributes (one per index), got {value!r}",
                            index_count=index_count, value=list(keys)))
    if (table_capacity is None) != (index_capacity is None) and index_count:
        raise ValueError(tr("give table_capacity and index_capacity both (provisioned) or neither (on-demand)"))
    args: dict[str, Any] = {"extra_attribute_definitions": [(key, "S") for key in keys]}
    if index_count:
        args["GlobalSecondaryIndexes"] = [_gsi(n, k, projection, index_capacity)
                                          for n, k in zip(_index_names(index_count), keys, strict=True)]
    if table_capacity is not None:
        args["read_capacity_units"], args["write_capacity_units"] = table_capacity
    return create_table(lab, name, reset=True, creator="create_index_table", **args)  # the scenario's own, afresh


def indexed_item(item_size_bytes: int, index_count: int = 1, key: str = "item#1", *,
                 index_values: Mapping[str, str] | None = None) -> dict[str, Any]:
    """An item of exactly ``item_size_bytes`` (DynamoDB's count) carrying every index key ``g1..gN`` (or
    ``index_values``), a short ``title`` and a ``payload`` string that makes up the size."""
    values = dict(index_values) if index_values is not None else {f"g{n}": f"v{n}" for n in range(1, index_count + 1)}
    item: dict[str, Any] = {"pk": key, INCLUDED_ATTRIBUTE: "Song title", **values, "payload": ""}
    smallest = item_size(item)
    checks.size_bytes("item_size_bytes", item_size_bytes, low=smallest)  # from the keys and title to 400 KB
    item["payload"] = "x" * (item_size_bytes - smallest)
    return item


def write_with_indexes(lab: Any, table_name: str, item: Mapping[str, Any], label: str = "PutItem", *,
                       new_item: bool = False) -> MeteredUnits:
    """PutItem ``item`` with ``ReturnConsumedCapacity="INDEXES"``; the units the meter reported, per index.
    ``new_item``: the item of that key is deleted first, so the write is a new item, not a replacement."""
    table = lab.resource.Table(table_name)
    if new_item:
        table.delete_item(Key={"pk": item["pk"]})
    answer = table.put_item(Item=dict(item), ReturnConsumedCapacity="INDEXES")
    return consumed_units(answer.get("ConsumedCapacity"), label, reported=meters_indexes(lab))


def compare_index_writes(lab: Any, item_size_bytes: int = 2500,
                         setups: Sequence[tuple[int, str]] = ((0, "ALL"), (1, "KEYS_ONLY"), (1, "INCLUDE"),
                                                              (1, "ALL"), (3, "ALL")),
                         name: str = "lesson6-writes") -> list[MeteredUnits]:
    """Write one item of ``item_size_bytes`` into a fresh table per (index count, projection) setup."""
    from dynalab.engine import check_lab

    check_lab(lab)
    checks.text("name", name, min_length=1, max_length=200)
    setups = checks.sequence_of("setups", setups, min_length=1, max_length=10)
    for i, setup in enumerate(setups):
        if not isinstance(setup, tuple | list) or len(setup) != 2:
            raise checks.ParameterTypeError(tr("setups[{i}] must be (index count, projection); got {setup!r:.60}",
                                               i=i, setup=setup))
    results = []
    for count, projection in setups:
        table = create_index_table(lab, f"{name}-{count}-{projection.lower().replace('_', '-')}", count, projection)
        label = (tr("no index") if count == 0 else tr("{count} GSI, {projection}", count=count, projection=projection)
                 if count == 1 else tr("{count} GSIs, {projection}", count=count, projection=projection))
        results.append(write_with_indexes(lab, table.name, indexed_item(item_size_bytes, count), label))
    return results


# ------------------------------------------------------------------------------------------- sparse indexes


@dataclass(frozen=True)
class SparseIndex:
    """Items written to a table with a GSI on an attribute only some items carry."""

    items_written: int
    items_with_attribute: int
    index_units_with_attribute: float  # summed over the writes of items that carry it
    index_units_without_attribute: float  # ... and over those that do not
    items_in_index: int  # what a Scan of the index finds
    items_in_table: int
    reported: bool

    def describe(self) -> str:
        text = (tr("{items_written} items written, {items_with_attribute} with the attribute: the index holds "
                   "{items_in_index} entries (the table {items_in_table}); index write units: "
                   "{index_units_with_attribute:g} for the items with it, {index_units_without_attribute:g} for the "
                   "items without", items_written=self.items_written, items_with_attribute=self.items_with_attribute,
                   items_in_index=self.items_in_index, items_in_table=self.items_in_table,
                   index_units_with_attribute=self.index_units_with_attribute,
                   index_units_without_attribute=self.index_units_without_attribute))
        return text if self.reported else text + tr(" (this engine's meter gives no per-index split)")


def sparse_index(lab: Any, item_count: int = 20, flagged_every: int = 4, name: str = "lesson6-sparse") -> SparseIndex:
    """A GSI on ``flagged_at``, which one item in ``flagged_every`` carries: only those pay and appear."""
    checks.number("item_count", item_count, low=1, high=1000, integer=True)
    checks.number("flagged_every", flagged_every, low=1, high=item_count, integer=True, unit=tr("up to item_count"))
    table = create_index_table(lab, name, 1, "KEYS_ONLY", index_keys=["flagged_at"])
    with_it = without = 0.0
    flagged = 0
    reported = True
    for n in range(item_count):
        item: dict[str, Any] = {"pk": f"order#{n:04d}", "total": 10 + n}
        if n % flagged_every == 0:
            item["flagged_at"] = f"2026-12-01T10:{n % 60:02d}"
            flagged += 1
        units = write_with_indexes(lab, table.name, item)
        reported = reported and units.reported
        if "flagged_at" in item:
            with_it += units.index_units
        else:
            without += units.index_units
    in_index = lab.client.scan(TableName=table.name, IndexName="gsi1", Select="COUNT")["Count"]
    in_table = lab.client.scan(TableName=table.name, Select="COUNT")["Count"]
    return SparseIndex(item_count, flagged, with_it, without, in_index, in_table, reported)


# ----------------------------------------------------------------------------------------------- key changes


@dataclass(frozen=True)
class KeyChange:
    """The index units of a sequence of writes to one item with a KEYS_ONLY GSI on ``status``."""

    steps: list[MeteredUnits]

    def describe(self) -> str:
        return "; ".join(tr("{label}: {units:g} index WCU", label=step.label, units=step.index_units)
                         if step.reported
                         else tr("{label}: (no per-index split)", label=step.label) for step in self.steps)


def key_change(lab: Any, item_size_bytes: int = 2500, name: str = "lesson6-key-change") -> KeyChange:
    """Put an item with ``status``, change ``status`` (its index key: delete + put, two index writes), change an
    attribute the index does not hold (no index write), put an item without ``status`` (no index write)."""
    table = create_index_table(lab, name, 1, "KEYS_ONLY", index_keys=["status"])
    item = indexed_item(item_size_bytes, 1, index_values={"status": "open"})
    steps = [write_with_indexes(lab, table.name, item, tr("put with status=open"))]
    for label, expression, values in (
        (tr("change status open → closed"), "SET #s = :v", {":v": "closed"}),
        (tr("change title (not in the index)"), "SET title = :v", {":v": "New title"}),
    ):
        answer = table.update_item(Key={"pk": item["pk"]}, UpdateExpression=expression,
                                   ExpressionAttributeValues=values, ReturnConsumedCapacity="INDEXES",
                                   **({"ExpressionAttributeNames": {"#s": "status"}} if "#s" in expression else {}))
        steps.append(consumed_units(answer.get("ConsumedCapacity"), label, reported=meters_indexes(lab)))
    other = indexed_item(item_size_bytes, 0, key="item#2")
    steps.append(write_with_indexes(lab, table.name, other, tr("put an item without status")))
    return KeyChange(steps)


# ------------------------------------------------------------------------------------------ back-pressure


@dataclass(frozen=True)
class BackPressureSecond:
    second: int
    with_key_served: int = 0
    with_key_throttled: int = 0
    without_key_served: int = 0
    without_key_throttled: int = 0


@dataclass(frozen=True)
class BackPressure:
    """Writes to a table with plenty of WCU and a GSI of 1 WCU, per (step-clock) second."""

    table_write_capacity_units: int
    index_write_capacity_units: int
    writes_per_second: float
    seconds: list[BackPressureSecond]

    @property
    def with_key_throttled(self) -> int:
        return sum(s.with_key_throttled for s in self.seconds)

    @property
    def without_key_throttled(self) -> int:
        return sum(s.without_key_throttled for s in self.seconds)

    @property
    def with_key_written(self) -> int:
        return sum(s.with_key_served for s in self.seconds)

    @property
    def without_key_written(self) -> int:
        return sum(s.without_key_served for s in self.seconds)

    def describe(self) -> str:
        return (tr("{writes_per_second:g} writes/s for {n_seconds} s on a table of {table_write_capacity_units} WCU "
                   "whose GSI has {index_write_capacity_units} WCU: writes carrying the index key: {with_key_written} "
                   "written, {with_key_throttled} throttled; writes without it: {without_key_written} written, "
                   "{without_key_throttled} throttled", writes_per_second=self.writes_per_second,
                   n_seconds=len(self.seconds), table_write_capacity_units=self.table_write_capacity_units,
                   index_write_capacity_units=self.index_write_capacity_units,
                   with_key_written=self.with_key_written, with_key_throttled=self.with_key_throttled,
                   without_key_written=self.without_key_written, without_key_throttled=self.without_key_throttled))


def gsi_back_pressure(lab: Any, *, seconds: int = 3, writes_per_second: int = 20,
                      table_write_capacity_units: int = 100, index_write_capacity_units: int = 1,
                      name: str = "lesson6-back-pressure") -> BackPressure:
    """Alternate writes with and without the GSI's key at ``writes_per_second`` on a step clock, one attempt each
    (no retries), under ``enforce_throughput``: the GSI's bucket refuses what it cannot absorb, on the table."""
    from dynalab.engine import check_lab
    from dynalab.fidelity.throttling import enforce_throughput

    check_lab(lab)
    for parameter, value, low, high in (("seconds", seconds, 1, 30), ("writes_per_second", writes_per_second, 1, 200),
                                        ("table_write_capacity_units", table_write_capacity_units, 1, MAX_UNITS),
                                        ("index_write_capacity_units", index_write_capacity_units, 1, MAX_UNITS)):
        checks.number(parameter, value, low=low, high=high, integer=True)
    table = create_index_table(lab, name, 1, "KEYS_ONLY", index_keys=["customer"],
                               table_capacity=(100, table_write_capacity_units),
                               index_capacity=(100, index_write_capacity_units))
    clock = StepClock()
    throttling = enforce_throughput(lab, table.name, burst_seconds=0, clock=clock)
    counts = [dict(with_key_served=0, with_key_throttled=0, without_key_served=0, without_key_throttled=0)
              for _ in range(seconds)]
    items = []
    for n in range(seconds * writes_per_second):
        item = {"pk": {"S": f"order#{n:05d}"}, "total": {"N": str(n)}}
        if n % 2 == 0:  # every other write carries the GSI's key
            item["customer"] = {"S": f"customer#{n % 7}"}
        items.append(item)
    try:
        for attempt in attempt_writes(lab, table.name, items, clock=clock, writes_per_second=writes_per_second):
            kind = "with_key" if attempt.number % 2 == 0 else "without_key"
            second = min(int(attempt.number // writes_per_second), seconds - 1)
            counts[second][f"{kind}_throttled" if attempt.throttled else f"{kind}_served"] += 1
    finally:
        throttling.stop()
    return BackPressure(table_write_capacity_units, index_write_capacity_units, float(writes_per_second),
                        [BackPressureSecond(s, **c) for s, c in enumerate(counts)])


# ------------------------------------------------------------------------------------------ write sharding


@dataclass(frozen=True)
class ShardingResult:
    """One hot key written as it is, then spread over ``shards`` suffixed keys, on a table throttled per partition;
    then read back: one Query for the hot key, ``shards`` Queries for the sharded one."""

    writes: int
    writes_per_second: float
    partitions: int
    partition_write_capacity_units: float  # today's ceiling per partition-key value: 1,000 WCU/s
    shards: int
    hot_throttled: int
    sharded_throttled: int
    hot_read_queries: int
    sharded_read_queries: int
    hot_read_units: float
    sharded_read_units: float
    hot_items_read: int
    sharded_items_read: int
    table_write_capacity_units: int = 0

    def describe(self) -> str:
        return (tr("{writes} writes at {writes_per_second:g}/s on a table of {table_write_capacity_units:,} WCU; today "
                   "one partition-key value whose items cannot be split gets at most {ceiling:,.0f} WCU/s: one key → "
                   "{hot_throttled} throttled; {shards} shards → {sharded_throttled} throttled. Reading it back: "
                   "{hot_read_queries} Query, {hot_read_units:g} RCU for {hot_items_read} items; sharded: "
                   "{sharded_read_queries} Queries, {sharded_read_units:g} RCU for {sharded_items_read} items",
                   writes=self.writes, writes_per_second=self.writes_per_second,
                   table_write_capacity_units=self.table_write_capacity_units,
                   ceiling=self.partition_write_capacity_units, hot_throttled=self.hot_throttled, shards=self.shards,
                   sharded_throttled=self.sharded_throttled, hot_read_queries=self.hot_read_queries,
                   hot_read_units=self.hot_read_units, hot_items_read=self.hot_items_read,
                   sharded_read_queries=self.sharded_read_queries, sharded_read_units=self.sharded_read_units,
                   sharded_items_read=self.sharded_items_read))


def _throttled_writes(lab: Any, table_name: str, keys: Sequence[str], clock: StepClock, writes_per_second: float,
                      tag: str) -> int:
    items = [{"pk": {"S": key}, "sk": {"S": f"{tag}#{n:06d}"}, "votes": {"N": "1"}} for n, key in enumerate(keys)]
    return sum(attempt.throttled for attempt in attempt_writes(lab, table_name, items, clock=clock,
                                                               writes_per_second=writes_per_second))


def _query_all(lab: Any, table_name: str, key: str) -> tuple[int, float]:
    """Items and read units of one partition key's Query, every page (units from the meter's INDEXES answer)."""
    items, units = 0, 0.0
    for page in query_pages(lab, table_name, KeyConditionExpression="pk = :k",
                            ExpressionAttributeValues={":k": {"S": key}}, ReturnConsumedCapacity="TOTAL"):
        items += page["Count"]
        units += float((page.get("ConsumedCapacity") or {}).get("CapacityUnits") or 0.0)
    return items, units


def write_sharding(lab: Any, *, shards: int = 8, writes: int = 200, writes_per_second: int = 2000,
                   table_write_capacity_units: int = 4000, hot_key: str = "song#42",
                   name: str = "lesson6-sharding") -> ShardingResult:
    """The fix for a hot key: suffix it with ``#0..#N-1`` (a random shard per write spreads the load over
    partitions), and the read fan-out it costs (one Query per shard). Per-partition throttling
    (``enforce_throughput(per_partition=True)``) on a step clock, nothing banked; boto3's retries off."""
    import random

    from dynalab.engine import check_lab
    from dynalab.fidelity.throttling import enforce_throughput

    check_lab(lab)
    checks.number("shards", shards, low=2, high=100, integer=True)
    checks.number("writes", writes, low=1, high=5000, integer=True)
    checks.number("writes_per_second", writes_per_second, low=1, high=100_000, integer=True)
    checks.number("table_write_capacity_units", table_write_capacity_units, low=1, high=MAX_UNITS, integer=True)
    checks.text("hot_key", hot_key, min_length=1, max_length=1000)
    checks.text("name", name, min_length=1, max_length=200)
    chooser = random.Random(6)  # seeded: the same shards every run
    runs = {"hot": [hot_key] * writes,
            "sharded": [f"{hot_key}#{chooser.randrange(shards)}" for _ in range(writes)]}
    throttled: dict[str, int] = {}
    partitions, share = 0, 0.0
    tables = {}
    for run, keys in runs.items():
        # A table each, each throttle starting from the same state: 1/20 s of each partition's capacity banked.
        table = create_table(lab, f"{name}-{run}", sort_key=("sk", "S"), read_capacity_units=3000,
                             write_capacity_units=table_write_capacity_units, reset=True, creator="write_sharding")
        tables[run] = table.name
        clock = StepClock()
        # the sort key (tag#000001, #000002, ...) only grows: DynamoDB cannot split the key's items
        throttling = enforce_throughput(lab, table.name, per_partition=True, burst_seconds=0,
                                        initial_burst_seconds=0.05, clock=clock, monotonic_sort_key=True)
        try:
            partitions = throttling.partitions
            share = (throttling.write_capacity_units or 0.0) / max(partitions, 1)
            throttled[run] = _throttled_writes(lab, table.name, keys, clock, writes_per_second, run)
        finally:
            throttling.stop()
    hot_items, hot_units = _query_all(lab, tables["hot"], hot_key)
    sharded_items, sharded_units = 0, 0.0
    for shard in range(shards):
        found, units = _query_all(lab, tables["sharded"], f"{hot_key}#{shard}")
        sharded_items += found
        sharded_units += units
    return ShardingResult(writes, float(writes_per_second), partitions,
                          min(share, float(PARTITION_MAX_WRITE_UNITS_PER_SECOND)), shards,
                          throttled["hot"], throttled["sharded"], 1, shards, hot_units, sharded_units, hot_items,
                          sharded_items, table_write_capacity_units)


# ------------------------------------------------------------------------------------ a GSI's own partitions


@dataclass(frozen=True)
class GsiHotPartition:
    """Orders with perfect table keys and a GSI on a three-valued ``status``: where each side's writes land, and
    what per-partition throttling does to each side."""

    writes: int
    writes_per_second: float
    partitions: int  # the 2017 model's count for this capacity (not shown: today's ceiling is per key)
    partition_write_capacity_units: float
    #: the busiest key's share of the writes, table side (an order ID) and GSI side (a status)
    table_busiest_share: float
    index_busiest_share: float
    #: live, per-key throttling on a step clock (today's rule): the table (with its GSI), and the GSI's entries
    #: replayed on a table keyed like the index (``status``, then the order ID, a sort key that only grows)
    table_throttled: int
    index_throttled: int
    index_throttled_by_status: dict[str, int]
    capacity_units: int = 0

    def describe(self) -> str:
        rate = self.writes_per_second
        return (tr("{writes} orders at {rate:g}/s on a table and a GSI of {capacity:,} WCU each; today a "
                   "partition-key value gets at most 1,000 WCU/s. Busiest table key: {table_busiest_share:.1%} of the "
                   "writes ({value:,.0f}/s), {table_throttled} throttled; busiest GSI key: {index_busiest_share:.0%} "
                   "({value2:,.0f}/s), {index_throttled} throttled (by status: {index_throttled_by_status})",
                   writes=self.writes, rate=rate, capacity=self.capacity_units,
                   table_busiest_share=self.table_busiest_share, value=self.table_busiest_share * rate,
                   table_throttled=self.table_throttled, index_busiest_share=self.index_busiest_share,
                   value2=self.index_busiest_share * rate, index_throttled=self.index_throttled,
                   index_throttled_by_status=self.index_throttled_by_status))


#: The orders' status mix: most orders are open (a low-cardinality, skewed index key).
STATUS_MIX = (("open", 0.8), ("shipped", 0.15), ("cancelled", 0.05))


def _per_partition_run(lab: Any, table_name: str, items: Sequence[dict], writes_per_second: float) -> list[int]:
    """Write ``items`` (typed) one attempt each on a step clock, per-partition throttling; the refused indexes."""
    from dynalab.fidelity.throttling import enforce_throughput

    clock = StepClock()
    # the index-shaped table's sort key (the order ID) only grows: a status value's entries are not split
    throttling = enforce_throughput(lab, table_name, per_partition=True, burst_seconds=0,
                                    initial_burst_seconds=0.05, clock=clock, monotonic_sort_key=True)
    try:
        return [attempt.number for attempt in attempt_writes(lab, table_name, items, clock=clock,
                                                             writes_per_second=writes_per_second)
                if attempt.throttled]
    finally:
        throttling.stop()


def gsi_hot_partition(lab: Any, *, writes: int = 200, writes_per_second: int = 2000, capacity_units: int = 3000,
                      name: str = "lesson6-gsi-partitions") -> GsiHotPartition:
    """A table keyed on order ID (every write a new key) with a GSI on ``status`` (``STATUS_MIX``), both at
    ``capacity_units`` RCU and WCU, written under per-partition throttling on a step clock, no retries.

    dynalab's throttling gives a GSI one bucket for the whole index, not partitions; so the GSI's partitions are
    shown by replaying the index's entries on a table keyed like the index (``status``, then the order ID), at the
    same capacity: a GSI is stored like a table, with the same per-partition ceilings."""
    import random
    from collections import Counter

    from dynalab.models.partitions import partition_count

    checks.number("writes", writes, low=1, high=5000, integer=True)
    chooser = random.Random(6)
    statuses = chooser.choices([s for s, _ in STATUS_MIX], weights=[w for _, w in STATUS_MIX], k=writes)
    keys = [f"order#{n:06d}" for n in range(writes)]
    partitions = partition_count(capacity_units, capacity_units)
    table_load, index_load = Counter(keys), Counter(statuses)  # per key: today's ceiling binds a key
    orders = create_index_table(lab, name, 1, "KEYS_ONLY", index_keys=["status"],
                                table_capacity=(capacity_units, capacity_units),
                                index_capacity=(capacity_units, capacity_units))
    index_shaped = create_table(lab, f"{name}-index-shaped", partition_key=("pk", "S"), sort_key=("order", "S"),
                                read_capacity_units=capacity_units, write_capacity_units=capacity_units, reset=True,
                                creator="gsi_hot_partition")
    table_refused = _per_partition_run(lab, orders.name, [{"pk": {"S": k}, "status": {"S": s}}
                                                          for k, s in zip(keys, statuses, strict=True)],
                                       writes_per_second)
    index_refused = _per_partition_run(lab, index_shaped.name, [{"pk": {"S": s}, "order": {"S": k}}
                                                                for k, s in zip(keys, statuses, strict=True)],
                                       writes_per_second)
    by_status = Counter(statuses[n] for n in index_refused)
    return GsiHotPartition(writes, float(writes_per_second), partitions, capacity_units / partitions,
                           max(table_load.values()) / writes, max(index_load.values()) / writes,
                           len(table_refused), len(index_refused), {s: by_status.get(s, 0) for s, _ in STATUS_MIX},
                           capacity_units)


# ------------------------------------------------------------------------------------------ item collections


@dataclass(frozen=True)
class ItemCollectionLimit:
    """Items written under one partition key of a table with an LSI until the item collection was refused."""

    limit_bytes: int  # lowered for the lesson (DynamoDB's is 10 GB)
    item_size_bytes: int
    items_written: int
    error_code: str
    other_key_written: bool  # a write under another partition key still goes in

    def describe(self) -> str:
        return tr("with the limit lowered to {limit:,} B (DynamoDB's: 10 GB), {items} items "
                  "of {size:,} B went into one item collection, then: {code}; {other}", limit=self.limit_bytes,
                  items=self.items_written, size=self.item_size_bytes, code=self.error_code,
                  other=tr("another partition key still takes writes: yes") if self.other_key_written
                  else tr("another partition key still takes writes: no"))


def item_collection_limit(lab: Any, *, limit_bytes: int = 20_000, item_size_bytes: int = 2000,
                          name: str = "lesson6-item-collection") -> ItemCollectionLimit:
    """A table keyed (customer, order) with an LSI on (customer, placed_at), ALL projection: write one customer's
    orders until the item collection (the items and their LSI entries) passes ``limit_bytes``. The meter's limit
    is lowered for this call only (``lab.meter.item_collection_limit_bytes``) and put back after."""
    checks.number("limit_bytes", limit_bytes, low=1024, high=1_000_000, integer=True,
                  unit=tr("bytes, a lowered, lesson-sized limit"))
    table = create_table(lab, name, partition_key=("customer", "S"), sort_key=("order", "S"),
                         extra_attribute_definitions=[("placed_at", "S")],
                         LocalSecondaryIndexes=[{"IndexName": "by-date", "Projection": {"ProjectionType": "ALL"},
                                                 "KeySchema": [{"AttributeName": "customer", "KeyType": "HASH"},
                                                               {"AttributeName": "placed_at", "KeyType": "RANGE"}]}],
                         reset=True, creator="item_collection_limit")

    def order(customer: str, n: int) -> dict[str, Any]:
        item: dict[str, Any] = {"customer": customer, "order": f"order#{n:05d}",
                                "placed_at": f"2026-12-01T{n // 60 % 24:02d}:{n % 60:02d}", "lines": ""}
        item["lines"] = "x" * max(0, item_size_bytes - item_size(item))
        return item

    saved = lab.meter.item_collection_limit_bytes
    lab.meter.item_collection_limit_bytes = limit_bytes
    written, code = 0, ""
    try:
        for n in range(10_000):
            try:
                table.put_item(Item=order("customer#1", n))
            except ClientError as error:
                code = error.response["Error"]["Code"]
                break
            written += 1
        table.put_item(Item=order("customer#2", 0))
        other = True
    except ClientError:
        other = False
    finally:
        lab.meter.item_collection_limit_bytes = saved
    return ItemCollectionLimit(limit_bytes, item_size_bytes, written, code, other)
