"""Lesson 9's widgets: a two-Region board (write here, watch it arrive there, lag measured) and a global table's bill.

They compose ``dynalab.lessons.global_tables`` (every request), ``dynalab.models.global_tables`` (the bill) and
``dynalab.figures.global_tables``; no rule lives here and no client is called from here.
"""

from __future__ import annotations

import html
import time
from typing import Any

from dynalab.figures.global_tables import arrivals_figure, bill_figure
from dynalab.i18n import N_, tr
from dynalab.lessons.global_tables import Arrival, GlobalTable, set_replication_lag, watch_arrival
from dynalab.models import checks
from dynalab.models.global_tables import GlobalTableBill, global_table_bill
from dynalab.models.pricing import DEFAULT_PRICES, Prices
from dynalab.models.quotas import HOURS_PER_MONTH, SECONDS_PER_HOUR
from dynalab.widgets import MAIN_CONTROL, MAIN_READOUT, FigureView, LessonWidget, checked

__all__ = ["SETUPS", "GlobalTableBillExplorer", "ReplicationBoard", "describe_bills", "monthly_bills"]

#: the board's lag slider (seconds): up to 3 s, far past AWS's "typically within a second", to see it clearly
MAX_LAG_SECONDS = 3.0


class ReplicationBoard(LessonWidget):
    """Write a note in one Region, watch it arrive in the other: each write is drawn from its Region's lane to the
    moment the other Region read it, with the lag measured. The slider sets the engine's replication lag."""

    def __init__(self, table: GlobalTable, write_region: str | None = None, watch_region: str | None = None) -> None:
        import ipywidgets as widgets

        self.table = checks.instance("table", table, GlobalTable,
                                     what=N_("a GlobalTable (dynalab.create_global_table(...))"))
        self.write_region = checks.choice("write_region", write_region or table.regions[0], table.regions)
        self.watch_region = checks.choice("watch_region", watch_region or next(
            region for region in table.regions if region != self.write_region), table.regions)
        if self.watch_region == self.write_region:
            raise ValueError(tr("watch_region must differ from write_region ({region})", region=self.write_region))
        self.arrivals: list[Arrival] = []
        self._start = time.monotonic()
        style = {"description_width": "12em"}
        self.note = checked(widgets.Text, "note", tr("hello from {region}", region=self.write_region),
                            description=tr("note"), style=style)
        self.button = widgets.Button(description=tr("write in {region}", region=self.write_region),
                                     button_style="primary")
        self.button.on_click(lambda _: self.write(self.note.value))
        self.lag = checked(widgets.FloatSlider, "replication_lag_seconds",
                           min(MAX_LAG_SECONDS, round(set_replication_lag(table.lab) or 0.0, 1)), min=0.0,
                           max=MAX_LAG_SECONDS, step=0.1, description=tr("replication lag (s)"),
                           continuous_update=False, style=style, readout_format=".1f")
        self.lag.observe(lambda change: set_replication_lag(self.table.lab, change["new"]), names="value")
        self.readout = widgets.HTML(tr("nothing written yet"))
        self._view = FigureView(self._figure())
        self.container = widgets.VBox([widgets.HBox([self.note, self.button]), self.lag, self._view.output,
                                       self.readout])

    @property
    def figure(self) -> Any:
        return self._view.figure

    def write(self, note: str) -> Arrival:
        """What the button does: write ``note`` in the write Region, wait until the watch Region reads it."""
        checks.text("note", note, max_length=200)
        arrival = watch_arrival(self.table, f"note-{len(self.arrivals) + 1}", note, self.write_region,
                                self.watch_region, clock_start=self._start)
        self.arrivals.append(arrival)
        self.update()
        return arrival

    def update(self, *_: Any) -> None:
        self._view.show(self._figure())
        lags = [a.lag_seconds for a in self.arrivals if a.lag_seconds is not None]
        lines = [arrival.describe() for arrival in self.arrivals[-3:]]
        if lags:
            lines.append(tr("{count} notes, lag {low:.0f} to {high:.0f} ms (the engine's setting: {lag:g} s)",
                            count=len(lags), low=min(lags) * 1000, high=max(lags) * 1000, lag=self.lag.value))
        self.readout.value = "<br>".join(html.escape(line) for line in lines) or tr("nothing written yet")

    def _figure(self) -> Any:
        return arrivals_figure([a.write_region for a in self.arrivals], [a.watch_region for a in self.arrivals],
                               [a.written for a in self.arrivals], [a.arrived for a in self.arrivals],
                               [a.value for a in self.arrivals], regions=[self.watch_region, self.write_region])


# ---- the bill ------------------------------------------------------------------------------------------------------

#: the setups the bill explorer compares with a single-Region table: label -> (replica tables, witness)
SETUPS: dict[str, tuple[int, bool]] = {
    N_("MREC, 2 Regions"): (2, False),
    N_("MREC, 3 Regions"): (3, False),
    N_("MRSC, 3 replicas"): (3, False),
    N_("MRSC, 2 replicas and a witness"): (2, True),
    N_("MREC, 5 Regions"): (5, False),
}
SECONDS_PER_MONTH = HOURS_PER_MONTH * SECONDS_PER_HOUR
MAX_WRITES_PER_SECOND = 5000


def monthly_bills(setup: str, writes_per_second: float, reads_per_second: float = 500.0, storage_gb: float = 50.0,
                  item_size_bytes: int = 1024, prices: Prices = DEFAULT_PRICES) -> dict[str, GlobalTableBill]:
    """The month (730 hours) of one traffic, on-demand: {"1 Region": its bill, setup: its bill} (English keys)."""
    setup = checks.choice("setup", setup, list(SETUPS))
    writes = checks.number("writes_per_second", writes_per_second, low=0, high=1e6) * SECONDS_PER_MONTH
    reads = checks.number("reads_per_second", reads_per_second, low=0, high=1e7) * SECONDS_PER_MONTH
    tables, witness = SETUPS[setup]
    common = dict(writes_per_month=writes, reads_per_month=reads, storage_gb=storage_gb,
                  item_size_bytes=item_size_bytes, prices=prices)
    return {N_("1 Region"): global_table_bill(**common),
            setup: global_table_bill(replica_tables=tables, witness=witness, **common)}


def describe_bills(bills: dict[str, GlobalTableBill]) -> list[str]:
    """The bill explorer's readout, line by line: each setup's month and its lines, then the ratio."""
    lines = []
    for name, bill in bills.items():
        lines.append(tr("{setup}: ${total:,.2f} a month (writes ${writes:,.2f}, reads ${reads:,.2f}, storage "
                        "${storage:,.2f}, data transfer ${transfer:,.2f})", setup=tr(name), total=bill.total_dollars,
                        writes=bill.write_dollars, reads=bill.read_dollars, storage=bill.storage_dollars,
                        transfer=bill.transfer_dollars))
    single, replicated = list(bills.values())[:2]
    if single.total_dollars:
        lines.append(tr("{ratio:.1f} times the single-Region bill", ratio=replicated.total_dollars
                        / single.total_dollars))
    return lines


class GlobalTableBillExplorer(LessonWidget):
    """Move the writes per second and pick a setup: the month's bill beside a single-Region table's, by line."""

    def __init__(self, setup: str = "MREC, 3 Regions", writes_per_second: int = 100, *,
                 reads_per_second: float = 500.0, storage_gb: float = 50.0, item_size_bytes: int = 1024,
                 prices: Prices = DEFAULT_PRICES) -> None:
        import ipywidgets as widgets

        self.workload = dict(reads_per_second=reads_per_second, storage_gb=storage_gb,
                             item_size_bytes=item_size_bytes, prices=prices)
        monthly_bills(setup, writes_per_second, **self.workload)  # a clear error before any widget exists
        checks.number("writes_per_second", writes_per_second, low=0, high=MAX_WRITES_PER_SECOND, integer=True)
        style = {"description_width": "9em"}
        self.setup = checked(widgets.Dropdown, "setup", setup, options=[(tr(name), name) for name in SETUPS],
                             description=tr("setup"), style=style, layout=widgets.Layout(width="28em"))
        self.writes = checked(widgets.IntSlider, "writes_per_second", writes_per_second, min=0,
                              max=MAX_WRITES_PER_SECOND, step=10, description=tr("writes/s"),
                              continuous_update=False, style=style, layout=widgets.Layout(width="34em"))
        self.writes.add_class(MAIN_CONTROL)
        self.readout = widgets.HTML()
        self.readout.add_class(MAIN_READOUT)
        self.bills = monthly_bills(setup, writes_per_second, **self.workload)
        self._view = FigureView(self._figure())
        self.container = widgets.VBox([self.setup, self.writes, self._view.output, self.readout])
        self._write_readout()
        self.setup.observe(self.update, names="value")
        self.writes.observe(self.update, names="value")

    @property
    def figure(self) -> Any:
        return self._view.figure

    def _figure(self) -> Any:
        return bill_figure({tr(name): bill for name, bill in self.bills.items()})

    def _write_readout(self) -> None:
        self.readout.value = "<br>".join(html.escape(line) for line in describe_bills(self.bills))

    def update(self, *_: Any) -> None:
        self.bills = monthly_bills(self.setup.value, self.writes.value, **self.workload)
        self._write_readout()
        self._view.show(self._figure())
