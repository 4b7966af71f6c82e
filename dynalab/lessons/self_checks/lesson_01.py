"""Lesson 1's self-check (notebooks/01_capacity_units.ipynb): item sizes and the capacity units they cost."""

from __future__ import annotations

from dynalab.i18n import N_
from dynalab.lessons.self_checks.question import LessonQuestion
from dynalab.models.capacity import put_write_units, query_read_units, read_units, write_units
from dynalab.models.sizing import item_size

QUESTIONS = (
    LessonQuestion(
        "strong-read-10-kb",
        N_("A strongly consistent GetItem reads a 10 KB item. How many RCU?"),
        answer=lambda: read_units(10 * 1024, "strong"),
        hint=N_("Round 10 KB up to a multiple of 4 KB first, then 1 RCU per 4 KB block."),
        explanation=N_("10 KB counts as 12 KB: three 4 KB blocks.")),
    LessonQuestion(
        "transactional-write-2500-b",
        N_("A transaction writes an item of 2,500 B. How many WCU?"),
        answer=lambda: write_units(2500, transactional=True),
        hint=N_("Round up to whole KB (1,024 B), then double it for a transaction."),
        explanation=N_("2,500 B is three 1 KB blocks; a transactional write costs 2 WCU a block.")),
    LessonQuestion(
        "utf8-attribute-size",
        N_('How many bytes does the attribute {"name": "日本"} take?'),
        answer=lambda: item_size({"name": "日本"}),
        hint=N_("Count the name's bytes and the value's UTF-8 bytes; each of these characters is 3 bytes."),
        explanation=N_("4 bytes of name + 6 bytes of UTF-8 text.")),
    LessonQuestion(
        "query-sums-then-rounds",
        N_("An eventually consistent Query reads 10 items of 500 B. How many RCU?"),
        answer=lambda: query_read_units([500] * 10, "eventual"),
        hint=N_("A Query adds up all the bytes first (5,000 B), rounds up to 4 KB once, then 0.5 RCU a block."),
        explanation=N_("5,000 B is two 4 KB blocks; eventually consistent: 2 × 0.5.")),
    LessonQuestion(
        "put-charges-the-larger",
        N_("A PutItem replaces a 2,500 B item with a 300 B one. How many WCU?"),
        answer=lambda: put_write_units(300, 2500),
        hint=N_("A write is charged on the larger of the item before and the item after."),
        explanation=N_("The old 2,500 B item is the larger: three 1 KB blocks.")),
)
