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


def test_provisioned_capacity_is_billed_for_the_hours_held():
    # [src:provisioned-billed-per-hour-held]: a run that needs 61.5 RCU within a minute holds 2 RCU all day, used
    # or not; smaller runs hold DynamoDB's minimum, 1 RCU and 1 WCU
    days = [*DAYS, CostDay(3, 600, batch_read_units=61.5, batch_write_units=3.0, stream_read_requests=4,
                           stream_read_units=2.0, stream_write_units=28.0)]
    cost = BatchVsStreamCost(days, lambda_trigger=True, runs_per_day=2)
    assert [cost.held_capacity_units("batch", d) for d in days] == [(1, 1), (1, 1), (2, 1)]
    assert [cost.held_capacity_units("stream", d) for d in days] == [(1, 1)] * 3
    minimum = 24 * (RCU_HOUR + WCU_HOUR)
    assert cost.daily_dollars("batch", "provisioned") == pytest.approx([minimum, minimum, minimum + 24 * RCU_HOUR])
    assert cost.daily_dollars("stream", "provisioned") == pytest.approx([minimum] * 3)
    assert cost.crossover_day("provisioned") == 3  # the batch's Scan outgrew the minimum
    patient = BatchVsStreamCost(days, lambda_trigger=True, provisioned_run_seconds=600)  # 10 minutes a run
    assert patient.held_capacity_units("batch", days[2]) == (1, 1)


def test_get_records_are_free_for_lambda_and_the_free_tier_then_priced_per_request():
    lambda_reader = BatchVsStreamCost(DAYS, lambda_trigger=True)
    own_reader = BatchVsStreamCost(DAYS, lambda_trigger=False, poll_interval_seconds=None)  # 8 calls: free
    assert lambda_reader.total_dollars("stream") == own_reader.total_dollars("stream")
    no_free_tier = BatchVsStreamCost(DAYS, prices=Prices(stream_read_requests_free_per_month=0),
                                     poll_interval_seconds=None)
    assert no_free_tier.total_dollars("stream") == pytest.approx(5 * RRU + 56 * WRU + 8 * GET_RECORDS)
    assert no_free_tier.total_dollars("stream", "provisioned") - own_reader.total_dollars(
        "stream", "provisioned") == pytest.approx(8 * GET_RECORDS)
    assert no_free_tier.total_dollars("batch") == own_reader.total_dollars("batch")  # the batch reads no stream


def test_an_own_reader_polling_every_quarter_second_pays_for_every_poll():
    # [src:stream-reads-billed-per-request]: 4 polls a second, 86,400 s a day: 345,600 GetRecords a day per shard,
    # empty polls included; a Lambda trigger's are free [src:lambda-get-records-free]
    polling = BatchVsStreamCost(DAYS, prices=Prices(stream_read_requests_free_per_month=0))
    assert polling.billed_read_requests(DAYS[0]) == 345_600
    assert polling.total_dollars("stream") == pytest.approx(5 * RRU + 56 * WRU + 2 * 345_600 * GET_RECORDS)
    assert BatchVsStreamCost(DAYS, lambda_trigger=True).total_dollars("stream") == pytest.approx(5 * RRU + 56 * WRU)
    two_shards = BatchVsStreamCost(DAYS, shards=2, prices=Prices(stream_read_requests_free_per_month=0))
    assert two_shards.billed_read_requests(DAYS[0]) == 691_200
    # with the free tier, 2.5 M requests last 7.2 days of polling; from day 8 of the month each day costs $0.069
    month = [CostDay(d, 0, 0, 0, 0, 0, 0) for d in range(1, 31)]
    daily = BatchVsStreamCost(month).daily_dollars("stream")
    assert daily[:7] == [0.0] * 7 and daily[8] == pytest.approx(345_600 * GET_RECORDS)


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
    assert cost.crossover_day() is None
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
    with pytest.raises(ValueError, match=r"provisioned_run_seconds must be"):
        BatchVsStreamCost(DAYS, provisioned_run_seconds=0)
    with pytest.raises(ValueError, match=r"poll_interval_seconds must be"):
        BatchVsStreamCost(DAYS, poll_interval_seconds=0)
    with pytest.raises(TypeError, match="lambda_trigger must be True or False"):
        BatchVsStreamCost(DAYS, lambda_trigger="no")
