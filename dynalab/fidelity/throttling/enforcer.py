"""The ``ThroughputEnforcer``: a fidelity-layer plugin (``Phase.THROTTLE``) that throttles one table at its
provisioned throughput (see ``dynalab.fidelity.throttling``)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dynalab.fidelity import error_response
from dynalab.fidelity.call import Call, Phase, Throttle
from dynalab.fidelity.requests import Access, client_shape
from dynalab.fidelity.throttling.buckets import PER_PARTITION_MAX, KeyCeilings, SecondCounts, bucket
from dynalab.fidelity.throttling.estimates import estimate, index_estimates, kind_of, query_key, table_keys
from dynalab.i18n import N_, tr
from dynalab.models import checks
from dynalab.models.indexes import SecondaryIndex
from dynalab.models.quotas import MODEL_MAX_CAPACITY_UNITS, MODEL_MAX_SIZE_GB
from dynalab.models.token_bucket import TokenBucket

__all__ = ["GSI_THROTTLE_MESSAGE", "PARTITION_MODES", "THROTTLE_CODE", "THROTTLE_MESSAGE", "Admission",
           "ThroughputEnforcer"]

THROTTLE_CODE = "ProvisionedThroughputExceededException"
THROTTLE_MESSAGE = ("The level of configured provisioned throughput for the table was exceeded. Consider increasing "
                    "your provisioning level with the UpdateTable API.")
#: GSI back-pressure: the table write is refused because its GSI is short of write capacity [src:gsi-back-pressure].
GSI_THROTTLE_MESSAGE = N_("The level of configured provisioned throughput for one or more global secondary indexes of "
                          "the table was exceeded (index {index!r}: its writes are throttling the table's). Consider "
                          "increasing the index's provisioning level with the UpdateTable API.")
PARTITION_MODES = ("today", "2017")


@dataclass
class Admission:
    """What the throttle charged one table for one call on admission (``call.admissions[table]``), settled against
    the meter's count after the call. ``charged``: {partition: units}; ``index_charged``: {gsi: units};
    ``prepaid``: a batch admitted in part before the call (``withheld``: the items handed back unprocessed)."""

    kind: str
    charged: dict[int, float] = field(default_factory=dict)
    index_charged: dict[str, float] = field(default_factory=dict)
    prepaid: bool = False
    withheld: list[Any] = field(default_factory=list)
    spec: Any = None


class ThroughputEnforcer:
    """A fidelity-layer plugin that throttles one table at its provisioned throughput (see
    ``dynalab.fidelity.throttling``).

    Usually made by ``enforce_throughput``; build it directly (no engine needed) to test it with a fake clock.
    """

    phase = Phase.THROTTLE

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
        self._key_ceilings = KeyCeilings(self.started) if self.per_partition and partition_mode == "today" else None
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
                made = bucket(rate, self.burst_seconds)
                made.balance = min(rate * initial_burst_seconds, made.capacity)
                self._index_buckets[(index.name, kind)] = made

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
                made = bucket(share, self.burst_seconds)
                previous = old.get((kind, index))
                if previous is not None:
                    made.balance = min(previous.balance, made.capacity)
                elif initial_seconds:
                    made.balance = min(share * initial_seconds, made.capacity)
                buckets[(kind, index)] = made
        self._buckets = buckets

    def update_throughput(self, read_capacity_units: float | None, write_capacity_units: float | None) -> None:
        """Apply new provisioned rates now (None, None: on-demand, no limit)."""
        with self._lock:
            self._refill()
            self._set_throughput(read_capacity_units, write_capacity_units)

    def _refill(self) -> None:
        now = self.clock()
        elapsed = now - self._last
        for each in getattr(self, "_index_buckets", {}).values():
            each.refill(max(elapsed, 0.0))
        if elapsed > 0:
            for each in self._buckets.values():
                each.refill(elapsed)
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

    def _on_table(self, call: Call) -> list[Access]:
        return [access for access in call.accesses if access.table == self.table_name]

    def _charges(self, call: Call) -> dict[int, float] | None:
        """{partition: estimated units} a call charges our table (None: it does not touch it)."""
        values, spread, transactional = table_keys(call.runs, self.table_name, self.partition_key)
        if not values and not spread:
            return None
        units_each = 2.0 if transactional else 1.0  # transactional reads and writes cost twice
        if not self.per_partition or self.partitions <= 1:
            return {0: units_each * max(len(values), 1)}
        if spread:
            return {index: 1.0 / self.partitions for index in range(self.partitions)}
        charges: dict[int, float] = {}
        for value in values:
            index = self._partition(value)
            charges[index] = charges.get(index, 0.0) + units_each
        return charges

    def _key_charges(self, call: Call) -> dict[bytes, float]:
        """Today's mode: {ceiling key: estimated units} of a call (none for a Scan): an item's key (``_ceiling_key``),
        or a Query's partition-key value."""
        from dynalab.models.partitions import key_bytes

        if self._key_ceilings is None or any(run.operation == "Scan" for run in call.runs):
            return {}
        charges: dict[bytes, float] = {}
        for access in self._on_table(call):
            if access.action == "Query":
                value = query_key(access.spec, self.partition_key)
                key = key_bytes(value) if value is not None else None
            else:
                key = self._ceiling_key(access.key)
            if key is not None:
                charges[key] = charges.get(key, 0.0) + (2.0 if access.transactional else 1.0)
        return charges

    def _ceiling_key(self, key: Any) -> bytes | None:
        """What today's ceiling binds for an item's key: its partition-key value, or its whole primary key when the
        item collection can be split by sort key [src:hot-key-per-item] (None: no key to read)."""
        from dynalab.models.partitions import key_bytes

        value = key.get(self.partition_key)
        if value is None:
            return None
        if not self.item_collections_split:
            return key_bytes(value)
        return b"\x00".join(key_bytes(key[name]) for name in self.table_key_attributes if name in key)

    def before_call(self, call: Call) -> None:
        """A batch the bucket can absorb only in part is served in part, as DynamoDB does: the request sent to the
        engine keeps the items admitted, and the others come back in UnprocessedItems / UnprocessedKeys."""
        if not self.active or call.operation not in ("BatchWriteItem", "BatchGetItem"):
            return
        on_this_table = self._on_table(call)
        if not on_this_table:
            return
        kind = "write" if call.operation == "BatchWriteItem" else "read"
        with self._lock:
            if not self._buckets:  # on-demand
                return
            self._refill()
            admission = Admission(kind, prepaid=True, spec=on_this_table[0].spec)
            admitted = [access for access in on_this_table if self._admit_batch_item(kind, access, admission)]
            if not admitted:
                return  # none can be served: each HTTP attempt is throttled in before_send, and boto3 retries
            withheld = [access for access in on_this_table if access not in admitted]
            admission.withheld = [a.spec if kind == "write" else a.key for a in withheld]
            call.admissions[self.table_name] = admission
        if withheld:
            # the items handed back are throttle events, not a throttled request (metrics-dimensions.html)
            reason = f"Table{kind.capitalize()}ProvisionedThroughputExceeded"
            call.throttles.append(Throttle(self.table_name, None, reason, self.table_arn, len(withheld), False,
                                           tuple(dict(a.key) for a in withheld)))
            items = call.request["RequestItems"]
            if kind == "write":
                items[self.table_name] = [a.spec for a in admitted]
            else:
                items[self.table_name] = {**on_this_table[0].spec, "Keys": [a.key for a in admitted]}
            call.changed()

    def _admit_batch_item(self, kind: str, access: Access, admission: Admission) -> bool:
        """Charge one batch item if its partition's bucket, its key's ceiling and its GSIs can take it (the lock is
        held)."""
        index = self._partition(access.key.get(self.partition_key))
        table_bucket = self._buckets[(kind, index)]
        on_indexes = index_estimates([access], self.global_secondary_indexes, self.table_key_attributes) \
            if kind == "write" else {}
        units = estimate(access, kind)
        if table_bucket.balance <= 0 or any(self._index_buckets[(n, "write")].balance <= 0 for n in on_indexes) \
                or not self._key_admits(kind, access, units):
            return False
        table_bucket.spend(units)
        admission.charged[index] = admission.charged.get(index, 0.0) + units
        for name, index_units in on_indexes.items():
            self._index_buckets[(name, "write")].spend(index_units)
            admission.index_charged[name] = admission.index_charged.get(name, 0.0) + index_units
        return True

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

    def before_send(self, call: Call) -> Any:
        if not self.active:
            return None
        admission = call.admissions.get(self.table_name)
        if admission is not None and admission.prepaid:
            return None  # a batch admitted in before_call (in whole or in part): already charged
        kind = kind_of(call.runs)
        parts = self._charges(call) if kind is not None else None
        if parts is None:
            return None
        keys = self._key_charges(call)
        read_index = self._read_index(call)
        on_indexes = index_estimates(self._on_table(call), self.global_secondary_indexes,
                                     self.table_key_attributes) if kind == "write" else {}
        with self._lock:
            if not self._buckets:  # on-demand
                return None
            self._refill()
            if read_index is not None:  # a read of a GSI is paid from the index's capacity, not the table's
                return self._admit_index_read(call, read_index, sum(parts.values()))
            return self._admit(call, kind, parts, keys, on_indexes)

    def _admit_index_read(self, call: Call, index_name: str, units: float) -> Any:
        index_bucket = self._index_buckets[(index_name, "read")]
        if index_bucket.balance > 0:
            index_bucket.spend(units)
            call.admissions[self.table_name] = Admission("read", index_charged={index_name: units})
            return None
        return self._throttled(call, index_name, "IndexReadProvisionedThroughputExceeded", THROTTLE_MESSAGE)

    def _admit(self, call: Call, kind: str, parts: dict[int, float], keys: dict[bytes, float],
               on_indexes: dict[str, float]) -> Any:
        """Charge the table's buckets (and its GSIs', and today's key ceilings) if all can take the call; else
        answer the attempt as DynamoDB throttles it (the lock is held)."""
        buckets = [self._buckets[(kind, index)] for index in parts]
        table_has = all(b.balance > 0 for b in buckets)
        short = [name for name in on_indexes if self._index_buckets[(name, "write")].balance <= 0]
        # today's mode: a key past the ceiling a partition is designed for throttles (KeyRange...)
        key_refused = bool(keys) and table_has and not short and not self._key_ceilings.admit(kind, keys, self._last)
        if table_has and not short and not key_refused:
            admission = call.admissions.setdefault(self.table_name, Admission(kind))
            for index, units in parts.items():
                self._buckets[(kind, index)].spend(units)
                admission.charged[index] = admission.charged.get(index, 0.0) + units
            for name, units in on_indexes.items():
                self._index_buckets[(name, "write")].spend(units)
                admission.index_charged[name] = admission.index_charged.get(name, 0.0) + units
            return None
        if short and table_has:
            # GSI back-pressure: the table had capacity, its index did not, so the table write is throttled.
            return self._throttled(call, short[0], "IndexWriteProvisionedThroughputExceeded",
                                   tr(GSI_THROTTLE_MESSAGE, index=short[0]))
        reason = f"Table{kind.capitalize()}" + ("KeyRangeThroughputExceeded" if key_refused or (
            self.per_partition and self.partitions > 1) else "ProvisionedThroughputExceeded")
        return self._throttled(call, None, reason, THROTTLE_MESSAGE)

    def _throttled(self, call: Call, index_name: str | None, reason: str, message: str) -> Any:
        """Count a throttled attempt (the lock is held), put it on the call's record with its events and keys (for
        the metrics recorder), and answer it as DynamoDB does, with its ThrottlingReasons
        (API_ThrottlingReason.html)."""
        self.throttled_attempts += 1
        self._second().throttled_attempts += 1
        self.throttle_reasons[reason] = self.throttle_reasons.get(reason, 0) + 1
        resource = _index_arn(self.table_arn, index_name) if index_name else self.table_arn
        keys, items = [], 0
        for access in self._on_table(call):
            if access.action == "Query":
                value = query_key(access.spec, self.partition_key)
                keys += [{self.partition_key: value}] if value else []
            elif access.action != "Scan":
                keys.append(dict(access.key))
                items += 1
        # a throttled event per item (a batch's or a transaction's), one for a Query or Scan (metrics-dimensions)
        call.throttles.append(Throttle(self.table_name, index_name, reason, resource, max(items, 1), True,
                                       tuple(keys)))
        return error_response(THROTTLE_CODE, message,
                              extra={"ThrottlingReasons": [{"reason": reason, "resource": resource}]})

    def _read_index(self, call: Call) -> str | None:
        """The GSI a Query/Scan of our table reads (its own bucket pays), or None."""
        for run in call.runs:
            name = run.request.get("IndexName") if run.operation in ("Query", "Scan") else None
            if name and run.request.get("TableName") == self.table_name and (name, "read") in self._index_buckets:
                return name
        return None

    def after_call(self, call: Call) -> None:
        if call.operation == "UpdateTable" and call.request.get("TableName") == self.table_name \
                and call.status_code == 200:
            self._follow_update(call.request, call.parsed)
            return
        admission = call.admissions.get(self.table_name)
        if admission is None:
            return  # not this table's, or never admitted (throttled to the end)
        if admission.withheld and call.status_code == 200:
            self._hand_back(call, admission)
        units = call.units.get(self.table_name)
        self._settle_indexes(admission, units)
        kind, charged = admission.kind, admission.charged
        estimated = sum(charged.values())
        actual = estimated
        if units is not None:
            actual = float(units.read if kind == "read" else units.write)
        with self._lock:
            if estimated > 0 and actual != estimated:
                for index, part in charged.items():
                    table_bucket = self._buckets.get((kind, index))
                    if table_bucket is not None:
                        table_bucket.spend((actual - estimated) * part / estimated)
            row = self._second()
            if call.status_code == 200:
                row.served_requests += 1
                self.served_requests += 1
            self.units_total[kind] += actual
            if kind == "read":
                row.read_units += actual
            else:
                row.write_units += actual

    def _settle_indexes(self, admission: Admission, units: Any) -> None:
        """Replace what the GSI buckets were charged on admission by the units the meter counted."""
        kind = admission.kind
        charged = admission.index_charged
        counted = units is not None
        actual = {name: (u.read if kind == "read" else u.write)
                  for name, u in (units.indexes.items() if counted else ()) if u.is_global}
        with self._lock:
            for name in set(charged) | set(actual):
                index_bucket = self._index_buckets.get((name, kind))
                if index_bucket is None:
                    continue
                if counted:
                    index_bucket.spend(actual.get(name, 0.0) - charged.get(name, 0.0))
                self.index_units_total[(name, kind)] = self.index_units_total.get((name, kind), 0.0) + \
                    (actual.get(name, 0.0) if counted else charged.get(name, 0.0))

    def update_index_throughput(self, index_name: str, read_capacity_units: float | None,
                                write_capacity_units: float | None) -> None:
        """Apply a GSI's new provisioned rates now (None: that kind unchanged), keeping what it has banked."""
        with self._lock:
            self._refill()
            for kind, rate in (("read", read_capacity_units), ("write", write_capacity_units)):
                found = self._index_buckets.get((index_name, kind))
                if found is not None and rate is not None:
                    found.resize(float(rate), float(rate) * max(self.burst_seconds, 1.0))

    def index_balance(self, index_name: str, kind: str = "write") -> float:
        """What a GSI's bucket holds now (units)."""
        with self._lock:
            self._refill()
            return self._index_buckets[(index_name, kind)].balance

    def _hand_back(self, call: Call, admission: Admission) -> None:
        """Put the items this throttle withheld from a batch into the answer, as DynamoDB hands them back."""
        withheld = admission.withheld
        with self._lock:
            self.unprocessed_items += len(withheld)
            self._second().unprocessed_items += len(withheld)
        parsed = call.parsed
        if call.operation == "BatchWriteItem":
            left = parsed.setdefault("UnprocessedItems", {}).setdefault(self.table_name, [])
            for write in withheld:
                ((kind, body),) = write.items()
                left.append({kind: {part: {name: client_shape(value) for name, value in values.items()}
                                    for part, values in body.items()}})
        else:
            spec = {name: value for name, value in admission.spec.items() if name != "Keys"}
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
