"""Lesson 8's design editor: moving a pattern's rate re-plans the design; the readout is the plan's own words."""

from __future__ import annotations

import pytest

import dynalab
from dynalab.lessons.planner import read_design
from dynalab.widgets.planner import PlanExplorer, describe_plan


def test_moving_a_rate_replans_and_redraws():
    explorer = PlanExplorer("orders")
    assert explorer.plan.write_capacity_units == 80
    assert "provisioned $54.57, on-demand $188.89" in explorer.readout.value
    plan = explorer.set_rate("place order", 300)  # 300 orders/s x 4 WCU = 1,200 WCU
    assert plan.write_capacity_units == 1200
    expected = read_design("orders")
    expected["patterns"][2]["per_second"] = 300
    assert plan.patterns == dynalab.plan_table(expected).patterns
    assert describe_plan(plan, 70)[-1] in explorer.readout.value.replace("&gt;", ">")
    assert "1,200 WCU" in explorer.figure.layout.title.text
    explorer.pattern.value = "get order"  # picking a pattern shows its rate, and re-plans nothing
    assert explorer.per_second.value == 100 and explorer.plan is plan
    explorer.target.value = 50
    assert "at a 50 % target: 350 RCU and 2,400 WCU held" in explorer.readout.value


def test_a_bad_design_fails_before_any_widget():
    with pytest.raises(ValueError, match="pattern 'p': operation must be one of"):
        PlanExplorer({"table": {"name": "tbl", "partition_key": "pk"},
                      "patterns": [{"name": "p", "operation": "Get", "per_second": 1}]})
