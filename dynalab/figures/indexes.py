"""Figures for lesson 6: a write's units split between the table and its indexes, the filter-vs-index crossover,
GSI back-pressure per second, and what write sharding changes.

Data in (numbers from ``dynalab.models.indexes`` / ``dynalab.models.index_choice`` or what the meter reported in
``dynalab.lessons.indexes``), plotly figure out; no DynamoDB rule here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from dynalab.figures import fit_title, numbers_by_label, same_length, series
from dynalab.figures import labels as check_labels
from dynalab.i18n import tr
from dynalab.models import checks

__all__ = ["back_pressure_figure", "crossover_figure", "index_write_figure", "sharding_figure"]

TABLE_COLOUR = "#ff7f0e"
INDEX_COLOURS = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f")
SERVED_COLOUR = "#2ca02c"
THROTTLED_COLOUR = "#d62728"


def index_write_figure(setups: Sequence[tuple[str, float, Mapping[str, float]]],
                       title: str | None = None) -> go.Figure:
    """Stacked bars, one per setup ``(label, table WCU, {index name: WCU})``: the table's part, then each index's
    (``title``: "What one write costs: the table and each index" in the current language when not given)."""
    title = tr("What one write costs: the table and each index") if title is None else title

    def setup(name: str, value: Any) -> Any:
        if not isinstance(value, tuple | list) or len(value) != 3:
            raise checks.ParameterTypeError(tr("{name} must be (label, table WCU, {{index name: WCU}}); got {value!r}",
                                               name=name, value=value))
        checks.text(f"{name}[0]", value[0])
        checks.number(f"{name}[1]", value[1], low=0)
        numbers_by_label(f"{name}[2]", value[2])
        return value

    checks.sequence_of("setups", setups, setup, min_length=1)
    labels = [label for label, _, _ in setups]
    names: list[str] = []
    for _, _, indexes in setups:
        names += [name for name in indexes if name not in names]
    traces = [go.Bar(name=tr("table"), x=labels, y=[table for _, table, _ in setups], marker_color=TABLE_COLOUR)]
    for number, name in enumerate(names):
        traces.append(go.Bar(name=name, x=labels, y=[indexes.get(name, 0.0) for _, _, indexes in setups],
                             marker_color=INDEX_COLOURS[number % len(INDEX_COLOURS)]))
    totals = [table + sum(indexes.values()) for _, table, indexes in setups]
    figure = go.Figure(traces)
    figure.add_trace(go.Scatter(x=labels, y=totals, mode="text", text=[f"{t:g} WCU" for t in totals],
                                textposition="top center", showlegend=False, hoverinfo="skip"))
    figure.update_layout(title=title, barmode="stack", yaxis_title=tr("write capacity units"),
                         yaxis_range=[0, max(totals or [1]) * 1.25 + 0.5], height=380, margin=dict(t=50, b=40),
                         legend=dict(orientation="h", y=-0.2))
    return fit_title(figure)


def crossover_figure(selectivities: Sequence[float] | np.ndarray, crossover_queries_per_second: Sequence[float],
                     *, marker: tuple[float, float] | None = None,
                     title: str | None = None) -> go.Figure:
    """The crossover line (queries per second, log scale) against selectivity (log scale): above it the index is
    cheaper, below it the filter. ``marker``: one (selectivity, queries per second) workload to place on it.
    ``title``: "Filter or index? The read rate above which the index is cheaper" in the current language when not
    given."""
    title = tr("Filter or index? The read rate above which the index is cheaper") if title is None else title
    same_length(("selectivities", series("selectivities", selectivities, low=0, high=1)),
                ("crossover_queries_per_second", series("crossover_queries_per_second",
                                                        crossover_queries_per_second, low=0, infinite=True)))
    if marker is not None:
        checks.sequence_of("marker", marker, lambda n, v: checks.number(n, v, low=0, low_open=True), min_length=2,
                           max_length=2)
    x = [float(s) for s in selectivities]
    y = [float(c) if np.isfinite(c) else None for c in crossover_queries_per_second]
    finite = [v for v in y if v is not None] or [1.0]
    top = max(finite) * 30
    figure = go.Figure([
        go.Scatter(x=x, y=[top] * len(x), mode="lines", line=dict(width=0), showlegend=False, hoverinfo="skip"),
        go.Scatter(name=tr("index cheaper (above)"), x=x, y=y, mode="lines", line=dict(color=INDEX_COLOURS[0], width=3),
                   fill="tonexty", fillcolor="rgba(31, 119, 180, 0.15)"),
        go.Scatter(name=tr("filter cheaper (below)"), x=x, y=[min(finite) / 30] * len(x), mode="lines",
                   line=dict(width=0), fill="tonexty", fillcolor="rgba(255, 127, 14, 0.12)", hoverinfo="skip"),
    ])
    if marker is not None:
        figure.add_trace(go.Scatter(name=tr("this workload"), x=[marker[0]], y=[marker[1]], mode="markers",
                                    marker=dict(size=12, color="black", symbol="x")))
    figure.update_layout(title=title, xaxis_title=tr("selectivity (share of the partition's items that match)"),
                         yaxis_title=tr("queries per second"), height=420,
                         xaxis=dict(type="log", dtick=1, tickformat=","),
                         yaxis=dict(type="log", dtick=1, tickformat=","),
                         margin=dict(t=50, b=40), legend=dict(orientation="h", y=-0.25))
    return fit_title(figure)


def back_pressure_figure(seconds: Sequence[int], with_key_served: Sequence[int], with_key_throttled: Sequence[int],
                         without_key_served: Sequence[int], without_key_throttled: Sequence[int],
                         title: str | None = None) -> go.Figure:
    """Per second, writes that carry the GSI's key and writes that do not: served (green) and throttled (red).
    ``title``: "A 1-WCU GSI throttles the table's writes (per second)" in the current language when not given."""
    title = tr("A 1-WCU GSI throttles the table's writes (per second)") if title is None else title
    same_length(("seconds", series("seconds", seconds)),
                *[(name, series(name, values, low=0)) for name, values in (
                    ("with_key_served", with_key_served), ("with_key_throttled", with_key_throttled),
                    ("without_key_served", without_key_served), ("without_key_throttled", without_key_throttled))])
    x = [f"s{s}" for s in seconds]
    figure = go.Figure([
        go.Bar(name=tr("with the index key: written"), x=x, y=list(with_key_served), marker_color=SERVED_COLOUR,
               offsetgroup="with"),
        go.Bar(name=tr("with the index key: throttled"), x=x, y=list(with_key_throttled), marker_color=THROTTLED_COLOUR,
               offsetgroup="with", base=list(with_key_served)),
        go.Bar(name=tr("without it: written"), x=x, y=list(without_key_served), marker_color=SERVED_COLOUR,
               marker_pattern_shape="/", offsetgroup="without"),
        go.Bar(name=tr("without it: throttled"), x=x, y=list(without_key_throttled), marker_color=THROTTLED_COLOUR,
               marker_pattern_shape="/", offsetgroup="without", base=list(without_key_served)),
    ])
    figure.update_layout(title=title, xaxis_title=tr("second (step clock)"), yaxis_title=tr("writes"), height=380,
                         margin=dict(t=50, b=40), legend=dict(orientation="h", y=-0.25))
    return fit_title(figure)


def sharding_figure(labels: Sequence[str], throttled: Sequence[int], written: Sequence[int],
                    read_queries: Sequence[int], read_units: Sequence[float],
                    title: str | None = None) -> go.Figure:
    """Per setup (one key, N shards): writes written and throttled, and the Queries and RCU reading it back took.
    ``title``: "Write sharding: throttles gone, reads fan out" in the current language when not given."""
    title = tr("Write sharding: throttles gone, reads fan out") if title is None else title
    from plotly.subplots import make_subplots

    same_length(("labels", check_labels("labels", labels)),
                *[(name, series(name, values, low=0)) for name, values in (
                    ("throttled", throttled), ("written", written), ("read_queries", read_queries),
                    ("read_units", read_units))])
    figure = make_subplots(rows=1, cols=2, subplot_titles=(tr("writes"), tr("reading it back")))
    figure.add_trace(go.Bar(name=tr("written"), x=list(labels), y=list(written), marker_color=SERVED_COLOUR,
                            offsetgroup="writes"), 1, 1)
    figure.add_trace(go.Bar(name=tr("throttled"), x=list(labels), y=list(throttled), marker_color=THROTTLED_COLOUR,
                            offsetgroup="writes", base=list(written)), 1, 1)
    figure.add_trace(go.Bar(name=tr("Queries"), x=list(labels), y=list(read_queries), marker_color=INDEX_COLOURS[0],
                            text=[tr("{count} Query", count=q) if q == 1 else tr("{count} Queries", count=q)
                                  for q in read_queries],
                            textposition="outside"), 1, 2)
    figure.add_trace(go.Bar(name=tr("read units"), x=list(labels), y=list(read_units), marker_color=INDEX_COLOURS[2],
                            text=[f"{u:g} RCU" for u in read_units], textposition="outside"), 1, 2)
    figure.update_layout(title=title, barmode="group", height=380, margin=dict(t=70, b=40),
                         legend=dict(orientation="h", y=-0.2))
    figure.update_layout(yaxis2=dict(range=[0, max([*read_queries, *read_units, 1]) * 1.3]))
    return fit_title(figure)
