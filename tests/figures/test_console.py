"""The console's graphs: consumed against provisioned and throttle events per minute; Contributor Insights' top keys."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest

import dynalab
from dynalab.figures.console import console_metrics_figure, top_keys_figure
from dynalab.lessons.console import ConsoleMetrics, TopKey

START = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)


def metrics(minutes=3, provisioned=20.0):
    moments = [START + dt.timedelta(minutes=i) for i in range(minutes)]
    zeros = np.zeros(minutes)
    return ConsoleMetrics("t", None, moments, zeros, np.array([1.5, 0.0, 0.25][:minutes]), np.full(minutes, math.nan),
                          np.full(minutes, provisioned), zeros, np.array([578.0, 0.0, 1.0][:minutes]))


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    dynalab.set_language("en")


def test_the_usage_graph_sets_consumed_against_provisioned_and_the_throttle_events_below():
    figure = console_metrics_figure(metrics())
    consumed, provisioned, throttles = figure.data
    assert list(consumed.y) == [1.5, 0.0, 0.25] and list(provisioned.y) == [20.0] * 3
    assert list(throttles.y) == [578.0, 0.0, 1.0] and throttles.type == "bar"
    assert [a.text for a in figure.layout.annotations] == ["Write usage (average units/second)",
                                                          "Write throttled events (count)"]
    read = console_metrics_figure(metrics(), kind="read")
    assert list(read.data[1].y) == [None] * 3  # on-demand reads: no provisioned line
    assert metrics().end == START + dt.timedelta(minutes=3)
    assert "busiest minute 1.50 write units/s" in metrics().describe() and "579 write throttle" in metrics().describe()


def test_bad_data_is_refused_at_the_door():
    with pytest.raises(TypeError):
        console_metrics_figure(object())
    with pytest.raises(ValueError):
        console_metrics_figure(metrics(), kind="writes")
    short = metrics()
    with pytest.raises(ValueError):
        console_metrics_figure(ConsoleMetrics("t", None, short.minutes[:2], short.consumed_read, short.consumed_write,
                                              short.provisioned_read, short.provisioned_write,
                                              short.read_throttle_events, short.write_throttle_events))
    with pytest.raises(ValueError):
        top_keys_figure([])
    with pytest.raises(TypeError):
        top_keys_figure([("device-0", 3)])


def test_top_keys_draw_the_first_on_top_and_speak_japanese():
    figure = top_keys_figure([TopKey(("device-000000",), 124.0), TopKey(("device-000001",), 37.0)])
    assert list(figure.data[0].y) == ["device-000001", "device-000000"]  # plotly draws bottom-up
    dynalab.set_language("ja")
    assert "書き込み" in console_metrics_figure(metrics()).layout.annotations[0].text
    assert "上位" in top_keys_figure([TopKey(("a",), 1.0)]).layout.title.text
