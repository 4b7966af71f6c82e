"""The board's projection (dynalab.room.board): counts from a record's images, so a second answer moves a question
from wrong to right without counting it twice, and a record delivered again changes nothing."""

from __future__ import annotations

import pytest

from dynalab.engine.streams import BadRecordError, Batch
from dynalab.room import LEARNERS_TABLE, QUESTIONS_TABLE
from dynalab.room.board import Board, BoardProjection, LearnerRow, QuestionRow, answer_of

P = BoardProjection()


def image(learner="ana", question_id="00#a", correct=True, at="2026-12-07T10:00:00.000000Z", lesson="00_start"):
    return {"learner": {"S": learner}, "question_id": {"S": question_id}, "lesson": {"S": lesson},
            "question": {"S": "How many?"}, "correct": {"BOOL": correct}, "answered_at": {"S": at}}


def record(old=None, new=None):
    name = "INSERT" if old is None else "REMOVE" if new is None else "MODIFY"
    body = {**({"OldImage": old} if old else {}), **({"NewImage": new} if new else {})}
    return {"eventName": name, "dynamodb": body}


def totals(*records):
    batch = Batch(P)
    for each in records:
        batch.add(P.effects(each))
    return batch.pending


def test_a_first_answer_counts_once_for_the_learner_and_the_question():
    found = totals(record(new=image(correct=False)))
    assert found[("learner", "ana")] == {"answered": 1, "correct": 0, "attempts": 1, "lesson_00_start": 1,
                                         "last_answer_at": "2026-12-07T10:00:00.000000Z"}
    assert found[("question", "00#a")] == {"answered": 1, "correct": 0, "attempts": 1, "lesson": "00_start",
                                           "question": "How many?"}


def test_answering_again_moves_wrong_to_right_and_adds_an_attempt():
    wrong, right = image(correct=False), image(correct=True, at="2026-12-07T10:01:00.000000Z")
    found = totals(record(new=wrong), record(old=wrong, new=right))
    assert {k: found[("learner", "ana")][k] for k in ("answered", "correct", "attempts")} == {
        "answered": 1, "correct": 1, "attempts": 2}
    assert found[("learner", "ana")]["last_answer_at"] == "2026-12-07T10:01:00.000000Z"


def test_the_same_answer_put_again_changes_nothing():
    same = image()
    assert P.effects(record(old=same, new=same)) == []


def test_an_action_adds_counts_and_sets_texts():
    action = P.action(("learner", "ana"), {"answered": 1, "correct": 0, "attempts": 1, "last_answer_at": "t"})
    update = action["Update"]
    assert update["TableName"] == LEARNERS_TABLE and update["Key"] == {"learner": {"S": "ana"}}
    assert update["UpdateExpression"].startswith("ADD ") and " SET " in update["UpdateExpression"]
    assert P.action(("question", "q"), {"answered": 0, "correct": 0, "attempts": 0}) is None
    assert P.action(("question", "q"), {"answered": 1})["Update"]["TableName"] == QUESTIONS_TABLE


@pytest.mark.parametrize("bad", [
    {"learner": {"S": "ana"}},  # not an answer
    image(learner=""), image(lesson="00 start; drop"), image(question_id=""),
    {**image(), "correct": {"S": "yes"}},
])
def test_what_is_not_an_answer_is_a_bad_record(bad):
    with pytest.raises(BadRecordError):
        answer_of(bad)


def test_the_board_reads_hardest_first_and_prints_one_row_per_learner():
    board = Board([LearnerRow("ana", 2, 1, 3, "01_x", "t"), LearnerRow("ben", 1, 1, 1, "00_y", "t")],
                  [QuestionRow("q1", "00", "easy", 2, 2, 2), QuestionRow("q2", "00", "hard", 2, 0, 5)])
    assert [row["learner"] for row in board.as_json()] == ["ana", "ben"]
    assert {"learner", "answered", "correct"} <= set(board.as_json()[0])
    lines = board.lines()
    assert any(line.startswith("ana ") for line in lines)
    assert Board().lines() and "No answers yet" in Board().lines()[0]


def test_the_boards_columns_line_up_in_japanese_with_japanese_names():
    from dynalab.i18n import set_language
    from dynalab.i18n.text_width import display_width

    board = Board([LearnerRow("ana", 12, 10, 30, "01_x", "t"), LearnerRow("さくら", 1, 1, 1, "00_y", "t")],
                  [QuestionRow("q1", "00", "どのキーがホットパーティションを生みますか。" * 5, 2, 1, 2)])
    set_language("ja")
    try:
        lines = board.lines()
    finally:
        set_language("en")
    header, ana, sakura = lines[1:4]
    ends = []  # the column where each line's last number column ends (right-aligned), in display columns
    for line, last in ((ana, "30"), (sakura, "1")):
        ends.append(display_width(line[:line.index(f"{last}  0")]) + len(last))
    assert ends[0] == ends[1], lines
    header_end = display_width(header[:header.rindex("  ")])
    assert header_end == ends[0], lines  # the attempts header ends where the attempts column does
    assert display_width(lines[-1]) <= 6 + 2 + 3 + 2 + 2 + 2 + 70, lines[-1]  # the question cut by width
    assert lines[-1].endswith("…")
