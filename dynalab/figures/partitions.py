"""Figures for lesson 3: partitions and their share of capacity, the split history, per-partition load.

Data in (``dynalab.models.partitions`` / ``dynalab.models.hot_partitions`` results),
plotly figure out; no DynamoDB rule here.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from dynalab.figures import MAX_POINTS_DRAWN, fit_title, result_of, series
from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.models.hot_partitions import PartitionLoad
from dynalab.models.partitions import (
    PARTITION_MAX_READ_CAPACITY_UNITS,
    PARTITION_MAX_WRITE_CAPACITY_UNITS,
    PartitionEstimate,
    SplitStep,
)

__all__ = ["key_placement_figure", "partition_estimate_figure", "partition_load_figure", "split_history_figure"]

READ_COLOUR = "#1f77b4"
WRITE_COLOUR = "#ff7f0e"
THROTTLED_COLOUR = "#d62728"
SERVED_COLOUR = "#2ca02c"


def _ceiling(y: float, text: str, colour: str) -> dict:
    return dict(type="line", xref="paper", x0=0, x1=1, y0=y, y1=y, line=dict(color=colour, dash="dash", width=2),
                label=dict(text=text, textposition="end", font=dict(color=colour, size=11)))


def _check_bars(name: str, partitions: int) -> None:
    """A bar per partition: a count past what a figure can draw is refused, not a MemoryError."""
    checks.number(name, partitions, low=1, high=MAX_POINTS_DRAWN, integer=True, unit=tr("a bar each"))


def partition_estimate_figure(estimate: PartitionEstimate) -> go.Figure:
    """One bar pair per partition: the RCU and WCU it gets in the 2017 model, against the 3,000 / 1,000 ceilings
    (today each partition is designed for those: the lines hold in both eras)."""
    result_of("estimate", estimate, PartitionEstimate, tr("a PartitionEstimate (dynalab.estimate_partitions(...))"))
    _check_bars("estimate.partitions", estimate.partitions)
    partitions = np.arange(estimate.partitions)
    figure = go.Figure(
        [
            go.Bar(name=tr("RCU per partition"), x=partitions,
                   y=np.full(estimate.partitions, estimate.read_capacity_units_per_partition),
                   marker_color=READ_COLOUR),
            go.Bar(name=tr("WCU per partition"), x=partitions,
                   y=np.full(estimate.partitions, estimate.write_capacity_units_per_partition),
                   marker_color=WRITE_COLOUR),
        ]
    )
    figure.update_layout(
        title=tr("2017 model: {partitions} partition(s), throughput term {throughput}, size term {size}, capacity "
                 "split evenly", partitions=estimate.partitions, throughput=estimate.throughput_partitions,
                 size=estimate.size_partitions),
        barmode="group", xaxis_title=tr("partition"), yaxis_title=tr("capacity units per second"),
        yaxis_range=[0, PARTITION_MAX_READ_CAPACITY_UNITS * 1.1], height=380, margin=dict(t=60, b=40),
        shapes=[_ceiling(PARTITION_MAX_READ_CAPACITY_UNITS, tr("3,000 RCU per partition (today too)"), READ_COLOUR),
                _ceiling(PARTITION_MAX_WRITE_CAPACITY_UNITS, tr("1,000 WCU per partition (today too)"),
                         WRITE_COLOUR)],
        legend=dict(orientation="h", y=-0.2),
    )
    return fit_title(figure)


def split_history_figure(steps: Sequence[SplitStep]) -> go.Figure:
    """The 'load test, then scale down' story as an animation: a frame per step, partitions as bars of the WCU each
    one gets; a play button and a step slider."""
    checks.sequence_of("steps", steps, lambda n, v: result_of(n, v, SplitStep, tr(
        "a SplitStep (dynalab.split_history(...))")), min_length=1)
    for number, step in enumerate(steps):
        _check_bars(f"steps[{number}].partitions", step.partitions)
    most = max(s.partitions for s in steps)
    top = max(s.write_capacity_units_per_partition for s in steps) * 1.15

    def bars(step: SplitStep) -> list[go.Bar]:
        share = np.full(step.partitions, step.write_capacity_units_per_partition)
        return [go.Bar(x=np.arange(step.partitions), y=share, marker_color=WRITE_COLOUR, name=tr("WCU per partition"))]

    def title(step: SplitStep) -> str:
        return tr("2017 model, {label}: RCU {rcu:,.0f}, WCU {wcu:,.0f} -> {partitions} partitions (a new table would "
                  "have {required}); {share:,.1f} WCU each", label=step.label, rcu=step.read_capacity_units,
                  wcu=step.write_capacity_units, partitions=step.partitions, required=step.required_partitions,
                  share=step.write_capacity_units_per_partition)

    frames = [go.Frame(data=bars(s), name=str(i), layout=dict(title_text=title(s))) for i, s in enumerate(steps)]
    figure = go.Figure(data=bars(steps[0]), frames=frames)
    figure.update_layout(
        title=dict(text=title(steps[0]), font=dict(size=13)), xaxis=dict(title=tr("partition"),
                                                                    range=[-0.5, most - 0.5]),
        yaxis=dict(title=tr("WCU per partition"), range=[0, top]), height=420, margin=dict(t=60, b=40),
        updatemenus=[dict(type="buttons", showactive=False, x=0, y=-0.25, xanchor="left", buttons=[
            dict(label=tr("▶ play"), method="animate",
                 args=[None, dict(frame=dict(duration=1200, redraw=True), fromcurrent=True)])])],
        sliders=[dict(active=0, x=0.12, len=0.88, y=-0.12, currentvalue=dict(prefix=tr("step: ")), steps=[
            dict(label=s.label, method="animate",
                 args=[[str(i)], dict(mode="immediate", frame=dict(duration=0, redraw=True))])
            for i, s in enumerate(steps)])],
    )
    return fit_title(figure)


def partition_load_figure(load: PartitionLoad) -> go.Figure:
    """Per-partition demand split into served and throttled, with the ceiling (and, in the 2017 model, the even
    share) as lines; the title names the mode."""
    result_of("load", load, PartitionLoad, tr("a PartitionLoad (dynalab.simulate_partition_load(...))"))
    partitions = np.arange(load.partition_count)
    share = float(load.share_per_second[0])
    unit = "RCU" if load.kind == "read" else "WCU"
    figure = go.Figure(
        [
            go.Bar(name=tr("served"), x=partitions, y=load.served_per_second, marker_color=SERVED_COLOUR),
            go.Bar(name=tr("throttled"), x=partitions, y=load.throttled_per_second, marker_color=THROTTLED_COLOUR),
        ]
    )
    shapes = [_ceiling(load.ceiling_per_second, tr("{ceiling:,.0f} {unit} per-partition ceiling",
                                                   ceiling=load.ceiling_per_second, unit=unit), "black")]
    if load.mode == "2017" and share < load.ceiling_per_second:
        shapes.append(_ceiling(share, tr("even share {share:,.0f} {unit} (2017 model)", share=share, unit=unit),
                               "grey"))
    top = max(float(load.demand_per_second.max()), load.ceiling_per_second) * 1.1
    figure.update_layout(
        title=dict(text=tr("{label}: {demand:,.0f} of {capacity:,.0f} {unit}/s asked ({utilisation:.0%}); "
                           "{throttled:.1%} throttled", label=load.label, demand=load.table_demand_per_second,
                           capacity=load.table_capacity_per_second, unit=unit,
                           utilisation=load.table_utilisation, throttled=load.throttled_fraction),
                   font=dict(size=13)),
        barmode="stack", xaxis_title=tr("partition"),
        yaxis_title=tr("read units per second") if load.kind == "read" else tr("write units per second"),
        yaxis_range=[0, top], shapes=shapes, height=380, margin=dict(t=60, b=40),
        legend=dict(orientation="h", y=-0.2),
    )
    return fit_title(figure)


def key_placement_figure(counts: np.ndarray, title: str = "") -> go.Figure:
    """How many items (keys) landed on each partition."""
    series("counts", counts, low=0)
    checks.text("title", title)
    figure = go.Figure([go.Bar(x=np.arange(len(counts)), y=counts, marker_color=READ_COLOUR, name=tr("items"))])
    figure.update_layout(title=dict(text=title, font=dict(size=13)), xaxis_title=tr("partition"),
                         yaxis_title=tr("items"), height=320, margin=dict(t=50, b=40))
    return fit_title(figure)
