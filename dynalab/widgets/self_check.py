"""Self-check questions: the learner types an answer, dynalab checks it and gives a hint when it is wrong.

A question's answer comes from a dynalab model (``answer=lambda: read_units(16 * 1024, "strong")``), never a
hard-coded number, so the check can never disagree with what the lesson computed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.room.recorder import record_answer

__all__ = ["Question", "self_check"]


@dataclass
class Question:
    """One question. ``answer`` is a value or a function that computes it; numbers compare within
    ``tolerance``, text case- and space-insensitively."""

    prompt: str
    answer: Any
    hint: str
    explanation: str = ""
    tolerance: float = 1e-9

    def __post_init__(self) -> None:
        checks.text("prompt", self.prompt, min_length=1)
        if self.answer is None or (isinstance(self.answer, str) and not self.answer.strip()):
            raise ValueError(tr("answer must be a value or a function that computes it; got {answer!r}",
                                answer=self.answer))
        checks.text("hint", self.hint, min_length=1)
        checks.text("explanation", self.explanation)
        self.tolerance = checks.number("tolerance", self.tolerance, low=0)

    def expected(self) -> Any:
        return self.answer() if callable(self.answer) else self.answer

    def is_correct(self, given: Any) -> bool:
        expected = self.expected()
        if isinstance(expected, bool) or not isinstance(expected, int | float):
            return str(given).strip().lower() == str(expected).strip().lower()
        try:
            value = float(str(given).replace(",", "").strip())
        except ValueError:
            return False
        return abs(value - float(expected)) <= self.tolerance

    def check(self, given: Any) -> str:
        """The verdict as one line (also printed, so a notebook cell can call it directly). With a room set
        (``DYNALAB_ROOM``), the answer is also recorded for the instructor's board, in the background."""
        correct = self.is_correct(given)
        record_answer(self, given, correct)
        if correct:
            verdict = tr("✓ Correct: {given}. {explanation}", given=given, explanation=self.explanation).rstrip()
        elif given is None or str(given).strip() == "":
            verdict = tr("Type an answer first.")
        else:
            verdict = tr("✗ Not quite ({given!s}). Hint: {hint}", given=given, hint=self.hint)
        return verdict


#: dynalab's bound on one form (each question is a row of widgets; a lesson asks three to six)
MAX_QUESTIONS = 50


def self_check(questions: Sequence[Question], title: str | None = None) -> Any:
    """A small form: one text box and a Check button per question; the verdict appears under it (``title``:
    "Self-check" in the current language when not given)."""
    import ipywidgets as widgets

    questions = checks.sequence_of("questions", questions, lambda n, v: checks.instance(
        n, v, Question, what=tr("a Question (dynalab.Question(prompt, answer, hint))")), min_length=1,
        max_length=MAX_QUESTIONS)
    title = tr("Self-check") if title is None else checks.text("title", title)
    rows: list[Any] = [widgets.HTML(f"<b>{title}</b>")]
    for number, question in enumerate(questions, start=1):
        box = widgets.Text(placeholder=tr("your answer"), layout=widgets.Layout(width="12em"))
        button = widgets.Button(description=tr("Check"), button_style="info")
        verdict = widgets.HTML()

        def on_click(_: Any, q: Question = question, b: Any = box, v: Any = verdict) -> None:
            v.value = _escape(q.check(b.value))

        button.on_click(on_click)
        box.on_submit(lambda _, on_click=on_click: on_click(None))
        rows += [widgets.HTML(f"{number}. {question.prompt}"), widgets.HBox([box, button]), verdict]
    return widgets.VBox(rows)


def _escape(text: str) -> str:
    import html

    return html.escape(text)


AnswerFunction = Callable[[], Any]
