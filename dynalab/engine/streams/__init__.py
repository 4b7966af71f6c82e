"""Read a DynamoDB stream as the Kinesis Client Library does: shards in lineage order, checkpoints in a table.

One module per idea:

* ``reader``: ``list_shards`` pages through DescribeStream; ``lineage_order`` puts every parent shard before its
  children (a child's records continue its parent's, so a child is read only once its parent is finished,
  Streams.html); ``ShardReader`` is the one GetRecords loop.
* ``checkpoints``: ``CheckpointStore`` keeps one item per (consumer, stream, shard) in a DynamoDB table of its own,
  like the KCL's lease table: the last sequence number applied, and whether the shard ended. A reader restarted in
  another process resumes from it with AFTER_SEQUENCE_NUMBER.
* ``leases``: beside each checkpoint, the shard's lease, taken and renewed with conditional writes (on the counter
  read), so readers of one consumer in any process agree (``ShardLeases``: the projector's and the event source
  mapping's one mechanism). The checkpoint condition stays in the commit: it is what keeps the effect exactly once
  when a lease is lost in the middle of a batch.
* ``source``: the source table's stream (``stream_arn``, ``enable_stream``) and ``SourceWatch``: a table deleted, or
  deleted and made again, stops a reader with ``SourceTableChangedError``, never "running" over a dead stream.
  Checkpoints are kept per stream ARN; a new projector drops, with a note, those of a stream older than its table.
* ``projector``: ``StreamProjector`` commits a projection's writes **and** the new checkpoint in one
  TransactWriteItems whose condition makes the effect exactly once; ``commits`` holds what it commits (``Batch``).
  ``start()`` runs it in a background thread; ``run_once()`` is the synchronous step tests and notebooks call.
* ``errors``: the errors these raise.

Every public name is importable from ``dynalab.engine.streams`` itself.
"""

from __future__ import annotations

from dynalab.engine.background import engine_answers, runner_state
from dynalab.engine.streams.checkpoints import DEAD_LETTER_RECORD_MAX_BYTES, Checkpoint, CheckpointStore
from dynalab.engine.streams.commits import Batch, ProjectorStats
from dynalab.engine.streams.errors import (
    BadRecordError,
    InjectedCrash,
    SourceTableChangedError,
    StaleCheckpointError,
    StreamNotEnabledError,
)
from dynalab.engine.streams.leases import (
    LEASE_SECONDS,
    LEASE_SECONDS_MAX,
    Lease,
    ShardLeases,
    end_lease_owner,
    lease_owner_gone,
    new_lease_owner,
    short_owner,
)
from dynalab.engine.streams.projector import POLL_SECONDS_MAX, POLL_SECONDS_MIN, StreamProjector
from dynalab.engine.streams.reader import GET_RECORDS_MAX, ShardReader, lineage_order, list_shards, sequence_number
from dynalab.engine.streams.source import (
    SOURCE_CHECK_SECONDS,
    SourceWatch,
    enable_stream,
    refuse_writing_into_source,
    stream_arn,
    stream_created_before,
    stream_view_type,
)
from dynalab.engine.tables import describe_existing_table

__all__ = [
    "DEAD_LETTER_RECORD_MAX_BYTES",
    "GET_RECORDS_MAX",
    "LEASE_SECONDS",
    "LEASE_SECONDS_MAX",
    "POLL_SECONDS_MAX",
    "POLL_SECONDS_MIN",
    "SOURCE_CHECK_SECONDS",
    "BadRecordError",
    "Batch",
    "Checkpoint",
    "CheckpointStore",
    "InjectedCrash",
    "Lease",
    "ProjectorStats",
    "ShardLeases",
    "ShardReader",
    "SourceTableChangedError",
    "SourceWatch",
    "StaleCheckpointError",
    "StreamNotEnabledError",
    "StreamProjector",
    "describe_existing_table",
    "enable_stream",
    "end_lease_owner",
    "engine_answers",
    "lease_owner_gone",
    "lineage_order",
    "list_shards",
    "new_lease_owner",
    "refuse_writing_into_source",
    "runner_state",
    "sequence_number",
    "short_owner",
    "stream_arn",
    "stream_created_before",
    "stream_view_type",
]
