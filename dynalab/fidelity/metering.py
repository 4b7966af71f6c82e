"""The capacity meter: DynamoDB's capacity units for every call made through a lab's clients.

A fidelity-layer plugin (``dynalab.fidelity``). For each call it works out the units DynamoDB would charge, from
the item sizes it sees in the request and the answer (``dynalab.models.sizing``, ``dynalab.models.capacity``), and

* records them per table and operation (``rows()``, ``read_units()``, ``write_units()``) and in a bounded
  ``log`` of recent calls, even when the learner did not ask for ``ReturnConsumedCapacity``;
* when the learner did ask, puts DynamoDB's numbers in the answer: on an engine known to fake them (moto reports
  fixed values whatever the size) dynalab's replace the engine's; on an engine that reports real ones (dynalite,
  AWS) the engine's are kept, and both are logged;
* leaves ``context["dynalab_consumed"] = {table: (read_units, write_units)}`` for the plugins after it
  (lesson 2's throttling charges its token buckets from it);
* counts DynamoDB Streams GetRecords calls per stream (each is one streams read request unit);
* meters secondary indexes (``dynalab.models.indexes``): a write charges each index it touches (a GSI from its own
  capacity, an LSI from the table's), a Query/Scan with ``IndexName`` is charged by the index entries' sizes to the
  index, ``ReturnConsumedCapacity="INDEXES"`` answers with ``Table``, ``LocalSecondaryIndexes`` and
  ``GlobalSecondaryIndexes`` (API_ConsumedCapacity.html), ``TOTAL`` with the sum; ConsistentRead=True on a GSI is
  refused with DynamoDB's message. The table's key schema and indexes come from one unmetered DescribeTable,
  cached (``table_info``); on a table with indexes the meter reads whole old items (ALL_OLD, or unmetered
  GetItem/BatchGetItem) since an index's charge depends on the attributes before and after, not only the sizes.
  ``context["dynalab_consumed_indexes"] = {table: {gsi: (read_units, write_units)}}`` is left for the throttle.

Transactional writes are charged on the larger of each item before and after (``dynalab.models.charges``): the
meter reads the old items with one unmetered BatchGetItem before a TransactWriteItems, and the items its Updates
left with one after it commits.

To see old items without an extra round trip it adds ``ReturnValues=ALL_OLD`` to PutItem and DeleteItem, and
``ReturnValuesOnConditionCheckFailure=ALL_OLD`` to conditional writes, when the learner did not ask for them,
and strips what it added from the answer the learner gets. On the embedded engine, which only this process
writes to, it also remembers the sizes of the items it has seen written and read (``KnownSizes``), and then
needs neither: moto takes about as long to return an old item as to store a new one.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Context, Decimal
from typing import Any, NamedTuple

from dynalab.fidelity import aws_error
from dynalab.fidelity.requests import Access, accesses, accesses_by_table
from dynalab.fidelity.requests import client_shape as _client_shape
from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.models.charges import (
    batch_get_units,
    batch_write_units,
    get_units,
    query_units,
    transact_get_units,
    transact_write_units,
    write_action_units,
)
from dynalab.models.global_tables import replicated_write_units
from dynalab.models.indexes import SecondaryIndex, index_entry_size, index_write_units, indexes_from_description
from dynalab.models.quotas import BATCH_GET_MAX_KEYS, ITEM_COLLECTION_MAX_BYTES, MAX_ITEM_SIZE_BYTES
from dynalab.models.sizing import typed_item_size, typed_value_size
from dynalab.models.updates import produced_item

__all__ = ["ENGINES_WITH_REAL_UNITS", "GSI_CONSISTENT_READ", "IndexUnits", "Meter", "MeterEntry", "TableInfo"]

#: Engines whose ConsumedCapacity follows DynamoDB's rules (measured: tests/dynalite/test_cross_check.py).
ENGINES_WITH_REAL_UNITS = ("dynalite", "aws")
#: What can answer a lab (``Lab.engine``).
ENGINES = ("moto", "dynalite", "aws", "other")
_SINGLE_WRITES = ("PutItem", "UpdateItem", "DeleteItem")
_ACTION = {"PutItem": "Put", "UpdateItem": "Update", "DeleteItem": "Delete"}
_METERED = (
    "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem",
    "TransactGetItems", "TransactWriteItems",
)
_KEY = "dynalab_meter"
#: Calls after which the sizes remembered for a table (or for every table) can no longer be trusted.
_FORGET_TABLE = ("CreateTable", "DeleteTable", "UpdateTable", "RestoreTableFromBackup", "RestoreTableToPointInTime")
_FORGET_ALL = ("ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction", "ImportTable")
_UNKNOWN = object()
#: ItemCollectionSizeLimitExceededException's text (botocore's DynamoDB model documents the exception so).
ITEM_COLLECTION_TOO_LARGE = "The total size of an item collection has exceeded the maximum limit of 10 gigabytes."
_COLLECTION_CHECKED = ("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems")
#: DynamoDB's answer to ConsistentRead=True on a GSI, which serves eventually consistent reads only
#: [src:gsi-eventual-only] (measured on DynamoDB; moto 5.2.5 says the same).
GSI_CONSISTENT_READ = "Consistent reads are not supported on global secondary indexes"


class TableInfo(NamedTuple):
    """What the meter knows of a table: its key attributes (partition key first), secondary indexes and, for a global
    table, its replicas' Regions."""

    key_attributes: tuple[str, ...]
    indexes: tuple[SecondaryIndex, ...]
    replica_regions: tuple[str, ...] = ()


class IndexUnits(NamedTuple):
    """Units one call charged one index (``is_global``: a GSI, paid from its own capacity; else an LSI)."""

    read: float
    write: float
    is_global: bool
_NUMBER_CONTEXT = Context(prec=60)


class KnownSizes:
    """Sizes of the items this process wrote or read through the layer: (table, key) → bytes, or None for an item
    known to be absent. Only sound on an engine no one else writes to (the embedded one); bounded, FIFO.

    Writes the layer does not see (a boto3 client of your own on the same endpoint) leave it stale: call
    ``lab.meter.forget_sizes()`` after them. Switching the layer off and on again forgets them by itself.
    """

    def __init__(self, describe: Any, limit: int = 200_000) -> None:
        self._describe = describe  # table name -> DescribeTable answer (a raw, unmetered call)
        self._limit = limit
        self._sizes: dict[tuple, int | None] = {}
        self._schemas: dict[str, tuple[str, ...] | None] = {}
        self._lock = threading.Lock()

    def key(self, table: str, item: Mapping[str, Any] | None) -> tuple | None:
        """The cache key of an item (or a Key) of ``table``: its key attributes' values, normalised."""
        if not item:
            return None
        schema = self._schema(table)
        if not schema or any(name not in item for name in schema):
            return None
        return (table, *(_key_value(item[name]) for name in schema))

    def _schema(self, table: str) -> tuple[str, ...] | None:
        with self._lock:
            if table in self._schemas:
                return self._schemas[table]
        try:
            description = self._describe(table)["Table"]
            schema = tuple(part["AttributeName"] for part in description["KeySchema"])
        except Exception:  # a missing table, a dead engine: just no cache for it
            schema = None
        with self._lock:
            self._schemas[table] = schema
        return schema

    def get(self, key: tuple | None) -> Any:
        if key is None:
            return _UNKNOWN
        with self._lock:
            return self._sizes.get(key, _UNKNOWN)

    def set(self, key: tuple | None, size: int | None) -> None:
        if key is None:
            return
        with self._lock:
            self._sizes.pop(key, None)
            self._sizes[key] = size
            if len(self._sizes) > self._limit:
                self._sizes.pop(next(iter(self._sizes)))

    def forget(self, key: tuple | None) -> None:
        if key is not None:
            with self._lock:
                self._sizes.pop(key, None)

    def forget_table(self, table: str | None) -> None:
        with self._lock:
            if table is None:
                self._sizes.clear()
                self._schemas.clear()
                return
            self._schemas.pop(table, None)
            for key in [k for k in self._sizes if k[0] == table]:
                del self._sizes[key]


def _key_value(value: Mapping[str, Any]) -> tuple:
    """A key attribute's value, the same whether it came from a request (wire) or a parsed answer."""
    ((kind, inner),) = value.items()
    if kind == "N":  # 1, 1.0 and 1E0 are one key
        return kind, str(Decimal(inner).normalize(_NUMBER_CONTEXT))
    if kind == "B":
        return kind, base64.b64decode(inner) if isinstance(inner, str) else bytes(inner)
    return kind, inner


@dataclass(frozen=True)
class MeterEntry:
    """One metered call on one table."""

    time: float  # time.time() when it was recorded
    operation: str
    table: str
    read_units: float
    write_units: float
    engine_reported: float | None  # the engine's own CapacityUnits, when it reported any
    item_count: int
    ok: bool = True  # False for a failed conditional write (still charged)
    dynalab_units: float | None = None  # dynalab's own count (read + write), logged beside the engine's
    index_units: dict[str, float] = field(default_factory=dict)  # units each secondary index was charged


class Meter:
    """Units per table and operation, and a log of recent calls. Thread-safe."""

    def __init__(self, engine: str = "moto", log_size: int = 1000, private_engine: bool = False,
                 raw_client: Any = None) -> None:
        """``raw_client``: a plain client on the same endpoint, without the layer (the meter's own reads of old
        items and table schemas are the meter's, not the learner's). ``dynalab.connect()`` passes one."""
        self.engine = checks.choice("engine", engine, ENGINES)
        log_size = checks.number("log_size", log_size, low=1, high=1_000_000, integer=True)
        private_engine = checks.flag("private_engine", private_engine)
        self.trust_engine = engine in ENGINES_WITH_REAL_UNITS
        #: dynalab counts secondary indexes on every engine but AWS (which reports them itself); dynalite's own
        #: ConsumedCapacity covers the table only (node_modules/dynalite/db/index.js, addConsumedCapacity)
        self.meters_indexes = engine != "aws"
        #: Sizes remembered, on an engine only this process writes to (None: always ask the engine).
        self.known: KnownSizes | None = None
        if private_engine and not self.trust_engine:
            # no sizes remembered for a global table: replication changes its items where this process cannot see
            self.known = KnownSizes(lambda table: {"Table": {"KeySchema": [
                {"AttributeName": name, "KeyType": "HASH" if i == 0 else "RANGE"}
                for i, name in enumerate(self.table_info(table).key_attributes)
                if not self.table_info(table).replica_regions]}})
        self.log: deque[MeterEntry] = deque(maxlen=log_size)
        self._lock = threading.Lock()
        self._totals: dict[tuple[str, str], list[float]] = {}
        self._index_totals: dict[tuple[str, str, str], list[float]] = {}
        self._tables: dict[str, TableInfo] = {}
        self._collections: dict[tuple, int] = {}  # (table, partition-key value) -> bytes, tables with an LSI
        #: The item collection limit on tables with an LSI (DynamoDB: 10 GB). A lesson may lower it to show the
        #: refusal; the error then says it was lowered.
        self.item_collection_limit_bytes = ITEM_COLLECTION_MAX_BYTES
        self._stream_reads: dict[str, int] = {}
        self._replicated: dict[tuple[str, str], float] = {}  # (table, Region) -> replicated write units
        self._iterators: dict[str, str] = {}  # shard iterator -> stream ARN (bounded below)
        self._raw_client: Any = raw_client

    # ------------------------------------------------------------------------------------------ reading

    def reset(self) -> None:
        """Zero the units, the log and the stream counts (remembered item sizes stay: they are still true)."""
        with self._lock:
            self.log.clear()
            self._totals.clear()
            self._index_totals.clear()
            self._stream_reads.clear()
            self._replicated.clear()

    def forget_sizes(self) -> None:
        """Drop the item sizes remembered on the embedded engine (after writes the layer did not see)."""
        if self.known is not None:
            self.known.forget_table(None)

    def resume(self) -> None:
        """The layer is back on after requests it did not see: remembered sizes may be stale."""
        self.forget_sizes()

    def _sum(self, index: int, table: str | None, operation: str | None) -> float:
        with self._lock:
            return sum(v[index] for (t, o), v in self._totals.items()
                       if (table is None or t == table) and (operation is None or o == operation))

    def read_units(self, table: str | None = None, operation: str | None = None) -> float:
        """RCU (or RRU) consumed since the last reset, for one table/operation or all."""
        return self._sum(1, table, operation)

    def write_units(self, table: str | None = None, operation: str | None = None) -> float:
        """WCU (or WRU) consumed since the last reset, for one table/operation or all."""
        return self._sum(2, table, operation)

    def rows(self) -> list[dict[str, Any]]:
        """One row per table and operation: calls, read units, write units (sorted by table, operation)."""
        with self._lock:
            return [
                {"table": t, "operation": o, "calls": int(v[0]), "read_units": v[1], "write_units": v[2]}
                for (t, o), v in sorted(self._totals.items())
            ]

    def index_read_units(self, table: str | None = None, index_name: str | None = None) -> float:
        """Read units charged to secondary indexes (Query/Scan with IndexName) since the last reset."""
        return self._index_sum(1, table, index_name)

    def index_write_units(self, table: str | None = None, index_name: str | None = None) -> float:
        """Write units charged to secondary indexes by table writes since the last reset (GSIs pay them from
        their own capacity; LSIs' are also in the table's ``write_units``)."""
        return self._index_sum(2, table, index_name)

    def index_rows(self) -> list[dict[str, Any]]:
        """One row per table, index and operation: calls, read units, write units."""
        with self._lock:
            return [{"table": t, "index": i, "operation": o, "calls": int(v[0]), "read_units": v[1],
                     "write_units": v[2]} for (t, i, o), v in sorted(self._index_totals.items())]

    def _index_sum(self, position: int, table: str | None, index_name: str | None) -> float:
        with self._lock:
            return sum(v[position] for (t, i, _), v in self._index_totals.items()
                       if (table is None or t == table) and (index_name is None or i == index_name))

    def replicated_write_units(self, table: str | None = None, region: str | None = None) -> float:
        """Replicated write units (rWRU on-demand, rWCU provisioned) the writes made through this meter's clients
        charged global tables, in one Region or all: every replica's Region pays each write [src:rwru-per-replica]."""
        with self._lock:
            return sum(units for (t, r), units in self._replicated.items()
                       if (table is None or t == table) and (region is None or r == region))

    def replicated_rows(self) -> list[dict[str, Any]]:
        """One row per global table and Region: the replicated write units charged there."""
        with self._lock:
            return [{"table": t, "region": r, "replicated_write_units": units}
                    for (t, r), units in sorted(self._replicated.items())]

    def stream_read_requests(self, stream_arn: str | None = None) -> int:
        """GetRecords calls made through ``lab.streams`` (each is one streams read request unit)."""
        with self._lock:
            if stream_arn is None:
                return sum(self._stream_reads.values())
            return self._stream_reads.get(stream_arn, 0)

    def last(self, operation: str | None = None) -> MeterEntry | None:
        """The most recent log entry (of one operation, if given)."""
        with self._lock:
            for entry in reversed(self.log):
                if operation is None or entry.operation == operation:
                    return entry
        return None

    # ---------------------------------------------------------------------------------------- the hooks

    def before_call(self, operation: str, request_dict: dict, context: dict) -> None:
        if operation not in _METERED:
            return
        request = context.get("dynalab_request")
        if not isinstance(request, dict):
            return
        state: dict[str, Any] = {"asked": request.get("ReturnConsumedCapacity", "NONE"),
                                 "url": request_dict.get("url", "")}
        table = request.get("TableName", "")
        info = self.table_info(table) if operation in ("Query", "Scan", *_SINGLE_WRITES) else None
        if operation in ("Query", "Scan") and request.get("IndexName") and request.get("ConsistentRead") \
                and info is not None and any(i.is_global and i.name == request["IndexName"] for i in info.indexes):
            raise aws_error("ValidationException", GSI_CONSISTENT_READ, operation)
        # On a table with indexes the meter needs whole old items (index keys, projected attributes), not sizes.
        indexed = info is not None and bool(info.indexes) and self.meters_indexes
        state["indexed"] = indexed
        changed = False
        if self.trust_engine and state["asked"] == "NONE":
            request["ReturnConsumedCapacity"] = "TOTAL"  # the engine's real numbers, for the log
            changed = True
        if self.known is not None and operation in _SINGLE_WRITES:
            self._raw(state["url"])
            state["cache_key"] = self.known.key(table, request.get("Item") or request.get("Key"))
            cached = self.known.get(state["cache_key"])
            if cached is not _UNKNOWN and not indexed:
                state["old_size"] = cached  # no need to ask the engine for the old item
        if operation in ("PutItem", "DeleteItem") and request.get("ReturnValues", "NONE") == "NONE" \
                and "old_size" not in state:
            request["ReturnValues"] = "ALL_OLD"
            state["strip_attributes"] = True
            changed = True
        if operation in _SINGLE_WRITES and ("ConditionExpression" in request or "Expected" in request) \
                and "ReturnValuesOnConditionCheckFailure" not in request and "old_size" not in state:
            request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
            state["strip_failure_item"] = True
            changed = True
        if operation == "UpdateItem":
            # UpdateItem is charged on the larger of the item before and after. One call can return only one of
            # them, so: ask for ALL_NEW (when the learner asked for nothing) and, on an engine whose units we
            # must supply, read the old item first with one consistent GetItem that is not metered. That extra
            # round trip is the price of an exact number; UpdateItem is the only call that pays it.
            if request.get("ReturnValues", "NONE") == "NONE":
                request["ReturnValues"] = "ALL_NEW"
                state["strip_attributes"] = True
                changed = True
            # The limits plugin checks the item the update produces against 400 KB from this old item: read it
            # also when its size is remembered but the update could take it past the limit.
            known_size = state.get("old_size")
            may_pass = "old_size" in state and (known_size or 0) + _update_bytes(request) > MAX_ITEM_SIZE_BYTES
            if not self.trust_engine and "old_size" in state and known_size is None and may_pass:
                state["old_item"] = None  # known to be absent: the update makes a new item from its key
            elif (not self.trust_engine or indexed) and ("old_size" not in state or may_pass):
                old = self._fetch_item(request)
                state["old_item"] = old
                state["old_size"] = typed_item_size(old) if old else None
        if operation in ("BatchWriteItem", "TransactWriteItems") and self.meters_indexes:
            state["old_items"] = self._old_items(operation, request)
            # the old item of each action in request order (None: no item, or not read), for the limits plugin
            state["old_by_access"] = [
                (state["old_items"].get(access.table) or {}).get(_item_key(self.table_info(access.table), access.key))
                for access in accesses(operation, request)]
        if not self.trust_engine and operation in _COLLECTION_CHECKED:
            self._check_item_collections(operation, request, state)
        if changed:
            request_dict["body"] = json.dumps(request).encode()
        context[_KEY] = state

    def after_call(self, operation: str, request: dict, parsed: dict, status_code: int, context: dict) -> None:
        if operation in ("GetShardIterator", "GetRecords"):
            self._count_stream_read(operation, request, parsed, status_code)
            return
        if operation in _FORGET_TABLE or operation in _FORGET_ALL:
            self._forget_table(request.get("TableName") if operation in _FORGET_TABLE else None)
            return
        state = context.get(_KEY)
        if state is None or not isinstance(parsed, dict):
            return
        ok = status_code < 300
        if not ok and parsed.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
            return  # refused or throttled requests consume nothing
        try:
            metered, counts = self._units(operation, request, parsed, ok, state)
        except (TypeError, ValueError, KeyError):
            return  # an answer shape we do not understand: never break the learner's call
        reported = _reported_units(parsed.get("ConsumedCapacity"))
        chosen = dict(metered)
        if self.trust_engine and ok and reported:
            for table, units in reported.items():
                read, write = metered.get(table, (0.0, 0.0))
                # the engine's units are the table's own: an LSI's writes (dynalab's count) are paid from it too
                chosen[table] = (units, 0.0) if read or not write else \
                    (0.0, units + self._lsi_write_units(state, table))
        indexes: dict[str, dict[str, IndexUnits]] = state.get("indexes") or {}
        now = time.time()
        with self._lock:
            for table, (read, write) in chosen.items():
                totals = self._totals.setdefault((table, operation), [0, 0.0, 0.0])
                totals[0] += 1
                totals[1] += read
                totals[2] += write
                table_units = sum(metered.get(table, (0.0, 0.0)))
                on_indexes = {name: u.read + u.write for name, u in indexes.get(table, {}).items()}
                self.log.append(MeterEntry(now, operation, table, read, write, reported.get(table),
                                           counts.get(table, 0), ok, table_units, on_indexes))
            for table, by_index in indexes.items():
                for name, units in by_index.items():
                    totals = self._index_totals.setdefault((table, name, operation), [0, 0.0, 0.0])
                    totals[0] += 1
                    totals[1] += units.read
                    totals[2] += units.write
        if ok:
            self._settle_collections(state)
        self._charge_replicas(chosen, ok, context)
        context["dynalab_consumed"] = chosen
        context["dynalab_consumed_indexes"] = {
            table: {name: (u.read, u.write) for name, u in by_index.items() if u.is_global}
            for table, by_index in indexes.items()}
        if self.known is not None:
            try:
                self._remember(operation, request, parsed, ok, state)
            except (TypeError, ValueError):  # an item the engine took but dynalab's rules refuse: ask next time
                self._forget_table(request.get("TableName"))
        self._edit_answer(operation, parsed, state, chosen, ok)

    def _charge_replicas(self, chosen: dict[str, tuple[float, float]], ok: bool, context: dict) -> None:
        """A write to a global table is billed in replicated write units in every replica's Region (a refused
        conditional write, which replicates nothing, in its own Region only)."""
        for table, (_, write) in chosen.items():
            info = self.table_info(table) if write else None
            if info is None or not info.replica_regions:
                continue
            own = context.get("client_region") or ""
            regions = info.replica_regions if ok or own not in info.replica_regions else (own,)
            with self._lock:
                for region, units in replicated_write_units(write, regions).items():
                    self._replicated[(table, region)] = self._replicated.get((table, region), 0.0) + units

    def _remember(self, operation: str, request: dict, parsed: dict, ok: bool, state: dict) -> None:
        """Keep the sizes this call revealed (or forget what it changed without showing)."""
        known = self.known
        table = request.get("TableName", "")
        if operation in _SINGLE_WRITES:
            key = state.get("cache_key")
            if not ok:  # a failed condition changed nothing; its ALL_OLD item, if any, is the current one
                if "Item" in parsed:
                    known.set(key, typed_item_size(parsed["Item"]))
            elif operation == "PutItem":
                known.set(key, state["new_size"])
            elif operation == "DeleteItem":
                known.set(key, None)
            elif request.get("ReturnValues") == "ALL_NEW" and parsed.get("Attributes"):
                known.set(key, state["new_size"])
            else:
                known.forget(key)
        elif operation == "GetItem" and ok and not _projected(request):
            item = parsed.get("Item")
            known.set(known.key(table, item or request.get("Key")), typed_item_size(item) if item else None)
        elif operation == "BatchWriteItem" and ok:
            for name, writes in _processed_writes(request, parsed):
                for write in writes:
                    known.set(known.key(name, write.key), typed_item_size(write.item) if write.item else None)
        elif operation == "TransactWriteItems" and ok:
            for access in accesses("TransactWriteItems", request):
                if access.action == "Put":
                    known.set(known.key(access.table, access.item), typed_item_size(access.item))
                elif access.action == "Delete":
                    known.set(known.key(access.table, access.key), None)
                elif access.action == "Update":
                    info = self.table_info(access.table)
                    new_item = ((state.get("new_items") or {}).get(access.table) or {}).get(_item_key(info, access.key))
                    if new_item:
                        known.set(known.key(access.table, access.key), typed_item_size(new_item))
                    else:
                        known.forget(known.key(access.table, access.key))

    # ---------------------------------------------------------------------------------------- the units

    def _units(self, operation: str, request: dict, parsed: dict, ok: bool,
               state: dict) -> tuple[dict[str, tuple[float, float]], dict[str, int]]:
        """{table: (read, write)} against each table's own capacity (its LSIs included), and item counts; the
        units of each index go to ``state["indexes"]``."""
        table = request.get("TableName", "")
        if operation == "GetItem":
            item = parsed.get("Item")
            return {table: (get_units(typed_item_size(item) if item else None, _consistency(request)), 0.0)}, \
                {table: 1 if item else 0}
        if operation in ("Query", "Scan"):
            items = parsed.get("Items") or []
            index = self._index(table, request.get("IndexName"))
            size = sum(self._entry_size(table, index, item) for item in items)
            if not self.trust_engine and _narrowed(request) and parsed.get("ScannedCount"):
                size = self._evaluated_size(operation, request, parsed, state, table, index, default=size)
            units = query_units(size, _consistency(request))
            if index is None:
                return {table: (units, 0.0)}, {table: len(items)}
            # A read of an index is charged to the index: a GSI's own capacity, an LSI's table's. (An engine that
            # reports its own units reports this read too: nothing to add.)
            if not self.trust_engine:
                state["indexes"] = {table: {index.name: IndexUnits(units, 0.0, index.is_global)}}
            return {table: (0.0 if index.is_global else units, 0.0)}, {table: len(items)}
        if operation in _SINGLE_WRITES:
            write = self._single_write(operation, request, parsed, ok, state)
            return {table: (0.0, write + self._lsi_write_units(state, table))}, {table: 1}
        if operation == "BatchGetItem":
            return _batch_get(request, parsed)
        if operation == "BatchWriteItem":
            units, counts = self._batch_write(request, parsed, state)
        elif operation == "TransactGetItems":
            return _transact_get(request, parsed)
        elif operation == "TransactWriteItems":
            units, counts = self._transact_write(request, parsed, ok, state)
        else:
            return {}, {}
        return {t: (r, w + self._lsi_write_units(state, t)) for t, (r, w) in units.items()}, counts

    def _single_write(self, operation: str, request: dict, parsed: dict, ok: bool, state: dict) -> float:
        table = request.get("TableName", "")
        if ok:
            old_item = parsed.get("Attributes") if operation != "UpdateItem" else state.get("old_item")
        else:
            old_item = parsed.get("Item")  # ReturnValuesOnConditionCheckFailure=ALL_OLD
        old_size = typed_item_size(old_item) if old_item else state.get("old_size")
        action = _ACTION[operation]
        new_item = None
        new_size = None
        if operation == "PutItem":
            new_item = request.get("Item", {})
            new_size = typed_item_size(new_item)
        elif operation == "UpdateItem" and ok:
            if request.get("ReturnValues") == "ALL_NEW":
                new_item = parsed.get("Attributes")
            elif not self.trust_engine:  # the learner asked for other ReturnValues: read what the update left
                new_item = self._fetch_item(request)
            new_size = typed_item_size(new_item) if new_item else 0
        state["new_size"] = new_size  # for _remember: a 400 KB item is sized once per call, not twice
        if ok and state.get("indexed"):
            self._charge_indexes(state, table, [(old_item, new_item)])
        return write_action_units(action, new_size_bytes=new_size, old_size_bytes=old_size, ok=ok)

    def _batch_write(self, request: dict, parsed: dict, state: dict) -> tuple[dict, dict]:
        units: dict[str, tuple[float, float]] = {}
        counts: dict[str, int] = {}
        old_items = state.get("old_items") or {}
        known = self.known
        for table, writes in _processed_writes(request, parsed):
            charged = []
            pairs = []
            for write in writes:
                # Each write is charged on the larger of the item before and after, like PutItem and DeleteItem.
                # BatchWriteItem cannot return old items: the meter reads them first (unmetered), or remembers
                # them (the embedded engine); elsewhere a put is charged on the item written, a delete at 1 WCU.
                key = _item_key(self.table_info(table), write.key)
                if table in old_items and key is not None:
                    old_item = old_items[table].get(key)
                    old = typed_item_size(old_item) if old_item else None
                    pairs.append((old_item, write.item))
                else:
                    cached = known.get(known.key(table, write.key)) if known is not None else _UNKNOWN
                    old = cached if isinstance(cached, int) else None
                new = typed_item_size(write.item) if write.item is not None else None
                charged.append((write.action, new, old))
            if pairs:
                self._charge_indexes(state, table, pairs)
            units[table] = (0.0, batch_write_units(charged))
            counts[table] = len(charged)
        return units, counts

    def _transact_write(self, request: dict, parsed: dict, ok: bool, state: dict) -> tuple[dict, dict]:
        """Transactional writes: 2 WCU per 1 KB of the larger of the item before (read first, unmetered) and
        after (a Put's item; an Update's result, read once the transaction committed), for each action."""
        old_items = state.get("old_items") or {}
        found = self._new_items(request, old_items) if ok else {}
        actions: dict[str, list[tuple[str, int | None, int | None]]] = {}
        pairs: dict[str, list[tuple[dict | None, dict | None]]] = {}
        for access in accesses("TransactWriteItems", request):
            key = _item_key(self.table_info(access.table), access.key)
            old_item = (old_items.get(access.table) or {}).get(key)
            old = typed_item_size(old_item) if old_item else None
            if old is None and access.table not in old_items and self.known is not None:
                cached = self.known.get(self.known.key(access.table, access.key))
                old = cached if isinstance(cached, int) else None
            new_item = access.item if access.action == "Put" else (found.get(access.table) or {}).get(key)
            new = typed_item_size(new_item) if new_item else None
            actions.setdefault(access.table, []).append((access.action, new, old))
            if access.action in ("Put", "Update", "Delete"):
                after = new_item if access.action != "Delete" else None
                pairs.setdefault(access.table, []).append((old_item, after))
        for table, table_pairs in pairs.items():
            if state.get("old_items", {}).get(table) is not None and self._indexes(table) and ok:
                self._charge_indexes(state, table, table_pairs)
        state["new_items"] = found
        return ({table: (0.0, transact_write_units(charged)) for table, charged in actions.items()},
                {table: len(charged) for table, charged in actions.items()})

    # ------------------------------------------------------------------------------------ indexes

    def table_info(self, table: str) -> TableInfo | None:
        """The table's key attributes and secondary indexes (DescribeTable, unmetered, cached), or None."""
        with self._lock:
            if table in self._tables:
                return self._tables[table]
        info = None
        if self._raw_client is not None and table:
            try:
                description = self._raw_client.describe_table(TableName=table)["Table"]
                keys, indexes = indexes_from_description(description)
                info = TableInfo(keys, tuple(indexes), tuple(
                    replica["RegionName"] for replica in description.get("Replicas") or []))
            except Exception:  # a missing table, a dead engine: the call itself will say so
                info = None
        with self._lock:
            if info is not None:
                self._tables[table] = info
        return info

    def _forget_table(self, table: str | None) -> None:
        with self._lock:
            if table is None:
                self._tables.clear()
                self._collections.clear()
            else:
                self._tables.pop(table, None)
                for collection in [c for c in self._collections if c[0] == table]:
                    del self._collections[collection]
        if self.known is not None:
            self.known.forget_table(table)

    def _indexes(self, table: str) -> tuple[SecondaryIndex, ...]:
        info = self.table_info(table)
        return info.indexes if info is not None else ()

    def _index(self, table: str, name: str | None) -> SecondaryIndex | None:
        if not name:
            return None
        return next((index for index in self._indexes(table) if index.name == name), None)

    def _entry_size(self, table: str, index: SecondaryIndex | None, item: dict) -> int:
        if index is None:
            return typed_item_size(item)
        info = self.table_info(table)
        size = index_entry_size(item, index, info.key_attributes if info else ())
        return typed_item_size(item) if size is None else size

    def _charge_indexes(self, state: dict, table: str, pairs: list[tuple[dict | None, dict | None]]) -> None:
        """Add the index write units of these (before, after) item pairs to ``state["indexes"]``."""
        info = self.table_info(table)
        if info is None or not info.indexes:
            return
        by_index = state.setdefault("indexes", {}).setdefault(table, {})
        for before, after in pairs:
            for index in info.indexes:
                units = index_write_units(before, after, index, info.key_attributes)
                if units:
                    previous = by_index.get(index.name, IndexUnits(0.0, 0.0, index.is_global))
                    by_index[index.name] = IndexUnits(previous.read, previous.write + units, index.is_global)

    @staticmethod
    def _lsi_write_units(state: dict, table: str) -> float:
        """An LSI's writes are charged to its table's capacity."""
        return sum(u.write for u in (state.get("indexes") or {}).get(table, {}).values() if not u.is_global)

    # ------------------------------------------------------------------------------------ item collections

    def _check_item_collections(self, operation: str, request: dict, state: dict) -> None:
        """Refuse a write that would take an item collection of a table with an LSI past
        ``item_collection_limit_bytes``, as DynamoDB does (ItemCollectionSizeLimitExceededException)."""
        projected: dict[tuple, int] = {}
        stale: set[tuple] = set()
        for position, access in enumerate(accesses(operation, request)):
            info = self.table_info(access.table)
            if info is None or not any(not index.is_global for index in info.indexes):
                continue
            partition = access.key.get(info.key_attributes[0])
            if partition is None:
                continue
            collection = (access.table, _key_value(partition))
            if access.action not in ("Put", "Update"):
                stale.add(collection)
                continue
            if operation in _SINGLE_WRITES:
                old = state["old_item"] if "old_item" in state else self._fetch_item(request)
                state.setdefault("old_item", old)
            else:
                old = (state.get("old_by_access") or [None] * (position + 1))[position]
            new = access.item if access.action == "Put" else produced_item(old, access.spec)
            if new is None:
                stale.add(collection)
                continue
            current = projected.get(collection)
            if current is None:
                current = self._collection_bytes(access.table, info, partition)
            if current is None:
                continue
            size = current - _collection_share(info, old) + _collection_share(info, new)
            if size > self.item_collection_limit_bytes:
                lowered = self.item_collection_limit_bytes != ITEM_COLLECTION_MAX_BYTES
                raise aws_error("ItemCollectionSizeLimitExceededException", ITEM_COLLECTION_TOO_LARGE + (
                    tr(" (dynalab: the limit is lowered to {limit:,} B for this lesson; DynamoDB's is 10 GB)",
                       limit=self.item_collection_limit_bytes) if lowered else ""), operation)
            projected[collection] = size
        if operation not in _SINGLE_WRITES:  # batches and transactions: recount those collections next time
            stale.update(projected)
            projected = {}
        state["collections"] = (projected, stale)

    def _settle_collections(self, state: dict) -> None:
        projected, stale = state.get("collections") or ({}, set())
        with self._lock:
            self._collections.update(projected)
            for collection in stale:
                self._collections.pop(collection, None)

    def _collection_bytes(self, table: str, info: TableInfo, partition: dict) -> int | None:
        """The bytes of one item collection now: its items and their LSI entries (unmetered Query, cached)."""
        collection = (table, _key_value(partition))
        with self._lock:
            if collection in self._collections:
                return self._collections[collection]
        client = self._raw_client
        if client is None:
            return None
        total = 0
        arguments = {"TableName": table, "ConsistentRead": True, "KeyConditionExpression": "#p = :p",
                     "ExpressionAttributeNames": {"#p": info.key_attributes[0]},
                     "ExpressionAttributeValues": {":p": _client_shape(partition)}}
        try:
            while True:
                answer = client.query(**arguments)
                total += sum(_collection_share(info, item) for item in answer.get("Items") or [])
                if not answer.get("LastEvaluatedKey"):
                    break
                arguments["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
        except Exception:  # the write itself will report any problem
            return None
        with self._lock:
            self._collections[collection] = total
        return total

    # ------------------------------------------------------------------------------------ reading items

    def _old_items(self, operation: str, request: dict) -> dict[str, dict[tuple, dict | None]]:
        """{table: {key: item or None}} before a BatchWriteItem or TransactWriteItems, for the tables that need
        it: a transaction's (its sizes are charged on the larger of before and after) and indexed tables'."""
        wanted: dict[str, list[dict]] = {}
        for access in accesses(operation, request):
            if access.action == "ConditionCheck":
                continue
            if (operation == "TransactWriteItems" and not self.trust_engine) or self._indexes(access.table):
                wanted.setdefault(access.table, []).append(access.key)
        return {table: self._read_items(table, keys) for table, keys in wanted.items()}

    def _new_items(self, request: dict, old_items: dict) -> dict[str, dict[tuple, dict | None]]:
        """{table: {key: item}} the Update actions of a committed transaction left: the old item (read before)
        with the update applied (``dynalab.models.updates``); read unmetered only where that cannot be computed."""
        found: dict[str, dict[tuple, dict | None]] = {}
        wanted: dict[str, list[dict]] = {}
        for access in accesses("TransactWriteItems", request):
            if access.action != "Update":
                continue
            key = _item_key(self.table_info(access.table), access.key)
            before = old_items.get(access.table)
            after = produced_item(before.get(key), access.spec) if before is not None and key is not None else None
            if after is not None:
                found.setdefault(access.table, {})[key] = after
            else:
                wanted.setdefault(access.table, []).append(access.key)
        for table, keys in wanted.items():
            found.setdefault(table, {}).update(self._read_items(table, keys))
        return found

    def _read_items(self, table: str, keys: list[dict]) -> dict[tuple, dict | None]:
        """The items at these keys now (consistent BatchGetItem on the unmetered client), by key; {} on failure."""
        info = self.table_info(table)
        client = self._raw_client
        if info is None or client is None:
            return {}
        found: dict[tuple, dict | None] = {}
        unique: dict[tuple, dict] = {}
        for key in keys:
            normal = _item_key(info, key)
            if normal is not None:
                unique[normal] = {name: _client_shape(key[name]) for name in info.key_attributes}
                found[normal] = None
        pending = list(unique.values())
        try:
            for _attempt in range(50):  # bounded: unprocessed keys are rare on a local engine
                if not pending:
                    break
                batch, pending = pending[:BATCH_GET_MAX_KEYS], pending[BATCH_GET_MAX_KEYS:]
                answer = client.batch_get_item(RequestItems={table: {"Keys": batch, "ConsistentRead": True}})
                for item in (answer.get("Responses") or {}).get(table, []):
                    found[_item_key(info, item)] = item
                pending += ((answer.get("UnprocessedKeys") or {}).get(table) or {}).get("Keys", [])
        except Exception:  # never break the learner's call over the meter's own read
            return {}
        return found

    def _evaluated_size(self, operation: str, request: dict, parsed: dict, state: dict, table: str,
                        index: SecondaryIndex | None, default: int) -> int:
        """The bytes a filtered, projected or counted Query/Scan read: DynamoDB charges the items it evaluated,
        before the filter and the projection, and the answer shows fewer (or none). The same items are read once
        more, without filter or projection and not metered (Limit=ScannedCount from the same start key)."""
        client = self._raw(state.get("url", ""))
        if client is None:
            return default
        again = {k: v for k, v in request.items() if k not in _NARROWING and k not in (
            "ReturnConsumedCapacity", "Limit", "ExpressionAttributeNames", "ExpressionAttributeValues")}
        again["Limit"] = int(parsed["ScannedCount"])
        # Only the key condition stays: keep the #names and :values it uses (DynamoDB refuses unused ones).
        used = set(re.findall(r"[#:][A-Za-z0-9_]+", request.get("KeyConditionExpression", "")))
        names = {k: v for k, v in (request.get("ExpressionAttributeNames") or {}).items() if k in used}
        values = {k: _client_shape(v) for k, v in (request.get("ExpressionAttributeValues") or {}).items()
                  if k in used}
        if names:
            again["ExpressionAttributeNames"] = names
        if values:
            again["ExpressionAttributeValues"] = values
        if "ExclusiveStartKey" in again:
            again["ExclusiveStartKey"] = {k: _client_shape(v) for k, v in again["ExclusiveStartKey"].items()}
        try:
            answer = getattr(client, "query" if operation == "Query" else "scan")(**again)
        except Exception:  # never break the learner's call over the meter's own read
            return default
        return sum(self._entry_size(table, index, item) for item in answer.get("Items") or [])

    def _fetch_item(self, request: dict) -> dict | None:
        """The item at a single-item request's key now (None if there is none), by one consistent unmetered
        GetItem (the key of a PutItem is read from its item)."""
        client = self._raw_client
        key = request.get("Key")
        if key is None and request.get("Item"):
            info = self.table_info(request.get("TableName", ""))
            key = {name: request["Item"][name] for name in info.key_attributes if name in request["Item"]} \
                if info else None
        if client is None or not key or "TableName" not in request:
            return None
        try:
            answer = client.get_item(TableName=request["TableName"], ConsistentRead=True,
                                     Key={k: _client_shape(v) for k, v in key.items()})
        except Exception:  # the update itself will report any problem with the table or key
            return None
        return answer.get("Item")

    def _raw(self, url: str) -> Any:
        """The unmetered client given at construction (None: the meter cannot read old items, so it trusts moto)."""
        return self._raw_client

    # ------------------------------------------------------------------------------------ the answer

    def _edit_answer(self, operation: str, parsed: dict, state: dict, chosen: dict, ok: bool) -> None:
        if state.get("strip_attributes"):
            parsed.pop("Attributes", None)
        if state.get("strip_failure_item"):
            parsed.pop("Item", None)
        asked = state.get("asked", "NONE")
        if asked not in ("TOTAL", "INDEXES") or not ok:
            parsed.pop("ConsumedCapacity", None)
            return
        indexes = state.get("indexes") or {}
        if self.trust_engine and parsed.get("ConsumedCapacity"):
            # the engine's own numbers, as DynamoDB would answer; dynalite meters no index: dynalab adds them
            reported = parsed["ConsumedCapacity"]
            for entry in reported if isinstance(reported, list) else [reported]:
                if isinstance(entry, dict) and indexes.get(entry.get("TableName")):
                    _add_indexes(entry, asked, indexes[entry["TableName"]])
            return
        entries = [_capacity_entry(table, read + write, asked, indexes.get(table, {}))
                   for table, (read, write) in chosen.items()]
        if operation in ("BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems"):
            parsed["ConsumedCapacity"] = entries
        elif entries:
            parsed["ConsumedCapacity"] = entries[0]

    # ---------------------------------------------------------------------------------------- streams

    def _count_stream_read(self, operation: str, request: dict, parsed: dict, status_code: int) -> None:
        if status_code >= 300:
            return
        with self._lock:
            if operation == "GetShardIterator":
                arn = request.get("StreamArn", "")
            else:
                arn = self._iterators.pop(request.get("ShardIterator", ""), "")
                self._stream_reads[arn] = self._stream_reads.get(arn, 0) + 1
            following = parsed.get("ShardIterator") or parsed.get("NextShardIterator")
            if following:
                if len(self._iterators) > 10_000:  # iterators nobody followed: forget the oldest
                    self._iterators.pop(next(iter(self._iterators)))
                self._iterators[following] = arn


# ------------------------------------------------------------------------------------------------ helpers


def _consistency(request: Mapping[str, Any]) -> str:
    return "strong" if request.get("ConsistentRead") else "eventual"


#: Request parameters that narrow what a Query/Scan returns, but not what it reads (and is charged for).
_NARROWING = ("FilterExpression", "QueryFilter", "ScanFilter", "ConditionalOperator", "ProjectionExpression",
              "AttributesToGet", "Select")


def _projected(request: Mapping[str, Any]) -> bool:
    return bool(request.get("ProjectionExpression") or request.get("AttributesToGet"))


def _narrowed(request: Mapping[str, Any]) -> bool:
    return any(request.get(name) for name in _NARROWING if name != "Select") or \
        request.get("Select") in ("COUNT", "SPECIFIC_ATTRIBUTES")


def _reported_units(consumed: Any) -> dict[str, float]:
    if not consumed:
        return {}
    entries = consumed if isinstance(consumed, list) else [consumed]
    return {e["TableName"]: float(e["CapacityUnits"]) for e in entries
            if isinstance(e, dict) and "TableName" in e and e.get("CapacityUnits") is not None}


def _capacity_entry(table: str, units: float, asked: str, indexes: Mapping[str, IndexUnits]) -> dict[str, Any]:
    """DynamoDB's ConsumedCapacity for one table: TOTAL the sum over the table and its indexes; INDEXES also
    ``Table``, ``LocalSecondaryIndexes`` and ``GlobalSecondaryIndexes`` with each one's ``CapacityUnits``
    (API_ConsumedCapacity.html); an index the call did not touch is not listed."""
    lsi = {name: u.read + u.write for name, u in indexes.items() if not u.is_global and u.read + u.write}
    gsi = {name: u.read + u.write for name, u in indexes.items() if u.is_global and u.read + u.write}
    own = units - sum(lsi.values())  # ``units`` is what the table's capacity paid: the table and its LSIs
    entry: dict[str, Any] = {"TableName": table, "CapacityUnits": units + sum(gsi.values())}
    if asked == "INDEXES":
        entry["Table"] = {"CapacityUnits": own}
        if lsi:
            entry["LocalSecondaryIndexes"] = {name: {"CapacityUnits": u} for name, u in lsi.items()}
        if gsi:
            entry["GlobalSecondaryIndexes"] = {name: {"CapacityUnits": u} for name, u in gsi.items()}
    return entry


def _update_bytes(request: Mapping[str, Any]) -> int:
    """An upper bound of what an update can add to an item: its values' and names' bytes, each as if set once per
    use in the expression (a list_append or ADD of them can add no more)."""
    expression = request.get("UpdateExpression") or ""
    total = sum(len(name.encode()) for name in (request.get("ExpressionAttributeNames") or {}).values())
    for placeholder, value in (request.get("ExpressionAttributeValues") or {}).items():
        total += typed_value_size(value) * max(1, expression.count(placeholder))
    for name, update in (request.get("AttributeUpdates") or {}).items():
        total += len(name.encode()) + (typed_value_size(update["Value"]) if "Value" in update else 0)
    return total + len(expression)




def _collection_share(info: TableInfo, item: Mapping[str, Any] | None) -> int:
    """What an item adds to its item collection: itself and its entries in the table's LSIs."""
    if not item:
        return 0
    share = typed_item_size(item)
    for index in info.indexes:
        if not index.is_global:
            share += index_entry_size(item, index, info.key_attributes) or 0
    return share


def _add_indexes(entry: dict[str, Any], asked: str, indexes: Mapping[str, IndexUnits]) -> None:
    """Add dynalab's index units to an engine's ConsumedCapacity entry for one table (the engine's are the
    table's own)."""
    extra = {name: u.read + u.write for name, u in indexes.items() if u.read + u.write}
    if not extra:
        return
    own = float(entry.get("CapacityUnits") or 0.0)
    entry["CapacityUnits"] = own + sum(extra.values())
    if asked == "INDEXES":
        entry["Table"] = {"CapacityUnits": own}
        for kind, is_global in (("GlobalSecondaryIndexes", True), ("LocalSecondaryIndexes", False)):
            chosen = {name: {"CapacityUnits": units} for name, units in extra.items() if indexes[name].is_global ==
                      is_global}
            if chosen:
                entry[kind] = chosen


def _item_key(info: TableInfo | None, item: Mapping[str, Any] | None) -> tuple | None:
    """An item's (or a Key's) key values, normalised (wire and parsed shapes alike), or None."""
    if info is None or not item or any(name not in item for name in info.key_attributes):
        return None
    return tuple(_key_value(item[name]) for name in info.key_attributes)


def _batch_get(request: dict, parsed: dict) -> tuple[dict, dict]:
    units: dict[str, tuple[float, float]] = {}
    counts: dict[str, int] = {}
    unprocessed = parsed.get("UnprocessedKeys") or {}
    for table, keys in accesses_by_table("BatchGetItem", request).items():
        items = (parsed.get("Responses") or {}).get(table, [])
        processed = len(keys) - len((unprocessed.get(table) or {}).get("Keys", []))
        consistency = _consistency(keys[0].spec)
        # Each key is a read of its own: an item rounded up on its own, a key that found nothing one block.
        sizes: list[int | None] = [typed_item_size(item) for item in items]
        sizes += [None] * max(0, processed - len(items))
        units[table] = (batch_get_units(sizes, consistency), 0.0)
        counts[table] = len(items)
    return units, counts


def _processed_writes(request: dict, parsed: dict) -> Iterator[tuple[str, list[Access]]]:
    """Each table of a BatchWriteItem with the writes DynamoDB carried out (not handed back as unprocessed)."""
    unprocessed = parsed.get("UnprocessedItems") or {}
    for table, writes in accesses_by_table("BatchWriteItem", request).items():
        left = list(unprocessed.get(table) or [])
        done = []
        for write in writes:
            if write.spec in left:
                left.remove(write.spec)
            else:
                done.append(write)
        yield table, done


def _transact_get(request: dict, parsed: dict) -> tuple[dict, dict]:
    sizes: dict[str, list[int | None]] = {}
    responses = parsed.get("Responses") or []
    for access, response in zip(accesses("TransactGetItems", request), responses, strict=False):
        item = (response or {}).get("Item")
        sizes.setdefault(access.table, []).append(typed_item_size(item) if item else None)
    return ({table: (transact_get_units(found), 0.0) for table, found in sizes.items()},
            {table: sum(1 for size in found if size is not None) for table, found in sizes.items()})
