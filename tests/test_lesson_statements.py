"""What the lessons say, in both editions, about rules that have no number to compute: each corrected statement is
there, and the statement it replaced is gone (issue 24's audit). Each row names the ledger row it pins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

#: (ledger row, lesson, English must say, Japanese must say, neither edition may say)
STATEMENTS = [
    ('ttl-within-a-few-days',
     '07_lambda_triggers',
     '**within a few days**',
     '**数日以内**',
     ['**typically within two days**', '**通常は\n2 日以内**']),
    ('ttl-api-two-days',
     '07_lambda_triggers',
     'the API reference still says "typically within two days"',
     'API リファレンスにはまだ「通常 2 日以内」',
     []),
    ('gsi-capacity-mode-inherited',
     '06_secondary_indexes',
     "the table's capacity mode (inherited)",
     'テーブルのキャパシティモードを継承',
     ['its **own** (provisioned or on-demand)']),
    ('gsi-no-fetch',
     '06_secondary_indexes',
     '**5.5 RCU against 49**',
     '**49 RCU に対して 5.5 RCU**',
     ['Same answer, about a hundredth of the read units.']),
    ('projected-attributes-100',
     '06_secondary_indexes',
     "at most 100 across all of a table's indexes",
     '最大 100',
     []),
    ('gsi-backfill-throttle',
     '06_secondary_indexes',
     'filled (backfilled) from it',
     'バックフィル',
     []),
    ('lsi-created-with-table',
     '06_secondary_indexes',
     'never added or deleted later',
     '後から追加も削除もできない',
     []),
    ('lsi-fetch-extra-cost',
     '06_secondary_indexes',
     'fetched from the table automatically, at the cost of reading the whole item',
     'テーブルから自動的に取得される',
     []),
    ('partition-3000-1000',
     '06_secondary_indexes',
     'the ceiling of 1,000 WCU a second binds one partition-key value',
     '1 秒あたり 1,000 WCU の上限',
     ['whose partitions get 800 WCU each', '4 partitions of 750 WCU/s',
      '800 WCU を受け持ちます', '750 WCU/秒のパーティション 4 つ']),
    ('split-for-heat-streams',
     '03_partitions',
     'not available on a provisioned table with\n  Streams enabled',
     'ストリームを有効にしたプロビジョンドのテーブルではこの分離が使えない',
     ['today, table with an LSI', 'LSI 付きテーブル（現在）']),
    ('contributor-insights',
     '03_partitions',
     'Contributor Insights for DynamoDB graphs',
     'CloudWatch Contributor Insights',
     []),
    ('contributor-insights-modes',
     '03_partitions',
     'only the throttled ones',
     'スロットリングされたキーだけ',
     []),
    ('warm-throughput-no-decrease-billed',
     '03_partitions',
     'never decreased',
     '下がりません',
     []),
    ('hot-key-per-item',
     '03_partitions',
     'no\nsingle item passes 3,000 reads or 1,000 writes per second',
     '1 つの項目が、1 秒あたり 3,000 回の読み込み、1,000 回の書き込みを超えることはできません',
     ['no single key passes 3,000 reads or 1,000 writes']),
    ('bulk-put-no-global-tables',
     '05_batch_vs_stream',
     'does not support global tables',
     'グローバルテーブルには対応していません',
     []),
    ('provisioned-billed-per-hour-held',
     '05_batch_vs_stream',
     '**held**, used or not',
     '**確保した** キャパシティ',
     ["(at 70 % use, lesson 2's target)", '使用率 70 %、レッスン 2 のターゲット']),
    ('reserved-capacity',
     '08_plan_a_table',
     '**reserved capacity**',
     '**リザーブドキャパシティ**',
     ['12 GB fits in the 25 GB free tier', '12 GB は 25 GB の無料利用枠に収まります']),
    ('reserved-capacity-terms',
     '08_plan_a_table',
     'up to 54 % / 77 % off',
     '最大 54 % / 77 % の割引',
     []),
    ('database-savings-plans',
     '08_plan_a_table',
     '**Database Savings Plans**',
     'Database Savings Plans',
     []),
    ('on-demand-max-throughput',
     '02_capacity_modes_autoscaling',
     'OnDemandThroughput',
     'OnDemandThroughput',
     []),
]


def _markdown(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")


@pytest.mark.parametrize("row, lesson, english, japanese, gone", STATEMENTS, ids=[s[0] for s in STATEMENTS])
def test_the_lessons_state_the_corrected_rules(row, lesson, english, japanese, gone):
    en, ja = _markdown(NOTEBOOKS / f"{lesson}.ipynb"), _markdown(NOTEBOOKS / "ja" / f"{lesson}.ipynb")
    assert english in en, f"{lesson} (English) must teach [src:{row}]"
    assert japanese in ja, f"{lesson} (Japanese) must teach [src:{row}]"
    for old in gone:
        assert old not in en and old not in ja, f"{lesson} still says {old!r}"
