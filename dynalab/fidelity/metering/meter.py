"""The capacity meter (``Phase.METER``): DynamoDB's capacity units for every call made through a lab's clients.

For each call it works out the units DynamoDB would charge (``units.Counter``, from the item sizes in the request,
the answer and the old-items phase's images) and

* records them per table and operation (``rows()``, ``read_units()``, ``write_units()``) and in a bounded ``log``
  of recent calls, even when the learner did not ask for ``ReturnConsumedCapacity``;
* writes them on the call's record (``call.units``: per table, with each index's) for the phases after it (the
  throttle charges its token buckets from them, a recorder publishes them);
* when the learner did ask, puts DynamoDB's numbers in the answer: on an engine known to fake them (moto reports
  fixed values whatever the size) dynalab's replace the engine's; on an engine that reports real ones (dynalite,
  AWS) the engine's are kept, and both are logged;
* counts DynamoDB Streams GetRecords calls per stream (each is one streams read request unit);
* charges a write to a global table in replicated write units in every replica's Region [src:rwru-per-replica]
  (``call.replicated_units``, per Region; ``replicated_write_units()``, ``replicated_rows()``).

Secondary indexes (``dynalab.models.indexes``): a write charges each index it touches (a GSI from its own capacity,
an LSI from the table's), a Query/Scan with ``IndexName`` is charged by the index entries' sizes to the index,
``ReturnConsumedCapacity="INDEXES"`` answers with ``Table``, ``LocalSecondaryIndexes`` and
``GlobalSecondaryIndexes``, ``TOTAL`` with the sum. Transactional writes are charged on the larger of each item
before and after (``dynalab.models.charges``). PartiQL statements are charged as the operations they run
(``dynalab.fidelity.partiql``): a SELECT without an equality on the partition key as the Scan it is.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from dynalab.fidelity.call import Call, Phase, TableUnits
from dynalab.fidelity.catalog import TableInfo
from dynalab.fidelity.metering.answer import edit_answer, reported_units
from dynalab.fidelity.metering.statements import run_answers
from dynalab.fidelity.metering.units import Counter
from dynalab.fidelity.old_items import ENGINES_WITH_REAL_UNITS, OldItems
from dynalab.models import checks
from dynalab.models.global_tables import replicated_write_units

__all__ = ["ENGINES", "Meter", "MeterEntry"]

#: What can answer a lab (``Lab.engine``).
ENGINES = ("moto", "dynalite", "aws", "other")
METERED = frozenset({
    "GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem",
    "TransactGetItems", "TransactWriteItems", "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction",
})


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

    phase = Phase.METER

    def __init__(self, engine: str = "moto", log_size: int = 1000, private_engine: bool = False,
                 raw_client: Any = None, *, old_items: OldItems | None = None, stored_limits: Any = None) -> None:
        """``raw_client``: a plain client on the same endpoint, without the layer (the meter's own re-reads of
        filtered pages are the meter's, not the learner's). ``old_items`` and ``stored_limits``: the phases this
        meter answers for in ``forget_sizes()`` and ``item_collection_limit_bytes`` (``dynalab.connect()`` passes
        the lab's own)."""
        self.engine = checks.choice("engine", engine, ENGINES)
        log_size = checks.number("log_size", log_size, low=1, high=1_000_000, integer=True)
        private_engine = checks.flag("private_engine", private_engine)
        self.trust_engine = engine in ENGINES_WITH_REAL_UNITS
        #: dynalab counts secondary indexes on every engine but AWS (which reports them itself); dynalite's own
        #: ConsumedCapacity covers the table only (node_modules/dynalite/db/index.js, addConsumedCapacity)
        self.meters_indexes = engine != "aws"
        self._old_items = old_items if old_items is not None else OldItems(engine, raw_client, private_engine)
        self._stored = stored_limits
        self._counter = Counter(self.trust_engine, self.meters_indexes, raw_client)
        self._catalog: Any = None
        self.log: deque[MeterEntry] = deque(maxlen=log_size)
        self._lock = threading.Lock()
        self._totals: dict[tuple[str, str], list[float]] = {}
        self._index_totals: dict[tuple[str, str, str], list[float]] = {}
        self._stream_reads: dict[str, int] = {}
        self._replicated: dict[tuple[str, str], float] = {}  # (table, Region) -> replicated write units
        self._iterators: dict[str, str] = {}  # shard iterator -> stream ARN (bounded below)

    # ------------------------------------------------------------------------------------------ reading

    @property
    def known(self) -> Any:
        """The item sizes remembered on the embedded engine (``dynalab.fidelity.old_items.KnownSizes``), or None."""
        return self._old_items.known

    @property
    def item_collection_limit_bytes(self) -> int:
        """The item collection limit on tables with an LSI (DynamoDB: 10 GB), kept by the stored-limits phase. A
        lesson may lower it to show the refusal; the error then says it was lowered."""
        return self._stored.item_collection_limit_bytes

    @item_collection_limit_bytes.setter
    def item_collection_limit_bytes(self, value: int) -> None:
        self._stored.item_collection_limit_bytes = value

    def table_info(self, table: str) -> TableInfo | None:
        """The table's key attributes and secondary indexes (DescribeTable, unmetered, cached), or None."""
        return self._catalog.info(table) if self._catalog is not None else None

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
        self._old_items.forget_sizes()

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

    def before_call(self, call: Call) -> None:
        self._catalog = call.catalog
        if call.operation in METERED and self.trust_engine and call.asked_capacity == "NONE":
            call.request["ReturnConsumedCapacity"] = "TOTAL"  # the engine's real numbers, for the log
            call.changed()

    def after_call(self, call: Call) -> None:
        operation = call.operation
        if operation in ("GetShardIterator", "GetRecords"):
            self._count_stream_read(call)
            return
        if operation not in METERED:
            return
        if not call.ok and call.error_code != "ConditionalCheckFailedException":
            return  # refused or throttled requests consume nothing
        try:
            metered, counts = self._count(call)
        except (TypeError, ValueError, KeyError, IndexError, ArithmeticError):
            return  # an answer shape we do not understand: never break the learner's call
        reported = reported_units(call.parsed.get("ConsumedCapacity"))
        chosen = self._chosen(call, metered, reported)
        call.units.update(chosen)
        call.item_counts.update(counts)
        self._charge_replicas(call)
        self._record(operation, chosen, metered, reported, counts, call.ok)
        edit_answer(operation, call.parsed, call.asked_capacity, chosen, call.ok, self.trust_engine)

    def _count(self, call: Call) -> tuple[dict[str, TableUnits], dict[str, int]]:
        """The units of each of the call's runs, summed per table."""
        total: dict[str, TableUnits] = {}
        counts: dict[str, int] = {}
        answers = run_answers(call)
        for run, (answer, ok) in zip(call.runs, answers, strict=False):
            if answer is None:
                continue
            units, found = self._counter.units(call, run, answer, ok)
            for table, table_units in units.items():
                into = total.setdefault(table, TableUnits())
                into.read += table_units.read
                into.write += table_units.write
                for name, index_units in table_units.indexes.items():
                    before = into.indexes.get(name)
                    into.indexes[name] = index_units if before is None else before._replace(
                        read=before.read + index_units.read, write=before.write + index_units.write)
            for table, count in found.items():
                counts[table] = counts.get(table, 0) + count
        return total, counts

    def _chosen(self, call: Call, metered: dict[str, TableUnits], reported: dict[str, float]) -> dict[str, TableUnits]:
        """The units to record: dynalab's, or on an engine that reports DynamoDB's own, the engine's (its units are
        the table's own: an LSI's writes, dynalab's count, are paid from it too)."""
        if not (self.trust_engine and call.ok and reported):
            return metered
        chosen = dict(metered)
        for table, units in reported.items():
            mine = metered.get(table)
            if mine is None:  # nothing counted here (a statement on a table the layer could not describe)
                mine = TableUnits(write=1.0 if call.translation is not None and call.translation.writes else 0.0)
            lsi = sum(u.write for u in mine.indexes.values() if not u.is_global)
            read_call = bool(mine.read) or not mine.write
            chosen[table] = TableUnits(read=units if read_call else 0.0, write=0.0 if read_call else units + lsi,
                                       indexes=mine.indexes)
        return chosen

    def _charge_replicas(self, call: Call) -> None:
        """A write to a global table is billed in replicated write units in every replica's Region (a refused
        conditional write, which replicates nothing, in its own Region only): written on the record, per Region
        (``call.replicated_units``), and added to this meter's totals from there."""
        own = call.region
        for table, units in call.units.items():
            info = call.table_info(table) if units.write else None
            if info is None or not info.replica_regions:
                continue
            regions = info.replica_regions if call.ok or own not in info.replica_regions else (own,)
            for region, charged in replicated_write_units(units.write, regions).items():
                call.replicated_units.setdefault(region, {})[table] = TableUnits(write=charged, region=region)
        if call.replicated_units:
            with self._lock:
                for region, tables in call.replicated_units.items():
                    for table, units in tables.items():
                        key = (table, region)
                        self._replicated[key] = self._replicated.get(key, 0.0) + units.write

    def _record(self, operation: str, chosen: dict[str, TableUnits], metered: dict[str, TableUnits],
                reported: dict[str, float], counts: dict[str, int], ok: bool) -> None:
        now = time.time()
        with self._lock:
            for table, units in chosen.items():
                totals = self._totals.setdefault((table, operation), [0, 0.0, 0.0])
                totals[0] += 1
                totals[1] += units.read
                totals[2] += units.write
                mine = metered.get(table, TableUnits())
                on_indexes = {name: u.read + u.write for name, u in units.indexes.items()}
                self.log.append(MeterEntry(now, operation, table, units.read, units.write, reported.get(table),
                                           counts.get(table, 0), ok, mine.read + mine.write, on_indexes))
                for name, index_units in units.indexes.items():
                    index_totals = self._index_totals.setdefault((table, name, operation), [0, 0.0, 0.0])
                    index_totals[0] += 1
                    index_totals[1] += index_units.read
                    index_totals[2] += index_units.write

    # ---------------------------------------------------------------------------------------- streams

    def _count_stream_read(self, call: Call) -> None:
        if not call.ok:
            return
        with self._lock:
            if call.operation == "GetShardIterator":
                arn = call.request.get("StreamArn", "")
            else:
                arn = self._iterators.pop(call.request.get("ShardIterator", ""), "")
                self._stream_reads[arn] = self._stream_reads.get(arn, 0) + 1
            following = call.parsed.get("ShardIterator") or call.parsed.get("NextShardIterator")
            if following:
                if len(self._iterators) > 10_000:  # iterators nobody followed: forget the oldest
                    self._iterators.pop(next(iter(self._iterators)))
                self._iterators[following] = arn
