"""Lesson 3 on the engine: keys placed on partitions, a table that went through a load test, a hot key's writes.

They compose ``dynalab.models.partitions`` / ``hot_partitions`` / ``key_distributions`` (the rules) with engine I/O
and lesson 2's throttling (``dynalab.fidelity.throttling``, per partition on a step clock); each returns data with a
``describe()`` (``dynalab.figures.partitions`` draws it, ``dynalab.widgets.partitions`` holds the explorers).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dynalab.engine import Lab, check_lab
from dynalab.engine.attempts import attempt_writes
from dynalab.engine.tables import bulk_load, create_table, scan_pages, wait_until_active
from dynalab.fidelity.throttling import PARTITION_MODES, enforce_throughput, find_enforcer
from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.models.clock import StepClock
from dynalab.models.hot_partitions import keys_per_partition
from dynalab.models.key_distributions import DISTRIBUTIONS, key_distribution
from dynalab.models.partitions import partition_index
from dynalab.models.quotas import DEFAULT_TABLE_MAX_CAPACITY_UNITS as MAX_UNITS
from dynalab.models.quotas import PARTITION_MAX_WRITE_UNITS_PER_SECOND

__all__ = [
    "HotKeyTest",
    "KeyPlacement",
    "LoadTestedTable",
    "check_capacity_units",
    "load_tested_table",
    "place_keys",
    "run_hot_key_test",
]

MAX_PLACED_ITEMS = 100_000  # place_keys loads them into the engine
MAX_PARTITIONS_PLACED = 1_000  # a bar per partition
KEY_ATTRIBUTE_NAME_LENGTH = (1, 255)  # DynamoDB's rule for a key attribute's name


def check_capacity_units(name: str, value: Any, low: int = 0) -> int:
    """RCU or WCU within the default table quota (40,000 each)."""
    return checks.number(name, value, low=low, high=MAX_UNITS, integer=True,
                         unit=tr("the default table quota is 40,000 each"))


def _key_name(name: str, value: Any) -> str:
    return checks.text(name, value, min_length=KEY_ATTRIBUTE_NAME_LENGTH[0], max_length=KEY_ATTRIBUTE_NAME_LENGTH[1])



@dataclass
class KeyPlacement:
    """Items loaded on the engine, read back, and where the model places them."""

    table_name: str
    items_loaded: int
    distinct_keys: int
    partition_count: int
    items_per_partition: np.ndarray

    def describe(self) -> str:
        counts = ", ".join(f"{int(c):,}" for c in self.items_per_partition)
        return tr("{items:,} items ({keys:,} distinct partition keys) read back from {table}; per partition "
                  "(model): {counts}", items=self.items_loaded, keys=self.distinct_keys, table=self.table_name,
                  counts=counts)


def place_keys(lab: Lab, table_name: str, distribution_name: str, items: int, *, partitions: int,
               seed: int = 0, partition_key: str = "pk", sort_key: str = "sk") -> KeyPlacement:
    """Load ``items`` items whose partition keys follow a distribution (sort key: a sequence number), scan them back
    from the engine and place every stored key with the model."""
    check_lab(lab)
    checks.table_name("table_name", table_name)
    checks.choice("distribution_name", distribution_name, DISTRIBUTIONS)
    checks.number("items", items, low=1, high=MAX_PLACED_ITEMS, integer=True)
    checks.number("partitions", partitions, low=1, high=MAX_PARTITIONS_PLACED, integer=True)
    checks.number("seed", seed, low=0, integer=True)
    _check_key_schema(lab, table_name, {partition_key: "HASH", sort_key: "RANGE"},
                      {partition_key: "partition_key", sort_key: "sort_key"})
    keys = key_distribution(distribution_name).sample_keys(items, seed)
    bulk_load(lab, table_name, [{partition_key: key, sort_key: number} for number, key in enumerate(keys)])
    stored = [item[partition_key]["S"]
              for page in scan_pages(lab, table_name, ProjectionExpression="#k",
                                     ExpressionAttributeNames={"#k": partition_key})
              for item in page["Items"]]
    return KeyPlacement(table_name, len(stored), len(set(stored)), partitions, keys_per_partition(stored, partitions))


def _check_key_schema(lab: Lab, table_name: str, keys: dict[str, str], parameters: dict[str, str]) -> None:
    """The table exists and its key is ``keys`` (attribute -> HASH/RANGE), else a clear error before any write."""
    for parameter, name in parameters.items():
        _key_name(parameter, name)
    try:
        schema = lab.client.describe_table(TableName=table_name)["Table"]["KeySchema"]
    except lab.client.exceptions.ResourceNotFoundException:
        raise ValueError(tr("table_name {table!r}: no such table on this engine; create it first "
                            "(dynalab.create_table)", table=table_name)) from None
    actual = {key["AttributeName"]: key["KeyType"] for key in schema}
    if actual != keys:
        named = list(parameters.values())
        names = tr("{first} and {second}", first=named[0], second=named[1]) if len(named) == 2 else named[0]
        raise ValueError(tr("table {table!r} has the key {actual}, not {keys}: pass its key attributes as {names}",
                            table=table_name, actual=actual, keys=keys, names=names))


@dataclass
class LoadTestedTable:
    """A live table that went through a load test and back, throttled per partition on a step clock."""

    table_name: str
    throttling: Any  # dynalab.fidelity.throttling.ThroughputEnforcer
    clock: StepClock

    @property
    def partitions(self) -> int:
        return self.throttling.partitions


def load_tested_table(lab: Lab, name: str, *, created: tuple[int, int] = (5_000, 500),
                      load_test: tuple[int, int] = (30_000, 14_000), partition_mode: str = "2017") -> LoadTestedTable:
    """Create ``name`` afresh (reset: deleted first if it exists) at ``created`` (RCU, WCU), switch on lesson 2's
    per-partition throttling on a step clock, then UpdateTable to ``load_test`` and back: in the **2017 model**
    the table keeps the partitions the load test made, each with an even share. ``partition_mode="today"``: the
    same history under today's rules (adaptive capacity up to the table's total, each key up to 3,000 read /
    1,000 write units a second).

    Refused on real AWS: provisioning tens of thousands of capacity units costs real money by the hour.
    """
    check_lab(lab)
    checks.table_name("name", name)
    for parameter, value in (("created", created), ("load_test", load_test)):
        if not isinstance(value, tuple | list) or len(value) != 2:
            raise ValueError(tr("{parameter} must be a pair (read capacity units, write capacity units); got "
                                "{value!r}", parameter=parameter, value=value))
        checks.sequence_of(parameter, value, lambda n, v: check_capacity_units(n, v, low=1))
    checks.choice("partition_mode", partition_mode, PARTITION_MODES)
    if lab.is_aws:
        raise RuntimeError(tr(
            "load_tested_table provisions {rcu:,} RCU / {wcu:,} WCU: refused on AWS (real costs); run this part of "
            "the lesson on the local engine", rcu=load_test[0], wcu=load_test[1]))
    table = create_table(lab, name, partition_key=("pk", "S"), read_capacity_units=created[0],
                         write_capacity_units=created[1], reset=True)
    clock = StepClock()
    throttling = enforce_throughput(lab, table.name, per_partition=True, partition_mode=partition_mode,
                                    burst_seconds=0, clock=clock)
    for rcu, wcu in (load_test, created):
        lab.client.update_table(TableName=table.name,
                                ProvisionedThroughput={"ReadCapacityUnits": rcu, "WriteCapacityUnits": wcu})
        wait_until_active(lab, table.name)
    return LoadTestedTable(table.name, throttling, clock)


@dataclass
class HotKeyTest:
    """What a stream of writes met on a table throttled per partition."""

    writes: int
    writes_per_second: float
    table_write_capacity_units: float
    partitions: int
    throttled: int
    throttled_by_key: Counter = field(default_factory=Counter)
    throttled_by_partition: Counter = field(default_factory=Counter)
    partition_mode: str = "2017"
    #: the ThrottlingReasons the refusals carried [src:throttling-reasons], e.g. TableWriteKeyRangeThroughputExceeded
    throttling_reasons: Counter = field(default_factory=Counter)

    def describe(self) -> str:
        key, count = self.throttled_by_key.most_common(1)[0] if self.throttled_by_key else ("-", 0)
        capacity = (tr("{wcu:g} WCU ({share:.0%} of it)", wcu=self.table_write_capacity_units,
                       share=self.writes_per_second / self.table_write_capacity_units)
                    if self.table_write_capacity_units else tr("on-demand capacity"))
        if self.partition_mode == "today":
            return tr("today: {writes} writes at {rate:g}/s on a table of {capacity}, each item up to {ceiling:,} "
                      "WCU/s: {throttled} throttled, {count} of them on {key!r}", writes=self.writes,
                      rate=self.writes_per_second, capacity=capacity, ceiling=PARTITION_MAX_WRITE_UNITS_PER_SECOND,
                      throttled=self.throttled, count=count, key=key)
        return tr("2017 model: {writes} writes at {rate:g}/s on a table of {capacity} and {partitions} partitions: "
                  "{throttled} throttled, {count} of them on {key!r} (partitions throttling: {throttling})",
                  writes=self.writes, rate=self.writes_per_second, capacity=capacity, partitions=self.partitions,
                  throttled=self.throttled, count=count, key=key, throttling=sorted(self.throttled_by_partition))


def run_hot_key_test(lab: Lab, table_name: str, keys: list[str], *, writes_per_second: float, clock: StepClock,
                     partition_key: str = "pk") -> HotKeyTest:
    """Write one item per key at ``writes_per_second`` (on ``clock``: call it with the clock the table's
    ``enforce_throughput`` uses), with no retries, and count the writes refused as throttled."""
    check_lab(lab)
    checks.table_name("table_name", table_name)
    checks.sequence_of("keys", keys, lambda n, v: checks.text(n, v, min_length=1), min_length=1)
    checks.number("writes_per_second", writes_per_second, low=0, low_open=True)
    checks.instance("clock", clock, StepClock, what=tr("the StepClock the table's throttling runs on "
                                                       "(load_tested_table(...).clock)"))
    _key_name("partition_key", partition_key)
    enforcer = find_enforcer(lab, table_name)
    if enforcer is None:
        raise ValueError(tr("enforce_throughput(lab, {table!r}, per_partition=True, clock=...) must run first",
                            table=table_name))
    result = HotKeyTest(len(keys), writes_per_second, enforcer.write_capacity_units or 0.0, enforcer.partitions, 0,
                        partition_mode=enforcer.partition_mode if enforcer.per_partition else "2017")
    items = [{partition_key: {"S": key}, "n": {"N": str(number)}} for number, key in enumerate(keys)]
    for attempt in attempt_writes(lab, table_name, items, clock=clock, writes_per_second=writes_per_second):
        if attempt.throttled:
            key = keys[attempt.number]
            result.throttled += 1
            result.throttled_by_key[key] += 1
            result.throttling_reasons.update(attempt.reasons)
            result.throttled_by_partition[partition_index(key, enforcer.partitions)] += 1
    return result
