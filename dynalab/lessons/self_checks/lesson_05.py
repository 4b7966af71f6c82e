"""Lesson 5's self-check (notebooks/05_batch_vs_stream.ipynb): BatchWriteItem's limit, the restore's error, the
learner's own cost comparison and what polling a shard costs."""

from __future__ import annotations

import math
from typing import Any

from dynalab.i18n import N_
from dynalab.lessons.self_checks.question import LessonQuestion
from dynalab.models.pricing import DEFAULT_PRICES
from dynalab.models.quotas import BATCH_WRITE_MAX_REQUESTS

#: what RestoreTableFromBackup answers when its target table exists (the lesson's day-2 restore shows it)
RESTORE_TARGET_EXISTS = "TableAlreadyExistsException"


def _crossover_day(comparison: Any) -> Any:
    """The day the learner's comparison projects the batch's on-demand total to pass the stream's."""
    return comparison.projected_crossover_day("on-demand")


QUESTIONS = (
    LessonQuestion(
        "batch-write-calls",
        N_("At least how many BatchWriteItem calls does loading the 1,000 users of users_live take?"),
        answer=lambda: math.ceil(1000 / BATCH_WRITE_MAX_REQUESTS),
        hint=N_("At most 25 items a call."),
        explanation=N_("1,000 / 25 = 40 calls.")),
    LessonQuestion(
        "restore-target-exists",
        N_("Which error does the restore meet when yesterday's copy still exists? (the exception's name)"),
        answer=RESTORE_TARGET_EXISTS,
        hint=N_("It is about the target table's name."),
        explanation=N_("RestoreTableFromBackup only ever creates a new table.")),
    LessonQuestion(
        "projected-crossover-day",
        N_("On-demand, on which day does the batch's total cost in dollars pass the stream's (projected)?"),
        answer=_crossover_day,
        hint=N_("Read comparison.describe('on-demand')."),
        explanation=N_("The batch's daily dollars grow with the table; the stream's stay flat, in write units.")),
    LessonQuestion(
        "polls-per-month",
        N_("Your own reader polls one shard every 0.25 s. How many GetRecords requests is that in a 730-hour month?"),
        answer=lambda: DEFAULT_PRICES.stream_polls_per_month(poll_interval_seconds=0.25),
        hint=N_("4 polls a second, 3,600 seconds an hour, 730 hours."),
        explanation=N_("4 x 3,600 x 730 = 10,512,000, every one billed past the free tier.")),
)
