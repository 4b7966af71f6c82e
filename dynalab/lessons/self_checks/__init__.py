"""Each lesson's self-check questions: prompt, answer, hint and explanation, one module a lesson (``lesson_03``).

A lesson's page shows only the form (``dynalab.self_check_for("03")``): the questions live here, so no answer
function or explanation is on the page before the learner answers. Prompts, hints and explanations are English
templates marked ``N_`` (their Japanese in ``dynalab/i18n/ja/self_checks.json``); ``dynalab.widgets.self_check``
translates them when it builds the form, in the language of the moment.

An answer is a value or a function that computes it from dynalab's models, never a number typed in. A function's
parameters name results of the learner's own run that the lesson passes in: ``self_check_for("00", found=found)``
checks "how many songs did the query above return?" against the learner's own query.
"""

from __future__ import annotations

from typing import Any

from dynalab.i18n import tr
from dynalab.lessons.self_checks import (
    lesson_00,
    lesson_01,
    lesson_02,
    lesson_03,
    lesson_04,
    lesson_05,
    lesson_06,
    lesson_07,
    lesson_08,
    lesson_09,
)
from dynalab.lessons.self_checks.question import LessonQuestion

__all__ = ["LESSONS", "LessonQuestion", "lesson_id", "lesson_questions", "results_needed"]

#: lesson id ("00" to "09", the notebook's number) -> its questions
LESSONS: dict[str, tuple[LessonQuestion, ...]] = {
    f"{number:02d}": module.QUESTIONS
    for number, module in enumerate((lesson_00, lesson_01, lesson_02, lesson_03, lesson_04, lesson_05, lesson_06,
                                     lesson_07, lesson_08, lesson_09))
}


def lesson_id(lesson: Any) -> str:
    """The two-digit id of ``lesson``: "03", 3 and "03_partitions" all name lesson 3."""
    text = str(lesson).strip() if isinstance(lesson, str | int) and not isinstance(lesson, bool) else ""
    number = text.split("_", 1)[0]
    key = f"{int(number):02d}" if number.isdigit() and len(number) <= 2 else ""
    if key not in LESSONS:
        raise ValueError(tr("lesson must name a lesson with a self-check: one of {allowed} (or its notebook's name, "
                            "e.g. \"03_partitions\"); got {lesson!r}", allowed=", ".join(LESSONS), lesson=lesson))
    return key


def lesson_questions(lesson: Any) -> tuple[LessonQuestion, ...]:
    """The questions of ``lesson`` (see :func:`lesson_id`), in the order the form shows them."""
    return LESSONS[lesson_id(lesson)]


def results_needed(lesson: Any) -> tuple[str, ...]:
    """The names of the learner's results the lesson's questions are computed from (passed to ``self_check_for``)."""
    names: list[str] = []
    for question in lesson_questions(lesson):
        names += [name for name in question.results_needed() if name not in names]
    return tuple(names)
