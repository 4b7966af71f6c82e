"""Lesson 2's self-check (notebooks/02_capacity_modes_autoscaling.ipynb): target tracking, its alarms, the
break-even utilisation and the daily limit on decreases."""

from __future__ import annotations

from dynalab.i18n import N_
from dynalab.lessons.self_checks.question import LessonQuestion
from dynalab.models.autoscaling import DecreaseQuota, TargetTrackingPolicy
from dynalab.models.pricing import break_even_utilization

MINUTES_PER_DAY = 24 * 60
_POLICY = TargetTrackingPolicy(70)


def _decreases_in_a_day() -> int:
    quota = DecreaseQuota()
    return sum(quota.try_decrease(minute) for minute in range(MINUTES_PER_DAY))


QUESTIONS = (
    LessonQuestion(
        "settled-capacity",
        N_("Demand settles at 400 write units/s with a 70 % target. What capacity does auto scaling settle at?"),
        answer=lambda: _POLICY.desired_capacity(400),
        hint=N_("Consumed ÷ target, rounded up."),
        explanation=N_("400 / 0.7 = 571.4, rounded up.")),
    LessonQuestion(
        "scale-out-datapoints",
        N_("How many consecutive one-minute datapoints above the target trigger a scale-out?"),
        answer=lambda: _POLICY.scale_out_datapoints,
        hint=N_("More than one: a single spike is not enough.")),
    LessonQuestion(
        "scale-in-threshold",
        N_("With a 70 % target, under what utilisation (%) must consumed capacity stay before a scale-in?"),
        answer=lambda: _POLICY.lower_threshold,
        hint=N_("About 20 points under the target.")),
    LessonQuestion(
        "break-even-utilization",
        N_("At the 2026-12 prices, above what average utilisation (%, one decimal) is provisioned cheaper?"),
        answer=lambda: round(break_even_utilization(), 1),
        hint=N_("Price of a WCU-hour ÷ (3,600 WRU).")),
    LessonQuestion(
        "decreases-per-day",
        N_("How many capacity decreases does DynamoDB allow a table in one UTC day at most?"),
        answer=_decreases_in_a_day,
        hint=N_("4 at the start of the UTC day, then 1 more each hour.")),
)
