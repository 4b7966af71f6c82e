"""Global tables' rules (models.global_tables): replica updates AWS allows or refuses, the replicated write units of a
write in each Region (pinned to AWS's billing example) and the monthly bill of a replicated table in dollars."""

from __future__ import annotations

import pytest

from dynalab.models.global_tables import (
    GlobalTableRuleError,
    GroupState,
    global_table_bill,
    mrsc_region_set,
    plan_replica_updates,
    replicated_write_units,
)
from dynalab.models.pricing import DEFAULT_PRICES, Prices

REGIONS = frozenset({"us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1",
                     "ap-northeast-1", "ap-northeast-2", "ap-northeast-3"})
SINGLE = GroupState(table="t", local_region="us-east-1")


def create(*regions: str) -> list[dict]:
    return [{"Create": {"RegionName": region}} for region in regions]


def delete(*regions: str) -> list[dict]:
    return [{"Delete": {"RegionName": region}} for region in regions]


def refused(state: GroupState, *args, **kwargs) -> str:
    with pytest.raises(GlobalTableRuleError) as error:
        plan_replica_updates(state, *args, known_regions=REGIONS, **kwargs)
    assert error.value.code == "ValidationException"
    return error.value.message


# ---- replicated write units: AWS's billing example (global-tables-billing.html) -----------------------------------


def test_awss_billing_example_day_by_day():
    # Day 1: a single-Region table, 100 writes of 1 KB: 100 WRU (no replicas, no replicated units).
    # Day 2: a replica in us-east-2; 150 writes of 1 KB in us-west-2: 150 rWRU in each Region, 300 in all.
    day2 = [replicated_write_units(1.0, ["us-west-2", "us-east-2"]) for _ in range(150)]
    assert sum(units["us-west-2"] for units in day2) == 150
    assert sum(units["us-east-2"] for units in day2) == 150
    assert sum(sum(units.values()) for units in day2) == 300
    # Day 3: a GSI (standard WRU, not replicated units) and 200 writes: 400 rWRU; the 400 GSI WRU are not in them.
    day3 = sum(sum(replicated_write_units(1.0, ["us-west-2", "us-east-2"]).values()) for _ in range(200))
    assert day3 == 400
    assert 300 + day3 == 700  # "700 rWRUs (300 rWRUs on Day2 + 400 rWRUs on Day 3)"


def test_a_larger_write_is_charged_its_units_in_each_region_and_a_region_once():
    assert replicated_write_units(3.0, ["a", "b", "c", "a"]) == {"a": 3.0, "b": 3.0, "c": 3.0}
    with pytest.raises(ValueError, match="write_units_charged"):
        replicated_write_units(-1, ["a"])
    with pytest.raises(ValueError, match="replica_regions"):
        replicated_write_units(1, [])


# ---- the bill ----------------------------------------------------------------------------------------------------


def test_a_three_region_bill_triples_writes_and_storage_and_pays_transfer_twice():
    one = global_table_bill(writes_per_month=10_000_000, reads_per_month=50_000_000, storage_gb=50)
    three = global_table_bill(writes_per_month=10_000_000, reads_per_month=50_000_000, storage_gb=50,
                              replica_tables=3)
    # 10 M writes of 1 KB at $0.625 per million (rWRU priced as WRU), reads at 0.5 RRU and $0.125 per million
    assert one.write_dollars == pytest.approx(6.25)
    assert three.write_dollars == pytest.approx(18.75)
    assert three.read_dollars == one.read_dollars == pytest.approx(3.125)
    assert three.storage_dollars == pytest.approx(3 * 50 * 0.25)
    assert one.transfer_dollars == 0
    assert three.transfer_gb == pytest.approx(2 * 10_000_000 * 1024 / 1024**3)
    assert three.transfer_dollars == pytest.approx(three.transfer_gb * 0.02)
    assert three.total_dollars == pytest.approx(sum(three.lines().values()))


def test_a_witness_costs_nothing_so_mrsc_with_a_witness_bills_two_replicas():
    witness = global_table_bill(writes_per_month=1_000_000, storage_gb=10, replica_tables=2, witness=True)
    assert witness.write_request_units == 2_000_000
    assert witness.storage_dollars == pytest.approx(2 * 10 * 0.25)
    with pytest.raises(ValueError, match="witness"):
        global_table_bill(writes_per_month=1, replica_tables=3, witness=True)


def test_replicated_units_are_priced_as_write_units():
    assert DEFAULT_PRICES.replicated_write_request_unit == DEFAULT_PRICES.request_unit("write")
    assert DEFAULT_PRICES.replicated_write_capacity_unit_hour == DEFAULT_PRICES.capacity_unit_hour("write")
    cheaper = Prices(write_request_units_per_million=1.25, inter_region_transfer_per_gb=0.01)
    assert cheaper.replicated_write_request_unit == pytest.approx(1.25e-6)
    with pytest.raises(ValueError, match="inter_region_transfer_per_gb"):
        Prices(inter_region_transfer_per_gb=0)


@pytest.mark.parametrize("bad", [{"replica_tables": 0}, {"replica_tables": 21}, {"writes_per_month": -1},
                                 {"item_size_bytes": 0}, {"storage_gb": -1}])
def test_the_bill_names_a_bad_value(bad):
    with pytest.raises(ValueError, match=next(iter(bad))):
        global_table_bill(**{"writes_per_month": 1, **bad})


# ---- replica updates -----------------------------------------------------------------------------------------------


def test_mrec_adds_and_removes_replicas_in_any_region():
    plan = plan_replica_updates(SINGLE, create("us-west-2", "eu-west-1"), known_regions=REGIONS)
    assert plan.consistency == "EVENTUAL" and plan.replicas == ("us-east-1", "us-west-2", "eu-west-1")
    grown = GroupState("t", "us-east-1", plan.replicas, consistency="EVENTUAL", item_count=5)
    assert plan_replica_updates(grown, create("ap-northeast-1"), known_regions=REGIONS).create == ("ap-northeast-1",)
    shrunk = plan_replica_updates(grown, delete("us-west-2", "eu-west-1"), known_regions=REGIONS)
    assert shrunk.dissolves and shrunk.replicas == ()


def test_mrsc_is_three_regions_of_one_set_on_an_empty_table():
    three = plan_replica_updates(SINGLE, create("us-west-2", "us-east-2"), multi_region_consistency="STRONG",
                                 known_regions=REGIONS)
    assert three.replicas == ("us-east-1", "us-west-2", "us-east-2") and three.witness is None
    witness = plan_replica_updates(SINGLE, create("us-west-2"), [{"Create": {"RegionName": "us-east-2"}}], "STRONG",
                                   known_regions=REGIONS)
    assert witness.replicas == ("us-east-1", "us-west-2") and witness.witness == "us-east-2"
    assert mrsc_region_set("eu-central-1") == "EU" and mrsc_region_set("us-west-1") is None
    assert "exactly three Regions" in refused(SINGLE, create("us-west-2"), multi_region_consistency="STRONG")
    assert "span Region sets" in refused(SINGLE, create("us-west-2", "eu-west-1"), multi_region_consistency="STRONG")
    assert "span Region sets" in refused(SINGLE, create("us-west-2", "us-west-1"), multi_region_consistency="STRONG")
    busy = GroupState("t", "us-east-1", item_count=1)
    assert "existing items" in refused(busy, create("us-west-2", "us-east-2"), multi_region_consistency="STRONG")


def test_an_mrsc_table_is_fixed_once_made():
    strong = GroupState("t", "us-east-1", ("us-east-1", "us-west-2"), witness="us-east-2", consistency="STRONG")
    assert "additional replicas" in refused(strong, create("us-west-1"))
    assert "additional replicas" in refused(strong, (), [{"Create": {"RegionName": "us-west-1"}}])
    assert "single replica" in refused(strong, delete("us-west-2"))
    assert "consistency mode" in refused(strong, create("us-west-1"), multi_region_consistency="EVENTUAL")
    ends = plan_replica_updates(strong, delete("us-west-2"), [{"Delete": {"RegionName": "us-east-2"}}],
                                known_regions=REGIONS)
    assert ends.dissolves and ends.witness_delete == "us-east-2"


def test_the_local_region_and_unknown_regions_are_refused_in_dynamodbs_words():
    assert refused(SINGLE, create("us-east-1")) == ("Cannot add or delete the local region through ReplicaUpdates. "
                                                   "Use CreateTable, DeleteTable, or UpdateTable as required.")
    assert "update the local region" in refused(SINGLE, [{"Update": {"RegionName": "us-east-1"}}])
    assert "not an AWS Region" in refused(SINGLE, create("mars-1"))
    assert "exactly one of" in refused(SINGLE, [{"Create": {"RegionName": "us-west-2"},
                                                  "Delete": {"RegionName": "us-west-2"}}])
    assert "only valid when you create" in refused(SINGLE, multi_region_consistency="STRONG")
    taken = GroupState("t", "us-east-1", taken_regions=frozenset({"us-west-2"}))
    assert "Table already exists" in refused(taken, create("us-west-2"))
