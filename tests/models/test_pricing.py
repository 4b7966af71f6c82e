"""The cost model: hand-worked sums at the documented default prices ([src:prices-request-units],
[src:prices-capacity-units]: third-party readings of the AWS Price List)."""

from __future__ import annotations

import pytest

from dynalab.models.pricing import (
    DEFAULT_PRICES,
    Prices,
    break_even_utilization,
    compare_costs,
    on_demand_cost,
    provisioned_cost,
)

MINUTES_30_DAYS = 30 * 24 * 60


def test_default_prices_and_their_date_are_stated():
    assert DEFAULT_PRICES.write_request_units_per_million == 0.625
    assert DEFAULT_PRICES.read_request_units_per_million == 0.125
    assert "2026-12" in DEFAULT_PRICES.taken and "unverified" not in DEFAULT_PRICES.taken


def test_provisioned_100_wcu_for_30_days():
    # 100 WCU x 720 hours = 72,000 WCU-hours x $0.00065 = $46.80
    assert provisioned_cost([100.0] * MINUTES_30_DAYS) == pytest.approx(46.80)
    assert provisioned_cost([100.0] * MINUTES_30_DAYS, "read") == pytest.approx(9.36)


def test_on_demand_one_million_writes_and_reads():
    # 1,000,000 units: 1,000 units/s for 1,000 s ~ one minute at 16,666.67 units/s
    per_minute = [1_000_000 / 60]
    assert on_demand_cost(per_minute) == pytest.approx(0.625)
    assert on_demand_cost(per_minute, "read") == pytest.approx(0.125)


def test_break_even_utilization_at_default_prices():
    # One WCU-hour $0.00065; a fully used WCU serves 3,600 WRU an hour = $0.00225 on demand: 28.9 %
    assert break_even_utilization() == pytest.approx(100 * 0.00065 / 0.00225)
    assert round(break_even_utilization(), 1) == 28.9
    assert break_even_utilization("read") == pytest.approx(100 * 0.00013 / 0.00045)


def test_at_the_break_even_utilisation_both_modes_cost_the_same():
    utilisation = break_even_utilization() / 100
    held = [100.0] * 600
    assert on_demand_cost([100.0 * utilisation] * 600) == pytest.approx(provisioned_cost(held))


def test_compare_costs_of_a_flat_workload():
    comparison = compare_costs([50.0] * 60, [100.0] * 60)
    assert comparison.hours == 1
    assert comparison.provisioned_autoscaling == pytest.approx(100 * 0.00065)
    assert comparison.provisioned_fixed == pytest.approx(50 * 0.00065)
    assert comparison.on_demand == pytest.approx(50 * 3600 * 0.625e-6)
    assert comparison.average_utilization == pytest.approx(50)
    assert comparison.cheapest == "provisioned, fixed at the peak"


def test_custom_prices_and_bad_input():
    cheap = Prices(write_request_units_per_million=0.25)
    assert on_demand_cost([1_000_000 / 60], prices=cheap) == pytest.approx(0.25)
    with pytest.raises(ValueError, match="write_capacity_unit_hour"):
        Prices(write_capacity_unit_hour=0)
    with pytest.raises(ValueError, match="kind must be one of 'write', 'read'"):
        provisioned_cost([1.0], "scan")
    with pytest.raises(ValueError, match="units per second >= 0"):
        on_demand_cost([-1.0])
    with pytest.raises(ValueError, match="provisioned has 2 minutes but demand has 1"):
        compare_costs([1.0], [1.0, 1.0])


def test_price_table_2026_12_and_its_extras():
    from dynalab.models.pricing import DEFAULT_PRICES as p

    # The 2026-12 reading of the AWS Price List (facts sheet section 0), us-east-1, Standard table class.
    assert (p.write_request_units_per_million, p.read_request_units_per_million) == (0.625, 0.125)
    assert (p.write_capacity_unit_hour, p.read_capacity_unit_hour) == (0.00065, 0.00013)
    assert p.storage_per_month(12) == 0.0  # under the 25 GB free
    assert p.storage_per_month(125) == pytest.approx(25.0)
    assert p.stream_reads_per_month(2_500_000) == 0.0
    assert p.stream_reads_per_month(3_500_000) == pytest.approx(0.20)
    assert p.stream_reads_per_month(10**9, lambda_trigger=True) == 0.0
    with pytest.raises(ValueError, match="size_gb"):
        p.storage_per_month(-1)


def test_lambda_prices_match_the_whitepapers_example():
    from dynalab.models.pricing import DEFAULT_PRICES as p

    # "How AWS Pricing Works" / the Lambda pricing page: 3 M requests of 1 s at 512 MB, 2 M billable requests cost
    # $0.40 and 1,100,000 billable GB-s cost $18.34 (their free tier subtracted by hand here).
    assert p.lambda_invocations(2_000_000) == pytest.approx(0.40)
    assert p.lambda_invocations(1, duration_seconds=1_100_000, memory_gb=1.0) == pytest.approx(18.337, abs=0.01)
    with pytest.raises(ValueError, match="invocations"):
        p.lambda_invocations(-1)


def test_own_reader_polling_a_month():
    # [src:stream-reads-billed-per-request]: polling one shard every 0.25 s for a 730-hour month is 10,512,000
    # GetRecords; past the 2.5 M free a month, $0.02 per 100,000: $1.6024 per shard
    requests = DEFAULT_PRICES.stream_polls_per_month(0.25)
    assert requests == 10_512_000
    assert DEFAULT_PRICES.stream_reads_per_month(requests) == pytest.approx(1.6024)
    assert DEFAULT_PRICES.stream_reads_per_month(requests, lambda_trigger=True) == 0.0
    assert DEFAULT_PRICES.stream_polls_per_month(0.25, shards=3) == 3 * 10_512_000
    with pytest.raises(ValueError, match="poll_interval_seconds"):
        DEFAULT_PRICES.stream_polls_per_month(0)


def test_the_storage_free_tier_can_be_left_out():
    # [src:prices-storage-free-tier]: the 25 GB are per account and Region, shared by every table
    assert DEFAULT_PRICES.storage_per_month(24) == 0.0
    assert DEFAULT_PRICES.storage_per_month(24, free_tier=False) == pytest.approx(6.0)
