"""Issue 23's goal: every model call at its upper bounds stays under 2 s and 500 MB on 2 cores.

    .venv/bin/python benchmarks/bench_bounds.py

Prints one line per call at (or next to) dynalab's bounds: its CPU time and the growth of the process's peak memory
(Linux's VmHWM, reset before each call). The hostile test (tests/test_hostile_inputs.py) asserts the same bounds
with a margin for a loaded machine; this prints the figures.
"""

from __future__ import annotations

import time
from collections.abc import Callable

CPU_GOAL_S = 2.0
MEMORY_GOAL_MB = 500


def _status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field)) / 1024


def measure(call: Callable[[], object]) -> tuple[float, float]:
    """(CPU seconds, peak memory growth in MB) of one call."""
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")
    before = _status_mb("VmRSS:")
    started = time.process_time()
    call()
    return time.process_time() - started, _status_mb("VmHWM:") - before


def cases() -> list[tuple[str, Callable[[], object]]]:
    import numpy as np

    import dynalab
    from dynalab.models import autoscaling, capacity, hot_partitions, key_distributions, partitions, planner
    from dynalab.models import event_source_mapping as esm

    demand = np.random.default_rng(0).uniform(0, 5000, autoscaling.MAX_SIMULATED_MINUTES)
    busy = dict(scale_in_datapoints=1, scale_out_datapoints=1, alarm_delay_minutes=0, update_delay_minutes=0,
                decreases_max_available=1000, decreases_at_day_start=1000, decreases_per_hour=60,
                scale_in_margin_points=0, retry_throttled=True)
    statuses = dynalab.key_distribution("status_codes")
    requests = statuses.sample(key_distributions.MAX_SAMPLED_REQUESTS)
    records = esm.MAX_SIMULATED_RECORDS
    pages = planner.MAX_QUERY_PAGES * 3  # 409,600 B entries: 3 to a 1 MB page
    design = {"table": {"name": "orders", "partition_key": "pk", "sort_key": "sk"},
              "patterns": [{"name": f"q{n}", "operation": "Query", "items": pages, "item_bytes": 409_600,
                            "per_second": 1} for n in range(planner.MAX_PATTERNS)]}
    return [
        (f"simulate_batching: {records:,} records, batch 1", lambda: esm.simulate_batching(records / 1000, 1000, 1)),
        (f"simulate_batching: {esm.MAX_SIMULATED_POLLS:,} polls and records",
         lambda: esm.simulate_batching(20, 10_000, 1, poll_seconds=10_000 / (esm.MAX_SIMULATED_POLLS - 10))),
        (f"poison_plan: retry_budget {esm.MAX_POISON_INVOCATIONS:,}",
         lambda: esm.poison_plan(10, 5, bisect=False, maximum_retry_attempts=-1,
                                 retry_budget=esm.MAX_POISON_INVOCATIONS)),
        (f"simulate_autoscaling: {autoscaling.MAX_SIMULATED_MINUTES:,} minutes, an event each",
         lambda: dynalab.simulate_autoscaling(demand, **busy)),
        (f"simulate_on_demand: {autoscaling.MAX_SIMULATED_MINUTES:,} minutes",
         lambda: dynalab.simulate_on_demand(demand)),
        (f"simulate_partition_load: {hot_partitions.MAX_SIMULATED_PARTITIONS:,} partitions, "
         f"{key_distributions.MAX_SAMPLED_REQUESTS:,} requests",
         lambda: dynalab.simulate_partition_load(statuses, requests, partition_count=100_000,
                                                 table_capacity_per_second=10**6)),
        (f"user_ids: {key_distributions.MAX_DISTINCT_KEYS:,} users, hashed",
         lambda: key_distributions.user_ids(key_distributions.MAX_DISTINCT_KEYS).hashes),
        (f"partition_indices: {partitions.MAX_HASHED_KEYS:,} keys",
         lambda: dynalab.partition_indices([f"k{n}" for n in range(partitions.MAX_HASHED_KEYS)], 4)),
        (f"split_history: {partitions.MAX_SPLIT_STEPS:,} steps",
         lambda: dynalab.split_history([(100 * n, 100, 1) for n in range(1, partitions.MAX_SPLIT_STEPS + 1)])),
        (f"rounding_differences: {partitions.MAX_GRID_CELLS:,} cells",
         lambda: partitions.rounding_differences(range(0, 100_000, 1000), range(0, 10_000, 100))),
        (f"query_read_units: {capacity.MAX_SIZES:,} sizes",
         lambda: dynalab.query_read_units([409_600] * capacity.MAX_SIZES)),
        (f"plan_table: {planner.MAX_PATTERNS} Query patterns of {pages:,} items of 400 KB",
         lambda: dynalab.plan_table(design)),
        ("ThroughputEnforcer (2017, per partition): 100 M RCU + 10 M WCU, 43,334 partitions",
         lambda: dynalab.ThroughputEnforcer("t-x", 10**8, 10**7, per_partition=True, partition_mode="2017")),
    ]


def main() -> None:
    for label, call in cases():
        cpu, memory = measure(call)
        print(f"{label}: {cpu:.2f} s CPU, {memory:.0f} MB (goal <= {CPU_GOAL_S:g} s, <= {MEMORY_GOAL_MB} MB)")


if __name__ == "__main__":
    main()
