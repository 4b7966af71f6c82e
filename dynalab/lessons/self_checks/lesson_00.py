"""Lesson 0's self-check (notebooks/00_start_here.ipynb): the primary key, and the learner's own range query."""

from __future__ import annotations

from typing import Any

from dynalab.i18n import N_, tr
from dynalab.lessons.self_checks.question import LessonQuestion


def _songs_found(found: Any) -> int:
    """How many songs the learner's range query returned (``found``: its Query answer)."""
    return len(found["Items"])


QUESTIONS = (
    LessonQuestion(
        "partition-key-places-items",
        N_("Which part of the primary key decides the partition an item is stored in? (partition key / sort key)"),
        answer=lambda: tr("partition key"),
        hint=N_("One part orders items; the other one is hashed to place them."),
        explanation=N_("DynamoDB hashes the partition key to pick a partition.")),
    LessonQuestion(
        "range-query-count",
        N_("How many songs did the range query above return?"),
        answer=_songs_found,
        hint=N_("Count the titles between 'C' and 'M' for that artist.")),
)
