"""Every figure drawn after ``dynalab.set_language("ja")`` is Japanese (issue 18): titles, axis titles, legends,
annotations, hover templates, the categories on an axis; the figures' own errors too. In English mode the same
figures read as they always did."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from support_i18n import english_runs, has_japanese

import dynalab
from dynalab.figures import autoscaling, capacity, indexes, lambda_triggers, partitions, planner, series, streams
from dynalab.lessons.load_generator import LoadRun, LoadSecond
from dynalab.models.event_source_mapping import simulate_batching
from figures.figure_texts import learner_texts_of_figure


def _run() -> Any:
    return dynalab.simulate_autoscaling([100.0] * 30 + [400.0] * 60 + [50.0] * 60, 70)


def _load(mode: str) -> Any:
    from dynalab.models.key_distributions import key_distribution

    distribution = key_distribution("status_codes")
    return dynalab.simulate_partition_load(distribution, distribution.sample(20_000, 1), partition_count=8,
                                           table_capacity_per_second=5000, duration_seconds=10, mode=mode)


def _invocations() -> list[Any]:
    from dynalab.lessons.event_source_mapping import Invocation

    return [Invocation(number=n, shard_id="shard-1", lane=0, first_sequence_number=str(100 + 2 * n),
                       last_sequence_number=str(101 + 2 * n), batch_size=2, outcome=outcome, action=action, retry=0,
                       bisect_depth=0, invoked_at=float(n), error="")
            for n, (outcome, action) in enumerate([("success", "done"), ("error", "retry"), ("error", "bisect"),
                                                   ("error", "discard"), ("expired", "discard"),
                                                   ("partial", "retry")])]


#: every figure builder, with data as the lessons give it (the titles a lesson passes itself are its own text)
FIGURES: dict[str, Callable[[], Any]] = {
    "autoscaling": lambda: autoscaling.autoscaling_figure(_run()),
    "autoscaling (hours)": lambda: autoscaling.autoscaling_figure(dynalab.simulate_autoscaling([100.0] * 800, 70)),
    "update_autoscaling": lambda: autoscaling.update_autoscaling_figure(autoscaling.autoscaling_figure(_run()),
                                                                        dynalab.simulate_autoscaling([50.0] * 900, 40)),
    "cost": lambda: autoscaling.cost_figure(dynalab.compare_costs(_run().demand, _run().provisioned, _run().served)),
    "throttling": lambda: autoscaling.throttling_figure(LoadRun("t", "write", 10.0, 2, [
        LoadSecond(1, sent=10, served=8, throttled_attempts=3, provisioned=8.0), LoadSecond(2, sent=10, served=8)])),
    "size_breakdown": lambda: capacity.size_breakdown_figure(dynalab.attribute_sizes({"pk": "a", "n": 5})),
    "units_by_size": lambda: capacity.units_by_size_figure(dynalab.read_units, dynalab.write_units,
                                                           marker_bytes=5000),
    "read_pattern": lambda: capacity.read_pattern_figure({"1 Query": 1.0, "10 GetItem": 5.0}),
    "index_write": lambda: indexes.index_write_figure([("GSI 0", 1.0, {}), ("1 × ALL", 1.0, {"gsi1": 1.0})]),
    "crossover": lambda: indexes.crossover_figure([0.01, 0.1, 1.0], [5.0, 50.0, math.inf], marker=(0.1, 10.0)),
    "back_pressure": lambda: indexes.back_pressure_figure([0, 1], [1, 1], [0, 1], [2, 2], [0, 0]),
    "sharding": lambda: indexes.sharding_figure(["1 key", "4 shards"], [5, 0], [10, 15], [1, 4], [0.5, 2.0]),
    "invocation_timeline": lambda: lambda_triggers.invocation_timeline_figure(_invocations()),
    "batching": lambda: lambda_triggers.batching_figure([simulate_batching(10.0, 60, b, w)
                                                         for b in (1, 10) for w in (0, 1)]),
    "partition_estimate": lambda: partitions.partition_estimate_figure(dynalab.estimate_partitions(5000, 500, 8)),
    "split_history": lambda: partitions.split_history_figure(dynalab.split_history(
        [("A", 5000, 500, 8), ("B", 30_000, 14_000, 8), ("C", 5000, 500, 8)])),
    "partition_load (today)": lambda: partitions.partition_load_figure(_load("today")),
    "partition_load (2017)": lambda: partitions.partition_load_figure(_load("2017")),
    "key_placement": lambda: partitions.key_placement_figure(np.array([3, 4])),
    "pattern_units": lambda: planner.pattern_units_figure(dynalab.plan_table("orders")),
    "bill": lambda: planner.bill_figure(dynalab.plan_table("orders")),
    "key_load": lambda: planner.key_load_figure(dynalab.plan_table("orders")),
    "plan": lambda: planner.plan_figure(dynalab.plan_table("orders")),
    "vote_summary": lambda: streams.vote_summary_figure({"A": 2, "B": 1}),
    "daily_votes": lambda: streams.daily_votes_figure({("A", "2023-07-08"): 2}),
    "cost_comparison": lambda: streams.cost_comparison_figure([1, 2], {
        label: [1.0, 2.0] for label in streams.LINE_NAMES}),
}

@pytest.fixture
def japanese():
    dynalab.set_language("ja")
    yield
    dynalab.set_language("en")


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_a_figure_drawn_in_japanese_mode_is_japanese(name, japanese):
    texts = learner_texts_of_figure(FIGURES[name]().to_dict())
    assert any(has_japanese(text) for text in texts), f"{name}: no Japanese in {texts[:5]}"
    english = [run for text in texts for run in english_runs(text)]
    assert not english, f"{name} shows English prose in Japanese mode: {english[:8]}"


ENGLISH_TITLES = {
    "autoscaling": "Auto scaling",
    "units_by_size": "Capacity units per item size: reads round up to 4 KB, writes to 1 KB",
    "read_pattern": "Reading the same items three ways",
    "index_write": "What one write costs: the table and each index",
    "crossover": "Filter or index? The read rate above which the index is cheaper",
    "back_pressure": "A 1-WCU GSI throttles the table's writes (per second)",
    "sharding": "Write sharding: throttles gone, reads fan out",
    "invocation_timeline": "invocations per batch (each bar: the records one invocation got)",
    "bill": "A month (730 h) of capacity, by average use",
    "vote_summary": "vote-summary table (vote → num)",
    "daily_votes": "per-day table: votes per candidate and day",
    "cost_comparison": "cumulative cost in dollars, metered with DynamoDB's rules (2026-12 prices)",
    "cost": "What the workload costs",
    "throttling": "Served vs throttled, second by second",
}


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_the_same_figure_in_english_mode_reads_as_before(name):
    figure = FIGURES[name]()
    texts = learner_texts_of_figure(figure.to_dict())
    assert not [text for text in texts if has_japanese(text)], f"{name}: Japanese in English mode"
    if name in ENGLISH_TITLES:
        assert figure.layout.title.text == ENGLISH_TITLES[name]


BAD = {
    "lengths": (lambda: indexes.crossover_figure([0.1, 0.2], [5.0]), "crossover_queries_per_second"),
    "numbers": (lambda: capacity.read_pattern_figure(5), "units"),
    "fields": (lambda: autoscaling.throttling_figure(3), "run"),
    "function": (lambda: capacity.units_by_size_figure(5, dynalab.write_units), "read_units"),
    "setup": (lambda: indexes.index_write_figure([("a", 1.0)]), "setups[0]"),
    "daily": (lambda: streams.daily_votes_figure({"A": 1}), "daily"),
    "dollars": (lambda: streams.cost_comparison_figure([1], {}), "cumulative_dollars"),
    "integers": (lambda: series("counts", np.array([1.5]), integer=True), "counts"),
    "too many": (lambda: series("counts", np.zeros(0)), "counts"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_a_figure_refuses_bad_data_in_japanese(name, japanese):
    call, parameter = BAD[name]
    with pytest.raises((ValueError, TypeError)) as raised:
        call()
    message = str(raised.value)
    assert parameter in message and has_japanese(message), message
    assert not english_runs(message), message
