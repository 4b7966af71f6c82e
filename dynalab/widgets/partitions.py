"""Lesson 3's widgets and live demos: the partition calculator, the hot-partition explorer, keys on the engine.

They compose ``dynalab.models.partitions`` / ``hot_partitions`` / ``key_distributions`` (the rules), the figures and,
for the live parts, the engine with lesson 2's throttling (``dynalab.fidelity.throttling``); no rule lives here.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dynalab.engine import Lab, check_lab
from dynalab.figures.partitions import key_placement_figure, partition_estimate_figure, partition_load_figure
from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.models.clock import StepClock
from dynalab.models.hot_partitions import (
    MAX_ITEMS_PER_KEY,
    MODE_LABELS,
    MODES,
    PartitionLoad,
    keys_per_partition,
    simulate_partition_load,
)
from dynalab.models.key_distributions import CARDINALITY_TABLE, DISTRIBUTIONS, key_distribution
from dynalab.models.partitions import estimate_partitions, partition_count
from dynalab.models.quotas import DEFAULT_TABLE_MAX_CAPACITY_UNITS as MAX_UNITS
from dynalab.models.quotas import PARTITION_MAX_WRITE_UNITS_PER_SECOND
from dynalab.widgets import MAIN_CONTROL, MAIN_READOUT, FigureView, LessonWidget, checked

__all__ = [
    "HotKeyTest",
    "HotPartitionExplorer",
    "KeyPlacement",
    "LoadTestedTable",
    "PartitionCalculator",
    "load_tested_table",
    "place_keys",
    "run_hot_key_test",
]

MAX_SIZE_GB = 500  # the calculator's size slider
#: the explorer's request stream is sampled into memory (8 B a request): 5 million is 5 times the lesson's
MAX_REQUESTS = 5_000_000
MAX_PARTITIONS_SHOWN = 1_000  # a bar per partition
MAX_PLACED_ITEMS = 100_000  # place_keys loads them into the engine
KEY_ATTRIBUTE_NAME_LENGTH = (1, 255)  # DynamoDB's rule for a key attribute's name


def _capacity_units(name: str, value: Any, low: int = 0) -> int:
    return checks.number(name, value, low=low, high=MAX_UNITS, integer=True,
                         unit=tr("the default table quota is 40,000 each"))


def _key_name(name: str, value: Any) -> str:
    return checks.text(name, value, min_length=KEY_ATTRIBUTE_NAME_LENGTH[0], max_length=KEY_ATTRIBUTE_NAME_LENGTH[1])


class PartitionCalculator(LessonWidget):
    """Sliders for RCU, WCU and table size redraw the partition count and each partition's share, in the 2017
    model (AWS no longer publishes a count, and users cannot see a table's partitions); the readout says what
    DynamoDB documents today beside it."""

    def __init__(self, read_capacity_units: int = 5000, write_capacity_units: int = 500, size_gb: int = 8) -> None:
        import ipywidgets as widgets

        _capacity_units("read_capacity_units", read_capacity_units)
        _capacity_units("write_capacity_units", write_capacity_units)
        checks.number("size_gb", size_gb, low=0, high=MAX_SIZE_GB, integer=True)
        style = {"description_width": "11em"}
        layout = widgets.Layout(width="34em")
        self.rcu_slider = checked(widgets.IntSlider, "read_capacity_units", read_capacity_units, min=0, max=MAX_UNITS,
                                  step=100, style=style, layout=layout, description=tr("read capacity units"),
                                  continuous_update=False)
        self.wcu_slider = checked(widgets.IntSlider, "write_capacity_units", write_capacity_units, min=0,
                                  max=MAX_UNITS, step=100, style=style, layout=layout,
                                  description=tr("write capacity units"), continuous_update=False)
        self.size_slider = checked(widgets.IntSlider, "size_gb", size_gb, min=0, max=MAX_SIZE_GB, step=1, style=style,
                                   layout=layout, description=tr("table size (GB)"), continuous_update=False)
        self.rcu_slider.add_class(MAIN_CONTROL)
        self.readout = widgets.HTML()
        self.readout.add_class(MAIN_READOUT)
        self.estimate = estimate_partitions(read_capacity_units, write_capacity_units, size_gb)
        self.view = FigureView(partition_estimate_figure(self.estimate))
        for slider in (self.rcu_slider, self.wcu_slider, self.size_slider):
            slider.observe(self.update, names="value")
        self.container = widgets.VBox([self.rcu_slider, self.wcu_slider, self.size_slider, self.readout,
                                       self.view.output])
        self.update()

    @property
    def figure(self) -> Any:
        return self.view.figure

    def update(self, *_: Any) -> None:
        self.estimate = estimate_partitions(self.rcu_slider.value, self.wcu_slider.value, self.size_slider.value)
        self.readout.value = (html.escape(self.estimate.describe()) + "<br>" +
                              html.escape(self.estimate.describe_today()))
        self.view.show(partition_estimate_figure(self.estimate))


class HotPartitionExplorer(LessonWidget):
    """Pick a key distribution (a row of the article's cardinality table) and a capacity model (today, the default;
    today without isolation of hot items; the 2017 model); see each partition's load, what it served and throttled.
    ``items_per_key``: the items each key's requests spread over (1: the table has no sort key, so a key is an item)."""

    def __init__(self, read_capacity_units: float = 12_000, partitions: int | None = None, requests: int = 1_000_000,
                 duration_seconds: float = 100.0, seed: int = 1, mode: str = "today",
                 distribution: str = "user_ids", items_per_key: int = 1) -> None:
        import ipywidgets as widgets

        checks.number("read_capacity_units", read_capacity_units, low=1, high=MAX_UNITS,
                      unit=tr("the default table quota is 40,000"))
        checks.optional(checks.number, "partitions", partitions, low=1, high=MAX_PARTITIONS_SHOWN, integer=True)
        checks.number("requests", requests, low=1, high=MAX_REQUESTS, integer=True)
        checks.number("duration_seconds", duration_seconds, low=0, low_open=True)
        checks.number("seed", seed, low=0, integer=True)
        checks.choice("mode", mode, MODES)
        checks.choice("distribution", distribution, [name for _, _, name in CARDINALITY_TABLE])
        self.items_per_key = checks.number("items_per_key", items_per_key, low=1, high=MAX_ITEMS_PER_KEY, integer=True)
        self.read_capacity_units = read_capacity_units
        self.partitions = partitions or partition_count(read_capacity_units, 0)
        self.requests, self.duration_seconds, self.seed = requests, duration_seconds, seed
        self._streams: dict[str, np.ndarray] = {}
        options = [(f"{tr(label)} ({tr(verdict)})", name) for label, verdict, name in CARDINALITY_TABLE]
        self.picker = checked(widgets.Dropdown, "distribution", distribution, options=options,
                              description=tr("partition key"), style={"description_width": "8em"},
                              layout=widgets.Layout(width="34em"))
        self.picker.add_class(MAIN_CONTROL)
        self.mode = checked(widgets.ToggleButtons, "mode", mode, options=[(tr(MODE_LABELS[m]), m) for m in MODES],
                            description=tr("capacity"), style={"description_width": "8em"})
        self.readout = widgets.HTML()
        self.readout.add_class(MAIN_READOUT)
        self.load = self._simulate()
        self.view = FigureView(partition_load_figure(self.load))
        self.picker.observe(self.update, names="value")
        self.mode.observe(self.update, names="value")
        self.container = widgets.VBox([self.picker, self.mode, self.readout, self.view.output])
        self.update()

    @property
    def figure(self) -> Any:
        return self.view.figure

    def _simulate(self) -> PartitionLoad:
        return self.simulate(self.mode.value, self.items_per_key)

    def simulate(self, mode: str, items_per_key: int = 1) -> PartitionLoad:
        """The picked key's load in ``mode``, its requests spread over ``items_per_key`` items a key (the controls
        stay as they are)."""
        checks.choice("mode", mode, MODES)
        distribution = key_distribution(self.picker.value)
        if self.picker.value not in self._streams:  # a seeded stream per distribution: sample it once
            self._streams[self.picker.value] = distribution.sample(self.requests, self.seed)
        return simulate_partition_load(
            distribution, self._streams[self.picker.value], partition_count=self.partitions,
            table_capacity_per_second=self.read_capacity_units, duration_seconds=self.duration_seconds,
            mode=mode, items_per_key=items_per_key,
        )

    def update(self, *_: Any) -> None:
        self.load = self._simulate()
        distribution = key_distribution(self.picker.value)
        self.readout.value = html.escape(tr(
            "{cardinality:,} distinct keys; the busiest, {key!r}, gets {share:.3%} of requests. {load}",
            cardinality=distribution.cardinality, key=self.load.hottest_key,
            share=self.load.hottest_key_requests / self.load.total_requests, load=self.load.describe()))
        self.view.show(partition_load_figure(self.load))


# --- live on the engine ------------------------------------------------------------------------------------------


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

    def figure(self) -> Any:
        return key_placement_figure(self.items_per_partition, tr("{table}: items per partition (model)",
                                                                 table=self.table_name))


def place_keys(lab: Lab, table_name: str, distribution_name: str, items: int, *, partitions: int,
               seed: int = 0, partition_key: str = "pk", sort_key: str = "sk") -> KeyPlacement:
    """Load ``items`` items whose partition keys follow a distribution (sort key: a sequence number), scan them back
    from the engine and place every stored key with the model."""
    from dynalab.engine.tables import bulk_load, scan_pages

    check_lab(lab)
    checks.table_name("table_name", table_name)
    checks.choice("distribution_name", distribution_name, DISTRIBUTIONS)
    checks.number("items", items, low=1, high=MAX_PLACED_ITEMS, integer=True)
    checks.number("partitions", partitions, low=1, high=MAX_PARTITIONS_SHOWN, integer=True)
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
    from dynalab.engine.tables import create_table, wait_until_active
    from dynalab.fidelity.throttling import PARTITION_MODES, enforce_throughput

    check_lab(lab)
    checks.table_name("name", name)
    for parameter, value in (("created", created), ("load_test", load_test)):
        if not isinstance(value, tuple | list) or len(value) != 2:
            raise ValueError(tr("{parameter} must be a pair (read capacity units, write capacity units); got "
                                "{value!r}", parameter=parameter, value=value))
        checks.sequence_of(parameter, value, lambda n, v: _capacity_units(n, v, low=1))
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
    from botocore.exceptions import ClientError

    from dynalab.fidelity.throttling import find_enforcer
    from dynalab.models.partitions import partition_index

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
    client = lab.new_client(retries={"mode": "legacy", "max_attempts": 0})  # one attempt: count each refusal once
    result = HotKeyTest(len(keys), writes_per_second, enforcer.write_capacity_units or 0.0, enforcer.partitions, 0,
                        partition_mode=enforcer.partition_mode if enforcer.per_partition else "2017")
    for number, key in enumerate(keys):
        clock.advance(1.0 / writes_per_second)
        try:
            client.put_item(TableName=table_name, Item={partition_key: {"S": key}, "n": {"N": str(number)}})
        except ClientError as error:
            if error.response["Error"]["Code"] != "ProvisionedThroughputExceededException":
                raise
            result.throttled += 1
            result.throttled_by_key[key] += 1
            result.throttling_reasons.update(r.get("reason", "") for r in error.response.get("ThrottlingReasons", []))
            result.throttled_by_partition[partition_index(key, enforcer.partitions)] += 1
    return result
