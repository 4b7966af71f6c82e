"""Lesson 3's figures (dynalab.figures.partitions): the load figure's lines, the split history's frames."""

from __future__ import annotations

import pytest

from dynalab.models.hot_partitions import simulate_partition_load
from dynalab.models.key_distributions import key_distribution
from dynalab.models.partitions import split_history


def test_load_figure_draws_the_ceiling_and_the_even_share():
    from dynalab.figures.partitions import partition_load_figure

    distribution = key_distribution("status_codes")
    load = simulate_partition_load(distribution, distribution.sample(1_000_000, 1), partition_count=24,
                                   table_capacity_per_second=12_000, duration_seconds=100.0, mode="2017")
    figure = partition_load_figure(load)  # the 2017 model: its even share is drawn
    lines = sorted(shape.y0 for shape in figure.layout.shapes)
    assert lines == [pytest.approx(12_000 / 24), 3000]
    assert list(figure.data[0].y + figure.data[1].y) == pytest.approx(list(load.demand_per_second))


def test_split_history_figure_has_a_frame_and_a_slider_step_per_step():
    from dynalab.figures.partitions import split_history_figure

    steps = split_history([("created", 5000, 500, 8), ("load test", 30000, 14000, 8), ("down", 5000, 500, 8)])
    figure = split_history_figure(steps)
    assert [len(frame.data[0].x) for frame in figure.frames] == [3, 24, 24]
    assert [s.label for s in figure.layout.sliders[0].steps] == ["created", "load test", "down"]
    assert figure.frames[2].data[0].y[0] == pytest.approx(500 / 24)
    with pytest.raises(ValueError, match="steps"):
        split_history_figure([])
