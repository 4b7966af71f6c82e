"""Lesson 2's workloads: demand series (capacity units per second, one value per minute) read from ``data/``.

``data/make_workloads.py`` makes the files with a fixed seed; each is described in ``WORKLOADS``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import numpy as np

from dynalab.i18n import N_, tr
from dynalab.lessons.sample_data import read_csv
from dynalab.models import checks

__all__ = ["WORKLOADS", "Workload", "load_workload", "workload_names"]

#: name -> what the workload shows (the picker's labels come from here).
WORKLOADS: dict[str, str] = {
    "diurnal_week": N_("a steady week: a daily wave, quieter weekends"),
    "flash_sale": N_("a flash sale: 100 → 1,500 units/s at once, fading over an hour"),
    "spaced_spikes": N_("one-minute spikes every 3 minutes: never 2 high datapoints in a row"),
    "step": N_("a step from 100 to 400 units/s for an hour"),
}


@dataclass(frozen=True)
class Workload:
    name: str
    description: str
    demand: np.ndarray  # units per second, one value per minute

    @property
    def minutes(self) -> int:
        return int(self.demand.size)

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        # np.asarray(workload) is its demand: simulate_autoscaling(workload) and the pricing models accept it
        return np.array(self.demand, dtype=dtype, copy=True if copy else None)


def workload_names() -> list[str]:
    return list(WORKLOADS)


def _is_path(name: Any) -> bool:
    if isinstance(name, os.PathLike):
        return True
    return isinstance(name, str) and (name.lower().endswith((".json", ".csv")) or os.sep in name or "/" in name)


def load_workload(name: str | os.PathLike, metric: str | None = None) -> Workload:
    """Read ``data/workloads/<name>.csv``, or a CloudWatch export of consumed capacity given by its path (.json
    from ``aws cloudwatch get-metric-data``, or a timestamp,Sum .csv: ``dynalab.lessons.cloudwatch``; ``metric``
    picks one of several metrics in a JSON export). A ValueError lists the names there are."""
    if not isinstance(name, str | os.PathLike):
        raise checks.ParameterTypeError(tr("name must be one of {workloads_list}, or the path of a CloudWatch export "
                                           "(.json or .csv); got {kind} {name!r:.60}",
                                           workloads_list=', '.join(WORKLOADS), kind=type(name).__name__, name=name))
    checks.optional(checks.text, "metric", metric, min_length=1)
    if _is_path(name) and not (isinstance(name, str) and name in WORKLOADS):
        from dynalab.lessons.cloudwatch import read_cloudwatch_export

        try:
            export = read_cloudwatch_export(name, metric)
        except FileNotFoundError as error:
            raise type(error)(tr("name: {error}", error=error)) from None
        return Workload(export.name, export.description, export.demand)
    if name not in WORKLOADS:
        raise ValueError(tr("name: a workload must be one of {workloads_list}, or the path of a CloudWatch export "
                            "(.json or .csv); got {name!r}", workloads_list=', '.join(WORKLOADS), name=name))
    rows = read_csv(f"workloads/{name}.csv")
    minutes = [int(row["minute"]) for row in rows]
    if minutes != list(range(len(rows))):
        raise ValueError(tr("data/workloads/{name}.csv: the minute column must count 0, 1, 2, ... without gaps",
                            name=name))
    demand = np.array([float(row["units_per_second"]) for row in rows])
    return Workload(name, tr(WORKLOADS[name]), demand)
