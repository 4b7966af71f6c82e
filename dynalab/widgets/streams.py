"""Lesson 4's widget: vote buttons, the summary chart the projector keeps up to date, a crash and a restart.

It composes ``dynalab.lessons.projections`` (the projector), the engine and ``dynalab.figures.streams``; no rule lives
here. The projector runs in a background thread so the notebook stays interactive; ``sync()`` brings it to a known
point (every vote so far applied) before a cell prints, so stored outputs do not depend on timing.
"""

from __future__ import annotations

import html
import threading
from typing import Any

from dynalab.engine import Lab
from dynalab.figures.streams import vote_summary_figure
from dynalab.i18n import tr
from dynalab.lessons.projections import InjectedCrash, cast_vote, read_summary, tally_votes, vote_summary
from dynalab.models import checks
from dynalab.models.quotas import PARTITION_KEY_MAX_BYTES
from dynalab.widgets import MAIN_CONTROL, MAIN_READOUT, FigureView, LessonWidget

__all__ = ["VoteBoard"]


class VoteBoard(LessonWidget):
    """Buttons cast votes into the vote table; the projector (in the background) updates the summary chart.

    "Crash the projector" makes it die right after its next transaction commits, before it can note that it
    did (the moment a naive reader would count a vote twice); "Restart" starts a new projector that knows only
    the checkpoint kept in the engine.
    """

    def __init__(self, lab: Lab, votes_table: str, summary_table: str, daily_table: str,
                 candidates: tuple[str, ...] = ("A", "B", "C"), date: str = "2023-07-08",
                 live: bool = True) -> None:
        import ipywidgets as widgets

        candidates = tuple(checks.sequence_of(
            "candidates", candidates, lambda n, v: checks.text(n, v, min_length=1, max_length=PARTITION_KEY_MAX_BYTES),
            min_length=1, max_length=20))
        if len(set(candidates)) != len(candidates):
            raise ValueError(tr("candidates must differ from one another; got {candidates!r}", candidates=candidates))
        date = checks.text("date", date, pattern=r"\d{4}-\d{2}-\d{2}")
        live = checks.flag("live", live)
        self.lab, self.votes_table, self.summary_table, self.daily_table = lab, votes_table, summary_table, daily_table
        self.candidates, self.date, self.live = tuple(candidates), date, live
        self._voters = 0
        self._table_counts: dict[str, int] | None = None
        self._lock = threading.Lock()
        self.buttons = [widgets.Button(description=tr("Vote {candidate}", candidate=c), button_style="success")
                        for c in candidates]
        for candidate, button in zip(candidates, self.buttons, strict=True):
            button.on_click(lambda _, c=candidate: self.vote(c))
        self.buttons[0].add_class(MAIN_CONTROL)
        self.crash_button = widgets.Button(description=tr("Crash the projector"), button_style="danger")
        self.crash_button.on_click(lambda _: self.crash())
        self.restart_button = widgets.Button(description=tr("Restart the projector"), button_style="warning")
        self.restart_button.on_click(lambda _: self.restart())
        self.readout = widgets.HTML()
        self.readout.add_class(MAIN_READOUT)
        self.view = FigureView(vote_summary_figure({}, candidates))
        self.container = widgets.VBox([widgets.HBox(self.buttons), widgets.HBox([self.crash_button,
                                                                                self.restart_button]),
                                       self.readout, self.view.output])
        self.projector = self._new_projector()
        self.update()

    @property
    def figure(self) -> Any:
        return self.view.figure

    def _new_projector(self) -> Any:
        projector = vote_summary(self.lab, self.votes_table, self.summary_table, self.daily_table,
                                 poll_seconds=0.1, on_commit=lambda _: self.update())
        if self.live:
            projector.start()
        return projector

    @property
    def crashed(self) -> bool:
        return bool(self.projector.stats.crashes)

    def vote(self, candidate: str) -> str:
        """Cast a vote for a new voter (PutItem on the vote table); return the voter's UserID."""
        if candidate not in self.candidates:
            raise ValueError(tr("candidate must be one of {candidates}, got {candidate!r}",
                                candidates=", ".join(self.candidates), candidate=candidate))
        with self._lock:
            # A name of the board's own, so a new voter never overwrites a loaded vote (no Scan on a click).
            self._voters += 1
            user = f"board-voter-{self._voters}"
        counts = self.votes_in_table()  # before the PutItem: a recount after it would already hold this vote
        cast_vote(self.lab, self.votes_table, user, candidate, self.date)
        counts[candidate] = counts.get(candidate, 0) + 1  # a new voter: one more vote for the candidate
        self.update()  # the vote table moved now; the summary follows when the projector has applied it
        return user

    def crash(self) -> None:
        """The projector dies right after its next commit (applied and checkpointed, not yet acknowledged)."""
        self.projector.crash_next_commit("after_commit")
        self.update()

    def restart(self) -> None:
        """A new projector (as a new process would be): it resumes from the checkpoint kept in the engine."""
        old = self.projector
        old.stop()
        self.projector = self._new_projector()
        self.update()

    def sync(self) -> None:
        """Apply every vote written so far (unless the projector is down), recount the vote table (writes made
        outside the board included), then redraw: call before printing."""
        self._table_counts = None
        if not self.crashed:
            try:
                self.projector.wait_until_caught_up()
            except InjectedCrash:
                pass
        self.update()

    def stop(self) -> None:
        self.projector.stop()
        self.update()  # the readout says the projector is idle now

    def votes_in_table(self) -> dict[str, int]:
        """What the vote table holds per candidate: counted by a full Scan on ``sync()`` (the check), and kept up to
        date by the board's own votes in between, so a click never pays for a Scan of the table."""
        if self._table_counts is None:
            self._table_counts = tally_votes(self.lab, self.votes_table)[0]
        return self._table_counts

    def readout_text(self, summary: dict[str, int] | None = None) -> str:
        if summary is None:
            summary = read_summary(self.lab, self.summary_table)
        table = self.votes_in_table()
        # The projector's own account: "running" only while its thread is alive and the engine answers; a
        # thread that died says why; a second reader of the consumer says whose lease it waits for.
        state = self.projector.state()
        if self.crashed and (self.projector.error is None or isinstance(self.projector.error, InjectedCrash)):
            _, sep, rest = state.partition("; ")  # "crashed", in the current language, then what it waits for
            state = tr("crashed (press Restart)") + sep + rest
        if self.projector.crash_pending:
            state += tr(", will crash after its next commit")
        shown = ", ".join(f"{c} {summary.get(c, 0)}" for c in self.candidates)
        counted = ", ".join(f"{c} {table.get(c, 0)}" for c in self.candidates)
        return tr("summary table: {shown} | vote table holds: {counted} | projector: {state}", shown=shown,
                  counted=counted, state=state)

    def update(self, *_: Any) -> None:
        summary = read_summary(self.lab, self.summary_table)
        self.readout.value = html.escape(self.readout_text(summary))
        self.view.show(vote_summary_figure(summary, self.candidates))
