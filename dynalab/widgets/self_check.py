"""Self-check questions: the learner types an answer, dynalab checks it and gives a hint when it is wrong.

A question's answer comes from a dynalab model (``answer=lambda: read_units(16 * 1024, "strong")``), never a
hard-coded number, so the check can never disagree with what the lesson computed.

A lesson's own questions live in dynalab (``dynalab.lessons.self_checks``), so its page shows no answer:
``self_check_for("03")`` is the form, ``verify_self_check("03")`` (a hidden cell, for nbval) says how many of the
questions check, never an answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dynalab.i18n import tr
from dynalab.lessons.self_checks import LessonQuestion, lesson_id, lesson_questions, results_needed
from dynalab.models import checks
from dynalab.room.recorder import record_answer

__all__ = ["Question", "SelfCheckReport", "self_check", "self_check_for", "self_check_questions",
           "verify_self_check"]


@dataclass
class Question:
    """One question. ``answer`` is a value or a function that computes it; numbers compare within
    ``tolerance``, text case- and space-insensitively. ``id``: a name that stays the same in every language (the
    room's board counts a question's answers by it; without one, by its prompt)."""

    prompt: str
    answer: Any
    hint: str
    explanation: str = ""
    tolerance: float = 1e-9
    id: str = ""

    def __post_init__(self) -> None:
        checks.text("prompt", self.prompt, min_length=1)
        if self.answer is None or (isinstance(self.answer, str) and not self.answer.strip()):
            raise ValueError(tr("answer must be a value or a function that computes it; got {answer!r}",
                                answer=self.answer))
        checks.text("hint", self.hint, min_length=1)
        checks.text("explanation", self.explanation)
        self.tolerance = checks.number("tolerance", self.tolerance, low=0)
        checks.text("id", self.id, max_length=64)

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
        return self.verdict(given, correct)

    def verdict(self, given: Any, correct: bool) -> str:
        """What the form shows for ``given`` (``correct``: what :meth:`is_correct` said), recording nothing."""
        if correct:
            return tr("✓ Correct: {given}. {explanation}", given=given, explanation=self.explanation).rstrip()
        if given is None or str(given).strip() == "":
            return tr("Type an answer first.")
        return tr("✗ Not quite ({given!s}). Hint: {hint}", given=given, hint=self.hint)


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
        rows += [widgets.HTML(f"{number}. {_escape(question.prompt)}"), widgets.HBox([box, button]), verdict]
    return widgets.VBox(rows)


def self_check_questions(lesson: Any, **results: Any) -> list[Question]:
    """The questions of a lesson's self-check (``lesson``: "03", 3 or "03_partitions"), in the current language.

    ``results``: what the lesson computed that a question asks about (``found=found`` in lesson 0). A question
    whose result is not given can still be shown; its answer says what is missing when it is computed.
    """
    key = lesson_id(lesson)
    unknown = sorted(set(results) - set(results_needed(key)))
    if unknown:
        raise TypeError(tr("lesson {lesson}'s self-check takes no result named {names}; it takes: {allowed}",
                           lesson=key, names=", ".join(unknown), allowed=", ".join(results_needed(key)) or "-"))
    return [_question(key, spec, results) for spec in lesson_questions(key)]


def self_check_for(lesson: Any, **results: Any) -> Any:
    """The self-check form of a lesson (``lesson``: "03", 3 or "03_partitions"); its questions live in dynalab, so
    the page shows none of their answers. ``results``: what the lesson computed that a question asks about
    (lesson 0: ``found=``, its range query; lesson 5: ``comparison=``, its cost comparison)."""
    key = lesson_id(lesson)
    missing = [name for name in results_needed(key) if name not in results]
    if missing:
        raise TypeError(tr("lesson {lesson}'s self-check asks about your own results: pass {names} (e.g. "
                           "self_check_for(\"{lesson}\", {example}))", lesson=key, names=", ".join(missing),
                           example=", ".join(f"{name}={name}" for name in missing)))
    return self_check(self_check_questions(key, **results))


@dataclass
class SelfCheckReport:
    """How many of a lesson's questions check (their answer computes and is accepted, a wrong one is refused, and
    every verdict can be shown in the current language); ``problems`` ({question number: what is wrong}) name a
    question, never its answer."""

    lesson: str
    total: int
    problems: dict[int, str] = field(default_factory=dict)

    @property
    def passed(self) -> int:
        return self.total - len(self.problems)

    def __str__(self) -> str:
        lines = [tr("{passed} of {total} questions check", passed=self.passed, total=self.total)]
        return "\n".join(lines + [tr("question {number}: {problem}", number=number, problem=problem)
                                   for number, problem in sorted(self.problems.items())])

    __repr__ = __str__

    def _ipython_display_(self) -> None:
        """In a notebook: the count for nbval, hidden from the learner (a hidden cell's output reopens on Run All)."""
        from dynalab.widgets.hidden_checks import show_hidden

        show_hidden(str(self))


def verify_self_check(lesson: Any, **results: Any) -> SelfCheckReport:
    """For a hidden cell nbval runs: each question of the lesson's self-check computes its answer, accepts it and
    refuses a wrong one, and its verdicts exist in the current language. Nothing is recorded for a room, and the
    report shows no answer."""
    key = lesson_id(lesson)
    questions = self_check_questions(key, **results)
    problems: dict[int, str] = {}
    for number, question in enumerate(questions, start=1):
        try:
            expected = question.expected()
            if not question.is_correct(expected):
                problems[number] = tr("its own answer is refused")
            elif question.is_correct(_wrong_answer(expected, question.tolerance)):
                problems[number] = tr("a wrong answer is accepted")
            question.verdict(expected, True)
            question.verdict("?", False)
        except Exception as error:  # noqa: BLE001 - reported (without the answer) for nbval to see
            problems[number] = type(error).__name__
    return SelfCheckReport(key, len(questions), problems)


def _wrong_answer(expected: Any, tolerance: float) -> Any:
    if isinstance(expected, int | float) and not isinstance(expected, bool) and math.isfinite(expected):
        return expected + max(1.0, 2 * tolerance)
    return f"{expected} (not)"


def _question(lesson: str, spec: LessonQuestion, results: dict[str, Any]) -> Question:
    answer = spec.answer
    needed = spec.results_needed()
    if needed:
        answer = _answer_from_results(lesson, spec.answer, needed, results)
    return Question(tr(spec.prompt), answer, tr(spec.hint), tr(spec.explanation) if spec.explanation else "",
                    spec.tolerance, id=spec.id)


def _answer_from_results(lesson: str, function: Callable[..., Any], needed: tuple[str, ...],
                         results: dict[str, Any]) -> Callable[[], Any]:
    def answer() -> Any:
        missing = [name for name in needed if name not in results]
        if missing:
            raise LookupError(tr("this question of lesson {lesson} is about your own results: pass {names} to "
                                 "self_check_for", lesson=lesson, names=", ".join(missing)))
        return function(**{name: results[name] for name in needed})

    return answer


def _escape(text: str) -> str:
    import html

    return html.escape(text)


AnswerFunction = Callable[[], Any]
