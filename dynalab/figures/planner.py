"""Figures for lesson 8 (the capstone planner): units per pattern, the monthly bill by mode, keys against ceilings.

Data in (a ``dynalab.models.planner.TablePlan``: every number is the plan's), plotly figure out; no DynamoDB rule.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dynalab.figures import fit_title, result_of
from dynalab.i18n import given, tr
from dynalab.models import checks
from dynalab.models.planner import TablePlan
from dynalab.models.quotas import TARGET_UTILIZATION_RANGE

__all__ = ["bill_figure", "key_load_figure", "pattern_units_figure", "plan_figure"]

READ_COLOUR = "#1f77b4"
WRITE_COLOUR = "#ff7f0e"
INDEX_COLOUR = "#9467bd"
ON_DEMAND_COLOUR = "#2ca02c"
HOT_COLOUR = "#d62728"


def _check_plan(plan: TablePlan, target_utilization: float | None = None) -> None:
    result_of("plan", plan, TablePlan, tr("a TablePlan (dynalab.plan_table(design))"))
    if target_utilization is not None:
        checks.number("target_utilization", target_utilization, low=TARGET_UTILIZATION_RANGE[0],
                      high=TARGET_UTILIZATION_RANGE[1], unit=tr("percent"))


def _pattern_traces(plan: TablePlan) -> list[go.Bar]:
    names = [given(p.name) for p in plan.patterns]  # a bundled pattern's label in the current language
    return [
        go.Bar(name=tr("table reads (RCU/s)"), x=names, marker_color=READ_COLOUR,
               y=[p.table_read_units * p.per_second for p in plan.patterns]),
        go.Bar(name=tr("table writes (WCU/s)"), x=names, marker_color=WRITE_COLOUR,
               y=[p.table_write_units * p.per_second for p in plan.patterns]),
        go.Bar(name=tr("index reads and writes (units/s)"), x=names, marker_color=INDEX_COLOUR,
               y=[(sum(p.index_read_units.values()) + sum(p.index_write_units.values())) * p.per_second
                  for p in plan.patterns]),
    ]


def _bill_traces(plan: TablePlan, target_utilization: float) -> tuple[list[go.Scatter], float]:
    use = np.linspace(0, 100, 101)
    provisioned = plan.monthly_cost("provisioned")
    headroom = plan.monthly_cost("provisioned", target_utilization)
    traces = [
        go.Scatter(name=tr("on-demand"), x=use, y=plan.on_demand_cost_at(use), line=dict(color=ON_DEMAND_COLOUR)),
        go.Scatter(name=tr("provisioned at the planned units"), x=use, y=np.full(use.size, provisioned),
                   line=dict(color=READ_COLOUR)),
        go.Scatter(name=tr("provisioned, {target:g} % target", target=target_utilization), x=use,
                   y=np.full(use.size, headroom),
                   line=dict(color=READ_COLOUR, dash="dot")),
    ]
    return traces, plan.break_even_utilization()


def _key_label(load: Any) -> str:
    """"place order (write)", "list orders (read, by-customer)": the pattern, its kind and where it lands."""
    if load.where == "table":
        if load.kind == "read":
            return tr("{pattern} (read)", pattern=given(load.pattern))
        return tr("{pattern} (write)", pattern=given(load.pattern))
    if load.kind == "read":
        return tr("{pattern} (read, {where})", pattern=given(load.pattern), where=load.where)
    return tr("{pattern} (write, {where})", pattern=given(load.pattern), where=load.where)


def _key_traces(plan: TablePlan) -> list[go.Bar]:
    loads = plan.key_loads
    # "place order<br>(write, by_customer)": two short lines under each bar, not one long slanted one past the edge
    labels = [re.sub(r" ?([(（])", r"<br>\1", _key_label(load), count=1) for load in loads]
    return [
        go.Bar(name=tr("units/s on one key"), x=labels, y=[load.units_per_second_per_key for load in loads],
               marker_color=[HOT_COLOUR if load.hot else (READ_COLOUR if load.kind == "read" else WRITE_COLOUR)
                             for load in loads], showlegend=False),
        go.Scatter(name=tr("today's per-partition ceiling"), x=labels, y=[load.ceiling_per_second for load in loads],
                   mode="markers", marker=dict(symbol="line-ew-open", size=28, color=HOT_COLOUR, line=dict(width=3))),
    ]


def pattern_units_figure(plan: TablePlan) -> go.Figure:
    """Per pattern: the units per second it asks of the table (reads, writes) and of its indexes."""
    _check_plan(plan)
    figure = go.Figure(_pattern_traces(plan))
    figure.update_layout(title=tr("{rcu:,} RCU and {wcu:,} WCU in all", rcu=plan.read_capacity_units,
                                  wcu=plan.write_capacity_units),
                         barmode="group", yaxis_title=tr("capacity units per second"), height=360,
                         legend=dict(orientation="h", y=-0.25))
    return fit_title(figure)


def bill_figure(plan: TablePlan, target_utilization: float = 70) -> go.Figure:
    """Dollars a month by average use (percent of the planned rates): on-demand grows with use, provisioned is
    held whatever the use; the marker is the break-even use."""
    _check_plan(plan, target_utilization)
    traces, break_even = _bill_traces(plan, target_utilization)
    figure = go.Figure(traces)
    figure.add_vline(x=min(break_even, 100), line=dict(color="grey", dash="dash"),
                     annotation_text=tr("break-even {break_even:.1f} %", break_even=break_even))
    figure.update_layout(title=tr("A month (730 h) of capacity, by average use"),
                         xaxis_title=tr("average use, % of plan"), yaxis_title=tr("dollars a month"), height=360,
                         legend=dict(orientation="h", y=-0.25))
    return fit_title(figure)


def key_load_figure(plan: TablePlan) -> go.Figure:
    """Each pattern's units per second on one key against today's per-partition ceiling (red: a hot key)."""
    _check_plan(plan)
    figure = go.Figure(_key_traces(plan))
    figure.update_layout(title=tr("Keys against today's ceilings (partitions, 2017 model: {partitions})",
                                  partitions=plan.partitions),
                         yaxis_title=tr("units per second on one key"), height=380,
                         yaxis=dict(type="log", dtick=1, tickformat=","), xaxis=dict(tickangle=0, automargin=True),
                         margin=dict(l=70, r=20), legend=dict(orientation="h", y=-0.3))
    return fit_title(figure)


def plan_figure(plan: TablePlan, target_utilization: float = 70) -> go.Figure:
    """The three views (the planner widget's figure): units per pattern and the bill side by side, one key against
    today's ceiling below them, the width of the figure for its labels (pattern, kind and index)."""
    _check_plan(plan, target_utilization)
    break_even = plan.break_even_utilization()
    figure = make_subplots(rows=2, cols=2, horizontal_spacing=0.12, vertical_spacing=0.2,
                           specs=[[{}, {}], [{"colspan": 2}, None]], subplot_titles=(
                               tr("units per pattern"), tr("$ a month by average use"),
                               tr("one key vs today's ceiling")))
    for trace in _pattern_traces(plan):
        figure.add_trace(trace, row=1, col=1)
    traces, _ = _bill_traces(plan, target_utilization)
    for trace in traces:
        figure.add_trace(trace, row=1, col=2)
    figure.add_vline(x=min(break_even, 100), line=dict(color="grey", dash="dash"), row=1, col=2)
    for trace in _key_traces(plan):
        figure.add_trace(trace, row=2, col=1)
    figure.update_yaxes(title_text=tr("units per second"), row=1, col=1)
    figure.update_yaxes(title_text=tr("dollars a month"), row=1, col=2)
    figure.update_xaxes(title_text=tr("average use, % of plan"), row=1, col=2)
    # log ticks at the powers of ten only ("1,000", not a column of unlabelled 2s and 5s)
    figure.update_yaxes(type="log", dtick=1, tickformat=",", title_text=tr("units/s on one key"), row=2, col=1)
    figure.update_xaxes(tickangle=0, automargin=True, row=2, col=1)
    figure.update_layout(
        title=tr("{rcu:,} RCU, {wcu:,} WCU; provisioned ${provisioned:,.2f}, on-demand ${on_demand:,.2f} a month "
                 "(break-even {break_even:.1f} %); {partitions} partition(s), 2017 model",
                 rcu=plan.read_capacity_units, wcu=plan.write_capacity_units,
                 provisioned=plan.monthly_cost("provisioned"), on_demand=plan.monthly_cost("on-demand"),
                 break_even=break_even, partitions=plan.partitions),
        barmode="group", height=680, margin=dict(t=90, b=40),
        legend=dict(orientation="h", x=0, xanchor="left", y=-0.12, yanchor="top"), font=dict(size=11))
    figure.update_annotations(font_size=12)
    return fit_title(figure)
