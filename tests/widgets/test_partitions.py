"""Lesson 3's widgets (dynalab.widgets.partitions): the calculator and the hot-partition explorer redraw."""

from __future__ import annotations

import pytest


def test_explorer_picker_and_mode_redraw_the_load_figure():
    from dynalab.widgets.partitions import HotPartitionExplorer

    explorer = HotPartitionExplorer(read_capacity_units=5000, partitions=24, requests=100_000, duration_seconds=25)
    assert explorer.mode.value == "today"  # the default: what DynamoDB documents now
    assert explorer.load.throttled_requests == 0  # user IDs, 4,000 reads/s on 24 partitions
    explorer.picker.value = "status_codes"
    hot = explorer.load.hottest_partition
    assert explorer.load.throttled_requests > 0  # "200" alone asks more than 3,000 reads/s
    assert explorer.figure.data[1].y[hot] == pytest.approx(explorer.load.throttled_per_second[hot])
    today = explorer.load.throttled_requests
    explorer.mode.value = "2017"
    assert explorer.load.mode == "2017" and explorer.load.throttled_requests > today
    assert "2017 model" in explorer.figure.layout.title.text
    assert "'200'" in explorer.readout.value.replace("&#x27;", "'")
    with pytest.raises(ValueError, match="mode"):
        HotPartitionExplorer(mode="2019")
    with pytest.raises(ValueError, match="distribution"):
        HotPartitionExplorer(distribution="zip codes")


def test_calculator_sliders_redraw_count_share_and_figure():
    from dynalab.widgets import MAIN_CONTROL, MAIN_READOUT
    from dynalab.widgets.partitions import PartitionCalculator

    calc = PartitionCalculator(5000, 500, 8)
    assert calc.estimate.partitions == 3 and len(calc.figure.data[0].x) == 3
    calc.rcu_slider.value = 12_000
    calc.size_slider.value = 45
    assert calc.estimate.partitions == 5
    assert len(calc.figure.data[0].x) == 5
    assert list(calc.figure.data[0].y) == [2400.0] * 5
    assert "5 partition(s)" in calc.readout.value
    assert MAIN_CONTROL in calc.rcu_slider._dom_classes and MAIN_READOUT in calc.readout._dom_classes
    shown = calc.view.output.outputs[0]["data"]["application/vnd.plotly.v1+json"]
    assert shown["layout"]["title"]["text"].startswith("2017 model: 5 partition(s)")  # the redrawn figure
