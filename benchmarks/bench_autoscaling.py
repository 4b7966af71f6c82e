"""Lesson 2's speed goals: simulate 30 days at one-minute resolution, and the target slider's recompute-and-redraw.

    .venv/bin/python benchmarks/bench_autoscaling.py

Prints one figure a line, ``name: value unit (goal ...)``; each is the median of several runs.
"""

from __future__ import annotations

import numpy as np
from timing import median_ms


def main() -> None:
    from dynalab.lessons.workloads import load_workload
    from dynalab.models.autoscaling import simulate_autoscaling
    from dynalab.widgets.autoscaling import AutoscalingExplorer

    week = load_workload("diurnal_week").demand
    month = np.resize(week, 30 * 1440)  # the week repeated: 30 days, one value per minute
    simulate_ms = median_ms(lambda: simulate_autoscaling(month, 70), 9)
    print(f"simulate 30 days at one-minute resolution ({month.size} minutes): {simulate_ms:.1f} ms (goal <= 50 ms)")

    explorer = AutoscalingExplorer("diurnal_week", 70)
    targets = iter([50, 80, 30, 60, 90, 20, 75, 45, 65, 35, 85])
    redraw_ms = median_ms(lambda: setattr(explorer.slider, "value", next(targets)), 11, warm_up=False)
    print(f"target slider recompute-and-redraw (a week, {week.size} minutes): {redraw_ms:.1f} ms (goal <= 100 ms)")


if __name__ == "__main__":
    main()
