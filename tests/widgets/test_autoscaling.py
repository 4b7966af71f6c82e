"""Lesson 2's explorer (dynalab.widgets.autoscaling): sliders and the workload picker recompute the run."""

from __future__ import annotations

import numpy as np
import pytest


def test_the_explorer_slider_recomputes_the_run_and_its_costs():
    from dynalab.widgets.autoscaling import AutoscalingExplorer

    explorer = AutoscalingExplorer("step", 70)
    assert explorer.result.parameters["target_utilization"] == 70
    explorer.slider.value = 35
    assert explorer.result.parameters["target_utilization"] == 35
    assert explorer.readout.value.startswith("target 35 %")
    assert explorer.costs.provisioned_autoscaling > 0
    assert (explorer.slider.min, explorer.slider.max) == (20, 90)  # the slider cannot give an invalid target
    with pytest.raises(ValueError, match="workload must be one of"):
        AutoscalingExplorer("nope")


def test_the_explorer_picker_switches_the_workload():
    from dynalab.lessons.workloads import load_workload
    from dynalab.widgets.autoscaling import AutoscalingExplorer

    explorer = AutoscalingExplorer("step", 70)
    explorer.picker.value = "flash_sale"
    assert np.array_equal(explorer.result.demand, load_workload("flash_sale").demand)
    assert explorer.figure.layout.title.text.startswith(load_workload("flash_sale").description)
