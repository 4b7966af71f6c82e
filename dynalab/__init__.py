"""dynalab: see and touch how Amazon DynamoDB spends capacity, scales, partitions and streams.

The public face of the package. Names load lazily from the module that holds them (one idea per module), so
``import dynalab`` stays fast and a lesson only pays for what it uses.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> the module that defines it. Each lesson's module adds its own entries here.
_EXPORTS: dict[str, str] = {
    # foundation
    "connect": "dynalab.engine",
    "Lab": "dynalab.engine",
    "EngineUnreachableError": "dynalab.engine",
    "stop_embedded_engine": "dynalab.engine",
    "create_table": "dynalab.tables",
    "delete_table": "dynalab.tables",
    "wait_until_active": "dynalab.tables",
    "bulk_load": "dynalab.tables",
    "Progress": "dynalab.progress",
    "Question": "dynalab.exercises",
    "self_check": "dynalab.exercises",
    "sample_songs": "dynalab.sample_data",
    "sample_votes": "dynalab.sample_data",
    "sample_users": "dynalab.sample_data",
    "scan_items": "dynalab.tables",
    # capacity modes and auto scaling (lesson 2)
    "simulate_autoscaling": "dynalab.autoscaling",
    "simulate_on_demand": "dynalab.autoscaling",
    "TargetTrackingPolicy": "dynalab.autoscaling",
    "Prices": "dynalab.pricing",
    "DEFAULT_PRICES": "dynalab.pricing",
    "compare_costs": "dynalab.pricing",
    "break_even_utilization": "dynalab.pricing",
    "load_workload": "dynalab.workloads",
    "workload_names": "dynalab.workloads",
    "enforce_throughput": "dynalab.fidelity.throttling",
    "ThroughputEnforcer": "dynalab.fidelity.throttling",
    "run_load": "dynalab.load_generator",
    # lesson 4: stream projections
    "vote_summary": "dynalab.projections",
    "tally_votes": "dynalab.projections",
    "mail_batch": "dynalab.projections",
    "create_vote_tables": "dynalab.projections",
    "read_summary": "dynalab.projections",
    "daily_totals": "dynalab.projections",
    "StreamProjector": "dynalab.streams",
    "enable_stream": "dynalab.streams",
    "copy_by_change_capture": "dynalab.copy_tables",
    "copy_by_restore": "dynalab.copy_tables",
    "measure_replication_lag": "dynalab.copy_tables",
    "compare_batch_and_stream": "dynalab.cost_comparison",
    "VoteBoard": "dynalab.widgets.streams",
    # partitions (lesson 3)
    "partition_count": "dynalab.partitions",
    "partition_count_per_term": "dynalab.partitions",
    "estimate_partitions": "dynalab.partitions",
    "split_history": "dynalab.partitions",
    "partition_index": "dynalab.partitions",
    "partition_indices": "dynalab.partitions",
    "key_distribution": "dynalab.key_distributions",
    "simulate_partition_load": "dynalab.hot_partitions",
    # capacity units (lesson 1)
    "item_size": "dynalab.sizing",
    "typed_item_size": "dynalab.sizing",
    "attribute_sizes": "dynalab.sizing",
    "number_size": "dynalab.sizing",
    "MAX_ITEM_SIZE_BYTES": "dynalab.sizing",
    "read_units": "dynalab.capacity",
    "write_units": "dynalab.capacity",
    "put_write_units": "dynalab.capacity",
    "query_read_units": "dynalab.capacity",
    "batch_read_units": "dynalab.capacity",
    "batch_write_units": "dynalab.capacity",
    "item_cost": "dynalab.capacity",
    "Meter": "dynalab.fidelity.metering",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        try:  # a submodule, e.g. dynalab.engine
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError:
            raise AttributeError(f"module 'dynalab' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
