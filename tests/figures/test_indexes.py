"""Lesson 6's figures draw what they are given (no rule): stacked table + index units, the crossover, per second."""

from __future__ import annotations

import math

from dynalab.figures.indexes import back_pressure_figure, crossover_figure, index_write_figure, sharding_figure


def test_the_stacked_bars_carry_each_index_and_the_total():
    figure = index_write_figure([("no index", 3.0, {}), ("1 GSI", 3.0, {"gsi1": 3.0})])
    bars = {trace.name: list(trace.y) for trace in figure.data if trace.type == "bar"}
    assert bars == {"table": [3.0, 3.0], "gsi1": [0.0, 3.0]}
    assert list(figure.data[-1].text) == ["3 WCU", "6 WCU"]


def test_the_crossover_leaves_never_as_a_gap():
    figure = crossover_figure([0.01, 1.0], [0.5, math.inf], marker=(0.01, 1.0))
    line = next(trace for trace in figure.data if trace.name == "index cheaper (above)")
    assert list(line.y) == [0.5, None]
    assert figure.layout.xaxis.type == figure.layout.yaxis.type == "log"


def test_back_pressure_and_sharding_figures_stack_throttled_on_written():
    pressure = back_pressure_figure([0, 1], [1, 1], [9, 9], [10, 10], [0, 0])
    throttled = next(trace for trace in pressure.data if trace.name == "with the index key: throttled")
    assert list(throttled.base) == [1, 1] and list(throttled.x) == ["s0", "s1"]
    sharding = sharding_figure(["one key", "8 shards"], [139, 0], [161, 300], [1, 8], [1.0, 4.0])
    assert [t.name for t in sharding.data] == ["written", "throttled", "Queries", "read units"]
