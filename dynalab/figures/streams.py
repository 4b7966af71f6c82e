"""Figures for lesson 4: the vote summary, daily totals, and the cumulative cost of batch vs stream.

Data in (``dynalab.lessons.projections`` / ``dynalab.lessons.cost_comparison`` results),
plotly figure out; no DynamoDB rule here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from dynalab.figures import fit_title, labels, numbers_by_label, same_length, series
from dynalab.i18n import N_, tr
from dynalab.models import checks

__all__ = ["cost_comparison_figure", "daily_votes_figure", "vote_summary_figure"]

BATCH_COLOUR = "#d62728"
STREAM_COLOUR = "#2ca02c"
#: the lines lesson 5 draws (``dynalab.widgets.streams.batch_vs_stream_figure``): their legend in the current language
#: (English templates, shown through ``tr``); any other label is shown as given
LINE_NAMES = (N_("batch, on-demand"), N_("stream, on-demand"), N_("batch, provisioned"), N_("stream, provisioned"))


def vote_summary_figure(summary: Mapping[str, int], candidates: Sequence[str] = (), title: str = "") -> go.Figure:
    """One bar per candidate: the ``num`` the summary table holds."""
    numbers_by_label("summary", summary)
    labels("candidates", candidates, min_length=0)
    names = list(dict.fromkeys([*candidates, *sorted(summary)]))
    counts = [summary.get(name, 0) for name in names]
    figure = go.Figure(go.Bar(x=names, y=counts, text=counts, textposition="outside", marker_color=STREAM_COLOUR))
    figure.update_layout(title=title or tr("vote-summary table (vote → num)"), xaxis_title=tr("vote"),
                         yaxis_title="num",
                         height=320, margin=dict(l=50, r=20, t=50, b=40),
                         yaxis=dict(rangemode="tozero", range=[0, max([*counts, 1]) * 1.25]))
    return fit_title(figure)


def daily_votes_figure(daily: Mapping[tuple[str, str], int], title: str = "") -> go.Figure:
    """Stacked bars: votes per day and candidate (the per-day table)."""
    for key in numbers_by_label("daily", daily):
        if not isinstance(key, tuple) or len(key) != 2:
            raise checks.ParameterTypeError(tr("daily's keys must be (vote, date) pairs; got {key!r}", key=key))
    dates = sorted({date for _, date in daily})
    figure = go.Figure([go.Bar(name=vote, x=dates, y=[daily.get((vote, date), 0) for date in dates])
                        for vote in sorted({vote for vote, _ in daily})])
    figure.update_layout(barmode="stack", title=title or tr("per-day table: votes per candidate and day"),
                         xaxis_title="Date", yaxis_title="num", height=320, margin=dict(l=50, r=20, t=50, b=40))
    return fit_title(figure)


def cost_comparison_figure(days: Sequence[int], cumulative_dollars: Mapping[str, Sequence[float]],
                           title: str = "") -> go.Figure:
    """Cumulative dollars over the days, one line per (approach, price list): ``cumulative_dollars`` maps a label
    such as ``"batch, on-demand"`` to its series. Batch lines red, stream lines green; provisioned lines dashed."""
    x = series("days", days)
    if not isinstance(cumulative_dollars, Mapping) or not cumulative_dollars:
        raise ValueError(tr("cumulative_dollars must map a label to its series of dollars; got {value!r:.80}",
                            value=cumulative_dollars))
    for label, dollars in cumulative_dollars.items():
        same_length(("days", x), (f"cumulative_dollars[{label!r}]", series(f"cumulative_dollars[{label!r}]", dollars,
                                                                           low=0)))
    lines = []
    for label, series_ in cumulative_dollars.items():
        colour = BATCH_COLOUR if label.startswith("batch") else STREAM_COLOUR
        dash = "dash" if "provisioned" in label else "solid"
        name = tr(label) if label in LINE_NAMES else label
        lines.append(go.Scatter(x=list(days), y=list(series_), name=name, mode="lines+markers",
                                line=dict(color=colour, width=3, dash=dash)))
    figure = go.Figure(lines)
    figure.update_layout(title=title or tr("cumulative cost in dollars, metered with DynamoDB's rules (2026-12 "
                                           "prices)"),
                         xaxis_title=tr("day"), yaxis_title=tr("cumulative US dollars"), height=380,
                         margin=dict(l=70, r=20, t=50, b=40), legend=dict(orientation="h", y=-0.2),
                         yaxis=dict(tickformat="$.2e"))
    return fit_title(figure)
