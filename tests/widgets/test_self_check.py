"""Self-check questions (dynalab.widgets.self_check): answers checked as numbers or words; a lesson's own questions
shown from dynalab, verified without an answer, recorded for a room only when the learner checks one."""

from __future__ import annotations

import pytest

from dynalab import i18n
from dynalab.lessons import self_checks
from dynalab.lessons.self_checks import LESSONS, LessonQuestion, lesson_questions
from dynalab.room import recorder
from dynalab.widgets.self_check import Question, self_check_for, self_check_questions, verify_self_check


def test_question_checks_numbers_and_words():
    units = Question("RCU?", answer=lambda: 4, hint="divide by 4 KB")
    assert units.check("4").startswith("✓")
    assert units.check("4.0").startswith("✓")
    assert "Hint: divide by 4 KB" in units.check("16")
    assert units.check("") == "Type an answer first."
    assert Question("key?", "partition key", "h").check(" Partition Key ").startswith("✓")


# --- a lesson's self-check, its questions living in dynalab (issue 29) ----------------------------------------------



class _Comparison:
    """Lesson 5's comparison as far as its question reads it."""

    def projected_crossover_day(self, price_list: str) -> int:
        assert price_list == "on-demand"
        return 28


RESULTS = {"00": {"found": {"Items": [{}, {}, {}]}}, "05": {"comparison": _Comparison()}}


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    i18n.set_language("en")


def _texts(widget) -> list[str]:
    found = [widget.value] if isinstance(getattr(widget, "value", None), str) else []
    for child in getattr(widget, "children", ()):
        found += _texts(child)
    return found


def test_the_form_shows_the_prompts_and_no_answer():
    shown = " ".join(_texts(self_check_for("03")))
    for question in lesson_questions("03"):
        assert question.prompt.split(":")[0] in shown.replace("&#x27;", "'")
        assert question.hint not in shown
        assert not question.explanation or question.explanation not in shown
    assert "ceil(2 + 1.5)" not in shown and "1000" not in shown


def test_a_question_about_the_learners_run_is_checked_against_that_run():
    with pytest.raises(TypeError, match=r"pass found \(e\.g\. self_check_for\(\"00\", found=found\)\)"):
        self_check_for("00")
    with pytest.raises(TypeError, match=r"takes no result named found; it takes: -"):
        self_check_for("03", found=1)
    assert self_check_for("00_start_here", **RESULTS["00"]) is not None
    questions = self_check_questions(0, found={"Items": [{}, {}]})
    assert questions[1].check("2").startswith("✓") and questions[1].check("3").startswith("✗")
    assert self_check_questions("05", **RESULTS["05"])[2].expected() == 28
    with pytest.raises(LookupError, match="pass found to self_check_for"):
        self_check_questions("00")[1].expected()


@pytest.mark.parametrize("lesson", sorted(LESSONS))
@pytest.mark.parametrize("language", ["en", "ja"])
def test_every_lesson_verifies_without_showing_an_answer(lesson, language, monkeypatch):
    monkeypatch.setenv("DYNALAB_I18N_STRICT", "1")  # a verdict without its Japanese fails here, as under nbval
    i18n.set_language(language)
    report = verify_self_check(lesson, **RESULTS.get(lesson, {}))
    total = len(lesson_questions(lesson))
    assert (report.passed, report.total, report.problems) == (total, total, {})
    wanted = (f"{total} of {total} questions check" if language == "en"
              else f"{total} 問中 {total} 問の答えを確認しました")
    assert str(report) == repr(report) == wanted


def test_a_broken_question_is_named_without_its_answer(monkeypatch):
    broken = (*lesson_questions("03")[:1], LessonQuestion("broken", "How much?", lambda: 1 / 0, "divide"),
              LessonQuestion("lenient", "Which?", "anything", "any"), *lesson_questions("03")[3:])
    monkeypatch.setitem(self_checks.LESSONS, "03", broken)
    report = verify_self_check("03")
    assert str(report) == "3 of 4 questions check\nquestion 2: ZeroDivisionError"


def test_verifying_records_nothing_for_the_room_and_checking_still_does(tmp_path, monkeypatch):
    for name in ("DYNALAB_ROOM_KEY", "DYNALAB_LESSON"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DYNALAB_ROOM", "http://127.0.0.1:9")
    monkeypatch.setenv("DYNALAB_LEARNER", "ana")
    monkeypatch.setenv("DYNALAB_ROOM_OUTBOX", str(tmp_path / "outbox"))
    recorder._said.clear()
    try:
        assert str(verify_self_check("02")) == "5 of 5 questions check"
        assert recorder.pending_answers() == 0
        assert self_check_questions("02")[0].check("572").startswith("✓")
        assert recorder.pending_answers() == 1  # the room's hook: one call in Question.check, still there
    finally:
        if recorder._sender is not None:
            recorder._sender.stop()
        recorder._sender = None
        recorder._said.clear()


def test_a_question_has_one_id_in_both_languages():
    english = self_check_questions("03")
    i18n.set_language("ja")
    japanese = self_check_questions("03")
    assert [q.prompt for q in english] != [q.prompt for q in japanese]
    assert [recorder.question_id(q, "03_partitions") for q in english] == [
        recorder.question_id(q, "03_partitions") for q in japanese] == [
        f"03_partitions#{q.id}" for q in lesson_questions("03")]
    assert japanese[3].check("ユーザー ID").startswith("✓")


def test_answers_composed_from_models_match_the_widgets_they_describe():
    from dynalab.widgets.global_tables import monthly_bills
    from dynalab.widgets.indexes import modelled_total

    assert lesson_questions("06")[0].answer() == modelled_total(2500, 1, "ALL")
    assert lesson_questions("09")[3].answer() == round(
        monthly_bills("MREC, 3 Regions", 100)["MREC, 3 Regions"].total_dollars, 2)


def test_a_hidden_cell_shows_its_text_to_nbval_and_nothing_to_the_learner(monkeypatch):
    from dynalab.widgets import hidden_checks

    shown: list[str] = []
    monkeypatch.setattr(hidden_checks, "show_hidden", shown.append)
    with hidden_checks.hidden_check():
        print("2017 model: 5 partition(s)")
        print("<b>&</b>")
    verify_self_check("03")._ipython_display_()
    assert shown == ["2017 model: 5 partition(s)\n<b>&</b>", "4 of 4 questions check"]
    bundle = hidden_checks.hidden_bundle("<b>&</b> 'x'")
    assert bundle["text/plain"] == "<b>&</b> 'x'"
    assert bundle["text/html"] == ('<pre class="dynalab-hidden-check tex2jax_ignore mathjax_ignore" hidden>'
                                   "&lt;b&gt;&amp;&lt;/b&gt; &#x27;x&#x27;</pre>")
