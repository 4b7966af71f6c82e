"""Lesson 8's widget: edit a design (pick a pattern, move its rate; the target utilisation), see the plan redrawn.

It composes ``dynalab.lessons.planner`` (plan_table: the pure planner, and verify on the engine) and
``dynalab.figures.planner``; no rule lives here.
"""

from __future__ import annotations

import copy
import html
import os
from collections.abc import Mapping
from typing import Any

from dynalab.figures.planner import plan_figure
from dynalab.i18n import given, tr
from dynalab.lessons.planner import Plan, plan_table, read_design
from dynalab.models import checks
from dynalab.models.pricing import DEFAULT_PRICES, Prices
from dynalab.models.quotas import TARGET_UTILIZATION_RANGE
from dynalab.widgets import MAIN_CONTROL, MAIN_READOUT, FigureView, LessonWidget, checked

__all__ = ["PlanExplorer", "describe_plan"]

LOWEST, HIGHEST = (int(x) for x in TARGET_UTILIZATION_RANGE)
#: the requests/s slider's top (a design may ask more: the slider then grows to fit it)
MAX_PER_SECOND = 5000


def describe_plan(plan: Plan, target_utilization: float = 70) -> list[str]:
    """The planner's readout, line by line (also printable)."""
    checks.instance("plan", plan, Plan, what=tr("a Plan (dynalab.plan_table(design))"))
    checks.number("target_utilization", target_utilization, low=LOWEST, high=HIGHEST)
    headroom = plan.monthly_bill("provisioned", target_utilization)
    return plan.describe().splitlines() + [
        tr("with auto scaling at a {target:g} % target: {rcu:,} RCU and {wcu:,} WCU held, ${dollars:,.2f} a month",
           target=target_utilization, rcu=headroom.read_capacity_units, wcu=headroom.write_capacity_units,
           dollars=headroom.capacity_dollars)]


class PlanExplorer(LessonWidget):
    """Pick a pattern, move its requests per second (and the auto-scaling target): units, bill, keys redraw."""

    def __init__(self, design: Mapping[str, Any] | str | os.PathLike = "orders", target_utilization: int = 70, *,
                 prices: Prices = DEFAULT_PRICES) -> None:
        import ipywidgets as widgets

        checks.number("target_utilization", target_utilization, low=LOWEST, high=HIGHEST, integer=True)
        checks.instance("prices", prices, Prices, what=tr("a Prices (e.g. dynalab.DEFAULT_PRICES)"))
        if not isinstance(design, Mapping | str | os.PathLike):
            raise checks.ParameterTypeError(tr("design must be a design (a mapping), a bundled design's name or the "
                                               "path of a design file; got {design!r} ({type})", design=design,
                                               type=type(design).__name__))
        self.design = copy.deepcopy(dict(read_design(design) if isinstance(design, str | os.PathLike) else design))
        self.prices = prices
        self.plan = plan_table(self.design, prices)  # a clear error for a bad design, before any widget exists
        names = [p.name for p in self.plan.patterns]
        style = {"description_width": "8em"}
        options = [(given(name), name) for name in names]  # a bundled pattern's label; the value is its name
        self.pattern = checked(widgets.Dropdown, "pattern", names[0], options=options, description=tr("pattern"),
                               style=style)
        first = self._spec(names[0])
        self.per_second = checked(widgets.IntSlider, "per_second", int(first["per_second"]), min=0,
                                  max=max(MAX_PER_SECOND, int(first["per_second"])), step=1,
                                  description=tr("requests/s"), continuous_update=False, style=style,
                                  layout=widgets.Layout(width="34em"))
        self.per_second.add_class(MAIN_CONTROL)
        self.target = checked(widgets.IntSlider, "target_utilization", target_utilization, min=LOWEST, max=HIGHEST,
                              description=tr("target %"), continuous_update=False, style=style)
        self.readout = widgets.HTML()
        self.readout.add_class(MAIN_READOUT)
        self._view = FigureView(plan_figure(self.plan, target_utilization))
        self.container = widgets.VBox([widgets.HBox([self.pattern, self.target]), self.per_second, self._view.output,
                                       self.readout])
        self._write_readout()
        self.pattern.observe(self._pick, names="value")
        self.per_second.observe(self.update, names="value")
        self.target.observe(self.update, names="value")

    @property
    def figure(self) -> Any:
        return self._view.figure

    def _spec(self, name: str) -> dict[str, Any]:
        return next(p for p in self.design["patterns"] if p["name"] == name)

    def _pick(self, *_: Any) -> None:
        """Another pattern: the slider shows its rate (nothing is re-planned: the design did not change)."""
        rate = int(self._spec(self.pattern.value)["per_second"])
        self.per_second.unobserve(self.update, names="value")
        self.per_second.max = max(self.per_second.max, rate)
        self.per_second.value = rate
        self.per_second.observe(self.update, names="value")

    def _write_readout(self) -> None:
        self.readout.value = "<br>".join(html.escape(line) for line in describe_plan(self.plan, self.target.value))

    def set_rate(self, pattern: str, per_second: int) -> Plan:
        """Drive the widget from the kernel: pick ``pattern``, set its requests per second; return the new plan."""
        self.pattern.value = pattern
        self.per_second.value = per_second
        return self.plan

    def update(self, *_: Any) -> None:
        self._spec(self.pattern.value)["per_second"] = self.per_second.value
        self.plan = plan_table(self.design, self.prices)
        self._write_readout()
        self._view.show(plan_figure(self.plan, self.target.value))
