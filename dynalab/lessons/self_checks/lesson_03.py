"""Lesson 3's self-check (notebooks/03_partitions.ipynb): the 2017 partition formula, the capacity paradox, today's
per-item ceiling and key cardinality."""

from __future__ import annotations

from dynalab.i18n import N_, tr
from dynalab.lessons.self_checks.question import LessonQuestion
from dynalab.models.partitions import partition_count, split_history
from dynalab.models.quotas import PARTITION_MAX_WRITE_UNITS_PER_SECOND

#: the lesson's load test: created, provisioned for the test, scaled back down (RCU, WCU, GB)
LOAD_TEST = [("created", 5_000, 500, 8), ("load test", 30_000, 14_000, 8), ("scaled back down", 5_000, 500, 8)]


def _share_after_the_load_test() -> float:
    return round(split_history(LOAD_TEST)[-1].read_capacity_units_per_partition, 1)


QUESTIONS = (
    LessonQuestion(
        "partition-count-2017",
        N_("A new table has RCU 6,000, WCU 1,500 and 25 GB. How many partitions (2017 model, sum then round)?"),
        answer=lambda: partition_count(6_000, 1_500, 25),
        hint=N_("Throughput: 6,000/3,000 + 1,500/1,000, rounded up. Size: 25/10, rounded up. Take the larger."),
        explanation=N_("ceil(2 + 1.5) = 4 beats ceil(2.5) = 3.")),
    LessonQuestion(
        "share-after-load-test",
        N_("2017 model: the table is back at 5,000 RCU after the load test. How many RCU does each partition get?"),
        answer=_share_after_the_load_test, tolerance=0.5,
        hint=N_("In the 2017 model partitions never merge: divide 5,000 by the partitions the load test left."),
        explanation=N_("2017 model: 5,000 RCU split evenly over all the partitions the load test made.")),
    LessonQuestion(
        "item-write-ceiling",
        N_("Today, at most how many write units per second can a single item (one full primary key) get?"),
        answer=lambda: PARTITION_MAX_WRITE_UNITS_PER_SECOND,
        hint=N_("Each partition is designed for 3,000 read and ... write units per second."),
        explanation=N_("Split for heat gives a hot item a partition of its own, never more; a partition-key value "
                       "whose items cannot be split (no sort key, an LSI, a sort key that only grows) gets the "
                       "same.")),
    LessonQuestion(
        "best-spread-key",
        N_("Which partition key spreads load best: status code, creation date or user ID?"),
        answer=lambda: tr("user ID"),
        hint=N_("Look for the most distinct values, each asked about equally often.")),
)
