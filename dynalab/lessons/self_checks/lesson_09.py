"""Lesson 9's self-check (notebooks/09_global_tables.ipynb): replicated write units, the witness, MRSC's Regions and
the bill explorer's first setup."""

from __future__ import annotations

from dynalab.i18n import N_
from dynalab.lessons.self_checks.question import LessonQuestion
from dynalab.models.capacity import write_units
from dynalab.models.global_tables import global_table_bill, replicated_write_units
from dynalab.models.quotas import HOURS_PER_MONTH, MRSC_REGION_COUNT, SECONDS_PER_HOUR

SECONDS_PER_MONTH = HOURS_PER_MONTH * SECONDS_PER_HOUR


def _three_region_units() -> float:
    return sum(replicated_write_units(write_units(3000), ["us-east-1", "us-west-2", "eu-west-1"]).values())


def _explorer_first_setup_dollars() -> float:
    """The bill explorer's first setup as lesson 9 opens it: MREC in 3 Regions, 100 writes of 1 KB and 500 reads a
    second, 50 GB (``dynalab.widgets.global_tables.monthly_bills("MREC, 3 Regions", 100)``; a test keeps the two
    equal)."""
    bill = global_table_bill(writes_per_month=100 * SECONDS_PER_MONTH, reads_per_month=500 * SECONDS_PER_MONTH,
                             storage_gb=50, item_size_bytes=1024, replica_tables=3)
    return round(bill.total_dollars, 2)


QUESTIONS = (
    LessonQuestion(
        "replicated-write-units",
        N_("A write of a 3,000-byte item to a global table with replicas in us-east-1, us-west-2 and eu-west-1: how "
           "many replicated write units does it charge, all Regions together?"),
        answer=_three_region_units,
        hint=N_("3,000 B is 3 write units; each replica's Region is charged them."),
        explanation=N_("3 rWRU in each of 3 Regions.")),
    LessonQuestion(
        "witness-billing",
        N_("An MRSC global table with two replicas and a witness: in how many Regions is a write billed?"),
        answer=lambda: global_table_bill(writes_per_month=1, replica_tables=2, witness=True).write_request_units,
        hint=N_("A witness holds the changes but costs no replicated write units."),
        explanation=N_("The two replicas' Regions; the witness costs nothing.")),
    LessonQuestion(
        "mrsc-regions",
        N_("In how many Regions must an MRSC global table be deployed?"),
        answer=lambda: MRSC_REGION_COUNT,
        hint=N_("Three replicas, or two replicas and a witness."),
        explanation=N_("Exactly three, all in one Region set.")),
    LessonQuestion(
        "explorer-first-setup",
        N_("The bill explorer's first setup (MREC, 3 Regions, 100 writes a second): dollars a month?"),
        answer=_explorer_first_setup_dollars, tolerance=0.01,
        hint=N_("Three times the writes and the storage, the reads once, plus data transfer."),
        explanation=N_("The first line of the explorer's readout.")),
)
