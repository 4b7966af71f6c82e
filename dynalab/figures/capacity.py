"""Figures for lesson 1: an item's size per attribute, units against size, and what a read pattern costs.

Data in (``dynalab.models.sizing`` / ``dynalab.models.capacity`` results, meter rows),
plotly figure out; no DynamoDB rule here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import plotly.graph_objects as go

from dynalab.figures import fit_title, numbers_by_label
from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.models.sizing import MAX_ITEM_SIZE_BYTES, AttributeSize

__all__ = ["read_pattern_figure", "size_breakdown_figure", "units_by_size_figure"]

NAME_COLOUR = "#9467bd"
VALUE_COLOUR = "#1f77b4"
READ_COLOUR = "#1f77b4"
WRITE_COLOUR = "#ff7f0e"


def size_breakdown_figure(parts: Sequence[AttributeSize], title: str | None = None) -> go.Figure:
    """One horizontal bar per attribute, split into its name's bytes and its value's bytes."""
    checks.sequence_of("parts", parts, lambda n, v: checks.instance(
        n, v, AttributeSize, what=tr("an AttributeSize (dynalab.attribute_sizes(item))")), min_length=1)
    checks.optional(checks.text, "title", title)
    names = [f"{part.name} ({part.type})" for part in parts]
    total = sum(part.size_bytes for part in parts)
    figure = go.Figure(
        [
            go.Bar(name=tr("name bytes"), y=names, x=[p.name_bytes for p in parts], orientation="h",
                   marker_color=NAME_COLOUR),
            go.Bar(name=tr("value bytes"), y=names, x=[p.value_bytes for p in parts], orientation="h",
                   marker_color=VALUE_COLOUR),
        ]
    )
    figure.update_layout(
        title=title or tr("{total:,} bytes in {count} attribute(s)", total=total, count=len(parts)),
        barmode="stack", xaxis_title=tr("bytes"), yaxis=dict(autorange="reversed"),
        height=max(220, 60 + 28 * len(parts)), margin=dict(t=50, b=40, l=10, r=10),
        legend=dict(orientation="h", y=-0.25),
    )
    return fit_title(figure)


def units_by_size_figure(
    read_units: Callable[[int, str], float],
    write_units: Callable[[int], float],
    max_bytes: int = 20 * 1024,
    step_bytes: int = 128,
    marker_bytes: int | None = None,
) -> go.Figure:
    """Capacity units against item size: the staircases of 4 KB reads (strong, eventual, transactional) and
    1 KB writes. The unit functions come in as arguments (``dynalab.read_units``, ``dynalab.write_units``)."""
    for name, function in (("read_units", read_units), ("write_units", write_units)):
        if not callable(function):
            raise checks.ParameterTypeError(tr("{name} must be a function of the size in bytes (dynalab.{name}); "
                                               "got {function!r} ({type})", name=name, function=function,
                                               type=type(function).__name__))
    checks.size_bytes("max_bytes", max_bytes, low=1, high=MAX_ITEM_SIZE_BYTES)
    checks.number("step_bytes", step_bytes, low=max(1, max_bytes // 10_000), high=max_bytes, integer=True,
                  unit=tr("at most 10,000 steps"))
    checks.optional(checks.size_bytes, "marker_bytes", marker_bytes, high=max_bytes)
    sizes = list(range(step_bytes, max_bytes + 1, step_bytes))
    kb = [size / 1024 for size in sizes]
    traces = [
        go.Scatter(name=tr("read, strongly consistent (RCU)"), x=kb, y=[read_units(s, "strong") for s in sizes],
                   line=dict(shape="hv", color=READ_COLOUR)),
        go.Scatter(name=tr("read, eventually consistent (RCU)"), x=kb, y=[read_units(s, "eventual") for s in sizes],
                   line=dict(shape="hv", color=READ_COLOUR, dash="dot")),
        go.Scatter(name=tr("read, transactional (RCU)"), x=kb, y=[read_units(s, "transactional") for s in sizes],
                   line=dict(shape="hv", color=READ_COLOUR, dash="dash")),
        go.Scatter(name=tr("write (WCU)"), x=kb, y=[write_units(s) for s in sizes],
                   line=dict(shape="hv", color=WRITE_COLOUR)),
    ]
    figure = go.Figure(traces)
    if marker_bytes is not None:
        figure.add_vline(x=marker_bytes / 1024, line=dict(color="grey", dash="dash"),
                         annotation_text=f"{marker_bytes / 1024:g} KB", annotation_position="top left")
    figure.update_layout(title=tr("Capacity units per item size: reads round up to 4 KB, writes to 1 KB"),
                         xaxis_title=tr("item size (KB, 1 KB = 1,024 B)"), yaxis_title=tr("capacity units"),
                         height=400, margin=dict(t=50, b=40), legend=dict(orientation="h", y=-0.25))
    return fit_title(figure)


def read_pattern_figure(units: Mapping[str, float], title: str | None = None) -> go.Figure:
    """One bar per way of reading (label → read units metered), labelled with its units (``title``: "Reading the
    same items three ways" in the current language when not given)."""
    title = tr("Reading the same items three ways") if title is None else title
    numbers_by_label("units", units)
    labels = list(units)
    values = [units[label] for label in labels]
    figure = go.Figure(go.Bar(x=labels, y=values, text=[f"{v:g} RCU" for v in values], textposition="outside",
                              marker_color=READ_COLOUR))
    figure.update_layout(title=title, yaxis_title=tr("read capacity units"), height=360, margin=dict(t=50, b=40),
                         yaxis_range=[0, max(values or [1]) * 1.25])
    return fit_title(figure)
