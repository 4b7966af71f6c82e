"""The room's figure (dynalab.figures.room): a bar per question, hardest first; bad data refused by name."""

from __future__ import annotations

import pytest

import dynalab
from dynalab.figures.room import questions_figure


def test_a_bar_per_question_in_the_order_given():
    figure = questions_figure(["00: hard", "00: easy"], [0.25, 1.0], [4, 4])
    assert list(figure.data[0].y) == ["00: hard", "00: easy"] and list(figure.data[0].x) == [25.0, 100.0]
    assert figure.layout.title.text == "Questions, hardest first"
    assert questions_figure([], [], []).layout.title.text == "No answers yet"


@pytest.mark.parametrize(("args", "named"), [
    ((["a"], [1.5], [1]), "shares"), ((["a", "b"], [0.5], [1]), "shares"), ((["a"], [0.5], [-1]), "answered"),
    ((None, [0.5], [1]), "questions"),
])
def test_bad_data_is_refused_by_name(args, named):
    with pytest.raises((ValueError, TypeError), match=named):
        questions_figure(*args)


def test_the_figure_speaks_japanese():
    dynalab.set_language("ja")
    try:
        assert questions_figure(["a"], [0.5], [2]).layout.title.text == "問題 (難しい順)"
    finally:
        dynalab.set_language("en")
