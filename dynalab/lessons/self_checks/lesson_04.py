"""Lesson 4's self-check (notebooks/04_stream_projection_votes.ipynb): a MODIFY record, GetRecords' limit and the
exactly-once projector."""

from __future__ import annotations

import math

from dynalab.i18n import N_
from dynalab.lessons.projections import count_votes
from dynalab.lessons.self_checks.question import LessonQuestion
from dynalab.models.quotas import GET_RECORDS_MAX_RECORDS

#: the article's vote table: A 3, B 2
ARTICLE_VOTES = [{"UserID": f"user{n}", "vote": vote, "Date": date} for n, vote, date in [
    (1, "A", "2023-06-01"), (2, "B", "2023-06-05"), (3, "B", "2023-07-01"), (4, "A", "2023-06-20"),
    (5, "A", "2023-07-08")]]


def _b_after_user3_changes_to_a() -> int:
    changed = [{**vote, "vote": "A"} if vote["UserID"] == "user3" else vote for vote in ARTICLE_VOTES]
    return count_votes(changed)[0]["B"]


QUESTIONS = (
    LessonQuestion(
        "modify-moves-a-vote",
        N_("In the article's table (A 3, B 2), user3 changes their vote from B to A. What is B's num now?"),
        answer=_b_after_user3_changes_to_a,
        hint=N_("A MODIFY moves one count from the old image's vote to the new image's vote."),
        explanation=N_("The MODIFY record's old image says B, its new image A: B loses one, A gains one.")),
    LessonQuestion(
        "get-records-calls",
        N_("At least how many GetRecords calls does a reader need for 2,500 records?"),
        answer=lambda: math.ceil(2500 / GET_RECORDS_MAX_RECORDS),
        hint=N_("GetRecords returns at most 1,000 records a call."),
        explanation=N_("1,000 + 1,000 + 500.")),
    LessonQuestion(
        "exactly-once-after-restart",
        N_("A projector dies after its transaction committed. After a restart, how many times is that batch's vote "
           "counted?"),
        answer=lambda: 1,
        hint=N_("The checkpoint moved in the same transaction as the counts."),
        explanation=N_("The replayed batch starts at or below the checkpoint, so its transaction is cancelled.")),
)
