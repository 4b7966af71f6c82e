"""Figures for lesson 9 (global tables): writes crossing from one Region to another, and a month's bill.

Data in (Regions, times, ``dynalab.models.global_tables.GlobalTableBill`` results), plotly figure out; no DynamoDB rule.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go

from dynalab.figures import labels, result_of, same_length, series
from dynalab.i18n import N_, tr
from dynalab.models.global_tables import GlobalTableBill

__all__ = ["arrivals_figure", "bill_figure"]

WRITE_COLOUR = "#ff7f0e"
ARRIVAL_COLOUR = "#1f77b4"
MISSING_COLOUR = "#d62728"
#: the bill's lines, in the order they stack (English keys of GlobalTableBill.lines(), shown through tr)
BILL_LINES = {"writes": N_("writes"), "reads": N_("reads"), "storage": N_("storage"),
              "data transfer": N_("data transfer")}
BILL_COLOURS = {"writes": "#ff7f0e", "reads": "#1f77b4", "storage": "#7f7f7f", "data transfer": "#9467bd"}


def arrivals_figure(write_regions: Sequence[str], watch_regions: Sequence[str], written: Sequence[float],
                    arrived: Sequence[float | None], values: Sequence[str], *,
                    regions: Sequence[str] = ()) -> go.Figure:
    """One lane per Region (``regions`` first, then any other the writes name); each write is a point in its
    Region's lane joined to the moment another Region read it (seconds). A write not seen yet (``arrived`` None)
    ends in a red cross at the figure's end. No writes: the empty lanes."""
    sources = labels("write_regions", write_regions, min_length=0)
    targets = labels("watch_regions", watch_regions, min_length=0)
    times = series("written", written, low=0, min_length=0)
    texts = labels("values", values, min_length=0)
    seen = [value for value in arrived if value is not None]
    series("arrived", seen, low=0, min_length=0)
    same_length(("written", times), ("write_regions", sources), ("watch_regions", targets), ("arrived", list(arrived)),
                ("values", texts))
    lanes = list(dict.fromkeys([*labels("regions", regions, min_length=0), *sources, *targets]))
    end = max([*times, *seen], default=0.0) * 1.1 + 0.05
    figure = go.Figure()
    for n, (source, target, start, stop, text) in enumerate(zip(sources, targets, times, arrived, texts,
                                                                strict=True)):
        show_legend = n == 0
        figure.add_trace(go.Scatter(x=[start], y=[source], mode="markers", marker=dict(color=WRITE_COLOUR, size=11),
                                    name=tr("written"), legendgroup="written", showlegend=show_legend,
                                    hovertext=[text]))
        if stop is None:
            figure.add_trace(go.Scatter(x=[start, end], y=[source, target], mode="lines+markers",
                                        line=dict(color=MISSING_COLOUR, dash="dot"),
                                        marker=dict(symbol=["circle", "x"], color=MISSING_COLOUR, size=[1, 12]),
                                        name=tr("not arrived yet"), legendgroup="missing", showlegend=False))
            continue
        figure.add_trace(go.Scatter(x=[start, stop], y=[source, target], mode="lines+markers",
                                    line=dict(color=ARRIVAL_COLOUR), marker=dict(color=ARRIVAL_COLOUR, size=[1, 11]),
                                    name=tr("read in the other Region"), legendgroup="arrived",
                                    showlegend=show_legend, hovertext=[text, text]))
        figure.add_annotation(x=stop, y=target, text=tr("{milliseconds:.0f} ms", milliseconds=(stop - start) * 1000),
                              showarrow=False, yshift=14, font=dict(color=ARRIVAL_COLOUR))
    if not lanes:
        raise ValueError(tr("arrivals_figure needs regions or at least one write; got neither"))
    figure.add_trace(go.Scatter(x=[None] * len(lanes), y=lanes, mode="markers", showlegend=False, hoverinfo="skip"))
    figure.update_layout(title=tr("Written in one Region, read in another"), height=300,
                         xaxis_title=tr("seconds"), yaxis=dict(categoryorder="array", categoryarray=lanes),
                         margin=dict(l=90, r=20, t=50, b=40))
    figure.update_xaxes(range=[0, end])
    return figure


def bill_figure(bills: Mapping[str, Any]) -> go.Figure:
    """A stacked bar per setup (label -> ``GlobalTableBill``): the month's dollars by line, the total on top."""
    if not isinstance(bills, Mapping) or not bills:
        raise ValueError(tr("bills must be a non-empty mapping of a setup's name to its GlobalTableBill; got "
                            "{value!r:.60}", value=bills))
    checked = {str(name): result_of(f"bills[{name!r}]", bill, GlobalTableBill,
                                    tr("a GlobalTableBill (dynalab.global_table_bill(...))"))
               for name, bill in bills.items()}
    names = list(checked)
    figure = go.Figure()
    for line, label in BILL_LINES.items():
        figure.add_trace(go.Bar(name=tr(label), x=names, y=[bill.lines()[line] for bill in checked.values()],
                                marker_color=BILL_COLOURS[line]))
    for name, bill in checked.items():
        figure.add_annotation(x=name, y=bill.total_dollars, text=f"${bill.total_dollars:,.2f}", showarrow=False,
                              yshift=10)
    figure.update_layout(barmode="stack", title=tr("A month of the same traffic, on-demand"),
                         yaxis_title=tr("dollars a month"), height=340, margin=dict(l=60, r=20, t=50, b=40))
    return figure
