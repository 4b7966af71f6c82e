"""The board: a stream projection of the room's answers, read by the instructor.

Each answer is a put into ``room_answers`` (key: learner, question_id), so a learner's item for a question is their
latest answer. ``BoardProjection`` turns each stream record into counts, from the record's *images* (as the vote
projection does): the old image's answer counts -1, the new one's +1, and a new ``answered_at`` is one more attempt.
So a learner who answers again moves a question from wrong to right without counting it twice, and a record
delivered twice changes nothing (the projector's checkpoint condition, exactly once). Two tables result:

* ``room_board_learners``: per learner, questions answered, answered correctly (their latest answer), attempts,
  answers per lesson (``lesson_<name>``: the lesson reached is the last with any), the time of the last answer;
* ``room_board_questions``: per question, learners who answered it, learners whose answer is right, attempts.

``read_board`` reads both (two small Scans) into a ``Board``: learners by name, questions hardest first.
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from dynalab.engine import Lab
from dynalab.engine.streams import BadRecordError
from dynalab.engine.tables import scan_items
from dynalab.i18n import tr
from dynalab.i18n.text_width import display_width, pad_to_width, truncate_to_width
from dynalab.room import ANSWERS_TABLE, LEARNERS_TABLE, QUESTIONS_TABLE
from dynalab.room.keys import learner_name_problem

LESSON_ATTRIBUTE_PREFIX = "lesson_"
_LESSON = re.compile(r"[A-Za-z0-9_.\-]{1,64}")
_COUNTS = ("answered", "correct", "attempts")


@dataclass(frozen=True)
class Answer:
    learner: str
    question_id: str
    lesson: str
    question: str
    correct: bool
    answered_at: str


def answer_of(image: dict | None) -> Answer | None:
    """The answer an item image holds (None for no image); BadRecordError for an item that is not an answer."""
    if not image:
        return None
    try:
        answer = Answer(image["learner"]["S"], image["question_id"]["S"], image["lesson"]["S"],
                        image["question"]["S"], image["correct"]["BOOL"], image["answered_at"]["S"])
    except (KeyError, TypeError):
        raise BadRecordError(tr("not a room answer (learner, question_id, lesson, question, correct, answered_at): "
                                "{value:.160}", value=str(image))) from None
    if (learner_name_problem(answer.learner) or not _LESSON.fullmatch(answer.lesson)
            or not 1 <= len(answer.question_id) <= 200 or len(answer.question) > 500
            or not isinstance(answer.correct, bool)):
        raise BadRecordError(tr("a room answer out of range (a name of 1 to 64 characters, a lesson of 1 to 64 of "
                                "A-Z a-z 0-9 _ . -, a question of at most 500): {value:.160}", value=str(image)))
    return answer


def _effects_of(answer: Answer, sign: int, attempt: bool) -> list[tuple[tuple, dict]]:
    counts = {"answered": sign, "correct": sign * int(answer.correct), "attempts": int(attempt)}
    learner = dict(counts, **{LESSON_ATTRIBUTE_PREFIX + answer.lesson: sign})
    if sign > 0:
        learner["last_answer_at"] = answer.answered_at
    question = dict(counts, lesson=answer.lesson, question=answer.question)
    return [(("learner", answer.learner), learner), (("question", answer.question_id), question)]


class BoardProjection:
    """Answers -> the board's two tables (a projection for ``dynalab.engine.streams.StreamProjector``)."""

    required_view_type = ("NEW_AND_OLD_IMAGES",)
    target_tables = (LEARNERS_TABLE, QUESTIONS_TABLE)

    def effects(self, record: dict) -> list[tuple[tuple, dict]]:
        body = record.get("dynamodb") if isinstance(record, dict) else None
        if not isinstance(body, dict):
            raise BadRecordError(tr("not a DynamoDB stream record (no 'dynamodb' part): {value}",
                                    value=str(record)[:120]))
        old, new = answer_of(body.get("OldImage")), answer_of(body.get("NewImage"))
        if old == new:
            return []
        attempt = new is not None and (old is None or old.answered_at != new.answered_at)
        found: list[tuple[tuple, dict]] = []
        if old is not None:
            found += _effects_of(old, -1, False)
        if new is not None:
            found += _effects_of(new, +1, attempt)
        return found

    @staticmethod
    def merge(a: dict, b: dict) -> dict:
        merged = dict(a)
        for name, value in b.items():
            if isinstance(value, int):
                merged[name] = merged.get(name, 0) + value
            elif name == "last_answer_at":
                merged[name] = max(merged.get(name, value), value)
            else:
                merged[name] = value
        return merged

    @staticmethod
    def action(key: tuple, value: dict) -> dict | None:
        counts = {name: delta for name, delta in value.items() if isinstance(delta, int)}
        texts = {name: text for name, text in value.items() if isinstance(text, str)}
        if not any(counts.values()) and not texts.get("last_answer_at"):
            return None
        names: dict[str, str] = {}
        values: dict[str, Any] = {}
        adds, sets = [], []
        for number, (name, delta) in enumerate(sorted(counts.items())):
            names[f"#c{number}"], values[f":c{number}"] = name, {"N": str(delta)}
            adds.append(f"#c{number} :c{number}")
        for number, (name, text) in enumerate(sorted(texts.items())):
            names[f"#t{number}"], values[f":t{number}"] = name, {"S": text}
            sets.append(f"#t{number} = :t{number}")
        table, key_name = (LEARNERS_TABLE, "learner") if key[0] == "learner" else (QUESTIONS_TABLE, "question_id")
        expression = "ADD " + ", ".join(adds) + (" SET " + ", ".join(sets) if sets else "")
        return {"Update": {"TableName": table, "Key": {key_name: {"S": key[1]}}, "UpdateExpression": expression,
                           "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}}

    def rebuild(self, lab: Lab, source_table: str = ANSWERS_TABLE) -> None:
        """Recount the board from a Scan of the answers (each latest answer counts one attempt)."""
        for table, key_name in ((LEARNERS_TABLE, "learner"), (QUESTIONS_TABLE, "question_id")):
            for item in scan_items(lab, table, typed=True):
                lab.client.delete_item(TableName=table, Key={key_name: item[key_name]})
        pending: dict[tuple, dict] = {}
        for item in scan_items(lab, source_table, typed=True):
            for key, value in _effects_of(answer_of(item), +1, True):
                pending[key] = self.merge(pending[key], value) if key in pending else value
        for key, value in pending.items():
            action = self.action(key, value)
            if action is not None:
                lab.client.update_item(**action["Update"])


@dataclass
class LearnerRow:
    learner: str
    answered: int
    correct: int
    attempts: int
    lesson_reached: str
    last_answer_at: str


@dataclass
class QuestionRow:
    question_id: str
    lesson: str
    question: str
    answered: int
    correct: int
    attempts: int

    @property
    def share_correct(self) -> float:
        return self.correct / self.answered if self.answered else 0.0


@dataclass
class Board:
    """What the room has answered: per learner (by name), per question (hardest first)."""

    learners: list[LearnerRow] = field(default_factory=list)
    questions: list[QuestionRow] = field(default_factory=list)
    read_seconds: float = 0.0

    def as_json(self) -> list[dict]:
        """One object per learner: learner, answered, correct, attempts, lesson_reached, last_answer_at."""
        return [asdict(row) for row in self.learners]

    def lines(self) -> list[str]:
        """The board as text (what ``dynalab room board`` prints)."""
        if not self.learners:
            return [tr("No answers yet: learners' self-checks appear here as they answer.")]
        # columns by display width (dynalab.i18n.text_width): a Japanese header or name takes two columns a character
        headers = [tr("learner"), tr("answered"), tr("correct"), tr("attempts")]
        rows = [[row.learner, f"{row.answered}", f"{row.correct}", f"{row.attempts}"] for row in self.learners]
        widths = [max(display_width(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
        minimums = [0, 8, 7, 8]  # the numbers' columns as wide as their English headers, in either language
        widths = [max(width, least) for width, least in zip(widths, minimums, strict=True)]

        def line(cells: list[str], last: str) -> str:
            padded = [pad_to_width(cells[0], widths[0])]
            padded += [pad_to_width(cell, width, ">") for cell, width in zip(cells[1:], widths[1:], strict=True)]
            return "  ".join([*padded, last])

        out = [tr("{learners} learner(s), {questions} question(s) answered", learners=len(self.learners),
                  questions=len(self.questions)), line(headers, tr("lesson reached"))]
        out += [line(cells, f"{row.lesson_reached}") for cells, row in zip(rows, self.learners, strict=True)]
        out.append(tr("Questions, hardest first (share of learners whose answer is right):"))
        out += [f"{question.share_correct:>6.0%}  {question.correct}/{question.answered}  {question.lesson}  "
                f"{truncate_to_width(question.question, 70)}" for question in self.questions]
        return out


def _number(item: dict, name: str) -> int:
    return int(item.get(name, 0))


def read_board(lab: Lab) -> Board:
    """The board as the projection has it now (two Scans of small tables)."""
    began = time.perf_counter()
    learners = []
    for item in scan_items(lab, LEARNERS_TABLE):
        lessons = sorted(name[len(LESSON_ATTRIBUTE_PREFIX):] for name, count in item.items()
                         if name.startswith(LESSON_ATTRIBUTE_PREFIX) and int(count) > 0)
        learners.append(LearnerRow(item["learner"], _number(item, "answered"), _number(item, "correct"),
                                   _number(item, "attempts"), lessons[-1] if lessons else "",
                                   str(item.get("last_answer_at", ""))))
    questions = [QuestionRow(item["question_id"], str(item.get("lesson", "")), str(item.get("question", "")),
                             _number(item, "answered"), _number(item, "correct"), _number(item, "attempts"))
                 for item in scan_items(lab, QUESTIONS_TABLE)]
    learners = sorted((row for row in learners if row.answered > 0 or row.attempts > 0), key=lambda r: r.learner)
    questions = sorted((q for q in questions if q.answered > 0),
                       key=lambda q: (q.share_correct, -q.attempts / q.answered, q.question_id))
    return Board(learners, questions, time.perf_counter() - began)


def lessons_of(rows: list[LearnerRow]) -> dict[str, int]:
    """How many learners reached each lesson (for a figure or a readout)."""
    reached: dict[str, int] = defaultdict(int)
    for row in rows:
        if row.lesson_reached:
            reached[row.lesson_reached] += 1
    return dict(sorted(reached.items()))
