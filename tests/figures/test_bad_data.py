"""Bad data into a figure (empty series, NaN, series of different lengths, the wrong kind of result) is a clear
ValueError/TypeError naming the argument, raised by dynalab before plotly or numpy sees it (issue 12 item 10)."""

from __future__ import annotations

import dataclasses
import math
import re

import numpy as np
import pytest

import dynalab
from dynalab.figures import autoscaling, capacity, indexes, lambda_triggers, partitions, planner, streams

nan = math.nan


def _run_with(**changes):
    return dataclasses.replace(dynalab.simulate_autoscaling([100.0] * 30, 70), **changes)


BAD_CALLS = {
    "autoscaling_figure(None)": (lambda: autoscaling.autoscaling_figure(None), "result"),
    "autoscaling_figure(NaN demand)": (lambda: autoscaling.autoscaling_figure(_run_with(demand=np.full(30, nan))),
                                       "result.demand"),
    "autoscaling_figure(lengths)": (lambda: autoscaling.autoscaling_figure(_run_with(served=np.ones(29))),
                                    "result.served"),
    "autoscaling_figure(max_points=0)": (lambda: autoscaling.autoscaling_figure(
        dynalab.simulate_autoscaling([100.0] * 30, 70), max_points=0), "max_points"),
    "throttling_figure(3)": (lambda: autoscaling.throttling_figure(3), "run"),
    "cost_figure({})": (lambda: autoscaling.cost_figure({}), "comparison"),
    "size_breakdown_figure([])": (lambda: capacity.size_breakdown_figure([]), "parts"),
    "size_breakdown_figure(['pk'])": (lambda: capacity.size_breakdown_figure(["pk"]), "parts[0]"),
    "units_by_size_figure(step_bytes=0)": (lambda: capacity.units_by_size_figure(
        dynalab.read_units, dynalab.write_units, step_bytes=0), "step_bytes"),
    "units_by_size_figure(read_units=5)": (lambda: capacity.units_by_size_figure(5, dynalab.write_units),
                                           "read_units"),
    "read_pattern_figure(NaN)": (lambda: capacity.read_pattern_figure({"1 Query": nan}), "units"),
    "index_write_figure([])": (lambda: indexes.index_write_figure([]), "setups"),
    "index_write_figure(bad tuple)": (lambda: indexes.index_write_figure([("a", 1.0)]), "setups[0]"),
    "crossover_figure(lengths)": (lambda: indexes.crossover_figure([0.1, 0.2], [5.0]),
                                  "crossover_queries_per_second"),
    "crossover_figure(NaN)": (lambda: indexes.crossover_figure([0.1, nan], [5.0, 6.0]), "selectivities"),
    "crossover_figure(marker)": (lambda: indexes.crossover_figure([0.1], [5.0], marker=(0.1,)), "marker"),
    "back_pressure_figure(lengths)": (lambda: indexes.back_pressure_figure([0, 1], [1, 1], [0, 0], [1], [0, 0]),
                                      "without_key_served"),
    "back_pressure_figure(empty)": (lambda: indexes.back_pressure_figure([], [], [], [], []), "seconds"),
    "sharding_figure(lengths)": (lambda: indexes.sharding_figure(["one key"], [1, 2], [1], [1], [1.0]),
                                 "throttled"),
    "invocation_timeline_figure(5)": (lambda: lambda_triggers.invocation_timeline_figure(5), "invocations"),
    "batching_figure([])": (lambda: lambda_triggers.batching_figure([]), "results"),
    "partition_estimate_figure(3)": (lambda: partitions.partition_estimate_figure(3), "estimate"),
    "split_history_figure([])": (lambda: partitions.split_history_figure([]), "steps"),
    "partition_load_figure(None)": (lambda: partitions.partition_load_figure(None), "load"),
    "key_placement_figure([])": (lambda: partitions.key_placement_figure(np.array([], dtype=np.int64)), "counts"),
    "key_placement_figure(NaN)": (lambda: partitions.key_placement_figure(np.array([1.0, nan])), "counts"),
    "key_placement_figure(-1)": (lambda: partitions.key_placement_figure([3, -1]), "counts"),
    "plan_figure(None)": (lambda: planner.plan_figure(None), "plan"),
    "bill_figure(target NaN)": (lambda: planner.bill_figure(dynalab.plan_table("orders"), nan),
                                "target_utilization"),
    "vote_summary_figure(NaN)": (lambda: streams.vote_summary_figure({"A": nan}), "summary"),
    "vote_summary_figure(candidates='AB')": (lambda: streams.vote_summary_figure({"A": 1}, "AB"), "candidates"),
    "daily_votes_figure(bad key)": (lambda: streams.daily_votes_figure({"A": 1}), "daily"),
    "cost_comparison_figure(lengths)": (lambda: streams.cost_comparison_figure(
        [1, 2, 3], {"batch, on-demand": [1.0, 2.0]}), "cumulative_dollars"),
    "cost_comparison_figure(empty days)": (lambda: streams.cost_comparison_figure([], {"batch": []}), "days"),
}


@pytest.mark.parametrize("name", list(BAD_CALLS))
def test_bad_data_is_a_clear_error_naming_the_argument(name):
    call, argument = BAD_CALLS[name]
    with pytest.raises((ValueError, TypeError)) as raised:
        call()
    assert re.search(rf"(?<![\w.]){re.escape(argument)}(?![\w])", str(raised.value)), str(raised.value)
    assert "dynalab" in raised.traceback[-1].path.parts  # raised by dynalab's checks, not inside plotly


def test_good_data_still_draws():
    assert len(partitions.key_placement_figure(np.array([3, 4, 5])).data[0].x) == 3
    assert len(indexes.crossover_figure([0.01, 0.1, 1.0], [5.0, 50.0, math.inf]).data) == 3  # inf: never cheaper
    assert streams.vote_summary_figure({}).data[0].x == ()  # an empty board draws before the first vote
    assert lambda_triggers.invocation_timeline_figure([]).data == ()
