"""Lesson 1's speed figures: the time spent inside the fidelity layer's hooks, and item_size of a 400 KB item.

    .venv/bin/python benchmarks/bench_capacity.py

Prints one figure a line, ``name: value unit (goal ...)``. The layer's CPU cost is the time spent inside its
hooks, added up over PutItem and GetItem calls on the embedded engine. Its overhead as a learner feels it (a
layered client against a plain one, paired call by call) is measured in ``bench_engine.py``.
"""

from __future__ import annotations

import statistics
import time

import dynalab
from dynalab import item_size

PAIRS = 600


class _HookTimer:
    """Wraps the layer's plugins to add up the time spent inside their hooks (the layer's own CPU cost)."""

    def __init__(self, layer) -> None:
        self.seconds = 0.0
        self.layer = layer
        self.originals = list(layer.plugins)
        layer.plugins[:] = [self._wrap(plugin) for plugin in self.originals]

    def _wrap(self, plugin):
        timer = self

        class Timed:
            def __getattr__(self, name):
                hook = getattr(plugin, name)
                if name not in ("before_call", "before_send", "after_call"):
                    return hook

                def timed(*args):
                    started = time.perf_counter()
                    try:
                        return hook(*args)
                    finally:
                        timer.seconds += time.perf_counter() - started

                return timed

        return Timed()

    def restore(self) -> None:
        self.layer.plugins[:] = self.originals


def time_in_hooks(lab) -> tuple[float, float]:
    """Seconds per request: the median round trip through the layer, and the mean time inside its hooks."""
    table = dynalab.create_table(lab, "bench-capacity", reset=True)
    item = {"pk": "a", "name": "x" * 200, "n": 12345, "tags": ["a", "b", "c"]}
    table.put_item(Item=item)
    calls = (lambda: table.put_item(Item=item), lambda: table.get_item(Key={"pk": "a"}))
    round_trips = []
    for _ in range(PAIRS // 4):
        for call in calls:
            started = time.perf_counter()
            call()
            round_trips.append(time.perf_counter() - started)
    timer = _HookTimer(lab.fidelity)
    try:
        for _ in range(PAIRS // 4):
            for call in calls:
                call()
    finally:
        timer.restore()
    in_hooks = timer.seconds / (PAIRS // 4 * len(calls))
    dynalab.delete_table(lab, table.name)
    return statistics.median(round_trips), in_hooks


def item_size_seconds(item: dict, repeat: int = 20) -> float:
    """Best of ``repeat`` timings (the least disturbed by the rest of the machine)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        item_size(item)
        best = min(best, time.perf_counter() - started)
    return best


def main() -> None:
    def padded(attributes: dict, size: int) -> dict:
        item = {**attributes, "pad": ""}
        item["pad"] = "p" * (size - item_size(item))
        return item

    items = {
        "one 400 KB string": padded({"pk": "big"}, 409_600),
        "68,000 numbers in a list": padded({"pk": "big", "numbers": list(range(10**6, 10**6 + 68_000))}, 409_600),
        "11,700 attributes": padded({f"attribute_{i:05d}": "v" * 20 for i in range(11_700)}, 409_600),
    }
    for name, item in items.items():
        print(f"item_size of a {item_size(item):,} B item ({name}): {item_size_seconds(item) * 1e3:.2f} ms "
              "(goal < 50 ms)")
    lab = dynalab.connect()
    base, in_hooks = time_in_hooks(lab)
    print(f"round trip through the layer (PutItem/GetItem, embedded engine): {base * 1e3:.2f} ms")
    print(f"time inside the layer's hooks per request: {in_hooks * 1e6:.0f} µs "
          f"= {in_hooks / base * 100:.1f} % of a round trip (goal < 10 %)")
    dynalab.stop_embedded_engine()


if __name__ == "__main__":
    main()
