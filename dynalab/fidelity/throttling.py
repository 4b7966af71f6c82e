"""Live throttling: enforce a table's provisioned throughput on an engine that never throttles by itself.

No local engine throttles: moto never does (``tests/integration/test_throttling.py`` shows what this adds), and AWS's
DynamoDB Local ignores provisioned throughput [src:dynamodb-local-ignores-throughput].
``enforce_throughput(lab, table)`` adds a ``ThroughputEnforcer`` to the lab's fidelity layer: a token bucket per
capacity kind (read, write) that refills at the table's provisioned rate and banks up to ``burst_seconds`` (300)
of unused capacity [src:burst-300-seconds]. A request is admitted while its bucket is positive; otherwise
its HTTP attempt is answered with ``ProvisionedThroughputExceededException`` in ``before_send``, so boto3's own
retries and backoff happen, and are counted.

Batches (BatchWriteItem, BatchGetItem) are served in part, as DynamoDB serves them
[src:batch-write-unprocessed-items]: the items the bucket can take, one by one while it is positive, are sent to the
engine (the request body is rewritten to hold only them, so the engine really writes or reads only those), and the
others come back in the answer's ``UnprocessedItems`` / ``UnprocessedKeys``. Only when none can be served does the
call fail with ProvisionedThroughputExceededException.

Charging: on admission the bucket is charged an estimate (1 unit per item; 2 for transactions); after the call the
estimate is replaced by the units lesson 1's meter computed (``context["dynalab_consumed"]``), when it ran.

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
  or a Query whose key the enforcer cannot read, is charged across all partitions evenly.

Secondary indexes (GSI.html, LSI.html, gsi-throttling.html): each provisioned GSI has its own read and write
buckets at its own rates. A Query/Scan of a GSI is paid from the index's read bucket. A table write that touches a
GSI (estimated from the request: a put carrying the index key, an update naming an indexed or projected
attribute; the meter's exact count replaces the estimate) needs the index's write bucket positive too, else the
*table* write is throttled (GSI back-pressure), with the index named in the message and DynamoDB's
``ThrottlingReasons`` (``IndexWriteProvisionedThroughputExceeded``). LSIs have no capacity of their own: their
writes are charged to the table's bucket.

UpdateTable calls made through the lab are followed: the new rates apply from then on (on-demand: no limit).
The clock is injectable (``clock=``) so tests can step time by hand.
"""

from __future__ import annotations

import json
import math
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dynalab.fidelity import error_response
from dynalab.fidelity.requests import READS, WRITES, Access, accesses, client_shape
from dynalab.i18n import N_, tr
from dynalab.models import checks
from dynalab.models.capacity import write_units
from dynalab.models.cloudwatch_metrics import Throttle
from dynalab.models.indexes import SecondaryIndex, index_entry_size, indexes_from_description
from dynalab.models.quotas import (
    MAX_ITEM_SIZE_BYTES,
    MODEL_MAX_CAPACITY_UNITS,
    MODEL_MAX_SIZE_GB,
    PARTITION_MAX_READ_UNITS_PER_SECOND,
    PARTITION_MAX_WRITE_UNITS_PER_SECOND,
)
from dynalab.models.sizing import typed_item_size
from dynalab.models.token_bucket import TokenBucket

__all__ = ["GSI_THROTTLE_MESSAGE", "PER_PARTITION_MAX", "SecondCounts", "ThroughputEnforcer", "THROTTLE_MESSAGE",
           "enforce_throughput", "find_enforcer"]

THROTTLE_CODE = "ProvisionedThroughputExceededException"
#: botocore context key where each throttled attempt is noted for the metrics recorder (``dynalab.fidelity.recorder``):
#: a list of (``Throttle``, [typed key, ...]).
THROTTLES_KEY = "dynalab_throttles"
THROTTLE_MESSAGE = ("The level of configured provisioned throughput for the table was exceeded. Consider increasing "
                    "your provisioning level with the UpdateTable API.")
#: GSI back-pressure: the table write is refused because its GSI is short of write capacity [src:gsi-back-pressure].
GSI_THROTTLE_MESSAGE = N_("The level of configured provisioned throughput for one or more global secondary indexes of "
                        "the table was exceeded (index {index!r}: its writes are throttling the table's). Consider "
                          "increasing the index's provisioning level with the UpdateTable API.")
#: Per-partition ceilings (quotas: burst-adaptive-capacity.html): units per second.
PER_PARTITION_MAX = {"read": float(PARTITION_MAX_READ_UNITS_PER_SECOND),
                     "write": float(PARTITION_MAX_WRITE_UNITS_PER_SECOND)}

_EQUALS = re.compile(r"(#?[A-Za-z0-9_.]+)\s*=\s*(:[A-Za-z0-9_]+)")
PARTITION_MODES = ("today", "2017")


@dataclass
class SecondCounts:
    """What happened in one second since the enforcer started."""

    second: int
    served_requests: int = 0
    throttled_attempts: int = 0
    unprocessed_items: int = 0  # batch items handed back unprocessed (the batch itself was served in part)
    read_units: float = 0.0
    write_units: float = 0.0
    read_capacity_units: float = 0.0
    write_capacity_units: float = 0.0

    def units(self, kind: str) -> float:
        return self.write_units if kind == "write" else self.read_units


class _KeyCeilings:
    """Today's per-key ceiling (split for heat): a ``TokenBucket`` per (kind, partition-key value), holding one
    second of the ceiling, made on first use as if it had filled since the enforcer started (so a fresh key is
    treated like any other) and refilled when touched, so idle keys cost nothing."""

    def __init__(self, started: float) -> None:
        self.started = started
        self._buckets: dict[tuple[str, bytes], tuple[TokenBucket, float]] = {}

    def admit(self, kind: str, keys: dict[bytes, float], now: float) -> bool:
        """Charge each key its units if every key's bucket is positive (all or nothing)."""
        ceiling = PER_PARTITION_MAX[kind]
        touched = []
        for key, units in keys.items():
            entry = self._buckets.get((kind, key))
            if entry is None:
                bucket = TokenBucket(ceiling, ceiling, ceiling * max(0.0, now - self.started))
            else:
                bucket, last = entry
                bucket.refill(now - last)
            self._buckets[(kind, key)] = (bucket, now)
            touched.append((bucket, units))
        if all(bucket.balance > 0 for bucket, _ in touched):
            for bucket, units in touched:
                bucket.spend(units)
            return True
        return False


def _bucket(rate: float, burst_seconds: float) -> TokenBucket:
    # At least one second's worth, so a table with burst off still serves its rate.
    return TokenBucket(rate, rate * max(burst_seconds, 1.0))


def _write_estimate(size_bytes: int) -> float:
    """WCU an item's write would take, as an estimate before the call: an item past 400 KB is refused by the
    limits layer or the engine, not here (a throttle must not fail a request for its size)."""
    return write_units(min(size_bytes, MAX_ITEM_SIZE_BYTES))


class ThroughputEnforcer:
    """A fidelity-layer plugin that throttles one table at its provisioned throughput (see the module docstring).

    Usually made by ``enforce_throughput``; build it directly (no engine needed) to test it with a fake clock.
    """

    def __init__(
        self,
        table_name: str,
        read_capacity_units: float | None,
        write_capacity_units: float | None,
        *,
        partition_key: str = "pk",
        per_partition: bool = False,
        partition_mode: str = "today",
        burst_seconds: float = 300.0,
        initial_burst_seconds: float = 0.0,
        size_gb: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
        global_secondary_indexes: Sequence[tuple[SecondaryIndex, float, float]] = (),
        table_key_attributes: Sequence[str] = (),
        table_arn: str = "",
        item_collections_split: bool = False,
    ) -> None:
        table_name = checks.table_name("table_name", table_name)
        capacity = {"low": 1, "high": MODEL_MAX_CAPACITY_UNITS,
                    "unit": tr("capacity units per second; None: on-demand")}
        read_capacity_units = checks.optional(checks.number, "read_capacity_units", read_capacity_units, **capacity)
        write_capacity_units = checks.optional(checks.number, "write_capacity_units", write_capacity_units,
                                               **capacity)
        partition_key = checks.text("partition_key", partition_key, min_length=1, max_length=255)
        per_partition = checks.flag("per_partition", per_partition)
        checks.choice("partition_mode", partition_mode, PARTITION_MODES)
        burst_seconds = checks.number("burst_seconds", burst_seconds, low=0, high=3600)
        initial_burst_seconds = checks.number("initial_burst_seconds", initial_burst_seconds, low=0,
                                              high=max(burst_seconds, 1), unit=tr("up to burst_seconds"))
        size_gb = checks.number("size_gb", size_gb, low=0, high=MODEL_MAX_SIZE_GB, unit="GB")
        if not callable(clock):
            raise checks.ParameterTypeError(tr("clock must be a function returning seconds (time.monotonic), got "
                                               "{clock!r:.60}", clock=clock))
        for i, entry in enumerate(checks.sequence_of("global_secondary_indexes", global_secondary_indexes)):
            if not (isinstance(entry, tuple | list) and len(entry) == 3 and isinstance(entry[0], SecondaryIndex)):
                raise checks.ParameterTypeError(tr("global_secondary_indexes[{i}] must be (SecondaryIndex, RCU, "
                                                   "WCU); got {entry!r:.60}", i=i, entry=entry))
            checks.number(f"global_secondary_indexes[{i}][1]", entry[1], low=1, high=MODEL_MAX_CAPACITY_UNITS)
            checks.number(f"global_secondary_indexes[{i}][2]", entry[2], low=1, high=MODEL_MAX_CAPACITY_UNITS)
        table_key_attributes = checks.sequence_of("table_key_attributes", table_key_attributes,
                                                  lambda n, v: checks.text(n, v, min_length=1), max_length=2)
        table_arn = checks.text("table_arn", table_arn)
        #: today's ceiling binds one item (the full key) when an item collection can be split by sort key; else one
        #: partition-key value (no sort key, an LSI, or a sort key that only grows) [src:hot-key-per-item]
        self.item_collections_split = checks.flag("item_collections_split", item_collections_split)
        self.table_name = table_name
        self.partition_key = partition_key
        self.per_partition = bool(per_partition)
        self.partition_mode = partition_mode
        self.burst_seconds = float(burst_seconds)
        self.size_gb = float(size_gb)
        self.clock = clock
        self.started = clock()
        self._last = self.started
        # today: the table's bucket plus a ceiling per key; the 2017 model: a bucket per partition
        self._key_ceilings = _KeyCeilings(self.started) if self.per_partition and partition_mode == "today" else None
        self._lock = threading.Lock()
        self._seconds: dict[int, SecondCounts] = {}
        self.partitions = 0
        self.read_capacity_units: float | None = None
        self.write_capacity_units: float | None = None
        self._buckets: dict[tuple[str, int], TokenBucket] = {}
        self.throttled_attempts = 0
        self.served_requests = 0
        #: batch items handed back in UnprocessedItems / UnprocessedKeys (their batch was served in part)
        self.unprocessed_items = 0
        #: throttled attempts per ThrottlingReason (TableWriteProvisionedThroughputExceeded, IndexWrite..., ...)
        self.throttle_reasons: dict[str, int] = {}
        #: units charged to each GSI since the start: (index name, kind) -> units
        self.index_units_total: dict[tuple[str, str], float] = {}
        #: units charged since the start, per kind (a load generator reads deltas of these)
        self.units_total = {"read": 0.0, "write": 0.0}
        self.active = True
        self._set_throughput(read_capacity_units, write_capacity_units, initial_burst_seconds)
        #: each provisioned GSI's own buckets: (index name, kind) -> bucket at the index's provisioned rate
        self.table_key_attributes = tuple(table_key_attributes) or (partition_key,)
        self.table_arn = table_arn
        self.global_secondary_indexes = {index.name: index for index, _, _ in global_secondary_indexes}
        self._index_buckets: dict[tuple[str, str], TokenBucket] = {}
        for index, read, write in global_secondary_indexes:
            for kind, rate in (("read", float(read)), ("write", float(write))):
                bucket = _bucket(rate, self.burst_seconds)
                bucket.balance = min(rate * initial_burst_seconds, bucket.capacity)
                self._index_buckets[(index.name, kind)] = bucket

    # ------------------------------------------------------------------------------------------- throughput

    @property
    def on_demand(self) -> bool:
        return self.read_capacity_units is None

    def _set_throughput(self, read: float | None, write: float | None, initial_seconds: float | None = None) -> None:
        """(Re)build the buckets for new rates, keeping what each one has banked (clipped to its new size)."""
        count = 1
        if self.per_partition and self.partition_mode == "2017" and read is not None and write is not None:
            from dynalab.models.hot_partitions import MAX_SIMULATED_PARTITIONS
            from dynalab.models.partitions import partition_count, partitions_after_split

            # The 2017 model: a new table gets partition_count; later changes split (doubling) and never merge.
            required = partition_count(float(read), float(write), self.size_gb)
            count = partitions_after_split(self.partitions, required) if self.partitions else required
            # a bucket per partition: a billion units would make a million of them (16 s, 530 MB); refused first
            checks.number("the 2017 model's partitions for read_capacity_units, write_capacity_units and size_gb",
                          count, high=MAX_SIMULATED_PARTITIONS, integer=True, unit=N_("dynalab's simulation limit"))
        self.read_capacity_units = None if read is None else float(read)
        self.write_capacity_units = None if write is None else float(write)
        if read is None or write is None:
            self._buckets = {}
            return
        old = self._buckets
        self.partitions = count
        buckets: dict[tuple[str, int], TokenBucket] = {}
        for kind, total in (("read", float(read)), ("write", float(write))):
            share = total / count
            if self.per_partition and self.partition_mode == "2017":
                share = min(share, PER_PARTITION_MAX[kind])
            for index in range(count):
                bucket = _bucket(share, self.burst_seconds)
                previous = old.get((kind, index))
                if previous is not None:
                    bucket.balance = min(previous.balance, bucket.capacity)
                elif initial_seconds:
                    bucket.balance = min(share * initial_seconds, bucket.capacity)
                buckets[(kind, index)] = bucket
        self._buckets = buckets

    def update_throughput(self, read_capacity_units: float | None, write_capacity_units: float | None) -> None:
        """Apply new provisioned rates now (None, None: on-demand, no limit)."""
        with self._lock:
            self._refill()
            self._set_throughput(read_capacity_units, write_capacity_units)

    def _refill(self) -> None:
        now = self.clock()
        elapsed = now - self._last
        for bucket in getattr(self, "_index_buckets", {}).values():
            bucket.refill(max(elapsed, 0.0))
        if elapsed > 0:
            for bucket in self._buckets.values():
                bucket.refill(elapsed)
            self._last = now

    def balance(self, kind: str = "write", partition: int | None = None) -> float:
        """Units banked now (a partition's, or the table's total)."""
        with self._lock:
            self._refill()
            return sum(b.balance for (k, i), b in self._buckets.items()
                       if k == kind and (partition is None or i == partition))

    # ------------------------------------------------------------------------------------------- counters

    def _blank(self, second: int) -> SecondCounts:
        return SecondCounts(second, read_capacity_units=self.read_capacity_units or 0.0,
                            write_capacity_units=self.write_capacity_units or 0.0)

    def _second(self) -> SecondCounts:
        second = int(math.floor(self.clock() - self.started))
        counts = self._seconds.get(second)
        if counts is None:
            counts = self._seconds[second] = self._blank(second)
        return counts

    def per_second(self, until: int | None = None) -> list[SecondCounts]:
        """One row per second from 0 to the last second seen (or ``until``, exclusive), gaps filled with zeros."""
        with self._lock:
            last = max(self._seconds, default=-1) + 1 if until is None else until
            rows = []
            for second in range(max(last, 0)):
                row = self._seconds.get(second)
                rows.append(SecondCounts(**vars(row)) if row else self._blank(second))
            return rows

    def stop(self) -> None:
        """Stop throttling (``enforce_throughput`` also removes the plugin from the lab's fidelity layer)."""
        self.active = False
        layer = getattr(self, "_layer", None)
        if layer is not None and self in layer.plugins:
            layer.plugins.remove(self)

    # ------------------------------------------------------------------------------------------- requests

    def _charges(self, operation: str, body: dict) -> tuple[str, dict[int, float]] | None:
        """(kind, {partition: estimated units}) for a request on our table, or None."""
        if operation in WRITES:
            kind = "write"
        elif operation in READS:
            kind = "read"
        else:
            return None
        on_this_table = [access for access in accesses(operation, body) if access.table == self.table_name]
        if not on_this_table:
            return None
        units_each = 2.0 if on_this_table[0].transactional else 1.0  # transactional reads and writes cost twice
        spread = operation == "Scan"
        if operation == "Query":
            key = _query_key(body, self.partition_key)
            spread = key is None
            keys = [key]
        else:
            keys = [access.key.get(self.partition_key) for access in on_this_table]
        if not self.per_partition or self.partitions <= 1:
            return kind, {0: units_each * max(len(keys), 1)}
        if spread:
            return kind, {index: 1.0 / self.partitions for index in range(self.partitions)}
        from dynalab.models.partitions import partition_index

        charges: dict[int, float] = {}
        for key in keys:
            index = partition_index(key, self.partitions) if key is not None else 0
            charges[index] = charges.get(index, 0.0) + units_each
        return kind, charges

    @property
    def _state_key(self) -> str:
        return f"dynalab_throttling:{self.table_name}"  # one per table: a batch may name several throttled tables

    def before_call(self, operation: str, request_dict: dict, context: dict) -> None:
        """A batch the bucket can absorb only in part is served in part, as DynamoDB does: the request sent to the
        engine keeps the items admitted, and the others come back in UnprocessedItems / UnprocessedKeys."""
        if not self.active or operation not in ("BatchWriteItem", "BatchGetItem"):
            return
        request = context.get("dynalab_request")
        if not isinstance(request, dict):
            return
        on_this_table = [a for a in accesses(operation, request) if a.table == self.table_name]
        if not on_this_table:
            return
        kind = "write" if operation == "BatchWriteItem" else "read"
        with self._lock:
            if not self._buckets:  # on-demand
                return
            self._refill()
            admitted: list[Access] = []
            withheld: list[Access] = []
            charged: dict[int, float] = {}
            index_charged: dict[str, float] = {}
            for access in on_this_table:
                index = self._partition(access.key.get(self.partition_key))
                bucket = self._buckets[(kind, index)]
                on_indexes = self._index_estimates([access]) if kind == "write" else {}
                if bucket.balance > 0 and all(self._index_buckets[(n, "write")].balance > 0 for n in on_indexes) \
                        and self._key_admits(kind, access, _estimate(access, kind)):
                    units = _estimate(access, kind)
                    bucket.spend(units)
                    charged[index] = charged.get(index, 0.0) + units
                    for name, units in on_indexes.items():
                        self._index_buckets[(name, "write")].spend(units)
                        index_charged[name] = index_charged.get(name, 0.0) + units
                    admitted.append(access)
                else:
                    withheld.append(access)
            if not admitted:
                return  # none can be served: each HTTP attempt is throttled in before_send, and boto3 retries
            context[self._state_key] = {"kind": kind, "charged": charged, "prepaid": True,
                                        "index_charged": index_charged,
                                        "withheld": [a.spec for a in withheld] if kind == "write" else
                                        [a.key for a in withheld],
                                        "spec": on_this_table[0].spec}
        if withheld:
            # the items handed back are throttle events, not a throttled request (metrics-dimensions.html)
            reason = f"Table{kind.capitalize()}ProvisionedThroughputExceeded"
            context.setdefault(THROTTLES_KEY, []).append((Throttle(self.table_name, None, reason, len(withheld), False),
                                                          [dict(a.key) for a in withheld]))
            items = request["RequestItems"]
            if kind == "write":
                items[self.table_name] = [a.spec for a in admitted]
            else:
                items[self.table_name] = {**on_this_table[0].spec, "Keys": [a.key for a in admitted]}
            request_dict["body"] = json.dumps(request).encode()

    def _ceiling_key(self, key: dict) -> bytes | None:
        """What today's ceiling binds for an item's key: its partition-key value, or its whole primary key when the
        item collection can be split by sort key (None: no key to read)."""
        from dynalab.models.partitions import key_bytes

        value = key.get(self.partition_key)
        if value is None:
            return None
        if not self.item_collections_split:
            return key_bytes(value)
        return b"\x00".join(key_bytes(key[name]) for name in self.table_key_attributes if name in key)

    def _key_admits(self, kind: str, access: Access, units: float) -> bool:
        """Today's mode: the batch item's key is under its ceiling (charged if so); always True otherwise."""
        ceiling_key = self._ceiling_key(access.key)
        if self._key_ceilings is None or ceiling_key is None:
            return True
        return self._key_ceilings.admit(kind, {ceiling_key: units}, self._last)

    def _partition(self, key: Any) -> int:
        if not self.per_partition or self.partitions <= 1 or key is None:
            return 0
        from dynalab.models.partitions import partition_index

        return partition_index(key, self.partitions)

    def before_send(self, operation: str, body: dict, context: dict) -> Any:
        if not self.active:
            return None
        state = context.get(self._state_key)
        if state is not None and state.get("prepaid"):
            return None  # a batch admitted in before_call (in whole or in part): already charged
        charges = self._charges(operation, body)
        if charges is None:
            return None
        kind, parts = charges
        keys = self._key_charges(operation, body) if self._key_ceilings is not None else {}
        read_index = self._read_index(operation, body)
        on_indexes = self._index_estimates([a for a in accesses(operation, body) if a.table == self.table_name]) \
            if kind == "write" else {}
        with self._lock:
            if not self._buckets:  # on-demand
                return None
            self._refill()
            if read_index is not None:  # a read of a GSI is paid from the index's capacity, not the table's
                bucket = self._index_buckets[(read_index, "read")]
                if bucket.balance > 0:
                    units = sum(parts.values())
                    bucket.spend(units)
                    context[self._state_key] = {"kind": kind, "charged": {}, "index_charged": {read_index: units}}
                    return None
                return self._throttled(_index_arn(self.table_arn, read_index), "IndexReadProvisionedThroughputExceeded",
                                       THROTTLE_MESSAGE, (context, operation, body))
            buckets = [self._buckets[(kind, index)] for index in parts]
            short = [name for name in on_indexes if self._index_buckets[(name, "write")].balance <= 0]
            # today's mode: a key past the ceiling a partition is designed for throttles (KeyRange...)
            key_refused = bool(keys) and all(b.balance > 0 for b in buckets) and not short and \
                not self._key_ceilings.admit(kind, keys, self._last)
            if all(b.balance > 0 for b in buckets) and not short and not key_refused:
                for index, units in parts.items():
                    self._buckets[(kind, index)].spend(units)
                for name, units in on_indexes.items():
                    self._index_buckets[(name, "write")].spend(units)
                state = context.setdefault(self._state_key, {"kind": kind, "charged": {}, "index_charged": {}})
                for index, units in parts.items():
                    state["charged"][index] = state["charged"].get(index, 0.0) + units
                for name, units in on_indexes.items():
                    state["index_charged"][name] = state["index_charged"].get(name, 0.0) + units
                return None
            if short and all(b.balance > 0 for b in buckets):
                # GSI back-pressure: the table had capacity, its index did not, so the table write is throttled.
                return self._throttled(_index_arn(self.table_arn, short[0]), "IndexWriteProvisionedThroughputExceeded",
                                       tr(GSI_THROTTLE_MESSAGE, index=short[0]), (context, operation, body))
            reason = f"Table{kind.capitalize()}" + ("KeyRangeThroughputExceeded" if key_refused or (
                self.per_partition and self.partitions > 1) else "ProvisionedThroughputExceeded")
            return self._throttled(self.table_arn, reason, THROTTLE_MESSAGE, (context, operation, body))

    def _throttled(self, resource: str, reason: str, message: str, call: tuple[dict, str, dict]) -> Any:
        """Count a throttled attempt (the lock is held), note it for the metrics recorder, and answer it as DynamoDB
        does, with its ThrottlingReasons (API_ThrottlingReason.html)."""
        self.throttled_attempts += 1
        self._second().throttled_attempts += 1
        self.throttle_reasons[reason] = self.throttle_reasons.get(reason, 0) + 1
        context, operation, body = call
        index = resource.rsplit("/index/", 1)[1] if "/index/" in resource else None
        if operation == "Query":
            keys = [{self.partition_key: value} for value in [_query_key(body, self.partition_key)] if value]
        else:
            keys = [dict(a.key) for a in accesses(operation, body) if a.table == self.table_name]
        # a throttled event per item (a batch's or a transaction's), one for a Query or Scan (metrics-dimensions)
        events = max(len(keys), 1) if operation not in ("Query", "Scan") else 1
        context.setdefault(THROTTLES_KEY, []).append((Throttle(self.table_name, index, reason, events), keys))
        return error_response(THROTTLE_CODE, message,
                              extra={"ThrottlingReasons": [{"reason": reason, "resource": resource}]})

    def _read_index(self, operation: str, body: dict) -> str | None:
        """The GSI a Query/Scan of our table reads (its own bucket pays), or None."""
        name = body.get("IndexName") if operation in ("Query", "Scan") else None
        if name and body.get("TableName") == self.table_name and (name, "read") in self._index_buckets:
            return name
        return None

    def _index_estimates(self, writes: list[Access]) -> dict[str, float]:
        """{gsi: estimated write units} these writes cost our GSIs, from the request alone (the meter's exact
        count replaces it after the call): a put whose item has the index's key attributes pays its entry's
        1 KB blocks; an update naming an index key attribute (or any attribute, for an ALL or INCLUDE index)
        2 (the delete and put of a key change); a delete is not held back (its old item is not in the request)."""
        estimates: dict[str, float] = {}
        for write in writes:
            for name, index in self.global_secondary_indexes.items():
                if write.action == "Put" and write.item is not None:
                    size = index_entry_size(write.item, index, self.table_key_attributes)
                    units = _write_estimate(size) if size is not None else 0.0
                elif write.action == "Update":
                    named = _updated_attributes(write.spec)
                    touched = bool(named & set(index.key_attributes)) or (
                        index.projection_type == "ALL" and bool(named)) or bool(named & set(index.non_key_attributes))
                    units = 2.0 if named & set(index.key_attributes) else 1.0 if touched else 0.0
                else:
                    units = 0.0
                if units:
                    estimates[name] = estimates.get(name, 0.0) + units
        return estimates

    def _key_charges(self, operation: str, body: dict) -> dict[bytes, float]:
        """Today's mode: {ceiling key: estimated units} of a request (none for a Scan): an item's key, or a Query's
        partition-key value."""
        from dynalab.models.partitions import key_bytes

        if operation == "Scan":
            return {}
        on_this_table = [access for access in accesses(operation, body) if access.table == self.table_name]
        units_each = 2.0 if on_this_table and on_this_table[0].transactional else 1.0
        if operation == "Query":
            value = _query_key(body, self.partition_key)
            keys = [key_bytes(value)] if value is not None else []
        else:
            keys = [self._ceiling_key(access.key) for access in on_this_table]
        charges: dict[bytes, float] = {}
        for key in keys:
            if key is not None:
                charges[key] = charges.get(key, 0.0) + units_each
        return charges

    def after_call(self, operation: str, request: dict, parsed: dict, status_code: int, context: dict) -> None:
        if operation == "UpdateTable" and request.get("TableName") == self.table_name and status_code == 200:
            self._follow_update(request, parsed)
            return
        state = context.get(self._state_key)
        if not state:
            return  # not this table's, or never admitted (throttled to the end)
        if state.get("withheld") and status_code == 200:
            self._hand_back(operation, parsed, state)
        self._settle_indexes(state, (context.get("dynalab_consumed_indexes") or {}).get(self.table_name))
        kind, charged = state["kind"], state["charged"]
        estimated = sum(charged.values())
        actual = estimated
        consumed = (context.get("dynalab_consumed") or {}).get(self.table_name)
        if consumed is not None:
            actual = float(consumed[0] if kind == "read" else consumed[1])
        with self._lock:
            if estimated > 0 and actual != estimated:
                for index, units in charged.items():
                    bucket = self._buckets.get((kind, index))
                    if bucket is not None:
                        bucket.spend((actual - estimated) * units / estimated)
            row = self._second()
            if status_code == 200:
                row.served_requests += 1
                self.served_requests += 1
            self.units_total[kind] += actual
            if kind == "read":
                row.read_units += actual
            else:
                row.write_units += actual

    def _settle_indexes(self, state: dict, consumed: dict | None) -> None:
        """Replace what the GSI buckets were charged on admission by the units the meter counted."""
        kind = state["kind"]
        charged = state.get("index_charged") or {}
        actual = {name: (u[0] if kind == "read" else u[1]) for name, u in (consumed or {}).items()}
        with self._lock:
            for name in set(charged) | set(actual):
                bucket = self._index_buckets.get((name, kind))
                if bucket is None:
                    continue
                if consumed is not None:
                    bucket.spend(actual.get(name, 0.0) - charged.get(name, 0.0))
                self.index_units_total[(name, kind)] = self.index_units_total.get((name, kind), 0.0) + \
                    (actual.get(name, 0.0) if consumed is not None else charged.get(name, 0.0))

    def update_index_throughput(self, index_name: str, read_capacity_units: float | None,
                                write_capacity_units: float | None) -> None:
        """Apply a GSI's new provisioned rates now (None: that kind unchanged), keeping what it has banked."""
        with self._lock:
            self._refill()
            for kind, rate in (("read", read_capacity_units), ("write", write_capacity_units)):
                bucket = self._index_buckets.get((index_name, kind))
                if bucket is not None and rate is not None:
                    bucket.resize(float(rate), float(rate) * max(self.burst_seconds, 1.0))

    def index_balance(self, index_name: str, kind: str = "write") -> float:
        """What a GSI's bucket holds now (units)."""
        with self._lock:
            self._refill()
            return self._index_buckets[(index_name, kind)].balance

    def _hand_back(self, operation: str, parsed: dict, state: dict) -> None:
        """Put the items this throttle withheld from a batch into the answer, as DynamoDB hands them back."""
        withheld = state["withheld"]
        with self._lock:
            self.unprocessed_items += len(withheld)
            self._second().unprocessed_items += len(withheld)
        if operation == "BatchWriteItem":
            left = parsed.setdefault("UnprocessedItems", {}).setdefault(self.table_name, [])
            for write in withheld:
                ((kind, body),) = write.items()
                left.append({kind: {part: {name: client_shape(value) for name, value in values.items()}
                                    for part, values in body.items()}})
        else:
            spec = {name: value for name, value in state["spec"].items() if name != "Keys"}
            entry = parsed.setdefault("UnprocessedKeys", {}).setdefault(self.table_name, {**spec, "Keys": []})
            entry["Keys"].extend({name: client_shape(value) for name, value in key.items()} for key in withheld)

    def _follow_update(self, request: dict, parsed: dict) -> None:
        description = parsed.get("TableDescription") or {}
        mode = (description.get("BillingModeSummary") or {}).get("BillingMode") or request.get("BillingMode")
        if mode == "PAY_PER_REQUEST":
            self.update_throughput(None, None)
            with self._lock:
                self._index_buckets.clear()
            return
        for change in request.get("GlobalSecondaryIndexUpdates") or []:
            update = change.get("Update") or {}
            provisioned = update.get("ProvisionedThroughput") or {}
            if update.get("IndexName") in self.global_secondary_indexes and provisioned:
                self.update_index_throughput(update["IndexName"], provisioned.get("ReadCapacityUnits"),
                                             provisioned.get("WriteCapacityUnits"))
        throughput = request.get("ProvisionedThroughput") or description.get("ProvisionedThroughput") or {}
        read = throughput.get("ReadCapacityUnits", self.read_capacity_units)
        write = throughput.get("WriteCapacityUnits", self.write_capacity_units)
        if read is not None and write is not None:
            self.update_throughput(read, write)
            with self._lock:
                row = self._second()
                row.read_capacity_units, row.write_capacity_units = float(read), float(write)


def _index_arn(table_arn: str, index_name: str) -> str:
    return f"{table_arn}/index/{index_name}" if table_arn else index_name


def _updated_attributes(spec: Mapping[str, Any]) -> set[str]:
    """The top-level attribute names an UpdateItem (or a transaction's Update) sets or removes."""
    names = spec.get("ExpressionAttributeNames") or {}
    expression = spec.get("UpdateExpression") or ""
    found = set()
    for token in re.findall(r"#?[A-Za-z_][A-Za-z0-9_]*", re.sub(r":[A-Za-z0-9_]+", " ", expression)):
        if token.upper() in ("SET", "REMOVE", "ADD", "DELETE", "IF_NOT_EXISTS", "LIST_APPEND"):
            continue
        found.add(names.get(token, token))
    found.update(spec.get("AttributeUpdates") or {})
    return found


def _estimate(access: Access, kind: str) -> float:
    """Units one batch item is charged on admission (the meter's exact count replaces it after the call): a put
    its item's 1 KB blocks, a delete 1 WCU, a read one 4 KB block at its consistency."""
    if kind == "write":
        if access.item is None:
            return 1.0
        try:
            return _write_estimate(typed_item_size(access.item))
        except (TypeError, ValueError):  # a value DynamoDB refuses: the engine answers with AWS's error
            return 1.0
    return 1.0 if access.spec.get("ConsistentRead") else 0.5


def _query_key(body: dict, partition_key: str) -> Any:
    """The partition-key value of a Query (``pk = :v`` in KeyConditionExpression), or None."""
    condition = body.get("KeyConditionExpression")
    if condition:
        names = body.get("ExpressionAttributeNames") or {}
        values = body.get("ExpressionAttributeValues") or {}
        for name, placeholder in _EQUALS.findall(condition):
            if names.get(name, name) == partition_key:
                return values.get(placeholder)
        return None
    legacy = (body.get("KeyConditions") or {}).get(partition_key) or {}
    values = legacy.get("AttributeValueList") or [None]
    return values[0]


def enforce_throughput(lab: Any, table_name: str, *, per_partition: bool = False, partition_mode: str = "today",
                       burst_seconds: float = 300.0, initial_burst_seconds: float = 0.0,
                       clock: Callable[[], float] = time.monotonic,
                       monotonic_sort_key: bool = False) -> ThroughputEnforcer:
    """Throttle ``table_name`` at its provisioned throughput from now on; ``.stop()`` ends it.

    Reads the table's throughput (and key, size for partitions, and each GSI's own throughput: a GSI short of
    write capacity throttles the table's writes that touch it) with DescribeTable; follows later UpdateTable
    calls made through the lab (the table's and its GSIs' new rates). ``initial_burst_seconds``: what the burst
    bucket holds at the start (a fresh bucket: nothing banked yet). ``per_partition=True`` adds the partitions'
    limits: ``partition_mode="today"`` (an item cannot pass 3,000 / 1,000 units a second; a partition-key value
    cannot either on a table without a sort key, with an LSI, or whose sort key only grows: say so with
    ``monotonic_sort_key=True`` [src:hot-key-per-item]) or ``"2017"`` (the 2017 model's even split).
    """
    from botocore.exceptions import ClientError

    table_name = checks.table_name("table_name", table_name)
    per_partition = checks.flag("per_partition", per_partition)
    if not callable(clock):
        raise checks.ParameterTypeError(tr("clock must be a function returning seconds (time.monotonic), got "
                                           "{clock!r:.60}", clock=clock))
    if not hasattr(lab, "client") or not hasattr(lab, "fidelity"):
        raise checks.ParameterTypeError(tr("lab must be a dynalab Lab (from dynalab.connect()), got {lab!r:.60}",
                                           lab=lab))
    if getattr(lab, "is_aws", False):
        raise ValueError(tr("enforce_throughput simulates DynamoDB's throttling on a local engine; on AWS the real "
                            "service throttles by itself, so it is not added there"))
    try:
        description = lab.client.describe_table(TableName=table_name)["Table"]
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        raise ValueError(tr("table {table!r} does not exist on this engine: create it first "
                            "(dynalab.create_table with read_capacity_units and write_capacity_units)",
                            table=table_name)) from None
    key = next(k["AttributeName"] for k in description["KeySchema"] if k["KeyType"] == "HASH")
    mode = (description.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
    throughput = description.get("ProvisionedThroughput") or {}
    read = throughput.get("ReadCapacityUnits") or None
    write = throughput.get("WriteCapacityUnits") or None
    if mode == "PAY_PER_REQUEST" or read is None or write is None:
        read = write = None
    monotonic_sort_key = checks.flag("monotonic_sort_key", monotonic_sort_key)
    table_keys, indexes = indexes_from_description(description)
    # the collection splits by sort key unless the table has none, has an LSI, or its sort key only grows
    splits = len(table_keys) > 1 and not any(not index.is_global for index in indexes) and not monotonic_sort_key
    gsis = []
    if read is not None:  # on a provisioned table each GSI has its own provisioned throughput
        for index, raw in zip([i for i in indexes if i.is_global], description.get("GlobalSecondaryIndexes") or [],
                              strict=True):
            provisioned = raw.get("ProvisionedThroughput") or {}
            if provisioned.get("ReadCapacityUnits") and provisioned.get("WriteCapacityUnits"):
                gsis.append((index, provisioned["ReadCapacityUnits"], provisioned["WriteCapacityUnits"]))
    enforcer = ThroughputEnforcer(
        table_name, read, write, partition_key=key, per_partition=per_partition, partition_mode=partition_mode,
        burst_seconds=burst_seconds,
        initial_burst_seconds=initial_burst_seconds, size_gb=description.get("TableSizeBytes", 0) / 1024**3,
        clock=clock, global_secondary_indexes=gsis, table_key_attributes=table_keys,
        table_arn=description.get("TableArn", ""), item_collections_split=splits,
    )
    old = find_enforcer(lab, table_name)
    if old is not None:  # a re-run cell: one table, one throttle (two would each take their share of requests)
        old.stop()
    enforcer._layer = lab.fidelity
    lab.fidelity.add(enforcer)
    return enforcer


def find_enforcer(lab: Any, table_name: str) -> ThroughputEnforcer | None:
    """The throttling now enforced on ``table_name`` through this lab, or None."""
    return next((plugin for plugin in lab.fidelity.plugins
                 if isinstance(plugin, ThroughputEnforcer) and plugin.table_name == table_name and plugin.active),
                None)
