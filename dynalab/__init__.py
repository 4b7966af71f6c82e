"""dynalab: see and touch how Amazon DynamoDB spends capacity, scales, partitions and streams.

The public face of the package, plain imports so editors and type checkers see every name. The layers live in
sub-packages (see DEVELOPERS.md): ``models`` (pure rules), ``engine`` (the engine, clients, tables, streams),
``fidelity`` (the botocore-hook plugins), ``lessons`` (scenarios), ``figures`` and ``widgets``.
"""

from __future__ import annotations

__version__ = "0.1.0"

from dynalab.engine import (
    EngineFeatureMissingError,
    EngineUnreachableError,
    Lab,
    connect,
    stop_embedded_engine,
)
from dynalab.engine.aws_budget import (
    AwsCostCeilingError,
)
from dynalab.engine.cleanup import (
    cleanup,
)
from dynalab.engine.global_tables import (
    set_replication,
)
from dynalab.engine.ownership import (
    TableNotOursError,
)
from dynalab.engine.streams import (
    BadRecordError,
    InjectedCrash,
    SourceTableChangedError,
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
from dynalab.i18n import (
    get_language,
    set_language,
)
from dynalab.i18n.text_width import (
    display_width,
    pad_to_width,
    truncate_to_width,
)
from dynalab.lessons.console import (
    ConsoleMetrics,
    TopKey,
    describe_throttling_reason,
    enable_contributor_insights,
    export_metrics,
    table_metrics,
    throttle_events_by_reason,
    throttled_write,
    top_keys,
)
from dynalab.lessons.copy_tables import (
    copy_by_bulk_put,
    copy_by_change_capture,
    copy_by_import,
    copy_by_restore,
    measure_replication_lag,
)
from dynalab.lessons.cost_comparison import (
    BatchVsStreamCost,
    compare_batch_and_stream,
)
from dynalab.lessons.event_source_mapping import (
    EventSourceMapping,
)
from dynalab.lessons.global_tables import (
    create_global_table,
)
from dynalab.lessons.indexes import (
    compare_index_writes,
    write_sharding,
)
from dynalab.lessons.load_generator import (
    LoadRunError,
    run_load,
)
from dynalab.lessons.planner import (
    Plan,
    plan_table,
    verify_plan,
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
from dynalab.lessons.ttl import (
    TtlSweeper,
    enable_ttl,
)
from dynalab.lessons.workloads import (
    load_workload,
    workload_names,
)
from dynalab.models.autoscaling import (
    DecreaseQuota,
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
from dynalab.models.global_tables import (
    global_table_bill,
)
from dynalab.models.hot_partitions import (
    simulate_partition_load,
)
from dynalab.models.index_choice import (
    filter_or_index,
)
from dynalab.models.indexes import (
    SecondaryIndex,
    index_write_units,
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
from dynalab.widgets.global_tables import (
    GlobalTableBillExplorer,
)
from dynalab.widgets.hidden_checks import (
    hidden_check,
)
from dynalab.widgets.indexes import (
    IndexWriteExplorer,
)
from dynalab.widgets.lambda_triggers import (
    PoisonVoteBoard,
)
from dynalab.widgets.planner import (
    PlanExplorer,
)
from dynalab.widgets.room_board import (
    RoomBoard,
)
from dynalab.widgets.self_check import (
    Question,
    self_check,
    self_check_for,
    verify_self_check,
)
from dynalab.widgets.streams import (
    VoteBoard,
)

__all__ = [
    "AwsCostCeilingError",
    "BadRecordError",
    "BatchVsStreamCost",
    "BatchWriteError",
    "ConsoleMetrics",
    "DEFAULT_PRICES",
    "DecreaseQuota",
    "EngineFeatureMissingError",
    "EngineUnreachableError",
    "EventSourceMapping",
    "GlobalTableBillExplorer",
    "IndexWriteExplorer",
    "InjectedCrash",
    "Lab",
    "LoadRunError",
    "MAX_ITEM_SIZE_BYTES",
    "Meter",
    "Plan",
    "PlanExplorer",
    "PoisonVoteBoard",
    "Prices",
    "Progress",
    "Question",
    "RoomBoard",
    "SecondaryIndex",
    "SourceTableChangedError",
    "StreamProjector",
    "TableNotOursError",
    "TargetTrackingPolicy",
    "ThroughputEnforcer",
    "TopKey",
    "TtlSweeper",
    "VoteBoard",
    "attribute_sizes",
    "batch_read_units",
    "batch_write_units",
    "break_even_utilization",
    "bulk_load",
    "cleanup",
    "compare_batch_and_stream",
    "compare_costs",
    "compare_index_writes",
    "connect",
    "copy_by_bulk_put",
    "copy_by_change_capture",
    "copy_by_import",
    "copy_by_restore",
    "create_global_table",
    "create_table",
    "create_vote_tables",
    "daily_totals",
    "delete_table",
    "describe_throttling_reason",
    "display_width",
    "enable_contributor_insights",
    "enable_stream",
    "enable_ttl",
    "enforce_throughput",
    "estimate_partitions",
    "export_metrics",
    "filter_or_index",
    "get_language",
    "global_table_bill",
    "hidden_check",
    "index_write_units",
    "item_cost",
    "item_size",
    "key_distribution",
    "load_workload",
    "mail_batch",
    "measure_replication_lag",
    "number_size",
    "pad_to_width",
    "partition_count",
    "partition_count_per_term",
    "partition_index",
    "partition_indices",
    "plan_table",
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
    "self_check_for",
    "set_language",
    "set_replication",
    "simulate_autoscaling",
    "simulate_on_demand",
    "simulate_partition_load",
    "split_history",
    "stop_embedded_engine",
    "table_metrics",
    "tally_votes",
    "throttle_events_by_reason",
    "throttled_write",
    "top_keys",
    "truncate_to_width",
    "typed_item_size",
    "verify_plan",
    "verify_self_check",
    "vote_summary",
    "wait_until_active",
    "workload_names",
    "write_sharding",
    "write_units",
]
