"""The auto-scaling simulator against hand-worked scenarios ([src:auto-scaling-datapoints],
[src:capacity-decreases-per-day]; the second source article)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dynalab.models.autoscaling import DecreaseQuota, TargetTrackingPolicy, simulate_autoscaling, simulate_on_demand

STEP_AT = 10
#: The ideal of new capacity the very next minute: only where a test is about something else than time.
INSTANT = {"alarm_delay_minutes": 0, "update_delay_minutes": 0}


def step_demand(before=100.0, after=400.0, minutes=60):
    return [before] * STEP_AT + [after] * (minutes - STEP_AT)


def test_step_scale_out_waits_for_two_datapoints_then_climbs_to_572_in_steps_without_burst():
    # 100 -> 400 units/s at 70 %: capacity starts at ceil(100/0.7) = 143. With no burst bank, consumed can never
    # exceed 143, so target tracking asks 143/0.7 -> 205, then 293, 419, and 572 = ceil(400/0.7).
    result = simulate_autoscaling(step_demand(), 70, burst_seconds=0)
    assert result.provisioned[0] == 143
    outs = result.events_of("scale-out")
    assert outs[0].minute == STEP_AT + 1 and outs[0].datapoints == (STEP_AT, STEP_AT + 1)
    assert [e.to_capacity for e in outs] == [205, 293, 419, 572]
    assert result.provisioned[-1] == 572 == math.ceil(400 / 0.7)
    assert result.throttled[STEP_AT] == pytest.approx(400 - 143)  # consumed = provisioned: the rest is throttled
    # At 419 nothing is throttled any more, but 400/419 = 95 % is still above the target: one more step to 572.
    assert result.first_minute_without_throttling(STEP_AT) == outs[2].effective_minute
    assert np.all(result.provisioned[outs[3].effective_minute:] == 572)


def test_step_with_a_full_burst_bank_scales_out_once_because_consumed_shows_the_whole_demand():
    result = simulate_autoscaling(step_demand(), 70)
    assert [e.to_capacity for e in result.events_of("scale-out")] == [572]
    assert result.events[0].minute == STEP_AT + 1
    assert result.burst_balance[STEP_AT + 1] < result.burst_balance[STEP_AT - 1]


def test_the_default_step_scenario_throttles_some_demand():
    # metrics-dimensions.html: the alarm lags "up to a few minutes", UpdateTable "takes several minutes" (defaults
    # 2 + 3). The bank (143 x 300 = 42,900 units) covers (400 - 143) x 60 = 15,420 units a minute for under three
    # minutes; the new capacity comes 6 minutes after the step's second datapoint.
    from dynalab.lessons.workloads import load_workload

    step = load_workload("step")
    result = simulate_autoscaling(step.demand, 70)
    event = result.events_of("scale-out")[0]
    assert event.effective_minute == event.minute + 1 + 2 + 3
    assert result.throttled_units > 0
    throttled = np.flatnonzero(result.throttled > 0)
    assert throttled.min() > event.minute and throttled.max() < event.effective_minute  # the bank ran dry first
    assert result.throttled_units == pytest.approx(
        (400 - 143) * 60 * (event.effective_minute - event.minute - 1) - (143 * 300 - 2 * (400 - 143) * 60))
    ideal = simulate_autoscaling(step.demand, 70, **INSTANT)  # the ideal AWS does not offer: nothing throttled
    assert ideal.throttled_units == 0


def test_one_minute_above_target_is_not_enough():
    demand = [100.0] * 10 + [400.0] + [100.0] * 20
    result = simulate_autoscaling(demand, 70, burst_seconds=0)
    assert result.events == []
    assert result.throttled[10] == pytest.approx(400 - 143)


def test_scale_in_only_after_15_datapoints_under_the_lower_threshold():
    # 400 -> 100 with 572 provisioned: 100/572 = 17.5 %, under 70 - 20 = 50 %.
    demand = [400.0] * 10 + [100.0] * 40
    result = simulate_autoscaling(demand, 70, initial_capacity=572)
    ins = result.events_of("scale-in")
    assert len(ins) == 1
    assert ins[0].minute == 10 + 14 and ins[0].datapoints == (10, 24)
    assert ins[0].to_capacity == 143
    assert ins[0].effective_minute == 24 + 1 + 2 + 3  # the alarm's delay, then UpdateTable's
    assert result.provisioned[29] == 572 and result.provisioned[30] == 143


def test_no_scale_in_between_the_lower_threshold_and_the_target():
    demand = [400.0] * 10 + [300.0] * 60  # 300/572 = 52 %: under the target, above the lower threshold
    result = simulate_autoscaling(demand, 70, initial_capacity=572)
    assert result.events == []


def test_a_day_starts_with_4_decreases_and_a_fifth_in_the_same_hour_is_refused():
    # ServiceQuotas.html (2026-12): "You start each day with 4 available decreases."
    quota = DecreaseQuota()
    assert quota.available(0) == 4
    assert [quota.try_decrease(minute) for minute in (1, 2, 3, 4)] == [True] * 4
    assert quota.available(5) == 0
    assert not quota.try_decrease(10) and not quota.try_decrease(59)
    assert quota.available(64) == 1  # "Each hour, 1 additional decrease becomes available"


def test_4_decreases_are_available_again_after_a_quiet_morning():
    quota = DecreaseQuota()
    assert all(quota.try_decrease(minute) for minute in range(4))
    assert quota.available(6 * 60) == 4  # "up to the maximum of 4 available at any time", not more
    assert all(quota.try_decrease(6 * 60 + k) for k in range(4))  # back to back
    assert not quota.try_decrease(6 * 60 + 4)


def test_a_full_day_allows_27_decreases_then_a_new_utc_day_starts_with_4():
    quota = DecreaseQuota()
    assert sum(quota.try_decrease(minute) for minute in range(1440)) == 27 == 4 + 23
    assert quota.available(1440) == 4


def test_the_quota_refuses_time_going_back_and_bad_settings():
    quota = DecreaseQuota()
    quota.try_decrease(100)
    with pytest.raises(ValueError, match="minute must be an integer >= 100"):
        quota.available(99)
    with pytest.raises(ValueError, match="at_day_start must be an integer from 0 to 4"):
        DecreaseQuota(at_day_start=5)


def staircase(levels=8, minutes=8):
    return np.concatenate([np.full(minutes, 4000.0 / 2 ** k) for k in range(levels)])


def test_the_simulator_refuses_a_fifth_decrease_in_the_first_hour():
    # A shortened lower alarm (5 datapoints; DynamoDB's is 15) and no delays so five decreases are asked for early.
    result = simulate_autoscaling(staircase(), 70, initial_capacity=5715, scale_in_datapoints=5, **INSTANT)
    ins, refused = result.events_of("scale-in"), result.events_of("refused")
    assert len([e for e in ins if e.minute < 60]) == 4
    assert refused and refused[0].minute < 60
    assert "no decrease available" in refused[0].reason and "the next one at minute" in refused[0].reason
    unlimited = simulate_autoscaling(staircase(), 70, initial_capacity=5715, scale_in_datapoints=5,
                                     decrease_limits=False, **INSTANT)
    assert len([e for e in unlimited.events_of("scale-in") if e.minute < 60]) >= 5


def waves(hours=26, period=10):
    # 5 minutes at 1,000 units/s, 5 at 100: a decrease asked for every 10 minutes, all day.
    return np.tile(np.concatenate([np.full(period // 2, 1000.0), np.full(period // 2, 100.0)]), hours * 60 // period)


def test_the_simulator_makes_at_most_27_decreases_in_a_utc_day():
    result = simulate_autoscaling(waves(), 70, scale_in_datapoints=3, **INSTANT)
    ins = result.events_of("scale-in")
    assert len([e for e in ins if e.minute < 1440]) == 27
    assert len([e for e in ins if e.minute < 60]) == 4
    assert [e.minute // 60 for e in ins if e.minute >= 1440][:4] == [24, 24, 24, 24]  # a new UTC day: 4 again


def test_the_quota_follows_the_utc_day_not_the_start_of_the_run():
    # Starting at 23:30 UTC: three decreases fit before midnight; the new UTC day brings 4 more right after it.
    result = simulate_autoscaling(waves(2), 70, scale_in_datapoints=3, start_minute_of_day=1410, **INSTANT)
    clock = [(e.minute + 1410) for e in result.events_of("scale-in")]
    assert [m for m in clock if m < 1440] == [1417, 1427, 1437]
    assert len([m for m in clock if 1440 <= m < 1500]) == 4


def test_a_30_second_spike_is_served_from_burst_without_a_scaling_event():
    # One minute whose average is 30 s at 1,000 units/s and 30 s at 100: 550 units/s on 143 provisioned.
    demand = [100.0] * 10 + [(30 * 1000 + 30 * 100) / 60] + [100.0] * 20
    result = simulate_autoscaling(demand, 70)
    assert result.events == []
    assert result.throttled.sum() == 0
    assert result.burst_balance[10] == pytest.approx(143 * 300 - (550 - 143) * 60)
    without_burst = simulate_autoscaling(demand, 70, burst_seconds=0)
    assert without_burst.events == [] and without_burst.throttled[10] == pytest.approx(550 - 143)


def test_spikes_more_than_a_minute_apart_never_scale_out_and_drain_the_burst_bank():
    demand = [100.0] * 10 + [500.0 if m % 3 == 0 else 100.0 for m in range(90)]
    result = simulate_autoscaling(demand, 70)
    assert result.events_of("scale-out") == []
    assert result.throttled.sum() > 0  # once the bank is empty, every spike throttles
    assert result.throttled[10] == 0  # the first spikes are still served from burst


def test_throttled_demand_is_retried_the_next_minute_when_asked():
    demand = [100.0] * 5 + [200.0] + [100.0] * 5
    lost = simulate_autoscaling(demand, 70, burst_seconds=0, autoscaling=False)
    retried = simulate_autoscaling(demand, 70, burst_seconds=0, autoscaling=False, retry_throttled=True)
    assert lost.throttled[5] == pytest.approx(57) and lost.throttled[6] == 0
    assert retried.served[6] == pytest.approx(143)  # 100 + the 57 carried over, capped at 143
    assert retried.served_units == pytest.approx(sum(demand) * 60)


def test_the_alarm_and_update_delays_hold_the_old_capacity_longer():
    for alarm, update in ((0, 0), (2, 3), (5, 10)):
        result = simulate_autoscaling(step_demand(), 70, alarm_delay_minutes=alarm, update_delay_minutes=update)
        event = result.events[0]
        assert event.effective_minute == event.minute + 1 + alarm + update
        effective = event.effective_minute
        assert result.provisioned[effective - 1] == 143 and result.provisioned[effective] == 572
    with pytest.raises(ValueError, match="alarm_delay_minutes must be an integer from 0 to 60"):
        simulate_autoscaling([1.0], 70, alarm_delay_minutes=-1)


def test_min_and_max_capacity_bound_the_policy():
    result = simulate_autoscaling(step_demand(), 70, max_capacity=300, burst_seconds=0)
    assert result.provisioned.max() == 300
    low = simulate_autoscaling([400.0] * 5 + [1.0] * 30, 70, initial_capacity=572, min_capacity=50)
    assert low.provisioned[-1] == 50


def test_the_policy_class_makes_the_same_decisions_as_the_simulator():
    rng = np.random.default_rng(7)
    demand = rng.uniform(20, 600, 2000)
    result = simulate_autoscaling(demand, 60)
    policy = TargetTrackingPolicy(60)
    events = [policy.observe(m, result.served[m], result.provisioned[m]) for m in range(demand.size)]
    assert [e for e in events if e is not None] == result.events


@pytest.mark.parametrize("target", [20, 90])
def test_the_ends_of_the_range_are_allowed(target):
    result = simulate_autoscaling([100.0] * 30, target)
    assert result.provisioned[0] == math.ceil(100 / (target / 100))


@pytest.mark.parametrize("target", [19.9, 90.5, 0.7, -5, float("nan"), "70", True])
def test_a_target_outside_20_to_90_is_refused_with_the_range(target):
    with pytest.raises(ValueError, match="target_utilization.*20 to 90"):
        simulate_autoscaling([1.0], target)


def test_other_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="min_capacity .* must not exceed max_capacity"):
        simulate_autoscaling([1.0], 70, min_capacity=10, max_capacity=5)
    with pytest.raises(ValueError, match="demand must be >= 0.*minute 1"):
        simulate_autoscaling([1.0, -1.0], 70)
    with pytest.raises(ValueError, match="non-empty"):
        simulate_autoscaling([], 70)
    with pytest.raises(ValueError, match="initial_capacity"):
        simulate_autoscaling([1.0], 70, initial_capacity=0)
    with pytest.raises(ValueError, match="burst_seconds"):
        simulate_autoscaling([1.0], 70, burst_seconds=-1)


def test_on_demand_serves_twice_the_previous_peak_at_once():
    demand = [100.0] * 5 + [5000.0] * 3 + [12000.0] * 3
    result = simulate_on_demand(demand, initial_throughput=4000)
    assert result.served[5] == 4000  # a new table: 4,000 writes/s
    assert result.served[6] == 5000  # 2 x 4,000 allows 5,000
    assert result.served[8] == 10000 and result.throttled[8] == 2000  # 2 x the 5,000 peak
    assert result.served[9] == 12000


def test_the_simulator_and_the_policy_share_their_defaults():
    # simulate_autoscaling repeats the policy's named parameters (the lesson switches each one by name): same defaults.
    import inspect

    policy = inspect.signature(TargetTrackingPolicy.__init__).parameters
    simulator = inspect.signature(simulate_autoscaling).parameters
    shared = [name for name in policy if name != "self"]
    assert set(shared) <= set(simulator)
    assert {name: simulator[name].default for name in shared} == {name: policy[name].default for name in shared}


def test_on_demand_bad_settings_name_the_value():
    with pytest.raises(ValueError, match="initial_throughput must be .* > 0.*got 'fast'"):
        simulate_on_demand([1.0], initial_throughput="fast")
    with pytest.raises(ValueError, match="peak_multiple must be a number >= 1.*got 0.5"):
        simulate_on_demand([1.0], peak_multiple=0.5)
