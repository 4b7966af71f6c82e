"""DynamoDB auto scaling (Application Auto Scaling target tracking) as a pure, minute-by-minute simulator.

Input: a **demand** series, the capacity units per second the application asks for, one value per minute.
Output (``AutoscalingResult``): per minute the provisioned capacity, the units served and throttled, the burst
bucket's balance, the utilisation CloudWatch sees, and every scaling event with its reason.

The rules ([src:auto-scaling-target-20-90], [src:auto-scaling-datapoints], [src:capacity-decreases-per-day],
[src:on-demand-double-previous-peak]; the lesson's second source article) are each a named parameter of
``TargetTrackingPolicy`` (``simulate_autoscaling(demand, policy)`` runs one; burst capacity and retries are the
simulator's own), so a lesson can switch one off and show what it does:

* (the console turns auto scaling on by default [src:auto-scaling-console-default]; the simulator starts from a
  policy you give it)
* the **upper alarm** fires after ``scale_out_datapoints`` (2) consecutive one-minute datapoints of *consumed*
  capacity above the target utilisation (AutoScaling.html, metrics-dimensions.html);
* the **lower alarm** fires after ``scale_in_datapoints`` (15) consecutive datapoints more than
  ``scale_in_margin_points`` (20) points under the target (repost.aws knowledge-center/dynamodb-auto-scaling);
* target tracking then asks for ``ceil(consumed / target)`` units, within ``min_capacity`` .. ``max_capacity``;
* **scaling takes time** (metrics-dimensions.html, read 2026-12): "CloudWatch alarms might have a short delay of
  up to a few minutes before triggering auto scaling", then UpdateTable "takes several minutes to update the
  provisioned capacity ... any requests that exceed the previous provisioned capacity ... are throttled". AWS gives
  no number, so the defaults are dynalab's reading of those words: ``alarm_delay_minutes=2`` ("up to a few") and
  ``update_delay_minutes=3`` (the least "several"): new capacity 5 minutes after the alarm's last datapoint.
  Both 0 is the ideal of an instant UpdateTable, a switch for comparison only;
* **decreases**: ``DecreaseQuota``, today's token bucket (ServiceQuotas.html, read 2026-12): a UTC day starts with
  4 available, 1 more becomes available each hour, at most 4 at any time, so 27 in a full day. A refused decrease
  is an event too;
* **burst capacity**: up to ``burst_seconds`` (300) of unused capacity is banked and spent when demand exceeds
  the provisioned rate (burst-adaptive-capacity.html): the shared ``TokenBucket``, stepped a minute at a time;
* throttled demand is lost, or retried the next minute (``retry_throttled``).

Why scale-out may take several steps: CloudWatch's ConsumedCapacity counts what was *served*, never what was
throttled (as on DynamoDB). With the burst bucket empty, a table provisioned at 143 units facing 400 units/s
consumes 143 at most, so target tracking at 70 % asks for 143 / 0.7 = 205, then 293, 419 and only then 572.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dynalab.i18n import N_, tr
from dynalab.models import checks
from dynalab.models.quotas import (
    DECREASES_ADDED_PER_HOUR,
    DECREASES_AVAILABLE_AT_DAY_START,
    DECREASES_MAX_AVAILABLE,
    DEFAULT_TABLE_MAX_CAPACITY_UNITS,
    MODEL_MAX_CAPACITY_UNITS,
    SCALE_IN_DATAPOINTS,
    SCALE_OUT_DATAPOINTS,
)
from dynalab.models.token_bucket import TokenBucket

__all__ = [
    "ALARM_DELAY_MINUTES",
    "UPDATE_DELAY_MINUTES",
    "AutoscalingResult",
    "DecreaseQuota",
    "MAX_SIMULATED_MINUTES",
    "ScalingEvent",
    "check_minutes",
    "TargetTrackingPolicy",
    "simulate_autoscaling",
    "simulate_on_demand",
    "validate_demand",
    "validate_target_utilization",
]

#: Application Auto Scaling accepts a DynamoDB target utilisation from 20 % to 90 % (AutoScaling.html).
from dynalab.models.quotas import TARGET_UTILIZATION_RANGE  # noqa: E402  (re-exported)

#: Default per-table maximum (Limits.html): 40,000 RCU/WCU.
DEFAULT_MAX_CAPACITY = DEFAULT_TABLE_MAX_CAPACITY_UNITS
MINUTES_PER_DAY = 1440
#: dynalab's bound on a simulated series (not an AWS limit): 31 days of minutes. The simulator steps minute by
#: minute in Python; a month with a scaling event every minute took 0.5 s of CPU (a year took 11 s and 300 MB).
#: The lessons' workloads are a week at most (10,080 minutes).
MAX_SIMULATED_MINUTES = 31 * MINUTES_PER_DAY
#: "CloudWatch alarms might have a short delay of up to a few minutes before triggering auto scaling"
#: (metrics-dimensions.html, read 2026-12): dynalab reads "up to a few" as 2 minutes.
ALARM_DELAY_MINUTES = 2
#: UpdateTable "then takes several minutes to update the provisioned capacity" (metrics-dimensions.html, read
#: 2026-12): dynalab reads "several" as 3 minutes, the least it can mean.
UPDATE_DELAY_MINUTES = 3


def validate_target_utilization(target_utilization: float) -> float:
    """The target in percent, or a ValueError naming the allowed range (20–90 %)."""
    low, high = TARGET_UTILIZATION_RANGE
    try:  # numpy numbers too (a value computed with numpy is fine)
        return float(checks.number("target_utilization", target_utilization, low=low, high=high))
    except ValueError as error:
        raise type(error)(tr("target_utilization must be a percentage from {low:g} to {high:g} (DynamoDB auto "
                             "scaling's range), got {target_utilization!r}",
                             low=low, high=high, target_utilization=target_utilization)) from None


def check_minutes(name: str, series: Any) -> None:
    """A minute-by-minute series is at most ``MAX_SIMULATED_MINUTES`` long (checked before it is copied)."""
    if hasattr(series, "__len__"):
        checks.number(f"len({name})", len(series), high=MAX_SIMULATED_MINUTES, integer=True,
                      unit=N_("minutes; dynalab's simulation limit"))


def validate_demand(demand: Sequence[float] | np.ndarray) -> np.ndarray:
    """The demand as a float array, or a ValueError for an empty series or a negative or non-finite value."""
    if isinstance(demand, str | bytes | Mapping) or demand is None:
        raise checks.ParameterTypeError(tr("demand must be a series of numbers (units per second, one per minute), "
                                           "got {type} {demand!r:.60}", type=type(demand).__name__, demand=demand))
    check_minutes("demand", demand)
    try:
        values = np.asarray(demand, dtype=float)
    except (TypeError, ValueError):
        raise checks.ParameterTypeError(tr("demand must be a series of numbers (units per second, one per minute), "
                                           "got {demand!r:.60}", demand=demand)) from None
    if values.ndim != 1 or values.size == 0:
        raise ValueError(tr("demand must be a non-empty one-dimensional series (units per second, one per minute)"))
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0) | (values > MODEL_MAX_CAPACITY_UNITS))
    if bad.size:
        raise ValueError(
            tr("demand must be >= 0 (finite, at most {high:,}) units per second at every minute; "
               "minute {bad} is {values!r}",
               high=MODEL_MAX_CAPACITY_UNITS, bad=int(bad[0]), values=values[bad[0]])
        )
    return values


def _positive_number(value: Any) -> bool:
    return (not isinstance(value, bool) and isinstance(value, int | float | np.integer) and math.isfinite(value)
            and value > 0)


def _check_int(name: str, value: Any, low: int, high: float | None = None) -> int:
    return checks.number(name, value, low=low, high=high, integer=True)


class DecreaseQuota:
    """Today's quota on decreases of provisioned capacity, a token bucket (ServiceQuotas.html, read 2026-12).

    "You start each day with 4 available decreases. Each hour, 1 additional decrease becomes available, up to the
    maximum of 4 available at any time": 27 in a full UTC day (4 + 23). **A table and each of its GSIs have a quota
    of their own**: use one ``DecreaseQuota`` for each. Minutes count from 00:00 UTC of day 0; calls must not go
    back in time. ``try_decrease(minute)`` uses one decrease if one is available (True) or refuses (False);
    ``available(minute)`` says how many are available then.

    A model: AWS does not say whether "each hour" means clock hours; here the refill is continuous (the bucket
    counts decrease-minutes, 60 to a decrease, so the arithmetic is exact), so a decrease becomes available 60
    minutes of refill after the bucket was last full. With the first 4 used at 00:00 both readings give 27 a day.
    """

    def __init__(self, at_day_start: int = DECREASES_AVAILABLE_AT_DAY_START,
                 max_available: int = DECREASES_MAX_AVAILABLE, per_hour: int = DECREASES_ADDED_PER_HOUR) -> None:
        self.max_available = _check_int("max_available", max_available, 0)
        self.at_day_start = checks.number("at_day_start", at_day_start, low=0, high=self.max_available,
                                          integer=True, unit=N_("up to max_available"))
        self.per_hour = _check_int("per_hour", per_hour, 0, 60)
        # tokens are decrease-minutes: rate per_hour tokens a minute = per_hour decreases an hour
        self._bucket = TokenBucket(rate=self.per_hour, capacity=60 * self.max_available,
                                   balance=60 * self.at_day_start)
        self._minute = 0

    def _advance(self, minute: int) -> None:
        minute = _check_int("minute", minute, self._minute)  # time never goes back
        day = minute // MINUTES_PER_DAY
        if day > self._minute // MINUTES_PER_DAY:  # a new UTC day starts afresh
            self._bucket.balance = 60.0 * self.at_day_start
            self._bucket.refill(minute - day * MINUTES_PER_DAY)
        else:
            self._bucket.refill(minute - self._minute)
        self._minute = minute

    def available(self, minute: int) -> int:
        """Decreases available at ``minute`` (from 00:00 UTC of day 0)."""
        self._advance(minute)
        return int(self._bucket.balance // 60)

    def try_decrease(self, minute: int) -> bool:
        """Use one decrease at ``minute`` if one is available; False (nothing used) if none is."""
        self._advance(minute)
        return self._bucket.try_take(60.0)

    def next_available_minute(self, minute: int) -> int:
        """The first minute >= ``minute`` at which a decrease is available (a new UTC day, or the hourly refill)."""
        if self.available(minute) >= 1:
            return minute
        next_day = (minute // MINUTES_PER_DAY + 1) * MINUTES_PER_DAY
        refill = (minute + math.ceil((60.0 - self._bucket.balance) / self.per_hour)) if self.per_hour else math.inf
        day = next_day if self.at_day_start else math.inf
        ready = min(refill, day)
        return int(ready) if ready < math.inf else next_day

    def __repr__(self) -> str:
        return (f"DecreaseQuota(at_day_start={self.at_day_start}, max_available={self.max_available}, "
                f"per_hour={self.per_hour}; minute {self._minute}: {self._bucket.balance / 60:g} available)")


#: ScalingEvent.kind -> its label (the same words in English; the term sheet's in Japanese)
KIND_LABELS = {"scale-out": N_("scale-out"), "scale-in": N_("scale-in"), "refused": N_("refused")}


@dataclass(frozen=True)
class ScalingEvent:
    """One decision of the scaling policy.

    ``kind`` is "scale-out", "scale-in" or "refused" (a decrease the daily quota did not allow). ``minute`` is
    the minute whose datapoint completed the alarm; the new capacity is in effect from ``effective_minute``
    (after the alarm's delay and UpdateTable's).
    ``datapoints`` are the minutes of the consecutive datapoints that fired the alarm.
    """

    minute: int
    kind: str
    alarm: str
    from_capacity: int
    to_capacity: int
    effective_minute: int
    datapoints: tuple[int, int]
    reason: str

    @property
    def kind_label(self) -> str:
        """``kind`` as a readout shows it, in the current language ("scale-in" -> 「スケールイン」)."""
        return tr(KIND_LABELS[self.kind]) if self.kind in KIND_LABELS else self.kind


class TargetTrackingPolicy:
    """The alarms and limits of target tracking, one datapoint at a time (the simulator and the live demo share it).

    ``observe(minute, consumed_per_second, provisioned)`` returns a ``ScalingEvent`` when the policy acts (or
    refuses to), else None. The caller applies ``to_capacity`` at ``effective_minute``; until then (an UpdateTable
    in progress) the policy makes no new decision.
    """

    def __init__(
        self,
        target_utilization: float = 70.0,
        *,
        min_capacity: int = 1,
        max_capacity: int = DEFAULT_MAX_CAPACITY,
        alarm_delay_minutes: int = ALARM_DELAY_MINUTES,
        update_delay_minutes: int = UPDATE_DELAY_MINUTES,
        scale_out_datapoints: int = SCALE_OUT_DATAPOINTS,
        scale_in_datapoints: int = SCALE_IN_DATAPOINTS,
        scale_in_margin_points: float = 20.0,
        scale_in_enabled: bool = True,
        decrease_limits: bool = True,
        decreases_at_day_start: int = DECREASES_AVAILABLE_AT_DAY_START,
        decreases_max_available: int = DECREASES_MAX_AVAILABLE,
        decreases_per_hour: int = DECREASES_ADDED_PER_HOUR,
        start_minute_of_day: int = 0,
    ) -> None:
        self.target = validate_target_utilization(target_utilization)
        self.min_capacity = _check_int("min_capacity", min_capacity, 1, MODEL_MAX_CAPACITY_UNITS)
        self.max_capacity = _check_int("max_capacity", max_capacity, 1, MODEL_MAX_CAPACITY_UNITS)
        if self.min_capacity > self.max_capacity:
            raise ValueError(
                tr("min_capacity ({min_capacity}) must not exceed max_capacity ({max_capacity})",
                   min_capacity=min_capacity, max_capacity=max_capacity)
            )
        self.alarm_delay_minutes = _check_int("alarm_delay_minutes", alarm_delay_minutes, 0, 60)
        self.update_delay_minutes = _check_int("update_delay_minutes", update_delay_minutes, 0, 60)
        self.scale_out_datapoints = _check_int("scale_out_datapoints", scale_out_datapoints, 1)
        self.scale_in_datapoints = _check_int("scale_in_datapoints", scale_in_datapoints, 1)
        margin = checks.number("scale_in_margin_points", scale_in_margin_points, low=0, high=self.target,
                               unit=N_("percentage points, up to the target"))
        self.scale_in_margin_points = float(margin)
        self.lower_threshold = self.target - self.scale_in_margin_points
        self.scale_in_enabled = checks.flag("scale_in_enabled", scale_in_enabled)
        self.decrease_limits = checks.flag("decrease_limits", decrease_limits)
        decreases_max_available = _check_int("decreases_max_available", decreases_max_available, 0, 1000)
        decreases_at_day_start = checks.number("decreases_at_day_start", decreases_at_day_start, low=0,
                                               high=decreases_max_available, integer=True,
                                               unit=N_("up to decreases_max_available"))
        decreases_per_hour = _check_int("decreases_per_hour", decreases_per_hour, 0, 60)
        self.decrease_quota = DecreaseQuota(decreases_at_day_start, decreases_max_available, decreases_per_hour)
        self.start_minute_of_day = _check_int("start_minute_of_day", start_minute_of_day, 0, MINUTES_PER_DAY - 1)
        self._above = 0
        self._below = 0
        self._busy_until = -1  # an UpdateTable in progress: no decision before this minute
        self._refused_in_streak = False
        self._target_fraction = self.target / 100.0

    def settings(self) -> dict[str, Any]:
        """The policy's settings, as its constructor takes them."""
        quota = self.decrease_quota
        return {"target_utilization": self.target, "min_capacity": self.min_capacity,
                "max_capacity": self.max_capacity, "alarm_delay_minutes": self.alarm_delay_minutes,
                "update_delay_minutes": self.update_delay_minutes, "scale_out_datapoints": self.scale_out_datapoints,
                "scale_in_datapoints": self.scale_in_datapoints, "scale_in_margin_points": self.scale_in_margin_points,
                "scale_in_enabled": self.scale_in_enabled, "decrease_limits": self.decrease_limits,
                "decreases_at_day_start": quota.at_day_start, "decreases_max_available": quota.max_available,
                "decreases_per_hour": quota.per_hour, "start_minute_of_day": self.start_minute_of_day}

    def fresh(self) -> TargetTrackingPolicy:
        """The same policy before any datapoint: no streak counted, no decrease used."""
        return TargetTrackingPolicy(**self.settings())

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.settings().items())
        return f"TargetTrackingPolicy({shown})"

    @property
    def max_decreases_per_day(self) -> int:
        """Decreases a full UTC day allows: those at the day's start, then the hourly refill (27 by default)."""
        quota = self.decrease_quota
        return quota.at_day_start + 23 * quota.per_hour if quota.max_available else 0

    def _decrease_allowed(self, minute: int) -> tuple[bool, str]:
        if not self.decrease_limits:
            return True, ""
        clock = minute + self.start_minute_of_day
        if self.decrease_quota.available(clock) >= 1:
            return True, ""
        ready = self.decrease_quota.next_available_minute(clock)
        return False, (tr("no decrease available (the quota: {at_day_start} at the start of a UTC day, {per_hour} "
                          "more each hour, at most {max_available} at a time); the next one at minute {minute}",
                          at_day_start=self.decrease_quota.at_day_start, per_hour=self.decrease_quota.per_hour,
                          max_available=self.decrease_quota.max_available, minute=ready - self.start_minute_of_day))

    def desired_capacity(self, consumed_per_second: float) -> int:
        """What target tracking asks for: the capacity at which the consumed units sit at the target."""
        consumed = checks.number("consumed_per_second", consumed_per_second, low=0, high=MODEL_MAX_CAPACITY_UNITS,
                                 unit=N_("units per second"))
        wanted = math.ceil(consumed / self._target_fraction - 1e-9)
        return min(self.max_capacity, max(self.min_capacity, wanted))

    def observe(self, minute: int, consumed_per_second: float, provisioned: float) -> ScalingEvent | None:
        """Count one datapoint into the alarms' streaks; act (or refuse) when an alarm fires."""
        checks.number("minute", minute, low=0, integer=True)
        checks.number("consumed_per_second", consumed_per_second, low=0, high=MODEL_MAX_CAPACITY_UNITS,
                      unit=N_("units per second"))
        checks.number("provisioned", provisioned, low=0, high=MODEL_MAX_CAPACITY_UNITS, low_open=True,
                      unit=N_("capacity units"))
        if minute < self._busy_until:
            return None
        utilization = 100.0 * consumed_per_second / provisioned if provisioned > 0 else math.inf
        self._above = self._above + 1 if utilization > self.target else 0
        self._below = self._below + 1 if utilization < self.lower_threshold else 0
        if self._above >= self.scale_out_datapoints or self._below >= self.scale_in_datapoints:
            return self.decide(minute, consumed_per_second, provisioned, self._above, self._below)
        return None

    def decide(self, minute: int, consumed_per_second: float, provisioned: float, above: int,
               below: int) -> ScalingEvent | None:
        """An alarm has ``above`` / ``below`` consecutive datapoints: scale, refuse, or do nothing.

        (``observe`` counts the streaks; the simulator counts them inline for speed and calls this.)
        """
        current = int(provisioned)
        if above >= self.scale_out_datapoints:
            wanted = self.desired_capacity(consumed_per_second)
            if wanted > current:
                return self._act(minute, "scale-out", "upper", current, wanted, above,
                                 tr("consumed above {target:g} % of provisioned for {above} consecutive minutes "
                                    "(scale_out_datapoints={scale_out_datapoints})",
                                    target=self.target, above=above, scale_out_datapoints=self.scale_out_datapoints))
        if self.scale_in_enabled and below >= self.scale_in_datapoints:
            if below == self.scale_in_datapoints:
                self._refused_in_streak = False  # a new streak of low datapoints
            wanted = self.desired_capacity(consumed_per_second)
            if wanted < current:
                allowed, why = self._decrease_allowed(minute)
                if not allowed:
                    if self._refused_in_streak:
                        return None
                    self._refused_in_streak = True
                    return ScalingEvent(minute, "refused", "lower", current, current, minute,
                                        (minute - below + 1, minute), tr("decrease refused: {why}", why=why))
                if self.decrease_limits:
                    self.decrease_quota.try_decrease(minute + self.start_minute_of_day)
                return self._act(minute, "scale-in", "lower", current, wanted, below,
                                 tr("consumed under {lower_threshold:g} % of provisioned for {below} consecutive "
                                    "minutes (scale_in_datapoints={scale_in_datapoints})",
                                    lower_threshold=self.lower_threshold, below=below,
                                    scale_in_datapoints=self.scale_in_datapoints))
        return None

    def _act(self, minute: int, kind: str, alarm: str, current: int, wanted: int, streak: int,
             reason: str) -> ScalingEvent:
        # the alarm's datapoint closes at the end of ``minute``; then the alarm's delay, then UpdateTable's
        effective = minute + 1 + self.alarm_delay_minutes + self.update_delay_minutes
        self._above = self._below = 0
        self._refused_in_streak = False
        self._busy_until = effective  # the alarms restart from the new capacity
        return ScalingEvent(minute, kind, alarm, current, wanted, effective, (minute - streak + 1, minute), reason)


@dataclass
class AutoscalingResult:
    """Per-minute arrays (units per second, averaged over the minute) and the scaling events."""

    demand: np.ndarray
    provisioned: np.ndarray
    served: np.ndarray
    throttled: np.ndarray
    burst_balance: np.ndarray  # units banked at the end of each minute
    utilization: np.ndarray  # consumed / provisioned, percent: what CloudWatch's alarms see
    events: list[ScalingEvent]
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def minutes(self) -> np.ndarray:
        return np.arange(self.demand.size)

    @property
    def throttled_units(self) -> float:
        """Units of demand throttled over the whole series (lost, or retried later)."""
        return float(self.throttled.sum() * 60)

    @property
    def served_units(self) -> float:
        return float(self.served.sum() * 60)

    def events_of(self, kind: str) -> list[ScalingEvent]:
        return [e for e in self.events if e.kind == kind]

    def first_throttled_minute(self) -> int | None:
        throttled = np.flatnonzero(self.throttled > 1e-9)
        return int(throttled[0]) if throttled.size else None

    def first_minute_without_throttling(self, after: int = 0) -> int | None:
        """The first minute >= ``after`` from which nothing is throttled any more, or None."""
        throttled = np.flatnonzero(self.throttled[after:] > 1e-9)
        if throttled.size == 0:
            return after
        last = after + int(throttled[-1]) + 1
        return last if last < self.demand.size else None


def _policy(policy: Any) -> TargetTrackingPolicy:
    """A fresh copy of the policy given, or a policy with every default for a target utilisation given alone."""
    if isinstance(policy, TargetTrackingPolicy):
        return policy.fresh()  # the caller's policy keeps its own state
    if isinstance(policy, bool) or not isinstance(policy, int | float | np.integer | np.floating):
        low, high = TARGET_UTILIZATION_RANGE
        raise checks.ParameterTypeError(tr("policy must be a TargetTrackingPolicy or a target_utilization in percent, "
                                           "{low:g} to {high:g}; got {policy!r:.60}", low=low, high=high,
                                           policy=policy))
    try:
        return TargetTrackingPolicy(policy)
    except ValueError as error:
        raise ValueError(tr("policy (a target utilization): {error}", error=error)) from None


def simulate_autoscaling(
    demand: Sequence[float] | np.ndarray,
    policy: TargetTrackingPolicy | float = 70.0,
    *,
    initial_capacity: int | None = None,
    burst_seconds: float = 300.0,
    initial_burst_seconds: float | None = None,
    retry_throttled: bool = False,
    autoscaling: bool = True,
) -> AutoscalingResult:
    """Simulate a provisioned table under target-tracking auto scaling, one minute at a time.

    ``demand``: requested units per second, one value per minute. ``policy``: the ``TargetTrackingPolicy`` (its
    target, alarms, capacity limits, delays and decrease quota; the caller's copy is not changed), or a target
    utilisation in percent (20–90) for a policy with every default: ``alarm_delay_minutes`` (2) and
    ``update_delay_minutes`` (3) are the time from the alarm's last datapoint to the new capacity
    (metrics-dimensions.html: "up to a few minutes", then "several minutes"); set both to 0 only to compare with an
    ideal that AWS does not offer. ``initial_capacity`` defaults to what the target asks for at the first minute's
    demand. ``burst_seconds=0`` turns burst capacity off; ``initial_burst_seconds`` is what the bucket holds at the
    start (default: full). ``retry_throttled=True`` adds the throttled units to the next minute's demand (clients
    retry) instead of losing them. ``autoscaling=False`` keeps the capacity fixed (plain provisioned mode).
    """
    values = validate_demand(demand)
    policy = _policy(policy)
    if initial_capacity is None:
        initial_capacity = policy.desired_capacity(float(values[0]))
    capacity = _check_int("initial_capacity", initial_capacity, 1, MODEL_MAX_CAPACITY_UNITS)
    burst_seconds = checks.number("burst_seconds", burst_seconds, low=0, high=3600)
    if initial_burst_seconds is None:
        initial_burst_seconds = burst_seconds
    initial_burst_seconds = checks.number("initial_burst_seconds", initial_burst_seconds, low=0, high=burst_seconds,
                                          unit=N_("up to burst_seconds"))
    retry_throttled = checks.flag("retry_throttled", retry_throttled)
    autoscaling = checks.flag("autoscaling", autoscaling)

    n = values.size
    # The loop works in units per minute on plain floats (numpy scalars are slower one at a time); arrays after.
    asked_per_minute = (values * 60.0).tolist()
    provisioned = [0.0] * n
    served_units = [0.0] * n
    lost_units = [0.0] * n
    balance_out = [0.0] * n
    events: list[ScalingEvent] = []
    pending: list[tuple[int, int]] = []  # (effective minute, capacity)
    # Burst capacity: the shared token bucket, in units; it fills at the provisioned rate, holds burst_seconds.
    bank = TokenBucket(rate=capacity * 60.0, capacity=capacity * float(burst_seconds),
                       balance=capacity * float(initial_burst_seconds))
    take_over = bank.take_over
    backlog = 0.0
    # The alarms' streaks are counted inline (the policy's ``observe`` does the same, slower): 30 days in < 50 ms.
    decide = policy.decide
    target, lower = policy.target / 100.0, policy.lower_threshold / 100.0
    n_out, n_in = policy.scale_out_datapoints, policy.scale_in_datapoints
    above = below = 0
    busy_until = -1
    next_change = n
    upper_units, lower_units = capacity * 60.0 * target, capacity * 60.0 * lower
    for minute in range(n):
        if minute == next_change:
            capacity = pending.pop(0)[1]
            bank.resize(capacity * 60.0, capacity * float(burst_seconds))
            upper_units, lower_units = capacity * 60.0 * target, capacity * 60.0 * lower
            next_change = pending[0][0] if pending else n
        asked = asked_per_minute[minute] + backlog
        done = take_over(asked, 1.0)  # this minute's refill and the banked units serve the minute's demand
        backlog = 0.0
        if done < asked:
            lost_units[minute] = asked - done
            if retry_throttled:
                backlog = asked - done
        provisioned[minute] = capacity
        served_units[minute] = done
        balance_out[minute] = bank.balance
        if autoscaling and minute >= busy_until:
            above = above + 1 if done > upper_units else 0
            below = below + 1 if done < lower_units else 0
            if above >= n_out or below >= n_in:
                event = decide(minute, done / 60.0, capacity, above, below)
                if event is not None:
                    events.append(event)
                    if event.kind != "refused":
                        pending.append((event.effective_minute, event.to_capacity))
                        next_change = pending[0][0]
                        above = below = 0
                        busy_until = event.effective_minute
    provisioned_array = np.array(provisioned, dtype=float)
    served = np.array(served_units) / 60.0
    utilization = 100.0 * served / provisioned_array
    parameters = {**policy.settings(), "initial_capacity": initial_capacity, "burst_seconds": burst_seconds,
                  "retry_throttled": retry_throttled, "autoscaling": autoscaling}
    return AutoscalingResult(values, provisioned_array, served, np.array(lost_units) / 60.0,
                             np.array(balance_out), utilization, events, parameters)


@dataclass
class OnDemandResult:
    """On-demand mode: what was served and throttled per minute (units per second) and the instant ceiling."""

    demand: np.ndarray
    served: np.ndarray
    throttled: np.ndarray
    ceiling: np.ndarray

    @property
    def served_units(self) -> float:
        return float(self.served.sum() * 60)

    @property
    def throttled_units(self) -> float:
        return float(self.throttled.sum() * 60)


def simulate_on_demand(
    demand: Sequence[float] | np.ndarray,
    *,
    initial_throughput: float = 4000.0,
    peak_multiple: float = 2.0,
) -> OnDemandResult:
    """On-demand mode: up to ``peak_multiple`` (2) x the previous peak is served instantly, never less than a new
    table's ``initial_throughput`` (4,000 writes/s; use 12,000 for reads) (pre-warming-on-demand-capacity-mode.html).

    Demand above that ceiling is throttled. A simplification: DynamoDB raises the ceiling over ~30 minutes, here
    the ceiling is set by the highest minute served so far.
    """
    values = validate_demand(demand)
    if not _positive_number(initial_throughput):
        raise ValueError(tr("initial_throughput must be a number of units per second > 0, got {initial_throughput!r}",
                            initial_throughput=initial_throughput))
    if not _positive_number(peak_multiple) or peak_multiple < 1:
        raise ValueError(tr("peak_multiple must be a number >= 1 (2: twice the previous peak), got {peak_multiple!r}",
                            peak_multiple=peak_multiple))
    served = np.empty_like(values)
    ceiling = np.empty_like(values)
    peak = 0.0
    for minute, asked in enumerate(values.tolist()):
        limit = max(initial_throughput, peak_multiple * peak)  # set by the peak served before this minute
        done = asked if asked < limit else limit
        ceiling[minute] = limit
        served[minute] = done
        peak = max(peak, done)
    return OnDemandResult(values, served, values - served, ceiling)
