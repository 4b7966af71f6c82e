"""Lesson 3's speed goals: the hot-partition simulator and the partition widgets' recompute-and-redraw.

    .venv/bin/python benchmarks/bench_partitions.py

Prints one figure a line, ``name: value unit (goal ...)``; each value is the median of several runs.
"""

from __future__ import annotations

from timing import median_ms

REQUESTS = 1_000_000
REPEAT = 15


def main() -> None:
    import plotly.io as pio

    from dynalab.models.hot_partitions import simulate_partition_load
    from dynalab.models.key_distributions import key_distribution
    from dynalab.widgets.partitions import HotPartitionExplorer, PartitionCalculator

    for name in ("user_ids", "skewed_device_ids"):
        distribution = key_distribution(name)
        stream = distribution.sample(REQUESTS, seed=1)
        for mode in ("2017", "today"):
            ms = median_ms(lambda d=distribution, s=stream, m=mode: simulate_partition_load(
                d, s, partition_count=24, table_capacity_per_second=5000, duration_seconds=250, mode=m), REPEAT)
            print(f"simulate 1M requests ({name}, {mode}): {ms:.1f} ms (goal <= 100 ms)")
        ms = median_ms(lambda d=distribution: d.sample(REQUESTS, seed=2), REPEAT)
        print(f"sample 1M requests ({name}): {ms:.1f} ms (goal: sample + simulate <= 100 ms)")

    from dynalab.models.key_distributions import user_ids
    from dynalab.models.partitions import key_hashes

    keys = user_ids().keys
    ms = median_ms(lambda: key_hashes(keys), 5)
    print(f"hash a {len(keys):,}-key vocabulary with md5 (once per distribution, cached): {ms:.0f} ms "
          "(goal: none, one-off)")

    calculator = PartitionCalculator()
    values = iter(range(100, 10**9, 100))

    def move_slider() -> None:  # recompute, redraw, and serialise the figure as the kernel's renderer does
        calculator.rcu_slider.value = next(values) % 40_000
        pio.to_json(calculator.figure)

    print(f"partition calculator slider, recompute and redraw: {median_ms(move_slider, REPEAT):.1f} ms "
          "(goal <= 100 ms)")

    explorer = HotPartitionExplorer(read_capacity_units=5000, partitions=24, requests=REQUESTS,
                                    duration_seconds=250)
    picks = iter(["status_codes", "user_ids"] * 100)

    def pick() -> None:
        explorer.picker.value = next(picks)
        pio.to_json(explorer.figure)

    print(f"hot-partition picker (1M requests), recompute and redraw: {median_ms(pick, 10):.1f} ms "
          "(goal <= 100 ms)")


if __name__ == "__main__":
    main()
