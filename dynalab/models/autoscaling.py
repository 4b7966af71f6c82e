"""DynamoDB auto scaling (Application Auto Scaling target tracking) as a pure, minute-by-minute simulator.

Input: a **demand** series, the capacity units per second the application asks for, one value per minute.
Output (``AutoscalingResult``): per minute the provisioned capacity, the units served and throttled, the burst
bucket's balance, the utilisation CloudWatch sees, and every scaling event with its reason.

The rules (``../shared/reference/dynamodb-facts.md`` §3 and §4; the lesson's second source article) are each a
named parameter of ``simulate_autoscaling`` so a lesson can switch one off and show what it does:

* the **upper alarm** fires after ``scale_out_datapoints`` (2) consecutive one-minute datapoints of *consumed*
  capacity above the target utilisation (AutoScaling.html);
* the **lower alarm** fires after ``scale_in_datapoints`` (15) consecutive datapoints more than
  ``scale_in_margin_points`` (20) points under the target (repost.aws knowledge-center/dynamodb-auto-scaling);
* target tracking then asks for ``ceil(consumed / target)`` units, within ``min_capacity`` .. ``max_capacity``;
  the new capacity is in effect ``update_delay_minutes`` after the alarm (UpdateTable takes time);
* **decreases** per UTC day: ``free_decreases_per_day`` (4) at any time of the day; beyond those, one more only if
  there was none in the past ``decrease_interval_minutes`` (60); at most ``max_decreases_per_day`` (27): in effect
  4 in the first hour, then 1 per hour (ServiceQuotas.html [A23]). A refused decrease is an event too;
* **burst capacity**: up to ``burst_seconds`` (300) of unused capacity is banked and spent when demand exceeds
  the provisioned rate (burst-adaptive-capacity.html);
* throttled demand is lost, or retried the next minute (``retry_throttled``).

Why scale-out may take several steps: CloudWatch's ConsumedCapacity counts what was *served*, never what was
throttled (as on DynamoDB). With the burst bucket empty, a table provisioned at 143 units facing 400 units/s
consumes 143 at most, so target tracking at 70 % asks for 143 / 0.7 = 205, then 293, 419 and only then 572.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dynalab.models.quotas import DEFAULT_TABLE_MAX_CAPACITY_UNITS

__all__ = [
    "AutoscalingResult",
    "ScalingEvent",
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


def validate_target_utilization(target_utilization: float) -> float:
    """The target in percent, or a ValueError naming the allowed range (20–90 %)."""
    low, high = TARGET_UTILIZATION_RANGE
    if (isinstance(target_utilization, bool) or not isinstance(target_utilization, int | float | np.integer)
            or not math.isfinite(target_utilization) or not low <= target_utilization <= high):
        raise ValueError(
            f"target_utilization must be a percentage from {low:g} to {high:g} (DynamoDB auto scaling's range), "
            f"got {target_utilization!r}"
        )
    return float(target_utilization)  # numpy numbers too (a value computed with numpy is fine)


def validate_demand(demand: Sequence[float] | np.ndarray) -> np.ndarray:
    """The demand as a float array, or a ValueError for an empty series or a negative or non-finite value."""
    try:
        values = np.asarray(demand, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"demand must be a series of numbers (units per second, one per minute), got {demand!r}") \
            from None
    if values.ndim != 1 or values.size == 0:
        raise ValueError("demand must be a non-empty one-dimensional series (units per second, one per minute)")
    bad = np.flatnonzero(~np.isfinite(values) | (values < 0))
    if bad.size:
        raise ValueError(
            f"demand must be >= 0 units per second (finite) at every minute; minute {int(bad[0])} is {values[bad[0]]!r}"
        )
    return values


def _positive_number(value: Any) -> bool:
    return (not isinstance(value, bool) and isinstance(value, int | float | np.integer) and math.isfinite(value)
            and value > 0)


def _check_int(name: str, value: Any, low: int, high: float = math.inf) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or not low <= value <= high:
        allowed = f">= {low}" if high == math.inf else f"from {low} to {high}"
        raise ValueError(f"{name} must be an integer {allowed}, got {value!r}")
    return int(value)


@dataclass(frozen=True)
class ScalingEvent:
    """One decision of the scaling policy.

    ``kind`` is "scale-out", "scale-in" or "refused" (a decrease the daily limit did not allow). ``minute`` is
    the minute whose datapoint completed the alarm; the new capacity is in effect from ``effective_minute``.
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
        update_delay_minutes: int = 0,
        scale_out_datapoints: int = 2,
        scale_in_datapoints: int = 15,
        scale_in_margin_points: float = 20.0,
        scale_in_enabled: bool = True,
        decrease_limits: bool = True,
        free_decreases_per_day: int = 4,
        decrease_interval_minutes: int = 60,
        max_decreases_per_day: int = 27,
        start_minute_of_day: int = 0,
    ) -> None:
        self.target = validate_target_utilization(target_utilization)
        self.min_capacity = _check_int("min_capacity", min_capacity, 1)
        self.max_capacity = _check_int("max_capacity", max_capacity, 1)
        if self.min_capacity > self.max_capacity:
            raise ValueError(
                f"min_capacity ({min_capacity}) must not exceed max_capacity ({max_capacity})"
            )
        self.update_delay_minutes = _check_int("update_delay_minutes", update_delay_minutes, 0)
        self.scale_out_datapoints = _check_int("scale_out_datapoints", scale_out_datapoints, 1)
        self.scale_in_datapoints = _check_int("scale_in_datapoints", scale_in_datapoints, 1)
        if not isinstance(scale_in_margin_points, int | float) or not 0 <= scale_in_margin_points <= self.target:
            raise ValueError(
                f"scale_in_margin_points must be from 0 to the target ({self.target:g}), "
                f"got {scale_in_margin_points!r}"
            )
        self.lower_threshold = self.target - float(scale_in_margin_points)
        self.scale_in_enabled = bool(scale_in_enabled)
        self.decrease_limits = bool(decrease_limits)
        self.free_decreases_per_day = _check_int("free_decreases_per_day", free_decreases_per_day, 0)
        self.decrease_interval_minutes = _check_int("decrease_interval_minutes", decrease_interval_minutes, 0)
        self.max_decreases_per_day = _check_int("max_decreases_per_day", max_decreases_per_day, 0)
        self.start_minute_of_day = _check_int("start_minute_of_day", start_minute_of_day, 0, MINUTES_PER_DAY - 1)
        self._above = 0
        self._below = 0
        self._busy_until = -1  # an UpdateTable in progress: no decision before this minute
        self._refused_in_streak = False
        self._decreases: dict[int, int] = {}  # UTC day -> decreases made that day
        self._last_decrease: int | None = None  # minute of the day count (clock) of the last decrease
        self._target_fraction = self.target / 100.0

    def _decrease_allowed(self, minute: int) -> tuple[bool, str]:
        if not self.decrease_limits:
            return True, ""
        clock = minute + self.start_minute_of_day
        today = self._decreases.get(clock // MINUTES_PER_DAY, 0)
        if today >= self.max_decreases_per_day:
            return False, f"already {today} decreases this UTC day (max_decreases_per_day={self.max_decreases_per_day})"
        if today < self.free_decreases_per_day:
            return True, ""
        since = None if self._last_decrease is None else clock - self._last_decrease
        if since is not None and since < self.decrease_interval_minutes:
            return False, (f"{today} decreases already this UTC day (free_decreases_per_day="
                           f"{self.free_decreases_per_day}) and the last one {since} minutes ago "
                           f"(decrease_interval_minutes={self.decrease_interval_minutes})")
        return True, ""

    def desired_capacity(self, consumed_per_second: float) -> int:
        """What target tracking asks for: the capacity at which the consumed units sit at the target."""
        wanted = math.ceil(consumed_per_second / self._target_fraction - 1e-9)
        return min(self.max_capacity, max(self.min_capacity, wanted))

    def observe(self, minute: int, consumed_per_second: float, provisioned: float) -> ScalingEvent | None:
        """Count one datapoint into the alarms' streaks; act (or refuse) when an alarm fires."""
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
                                 f"consumed above {self.target:g} % of provisioned for {above} consecutive "
                                 f"minutes (scale_out_datapoints={self.scale_out_datapoints})")
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
                                        (minute - below + 1, minute), f"decrease refused: {why}")
                clock = minute + self.start_minute_of_day
                day = clock // MINUTES_PER_DAY
                self._decreases[day] = self._decreases.get(day, 0) + 1
                self._last_decrease = clock
                return self._act(minute, "scale-in", "lower", current, wanted, below,
                                 f"consumed under {self.lower_threshold:g} % of provisioned for {below} "
                                 f"consecutive minutes (scale_in_datapoints={self.scale_in_datapoints})")
        return None

    def _act(self, minute: int, kind: str, alarm: str, current: int, wanted: int, streak: int,
             reason: str) -> ScalingEvent:
        effective = minute + 1 + self.update_delay_minutes
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


def simulate_autoscaling(
    demand: Sequence[float] | np.ndarray,
    target_utilization: float = 70.0,
    *,
    min_capacity: int = 1,
    max_capacity: int = DEFAULT_MAX_CAPACITY,
    initial_capacity: int | None = None,
    update_delay_minutes: int = 0,
    scale_out_datapoints: int = 2,
    scale_in_datapoints: int = 15,
    scale_in_margin_points: float = 20.0,
    scale_in_enabled: bool = True,
    decrease_limits: bool = True,
    free_decreases_per_day: int = 4,
    decrease_interval_minutes: int = 60,
    max_decreases_per_day: int = 27,
    burst_seconds: float = 300.0,
    initial_burst_seconds: float | None = None,
    retry_throttled: bool = False,
    autoscaling: bool = True,
    start_minute_of_day: int = 0,
) -> AutoscalingResult:
    """Simulate a provisioned table under target-tracking auto scaling, one minute at a time.

    ``demand``: requested units per second, one value per minute. ``target_utilization``: percent, 20–90.
    ``initial_capacity`` defaults to what the target asks for at the first minute's demand. ``burst_seconds=0``
    turns burst capacity off; ``initial_burst_seconds`` is what the bucket holds at the start (default: full).
    ``retry_throttled=True`` adds the throttled units to the next minute's demand (clients retry) instead of
    losing them. ``autoscaling=False`` keeps the capacity fixed (plain provisioned mode). The alarm and limit
    parameters are described in the module docstring.
    """
    values = validate_demand(demand)
    policy = TargetTrackingPolicy(
        target_utilization, min_capacity=min_capacity, max_capacity=max_capacity,
        update_delay_minutes=update_delay_minutes, scale_out_datapoints=scale_out_datapoints,
        scale_in_datapoints=scale_in_datapoints, scale_in_margin_points=scale_in_margin_points,
        scale_in_enabled=scale_in_enabled, decrease_limits=decrease_limits,
        free_decreases_per_day=free_decreases_per_day, decrease_interval_minutes=decrease_interval_minutes,
        max_decreases_per_day=max_decreases_per_day, start_minute_of_day=start_minute_of_day,
    )
    if initial_capacity is None:
        initial_capacity = policy.desired_capacity(float(values[0]))
    capacity = _check_int("initial_capacity", initial_capacity, 1)
    if not isinstance(burst_seconds, int | float) or not 0 <= burst_seconds <= 3600:
        raise ValueError(f"burst_seconds must be from 0 to 3600, got {burst_seconds!r}")
    if initial_burst_seconds is None:
        initial_burst_seconds = burst_seconds
    if not isinstance(initial_burst_seconds, int | float) or not 0 <= initial_burst_seconds <= burst_seconds:
        raise ValueError(f"initial_burst_seconds must be from 0 to burst_seconds ({burst_seconds}), "
                         f"got {initial_burst_seconds!r}")

    n = values.size
    # The loop works in units per minute on plain floats (numpy scalars are slower one at a time); arrays after.
    asked_per_minute = (values * 60.0).tolist()
    provisioned = [0.0] * n
    served_units = [0.0] * n
    lost_units = [0.0] * n
    balance_out = [0.0] * n
    events: list[ScalingEvent] = []
    pending: list[tuple[int, int]] = []  # (effective minute, capacity)
    balance = capacity * float(initial_burst_seconds)
    backlog = 0.0
    # The alarms' streaks are counted inline (the policy's ``observe`` does the same, slower): 30 days in < 50 ms.
    decide = policy.decide
    target, lower = policy.target / 100.0, policy.lower_threshold / 100.0
    n_out, n_in = policy.scale_out_datapoints, policy.scale_in_datapoints
    above = below = 0
    busy_until = -1
    next_change = n

    def limits(capacity: int) -> tuple[float, float, float, float]:
        allowance = capacity * 60.0
        return allowance, capacity * float(burst_seconds), allowance * target, allowance * lower

    allowance, bank, upper_units, lower_units = limits(capacity)
    for minute in range(n):
        if minute == next_change:
            capacity = pending.pop(0)[1]
            allowance, bank, upper_units, lower_units = limits(capacity)
            next_change = pending[0][0] if pending else n
        asked = asked_per_minute[minute] + backlog
        if asked <= allowance:
            done = asked
            balance += allowance - asked
            if balance > bank:
                balance = bank
        else:
            done = allowance + balance
            if done > asked:
                done = asked
            balance -= done - allowance
            lost_units[minute] = asked - done
            if retry_throttled:
                backlog = asked - done
        if backlog and asked <= allowance:
            backlog = 0.0
        provisioned[minute] = capacity
        served_units[minute] = done
        balance_out[minute] = balance
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
    parameters = {
        "target_utilization": policy.target, "min_capacity": min_capacity, "max_capacity": max_capacity,
        "initial_capacity": initial_capacity, "update_delay_minutes": update_delay_minutes,
        "scale_out_datapoints": scale_out_datapoints, "scale_in_datapoints": scale_in_datapoints,
        "scale_in_margin_points": scale_in_margin_points, "scale_in_enabled": scale_in_enabled,
        "decrease_limits": decrease_limits, "burst_seconds": burst_seconds, "retry_throttled": retry_throttled,
        "autoscaling": autoscaling,
    }
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
        raise ValueError(f"initial_throughput must be a number of units per second > 0, got {initial_throughput!r}")
    if not _positive_number(peak_multiple) or peak_multiple < 1:
        raise ValueError(f"peak_multiple must be a number >= 1 (2: twice the previous peak), got {peak_multiple!r}")
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
