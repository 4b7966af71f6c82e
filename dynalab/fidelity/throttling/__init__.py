"""Live throttling (``Phase.THROTTLE``): enforce a table's provisioned throughput on an engine that never
throttles by itself.

No local engine throttles: moto never does (``tests/integration/test_throttling.py`` shows what this adds), and AWS's
DynamoDB Local ignores provisioned throughput [src:dynamodb-local-ignores-throughput].
``enforce_throughput(lab, table)`` adds a ``ThroughputEnforcer`` to the lab's fidelity layer: a token bucket per
capacity kind (read, write) that refills at the table's provisioned rate and banks up to ``burst_seconds`` (300)
of unused capacity [src:burst-300-seconds]. A request is admitted while its bucket is positive; otherwise
its HTTP attempt is answered with ``ProvisionedThroughputExceededException`` in ``before_send``, so boto3's own
retries and backoff happen, and are counted. Each throttled attempt is put on the call's record
(``call.throttles``: its ThrottlingReason, events and keys), which the metrics recorder publishes.

Batches (BatchWriteItem, BatchGetItem) are served in part, as DynamoDB serves them
[src:batch-write-unprocessed-items]: the items the bucket can take, one by one while it is positive, are sent to the
engine (the request body is rewritten to hold only them, so the engine really writes or reads only those), and the
others come back in the answer's ``UnprocessedItems`` / ``UnprocessedKeys`` (on the record: throttle events, not a
throttled request). Only when none can be served does the call fail with ProvisionedThroughputExceededException.

Charging: on admission the bucket is charged an estimate (1 unit per item; 2 for transactions); after the call the
estimate is replaced by the units the meter computed (``call.units``, the record's), when it ran. PartiQL statements
are throttled as the operations they run (a SELECT that scans is a Scan).

``per_partition=True`` adds the partitions' limits, in one of two modes (``partition_mode``):

* ``"today"`` (the default; [src:partition-3000-1000], [src:hot-key-per-item]): adaptive capacity lets any
  partition use the table's whole capacity (one bucket for the table), and a hot item is isolated on a partition of
  its own (split for heat), so the 3,000 RCU / 1,000 WCU a partition is designed for binds **one item** (its full
  primary key) where DynamoDB can split the item collection by sort key, and **one partition-key value** where it
  cannot: no sort key, an LSI [src:lsi-no-split-item-collections], or a sort key that only grows
  (``monotonic_sort_key=True``). A bucket per key, refilling at that ceiling, holding one second of it (burst
  capacity cannot lift it), charged the admission estimate.
* ``"2017"``, the **2017 model**: each partition (``dynalab.models.partitions.partition_count``) gets an equal share
  of the table's capacity, capped at 3,000 RCU / 1,000 WCU, and each request's key is placed with
  ``dynalab.models.partitions.partition_index``: a hot key throttles while the table has capacity to spare. A Scan,
  or a Query whose key the enforcer cannot read, is charged across all partitions evenly. Its partitions are bounded
  (``dynalab.models.hot_partitions.MAX_SIMULATED_PARTITIONS``): a bucket each.

Secondary indexes (GSI.html, LSI.html, [src:gsi-back-pressure]): each provisioned GSI has its own read and write
buckets at its own rates. A Query/Scan of a GSI is paid from the index's read bucket. A table write that touches a
GSI (estimated from the request: a put carrying the index key, an update naming an indexed or projected
attribute; the meter's exact count replaces the estimate) needs the index's write bucket positive too, else the
*table* write is throttled (GSI back-pressure), with the index named in the message and DynamoDB's
``ThrottlingReasons`` (``IndexWriteProvisionedThroughputExceeded``). LSIs have no capacity of their own: their
writes are charged to the table's bucket.

UpdateTable calls made through the lab are followed: the new rates apply from then on (on-demand: no limit).
The clock is injectable (``clock=``) so tests can step time by hand.

The package: ``enforcer`` (the ``ThroughputEnforcer`` plugin), ``buckets`` (its token buckets and per-second
counts), ``estimates`` (what a request is charged on admission, from the request alone), ``enforce``
(``enforce_throughput``, ``find_enforcer``).
"""

from __future__ import annotations

from dynalab.fidelity.throttling.buckets import PER_PARTITION_MAX, SecondCounts
from dynalab.fidelity.throttling.enforce import enforce_throughput, find_enforcer
from dynalab.fidelity.throttling.enforcer import (
    GSI_THROTTLE_MESSAGE,
    PARTITION_MODES,
    THROTTLE_CODE,
    THROTTLE_MESSAGE,
    Admission,
    ThroughputEnforcer,
)

__all__ = ["Admission", "GSI_THROTTLE_MESSAGE", "PARTITION_MODES", "PER_PARTITION_MAX", "SecondCounts",
           "THROTTLE_CODE", "THROTTLE_MESSAGE", "ThroughputEnforcer", "enforce_throughput", "find_enforcer"]
