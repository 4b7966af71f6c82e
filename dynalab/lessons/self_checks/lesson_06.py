"""Lesson 6's self-check (notebooks/06_secondary_indexes.ipynb): what an index costs a write, a moved entry, a
filtered Query and a KEYS_ONLY index's fetches."""

from __future__ import annotations

from dynalab.i18n import N_
from dynalab.lessons.indexes import indexed_item
from dynalab.lessons.self_checks.question import LessonQuestion
from dynalab.models.capacity import put_write_units, read_units
from dynalab.models.index_choice import query_read_units_for
from dynalab.models.indexes import SecondaryIndex, index_write_units, write_units_by_index
from dynalab.models.sizing import item_size

_BY_STATUS = SecondaryIndex("by-status", ("status",), "KEYS_ONLY")


def _new_item_with_one_all_gsi() -> float:
    """A new 2,500 B item's WCU, the table's and one ALL-projection GSI's (lesson 6's explorer at 1 GSI, ALL; a test
    keeps the two equal)."""
    item = indexed_item(2500, 1)
    index = SecondaryIndex("gsi1", ("g1",), "ALL")
    return put_write_units(item_size(item)) + sum(
        write_units_by_index(None, item, [index], ["pk"], typed=False).values())


QUESTIONS = (
    LessonQuestion(
        "new-item-all-gsi",
        N_("A new 2,500 B item goes into a table with one ALL-projection GSI. How many WCU in all?"),
        answer=_new_item_with_one_all_gsi,
        hint=N_("The table's 1 KB blocks, plus the index entry's (ALL: the whole item)."),
        explanation=N_("3 + 3 = 6.")),
    LessonQuestion(
        "moved-index-entry",
        N_("With a KEYS_ONLY GSI on status, how many index WCU does changing status from open to closed cost?"),
        answer=lambda: index_write_units({"pk": "a", "status": "open"}, {"pk": "a", "status": "closed"},
                                         _BY_STATUS, ["pk"], typed=False),
        hint=N_("The entry moves."),
        explanation=N_("A delete of the old entry and a put of the new one: 1 + 1.")),
    LessonQuestion(
        "filtered-query-units",
        N_("A filtered Query reads 200 items of 2,000 B and returns 10. How many RCU (eventually consistent)?"),
        answer=lambda: query_read_units_for(200, 2000, "eventual"),
        hint=N_("Charged on what it read: 400,000 B in 4 KB blocks, half a unit each."),
        explanation=N_("98 × 0.5 = 49.")),
    LessonQuestion(
        "keys-only-fetches",
        N_("A KEYS_ONLY GSI returns the keys of 10 open orders of 2,000 B. How many RCU do the GetItems that fetch "
           "them cost (eventually consistent)?"),
        answer=lambda: 10 * read_units(2000, "eventual"),
        hint=N_("A GSI cannot fetch from the table: one GetItem per key, each 2,000 B rounded up to 4 KB, half a "
                "unit."),
        explanation=N_("10 × 0.5 = 5 RCU, on top of the index's Query.")),
)
