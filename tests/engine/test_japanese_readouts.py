"""The engine's readouts and errors in Japanese (issue 18): Lab.describe(), a lease's state line, the cleanup
report and a BatchWriteError read in Japanese after ``dynalab.set_language("ja")``; English stays as it was."""

from __future__ import annotations

import pytest

import dynalab
from dynalab.engine import Lab
from dynalab.engine.cleanup import CleanupReport
from dynalab.engine.streams import Lease
from dynalab.engine.tables import BatchWriteError, _raise_incomplete


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    dynalab.set_language("en")


def _lab() -> Lab:
    return Lab(endpoint_url="http://127.0.0.1:8000", engine="moto", embedded=True, client=None, resource=None,
               streams=None, fidelity=None)  # type: ignore[arg-type]


def test_lab_describe_in_both_languages():
    assert _lab().describe() == ("engine: moto (DynamoDB-compatible, in Python), embedded: started by dynalab on "
                                 "127.0.0.1; endpoint: http://127.0.0.1:8000")
    dynalab.set_language("ja")
    assert _lab().describe() == ("エンジン: moto (DynamoDB 互換、Python 製)、組み込み: dynalab が 127.0.0.1 で起動、"
                                 "エンドポイント: http://127.0.0.1:8000")


def test_lease_and_cleanup_lines_in_japanese():
    lease = Lease("shard-0001", True, "me", took_over_from="reader@host/1/abc", reason="expired")
    report = CleanupReport("dynalab-", created=["table dynalab-votes"], deleted=["table dynalab-votes"])
    english = report.summary()
    assert english.startswith("dynalab cleanup (prefix 'dynalab-'): found 1 resources dynalab created:")
    assert "  deleted: table dynalab-votes" in english
    dynalab.set_language("ja")
    assert lease.describe().startswith("シャード shard-0001 を reader")
    assert lease.describe().endswith("から引き継ぎました (そのリースは期限切れでした)")
    japanese = report.summary()
    assert "dynalab が作成したリソースが 1 個見つかりました" in japanese
    assert "  削除済み: table dynalab-votes" in japanese
    assert "dynalab が作成して残っているもの: なし" in japanese


def test_a_batch_write_error_in_japanese():
    writes = [("votes", {"PutRequest": {"Item": {}}})] * 3
    with pytest.raises(BatchWriteError, match=r"^1 of 3 written; write 1 failed: boom\. Not written: 1\.$"):
        _raise_incomplete(writes, 1, 1, "boom", [1], [0, 1, 2])
    dynalab.set_language("ja")
    with pytest.raises(BatchWriteError) as raised:
        _raise_incomplete(writes, 1, 1, "boom", [1], [0, 1, 2])
    assert str(raised.value) == ("3 件中 1 件を書き込みました。書き込み 1 が失敗しました (boom)。"
                                 "書き込まれていないもの: 1。")
