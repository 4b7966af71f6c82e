"""dynalab: see and touch how Amazon DynamoDB spends capacity, scales, partitions and streams.

The public face of the package, plain imports so editors and type checkers see every name. The layers live in
sub-packages (see DEVELOPERS.md): ``models`` (pure rules), ``engine`` (the engine, clients, tables, streams),
``fidelity`` (the botocore-hook plugins), ``lessons`` (scenarios), ``figures`` and ``widgets``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from dynalab.engine import (
    EngineUnreachableError,
    Lab,
    connect,
    stop_embedded_engine,
)
from dynalab.engine.streams import (
    BadRecordError,
    InjectedCrash,
    StreamProjector,
    enable_stream,
)
from dynalab.engine.tables import (
    BatchWriteError,
    bulk_load,
    create_table,
    delete_table,
    scan_items,
    wait_until_active,
)
from dynalab.fidelity.metering import (
    Meter,
)
from dynalab.fidelity.throttling import (
    ThroughputEnforcer,
    enforce_throughput,
)
from dynalab.lessons.copy_tables import (
    copy_by_change_capture,
    copy_by_restore,
    measure_replication_lag,
)
from dynalab.lessons.cost_comparison import (
    compare_batch_and_stream,
)
from dynalab.lessons.load_generator import (
    run_load,
)
from dynalab.lessons.projections import (
    create_vote_tables,
    daily_totals,
    mail_batch,
    read_summary,
    tally_votes,
    vote_summary,
)
from dynalab.lessons.sample_data import (
    sample_songs,
    sample_users,
    sample_votes,
)
from dynalab.lessons.workloads import (
    load_workload,
    workload_names,
)
from dynalab.models.autoscaling import (
    TargetTrackingPolicy,
    simulate_autoscaling,
    simulate_on_demand,
)
from dynalab.models.capacity import (
    batch_read_units,
    batch_write_units,
    item_cost,
    put_write_units,
    query_read_units,
    read_units,
    write_units,
)
from dynalab.models.hot_partitions import (
    simulate_partition_load,
)
from dynalab.models.key_distributions import (
    key_distribution,
)
from dynalab.models.partitions import (
    estimate_partitions,
    partition_count,
    partition_count_per_term,
    partition_index,
    partition_indices,
    split_history,
)
from dynalab.models.pricing import (
    DEFAULT_PRICES,
    Prices,
    break_even_utilization,
    compare_costs,
)
from dynalab.models.sizing import (
    MAX_ITEM_SIZE_BYTES,
    attribute_sizes,
    item_size,
    number_size,
    typed_item_size,
)
from dynalab.progress import (
    Progress,
)
from dynalab.widgets.self_check import (
    Question,
    self_check,
)
from dynalab.widgets.streams import (
    VoteBoard,
)

__all__ = [
    "BadRecordError",
    "BatchWriteError",
    "DEFAULT_PRICES",
    "EngineUnreachableError",
    "InjectedCrash",
    "Lab",
    "MAX_ITEM_SIZE_BYTES",
    "Meter",
    "Prices",
    "Progress",
    "Question",
    "StreamProjector",
    "TargetTrackingPolicy",
    "ThroughputEnforcer",
    "VoteBoard",
    "attribute_sizes",
    "batch_read_units",
    "batch_write_units",
    "break_even_utilization",
    "bulk_load",
    "compare_batch_and_stream",
    "compare_costs",
    "connect",
    "copy_by_change_capture",
    "copy_by_restore",
    "create_table",
    "create_vote_tables",
    "daily_totals",
    "delete_table",
    "enable_stream",
    "enforce_throughput",
    "estimate_partitions",
    "item_cost",
    "item_size",
    "key_distribution",
    "load_workload",
    "mail_batch",
    "measure_replication_lag",
    "number_size",
    "partition_count",
    "partition_count_per_term",
    "partition_index",
    "partition_indices",
    "put_write_units",
    "query_read_units",
    "read_summary",
    "read_units",
    "run_load",
    "sample_songs",
    "sample_users",
    "sample_votes",
    "scan_items",
    "self_check",
    "simulate_autoscaling",
    "simulate_on_demand",
    "simulate_partition_load",
    "split_history",
    "stop_embedded_engine",
    "tally_votes",
    "typed_item_size",
    "vote_summary",
    "wait_until_active",
    "workload_names",
    "write_units",
]
