"""The models speak the learner's language (issue 18): the validation layer's messages, readouts and labels come
out in Japanese after ``dynalab.set_language("ja")`` and in English, byte for byte as before, by default."""

from __future__ import annotations

import pytest

import dynalab
from dynalab.models import checks
from dynalab.models.hot_partitions import MODE_LABELS
from dynalab.models.naming import table_name_problem, table_name_rule
from dynalab.models.partitions import estimate_partitions
from dynalab.models.sizing import item_size


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    dynalab.set_language("en")


def _message(call, *args, **kwargs) -> str:
    with pytest.raises((TypeError, ValueError)) as raised:
        call(*args, **kwargs)
    return str(raised.value)


def test_the_validation_layer_is_english_by_default() -> None:
    assert dynalab.get_language() == "en"
    assert _message(checks.number, "read_capacity_units", -1, low=1, high=40_000, integer=True) == (
        "read_capacity_units must be an integer from 1 to 40,000; got -1")
    assert _message(checks.flag, "reset", "no") == "reset must be True or False; got 'no' (str)"
    assert _message(checks.text, "name", "", min_length=1) == "name must be text of at least 1 character; got ''"
    assert _message(checks.sequence_of, "demand", [1], min_length=2) == (
        "demand must be a list of at least 2 elements; got 1 elements")


def test_the_validation_layer_speaks_japanese() -> None:
    dynalab.set_language("ja")
    assert _message(checks.number, "read_capacity_units", -1, low=1, high=40_000, integer=True) == (
        "read_capacity_units に指定できる値: 1 から 40,000 までの整数。-1 が指定されました")
    assert _message(checks.number, "target", 0, low=0, low_open=True) == (
        "target に指定できる値: 0 超の有限の数値。0 が指定されました")
    assert _message(checks.flag, "reset", "no") == (
        "reset に指定できる値: True または False。'no' (str) が指定されました")
    assert _message(checks.choice, "mode", "fast", ["provisioned", "on-demand"]) == (
        "mode には 'provisioned', 'on-demand' のいずれかを指定してください。'fast' が指定されました")
    assert _message(checks.size_bytes, "size_bytes", -1) == (
        "size_bytes に指定できる値: 0 から 409,600 までの整数 (バイト。項目の最大サイズは 400 KB = 409,600 B)。"
        "-1 が指定されました")


def test_callers_words_are_translated_when_marked() -> None:
    dynalab.set_language("ja")
    message = _message(checks.number, "seconds", -1, low=0, unit="seconds")  # "seconds" is marked N_ in models
    assert message.endswith("0 以上の有限の数値 (秒)。-1 が指定されました")
    assert "(GB)" in _message(checks.number, "size_gb", -1, low=0, unit="GB")  # no entry: shown as given


def test_model_messages_and_readouts_speak_japanese() -> None:
    estimate = estimate_partitions(5000, 500, 1)
    english = estimate.describe()
    assert english.startswith("2017 model: throughput term 3, size term 1 -> 3 partition(s)")
    assert "a table name must be 3 to 255 characters" in table_name_problem("ab")
    dynalab.set_language("ja")
    assert estimate.describe().startswith("2017 年のモデル: スループット項 3、サイズ項 1 -> パーティション 3 個")
    assert table_name_rule() == "A-Z、a-z、0-9、'_'、'-'、'.' からなる 3～255 文字"
    assert table_name_problem("ab") == (
        "テーブル名は A-Z、a-z、0-9、'_'、'-'、'.' からなる 3～255 文字にしてください。'ab' が指定されました")
    assert _message(item_size, {"pk": {1, "a"}}).startswith("項目の属性 'pk': セットは 1 つの型")
    assert _message(item_size, {"pk": set()}) == "項目の属性 'pk': DynamoDB は空のセットを保存しません"
    assert dynalab.i18n.tr(MODE_LABELS["2017"]) == "2017 年のモデル"
    dynalab.set_language("en")
    assert estimate.describe() == english
    assert _message(item_size, {"pk": set()}) == "item attribute 'pk': DynamoDB does not store empty sets"


def test_label_tables_show_themselves_in_the_current_language() -> None:
    from dynalab.models.key_distributions import CARDINALITY_TABLE
    from dynalab.models.pricing import DEFAULT_PRICES

    label, verdict, name = CARDINALITY_TABLE[0]
    assert f"{label} ({verdict})" == "user ID, many users (good)" and name == "user_ids"
    dynalab.set_language("ja")
    assert f"{label:<20}|{verdict}" == "ユーザー ID (ユーザーが多い)".ljust(20) + "|良い"
    assert verdict == "good" and repr(verdict) == "'good'"  # comparisons and repr keep the English key
    assert str(DEFAULT_PRICES.taken).startswith("2026 年 12 月に読んだ AWS Price List")
    assert f"{MODE_LABELS['today_no_isolation']}" == "現在、分離なし (プロビジョンド、ストリームあり)"
