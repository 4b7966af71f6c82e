"""Lesson 7's self-check (notebooks/07_lambda_triggers.ipynb): bisect and the poison record, and what trigger
invocations cost."""

from __future__ import annotations

from dynalab.i18n import N_
from dynalab.lessons.self_checks.question import LessonQuestion
from dynalab.models.event_source_mapping import poison_plan
from dynalab.models.pricing import DEFAULT_PRICES

QUESTIONS = (
    LessonQuestion(
        "bisect-discards",
        N_("A batch of 10 holds one poison record (the 6th). With bisect on and 2 retries, how many records are "
           "discarded?"),
        answer=lambda: poison_plan(10, 5, bisect=True, maximum_retry_attempts=2).discarded,
        hint=N_("Bisect splits until the poison record is alone; then only it runs out of retries."),
        explanation=N_("10 → 5 + 5 → 2 + 3 → 1 + 1: the poison record alone is discarded.")),
    LessonQuestion(
        "no-bisect-discards",
        N_("The same batch without bisect: how many records are discarded?"),
        answer=lambda: poison_plan(10, 5, bisect=False, maximum_retry_attempts=2).discarded,
        hint=N_("Without bisect the whole batch is retried, and given up, together."),
        explanation=N_("All ten records of the batch go to the on-failure destination.")),
    LessonQuestion(
        "million-invocations",
        N_("What do one million trigger invocations cost in request charges, in dollars (no duration)?"),
        answer=lambda: DEFAULT_PRICES.lambda_invocations(1_000_000),
        hint=N_("The request price is per million."),
        explanation=N_("$0.20 per million requests.")),
)
