"""Replication between the embedded engine's Regions (global tables, version 2019.11.21), inside the engine process.

moto keeps one backend per Region; a global table is one table name with a replica in several of them. This module
holds each global table's replication group and moves every change of a replica to the others, whatever client made
it (a learner's own boto3 code too), as DynamoDB does:

* **MREC** (multi-Region eventual consistency): the write is acknowledged in its Region and replicated in the
  background after ``replication_lag_seconds`` (± 20 %, per item: replication order can differ from the source's),
  item by item (a transaction's items travel separately). Each item carries a private last-write timestamp; a
  replicated write is applied only if it is newer than the item's (last writer wins), so concurrent writes in two
  Regions converge to the later one everywhere. Deletes (TTL deletes too) travel the same way.
* **MRSC** (multi-Region strong consistency): the write is applied in every reachable replica before it is
  acknowledged, and the acknowledgement waits ``round_trip_seconds`` (the inter-Region round trip). While a write is
  in flight, a write of the same item from another Region is refused with ReplicatedWriteConflictException.
* **An isolated Region** (``isolated_regions``): MREC keeps writing locally and holds what it cannot send or receive
  until the Region is healed; MRSC refuses writes and strongly consistent reads in a Region without a quorum (the
  isolated Region, or one whose every other member is isolated), and a healed replica catches up at once.

Every change is captured where moto makes it (``Table.put_item``/``delete_item``, ``update_item``) while a request
runs under the engine's one lock (``_process.serialize_item_operations``), so PartiQL, batches and transactions are
covered alike and a failed transaction (which moto rolls back) replicates nothing. Replication threads take the same
lock, never sleep while holding it, and never take another lock: no deadlock.

The latency of every replicated MREC write is kept (``samples``) and handed to ``listeners``; one of them,
``publish_replication_latency``, puts it in the engine's CloudWatch (moto's, on the same endpoint) as DynamoDB's
``ReplicationLatency`` metric: namespace AWS/DynamoDB, dimensions TableName and ReceivingRegion, milliseconds, in
the source Region ("Timings are stored within CloudWatch in the source Region"). MRSC publishes none, as on AWS.
"""

from __future__ import annotations

import copy
import heapq
import itertools
import json
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Context, Decimal
from typing import Any

__all__ = ["DEFAULT_SETTINGS", "SETTING_RANGES", "Event", "Group", "Replicator", "capture", "install_capture",
           "publish_replication_latency"]

#: dynalab's defaults (settings of the engine, not AWS numbers): a lag within AWS's "typically within a second or
#: less" (MREC_TYPICAL_REPLICATION_SECONDS), a round trip between nearby Regions, a replica created in a blink.
DEFAULT_SETTINGS: dict[str, float] = {
    "replication_lag_seconds": 0.5,
    "round_trip_seconds": 0.05,
    "replica_creation_seconds": 0.3,
}
#: What each setting may be (the control endpoint refuses anything else, naming the range).
SETTING_RANGES: dict[str, tuple[float, float]] = {
    "replication_lag_seconds": (0.0, 30.0),
    "round_trip_seconds": (0.0, 2.0),
    "replica_creation_seconds": (0.0, 30.0),
}
_JITTER = 0.2
_NUMBER = Context(prec=60)


def _key_part(value: dict) -> str:
    """One key attribute's value as text: equal keys equal text (1, 1.0 and 1E0 are one number)."""
    ((kind, inner),) = value.items()
    if kind == "N":
        return f"N:{Decimal(inner).normalize(_NUMBER)}"
    return f"{kind}:{inner}"


@dataclass
class Replica:
    region: str
    active_at: float  # time.monotonic() at which the replica is ACTIVE (CREATING before)


@dataclass
class Group:
    """One global table: its replicas, its witness, its mode, and each item's last-write stamp in each Region."""

    account: str
    table: str
    consistency: str
    replicas: dict[str, Replica]
    witness: str | None = None
    witness_active_at: float = 0.0
    updating_until: float = 0.0  # TableStatus is UPDATING until then (monotonic)
    sourced_at: dict[str, float] = field(default_factory=dict)  # Region -> time.time() it last sourced a replica
    stamps: dict[tuple[str, tuple[str, ...]], int] = field(default_factory=dict)
    in_flight: dict[tuple[str, ...], tuple[str, float]] = field(default_factory=dict)  # MRSC: key -> (Region, until)

    @property
    def strong(self) -> bool:
        return self.consistency == "STRONG"

    def members(self) -> list[str]:
        return [*self.replicas, *([self.witness] if self.witness else [])]


@dataclass(order=True)
class Event:
    """A change on its way from one replica to another."""

    due: float
    seq: int
    group: tuple[str, str] = field(compare=False)
    source: str = field(compare=False)
    target: str = field(compare=False)
    key: tuple[str, ...] = field(compare=False)
    key_attributes: dict = field(compare=False)
    item: dict | None = field(compare=False)  # the item after the write; None: deleted
    stamp: int = field(compare=False)
    written_at: float = field(compare=False)  # time.time() of the write in its Region


# ---- capturing moto's changes ------------------------------------------------------------------------------------

_capture = threading.local()


def capture() -> list[tuple]:
    """Start collecting the changes this thread's request makes; returns the list they land in."""
    _capture.changes = []
    return _capture.changes


def stop_capture() -> list[tuple]:
    changes = getattr(_capture, "changes", None) or []
    _capture.changes = None
    return changes


def _note(table: Any, hash_key: Any, range_key: Any) -> None:
    changes = getattr(_capture, "changes", None)
    if changes is not None:
        changes.append((table.account_id, table.region_name, table.name, hash_key, range_key))


def install_capture() -> None:
    """Record every item moto changes while a capture runs (writes of every API, batches, transactions, PartiQL)."""
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.models.table import Table

    if getattr(Table, "_dynalab_captured", False):
        return
    put_item, delete_item, update_item = Table.put_item, Table.delete_item, DynamoDBBackend.update_item

    def put(self: Any, *args: Any, **kwargs: Any) -> Any:
        item = put_item(self, *args, **kwargs)
        _note(self, item.hash_key, item.range_key)
        return item

    def delete(self: Any, hash_key: Any, range_key: Any) -> Any:
        item = delete_item(self, hash_key, range_key)
        if item is not None:
            _note(self, hash_key, range_key)
        return item

    def update(self: Any, table_name: str, *args: Any, **kwargs: Any) -> Any:
        item = update_item(self, table_name, *args, **kwargs)
        _note(self.get_table(table_name), item.hash_key, item.range_key)
        return item

    Table.put_item, Table.delete_item = put, delete  # type: ignore[method-assign]
    DynamoDBBackend.update_item = update  # type: ignore[method-assign]
    Table._dynalab_captured = True  # type: ignore[attr-defined]


def publish_replication_latency(sample: dict[str, Any]) -> None:
    """Put one replicated write's latency in the engine's CloudWatch, as DynamoDB's ReplicationLatency metric
    [src:replication-latency-metric], in the source Region's CloudWatch."""
    from moto.cloudwatch.models import cloudwatch_backends

    cloudwatch_backends[sample["account"]][sample["source_region"]].put_metric_data("AWS/DynamoDB", [{
        "MetricName": "ReplicationLatency", "Unit": "Milliseconds",
        "Dimensions": [{"Name": "TableName", "Value": sample["table"]},
                       {"Name": "ReceivingRegion", "Value": sample["receiving_region"]}],
        "Value": sample["milliseconds"]}])


# ---- the replicator ------------------------------------------------------------------------------------------------

class Replicator:
    """Every global table of the engine and the changes on their way between Regions. Thread-safe: every method runs
    under ``lock`` (the engine's one lock); its own thread delivers MREC changes when they are due."""

    def __init__(self, lock: Any, samples: int = 1000) -> None:
        self.lock = lock
        self._wake = threading.Condition(lock)
        self.groups: dict[tuple[str, str], Group] = {}
        self.settings: dict[str, float] = dict(DEFAULT_SETTINGS)
        self.isolated: set[str] = set()
        self.queue: list[Event] = []
        self.held: list[Event] = []
        self.samples: deque[dict] = deque(maxlen=samples)
        self.listeners: list[Callable[[dict], None]] = []
        self._seq = itertools.count()
        self._last_stamp = 0
        self._thread: threading.Thread | None = None

    # -- moto's tables ------------------------------------------------------------------------------------------

    @staticmethod
    def table(account: str, region: str, name: str) -> Any:
        from moto.dynamodb.models import dynamodb_backends

        return dynamodb_backends[account][region].tables.get(name)

    @staticmethod
    def key_of(table: Any, attributes: dict) -> tuple[tuple[str, ...], dict]:
        """(normalised key, the key attributes) of an item or a Key, by the table's key schema."""
        names = [name for name in (table.hash_key_attr, table.range_key_attr) if name]
        key_attributes = {name: attributes[name] for name in names if name in attributes}
        return tuple(_key_part(value) for value in key_attributes.values()), key_attributes

    def group_of(self, account: str, table: str, region: str | None = None) -> Group | None:
        group = self.groups.get((account, table))
        if group is None or (region is not None and region not in group.replicas):
            return None
        return group

    def _stamp(self) -> int:
        self._last_stamp = max(time.time_ns(), self._last_stamp + 1)
        return self._last_stamp

    # -- writes made in a Region -----------------------------------------------------------------------------------

    def local_writes(self, changes: list[tuple]) -> None:
        """Replicate what one request changed (called under the lock, right after the request, so each item's state
        is the one this request left)."""
        seen: set[tuple] = set()
        for account, region, name, hash_key, range_key in changes:
            group = self.group_of(account, name, region)
            marker = (account, region, name, json.dumps(hash_key.to_json()),
                      json.dumps(range_key.to_json()) if range_key is not None else "")
            if group is None or marker in seen:
                continue
            seen.add(marker)
            table = self.table(account, region, name)
            if table is None:
                continue
            current = table.get_item(hash_key, range_key)
            key_attributes = {table.hash_key_attr: hash_key.to_json()}
            if range_key is not None:
                key_attributes[table.range_key_attr] = range_key.to_json()
            key, _ = self.key_of(table, key_attributes)
            item = copy.deepcopy(current.to_json()["Attributes"]) if current is not None else None
            self._replicate(group, region, key, key_attributes, item)

    def _replicate(self, group: Group, region: str, key: tuple, key_attributes: dict, item: dict | None) -> None:
        stamp = self._stamp()
        group.stamps[(region, key)] = stamp
        now, wall = time.monotonic(), time.time()
        if group.strong:
            group.in_flight[key] = (region, now + self.settings["round_trip_seconds"])
            if len(group.in_flight) > 10_000:  # forget writes long acknowledged
                group.in_flight = {k: v for k, v in group.in_flight.items() if v[1] > now}
        for target in group.replicas:
            if target == region:
                continue
            event = Event(now, next(self._seq), (group.account, group.table), region, target, key, key_attributes,
                          item, stamp, wall)
            if group.strong and not self._cut_off(region, target):
                self._deliver(event, record=False)  # synchronous: applied before the write is acknowledged
            elif group.strong:
                self.held.append(event)  # an isolated replica catches up when it is healed
            else:
                lag = self.settings["replication_lag_seconds"]
                event.due = now + lag * random.uniform(1 - _JITTER, 1 + _JITTER)
                heapq.heappush(self.queue, event)
        if not group.strong:
            self._start()
            self._wake.notify()

    # -- MRSC's rules -------------------------------------------------------------------------------------------------

    def _cut_off(self, source: str, target: str) -> bool:
        return source in self.isolated or target in self.isolated

    def has_quorum(self, group: Group, region: str) -> bool:
        """An MRSC Region serves writes and strongly consistent reads while it and a second member (replica or
        witness) are reachable (bp-global-table-design: "as long as there is a second Region ... to establish
        quorum")."""
        if region in self.isolated:
            return False
        return any(member != region and member not in self.isolated for member in group.members())

    def conflicting_region(self, group: Group, region: str, key: tuple) -> str | None:
        """The other Region whose write of this item is still in flight, if any (MRSC)."""
        owner = group.in_flight.get(key)
        if owner is not None and owner[0] != region and owner[1] > time.monotonic():
            return owner[0]
        return None

    # -- delivering -------------------------------------------------------------------------------------------------

    def _deliver(self, event: Event, record: bool = True) -> dict | None:
        """Apply one change in its target Region if it is newer than the item there (last writer wins); the
        latency sample (MREC only: MRSC publishes no ReplicationLatency), or None."""
        group = self.groups.get(event.group)
        if group is None or event.target not in group.replicas:
            return None
        table = self.table(group.account, event.target, group.table)
        if table is None:
            return None
        if event.stamp > group.stamps.get((event.target, event.key), 0):
            from moto.dynamodb.models.dynamo_type import DynamoType

            if event.item is None:
                hash_key = DynamoType(event.key_attributes[table.hash_key_attr])
                range_key = (DynamoType(event.key_attributes[table.range_key_attr])
                             if table.range_key_attr else None)
                table.delete_item(hash_key, range_key)
            else:
                table.put_item(copy.deepcopy(event.item), overwrite=True)
            group.stamps[(event.target, event.key)] = event.stamp
        if not record:
            return None
        sample = {"account": group.account, "table": group.table, "source_region": event.source,
                  "receiving_region": event.target,
                  "milliseconds": round((time.time() - event.written_at) * 1000.0, 3), "at": time.time()}
        self.samples.append(sample)
        return sample

    def _start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="dynalab-replication", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            delivered: list[dict] = []
            with self._wake:
                now = time.monotonic()
                while self.queue and self.queue[0].due <= now:
                    event = heapq.heappop(self.queue)
                    if self._cut_off(event.source, event.target):
                        self.held.append(event)
                        continue
                    sample = self._deliver(event)
                    if sample is not None:
                        delivered.append(sample)
                if not delivered:
                    self._wake.wait(timeout=min(1.0, self.queue[0].due - now) if self.queue else 1.0)
            for sample in delivered:  # outside the lock: a listener may take its own
                for listener in list(self.listeners):
                    try:
                        listener(sample)
                    except Exception:  # a broken listener must not stop replication
                        pass

    # -- settings ---------------------------------------------------------------------------------------------------

    def set_isolated(self, regions: set[str]) -> None:
        """Isolate these Regions (and heal any other): held changes whose ends are both reachable move on (MRSC's at
        once, MREC's after the lag)."""
        self.isolated = set(regions)
        still_held: list[Event] = []
        now = time.monotonic()
        for event in self.held:
            group = self.groups.get(event.group)
            if group is None:
                continue
            if self._cut_off(event.source, event.target):
                still_held.append(event)
            elif group.strong:
                self._deliver(event, record=False)
            else:
                event.due = now + self.settings["replication_lag_seconds"]
                heapq.heappush(self.queue, event)
        self.held = still_held
        self._start()
        self._wake.notify()

    def forget_region(self, group: Group, region: str) -> None:
        """A replica left its group: drop what was on its way to it, and its stamps."""
        self.queue = [e for e in self.queue if not (e.group == (group.account, group.table) and e.target == region)]
        heapq.heapify(self.queue)
        self.held = [e for e in self.held if not (e.group == (group.account, group.table) and e.target == region)]
        group.stamps = {k: v for k, v in group.stamps.items() if k[0] != region}

    def pending(self, group: Group | None = None) -> int:
        """Changes not yet delivered (queued or held), for one group or all."""
        events = self.queue + self.held
        return sum(1 for e in events if group is None or e.group == (group.account, group.table))

    def state(self) -> dict[str, Any]:
        """The engine's settings, isolated Regions, global tables and recent latencies (the control endpoint's GET)."""
        return {
            "settings": dict(self.settings),
            "isolated_regions": sorted(self.isolated),
            "global_tables": [
                {"table": g.table, "consistency": g.consistency, "replicas": sorted(g.replicas),
                 "witness": g.witness, "pending_changes": self.pending(g)} for g in self.groups.values()],
            "replication_latency": list(self.samples)[-200:],
        }
