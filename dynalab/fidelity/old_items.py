"""The one reader of the items a write replaces (``Phase.OLD_ITEMS``): what the meter, the stored-state limits and the
throttle know of the items before and after a write comes from here, on the call's record (``call.images``).

DynamoDB charges a write on the larger of the item before and after, an index write by the attributes before and
after, and refuses an update whose result passes 400 KB. A request names only the new item (or a key), so the old
one is found, cheapest first:

* remembered: on the embedded engine, which only this process writes to, the sizes of the items this layer has
  seen written and read (``KnownSizes``): no read at all;
* returned: PutItem and DeleteItem are sent with ``ReturnValues=ALL_OLD``, conditional writes with
  ``ReturnValuesOnConditionCheckFailure=ALL_OLD``, UpdateItem with ``ALL_NEW``, when the learner did not ask for
  them; what the layer added is taken out of the answer the learner gets;
* read: one consistent GetItem (an UpdateItem whose result must be sized, a write to a table with a local
  secondary index) or BatchGetItem (batches and transactions on indexed tables, transactions and PartiQL writes on
  an engine whose units dynalab supplies), on a client without the layer, so the learner's units never include it.

After the call it records the items left behind (an update's result, computed from the old item where it can be
(``dynalab.models.updates``), else read) and what their sizes are now.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Mapping
from decimal import Context, Decimal
from typing import Any

from dynalab.fidelity.call import Call, Phase
from dynalab.fidelity.catalog import TableInfo
from dynalab.fidelity.requests import Access
from dynalab.fidelity.requests import client_shape as _client_shape
from dynalab.models.quotas import BATCH_GET_MAX_KEYS, MAX_ITEM_SIZE_BYTES
from dynalab.models.sizing import typed_value_size
from dynalab.models.updates import produced_item

__all__ = ["ENGINES_WITH_REAL_UNITS", "KnownSizes", "OldItems", "item_key", "key_value"]

#: Engines whose ConsumedCapacity follows DynamoDB's rules (dynalite, and DynamoDB itself; measured:
#: tests/dynalite/test_cross_check.py).
ENGINES_WITH_REAL_UNITS = ("dynalite", "aws")
SINGLE_WRITES = ("PutItem", "UpdateItem", "DeleteItem")
_GROUP_WRITES = ("BatchWriteItem", "TransactWriteItems")
#: What PartiQL runs are charged like (their old items are read as a transaction's are).
_PARTIQL = frozenset({"ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"})
_NUMBER_CONTEXT = Context(prec=60)
UNKNOWN: Any = object()


def key_value(value: Mapping[str, Any]) -> tuple:
    """A key attribute's value, the same whether it came from a request (wire) or a parsed answer."""
    ((kind, inner),) = value.items()
    if kind == "N":  # 1, 1.0 and 1E0 are one key
        return kind, str(Decimal(inner).normalize(_NUMBER_CONTEXT))
    if kind == "B":
        return kind, base64.b64decode(inner) if isinstance(inner, str) else bytes(inner)
    return kind, inner


def item_key(info: TableInfo | None, item: Mapping[str, Any] | None) -> tuple | None:
    """An item's (or a Key's) key values, normalised (wire and parsed shapes alike), or None."""
    if info is None or not item or any(name not in item for name in info.key_attributes):
        return None
    try:
        return tuple(key_value(item[name]) for name in info.key_attributes)
    except (ValueError, TypeError, ArithmeticError):
        return None


class KnownSizes:
    """Sizes of the items this process wrote or read through the layer: (table, key) → bytes, or None for an item
    known to be absent. Only sound on an engine no one else writes to (the embedded one); bounded, FIFO.

    Writes the layer does not see (a boto3 client of your own on the same endpoint) leave it stale: call
    ``lab.meter.forget_sizes()`` after them. Switching the layer off and on again forgets them by itself.
    """

    def __init__(self, schema: Any, limit: int = 200_000) -> None:
        self._schema = schema  # table name -> its key attributes, or None
        self._limit = limit
        self._sizes: dict[tuple, int | None] = {}
        self._lock = threading.Lock()

    def key(self, table: str, item: Mapping[str, Any] | None) -> tuple | None:
        """The cache key of an item (or a Key) of ``table``: its key attributes' values, normalised."""
        if not item:
            return None
        schema = self._schema(table)
        if not schema or any(name not in item for name in schema):
            return None
        try:
            return (table, *(key_value(item[name]) for name in schema))
        except (ValueError, TypeError, ArithmeticError):
            return None

    def get(self, key: tuple | None) -> Any:
        if key is None:
            return UNKNOWN
        with self._lock:
            return self._sizes.get(key, UNKNOWN)

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
                return
            for key in [k for k in self._sizes if k[0] == table]:
                del self._sizes[key]


def update_bytes(request: Mapping[str, Any]) -> int:
    """An upper bound of what an update can add to an item: its values' and names' bytes, each as if set once per
    use in the expression (a list_append or ADD of them can add no more)."""
    expression = request.get("UpdateExpression") or ""
    total = sum(len(name.encode()) for name in (request.get("ExpressionAttributeNames") or {}).values())
    for placeholder, value in (request.get("ExpressionAttributeValues") or {}).items():
        total += typed_value_size(value) * max(1, expression.count(placeholder))
    for name, update in (request.get("AttributeUpdates") or {}).items():
        total += len(name.encode()) + (typed_value_size(update["Value"]) if "Value" in update else 0)
    return total + len(expression)


class OldItems:
    """The old-items phase (see the module docstring). ``raw_client``: a plain client on the same endpoint, without
    the layer (None: nothing is read, as on AWS, whose units are its own). ``private_engine``: only this process
    writes to the engine, so sizes may be remembered."""

    phase = Phase.OLD_ITEMS

    def __init__(self, engine: str, raw_client: Any = None, private_engine: bool = False) -> None:
        self.engine = engine
        self.trust_engine = engine in ENGINES_WITH_REAL_UNITS
        #: dynalab counts secondary indexes on every engine but AWS (which reports them itself)
        self.meters_indexes = engine != "aws"
        self._raw = raw_client
        self._catalog: Any = None
        self.known: KnownSizes | None = None
        if private_engine and not self.trust_engine:
            self.known = KnownSizes(self._key_schema)

    def _key_schema(self, table: str) -> tuple[str, ...] | None:
        info = self._catalog.info(table) if self._catalog is not None else None
        # no sizes remembered for a global table: replication changes its items where this process cannot see
        return info.key_attributes if info is not None and not info.replica_regions else None

    def forget_sizes(self) -> None:
        if self.known is not None:
            self.known.forget_table(None)

    def resume(self) -> None:
        """The layer is back on after requests it did not see: remembered sizes may be stale."""
        self.forget_sizes()

    # ---------------------------------------------------------------------------------------- before

    def before_call(self, call: Call) -> None:
        self._catalog = call.catalog
        operation = call.operation
        if operation in SINGLE_WRITES:
            self._single_write(call)
        elif operation in _GROUP_WRITES:
            self._remembered_sizes(call)
            if self.meters_indexes:
                self._group_write(call)
        elif _partiql_writes(call) and not self.trust_engine:
            self._group_write(call)

    def _single_write(self, call: Call) -> None:
        request, images = call.request, call.images
        operation = call.operation
        info = call.table_info(request.get("TableName", ""))
        images.indexed = info is not None and bool(info.indexes) and self.meters_indexes
        if self.known is not None:
            images.cache_key = self.known.key(request.get("TableName", ""), request.get("Item") or request.get("Key"))
            cached = self.known.get(images.cache_key)
            if cached is not UNKNOWN and not images.indexed:
                images.old_known, images.old_size = True, cached
        if operation in ("PutItem", "DeleteItem") and request.get("ReturnValues", "NONE") == "NONE" \
                and not images.old_known:
            request["ReturnValues"] = "ALL_OLD"
            images.strip_attributes = True
            call.changed()
        if ("ConditionExpression" in request or "Expected" in request) and not images.old_known \
                and "ReturnValuesOnConditionCheckFailure" not in request:
            request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
            images.strip_failure_item = True
            call.changed()
        if operation == "UpdateItem":
            self._before_update(call, info)
        elif operation == "PutItem" and not self.trust_engine and info is not None and info.has_local_index:
            # the item collection check needs the whole old item before the write, not its size after
            self._read_old_item(call)

    def _before_update(self, call: Call, info: TableInfo | None) -> None:
        """UpdateItem is charged on the larger of the item before and after, and one call returns only one of them:
        ask for ALL_NEW and, where dynalab supplies the units (or charges indexes), read the old item first. The
        stored-limits phase checks the item the update produces against 400 KB from it too: read it also when
        its size is remembered but the update could take it past the limit."""
        request, images = call.request, call.images
        if request.get("ReturnValues", "NONE") == "NONE":
            request["ReturnValues"] = "ALL_NEW"
            images.strip_attributes = True
            call.changed()
        try:
            may_pass = images.old_known and (images.old_size or 0) + update_bytes(request) > MAX_ITEM_SIZE_BYTES
        except (TypeError, ValueError, KeyError):
            may_pass = False
        if not self.trust_engine and images.old_known and images.old_size is None and may_pass:
            images.old_item_read = True  # known to be absent: the update makes a new item from its key
        elif (not self.trust_engine or images.indexed or (info is not None and info.has_local_index)) \
                and (not images.old_known or may_pass):
            self._read_old_item(call)

    def _read_old_item(self, call: Call) -> None:
        images = call.images
        old = self.fetch_item(call, call.request)
        images.old_item, images.old_item_read = old, True
        images.old_known, images.old_size = True, call.size_of(old)

    def _remembered_sizes(self, call: Call) -> None:
        """The sizes remembered of a batch's or transaction's old items (no read needed for them)."""
        if self.known is None:
            return
        for access in call.accesses:
            if access.is_write:
                cached = self.known.get(self.known.key(access.table, access.key))
                if isinstance(cached, int):
                    key = item_key(call.table_info(access.table), access.key)
                    call.images.old_sizes[(access.table, key)] = cached

    def _group_write(self, call: Call) -> None:
        """Old items of a batch, a transaction or PartiQL writes, for the tables that need them: a transaction's
        (charged on the larger of before and after), PartiQL's, and indexed tables'."""
        transactional = call.operation == "TransactWriteItems" or call.operation in _PARTIQL
        wanted: dict[str, list[Mapping[str, Any]]] = {}
        for access in call.accesses:
            if access.action in ("ConditionCheck", "Get", "Query", "Scan"):
                continue
            info = call.table_info(access.table)
            if (transactional and not self.trust_engine) or (info is not None and info.indexes):
                wanted.setdefault(access.table, []).append(access.key)
        images = call.images
        images.old_items = {table: self.read_items(call, table, keys) for table, keys in wanted.items()}
        images.old_by_access = [
            (images.old_items.get(access.table) or {}).get(item_key(call.table_info(access.table), access.key))
            for access in call.accesses]

    # ----------------------------------------------------------------------------------------- after

    def after_call(self, call: Call) -> None:
        operation = call.operation
        try:
            if operation in SINGLE_WRITES and (call.ok or call.error_code == "ConditionalCheckFailedException"):
                self._after_single_write(call)
            elif (operation == "TransactWriteItems" or _partiql_writes(call)) and call.ok \
                    and (call.images.old_items or not self.trust_engine):
                call.images.new_items = self._new_items(call)
            if self.known is not None:
                self._remember(call)
        except (TypeError, ValueError, ArithmeticError):  # an item dynalab's rules refuse: ask next time
            if self.known is not None:
                self.known.forget_table(call.request.get("TableName"))
        images = call.images
        if images.strip_attributes:
            call.parsed.pop("Attributes", None)
        if images.strip_failure_item:
            call.parsed.pop("Item", None)

    def _after_single_write(self, call: Call) -> None:
        images, parsed, request = call.images, call.parsed, call.request
        if call.ok:
            old = parsed.get("Attributes") if call.operation != "UpdateItem" else images.old_item
        else:
            old = parsed.get("Item")  # ReturnValuesOnConditionCheckFailure=ALL_OLD
        if old:
            images.old_item, images.old_size, images.old_known = old, call.size_of(old), True
        if call.operation == "PutItem":
            images.new_item = request.get("Item") or {}
            images.new_size = call.size_of(images.new_item)
        elif call.operation == "UpdateItem" and call.ok:
            if request.get("ReturnValues") == "ALL_NEW":
                images.new_item = parsed.get("Attributes")
            elif not self.trust_engine:  # the learner asked for other ReturnValues: read what the update left
                images.new_item = self.fetch_item(call, request)
            images.new_size = call.size_of(images.new_item) or 0

    def _new_items(self, call: Call) -> dict[str, dict[tuple, dict | None]]:
        """{table: {key: item}} the writes of a committed transaction (or PartiQL write) left: a Put's item, a
        Delete's nothing, an Update's old item with the update applied; read where it cannot be computed."""
        found: dict[str, dict[tuple, dict | None]] = {}
        wanted: dict[str, list[Mapping[str, Any]]] = {}
        old_items = call.images.old_items
        for access in call.accesses:
            info = call.table_info(access.table)
            key = item_key(info, access.key)
            if key is None or access.action not in ("Put", "Update", "Delete"):
                continue
            if access.action == "Put":
                found.setdefault(access.table, {})[key] = dict(access.item or {})
                continue
            if access.action == "Delete":
                found.setdefault(access.table, {})[key] = None
                continue
            before = old_items.get(access.table)
            after = produced_item(before.get(key), access.spec) if before is not None else None
            if after is not None:
                found.setdefault(access.table, {})[key] = after
            else:
                wanted.setdefault(access.table, []).append(access.key)
        for table, keys in wanted.items():
            found.setdefault(table, {}).update(self.read_items(call, table, keys))
        return found

    def _remember(self, call: Call) -> None:
        """Keep the sizes this call revealed (or forget what it changed without showing)."""
        known, images, request, parsed = self.known, call.images, call.request, call.parsed
        operation = call.operation
        if operation in SINGLE_WRITES:
            if not call.ok:  # a failed condition changed nothing; its ALL_OLD item, if any, is the current one
                if "Item" in parsed:
                    known.set(images.cache_key, call.size_of(parsed["Item"]))
            elif operation == "PutItem":
                known.set(images.cache_key, images.new_size)
            elif operation == "DeleteItem":
                known.set(images.cache_key, None)
            elif request.get("ReturnValues") == "ALL_NEW" and parsed.get("Attributes"):
                known.set(images.cache_key, images.new_size)
            else:
                known.forget(images.cache_key)
        elif operation == "GetItem" and call.ok and not (request.get("ProjectionExpression")
                                                         or request.get("AttributesToGet")):
            item = parsed.get("Item")
            known.set(known.key(request.get("TableName", ""), item or request.get("Key")), call.size_of(item))
        elif operation == "BatchWriteItem" and call.ok:
            self._remember_batch(call)
        elif (operation == "TransactWriteItems" or operation in _PARTIQL) and call.ok:
            self._remember_writes(call)
        elif operation in _PARTIQL:  # a failed PartiQL write: what it touched may have changed
            for access in call.accesses:
                if access.is_write:
                    known.forget(known.key(access.table, access.key))

    def _remember_batch(self, call: Call) -> None:
        known = self.known
        unprocessed = call.parsed.get("UnprocessedItems") or {}
        for access in call.accesses:
            if access.spec in (unprocessed.get(access.table) or []):
                continue
            known.set(known.key(access.table, access.key), call.size_of(access.item))

    def _remember_writes(self, call: Call) -> None:
        known = self.known
        for access in call.accesses:
            if not access.is_write:
                continue
            cache_key = known.key(access.table, access.key)
            if access.action == "Put":
                known.set(cache_key, call.size_of(access.item))
            elif access.action == "Delete":
                known.set(cache_key, None)
            else:
                new_item = (call.images.new_items.get(access.table) or {}).get(
                    item_key(call.table_info(access.table), access.key), UNKNOWN)
                if new_item is UNKNOWN:
                    known.forget(cache_key)
                else:
                    known.set(cache_key, call.size_of(new_item))

    # ---------------------------------------------------------------------------------------- reading

    def read_items(self, call: Call, table: str, keys: list[Mapping[str, Any]]) -> dict[tuple, dict | None]:
        """The items at these keys now (consistent BatchGetItem on the unmetered client), by key; {} on failure."""
        info = call.table_info(table)
        client = self._raw
        if info is None or client is None:
            return {}
        found: dict[tuple, dict | None] = {}
        unique: dict[tuple, dict] = {}
        for key in keys:
            normal = item_key(info, key)
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
                    found[item_key(info, item)] = item
                pending += ((answer.get("UnprocessedKeys") or {}).get(table) or {}).get("Keys", [])
        except Exception:  # never break the learner's call over the layer's own read
            return {}
        return found

    def fetch_item(self, call: Call, request: Mapping[str, Any]) -> dict | None:
        """The item at a single-item request's key now (None if there is none), by one consistent unmetered
        GetItem (the key of a PutItem is read from its item)."""
        client = self._raw
        key = request.get("Key")
        table = request.get("TableName", "")
        if key is None and request.get("Item"):
            info = call.table_info(table)
            key = {name: request["Item"][name] for name in info.key_attributes if name in request["Item"]} \
                if info else None
        if client is None or not key or not table:
            return None
        try:
            answer = client.get_item(TableName=table, ConsistentRead=True,
                                     Key={k: _client_shape(v) for k, v in key.items()})
        except Exception:  # the write itself will report any problem with the table or key
            return None
        return answer.get("Item")


def _partiql_writes(call: Call) -> bool:
    return call.operation in _PARTIQL and call.translation is not None and call.translation.writes


def access_old_item(call: Call, access: Access) -> dict | None:
    """The old item of one access of a batch, transaction or PartiQL write (None: none, or not read)."""
    return (call.images.old_items.get(access.table) or {}).get(item_key(call.table_info(access.table), access.key))
