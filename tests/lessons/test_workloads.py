"""The committed workloads are exactly what data/make_workloads.py makes with its fixed seed, and have their shapes."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from dynalab.lessons.workloads import WORKLOADS, load_workload, workload_names

#: The scripts that make the data stay in the repository's data/ folder (the wheel carries only the data).
DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def _maker():
    spec = importlib.util.spec_from_file_location("make_workloads", DATA_DIR / "make_workloads.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_files_match_the_seeded_script(tmp_path):
    maker = _maker()
    for name, demand in maker.make_all().items():
        written = maker.write(name, demand, tmp_path)
        assert written.read_bytes() == (DATA_DIR / "workloads" / f"{name}.csv").read_bytes(), name
    assert set(maker.MAKERS) == set(WORKLOADS)


def test_every_workload_loads_with_non_negative_demand():
    for name in workload_names():
        workload = load_workload(name)
        assert workload.minutes > 0 and np.all(workload.demand >= 0)
        assert workload.description == WORKLOADS[name]


def test_shapes():
    week = load_workload("diurnal_week")
    assert week.minutes == 7 * 1440
    days = week.demand.reshape(7, 1440).mean(axis=1)
    assert days[5] < 0.8 * days[0]  # quieter weekends
    sale = load_workload("flash_sale").demand
    assert sale[121] > 10 * sale[119]
    spikes = load_workload("spaced_spikes").demand
    high = spikes > 300
    assert high.sum() > 10 and not np.any(high[1:] & high[:-1])  # never two high minutes in a row
    step = load_workload("step").demand
    assert set(step.tolist()) == {100.0, 400.0}


def test_an_unknown_workload_lists_the_names():
    with pytest.raises(ValueError, match="workload must be one of diurnal_week"):
        load_workload("black_friday")
