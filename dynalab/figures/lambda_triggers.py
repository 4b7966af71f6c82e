"""Figures for lesson 7: a timeline of an event source mapping's invocations, and batching's cost in latency.

Data in (``EventSourceMapping.invocations``, ``simulate_batching`` results), plotly figure out; no rule here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from dynalab.figures import fit_title, has_fields
from dynalab.i18n import N_, tr
from dynalab.models import checks

__all__ = ["batching_figure", "invocation_timeline_figure"]

#: How each kind of invocation is drawn (label: an English template, shown through ``tr``; colour).
KINDS = {
    "success": (N_("success"), "#2ca02c"),
    "partial": (N_("partial batch response"), "#1f77b4"),
    "retry": (N_("error: retried"), "#d62728"),
    "bisect": (N_("error: bisected"), "#ff7f0e"),
    "discard": (N_("error: sent to the destination"), "#000000"),
    "expired": (N_("too old: sent to the destination"), "#7f7f7f"),
}


def _kind(invocation: Any) -> str:
    if invocation.outcome == "expired":
        return "expired"
    if invocation.outcome == "success":
        return "success"
    if invocation.outcome == "partial" and invocation.action != "discard":
        return "partial"
    return {"bisect": "bisect", "discard": "discard"}.get(invocation.action, "retry")


def invocation_timeline_figure(invocations: Sequence[Any], title: str = "") -> go.Figure:
    """One bar per invocation (x: invocation number) spanning the records its batch held (y: record positions in
    the stream, counted from the first record shown), coloured by what happened."""
    checks.sequence_of("invocations", invocations, lambda n, v: has_fields(
        n, v, ("number", "outcome", "action", "first_sequence_number", "last_sequence_number"),
        tr("an Invocation (EventSourceMapping.invocations)")))
    numbers = sorted({int(i.first_sequence_number) for i in invocations if i.first_sequence_number}
                     | {int(i.last_sequence_number) for i in invocations if i.last_sequence_number})
    origin = numbers[0] if numbers else 0
    figure = go.Figure()
    for kind, (label, colour) in KINDS.items():
        label = tr(label)
        chosen = [i for i in invocations if _kind(i) == kind and i.first_sequence_number]
        if not chosen:
            continue
        lows = [int(i.first_sequence_number) - origin for i in chosen]
        highs = [int(i.last_sequence_number) - origin for i in chosen]
        figure.add_trace(go.Bar(
            name=label, x=[i.number for i in chosen], base=lows, y=[h - lo + 1 for lo, h in zip(lows, highs,
                                                                                              strict=True)],
            marker_color=colour, marker_line_width=0, width=0.8,
            customdata=[[i.batch_size, i.retry, i.bisect_depth, i.error[:60]] for i in chosen],
            hovertemplate=tr("invocation %{{x}}: %{{customdata[0]}} record(s), retry %{{customdata[1]}}, "
                             "bisect depth %{{customdata[2]}}<br>%{{customdata[3]}}<extra>{label}</extra>",
                             label=label)))
    figure.update_layout(title=title or tr("invocations per batch (each bar: the records one invocation got)"),
                         xaxis_title=tr("invocation"), yaxis_title=tr("record (position in the stream)"),
                         barmode="overlay", height=380, margin=dict(l=60, r=20, t=50, b=40),
                         legend=dict(orientation="h", y=-0.2))
    return fit_title(figure)


#: each batch size's marker in the batching figure (the sizes a lesson compares; others get the last one)
BATCH_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x")


def batching_figure(results: Sequence[Any], title: str = "") -> go.Figure:
    """Invocations against mean latency, one line per batching window, one point per batch size.

    The batch size is the point's marker (a legend entry per size), not a text label: points of different windows
    often coincide (a batch that fills before the window ends), and labels there drew over each other."""
    checks.sequence_of("results", results, lambda n, v: has_fields(
        n, v, ("window_seconds", "batch_size", "mean_latency_seconds", "invocations"),
        tr("a BatchingResult (dynalab.models.event_source_mapping.simulate_batching(...))")), min_length=1)
    sizes = sorted({r.batch_size for r in results})
    symbol = {size: BATCH_SYMBOLS[min(n, len(BATCH_SYMBOLS) - 1)] for n, size in enumerate(sizes)}
    figure = go.Figure()
    for window in sorted({r.window_seconds for r in results}):
        chosen = sorted((r for r in results if r.window_seconds == window), key=lambda r: r.batch_size)
        figure.add_trace(go.Scatter(
            name=tr("window {window} s", window=window), x=[r.mean_latency_seconds for r in chosen],
            y=[r.invocations for r in chosen], mode="lines+markers", legendgroup="windows",
            marker=dict(symbol=[symbol[r.batch_size] for r in chosen], size=10),
            customdata=[r.batch_size for r in chosen],
            hovertemplate=tr("batch size %{{customdata}}: %{{y}} invocations, mean latency %{{x:.2f}} s"
                             "<extra>{name}</extra>", name=tr("window {window} s", window=window))))
    for size in sizes:  # the legend of the markers
        figure.add_trace(go.Scatter(name=tr("batch size {size}", size=size), x=[None], y=[None], mode="markers",
                                    marker=dict(symbol=symbol[size], size=10, color="#444444"),
                                    legendgroup="sizes", hoverinfo="skip"))
    figure.update_layout(title=title or tr("batch size and batching window: invocations against latency (a model)"),
                         xaxis_title=tr("mean latency, record written → invoked (s)"), yaxis_title=tr("invocations"),
                         yaxis=dict(type="log", dtick=1, tickformat=","), height=400,
                         margin=dict(l=60, r=20, t=50, b=40), legend=dict(tracegroupgap=12))
    return fit_title(figure)
