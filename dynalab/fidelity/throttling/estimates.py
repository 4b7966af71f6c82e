"""What a request is charged when it is admitted, from the request alone (the meter's exact count replaces it
after the call): the kind and keys it spends, and what it costs a table's GSIs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dynalab.fidelity.call import Run
from dynalab.fidelity.requests import READS, WRITES, Access, accesses
from dynalab.models.capacity import write_units
from dynalab.models.indexes import SecondaryIndex, index_entry_size
from dynalab.models.quotas import MAX_ITEM_SIZE_BYTES
from dynalab.models.sizing import typed_item_size

__all__ = ["estimate", "index_estimates", "kind_of", "query_key", "table_keys", "updated_attributes"]

_EQUALS = re.compile(r"(#?[A-Za-z0-9_.]+)\s*=\s*(:[A-Za-z0-9_]+)")
_UPDATE_WORDS = frozenset({"SET", "REMOVE", "ADD", "DELETE", "IF_NOT_EXISTS", "LIST_APPEND"})


def kind_of(runs: Iterable[Run]) -> str | None:
    """"read" or "write": what a call spends (a PartiQL call is all reads or all writes), or None."""
    for run in runs:
        if run.operation in WRITES:
            return "write"
        if run.operation in READS:
            return "read"
    return None


def write_estimate(size_bytes: int) -> float:
    """WCU an item's write would take, as an estimate before the call: an item past 400 KB is refused by the
    validation phase or the engine, not here (a throttle must not fail a request for its size)."""
    return write_units(min(size_bytes, MAX_ITEM_SIZE_BYTES))


def estimate(access: Access, kind: str) -> float:
    """Units one batch item is charged on admission: a put its item's 1 KB blocks, a delete 1 WCU, a read one 4 KB
    block at its consistency."""
    if kind == "write":
        if access.item is None:
            return 1.0
        try:
            return write_estimate(typed_item_size(access.item))
        except (TypeError, ValueError):  # a value DynamoDB refuses: the validation phase answers with AWS's error
            return 1.0
    return 1.0 if access.spec.get("ConsistentRead") else 0.5


def updated_attributes(spec: Mapping[str, Any]) -> set[str]:
    """The top-level attribute names an UpdateItem (or a transaction's Update) sets or removes."""
    names = spec.get("ExpressionAttributeNames") or {}
    expression = spec.get("UpdateExpression") or ""
    found = set()
    for token in re.findall(r"#?[A-Za-z_][A-Za-z0-9_]*", re.sub(r":[A-Za-z0-9_]+", " ", expression)):
        if token.upper() in _UPDATE_WORDS:
            continue
        found.add(names.get(token, token))
    found.update(spec.get("AttributeUpdates") or {})
    return found


def index_estimates(writes: Iterable[Access], indexes: Mapping[str, SecondaryIndex],
                    table_key_attributes: Sequence[str]) -> dict[str, float]:
    """{gsi: estimated write units} these writes cost a table's GSIs: a put whose item has the index's key
    attributes pays its entry's 1 KB blocks; an update naming an index key attribute (or any attribute, for an ALL
    or INCLUDE index) 2 (the delete and put of a key change); a delete is not held back (its old item is not in the
    request)."""
    found: dict[str, float] = {}
    for write in writes:
        for name, index in indexes.items():
            if write.action == "Put" and write.item is not None:
                size = index_entry_size(write.item, index, table_key_attributes)
                units = write_estimate(size) if size is not None else 0.0
            elif write.action == "Update":
                named = updated_attributes(write.spec)
                touched = bool(named & set(index.key_attributes)) or (
                    index.projection_type == "ALL" and bool(named)) or bool(named & set(index.non_key_attributes))
                units = 2.0 if named & set(index.key_attributes) else 1.0 if touched else 0.0
            else:
                units = 0.0
            if units:
                found[name] = found.get(name, 0.0) + units
    return found


def query_key(request: Mapping[str, Any], partition_key: str) -> Any:
    """The partition-key value of a Query (``pk = :v`` in KeyConditionExpression), or None."""
    condition = request.get("KeyConditionExpression")
    if condition:
        names = request.get("ExpressionAttributeNames") or {}
        values = request.get("ExpressionAttributeValues") or {}
        for name, placeholder in _EQUALS.findall(condition):
            if names.get(name, name) == partition_key:
                return values.get(placeholder)
        return None
    legacy = (request.get("KeyConditions") or {}).get(partition_key) or {}
    values = legacy.get("AttributeValueList") or [None]
    return values[0]


def table_keys(runs: Iterable[Run], table: str, partition_key: str) -> tuple[list[Any], bool, bool]:
    """(the partition-key values a call's runs touch on ``table`` (None where unknown), whether a run reads the
    whole table (a Scan, or a Query whose key cannot be read), whether they are transactional)."""
    values: list[Any] = []
    spread = transactional = False
    for run in runs:
        on_table = [access for access in accesses(run.operation, run.request) if access.table == table]
        if not on_table:
            continue
        transactional = transactional or on_table[0].transactional
        if run.operation == "Scan":
            spread = True
        elif run.operation == "Query":
            value = query_key(run.request, partition_key)
            spread = spread or value is None
            values.append(value)
        else:
            values.extend(access.key.get(partition_key) for access in on_table)
    return values, spread, transactional
