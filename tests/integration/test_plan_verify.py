"""plan.verify(lab) on a real engine: the units metered per request equal the planned ones, for every operation."""

from __future__ import annotations

import pytest

import dynalab
from dynalab.lessons.planner import PatternCheck

EVERY_OPERATION = {
    "table": {"name": "things", "partition_key": "pk", "sort_key": "sk", "size_gb": 1},
    "patterns": [
        {"name": "get strong", "operation": "GetItem", "item_bytes": 10_000, "per_second": 1, "consistency": "strong"},
        {"name": "get eventual", "operation": "GetItem", "item_bytes": 4097, "per_second": 1},
        {"name": "query", "operation": "Query", "items": 15, "item_bytes": 700, "per_second": 1},
        {"name": "query strong", "operation": "Query", "items": 3, "item_bytes": 4000, "per_second": 1,
         "consistency": "strong"},
        {"name": "scan", "operation": "Scan", "items": 12, "item_bytes": 900, "per_second": 1},
        {"name": "batch get", "operation": "BatchGetItem", "items": 4, "item_bytes": 5000, "per_second": 1},
        {"name": "transact get", "operation": "TransactGetItems", "items": 2, "item_bytes": 4500, "per_second": 1},
        {"name": "put", "operation": "PutItem", "item_bytes": 2500, "per_second": 1},
        {"name": "overwrite", "operation": "PutItem", "item_bytes": 300, "before_bytes": 3000, "per_second": 1},
        {"name": "update", "operation": "UpdateItem", "before_bytes": 1200, "after_bytes": 3100, "per_second": 1},
        {"name": "shrink", "operation": "UpdateItem", "before_bytes": 3100, "after_bytes": 200, "per_second": 1},
        {"name": "delete", "operation": "DeleteItem", "item_bytes": 2049, "per_second": 1},
        {"name": "batch write", "operation": "BatchWriteItem", "items": 5, "item_bytes": 1500, "per_second": 1},
        {"name": "transact write", "operation": "TransactWriteItems", "items": 3, "item_bytes": 1500,
         "per_second": 1},
    ],
}


def test_every_operation_meters_what_it_plans(lab):
    verification = dynalab.plan_table(EVERY_OPERATION).verify(lab, runs=2)
    assert [check.pattern for check in verification.checks] == [p["name"] for p in EVERY_OPERATION["patterns"]]
    assert verification.agrees, verification.describe()
    assert "metered = planned for every pattern" in verification.describe()
    assert not dynalab.engine.tables.table_exists(lab, verification.table_name)  # cleaned up


def test_the_issues_example_meters_what_it_plans(lab):
    verification = dynalab.plan_table("orders").verify(lab)
    get, query, put = verification.checks
    assert (get.planned, get.metered_mean) == ({"table": 1.0}, {"table": 1.0})
    assert (query.planned, query.metered_mean) == ({"table": 1.5}, {"table": 1.5})
    assert put.planned == {"table": 2.0, "by_customer": 2.0}
    assert put.metered_mean == {"table": 2.0, "by_customer": 2.0}  # ReturnConsumedCapacity=INDEXES, per part
    assert verification.agrees, verification.describe()


def test_a_difference_is_shown_not_hidden():
    check = PatternCheck("p", "PutItem", "write", 2, {"table": 2.0}, [{"table": 2.0}, {"table": 3.0}])
    assert not check.agrees
    assert check.differences == {"table": (2.0, [2.0, 3.0])}
    assert "DIFFER: table planned 2, metered 2, 3" in check.describe()


def test_verify_refuses_bad_arguments(lab):
    plan = dynalab.plan_table("orders")
    with pytest.raises(ValueError, match="runs must be an integer from 1 to 20; got 0"):
        plan.verify(lab, runs=0)
    small_keys = dict(EVERY_OPERATION, table={**EVERY_OPERATION["table"], "key_bytes": 4},
                      patterns=EVERY_OPERATION["patterns"][:1])
    with pytest.raises(ValueError, match="table key_bytes .4. is too small"):
        dynalab.plan_table(small_keys).verify(lab)


WITH_INDEXES = {
    "table": {"name": "things", "partition_key": "pk", "sort_key": "sk"},
    "indexes": [{"name": "all", "projection": "ALL"},
                {"name": "keys", "projection": "KEYS_ONLY", "sort_key": "isk"},
                {"name": "some", "projection": "INCLUDE", "projected_bytes": 1000},
                {"name": "other", "projection": "INCLUDE", "projected_bytes": 3000}],
    "patterns": [
        {"name": "put", "operation": "PutItem", "item_bytes": 5000, "per_second": 1,
         "indexes": ["all", "keys", "some", "other"]},
        {"name": "move", "operation": "UpdateItem", "before_bytes": 2500, "after_bytes": 2600, "per_second": 1,
         "indexes": ["keys"], "changes_index_key": True},
        {"name": "replace", "operation": "PutItem", "before_bytes": 2500, "item_bytes": 2600, "per_second": 1,
         "indexes": ["some"], "changes_index_key": True},
        {"name": "delete", "operation": "DeleteItem", "item_bytes": 2500, "per_second": 1, "indexes": ["some"]},
        {"name": "batch", "operation": "BatchWriteItem", "items": 3, "item_bytes": 2500, "per_second": 1,
         "indexes": ["all"]},
        {"name": "query all", "operation": "Query", "items": 10, "item_bytes": 2500, "per_second": 1, "index": "all"},
        {"name": "query some", "operation": "Query", "items": 10, "item_bytes": 2500, "per_second": 1,
         "index": "some"},
        {"name": "scan keys", "operation": "Scan", "items": 10, "item_bytes": 2500, "per_second": 1, "index": "keys"},
    ],
}


def test_index_patterns_meter_what_they_plan(lab):
    verification = dynalab.plan_table(WITH_INDEXES).verify(lab, runs=2)
    query = next(check for check in verification.checks if check.pattern == "query some")
    assert query.metered_mean == {"table": 0.0, "some": 1.5}  # an index read is charged to the index
    assert not any(check.note for check in verification.checks), verification.describe()
    assert verification.agrees, verification.describe()


def test_an_index_the_engine_does_not_report_is_shown_as_a_difference():
    check = PatternCheck("p", "PutItem", "write", 1, {"table": 2.0, "gsi": 2.0}, [{"table": 2.0}],
                         note="the engine's answer reports no units for index gsi")
    assert not check.agrees and "DIFFER: gsi planned 2, metered 0" in check.describe()
    assert "reports no units for index gsi" in check.describe()


def test_a_pattern_too_big_to_write_is_said_not_run(lab):
    design = {"table": {"name": "big", "partition_key": "pk", "sort_key": "sk"},
              "patterns": [{"name": "huge scan", "operation": "Scan", "items": 1_000_000, "item_bytes": 100,
                            "per_second": 1},
                           {"name": "get", "operation": "GetItem", "item_bytes": 100, "per_second": 1}]}
    verification = dynalab.plan_table(design).verify(lab, runs=1)
    assert verification.not_run == ["huge scan"] and verification.agrees
    assert ("huge scan (Scan): not run (it reads 1,000,000 items a request; verify writes at most 5,000 items and "
            "32 MB)") in verification.describe()
    assert "metered = planned for every pattern that ran (1 not run)" in verification.describe()


def test_a_pattern_of_few_but_large_items_is_not_run_either(lab):
    """Issue 23: 1,000 items of 400 KB (400 MB in the engine) are under the item bound, over the byte bound."""
    design = {"table": {"name": "big", "partition_key": "pk", "sort_key": "sk"},
              "patterns": [{"name": "fat query", "operation": "Query", "items": 1_000, "item_bytes": 409_600,
                            "per_second": 1}]}
    verification = dynalab.plan_table(design).verify(lab, runs=1)
    assert verification.not_run == ["fat query"]


def test_runs_times_patterns_is_bounded(lab):
    design = {"table": {"name": "many", "partition_key": "pk"},
              "patterns": [{"name": f"get {n}", "operation": "GetItem", "item_bytes": 100, "per_second": 1}
                           for n in range(11)]}
    with pytest.raises(ValueError, match=r"len\(plan.patterns\) × runs must be an integer <= 200"):
        dynalab.plan_table(design).verify(lab, runs=20)
