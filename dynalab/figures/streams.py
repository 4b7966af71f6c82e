"""Figures for lesson 4: the vote summary, daily totals, and the cumulative cost of batch vs stream.

Data in (``dynalab.lessons.projections`` / ``dynalab.lessons.cost_comparison`` results),
plotly figure out; no DynamoDB rule here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

__all__ = ["cost_comparison_figure", "daily_votes_figure", "vote_summary_figure"]

BATCH_COLOUR = "#d62728"
STREAM_COLOUR = "#2ca02c"
REQUESTS_COLOUR = "#1f77b4"


def vote_summary_figure(summary: Mapping[str, int], candidates: Sequence[str] = (), title: str = "") -> go.Figure:
    """One bar per candidate: the ``num`` the summary table holds."""
    names = list(dict.fromkeys([*candidates, *sorted(summary)]))
    counts = [summary.get(name, 0) for name in names]
    figure = go.Figure(go.Bar(x=names, y=counts, text=counts, textposition="outside", marker_color=STREAM_COLOUR))
    figure.update_layout(title=title or "vote-summary table (vote → num)", xaxis_title="vote", yaxis_title="num",
                         height=320, margin=dict(l=50, r=20, t=50, b=40),
                         yaxis=dict(rangemode="tozero", range=[0, max([*counts, 1]) * 1.25]))
    return figure


def daily_votes_figure(daily: Mapping[tuple[str, str], int], title: str = "") -> go.Figure:
    """Stacked bars: votes per day and candidate (the per-day table)."""
    dates = sorted({date for _, date in daily})
    figure = go.Figure([go.Bar(name=vote, x=dates, y=[daily.get((vote, date), 0) for date in dates])
                        for vote in sorted({vote for vote, _ in daily})])
    figure.update_layout(barmode="stack", title=title or "per-day table: votes per candidate and day",
                         xaxis_title="Date", yaxis_title="num", height=320, margin=dict(l=50, r=20, t=50, b=40))
    return figure


def cost_comparison_figure(days: Sequence[int], batch_read_units: Sequence[float],
                           stream_write_units: Sequence[float], stream_read_units: Sequence[float],
                           stream_read_requests: Sequence[float], title: str = "") -> go.Figure:
    """Cumulative capacity over the days: the full-Scan batch's RCU vs the projection's WCU + RCU, and the
    projection's streams read requests (GetRecords calls) on their own line."""
    stream_units = [w + r for w, r in zip(stream_write_units, stream_read_units, strict=True)]
    figure = go.Figure([
        go.Scatter(x=list(days), y=list(batch_read_units), name="full-Scan batch: RCU", mode="lines+markers",
                   line=dict(color=BATCH_COLOUR, width=3)),
        go.Scatter(x=list(days), y=stream_units, name="stream projection: WCU + RCU", mode="lines+markers",
                   line=dict(color=STREAM_COLOUR, width=3)),
        go.Scatter(x=list(days), y=list(stream_read_requests), name="stream projection: GetRecords requests",
                   mode="lines+markers", line=dict(color=REQUESTS_COLOUR, dash="dot")),
    ])
    figure.update_layout(title=title or "cumulative cost, metered with DynamoDB's rules", xaxis_title="day",
                         yaxis_title="cumulative units / requests", height=380, margin=dict(l=60, r=20, t=50, b=40),
                         legend=dict(orientation="h", y=-0.2))
    return figure
