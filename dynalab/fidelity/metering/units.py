"""The units one run of a call consumed, per table and per index, by DynamoDB's charge rules
(``dynalab.models.charges``, ``dynalab.models.indexes``), from the request, the answer and the old-items phase's
images of the items before and after.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from dynalab.fidelity.call import Call, IndexUnits, Run, TableUnits
from dynalab.fidelity.catalog import TableInfo
from dynalab.fidelity.old_items import item_key
from dynalab.fidelity.requests import Access, accesses, accesses_by_table
from dynalab.fidelity.requests import client_shape as _client_shape
from dynalab.models.charges import (
    batch_get_units,
    batch_write_units,
    get_units,
    query_units,
    transact_get_units,
    transact_write_units,
    write_action_units,
)
from dynalab.models.indexes import SecondaryIndex, index_entry_size, index_write_units
from dynalab.models.sizing import typed_item_size

__all__ = ["Counter"]

_SINGLE_WRITES = ("PutItem", "UpdateItem", "DeleteItem")
_ACTION = {"PutItem": "Put", "UpdateItem": "Update", "DeleteItem": "Delete"}
#: Request parameters that narrow what a Query/Scan returns, but not what it reads (and is charged for).
_NARROWING = ("FilterExpression", "QueryFilter", "ScanFilter", "ConditionalOperator", "ProjectionExpression",
              "AttributesToGet", "Select")

Units = dict[str, TableUnits]
Counts = dict[str, int]


def _consistency(request: Mapping[str, Any]) -> str:
    return "strong" if request.get("ConsistentRead") else "eventual"


def _narrowed(request: Mapping[str, Any]) -> bool:
    return any(request.get(name) for name in _NARROWING if name != "Select") or \
        request.get("Select") in ("COUNT", "SPECIFIC_ATTRIBUTES")


class Counter:
    """Counts the units of a call's runs. ``trust_engine``: the engine reports DynamoDB's units itself (its index
    reads are in them); ``raw_client``: a client without the layer, for re-reading what a filtered page read."""

    def __init__(self, trust_engine: bool, meters_indexes: bool, raw_client: Any = None) -> None:
        self.trust_engine = trust_engine
        self.meters_indexes = meters_indexes
        self._raw = raw_client

    def units(self, call: Call, run: Run, answer: Mapping[str, Any], ok: bool) -> tuple[Units, Counts]:
        """{table: TableUnits} against each table's own capacity (its LSIs included; each index's units in
        ``indexes``), and the items each table returned."""
        operation, request = run.operation, run.request
        table = request.get("TableName", "")
        if operation == "GetItem":
            item = answer.get("Item")
            units = TableUnits(read=get_units(call.size_of(item), _consistency(request)))
            return {table: units}, {table: 1 if item else 0}
        if operation in ("Query", "Scan"):
            return self._query(call, run, answer)
        if operation in _SINGLE_WRITES:
            units = self._single_write(call, run, answer, ok)
            return {table: units}, {table: 1}
        if operation == "BatchGetItem":
            return _batch_get(call, request, answer)
        if operation == "TransactGetItems":
            return _transact_get(call, request, answer)
        if operation == "BatchWriteItem":
            return self._batch_write(call, run, answer)
        if operation == "TransactWriteItems":
            return self._transact_write(call, run, ok)
        return {}, {}

    # ------------------------------------------------------------------------------------------ reads

    def _query(self, call: Call, run: Run, answer: Mapping[str, Any]) -> tuple[Units, Counts]:
        request = run.request
        table = request.get("TableName", "")
        items = answer.get("Items") or []
        info = call.table_info(table)
        index = info.index(request.get("IndexName")) if info is not None else None
        size = sum(_entry_size(info, index, item) for item in items)
        if not self.trust_engine and _narrowed(request) and answer.get("ScannedCount"):
            size = self._evaluated_size(run, answer, info, index, default=size)
        units = query_units(size, _consistency(request))
        if index is None:
            return {table: TableUnits(read=units)}, {table: len(items)}
        # A read of an index is charged to the index: a GSI's own capacity, an LSI's table's. (An engine that
        # reports its own units reports this read too: nothing to add.)
        indexes = {} if self.trust_engine else {index.name: IndexUnits(units, 0.0, index.is_global)}
        return {table: TableUnits(read=0.0 if index.is_global else units, indexes=indexes)}, {table: len(items)}

    def _evaluated_size(self, run: Run, answer: Mapping[str, Any], info: TableInfo | None,
                        index: SecondaryIndex | None, default: int) -> int:
        """The bytes a filtered, projected or counted Query/Scan read: DynamoDB charges the items it evaluated,
        before the filter and the projection, and the answer shows fewer (or none). The same items are read once
        more, without filter or projection and not metered (Limit=ScannedCount from the same start key)."""
        client, request = self._raw, run.request
        if client is None:
            return default
        again = {k: v for k, v in request.items() if k not in _NARROWING and k not in (
            "ReturnConsumedCapacity", "Limit", "ExpressionAttributeNames", "ExpressionAttributeValues")}
        again["Limit"] = int(answer["ScannedCount"])
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
            reread = getattr(client, "query" if run.operation == "Query" else "scan")(**again)
        except Exception:  # never break the learner's call over the meter's own read
            return default
        return sum(_entry_size(info, index, item) for item in reread.get("Items") or [])

    # ----------------------------------------------------------------------------------------- writes

    def _single_write(self, call: Call, run: Run, answer: Mapping[str, Any], ok: bool) -> TableUnits:
        if run.request is not call.request:  # a PartiQL statement: its items are read like a transaction's
            return self._statement_write(call, run, ok)
        images = call.images
        table = run.request.get("TableName", "")
        units = TableUnits()
        if ok and images.indexed:
            self._charge_indexes(call, units, table, [(images.old_item, images.new_item)])
        units.write = write_action_units(_ACTION[run.operation], new_size_bytes=images.new_size,
                                         old_size_bytes=images.old_size, ok=ok) + _lsi_write_units(units)
        return units

    def _statement_write(self, call: Call, run: Run, ok: bool) -> TableUnits:
        """A PartiQL INSERT, UPDATE or DELETE: charged as the PutItem, UpdateItem or DeleteItem it runs, on the
        larger of the item before and after (both read by the old-items phase)."""
        (access,) = accesses(run.operation, run.request)
        info = call.table_info(access.table)
        key = item_key(info, access.key)
        old = (call.images.old_items.get(access.table) or {}).get(key)
        new = access.item if access.action == "Put" else (call.images.new_items.get(access.table) or {}).get(key)
        units = TableUnits()
        if ok and info is not None and info.indexes and self.meters_indexes:
            self._charge_indexes(call, units, access.table, [(old, new if access.action != "Delete" else None)])
        units.write = write_action_units(access.action, new_size_bytes=call.size_of(new) if access.action != "Delete"
                                         else None, old_size_bytes=call.size_of(old), ok=ok) + _lsi_write_units(units)
        return units

    def _batch_write(self, call: Call, run: Run, answer: Mapping[str, Any]) -> tuple[Units, Counts]:
        units: Units = {}
        counts: Counts = {}
        old_items = call.images.old_items
        remembered = call.images.old_sizes
        for table, writes in _processed_writes(run.request, answer):
            table_units = TableUnits()
            charged, pairs = [], []
            info = call.table_info(table)
            for write in writes:
                # Each write is charged on the larger of the item before and after, like PutItem and DeleteItem.
                # BatchWriteItem cannot return old items: the old-items phase reads them first (unmetered), or
                # remembers them (the embedded engine); elsewhere a put is charged on the item written, a delete
                # at 1 WCU.
                key = item_key(info, write.key)
                if table in old_items and key is not None:
                    old_item = old_items[table].get(key)
                    old = call.size_of(old_item)
                    pairs.append((old_item, write.item))
                else:
                    old = remembered.get((table, key))
                charged.append((write.action, call.size_of(write.item) if write.item is not None else None, old))
            if pairs:
                self._charge_indexes(call, table_units, table, pairs)
            table_units.write = batch_write_units(charged) + _lsi_write_units(table_units)
            units[table] = table_units
            counts[table] = len(charged)
        return units, counts

    def _transact_write(self, call: Call, run: Run, ok: bool) -> tuple[Units, Counts]:
        """Transactional writes: 2 WCU per 1 KB of the larger of the item before (read first, unmetered) and
        after (a Put's item; an Update's result, computed or read once the transaction committed), per action."""
        old_items, found = call.images.old_items, call.images.new_items
        remembered = call.images.old_sizes
        actions: dict[str, list[tuple[str, int | None, int | None]]] = {}
        pairs: dict[str, list[tuple[dict | None, dict | None]]] = {}
        for access in accesses("TransactWriteItems", run.request):
            key = item_key(call.table_info(access.table), access.key)
            old_item = (old_items.get(access.table) or {}).get(key)
            old = call.size_of(old_item)
            if old is None and access.table not in old_items:
                old = remembered.get((access.table, key))
            new_item = access.item if access.action == "Put" else (found.get(access.table) or {}).get(key)
            actions.setdefault(access.table, []).append((access.action, call.size_of(new_item), old))
            if access.action in ("Put", "Update", "Delete"):
                pairs.setdefault(access.table, []).append((old_item, new_item if access.action != "Delete" else None))
        units: Units = {table: TableUnits() for table in actions}
        for table, table_pairs in pairs.items():
            info = call.table_info(table)
            if old_items.get(table) is not None and info is not None and info.indexes and ok and self.meters_indexes:
                self._charge_indexes(call, units[table], table, table_pairs)
        for table, charged in actions.items():
            units[table].write = transact_write_units(charged) + _lsi_write_units(units[table])
        return units, {table: len(charged) for table, charged in actions.items()}

    @staticmethod
    def _charge_indexes(call: Call, units: TableUnits, table: str,
                        pairs: list[tuple[Mapping | None, Mapping | None]]) -> None:
        """Add the index write units of these (before, after) item pairs to ``units.indexes``."""
        info = call.table_info(table)
        if info is None or not info.indexes:
            return
        for before, after in pairs:
            for index in info.indexes:
                written = index_write_units(before, after, index, info.key_attributes)
                if written:
                    previous = units.indexes.get(index.name, IndexUnits(0.0, 0.0, index.is_global))
                    units.indexes[index.name] = IndexUnits(previous.read, previous.write + written, index.is_global)


def _lsi_write_units(units: TableUnits) -> float:
    """An LSI's writes are charged to its table's capacity."""
    return sum(u.write for u in units.indexes.values() if not u.is_global)


def _entry_size(info: TableInfo | None, index: SecondaryIndex | None, item: Mapping[str, Any]) -> int:
    if index is None:
        return typed_item_size(item)
    size = index_entry_size(item, index, info.key_attributes if info else ())
    return typed_item_size(item) if size is None else size


def _batch_get(call: Call, request: Mapping[str, Any], answer: Mapping[str, Any]) -> tuple[Units, Counts]:
    units: Units = {}
    counts: Counts = {}
    unprocessed = answer.get("UnprocessedKeys") or {}
    for table, keys in accesses_by_table("BatchGetItem", request).items():
        items = (answer.get("Responses") or {}).get(table, [])
        processed = len(keys) - len((unprocessed.get(table) or {}).get("Keys", []))
        # Each key is a read of its own: an item rounded up on its own, a key that found nothing one block.
        sizes: list[int | None] = [call.size_of(item) for item in items]
        sizes += [None] * max(0, processed - len(items))
        units[table] = TableUnits(read=batch_get_units(sizes, _consistency(keys[0].spec)))
        counts[table] = len(items)
    return units, counts


def _processed_writes(request: Mapping[str, Any], answer: Mapping[str, Any]) -> Iterator[tuple[str, list[Access]]]:
    """Each table of a BatchWriteItem with the writes DynamoDB carried out (not handed back as unprocessed)."""
    unprocessed = answer.get("UnprocessedItems") or {}
    for table, writes in accesses_by_table("BatchWriteItem", request).items():
        left = list(unprocessed.get(table) or [])
        done = []
        for write in writes:
            if write.spec in left:
                left.remove(write.spec)
            else:
                done.append(write)
        yield table, done


def _transact_get(call: Call, request: Mapping[str, Any], answer: Mapping[str, Any]) -> tuple[Units, Counts]:
    sizes: dict[str, list[int | None]] = {}
    responses = answer.get("Responses") or []
    for access, response in zip(accesses("TransactGetItems", request), responses, strict=False):
        item = (response or {}).get("Item")
        sizes.setdefault(access.table, []).append(call.size_of(item))
    return ({table: TableUnits(read=transact_get_units(found)) for table, found in sizes.items()},
            {table: sum(1 for size in found if size is not None) for table, found in sizes.items()})
