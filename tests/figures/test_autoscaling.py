"""Lesson 2's figures (dynalab.figures.autoscaling): long runs thinned, peaks kept, redraws in place."""

from __future__ import annotations

import numpy as np

from dynalab.models.autoscaling import simulate_autoscaling


def test_the_figure_thins_long_series_but_keeps_every_peak():
    from dynalab.figures.autoscaling import autoscaling_traces

    demand = np.full(10080, 100.0)
    demand[5001] = 900.0
    traces = autoscaling_traces(simulate_autoscaling(demand, 70), max_points=1500)
    assert len(traces[0]["y"]) <= 1500 and max(traces[0]["y"]) == 900


def test_redrawing_in_place_gives_the_same_figure_as_drawing_afresh():
    from dynalab.figures.autoscaling import autoscaling_figure, update_autoscaling_figure

    first = simulate_autoscaling([100.0] * 10 + [400.0] * 50, 70, burst_seconds=0)
    second = simulate_autoscaling(np.tile([100.0, 100.0, 500.0], 400), 50)
    figure = update_autoscaling_figure(autoscaling_figure(first, "a"), second, "b")
    assert figure.to_dict() == autoscaling_figure(second, "b").to_dict()
