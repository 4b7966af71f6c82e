"""The instructor's board in a notebook: who answered what, live (``dynalab.RoomBoard()``).

It composes ``dynalab.room`` (the room's board, read with the instructor's key) and ``dynalab.figures.room``; no
rule lives here. Live: a background thread re-reads the board every ``refresh_seconds`` while "live" is ticked; a
room that does not answer shows one line in the readout, and the board comes back by itself when the room does.
"""

from __future__ import annotations

import html
import threading
import time
from typing import Any

from dynalab.figures.room import questions_figure
from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.room.board import Board, read_board
from dynalab.room.command import connect_board, explain
from dynalab.room.server import DEFAULT_STATE_DIR
from dynalab.widgets import MAIN_CONTROL, MAIN_READOUT, FigureView, LessonWidget, checked

__all__ = ["RoomBoard"]

REFRESH_SECONDS_RANGE = (0.5, 600.0)


def learners_table(board: Board) -> str:
    """The learners as an HTML table (names escaped: a learner chooses their own)."""
    head = "".join(f"<th style='text-align:left;padding:0 1em 0 0'>{html.escape(title)}</th>" for title in (
        tr("learner"), tr("answered"), tr("correct"), tr("attempts"), tr("lesson reached")))
    rows = "".join(
        "<tr>" + "".join(f"<td style='padding:0 1em 0 0'>{html.escape(str(cell))}</td>" for cell in (
            row.learner, row.answered, row.correct, row.attempts, row.lesson_reached)) + "</tr>"
        for row in board.learners)
    return f"<table><tr>{head}</tr>{rows}</table>"


class RoomBoard(LessonWidget):
    """The room's board: per learner, answered, correct, attempts and the lesson reached; per question, the share
    of learners whose answer is right, hardest first. ``state``: the room's folder on this machine (else
    DYNALAB_ROOM with the instructor's key in DYNALAB_ROOM_KEY)."""

    def __init__(self, state: str = DEFAULT_STATE_DIR, refresh_seconds: float = 2.0, live: bool = True) -> None:
        import ipywidgets as widgets

        checks.text("state", state, min_length=1, max_length=4096)
        low, high = REFRESH_SECONDS_RANGE
        self.refresh_seconds = checks.number("refresh_seconds", refresh_seconds, low=low, high=high, unit="seconds")
        checks.flag("live", live)
        try:
            self.lab, self.url = connect_board(state)
        except ValueError as error:  # one clear line when there is no room to read
            raise ValueError(tr("state {state!r} names no room this notebook can read: {problem}", state=state,
                                problem=error)) from None
        self.board = Board()
        self.live = checked(widgets.Checkbox, "live", live, description=tr("live"), indent=False)
        self.live.add_class(MAIN_CONTROL)
        self.refresh = widgets.Button(description=tr("Refresh now"))
        self.refresh.on_click(self.update)
        self.readout = widgets.HTML()
        self.readout.add_class(MAIN_READOUT)
        self.table = widgets.HTML()
        self.view = FigureView(questions_figure([], [], []))
        self.figure = self.view.figure
        self.container = widgets.VBox([widgets.HTML(f"<b>{html.escape(tr('The room'))}</b> {html.escape(self.url)}"),
                                       widgets.HBox([self.live, self.refresh]), self.readout, self.table,
                                       self.view.output])
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.update()
        self.live.observe(self._on_live, names="value")
        if live:
            self._start()

    def update(self, *_: Any) -> None:
        """Read the board once and redraw (a room that does not answer: one line in the readout)."""
        try:
            self.board = read_board(self.lab)
        except Exception as error:  # noqa: BLE001 - shown, not raised: the live board keeps trying
            self.readout.value = html.escape(explain(error, self.url))
            return
        board = self.board
        self.readout.value = html.escape(tr(
            "{learners} learner(s), {questions} question(s); read at {time} in {milliseconds:.0f} ms",
            learners=len(board.learners), questions=len(board.questions), time=time.strftime("%H:%M:%S"),
            milliseconds=1000 * board.read_seconds))
        self.table.value = learners_table(board)
        self.figure = questions_figure([f"{q.lesson}: {q.question}" for q in board.questions],
                                       [q.share_correct for q in board.questions],
                                       [q.answered for q in board.questions])
        self.view.show(self.figure)

    def _on_live(self, change: dict) -> None:
        if change["new"]:
            self._start()
        else:
            self.stop()

    def _start(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="dynalab-room-board", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self._stop.wait(self.refresh_seconds):
            if getattr(self.container, "comm", True) is None:
                return  # the widget was closed
            self.update()

    def stop(self) -> None:
        """Stop refreshing (tick "live" again, or call ``update()``, to read it once more)."""
        self._stop.set()
