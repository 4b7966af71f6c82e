"""Lesson 5's demos that take real seconds on purpose (throttling happens in time): run when a button is pressed.

A lesson's Run All stays short (at most 15 s): a demo that exists to show seconds passing is shown as a button
(``dynalab.widgets.live_run.LiveRun``) and runs when the learner presses it. Each demo here turns throttling on
for its table, runs, and turns it off again, so nothing is left throttled between two presses; each result says
what it saw in lines that are the same on every run (yes or no), beside the counts that vary with timing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dynalab.engine import Lab
from dynalab.engine.tables import LoadReport, bulk_load, create_table
from dynalab.fidelity.throttling import enforce_throughput
from dynalab.i18n import tr, yes_no
from dynalab.lessons.cost_comparison import ContentionResult, scan_contention
from dynalab.models import checks

__all__ = ["ContentionRun", "ThrottledLoad", "run_contention", "throttled_bulk_load"]

#: the demos' waits: users read every 0.5 s from a quarter second before each batch to a second after it
BATCH_DELAY_SECONDS, AFTER_BATCH_SECONDS = 0.25, 1.0
#: dynalab's bound on the throttled load (at 50 WCU, 1,000 items take about 20 s of real time)
THROTTLED_LOAD_MAX_ITEMS = 1000


@dataclass(frozen=True)
class ContentionRun:
    """The two batches of lesson 5's contention demo: one reads the mail table, one Scans the users table."""

    from_stream: ContentionResult
    full_scan: ContentionResult

    def describe(self) -> list[str]:
        return [str(self.from_stream), str(self.full_scan),
                tr("users throttled while the batch read the mail table: {answer}",
                   answer=yes_no(self.from_stream.throttled_user_reads > 0)),
                tr("users throttled during the full-Scan batch: {answer}",
                   answer=yes_no(self.full_scan.throttled_user_reads > 0))]


def run_contention(lab: Lab, users_table: str, mail_table: str, user_ids: Sequence[str]) -> ContentionRun:
    """Throttle ``users_table`` at its provisioned reads (no burst banked), let users read it while a batch reads
    ``mail_table``, then while a batch Scans ``users_table`` itself; turn throttling off again."""
    checks.sequence_of("user_ids", list(user_ids), lambda n, v: checks.text(n, v, min_length=1), min_length=1,
                       max_length=100_000)
    enforcer = enforce_throughput(lab, users_table, burst_seconds=0)
    try:
        from_stream = scan_contention(lab, users_table, mail_table, list(user_ids),
                                      batch_delay_seconds=BATCH_DELAY_SECONDS, after_batch_seconds=AFTER_BATCH_SECONDS)
        full_scan = scan_contention(lab, users_table, users_table, list(user_ids),
                                    batch_delay_seconds=BATCH_DELAY_SECONDS, after_batch_seconds=AFTER_BATCH_SECONDS)
    finally:
        enforcer.stop()
    return ContentionRun(from_stream, full_scan)


@dataclass(frozen=True)
class ThrottledLoad:
    """A bulk load into a throttled table: what ``bulk_load`` reported, and the items the table holds afterwards."""

    table_name: str
    items_given: int
    report: LoadReport
    items_in_table: int

    def describe(self) -> list[str]:
        report = self.report
        return [tr("{written} written; {calls} calls, {retried} of them retries re-sending {resent} items",
                   written=report.items_written, calls=report.batch_calls, retried=report.retried_calls,
                   resent=report.items_resent),
                tr("the retries re-sent items the table had handed back: {answer}",
                   answer=yes_no(report.items_resent > 0)),
                tr("nothing lost: {answer}",
                   answer=yes_no(report.items_written == self.items_in_table == self.items_given))]


def throttled_bulk_load(lab: Lab, table_name: str, items: Sequence[Mapping[str, Any]], *,
                        write_capacity_units: int = 50) -> ThrottledLoad:
    """Make ``table_name`` afresh with ``write_capacity_units`` and no burst capacity banked, throttle it, load
    ``items`` with ``bulk_load`` (its retries of UnprocessedItems wait for the table to refill), count what the
    table holds."""
    items = checks.sequence_of("items", list(items), lambda n, v: checks.instance(n, v, Mapping,
                                                                                 what=tr("an item (a dict)")),
                               min_length=1, max_length=THROTTLED_LOAD_MAX_ITEMS)
    write_capacity_units = checks.number("write_capacity_units", write_capacity_units, low=1, high=1000,
                                         integer=True)
    create_table(lab, table_name, ("UserID", "S"), read_capacity_units=5, write_capacity_units=write_capacity_units,
                 reset=True)
    enforcer = enforce_throughput(lab, table_name, burst_seconds=0)
    try:
        report = bulk_load(lab, table_name, items, show_progress=False)
    finally:
        enforcer.stop()
    held = lab.client.scan(TableName=table_name, Select="COUNT")["Count"]
    return ThrottledLoad(table_name, len(items), report, held)
