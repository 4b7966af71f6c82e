"""The timing and memory helpers the bench scripts share (each script stays runnable on its own: its folder is on
sys.path)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from pathlib import Path


def median_ms(action: Callable[[], object], repeat: int, *, warm_up: bool = True) -> float:
    """Median of ``repeat`` timings of ``action()``, in milliseconds; one untimed call first (imports, caches)
    unless ``warm_up`` is false (an action that consumes a fixed supply of values)."""
    if warm_up:
        action()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def rss_mb(pid: int) -> float:
    """A process's resident memory (VmRSS) in MB, read from /proc; NaN where there is none to read."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")
