"""Lesson 2's workloads: demand series (capacity units per second, one value per minute) read from ``data/``.

``data/make_workloads.py`` makes the files with a fixed seed; each is described in ``WORKLOADS``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dynalab.lessons.sample_data import read_csv

__all__ = ["WORKLOADS", "Workload", "load_workload", "workload_names"]

#: name -> what the workload shows (the picker's labels come from here).
WORKLOADS: dict[str, str] = {
    "diurnal_week": "a steady week: a daily wave, quieter weekends",
    "flash_sale": "a flash sale: 100 → 1,500 units/s at once, fading over an hour",
    "spaced_spikes": "one-minute spikes every 3 minutes: never 2 high datapoints in a row",
    "step": "a step from 100 to 400 units/s for an hour",
}


@dataclass(frozen=True)
class Workload:
    name: str
    description: str
    demand: np.ndarray  # units per second, one value per minute

    @property
    def minutes(self) -> int:
        return int(self.demand.size)


def workload_names() -> list[str]:
    return list(WORKLOADS)


def load_workload(name: str) -> Workload:
    """Read ``data/workloads/<name>.csv``; a ValueError lists the names there are."""
    if name not in WORKLOADS:
        raise ValueError(f"workload must be one of {', '.join(WORKLOADS)}; got {name!r}")
    rows = read_csv(f"workloads/{name}.csv")
    minutes = [int(row["minute"]) for row in rows]
    if minutes != list(range(len(rows))):
        raise ValueError(f"data/workloads/{name}.csv: the minute column must count 0, 1, 2, ... without gaps")
    demand = np.array([float(row["units_per_second"]) for row in rows])
    return Workload(name, WORKLOADS[name], demand)
