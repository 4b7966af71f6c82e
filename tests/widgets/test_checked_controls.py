"""The checked controls of dynalab.widgets: a value set from the kernel is checked against the control's own range
(never clamped, never a traitlets error); the browser's moves are untouched; a bad constructor argument leaves no
widget behind."""

from __future__ import annotations

import math

import ipywidgets as widgets
import pytest
from ipywidgets.widgets.widget import _instances

from dynalab.widgets import LessonWidget, check_value, checked


def test_a_checked_slider_refuses_instead_of_clamping():
    slider = checked(widgets.IntSlider, "target_utilization", 70, min=20, max=90, description="target %")
    seen = []
    slider.observe(lambda change: seen.append(change["new"]), names="value")
    slider.value = 40
    for bad in (95, 5, None, "70", 70.5, True, math.nan):
        with pytest.raises((ValueError, TypeError), match=r"target_utilization \(the 'target %' control\) must be "
                                                          r"an integer from 20 to 90"):
            slider.value = bad
    assert slider.value == 40 and seen == [40]  # nothing clamped, nothing redrawn
    slider.max = 95
    slider.value = 95  # the live max counts
    slider.set_state({"value": 50})  # what the browser sends: not checked here (it is in range)
    assert slider.value == 50


def test_pickers_checkboxes_and_rules():
    picker = checked(widgets.Dropdown, "retries", -1, options=[("until expiry", -1), ("2", 2)])
    with pytest.raises(ValueError, match=r"retries must be one of -1, 2; got 3"):
        picker.value = 3
    box = checked(widgets.Checkbox, "bisect", False)
    with pytest.raises(TypeError, match="bisect must be True or False"):
        box.value = "no"
    even = checked(widgets.IntText, "n", 2, rule=lambda name, v: v if v % 2 == 0 else
                   (_ for _ in ()).throw(ValueError(f"{name} must be even; got {v}")))
    with pytest.raises(ValueError, match="n must be even; got 3"):
        even.value = 3
    assert check_value(picker, 2) == 2 and picker.value == -1  # checking does not set


def test_a_bad_initial_value_leaves_no_widget():
    before = len(_instances)
    with pytest.raises(ValueError, match="x must be an integer from 0 to 10; got 500"):
        checked(widgets.IntSlider, "x", 500, min=0, max=10)
    assert len(_instances) == before


def test_set_controls_is_all_or_none():
    a = checked(widgets.IntSlider, "a", 1, min=0, max=10)
    b = checked(widgets.IntSlider, "b", 1, min=0, max=10)
    with pytest.raises(ValueError, match="b must be"):
        LessonWidget.set_controls((a, 5), (b, 50))
    assert (a.value, b.value) == (1, 1)
    LessonWidget.set_controls((a, 5), (b, None))
    assert (a.value, b.value) == (5, 1)


@pytest.mark.parametrize("build", [
    lambda: __import__("dynalab.widgets.autoscaling", fromlist=["x"]).AutoscalingExplorer(target_utilization=95),
    lambda: __import__("dynalab.widgets.partitions", fromlist=["x"]).PartitionCalculator(size_gb=501),
    lambda: __import__("dynalab.widgets.partitions", fromlist=["x"]).HotPartitionExplorer(requests=10**12),
    lambda: __import__("dynalab.widgets.capacity", fromlist=["x"]).ItemCostExplorer(text_kind="emoji"),
    lambda: __import__("dynalab.widgets.indexes", fromlist=["x"]).IndexWriteExplorer(index_count=6),
    lambda: __import__("dynalab.widgets.planner", fromlist=["x"]).PlanExplorer(target_utilization=10),
])
def test_a_widget_checks_its_arguments_before_building_anything(build):
    before = len(_instances)
    with pytest.raises((ValueError, TypeError)):
        build()
    assert len(_instances) == before
