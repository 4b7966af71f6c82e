"""Refusals that depend on what is stored (``Phase.STORED``), made after the old-items phase read the old items.

* An update whose *result* passes 400 KB (409,600 B by DynamoDB's size rule): the old item with the update applied
  (``dynalab.models.updates``). UpdateItem ("Item size to update has exceeded the maximum allowed size") and a
  transaction's Update alike. Where no old item was read (an engine
  that reports its own units), the engine judges.
* A write that would take an item collection of a table with a local secondary index past 10 GB
  (ItemCollectionSizeLimitExceededException, LSI.html "Item collection size limit"): the items of one partition-key
  value and their LSI entries, counted once with an unmetered Query and then kept up to date by the writes the
  layer sees. A lesson may lower the limit (``item_collection_limit_bytes``) to show the refusal.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from dynalab.fidelity import aws_error
from dynalab.fidelity.call import Call, Phase
from dynalab.fidelity.catalog import FORGET_ALL, FORGET_TABLE, TableInfo
from dynalab.fidelity.limits import ITEM_UPDATE_TOO_LARGE, item_problem
from dynalab.fidelity.old_items import ENGINES_WITH_REAL_UNITS, key_value
from dynalab.fidelity.requests import client_shape
from dynalab.i18n import tr
from dynalab.models.indexes import index_entry_size
from dynalab.models.quotas import ITEM_COLLECTION_MAX_BYTES
from dynalab.models.sizing import typed_item_size
from dynalab.models.updates import produced_item

__all__ = ["ITEM_COLLECTION_TOO_LARGE", "StoredLimits"]

#: ItemCollectionSizeLimitExceededException's text (botocore's DynamoDB model documents the exception so).
ITEM_COLLECTION_TOO_LARGE = "The total size of an item collection has exceeded the maximum limit of 10 gigabytes."
_SINGLE_WRITES = ("PutItem", "UpdateItem", "DeleteItem")
_COLLECTION_CHECKED = ("PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems")


def _collection_share(info: TableInfo, item: Mapping[str, Any] | None) -> int:
    """What an item adds to its item collection: itself and its entries in the table's LSIs."""
    if not item:
        return 0
    share = typed_item_size(item)
    for index in info.indexes:
        if not index.is_global:
            share += index_entry_size(item, index, info.key_attributes) or 0
    return share


class StoredLimits:
    """The stored-state limits (see the module docstring). ``raw_client``: a client without the layer, for counting
    an item collection once (None: collections are not checked)."""

    phase = Phase.STORED

    def __init__(self, engine: str, raw_client: Any = None) -> None:
        self.trust_engine = engine in ENGINES_WITH_REAL_UNITS
        self._raw = raw_client
        #: The item collection limit on tables with an LSI (DynamoDB: 10 GB).
        self.item_collection_limit_bytes = ITEM_COLLECTION_MAX_BYTES
        self._collections: dict[tuple, int] = {}  # (table, partition-key value) -> bytes, tables with an LSI
        self._lock = threading.Lock()

    def before_call(self, call: Call) -> None:
        message = self.update_problem(call)
        if message is not None:
            raise aws_error("ValidationException", message, call.operation)
        if not self.trust_engine and call.operation in _COLLECTION_CHECKED:
            self._check_item_collections(call)

    @staticmethod
    def update_problem(call: Call) -> str | None:
        """DynamoDB's message when an update would produce an item over 400 KB."""
        images = call.images
        if call.operation == "UpdateItem" and images.old_item_read:
            return ITEM_UPDATE_TOO_LARGE if item_problem(produced_item(images.old_item, call.request)) else None
        if call.operation == "TransactWriteItems" and images.old_by_access is not None:
            for access, old in zip(call.accesses, images.old_by_access, strict=False):
                if access.action == "Update":
                    message = item_problem(produced_item(old, access.spec))
                    if message:
                        return message
        return None

    def after_call(self, call: Call) -> None:
        if call.operation in FORGET_TABLE or call.operation in FORGET_ALL:
            self._forget(call.request.get("TableName") if call.operation in FORGET_TABLE else None)
            return
        if call.collections is None or not call.ok:
            return
        projected, stale = call.collections
        with self._lock:
            self._collections.update(projected)
            for collection in stale:
                self._collections.pop(collection, None)

    def resume(self) -> None:
        self._forget(None)

    def _forget(self, table: str | None) -> None:
        with self._lock:
            if table is None:
                self._collections.clear()
            else:
                for collection in [c for c in self._collections if c[0] == table]:
                    del self._collections[collection]

    # ---------------------------------------------------------------------------------- item collections

    def _check_item_collections(self, call: Call) -> None:
        """Refuse a write that would take an item collection past ``item_collection_limit_bytes``."""
        projected: dict[tuple, int] = {}
        stale: set[tuple] = set()
        single = call.operation in _SINGLE_WRITES
        for position, access in enumerate(call.accesses):
            info = call.table_info(access.table)
            if info is None or not info.has_local_index:
                continue
            partition = access.key.get(info.key_attributes[0])
            if partition is None:
                continue
            collection = (access.table, key_value(partition))
            if access.action not in ("Put", "Update"):
                stale.add(collection)
                continue
            old = call.images.old_item if single else (call.images.old_by_access or [None] * (position + 1))[position]
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
                       limit=self.item_collection_limit_bytes) if lowered else ""), call.operation)
            projected[collection] = size
        if not single:  # batches and transactions: recount those collections next time
            stale.update(projected)
            projected = {}
        call.collections = (projected, stale)

    def _collection_bytes(self, table: str, info: TableInfo, partition: Mapping[str, Any]) -> int | None:
        """The bytes of one item collection now: its items and their LSI entries (unmetered Query, cached)."""
        collection = (table, key_value(partition))
        with self._lock:
            if collection in self._collections:
                return self._collections[collection]
        client = self._raw
        if client is None:
            return None
        total = 0
        arguments = {"TableName": table, "ConsistentRead": True, "KeyConditionExpression": "#p = :p",
                     "ExpressionAttributeNames": {"#p": info.key_attributes[0]},
                     "ExpressionAttributeValues": {":p": client_shape(partition)}}
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
