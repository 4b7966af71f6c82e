"""Lesson 2's widgets: the auto-scaling explorer (target slider, workload picker) and the live throttling demo.

They compose ``dynalab.models.autoscaling`` / ``pricing`` / ``workloads`` (the rules), ``load_generator`` and the
throttling plugin (the engine) and ``dynalab.figures.autoscaling``; no rule lives here.
"""

from __future__ import annotations

import html
import time
from typing import Any

from dynalab.engine import Lab, check_lab
from dynalab.figures.autoscaling import autoscaling_figure, throttling_figure, update_autoscaling_figure
from dynalab.i18n import N_, tr
from dynalab.lessons.workloads import WORKLOADS, Workload, load_workload
from dynalab.models import checks
from dynalab.models.autoscaling import (
    ALARM_DELAY_MINUTES,
    UPDATE_DELAY_MINUTES,
    TargetTrackingPolicy,
    simulate_autoscaling,
)
from dynalab.models.pricing import DEFAULT_PRICES, Prices, compare_costs
from dynalab.models.quotas import DEFAULT_TABLE_MAX_CAPACITY_UNITS, TARGET_UTILIZATION_RANGE
from dynalab.widgets import (
    MAIN_CONTROL,
    MAIN_READOUT,
    FigureView,
    LessonWidget,
    check_value,
    checked,
    yes_no,
)

LOWEST, HIGHEST = (int(x) for x in TARGET_UTILIZATION_RANGE)

__all__ = ["AutoscalingExplorer", "LiveThrottlingDemo", "describe_costs", "describe_run", "split_delay"]

#: the explorer's delay control: minutes from the alarm's last datapoint to the new capacity (an English template:
#: shown through ``tr``)
DELAY_LABEL = N_("delay (min)")
DEFAULT_DELAY_MINUTES = ALARM_DELAY_MINUTES + UPDATE_DELAY_MINUTES
#: the controls' ranges (the constructors check their arguments against the same ones)
DELAY_RANGE = (0, 15)
RATE_RANGE = (5, 100)  # the live demo's writes/s slider
SECONDS_RANGE = (2, 15)  # ... and its seconds slider
#: the live demo's seconds by default: with auto scaling ticked, 10 simulated minutes take the 20 WCU table through
#: its scale-outs to a capacity that covers 50 writes/s, as lesson 2's text promises (at 3 s it had not yet)
LIVE_RUN_SECONDS = 10


def split_delay(delay_minutes: int) -> dict[str, int]:
    """One delay (alarm to new capacity) as the simulator's two parameters: the alarm's lag first (up to
    ``ALARM_DELAY_MINUTES``), the rest UpdateTable's (metrics-dimensions.html)."""
    checks.number("delay_minutes", delay_minutes, low=0, integer=True)
    alarm = min(int(delay_minutes), ALARM_DELAY_MINUTES)
    return {"alarm_delay_minutes": alarm, "update_delay_minutes": int(delay_minutes) - alarm}


def describe_costs(result: Any, comparison: Any) -> str:
    """One paragraph of what a simulated run did and cost (the explorer's readout, also printable)."""
    outs, ins = len(result.events_of("scale-out")), len(result.events_of("scale-in"))
    refused = len(result.events_of("refused"))
    asked = float(result.demand.sum() * 60)
    share = 100 * result.throttled_units / asked if asked else 0.0
    delay = result.parameters["alarm_delay_minutes"] + result.parameters["update_delay_minutes"]
    return tr(
        "target {target:g} %, new capacity {delay} min after each alarm: {outs} scale-out(s), {ins} scale-in(s)"
        "{refused}; throttled {throttled:,.0f} units ({share:.2f} % of demand); average utilisation "
        "{utilisation:.1f} % (break-even {break_even:.1f} %). Cost over {hours:g} h: provisioned with auto scaling "
        "${autoscaling:,.2f}, provisioned fixed at {fixed_capacity} ${fixed:,.2f}, on-demand ${on_demand:,.2f}.",
        target=result.parameters["target_utilization"], delay=delay, outs=outs, ins=ins,
        refused=tr(", {refused} decrease(s) refused", refused=refused) if refused else "",
        throttled=result.throttled_units, share=share, utilisation=comparison.average_utilization,
        break_even=comparison.break_even_utilization, hours=comparison.hours,
        autoscaling=comparison.provisioned_autoscaling, fixed_capacity=comparison.fixed_capacity,
        fixed=comparison.provisioned_fixed, on_demand=comparison.on_demand,
    )


class AutoscalingExplorer(LessonWidget):
    """A target-utilisation slider (20–90 %), a workload picker and the scaling delay redraw demand, capacity and
    throttles. The delay (minutes from the alarm to the new capacity) defaults to the simulator's 2 + 3; 0 is the
    ideal of an instant UpdateTable, for comparison."""

    def __init__(self, workload: str | Workload = "flash_sale", target_utilization: int = 70, *, burst: bool = True,
                 delay_minutes: int = DEFAULT_DELAY_MINUTES, prices: Prices = DEFAULT_PRICES) -> None:
        """``workload``: a bundled workload's name, a ``Workload`` (e.g. ``dynalab.load_workload(path)`` of a
        CloudWatch export), or the path of a CloudWatch export."""
        import ipywidgets as widgets

        # clear errors for bad arguments (an unknown workload name too), before any widget exists
        checks.number("target_utilization", target_utilization, low=LOWEST, high=HIGHEST, integer=True)
        checks.flag("burst", burst)
        checks.number("delay_minutes", delay_minutes, low=DELAY_RANGE[0], high=DELAY_RANGE[1], integer=True)
        checks.instance("prices", prices, Prices, what=tr("a Prices (e.g. dynalab.DEFAULT_PRICES)"))
        self.workload = workload if isinstance(workload, Workload) else load_workload(workload)
        self._loaded = {self.workload.name: self.workload}  # your own workloads stay in the picker
        # The options in words; the workload's name (an id) is the option's value, never shown.
        options = [(tr(text), name) for name, text in WORKLOADS.items()]
        if self.workload.name not in WORKLOADS:  # your own: what its description says first ("CloudWatch export x")
            options.insert(0, (self.workload.description.split(": ", 1)[0] or self.workload.name, self.workload.name))
        self.prices = prices
        # The slider's own bounds are DynamoDB's: it cannot produce an invalid target.
        self.slider = checked(widgets.IntSlider, "target_utilization", target_utilization, min=LOWEST, max=HIGHEST,
                              step=1, description=tr("target %"), continuous_update=False)
        self.slider.add_class(MAIN_CONTROL)
        self.picker = checked(widgets.Dropdown, "workload", self.workload.name, options=options,
                              description=tr("workload"), layout=widgets.Layout(width="34em"))
        self.burst = checked(widgets.Checkbox, "burst", burst, description=tr("burst capacity (300 s)"))
        self.delay = checked(widgets.IntSlider, "delay_minutes", delay_minutes, min=DELAY_RANGE[0],
                             max=DELAY_RANGE[1], step=1, description=tr(DELAY_LABEL), continuous_update=False)
        self.readout = widgets.HTML()
        self.readout.add_class(MAIN_READOUT)
        self.result: Any = None
        self.costs: Any = None
        title = self._compute()
        self._view = FigureView(autoscaling_figure(self.result, title=title))
        self.container = widgets.VBox([widgets.HBox([self.slider, self.burst]), self.picker, self.delay,
                                       self._view.output, self.readout])
        for control in (self.slider, self.picker, self.burst, self.delay):
            control.observe(self.update, names="value")

    @property
    def figure(self) -> Any:
        return self._view.figure

    def _compute(self) -> str:
        """Simulate the chosen workload at the chosen target; return the figure's title."""
        if self.workload.name != self.picker.value:  # read the file when the picker changes, not on every slide
            self.workload = self._loaded.get(self.picker.value) or load_workload(self.picker.value)
        demand = self.workload.demand
        policy = TargetTrackingPolicy(self.slider.value, **split_delay(self.delay.value))
        self.result = simulate_autoscaling(demand, policy, burst_seconds=300 if self.burst.value else 0)
        self.costs = compare_costs(demand, self.result.provisioned, self.result.served, prices=self.prices)
        self.readout.value = html.escape(describe_costs(self.result, self.costs))
        return tr("{workload} (target {target} %, delay {delay} min)", workload=self.workload.description,
                  target=self.slider.value, delay=self.delay.value)

    def update(self, *_: Any) -> None:
        title = self._compute()
        self._view.show(update_autoscaling_figure(self._view.figure, self.result, title))


def describe_run(run: Any, provisioned: float, tolerance: float = 0.10) -> list[str]:
    """Robust facts about a live load run (the same on every run of the notebook), one line each."""
    checks.number("provisioned", provisioned, low=0, low_open=True)
    checks.number("tolerance", tolerance, low=0, high=1)
    if not hasattr(run, "served_rate") or not getattr(run, "rows", None):
        raise checks.ParameterTypeError(tr("run must be a finished load run (LiveThrottlingDemo.run() or "
                                           "dynalab.run_load(...)); got {run!r:.80}", run=run))
    rate = run.served_rate(1, run.seconds)
    first = run.rows[0].provisioned or provisioned
    lines = [
        tr("requested: {rate:g} writes/s for {seconds} s on {capacity:g} WCU", rate=run.requests_per_second,
           seconds=run.seconds, capacity=first),
        tr("throttled: {throttled}; boto3 retried: {retried}", throttled=yes_no(run.throttled_attempts),
           retried=yes_no(run.retries)),
    ]
    if not run.events:
        lines.append(tr("served within {tolerance:.0%} of the provisioned rate: {within}", tolerance=tolerance,
                        within=yes_no(abs(rate - provisioned) <= tolerance * provisioned)))
    else:
        outs = [e for e in run.events if e.kind == "scale-out"]
        calm = run.rows[-3:]
        lines += [
            tr("first scale-out after 2 datapoints above the target: {first}",
               first=yes_no(outs and outs[0].minute == 1)),
            tr("capacity after auto scaling covers the demand: {covers}",
               covers=yes_no(outs and outs[-1].to_capacity >= run.requests_per_second)),
            tr("throttles in the last {count} seconds: {throttles}", count=len(calm),
               throttles=sum(row.throttled_attempts + row.failed for row in calm)),
        ]
    return lines


class LiveThrottlingDemo(LessonWidget):
    """Fire a chosen write rate at a provisioned table and watch served vs throttled, second by second.

    With "auto scaling" ticked, target tracking runs in compressed time (1 real second = 1 simulated minute) and
    calls UpdateTable on the engine while the load runs. The engine applies UpdateTable at once (local engines do,
    as DynamoDB Local does), so this policy has no alarm or UpdateTable delay: the live run shows the alarms and
    the consumed-capacity staircase, the simulator shows the delay.
    """

    def __init__(self, lab: Lab, table_name: str = "lesson2-writes", write_capacity_units: int = 20,
                 requests_per_second: int = 50, seconds: int = LIVE_RUN_SECONDS) -> None:
        import ipywidgets as widgets

        self.lab = check_lab(lab)
        self.table_name = lab.table_name(checks.table_name("table_name", table_name))
        self.write_capacity_units = checks.number("write_capacity_units", write_capacity_units, low=1,
                                                  high=DEFAULT_TABLE_MAX_CAPACITY_UNITS, integer=True)
        checks.number("requests_per_second", requests_per_second, low=RATE_RANGE[0], high=RATE_RANGE[1],
                      integer=True)
        checks.number("seconds", seconds, low=SECONDS_RANGE[0], high=SECONDS_RANGE[1], integer=True)
        self.rate = checked(widgets.IntSlider, "requests_per_second", requests_per_second, min=RATE_RANGE[0],
                            max=RATE_RANGE[1], step=5, description=tr("writes/s"), continuous_update=False)
        self.rate.add_class(MAIN_CONTROL)
        self.seconds = checked(widgets.IntSlider, "seconds", seconds, min=SECONDS_RANGE[0], max=SECONDS_RANGE[1],
                               description=tr("seconds"))
        self.autoscaling = checked(widgets.Checkbox, "autoscaling", False,
                                   description=tr("auto scaling (1 s = 1 min)"))
        self.button = widgets.Button(description=tr("Fire"), button_style="danger")
        self.button.on_click(lambda _: self.run())
        self.readout = widgets.HTML(tr("Press Fire."))
        self.readout.add_class(MAIN_READOUT)
        self.last_run: Any = None
        self._view = FigureView(_empty_run_figure())
        #: the table's CloudWatch graphs after a run, as the console draws them (``dynalab.table_metrics``)
        self.console_metrics: Any = None
        self._console = widgets.Output()
        self.container = widgets.VBox([widgets.HBox([self.rate, self.seconds]),
                                       widgets.HBox([self.autoscaling, self.button]), self._view.output,
                                       self.readout, self._console])

    @property
    def figure(self) -> Any:
        return self._view.figure

    def update(self, *_: Any) -> None:
        if self.last_run is not None:
            self._view.show(throttling_figure(self.last_run))

    def run(self, requests_per_second: int | None = None, seconds: int | None = None,
            autoscaling: bool | None = None, target_utilization: int = 70) -> Any:
        """Reset the table, throttle it at its WCU, fire the load (redrawing each second); return the ``LoadRun``.

        An argument not given is read from its control; one given applies to this run only, so a lesson's Run All
        can fire a short run and leave the controls at the defaults its text describes."""
        from dynalab.lessons.load_generator import run_throttled_load

        checks.number("target_utilization", target_utilization, low=LOWEST, high=HIGHEST, integer=True)
        rate, duration, scaling = (control.value if value is None else check_value(control, value) for control, value
                                   in ((self.rate, requests_per_second), (self.seconds, seconds),
                                       (self.autoscaling, autoscaling)))
        started = time.time()
        self.button.disabled = True
        self.readout.value = tr("running...")
        policy = (TargetTrackingPolicy(target_utilization, max_capacity=1000, alarm_delay_minutes=0,
                                       update_delay_minutes=0) if scaling else None)
        try:
            run = run_throttled_load(self.lab, self.table_name, self.write_capacity_units, rate, duration,
                                     autoscaling=policy,
                                     on_second=lambda partial: self._view.show(throttling_figure(partial)))
        finally:
            self.button.disabled = False
        self.last_run = run
        self.update()
        self.readout.value = "<br>".join(html.escape(line) for line in describe_run(run, self.write_capacity_units))
        self._show_console(started)
        return run

    def _show_console(self, started: float) -> None:
        """The run as CloudWatch saw it, one point a minute (the recorder publishes what DynamoDB would)."""
        if self.lab.metrics is None and not self.lab.is_aws:
            return  # an engine without CloudWatch (dynalite)
        from dynalab.figures.console import console_metrics_figure
        from dynalab.lessons.console import table_metrics

        self.console_metrics = table_metrics(self.lab, self.table_name, start_seconds=started - 60)
        view = FigureView(console_metrics_figure(self.console_metrics))
        self._console.outputs = view.output.outputs


def _empty_run_figure() -> Any:
    from dynalab.lessons.load_generator import LoadRun

    return throttling_figure(LoadRun("", "write", 0.0, 0, []))
