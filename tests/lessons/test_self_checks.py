"""Each lesson's self-check questions (dynalab.lessons.self_checks): their answers pinned to what the lessons teach,
ids that stay the same in both languages, and lesson names in every form a notebook uses."""

from __future__ import annotations

import re

import pytest

from dynalab.lessons.self_checks import LESSONS, lesson_id, lesson_questions, results_needed

#: every answer the lessons' self-checks expect (the numbers each lesson's text or its worked examples give);
#: a question about the learner's own run is pinned in tests/widgets/test_self_check.py with that run
PINNED: dict[str, list] = {
    "00": ["partition key", None],
    "01": [3, 6, 10, 1, 3],
    "02": [572, 2, 50, 28.9, 27],
    "03": [4, 208.3, 1000, "user ID"],
    "04": [1, 3, 1],
    "05": [40, "TableAlreadyExistsException", None, 10_512_000],
    "06": [6, 2, 49, 5],
    "07": [1, 10, 0.2],
    "08": [54.57, 1.5, 28.9],
    "09": [9, 2, 3, 622.4],
}


@pytest.mark.parametrize("lesson", sorted(PINNED))
def test_answers_are_the_numbers_the_lessons_teach(lesson):
    questions = lesson_questions(lesson)
    assert len(questions) == len(PINNED[lesson])
    for question, pinned in zip(questions, PINNED[lesson], strict=True):
        if pinned is None:
            assert question.results_needed(), f"{lesson} {question.id}: pinned as needing the learner's results"
            continue
        answer = question.answer() if callable(question.answer) else question.answer
        if isinstance(pinned, str):
            assert answer == pinned, question.id
        else:
            assert answer == pytest.approx(pinned, abs=max(question.tolerance, 1e-9)), question.id


def test_every_lesson_has_questions_with_stable_ids():
    assert sorted(LESSONS) == [f"{n:02d}" for n in range(10)]
    for lesson, questions in LESSONS.items():
        ids = [q.id for q in questions]
        assert len(set(ids)) == len(ids), f"lesson {lesson}: two questions share an id"
        assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) and len(i) <= 64 for i in ids), ids
        assert all(q.prompt.strip() and q.hint.strip() for q in questions)


def test_only_questions_about_the_learners_own_run_need_results():
    assert {lesson: results_needed(lesson) for lesson in LESSONS if results_needed(lesson)} == {
        "00": ("found",), "05": ("comparison",)}


@pytest.mark.parametrize("name", ["03", 3, "3", "03_partitions", " 03 "])
def test_a_lesson_is_named_as_a_notebook_names_it(name):
    assert lesson_id(name) == "03"


@pytest.mark.parametrize("bad", ["10", 10, -1, "x", "", None, True, 3.0, "003", "partitions"])
def test_an_unknown_lesson_is_refused_with_the_choices(bad):
    with pytest.raises(ValueError, match=r"lesson must name a lesson with a self-check: one of 00, 01, .* got"):
        lesson_id(bad)
