"""The capstone planner: the issue's example design worked out by hand, every operation's rule, clear errors."""

from __future__ import annotations

import copy
import json

import pytest

import dynalab
from dynalab.models.planner import PARTITION_MODEL, plan_design
from dynalab.models.pricing import Prices

EXAMPLE = {
    "table": {"name": "orders", "partition_key": "pk", "sort_key": "sk", "size_gb": 12},
    "indexes": [{"name": "by_customer", "projection": "ALL"}],
    "patterns": [
        {"name": "get order", "operation": "GetItem", "item_bytes": 4096, "per_second": 100, "consistency": "strong"},
        {"name": "list orders", "operation": "Query", "items": 20, "item_bytes": 500, "per_second": 50,
         "consistency": "eventual"},
        {"name": "place order", "operation": "PutItem", "item_bytes": 1500, "per_second": 20,
         "indexes": ["by_customer"]},
    ],
}


def _plan(*patterns, indexes=None, **table):
    return plan_design({"table": {"name": "things", "partition_key": "pk", "sort_key": "sk", **table},
                        "indexes": indexes or [], "patterns": list(patterns)})


def _one(operation, **fields):
    return _plan({"name": "p", "operation": operation, "per_second": 1, **fields}, indexes=fields.pop("_indexes", None))


def test_the_example_plans_to_175_rcu_and_80_wcu():
    plan = plan_design(EXAMPLE)
    get, query, put = plan.patterns
    # get order: 4,096 B = 1 block of 4 KB, strong x 1 = 1 RCU; x 100/s = 100 RCU/s
    assert (get.read_units_per_request, get.read_units_per_second) == (1.0, 100.0)
    # list orders: 20 x 500 B = 10,000 B summed, then rounded once: 3 blocks of 4 KB x 0.5 = 1.5 RCU; x 50/s = 75
    assert (query.read_units_per_request, query.read_units_per_second) == (1.5, 75.0)
    # place order: 1,500 B = 2 blocks of 1 KB = 2 WCU on the table; the ALL index's entry is the whole item,
    # 1,500 B = 2 WCU on by_customer; 4 WCU x 20/s = 80 WCU/s
    assert (put.table_write_units, put.index_write_units) == (2.0, {"by_customer": 2.0})
    assert put.write_units_per_second == 80.0
    # totals: 100 + 75 = 175 RCU; 80 WCU
    assert (plan.read_capacity_units, plan.write_capacity_units) == (175, 80)
    assert plan.units_by_resource() == {"table": (175.0, 40.0), "by_customer": (0.0, 40.0)}


def test_the_example_costs_54_57_provisioned_and_188_89_on_demand():
    plan = plan_design(EXAMPLE)
    # provisioned, 730 h: 175 RCU x $0.00013 x 730 = $16.6075; 80 WCU x $0.00065 x 730 = $37.96; total $54.5675
    assert plan.monthly_bill("provisioned").read_dollars == pytest.approx(16.6075)
    assert plan.monthly_bill("provisioned").write_dollars == pytest.approx(37.96)
    assert round(plan.monthly_cost("provisioned"), 2) == 54.57
    # on-demand: 730 h x 3,600 s = 2,628,000 s; 175 RRU/s x 2,628,000 = 459,900,000 RRU x $0.125/M = $57.4875;
    # 80 WRU/s x 2,628,000 = 210,240,000 WRU x $0.625/M = $131.40; total $188.8875
    assert plan.monthly_bill("on-demand").read_dollars == pytest.approx(57.4875)
    assert plan.monthly_bill("on-demand").write_dollars == pytest.approx(131.40)
    assert round(plan.monthly_cost("on-demand"), 2) == 188.89
    # storage is priced separately: the table's 12 GB and its ALL index's 12 GB, without the shared free tier
    assert plan.storage_dollars_per_month == pytest.approx(6.0)
    assert plan.monthly_bill("on-demand").total_dollars == pytest.approx(plan.monthly_cost("on-demand") + 6.0)
    # break-even: 54.5675 / 188.8875 = 28.9 % (a WCU-hour or RCU-hour = 0.289 x 3,600 request units)
    assert plan.break_even_utilization() == pytest.approx(100 * 54.5675 / 188.8875)


def test_index_storage_is_billed_and_the_free_tier_is_shared():
    # [src:gsi-storage-billed]: an index's items are stored (and billed) too, 100 B of overhead each;
    # [src:prices-storage-free-tier]: the 25 GB free a month are per account and Region, shared by every table
    plan = plan_design(EXAMPLE)
    assert plan.storage_gb_by_resource() == {"table": 12, "by_customer": 12}  # ALL: every entry is the whole item
    assert plan.storage_dollars_per_month == pytest.approx(24 * 0.25)  # $6.00, no free tier counted
    assert plan.storage_dollars_with_free_tier == 0.0  # 24 GB fits the 25 GB only if no other table uses them
    assert "storage 24 GB (table 12 + by_customer 12): $6.00 a month" in plan.describe()
    design = copy.deepcopy(EXAMPLE)
    design["indexes"][0] = {"name": "by_customer", "projection": "KEYS_ONLY"}
    keys_only = plan_design(design)
    # entries of 32 + 24 = 56 B against 1,500 B items: 12 GB x (56 + 100) / (1,500 + 100)
    assert keys_only.storage_gb_by_resource()["by_customer"] == pytest.approx(12 * 156 / 1600)
    design["indexes"][0]["size_gb"] = 3
    assert plan_design(design).storage_gb_by_resource()["by_customer"] == 3


def test_auto_scaling_headroom_at_a_70_percent_target():
    plan = plan_design(EXAMPLE)
    bill = plan.monthly_bill("provisioned", target_utilization=70)
    # 175 / 0.7 = 250 RCU; 80 / 0.7 = 114.3 -> 115 WCU; 250 x 0.00013 x 730 + 115 x 0.00065 x 730 = 23.725 + 54.5675
    assert (bill.read_capacity_units, bill.write_capacity_units) == (250, 115)
    assert plan.monthly_cost("provisioned", target_utilization=70) == pytest.approx(78.2925)
    with pytest.raises(ValueError, match="target_utilization must be a percentage from 20 to 90"):
        plan.monthly_cost("provisioned", target_utilization=95)
    with pytest.raises(ValueError, match="provisioned mode only"):
        plan.monthly_cost("on-demand", target_utilization=70)
    with pytest.raises(ValueError, match="mode must be one of 'provisioned', 'on-demand'; got 'reserved'"):
        plan.monthly_cost("reserved")


def test_the_example_has_2_partitions_in_the_2017_model():
    plan = plan_design(EXAMPLE)
    # table only (a GSI has partitions of its own): ceil(175/3000 + 40/1000) = ceil(0.098) = 1; ceil(12/10) = 2
    assert plan.partitions == 2
    assert (plan.partition_estimate.throughput_partitions, plan.partition_estimate.size_partitions) == (1, 2)
    assert "2017 model" in plan.partition_model == PARTITION_MODEL
    assert plan.hot_keys == []
    assert "partitions (2017 model): 2" in plan.describe()


def test_prices_are_overridable():
    dearer = Prices(read_capacity_unit_hour=0.00026, write_capacity_unit_hour=0.0013)
    plan = plan_design(EXAMPLE, prices=dearer)
    assert plan.monthly_cost("provisioned") == pytest.approx(2 * 54.5675)


def test_a_pattern_on_one_key_above_todays_ceilings_is_a_hot_key():
    plan = _plan({"name": "hot read", "operation": "GetItem", "item_bytes": 4096, "per_second": 3500,
                  "consistency": "strong"},
                 {"name": "spread read", "operation": "GetItem", "item_bytes": 4096, "per_second": 3500,
                  "consistency": "strong", "keys": 2},
                 {"name": "hot write", "operation": "PutItem", "item_bytes": 1024, "per_second": 1001},
                 {"name": "full scan", "operation": "Scan", "items": 1000, "item_bytes": 4096, "per_second": 100})
    flags = {(flag.pattern, flag.kind): flag for flag in plan.hot_keys}
    # 3,500 RCU/s on one key > 3,000; spread over 2 keys 1,750 each is fine; 1,001 WCU/s > 1,000; a Scan has no key
    assert set(flags) == {("hot read", "read"), ("hot write", "write")}
    assert flags[("hot read", "read")].units_per_second_per_key == 3500
    assert flags[("hot write", "write")].ceiling_per_second == 1000


def test_every_operation_by_the_course_rules():
    # Query pages: 2,000 items of 1,000 B; a page takes items until it holds 1 MB: ceil(1,048,576 / 1,000) = 1,049
    # items (1,049,000 B = 257 blocks), the rest 951 items (951,000 B = 233 blocks): 490 x 0.5 = 245 RCU
    assert _one("Query", items=2000, item_bytes=1000).patterns[0].read_units_per_request == 245
    # an empty Query still costs one block
    assert _one("Query", items=0, item_bytes=1000).patterns[0].read_units_per_request == 0.5
    # Scan, strong: 10 x 4,000 B = 40,000 B = 10 blocks = 10 RCU
    assert _one("Scan", items=10, item_bytes=4000, consistency="strong").patterns[0].read_units_per_request == 10
    # BatchGetItem rounds each item: 3 x 5,000 B = 3 x 2 blocks x 0.5 = 3 RCU
    assert _one("BatchGetItem", items=3, item_bytes=5000).patterns[0].read_units_per_request == 3
    # TransactGetItems: 2 x 1 block x 2 = 4 RCU
    assert _one("TransactGetItems", items=2, item_bytes=100).patterns[0].read_units_per_request == 4
    # UpdateItem: the larger of 500 B and 2,500 B = 3 WCU
    assert _one("UpdateItem", before_bytes=500, after_bytes=2500).patterns[0].write_units_per_request == 3
    # PutItem replacing a bigger item pays for the bigger one: 3,000 B = 3 WCU
    assert _one("PutItem", item_bytes=100, before_bytes=3000).patterns[0].write_units_per_request == 3
    assert _one("DeleteItem", item_bytes=1025).patterns[0].write_units_per_request == 2
    # BatchWriteItem: 25 x 1,500 B = 25 x 2 = 50 WCU; TransactWriteItems: 2 x 2 blocks x 2 = 8 WCU
    assert _one("BatchWriteItem", items=25, item_bytes=1500).patterns[0].write_units_per_request == 50
    assert _one("TransactWriteItems", items=2, item_bytes=1500).patterns[0].write_units_per_request == 8


def test_index_writes_follow_each_projection():
    indexes = [{"name": "all", "projection": "ALL"},
               {"name": "keys", "projection": "KEYS_ONLY"},
               {"name": "some", "projection": "INCLUDE", "projected_bytes": 1000}]
    plan = _plan({"name": "put", "operation": "PutItem", "item_bytes": 2500, "per_second": 10,
                  "indexes": ["all", "keys", "some"]},
                 {"name": "move", "operation": "UpdateItem", "before_bytes": 2500, "after_bytes": 2500,
                  "per_second": 1, "indexes": ["keys"], "changes_index_key": True},
                 {"name": "by some", "operation": "Query", "items": 10, "item_bytes": 2500, "per_second": 1,
                  "index": "some"},
                 indexes=indexes)
    put, move, query = plan.patterns
    # ALL: the whole 2,500 B = 3 WCU; KEYS_ONLY: table keys 32 B + index keys 24 B = 56 B = 1 WCU;
    # INCLUDE: 56 + 1,000 = 1,056 B = 2 WCU; table 3 WCU: 3 + 3 + 1 + 2 = 9 WCU per put
    assert put.index_write_units == {"all": 3.0, "keys": 1.0, "some": 2.0}
    assert put.write_units_per_request == 9
    # an index key changed: delete the old entry (1 WCU) + put the new (1 WCU)
    assert move.index_write_units == {"keys": 2.0}
    # a Query on an INCLUDE index reads its entries: 10 x 1,056 B = 10,560 B = 3 blocks x 0.5 = 1.5 RCU on the index
    assert (query.table_read_units, query.index_read_units) == (0.0, {"some": 1.5})
    assert plan.units_by_resource()["some"] == (1.5, 20.0)
    assert plan.capacity_by_resource()["keys"] == (1, 12)  # 10 + 2 WCU/s; 0 reads -> DynamoDB's minimum 1


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["patterns"][0].update(operation="GetThing"),
     "pattern 'get order': operation must be one of GetItem, Query, Scan"),
    (lambda d: d["patterns"][0].update(consistency="transactional"),
     "pattern 'get order': consistency must be one of strong, eventual for GetItem"),
    (lambda d: d["patterns"][1].update(index="by_customer", consistency="strong"),
     "pattern 'list orders': consistency must be one of eventual for Query .a global secondary index"),
    (lambda d: d["patterns"][1].update(index="nope"),
     "pattern 'list orders': index must be one of the design's indexes .by_customer.; got 'nope'"),
    (lambda d: d["patterns"][2].update(indexes=["by_product"]),
     "pattern 'place order': indexes must be a list of distinct names among the design's indexes"),
    (lambda d: d["patterns"][2].update(item_bytes=500_000),
     "pattern 'place order': item_bytes must be a whole number from 1 to 409,600; got 500000"),
    (lambda d: d["patterns"][2].update(per_second=-1), "pattern 'place order': per_second must be a finite number"),
    (lambda d: d["patterns"][2].update(colour="red"),
     "pattern 'place order': unknown field.s. 'colour'; allowed: name, operation, per_second, keys, item_bytes"),
    (lambda d: d["patterns"][2].update(consistency="strong"), "consistency is for reads; PutItem is a write"),
    (lambda d: d["patterns"][1].pop("items"),
     "pattern 'list orders': items must be a whole number from 0 to 10,000,000; got None"),
    (lambda d: d["indexes"][0].update(projection="SOME"),
     "index 'by_customer': projection must be one of KEYS_ONLY, INCLUDE, ALL; got 'SOME'"),
    (lambda d: d["indexes"][0].update(projection="INCLUDE"), "index 'by_customer': an INCLUDE projection needs"),
    (lambda d: d["table"].update(size_gb="big"),
     "table: size_gb must be a finite number from 0 to 1,000,000,000; got 'big'"),
    (lambda d: d["table"].update(name="x"), "table: name must be 3 to 255 characters"),
    (lambda d: d["table"].pop("partition_key"), "table: missing field.s. partition_key"),
    (lambda d: d.update(patterns=[]), "design: patterns must be a list of 1 to 100 access patterns"),
    (lambda d: d["patterns"].append(dict(d["patterns"][0])), "pattern 'get order': pattern names must be unique"),
    (lambda d: d["table"].pop("sort_key"), "items must be 0 or 1 for a Query on a table without a sort key"),
    # issue 23's bounds: a Query of 10**7 items of 400 KB (3.3 million pages) took 28 s; a long design, O(n**2)
    (lambda d: d["patterns"][1].update(items=10**7, item_bytes=409_600),
     "pattern 'list orders': items must be at most 3,000 for entries of 409,600 B .dynalab's planner follows at "
     "most 1,000 pages of 1 MB a request.; got 10,000,000"),
    (lambda d: d.update(patterns=[dict(d["patterns"][0], name=f"p{n}") for n in range(101)]),
     "design: patterns must be a list of 1 to 100 access patterns .dynalab's planner limit."),
    (lambda d: d.update(indexes=[dict(d["indexes"][0], name=f"ix{n}") for n in range(21)]),
     "design: indexes must be a list of at most 20 index mappings .DynamoDB's quota"),
    (lambda d: d["patterns"][2].update(per_second=1e308),
     "pattern 'place order': per_second must be a finite number from 0 to 1,000,000,000; got 1e.308"),
])
def test_a_bad_design_names_the_pattern_the_field_and_the_allowed_values(change, message):
    design = copy.deepcopy(EXAMPLE)
    change(design)
    with pytest.raises(ValueError, match=message):
        plan_design(design)


def test_plan_table_reads_the_bundled_yaml_and_a_json_file(tmp_path):
    from_yaml = dynalab.plan_table("orders")  # data/designs/orders.yaml
    assert (from_yaml.read_capacity_units, from_yaml.write_capacity_units) == (175, 80)
    path = tmp_path / "orders.json"
    path.write_text(json.dumps(EXAMPLE))
    assert dynalab.plan_table(path).patterns == from_yaml.patterns == plan_design(EXAMPLE).patterns
    assert dynalab.plan_table(EXAMPLE).monthly_cost() == from_yaml.monthly_cost()


def test_plan_table_says_what_is_wrong_with_a_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="design file 'nowhere.yaml' not found"):
        dynalab.plan_table("nowhere.yaml")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ValueError, match="bad.json is not valid JSON"):
        dynalab.plan_table(bad)
    broken = tmp_path / "broken.yaml"
    broken.write_text("table: [unclosed\n")
    with pytest.raises(ValueError, match="broken.yaml is not valid YAML"):
        dynalab.plan_table(broken)
    listed = tmp_path / "list.yaml"
    listed.write_text("- a\n- b\n")
    with pytest.raises(ValueError, match="must hold a mapping with table, indexes and patterns; got list"):
        dynalab.plan_table(listed)
    text = tmp_path / "design.txt"
    text.write_text("{}")
    with pytest.raises(ValueError, match=r"must end in \.yaml, \.yml, \.json"):
        dynalab.plan_table(text)


def test_measured_traffic_replayed_against_the_plan():
    plan = plan_design(EXAMPLE)  # 80 WCU planned
    replay = plan.replay([40.0, 120.0, 80.0], "write")
    # peak 120, mean 80 units/s; one minute above 80 WCU
    assert (replay.peak_units_per_second, replay.mean_units_per_second, replay.minutes_above_plan) == (120, 80, 1)
    assert replay.use_percent == 100.0
    # provisioned: 80 WCU for 3 minutes = 4 WCU-hours x $0.00065 = $0.0026
    assert replay.provisioned_dollars == pytest.approx(80 * 3 / 60 * 0.00065)
    # on-demand: (40 + 120 + 80) units/s x 60 s = 14,400 WRU x $0.625 per million = $0.009
    assert replay.on_demand_dollars == pytest.approx(14_400 * 0.625e-6)
    assert "3 minutes of writes: peak 120.0 and mean 80.0 units/s against 80 planned WCU" in replay.describe()
    with pytest.raises(ValueError, match="kind must be 'read' or 'write'; got 'both'"):
        plan.replay([1.0], "both")
    with pytest.raises(ValueError, match="demand must be a non-empty"):
        plan.replay([], "read")


def test_a_cloudwatch_export_replays_against_the_plan():
    from dynalab.lessons.sample_data import course_file

    workload = dynalab.load_workload(course_file("data/cloudwatch/orders_get_metric_data.json"),
                                     metric="ConsumedReadCapacityUnits")
    replay = plan_design(EXAMPLE).replay(workload, "read")
    assert replay.minutes == workload.minutes and replay.planned_capacity_units == 175
    assert replay.peak_units_per_second == workload.demand.max()


def test_a_low_cardinality_index_key_is_a_hot_key_of_its_own():
    def plan(index_keys):
        return _plan({"name": "orders in", "operation": "PutItem", "item_bytes": 1500, "per_second": 600,
                      "keys": 1_000_000, "indexes": ["by_status"]},
                     indexes=[{"name": "by_status", "projection": "ALL", "keys": index_keys}])
    # 600 puts/s spread over a million orders: 1.2 WCU/s per table key; but every entry is 2 WCU on the index, and
    # with 1 status value that is 1,200 WCU/s on one index key, above 1,000
    (flag,) = plan(1).hot_keys
    assert (flag.where, flag.kind, flag.units_per_second_per_key) == ("by_status", "write", 1200)
    assert plan(2).hot_keys == []  # 600 WCU/s on each of 2 values
