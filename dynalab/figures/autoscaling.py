"""Lesson 2's pictures: an auto-scaling run, a live load's served vs throttled seconds, and the cost of each mode.

Data in, figure out; no DynamoDB rule is computed here. Long series are thinned for drawing only (the maximum of
each bucket of minutes, so no peak and no throttled minute disappears from view).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import plotly.graph_objects as go

from dynalab.figures import fit_title, has_fields, same_length, series
from dynalab.i18n import tr
from dynalab.models import checks

__all__ = ["autoscaling_figure", "autoscaling_traces", "cost_figure", "throttling_figure", "throttling_traces",
           "update_autoscaling_figure"]

COLORS = {"demand": "#7f7f7f", "provisioned": "#1f77b4", "served": "#2ca02c", "throttled": "#d62728",
          "event": "#ff7f0e"}
MAX_POINTS = 1500


def _thin(values: np.ndarray, every: int) -> np.ndarray:
    if every <= 1:
        return values
    pad = (-values.size) % every
    padded = np.concatenate([values, np.full(pad, values[-1])]) if pad else values
    return padded.reshape(-1, every).max(axis=1)


def _time_axis(minutes: int) -> tuple[float, str]:
    """Divide minutes by this to get the axis unit."""
    return (60.0, tr("hours")) if minutes > 720 else (1.0, tr("minutes"))


def _check_run(result: Any, max_points: Any) -> None:
    has_fields("result", result, ("demand", "provisioned", "served", "throttled", "events"),
               tr("a simulated run (dynalab.simulate_autoscaling(...))"))
    named = [(f"result.{name}", series(f"result.{name}", getattr(result, name), low=0))
             for name in ("demand", "provisioned", "served", "throttled")]
    same_length(*named)
    checks.number("max_points", max_points, low=2, integer=True)


def autoscaling_traces(result: Any, max_points: int = MAX_POINTS) -> list[dict]:
    """The traces of ``autoscaling_figure`` as dicts (``update_autoscaling_figure`` puts them into a figure)."""
    _check_run(result, max_points)
    n = int(result.demand.size)
    every = max(1, math.ceil(n / max_points))
    scale, _ = _time_axis(n)
    x = np.arange(0, n, every) / scale  # numpy arrays: plotly validates and encodes them fast
    series = {name: _thin(np.asarray(getattr(result, name), dtype=float), every)
              for name in ("demand", "provisioned", "served", "throttled")}
    changes = [e for e in result.events if e.kind != "refused"]
    refused = [e for e in result.events if e.kind == "refused"]
    return [
        dict(name=tr("demand (requested units/s)"), x=x, y=series["demand"],
             line=dict(color=COLORS["demand"], width=1)),
        dict(name=tr("consumed (served units/s)"), x=x, y=series["served"],
             line=dict(color=COLORS["served"], width=1)),
        dict(name=tr("provisioned capacity"), x=x, y=series["provisioned"], line_shape="hv",
             line=dict(color=COLORS["provisioned"], width=2)),
        dict(name=tr("throttled units/s"), x=x, y=series["throttled"], fill="tozeroy",
             line=dict(color=COLORS["throttled"], width=1)),
        dict(name=tr("scaling event"), x=[e.effective_minute / scale for e in changes],
             y=[e.to_capacity for e in changes], mode="markers",
             marker=dict(color=COLORS["event"], size=9,
                         symbol=["triangle-up" if e.kind == "scale-out" else "triangle-down" for e in changes]),
             text=[e.reason for e in changes], hoverinfo="text+x+y"),
        dict(name=tr("decrease refused"), x=[e.minute / scale for e in refused],
             y=[e.from_capacity for e in refused], mode="markers",
             marker=dict(color="black", size=8, symbol="x"), text=[e.reason for e in refused],
             hoverinfo="text+x+y"),
    ]


def autoscaling_figure(result: Any, title: str | None = None, max_points: int = MAX_POINTS) -> go.Figure:
    """Demand, consumed, provisioned capacity and throttles over time, with each scaling event marked (``title``:
    "Auto scaling" in the current language when not given)."""
    title = tr("Auto scaling") if title is None else title
    traces = autoscaling_traces(result, max_points)  # checks the run first
    _, unit = _time_axis(int(result.demand.size))
    figure = go.Figure([go.Scatter(**trace) for trace in traces])
    figure.update_layout(title=title, xaxis_title=unit, yaxis_title=tr("capacity units per second"), height=420,
                         margin=dict(l=60, r=20, t=50, b=50), legend=dict(orientation="h", y=-0.2),
                         template="plotly_white")
    return fit_title(figure)


def update_autoscaling_figure(figure: go.Figure, result: Any, title: str | None = None,
                              max_points: int = MAX_POINTS) -> go.Figure:
    """Put another run into a figure made by ``autoscaling_figure``, in place: a few times faster than
    building and validating a new figure (the explorer's slider redraws so)."""
    traces = autoscaling_traces(result, max_points)  # checks the run first
    _, unit = _time_axis(int(result.demand.size))
    with figure.batch_update():
        for trace, new in zip(figure.data, traces, strict=True):
            changes = {"x": new["x"], "y": new["y"]}
            if "text" in new:
                changes["text"] = new["text"]
            if "symbol" in new.get("marker", {}):
                changes["marker"] = {"symbol": new["marker"]["symbol"]}
            trace.update(changes)
        figure.layout.xaxis.title.text = unit
        if title is not None:
            figure.layout.title.text = title
    return fit_title(figure)


def throttling_traces(run: Any) -> list[dict]:
    """The traces of ``throttling_figure`` as dicts."""
    has_fields("run", run, ("rows", "requests_per_second"), tr("a load run (dynalab.run_load(...))"))
    checks.number("run.requests_per_second", run.requests_per_second, low=0)
    seconds = [row.second for row in run.rows]
    return [
        dict(type="bar", name=tr("served calls"), x=seconds, y=[row.served for row in run.rows],
             marker_color=COLORS["served"]),
        dict(type="bar", name=tr("throttled attempts (boto3 retried them)"), x=seconds,
             y=[row.throttled_attempts for row in run.rows], marker_color=COLORS["throttled"]),
        dict(type="scatter", name=tr("provisioned capacity units/s"), x=seconds,
             y=[row.provisioned for row in run.rows], line_shape="hv", line=dict(color=COLORS["provisioned"], width=3)),
        dict(type="scatter", name=tr("requested calls/s"), x=seconds,
             y=[run.requests_per_second] * len(seconds),
             line=dict(color=COLORS["demand"], dash="dot")),
    ]


def throttling_figure(run: Any, title: str | None = None) -> go.Figure:
    """A live load run: bars of calls served and attempts throttled per second, the provisioned rate as a line
    (``title``: "Served vs throttled, second by second" in the current language when not given)."""
    title = tr("Served vs throttled, second by second") if title is None else title
    figure = go.Figure()
    for trace in throttling_traces(run):
        kind = trace.pop("type")
        figure.add_trace(go.Bar(**trace) if kind == "bar" else go.Scatter(**trace))
    figure.update_layout(title=title, xaxis_title=tr("second of the run (with auto scaling: 1 s = 1 simulated minute)"),
                         yaxis_title=tr("per second"), barmode="group", height=380, template="plotly_white",
                         margin=dict(l=60, r=20, t=50, b=50), legend=dict(orientation="h", y=-0.25))
    return fit_title(figure)


def cost_figure(comparison: Any, title: str | None = None) -> go.Figure:
    """Dollars for the same workload: provisioned with auto scaling, provisioned fixed at the peak, on-demand
    (``title``: "What the workload costs" in the current language when not given)."""
    title = tr("What the workload costs") if title is None else title
    has_fields("comparison", comparison, ("fixed_capacity", "provisioned_autoscaling", "provisioned_fixed",
                                          "on_demand"), tr("a cost comparison (dynalab.compare_costs(...))"))
    for name in ("provisioned_autoscaling", "provisioned_fixed", "on_demand"):
        checks.number(f"comparison.{name}", getattr(comparison, name), low=0)
    labels = [tr("provisioned, auto scaling"),
              tr("provisioned, fixed at {capacity}", capacity=comparison.fixed_capacity), tr("on-demand")]
    values = [comparison.provisioned_autoscaling, comparison.provisioned_fixed, comparison.on_demand]
    figure = go.Figure(go.Bar(x=labels, y=values, text=[f"${v:,.2f}" for v in values], textposition="auto",
                              marker_color=[COLORS["provisioned"], COLORS["demand"], COLORS["served"]]))
    figure.update_layout(title=title, yaxis_title=tr("US dollars (price table 2026-12, us-east-1)"), height=320,
                         template="plotly_white", margin=dict(l=60, r=20, t=50, b=40))
    return fit_title(figure)
