"""Bring your own table: CloudWatch exports (get-metric-data JSON, timestamp,Sum CSV) as lesson-2 workloads."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

import dynalab
from dynalab.lessons.cloudwatch import units_per_second_per_minute
from dynalab.lessons.sample_data import course_root

DATA_DIR = Path(str(course_root().joinpath("data")))
SAMPLE_JSON = DATA_DIR / "cloudwatch" / "orders_get_metric_data.json"
SAMPLE_CSV = DATA_DIR / "cloudwatch" / "orders_writes.csv"


def _export(tmp_path, timestamps, values, name="export.json", **extra):
    path = tmp_path / name
    path.write_text(json.dumps({"MetricDataResults": [{"Id": "m1", "Label": "ConsumedWriteCapacityUnits",
                                                       "Timestamps": timestamps, "Values": values,
                                                       "StatusCode": "Complete", **extra}], "Messages": []}))
    return path


def test_the_committed_sample_is_what_its_seeded_script_makes():
    spec = importlib.util.spec_from_file_location("make_cloudwatch_export", DATA_DIR / "make_cloudwatch_export.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, text in module.make_all().items():
        assert (DATA_DIR / "cloudwatch" / name).read_text(encoding="utf-8") == text, name


def test_sum_per_minute_over_60_newest_first_and_gaps_as_zero(tmp_path):
    # newest first, as get-metric-data prints; 12:02 has no datapoint (no traffic): 0 units/s
    path = _export(tmp_path, ["2026-11-30T12:03:00+00:00", "2026-11-30T12:01:00+00:00", "2026-11-30T12:00:00Z"],
                   [600.0, 120.0, 60.0])
    workload = dynalab.load_workload(path)
    assert workload.demand.tolist() == [1.0, 2.0, 0.0, 10.0]  # 60/60, 120/60, gap, 600/60
    assert workload.name == "export"
    assert "1 minute(s) without a datapoint counted as 0" in workload.description
    assert "from 2026-11-30 12:00 UTC" in workload.description


def test_a_five_minute_period_is_divided_by_its_seconds():
    demand, _, filled = units_per_second_per_minute([0, 300, 900], [3000.0, 600.0, 300.0])
    # 3,000 / 300 s = 10 units/s for 5 minutes, 2 for 5, nothing for 5, then 1 for 5
    assert demand.tolist() == [10.0] * 5 + [2.0] * 5 + [0.0] * 5 + [1.0] * 5
    assert filled == 5


def test_the_sample_json_and_csv_agree_and_drive_simulate_autoscaling():
    from_json = dynalab.load_workload(SAMPLE_JSON, metric="ConsumedWriteCapacityUnits")
    from_csv = dynalab.load_workload(str(SAMPLE_CSV))
    assert np.array_equal(from_json.demand, from_csv.demand)
    assert from_json.minutes == 239 and from_json.demand.max() > 400
    reads = dynalab.load_workload(SAMPLE_JSON, metric="m1")
    assert reads.description.startswith("CloudWatch export orders_get_metric_data.json: ConsumedReadCapacityUnits")
    # a workload is its demand: the simulator and the pricing models take it as it is
    result = dynalab.simulate_autoscaling(from_json, 70)
    assert np.array_equal(result.demand, from_json.demand)
    assert result.throttled_units > 0  # the promotion spike at 08:30 outruns target tracking


def test_names_still_load_the_bundled_workloads():
    assert dynalab.load_workload("step").minutes == 120
    with pytest.raises(ValueError, match="workload must be one of diurnal_week.*or the path of a CloudWatch export"):
        dynalab.load_workload("stpe")


def test_a_csv_with_or_without_header_in_any_order(tmp_path):
    path = tmp_path / "w.csv"
    path.write_text("1764504060,120\n1764504000,60\n")
    assert dynalab.load_workload(path).demand.tolist() == [1.0, 2.0]
    path.write_text("Timestamp,Sum\n2026-11-30T12:00:00Z,30\n")
    assert dynalab.load_workload(path).demand.tolist() == [0.5]


def test_get_metric_statistics_output_is_read_too(tmp_path):
    path = tmp_path / "stats.json"
    path.write_text(json.dumps({"Label": "ConsumedReadCapacityUnits", "Datapoints": [
        {"Timestamp": "2026-11-30T12:01:00Z", "Sum": 90.0, "Unit": "Count"},
        {"Timestamp": "2026-11-30T12:00:00Z", "Sum": 30.0, "Unit": "Count"}]}))
    assert dynalab.load_workload(path).demand.tolist() == [0.5, 1.5]
    path.write_text(json.dumps({"Label": "x", "Datapoints": [{"Timestamp": "2026-11-30T12:00:00Z", "Average": 1}]}))
    with pytest.raises(ValueError, match="needs the Sum statistic"):
        dynalab.load_workload(path)


@pytest.mark.parametrize(("content", "name", "message"), [
    ("{not json", "a.json", "is not valid JSON"),
    ("[]", "a.json", "expected the JSON of 'aws cloudwatch get-metric-data'"),
    ('{"Messages": []}', "a.json", "no MetricDataResults"),
    ('{"MetricDataResults": [{"Id": "m1", "Timestamps": ["2026-11-30T12:00:00Z"], "Values": []}]}', "a.json",
     "1 timestamps but 0 values"),
    ('{"MetricDataResults": [{"Id": "m1", "Timestamps": [], "Values": []}]}', "a.json", "no datapoints"),
    ('{"MetricDataResults": [{"Id": "m1", "Timestamps": ["noon"], "Values": [1]}]}', "a.json",
     "'noon' is not an ISO 8601 timestamp"),
    ('{"MetricDataResults": [{"Id": "m1", "Timestamps": ["2026-11-30T12:00:00Z"], "Values": [-5]}]}', "a.json",
     "a Sum must be a finite number of units >= 0; got -5"),
    ('{"MetricDataResults": [{"Id": "m1", "Timestamps": ["2026-11-30T12:00:00Z", "2026-11-30T12:00:00Z"], '
     '"Values": [1, 2]}]}', "a.json", "two datapoints for 2026-11-30T12:00:00"),
    ('{"MetricDataResults": [{"Id": "m1", "Timestamps": ["2026-11-30T12:00:00Z", "2026-11-30T12:00:30Z"], '
     '"Values": [1, 2]}]}', "a.json", "whole minutes apart"),
    ("2026-11-30T12:00:00Z,1,2\n", "a.csv", "row 1 must have two columns"),
    ("2026-11-30T12:00:00Z,lots\n", "a.csv", "row 1: a Sum must be a number"),
    ("x", "a.txt", "must end in .json"),
])
def test_a_malformed_export_gives_a_clear_error(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ValueError, match=message):
        dynalab.load_workload(path)


def test_several_metrics_need_a_choice():
    with pytest.raises(ValueError, match="holds 2 metrics .*choose one with metric="):
        dynalab.load_workload(SAMPLE_JSON)
    with pytest.raises(ValueError, match="no metric with Label or Id 'ConsumedThings'"):
        dynalab.load_workload(SAMPLE_JSON, metric="ConsumedThings")
    with pytest.raises(FileNotFoundError, match="CloudWatch export 'missing.json' not found"):
        dynalab.load_workload("missing.json")


def test_lesson_2s_explorer_replays_an_export():
    from dynalab.widgets.autoscaling import AutoscalingExplorer

    workload = dynalab.load_workload(SAMPLE_JSON, metric="ConsumedWriteCapacityUnits")
    explorer = AutoscalingExplorer(workload)
    assert explorer.picker.value == "orders_get_metric_data"
    assert np.array_equal(explorer.result.demand, workload.demand)
    explorer.picker.value = "step"
    explorer.picker.value = "orders_get_metric_data"  # your own export stays in the picker
    assert explorer.workload is workload
    assert AutoscalingExplorer(str(SAMPLE_CSV)).workload.name == "orders_writes"
