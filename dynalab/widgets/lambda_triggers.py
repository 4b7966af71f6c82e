"""Lesson 7's widget: a vote table with a Lambda trigger, its failure settings as toggles, and a "Poison vote" button.

It composes ``dynalab.lessons.event_source_mapping`` (the mapping), ``dynalab.lessons.lambda_triggers`` (the handler)
and ``dynalab.figures.lambda_triggers``; no rule lives here. Each press writes votes and runs the mapping until it
is idle (or blocked), so what the readout says does not depend on timing. Changing a setting is an
UpdateEventSourceMapping: a new mapping with the same name resumes from the checkpoint.
"""

from __future__ import annotations

import html
from typing import Any

from dynalab.engine import Lab, check_lab
from dynalab.figures.lambda_triggers import invocation_timeline_figure
from dynalab.i18n import N_, tr
from dynalab.lessons.event_source_mapping import EventSourceMapping, RunReport
from dynalab.lessons.lambda_triggers import poison_vote, vote_summary_handler
from dynalab.lessons.projections import read_summary
from dynalab.models import checks
from dynalab.models.event_source_mapping import SQS_ARN
from dynalab.widgets import MAIN_CONTROL, MAIN_READOUT, FigureView, LessonWidget, checked, yes_no

__all__ = ["PoisonVoteBoard", "RETRY_CHOICES"]

#: the retry picker's options (label: "-1 ..." is an English template, shown through ``tr``; value)
RETRY_CHOICES = ((N_("-1 (until the records expire)"), -1), ("0", 0), ("2", 2), ("10", 10))
BATCH_SIZE_RANGE = (1, 100)  # the board's slider (the mapping allows up to 10,000)
#: Lambda's rule for a function name (CreateFunction: FunctionName, the short form)
FUNCTION_NAME_PATTERN, FUNCTION_NAME_LENGTH = r"[a-zA-Z0-9_-]+", 64


def _check_candidates(candidates: Any) -> tuple[str, ...]:
    names = checks.sequence_of("candidates", candidates, lambda n, v: checks.text(n, v, min_length=1),
                               min_length=1, max_length=20)  # a button each, as VoteBoard's
    if len(set(names)) != len(names):
        raise ValueError(tr("candidates must be distinct names; got {candidates!r}", candidates=candidates))
    return tuple(names)


class PoisonVoteBoard(LessonWidget):
    """Toggles for bisect, retries, the SQS destination and the batch size; "Vote" writes ten good votes,
    "Poison vote" writes ten votes with one the handler cannot read in the middle. Both run the mapping."""

    def __init__(self, lab: Lab, votes_table: str, summary_table: str, daily_table: str, queue_arn: str,
                 candidates: tuple[str, ...] = ("A", "B", "C"), function_name: str = "vote-summary-board") -> None:
        import ipywidgets as widgets

        check_lab(lab)
        for name, value in (("votes_table", votes_table), ("summary_table", summary_table),
                            ("daily_table", daily_table)):
            checks.table_name(name, value)
        checks.text("queue_arn", queue_arn, pattern=SQS_ARN.pattern)  # the mapping's own rule for a destination
        candidates = _check_candidates(candidates)
        checks.text("function_name", function_name, min_length=1, max_length=FUNCTION_NAME_LENGTH,
                    pattern=FUNCTION_NAME_PATTERN)
        self.lab, self.votes_table, self.summary_table = lab, votes_table, summary_table
        self.queue_arn, self.candidates, self.function_name = queue_arn, candidates, function_name
        self.handler = vote_summary_handler(lab, summary_table, daily_table)
        self.bisect = checked(widgets.Checkbox, "bisect", False, description=tr("bisect on error"), indent=False)
        self.retries = checked(widgets.Dropdown, "retries", -1,
                               options=[(tr(label) if value == -1 else label, value) for label, value in RETRY_CHOICES],
                               description=tr("retry attempts"), style={"description_width": "initial"})
        self.destination = checked(widgets.Checkbox, "destination", False,
                                   description=tr("SQS on-failure destination"),
                                   indent=False)
        self.batch_size = checked(widgets.IntSlider, "batch_size", 10, min=BATCH_SIZE_RANGE[0],
                                  max=BATCH_SIZE_RANGE[1], description=tr("batch size"))
        for control in (self.bisect, self.retries, self.destination, self.batch_size):
            control.observe(lambda _: self.reconfigure(), names="value")
        self.vote_button = widgets.Button(description=tr("Vote"), button_style="success")
        self.vote_button.on_click(lambda _: self.vote())
        self.poison_button = widgets.Button(description=tr("Poison vote"), button_style="danger")
        self.poison_button.on_click(lambda _: self.poison())
        self.poison_button.add_class(MAIN_CONTROL)
        self.readout = widgets.HTML()
        self.readout.add_class(MAIN_READOUT)
        self._voters = 0
        self.poison_votes = 0
        self.last_report = RunReport()
        self.mapping = self._new_mapping()
        self.view = FigureView(invocation_timeline_figure([]))
        self.container = widgets.VBox([
            widgets.HBox([self.bisect, self.destination]), widgets.HBox([self.retries, self.batch_size]),
            widgets.HBox([self.vote_button, self.poison_button]), self.readout, self.view.output])
        self.update()

    @property
    def figure(self) -> Any:
        return self.view.figure

    def _new_mapping(self) -> EventSourceMapping:
        destination = {"OnFailure": {"Destination": self.queue_arn}} if self.destination.value else None
        return EventSourceMapping(self.lab, self.votes_table, self.handler, function_name=self.function_name,
                                  starting_position="TRIM_HORIZON", batch_size=self.batch_size.value,
                                  maximum_retry_attempts=self.retries.value,
                                  bisect_batch_on_function_error=self.bisect.value, destination_config=destination)

    def configure(self, *, bisect: bool | None = None, retries: int | None = None, destination: bool | None = None,
                  batch_size: int | None = None) -> None:
        """Set the toggles from code (what a learner's clicks do), then apply them once."""
        self._holding = True
        try:
            self.set_controls((self.bisect, bisect), (self.retries, retries), (self.destination, destination),
                              (self.batch_size, batch_size))
        finally:
            self._holding = False
        self.reconfigure()

    def reconfigure(self) -> None:
        if getattr(self, "_holding", False):
            return
        self.mapping = self._new_mapping()  # resumes from the checkpoint: a blocked batch is read again
        self.update()

    def _write(self, poison_at: int | None) -> None:
        for n in range(10):
            self._voters += 1
            user = f"board-voter-{self._voters:04d}"
            if n == poison_at:
                poison_vote(self.lab, self.votes_table, user)
                self.poison_votes += 1
            else:
                candidate = self.candidates[self._voters % len(self.candidates)]
                self.lab.client.put_item(TableName=self.votes_table, Item={
                    "UserID": {"S": user}, "vote": {"S": candidate}, "Date": {"S": "2023-07-08"}})

    def vote(self) -> RunReport:
        """Ten good votes, then run the mapping."""
        self._write(None)
        return self.run()

    def poison(self) -> RunReport:
        """Ten votes, the sixth one poison, then run the mapping."""
        self._write(5)
        return self.run()

    def run(self) -> RunReport:
        self.last_report = self.mapping.run_until_idle(max_invocations=20)
        self.update()
        return self.last_report

    def readout_text(self, summary: dict[str, int] | None = None) -> str:
        if summary is None:
            summary = read_summary(self.lab, self.summary_table)
        shown = ", ".join(f"{c} {summary.get(c, 0)}" for c in self.candidates)
        discarded = sum(f["DDBStreamBatchInfo"]["batchSize"] for f in self.mapping.failure_records)
        return tr("summary table: {shown} | poison votes written: {poison} | shard blocked: {blocked} | records "
                  "discarded by this mapping: {discarded} | last run: {last_run}", shown=shown,
                  poison=self.poison_votes, blocked=yes_no(self.last_report.blocked), discarded=discarded,
                  last_run=self.last_report.describe())

    def update(self, *_: Any) -> None:
        if not hasattr(self, "view"):
            return
        self.readout.value = html.escape(self.readout_text())
        self.view.show(invocation_timeline_figure(self.last_report.invocations))
