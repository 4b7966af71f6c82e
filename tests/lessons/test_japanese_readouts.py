"""The lessons' readouts in Japanese (issue 18): after ``dynalab.set_language("ja")`` the texts a lesson shows
(workload descriptions, cost comparison, planner verification, event source mapping report, CloudWatch errors) come
out in Japanese; in English they are the English templates, byte for byte."""

from __future__ import annotations

import re

import pytest

import dynalab
from dynalab.lessons.cost_comparison import BatchVsStreamCost, CostDay
from dynalab.lessons.event_source_mapping import RunReport
from dynalab.lessons.planner import PatternCheck, Verification
from dynalab.lessons.workloads import load_workload

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
DAYS = [CostDay(1, 100, batch_read_units=10.5, batch_write_units=3.0, stream_read_requests=4,
                stream_read_units=3.0, stream_write_units=28.0),
        CostDay(2, 200, batch_read_units=21.0, batch_write_units=3.0, stream_read_requests=4,
                stream_read_units=2.0, stream_write_units=28.0)]


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    dynalab.set_language("en")


def _verification() -> Verification:
    return Verification("plan-orders", "moto", [
        PatternCheck("get order", "GetItem", "read", 2, {"table": 0.5}, [{"table": 0.5}, {"table": 0.5}]),
        PatternCheck("scan all", "Scan", "read", 0, {"table": 9.0}, [], note="too many items"),
    ])


def test_workload_descriptions_follow_the_language():
    assert load_workload("step").description == "a step from 100 to 400 units/s for an hour"
    dynalab.set_language("ja")
    assert load_workload("step").description == "毎秒 100 ユニットから 400 ユニットに上がる 1 時間のステップ"


def test_cost_comparison_summary_in_japanese():
    cost = BatchVsStreamCost(DAYS, lambda_trigger=True)
    english = cost.describe("on-demand")
    assert english.startswith("on-demand: batch $") and " over 2 days; " in english
    dynalab.set_language("ja")
    japanese = cost.describe("on-demand")
    assert japanese.startswith("オンデマンドモード: 2 日間でバッチ $"), japanese
    assert "over" not in japanese


def test_planner_verification_in_japanese():
    english = _verification().describe()
    assert "get order (GetItem, 2 runs): table planned 0.5, metered 0.5 RCU per request -> agree" in english
    assert english.endswith("on moto, table plan-orders: metered = planned for every pattern that ran (1 not run)")
    dynalab.set_language("ja")
    japanese = _verification().describe()
    assert "注文の取得 (GetItem、2 回実行): 1 リクエストあたり テーブルは計画 0.5、計測 0.5 RCU -> 一致" in japanese
    assert "scan all (Scan): 未実行 (too many items)" in japanese
    assert japanese.endswith("moto のテーブル plan-orders: 実行したすべてのパターンで計測値 = 計画値 (1 件は未実行)")


def test_event_source_mapping_report_in_japanese():
    report = RunReport(records_delivered=1, records_filtered=2, blocked=["shard-1 waits"])
    assert report.describe() == ("0 invocations (0 succeeded, 0 failed, 0 partly), 1 record delivered, 2 filtered "
                                 "out, 0 failure records sent; blocked: shard-1 waits")
    dynalab.set_language("ja")
    assert report.describe() == ("0 回の呼び出し (成功 0、失敗 0、一部失敗 0)、1 件のレコードを配信、"
                                 "2 件をフィルターで除外、0 件の失敗レコードを送信。停止中: shard-1 waits")


def test_a_cloudwatch_error_in_japanese(tmp_path):
    path = tmp_path / "export.txt"
    path.write_text("x")
    dynalab.set_language("ja")
    with pytest.raises(ValueError) as raised:
        load_workload(str(path))
    assert "ファイル名の末尾は .json" in str(raised.value) and _JAPANESE.search(str(raised.value))


def test_the_planners_values_are_japanese_in_japanese():
    """A bundled design's pattern names and a read's consistency are shown in Japanese (the design and code keep
    the names: set_rate("place order", ...)); a learner's own pattern name is shown as given."""
    from dynalab.lessons.planner import plan_table, read_design

    english = plan_table("orders").describe()
    assert "get order (GetItem)" in english and "(strong)" in english and "(eventual)" in english
    dynalab.set_language("ja")
    japanese = plan_table("orders").describe()
    for shown in ("注文の取得 (GetItem)", "注文の一覧 (Query)", "注文の登録 (PutItem)"):
        assert shown in japanese, japanese
    assert "(強力な整合性)" in japanese and "(結果整合性)" in japanese
    for raw in ("get order", "list orders", "place order", "(strong)", "(eventual)"):
        assert raw not in japanese, raw
    own = read_design("orders")
    own["patterns"][0]["name"] = "fetch basket"
    assert "fetch basket (GetItem)" in plan_table(own).describe()


def test_scaling_events_name_their_kind_in_japanese():
    from dynalab.models.autoscaling import simulate_autoscaling

    events = simulate_autoscaling(load_workload("flash_sale").demand, 70).events
    assert {event.kind_label for event in events} <= {"scale-out", "scale-in", "refused"}
    dynalab.set_language("ja")
    labels = {event.kind: event.kind_label for event in events}
    assert labels.get("scale-in") == "スケールイン" and labels.get("scale-out") == "スケールアウト", labels
