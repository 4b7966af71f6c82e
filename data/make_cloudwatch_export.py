"""Make the sample CloudWatch exports in data/cloudwatch/ (fixed seed: running it again writes the same files).

    python data/make_cloudwatch_export.py

An orders table's morning, 06:00 to 10:00 UTC on 2026-11-30, one datapoint a minute, as CloudWatch gives it:

* ``orders_get_metric_data.json``: what ``aws cloudwatch get-metric-data`` prints for two queries (Sum, period 60)
  of ConsumedReadCapacityUnits and ConsumedWriteCapacityUnits: timestamps newest first; the quiet minutes before
  06:20 with no writes have no datapoint at all (CloudWatch leaves them out);
* ``orders_writes.csv``: the write metric as a two-column CSV (timestamp, Sum), oldest first.

The values are Sums over a minute (units per second x 60). ``tests/lessons/test_cloudwatch.py`` regenerates them in
memory and checks the committed files are identical.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

SEED = 20261130
OUT = Path(__file__).resolve().parent / "cloudwatch"
START = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)
MINUTES = 240


def morning(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Write and read units per second, per minute: quiet, a ramp to the rush at 08:00, a 10-minute promotion
    spike at 08:30 (3x), then a slow fall. Writes before 06:20 are mostly none (gaps in the export)."""
    minute = np.arange(MINUTES)
    ramp = 20 + 140 / (1 + np.exp(-(minute - 110) / 15))
    fall = np.where(minute > 180, np.exp(-(minute - 180) / 40), 1.0)
    writes = ramp * fall + rng.normal(0, 4, MINUTES)
    writes[(minute >= 150) & (minute < 160)] *= 3
    writes = np.clip(np.round(writes, 1), 0.5, None)
    writes[:20] = np.where(rng.random(20) < 0.6, 0.0, np.round(rng.uniform(0.5, 3, 20), 1))
    reads = np.clip(np.round(3 * writes + rng.normal(0, 6, MINUTES) * 2) / 2, 0.5, None)  # whole or half units
    return writes, reads


def sums(units_per_second: np.ndarray) -> list[float]:
    return [round(float(v) * 60, 1) for v in units_per_second]


def stamp(minute: int) -> str:
    return (START + timedelta(minutes=minute)).isoformat()  # 2026-11-30T06:00:00+00:00, as the CLI prints


def make_all() -> dict[str, str]:
    writes, reads = morning(np.random.default_rng(SEED))
    results = []
    for number, (name, series) in enumerate((("ConsumedReadCapacityUnits", reads),
                                             ("ConsumedWriteCapacityUnits", writes))):
        kept = [m for m in range(MINUTES) if series[m] > 0]  # CloudWatch has no datapoint for a minute of nothing
        kept.reverse()  # get-metric-data's default ScanBy is TimestampDescending: newest first
        results.append({"Id": f"m{number + 1}", "Label": name, "Timestamps": [stamp(m) for m in kept],
                        "Values": [sums(series)[m] for m in kept], "StatusCode": "Complete"})
    exported = json.dumps({"MetricDataResults": results, "Messages": []}, indent=4) + "\n"
    rows = ["timestamp,sum"] + [f"{stamp(m)},{sums(writes)[m]}" for m in range(MINUTES) if writes[m] > 0]
    return {"orders_get_metric_data.json": exported, "orders_writes.csv": "\n".join(rows) + "\n"}


def main(argv: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, text in make_all().items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"{OUT / name}: {len(text):,} characters")


if __name__ == "__main__":
    main(sys.argv[1:])
