"""Lesson 5's batch-vs-stream cost in dollars: pinned by hand from the 2026-12 price table (models/pricing.py)."""

from __future__ import annotations

import pytest

from dynalab.lessons.cost_comparison import BatchVsStreamCost, CostDay
from dynalab.models.pricing import Prices

# The price table, us-east-1, Standard, 2026-12 (dynalab/models/pricing.py docstring), written out by hand here so
# the test does not share the code it checks.
RRU, WRU = 0.125 / 1e6, 0.625 / 1e6  # on-demand, dollars per request unit
RCU_HOUR, WCU_HOUR = 0.00013, 0.00065  # provisioned, dollars per capacity-unit hour
GET_RECORDS = 0.02 / 100_000  # own reader, per request after the free tier

# Two days, shaped like lesson 5's (batch Scan grows, stream flat).
DAYS = [CostDay(1, 100, batch_read_units=10.5, batch_write_units=3.0, stream_read_requests=4,
                stream_read_units=3.0, stream_write_units=28.0),
        CostDay(2, 200, batch_read_units=21.0, batch_write_units=3.0, stream_read_requests=4,
                stream_read_units=2.0, stream_write_units=28.0)]


def test_on_demand_dollars_of_both_approaches_by_hand():
    cost = BatchVsStreamCost(DAYS, lambda_trigger=True)
    assert cost.daily_dollars("batch") == pytest.approx([10.5 * RRU + 3 * WRU, 21 * RRU + 3 * WRU])
    assert cost.daily_dollars("stream") == pytest.approx([3 * RRU + 28 * WRU, 2 * RRU + 28 * WRU])
    assert cost.total_dollars("batch") == pytest.approx(31.5 * RRU + 6 * WRU)  # $5.69e-6
    assert cost.total_dollars("stream") == pytest.approx(5 * RRU + 56 * WRU)  # $3.5625e-5


def test_provisioned_dollars_are_capacity_hours_at_the_stated_utilisation():
    cost = BatchVsStreamCost(DAYS, lambda_trigger=True, provisioned_utilization_percent=70.0)
    per_rcu, per_wcu = RCU_HOUR / (3600 * 0.7), WCU_HOUR / (3600 * 0.7)
    assert cost.total_dollars("batch", "provisioned") == pytest.approx(31.5 * per_rcu + 6 * per_wcu)
    assert cost.total_dollars("stream", "provisioned") == pytest.approx(5 * per_rcu + 56 * per_wcu)
    full = BatchVsStreamCost(DAYS, lambda_trigger=True, provisioned_utilization_percent=100.0)
    assert full.total_dollars("batch", "provisioned") == pytest.approx(
        0.7 * cost.total_dollars("batch", "provisioned"))


def test_get_records_are_free_for_lambda_and_the_free_tier_then_priced_per_request():
    lambda_reader = BatchVsStreamCost(DAYS, lambda_trigger=True)
    own_reader = BatchVsStreamCost(DAYS, lambda_trigger=False)  # 8 calls: inside 2.5 M free a month
    assert lambda_reader.total_dollars("stream") == own_reader.total_dollars("stream")
    no_free_tier = BatchVsStreamCost(DAYS, prices=Prices(stream_read_requests_free_per_month=0))
    assert no_free_tier.total_dollars("stream") == pytest.approx(5 * RRU + 56 * WRU + 8 * GET_RECORDS)
    assert no_free_tier.total_dollars("stream", "provisioned") - own_reader.total_dollars(
        "stream", "provisioned") == pytest.approx(8 * GET_RECORDS)
    assert no_free_tier.total_dollars("batch") == own_reader.total_dollars("batch")  # the batch reads no stream


def test_the_free_tier_is_per_calendar_month():
    # days 30 and 31 of a run that starts on 1 June fall in June and July: each month has its own free tier
    days = [CostDay(30, 0, 0, 0, 2_000_000, 0, 0), CostDay(31, 0, 0, 0, 2_000_000, 0, 0)]
    assert BatchVsStreamCost(days).total_dollars("stream") == 0.0
    same_month = [CostDay(29, 0, 0, 0, 2_000_000, 0, 0), CostDay(30, 0, 0, 0, 2_000_000, 0, 0)]
    assert BatchVsStreamCost(same_month).total_dollars("stream") == pytest.approx(1_500_000 * GET_RECORDS)


def test_crossover_is_in_dollars_not_in_summed_units():
    # Summed units (RCU + WCU, what lesson 5 first compared) would put the batch's 37.5 against the stream's 61
    # and call a crossover far too early; in dollars a WCU costs 5x an RCU, on both price lists.
    cost = BatchVsStreamCost(DAYS, lambda_trigger=True)
    assert cost.crossover_day() is None and cost.crossover_day("provisioned") is None
    # The projection (a model): batch daily dollars grow by 10.5 RRU a day, the stream's stay at their mean.
    batch, stream = [10.5 * RRU + 3 * WRU, 21 * RRU + 3 * WRU], 2.5 * RRU + 28 * WRU
    total_b, total_s, day = sum(batch), 2 * stream, 2
    while total_b <= total_s:
        day += 1
        total_b += 10.5 * day * RRU + 3 * WRU
        total_s += stream
    assert cost.projected_crossover_day() == day == 24  # 5.25 (d + 1) + 15 > 142.5 RRU: d = 24
    growing = BatchVsStreamCost([*DAYS, *(CostDay(d, 100 * d, 10.5 * d, 3.0, 4, 2.0, 28.0) for d in range(3, 31))],
                                lambda_trigger=True)
    assert growing.crossover_day() == growing.projected_crossover_day() == 24  # measured, when played that long


def test_bad_choices_are_refused_with_the_allowed_values():
    cost = BatchVsStreamCost(DAYS)
    with pytest.raises(ValueError, match="price_list must be one of 'on-demand', 'provisioned', got 'spot'"):
        cost.daily_dollars("batch", "spot")
    with pytest.raises(ValueError, match="approach must be one of 'batch', 'stream'"):
        cost.total_dollars("lambda")
    with pytest.raises(ValueError, match=r"provisioned_utilization_percent must be a finite number > 0 and <= 100"):
        BatchVsStreamCost(DAYS, provisioned_utilization_percent=0)
    with pytest.raises(TypeError, match="lambda_trigger must be True or False"):
        BatchVsStreamCost(DAYS, lambda_trigger="no")
