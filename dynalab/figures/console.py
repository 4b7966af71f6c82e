"""The console's Monitor tab, drawn: a table's capacity and throttle graphs, Contributor Insights' top keys.

Data in (``dynalab.lessons.console``'s ``ConsoleMetrics`` and ``TopKey`` lists, or anything with their fields),
plotly figure out, as the DynamoDB console draws them: per minute, consumed (average units per second) against
provisioned, and the minute's throttle events.
"""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

from dynalab.figures import has_fields, labels, series
from dynalab.i18n import tr
from dynalab.models import checks

__all__ = ["console_metrics_figure", "top_keys_figure"]

_COLORS = {"consumed": "#1f77b4", "provisioned": "#d62728", "throttled": "#ff7f0e"}


def console_metrics_figure(metrics: Any, kind: str = "write", title: str | None = None) -> go.Figure:
    """Two graphs, one point a minute: "Write usage (average units/second)", consumed against provisioned, and
    "Write throttled events" (``kind="read"``: the read graphs). ``metrics``: ``dynalab.table_metrics(...)``."""
    kind = checks.choice("kind", kind, ("read", "write"))
    has_fields("metrics", metrics, ("minutes", "table_name", f"consumed_{kind}", f"provisioned_{kind}",
                                    f"{kind}_throttle_events"), tr("the console's metrics (dynalab.table_metrics)"))
    minutes = checks.sequence_of("metrics.minutes", metrics.minutes, min_length=1)
    consumed = series(f"metrics.consumed_{kind}", getattr(metrics, f"consumed_{kind}"), low=0)
    throttles = series(f"metrics.{kind}_throttle_events", getattr(metrics, f"{kind}_throttle_events"), low=0)
    provisioned = [None if value != value else value for value in getattr(metrics, f"provisioned_{kind}")]  # NaN: gap
    if not len(consumed) == len(throttles) == len(provisioned) == len(minutes):
        raise ValueError(tr("metrics: minutes and every series must have one value per minute"))
    from plotly.subplots import make_subplots  # here: lesson 3 draws top keys only, and this import is slow

    usage = tr("Write usage (average units/second)") if kind == "write" else tr("Read usage (average units/second)")
    events = tr("Write throttled events (count)") if kind == "write" else tr("Read throttled events (count)")
    figure = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.14, subplot_titles=(usage, events),
                           row_heights=[0.6, 0.4])
    figure.add_trace(go.Scatter(x=minutes, y=consumed, name=tr("consumed"), mode="lines+markers",
                                line=dict(color=_COLORS["consumed"])), row=1, col=1)
    # markers too: a table used for one minute has one provisioned datapoint, which a bare line would not draw
    figure.add_trace(go.Scatter(x=minutes, y=provisioned, name=tr("provisioned capacity"), mode="lines+markers",
                                line=dict(color=_COLORS["provisioned"], dash="dash"), marker=dict(symbol="line-ew-open",
                                                                                                  size=14)),
                     row=1, col=1)
    figure.add_trace(go.Bar(x=minutes, y=throttles, name=tr("throttle events"),
                            marker_color=_COLORS["throttled"]), row=2, col=1)
    where = metrics.table_name + (f" / {metrics.index_name}" if getattr(metrics, "index_name", None) else "")
    figure.update_layout(title=title if title is not None else tr("{table} in CloudWatch, one point a minute (as the "
                                                                   "console draws it)", table=where),
                         height=430, template="plotly_white", margin=dict(l=60, r=20, t=70, b=40),
                         legend=dict(orientation="h", y=-0.12))
    figure.update_yaxes(rangemode="tozero")
    return figure


def top_keys_figure(top: Any, title: str | None = None, value_label: str | None = None) -> go.Figure:
    """Contributor Insights' top keys as horizontal bars, the first on top (``top``: ``dynalab.top_keys(...)``)."""
    rows = checks.sequence_of("top", top, min_length=1)
    for i, row in enumerate(rows):
        has_fields(f"top[{i}]", row, ("label", "value"), tr("a key of a Contributor Insights report "
                                                              "(dynalab.top_keys)"))
    names = labels("top labels", [row.label for row in rows])
    values = series("top values", [row.value for row in rows], low=0)
    figure = go.Figure(go.Bar(x=values[::-1], y=names[::-1], orientation="h", marker_color=_COLORS["consumed"],
                              text=[f"{v:,.0f}" for v in values[::-1]], textposition="outside", textangle=0,
                              cliponaxis=False))
    figure.update_layout(title=title if title is not None else tr("Contributor Insights: top keys"),
                         xaxis_title=value_label if value_label is not None else "ConsumedThroughputUnits",
                         height=max(220, 60 + 32 * len(rows)), template="plotly_white",
                         margin=dict(l=120, r=20, t=50, b=40))
    return figure
