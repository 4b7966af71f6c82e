"""The auto-scaling simulator against hand-worked scenarios (dynamodb-facts.md §3, the second source article)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dynalab.models.autoscaling import TargetTrackingPolicy, simulate_autoscaling, simulate_on_demand

STEP_AT = 10


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
    assert result.throttled.sum() == 0
    assert result.burst_balance[STEP_AT + 1] < result.burst_balance[STEP_AT - 1]


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
    assert result.provisioned[24] == 572 and result.provisioned[25] == 143


def test_no_scale_in_between_the_lower_threshold_and_the_target():
    demand = [400.0] * 10 + [300.0] * 60  # 300/572 = 52 %: under the target, above the lower threshold
    result = simulate_autoscaling(demand, 70, initial_capacity=572)
    assert result.events == []


def test_the_fifth_decrease_in_the_first_hour_is_refused():
    # A shortened lower alarm (5 datapoints) so that five decreases fit in the first hour of the UTC day.
    demand = np.concatenate([np.full(8, 4000.0 / 2 ** k) for k in range(8)])
    result = simulate_autoscaling(demand, 70, initial_capacity=5715, scale_in_datapoints=5)
    ins, refused = result.events_of("scale-in"), result.events_of("refused")
    assert len([e for e in ins if e.minute < 60]) == 4
    assert refused and refused[0].minute < 60
    assert "free_decreases_per_day=4" in refused[0].reason and "decrease_interval_minutes=60" in refused[0].reason
    unlimited = simulate_autoscaling(demand, 70, initial_capacity=5715, scale_in_datapoints=5, decrease_limits=False)
    assert len([e for e in unlimited.events_of("scale-in") if e.minute < 60]) >= 5


def daily_staircase_then_waves(hours=26):
    # Hour 0: four falling levels (each under half the last), so four decreases; later hours: 20 minutes at
    # 1,000 units/s (scale-out), then 40 at 100 (one decrease allowed per hour).
    first = np.repeat([2000.0, 1000.0, 500.0, 250.0], 15)
    wave = np.concatenate([np.full(20, 1000.0), np.full(40, 100.0)])
    return np.concatenate([first] + [wave] * (hours - 1))


def test_a_day_allows_4_decreases_in_the_first_hour_then_1_an_hour_27_in_all():
    # ServiceQuotas.html: 4 any time per day, then one more if there was none in the past hour; 27 at most.
    result = simulate_autoscaling(daily_staircase_then_waves(), 70, initial_capacity=5715)
    ins = [e for e in result.events_of("scale-in") if e.minute < 1440]
    hours = [e.minute // 60 for e in ins]
    assert hours.count(0) == 4
    assert all(hours.count(h) == 1 for h in range(1, 24))
    assert len(ins) == 27
    assert all(b.minute - a.minute >= 60 for a, b in zip(ins[3:], ins[4:], strict=False))
    assert [e.minute // 60 for e in result.events_of("scale-in") if e.minute >= 1440] == [24, 25]  # a new UTC day


def test_the_four_free_decreases_may_come_at_any_time_of_the_day():
    # The staircase starting at 05:00 UTC: its four decreases all come in hour 5, the fifth waits an hour.
    result = simulate_autoscaling(daily_staircase_then_waves(2), 70, initial_capacity=5715, start_minute_of_day=300)
    ins = result.events_of("scale-in")
    assert [(e.minute + 300) // 60 for e in ins[:4]] == [5, 5, 5, 5]
    refused = result.events_of("refused")
    assert refused and (refused[0].minute + 300) // 60 == 6
    assert ins[4].minute - ins[3].minute >= 60


def test_the_daily_cap_refuses_decreases_beyond_it():
    result = simulate_autoscaling(daily_staircase_then_waves(), 70, initial_capacity=5715, max_decreases_per_day=10)
    assert len([e for e in result.events_of("scale-in") if e.minute < 1440]) == 10
    assert any("max_decreases_per_day=10" in e.reason for e in result.events_of("refused"))


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


def test_update_delay_holds_the_old_capacity_longer():
    result = simulate_autoscaling(step_demand(), 70, update_delay_minutes=3)
    event = result.events[0]
    assert event.effective_minute == event.minute + 4
    assert result.provisioned[event.minute + 3] == 143 and result.provisioned[event.minute + 4] == 572


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
