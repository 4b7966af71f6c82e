"""Lesson 3's widgets: the partition calculator and the hot-partition explorer.

They compose ``dynalab.models.partitions`` / ``hot_partitions`` / ``key_distributions`` (the rules) and the figures;
no rule lives here. The live parts on the engine (keys placed, a load-tested table, a hot key's writes) are
``dynalab.lessons.partitions``'.
"""

from __future__ import annotations

import html
from typing import Any

import numpy as np

from dynalab.figures.partitions import partition_estimate_figure, partition_load_figure
from dynalab.i18n import tr
from dynalab.lessons.partitions import MAX_PARTITIONS_PLACED, check_capacity_units
from dynalab.models import checks
from dynalab.models.hot_partitions import (
    MAX_ITEMS_PER_KEY,
    MODE_LABELS,
    MODES,
    PartitionLoad,
    simulate_partition_load,
)
from dynalab.models.key_distributions import CARDINALITY_TABLE, key_distribution
from dynalab.models.partitions import estimate_partitions, partition_count
from dynalab.models.quotas import DEFAULT_TABLE_MAX_CAPACITY_UNITS as MAX_UNITS
from dynalab.widgets import MAIN_CONTROL, MAIN_READOUT, FigureView, LessonWidget, checked

__all__ = ["HotPartitionExplorer", "PartitionCalculator"]

MAX_SIZE_GB = 500  # the calculator's size slider
#: the explorer's request stream is sampled into memory (8 B a request): 5 million is 5 times the lesson's
MAX_REQUESTS = 5_000_000
MAX_PARTITIONS_SHOWN = MAX_PARTITIONS_PLACED  # a bar per partition


class PartitionCalculator(LessonWidget):
    """Sliders for RCU, WCU and table size redraw the partition count and each partition's share, in the 2017
    model (AWS no longer publishes a count, and users cannot see a table's partitions); the readout says what
    DynamoDB documents today beside it."""

    def __init__(self, read_capacity_units: int = 5000, write_capacity_units: int = 500, size_gb: int = 8) -> None:
        import ipywidgets as widgets

        check_capacity_units("read_capacity_units", read_capacity_units)
        check_capacity_units("write_capacity_units", write_capacity_units)
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
