"""Make the lesson-2 workloads in data/workloads/ (fixed seed: running it again writes the same files).

    python data/make_workloads.py

Each file is ``minute,units_per_second``: the capacity units per second an application asks for, one row per
minute. ``tests/test_workloads.py`` regenerates them in memory and checks the committed files are identical.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

SEED = 20241114
OUT = Path(__file__).resolve().parent / "workloads"


def diurnal_week(rng: np.random.Generator) -> np.ndarray:
    """Seven days: a daily wave (quiet at 03:00 UTC, busiest at 15:00), weekends at 60 %, a little noise."""
    minutes = np.arange(7 * 1440)
    hour = (minutes % 1440) / 60.0
    wave = 0.5 - 0.5 * np.cos(2 * np.pi * (hour - 3.0) / 24.0)
    weekend = np.where(minutes // 1440 >= 5, 0.6, 1.0)
    demand = (40 + 360 * wave) * weekend + rng.normal(0, 8, minutes.size)
    return np.clip(np.round(demand), 1, None)


def flash_sale(rng: np.random.Generator) -> np.ndarray:
    """Six hours: 100 units/s, then a sale opens at minute 120: 1,500 units/s at once, fading over an hour."""
    minutes = np.arange(360)
    demand = np.full(minutes.size, 100.0)
    after = minutes >= 120
    demand[after] += 1400 * np.exp(-(minutes[after] - 120) / 45.0)
    demand += rng.normal(0, 3, minutes.size)
    return np.clip(np.round(demand), 1, None)


def spaced_spikes(rng: np.random.Generator) -> np.ndarray:
    """Three hours at 100 units/s with a one-minute spike to 500 every 3 minutes: never two high minutes in a row.

    No noise: the baseline sits just under a 70 % target (100 of 143), so only the spikes cross it.
    """
    minutes = np.arange(180)
    demand = np.full(minutes.size, 100.0)
    demand[(minutes >= 30) & (minutes % 3 == 0)] = 500
    return demand


def step(rng: np.random.Generator) -> np.ndarray:
    """Two hours: 100 units/s, 400 from minute 20 to 80, then 100 again (the unit tests' hand-worked step)."""
    minutes = np.arange(120)
    return np.where((minutes >= 20) & (minutes < 80), 400.0, 100.0)


MAKERS = {"diurnal_week": diurnal_week, "flash_sale": flash_sale, "spaced_spikes": spaced_spikes, "step": step}


def make_all() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(SEED)
    return {name: maker(rng) for name, maker in MAKERS.items()}


def write(name: str, demand: np.ndarray, folder: Path = OUT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    with path.open("w", newline="", encoding="utf-8") as file:
        out = csv.writer(file, lineterminator="\n")
        out.writerow(["minute", "units_per_second"])
        out.writerows((minute, int(value)) for minute, value in enumerate(demand))
    return path


def main(argv: list[str]) -> None:
    for name, demand in make_all().items():
        print(f"{write(name, demand)}: {demand.size} minutes")


if __name__ == "__main__":
    main(sys.argv[1:])
