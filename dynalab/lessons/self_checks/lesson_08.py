"""Lesson 8's self-check (notebooks/08_plan_a_table.ipynb): the example design's bill, a Query's units and the
break-even utilisation."""

from __future__ import annotations

from dynalab.i18n import N_
from dynalab.lessons.planner import plan_table
from dynalab.lessons.self_checks.question import LessonQuestion

EXAMPLE_DESIGN = "orders"

QUESTIONS = (
    LessonQuestion(
        "provisioned-month",
        N_("What does the example design cost a month in provisioned mode, capacity held at the planned units ($)?"),
        answer=lambda: round(plan_table(EXAMPLE_DESIGN).monthly_cost("provisioned"), 2), tolerance=0.01,
        hint=N_("(175 RCU x $0.00013 + 80 WCU x $0.00065) x 730 hours."),
        explanation=N_("$16.61 of reads + $37.96 of writes.")),
    LessonQuestion(
        "list-orders-units",
        N_("How many RCU does one 'list orders' Query cost (20 items of 500 B, eventually consistent)?"),
        answer=lambda: plan_table(EXAMPLE_DESIGN).patterns[1].read_units_per_request,
        hint=N_("Sum the items, round up to 4 KB once, then halve for eventual consistency."),
        explanation=N_("10,000 B is 3 blocks of 4 KB; x 0.5 = 1.5 RCU.")),
    LessonQuestion(
        "plan-break-even",
        N_("Above what average use of the planned rates (%) is provisioned cheaper than on-demand?"),
        answer=lambda: round(plan_table(EXAMPLE_DESIGN).break_even_utilization(), 1), tolerance=0.5,
        hint=N_("Divide the provisioned bill by the on-demand bill."),
        explanation=N_("$54.57 / $188.89 = 28.9 %: a capacity-hour costs what 28.9 % of its 3,600 request units "
                       "do.")),
)
