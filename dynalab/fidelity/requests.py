"""The one request walker of the fidelity layer: which tables and items a DynamoDB request touches.

Every plugin needs the same answer to "what does this request read or write?": the AWS guard its tables, the
limits their items, the meter their sizes, the throttle their keys. DynamoDB spells that in four shapes (a single
item call, a Query/Scan, a batch per table, a transaction per action); ``accesses`` flattens them all into one
list of ``Access`` records, in request order, so no plugin walks a request by itself.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Access", "READS", "WRITES", "accesses", "accesses_by_table", "client_shape", "tables_named"]

#: Data-plane operations that read, and that write (the throttle and the meter care about these).
READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"})
WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"})

_SINGLE = {"GetItem": "Get", "PutItem": "Put", "UpdateItem": "Update", "DeleteItem": "Delete",
           "Query": "Query", "Scan": "Scan"}


@dataclass(frozen=True)
class Access:
    """One item (or one Query/Scan) a request reads or writes.

    ``action``: "Get", "Put", "Update", "Delete", "ConditionCheck", "Query" or "Scan" (a batch's PutRequest is a
    "Put", its DeleteRequest a "Delete"). ``item``: the full item a Put writes, else None. ``key``: the key it
    names (for a Put, the item: its key attributes are in it). ``spec``: the part of the request it came from (the
    request itself, a batch's per-table spec or write request, a transaction's action body), unchanged.
    ``position``: its place within its table's list (batches) or the transaction.
    """

    table: str
    action: str
    key: Mapping[str, Any]
    item: Mapping[str, Any] | None = None
    spec: Mapping[str, Any] = field(default_factory=dict)
    position: int = 0
    transactional: bool = False

    @property
    def is_write(self) -> bool:
        return self.action in ("Put", "Update", "Delete")


def accesses(operation: str, request: Mapping[str, Any]) -> list[Access]:
    """Every item access of ``request`` (typed, as DynamoDB receives it), in request order."""
    return list(_walk(operation, request or {}))


def accesses_by_table(operation: str, request: Mapping[str, Any]) -> dict[str, list[Access]]:
    """``accesses`` grouped by table, tables in request order."""
    grouped: dict[str, list[Access]] = {}
    for access in _walk(operation, request or {}):
        grouped.setdefault(access.table, []).append(access)
    return grouped


def _single(operation: str, request: Mapping[str, Any]) -> Iterator[Access]:
    action = _SINGLE[operation]
    table = request.get("TableName")
    if isinstance(table, str):
        item = request.get("Item") if action == "Put" else None
        yield Access(table, action, item or request.get("Key") or {}, item, request)


def _batch_write(request: Mapping[str, Any]) -> Iterator[Access]:
    for table, writes in (request.get("RequestItems") or {}).items():
        for position, write in enumerate(writes or []):
            if "PutRequest" in write:
                item = write["PutRequest"].get("Item") or {}
                yield Access(table, "Put", item, item, write, position)
            elif "DeleteRequest" in write:
                yield Access(table, "Delete", write["DeleteRequest"].get("Key") or {}, None, write, position)


def _batch_get(request: Mapping[str, Any]) -> Iterator[Access]:
    for table, spec in (request.get("RequestItems") or {}).items():
        for position, key in enumerate((spec or {}).get("Keys") or []):
            yield Access(table, "Get", key, None, spec, position)


def _transaction(request: Mapping[str, Any]) -> Iterator[Access]:
    for position, entry in enumerate(request.get("TransactItems") or []):
        for kind, spec in (entry or {}).items():
            if not isinstance(spec, Mapping) or not isinstance(spec.get("TableName"), str):
                continue
            item = spec.get("Item") if kind == "Put" else None
            yield Access(spec["TableName"], kind, item or spec.get("Key") or {}, item, spec, position,
                         transactional=True)


def _walk(operation: str, request: Mapping[str, Any]) -> Iterator[Access]:
    if operation in _SINGLE:
        return _single(operation, request)
    if operation == "BatchWriteItem":
        return _batch_write(request)
    if operation == "BatchGetItem":
        return _batch_get(request)
    if operation in ("TransactWriteItems", "TransactGetItems"):
        return _transaction(request)
    return iter(())


def tables_named(request: Mapping[str, Any]) -> set[str]:
    """Every table a DynamoDB request names (single-table calls, batches, transactions, streams by ARN), whatever
    the operation (control-plane calls included)."""
    names: set[str] = set()
    if isinstance(request.get("TableName"), str):
        names.add(request["TableName"])
    names.update(request.get("RequestItems", {}) or {})
    for entry in request.get("TransactItems", []) or []:
        for spec in (entry or {}).values():
            if isinstance(spec, Mapping) and isinstance(spec.get("TableName"), str):
                names.add(spec["TableName"])
    arn = request.get("StreamArn") or request.get("ResourceArn")
    if isinstance(arn, str) and ":table/" in arn:
        names.add(arn.split(":table/", 1)[1].split("/", 1)[0])
    return names


def client_shape(value: Mapping[str, Any]) -> dict:
    """A wire-typed value (binary as base64 text) in the shape boto3's client takes and botocore's parsed answers
    hold (binary as bytes)."""
    ((kind, inner),) = value.items()
    if kind == "B":
        return {"B": base64.b64decode(inner) if isinstance(inner, str) else inner}
    if kind == "BS":
        return {"BS": [base64.b64decode(v) if isinstance(v, str) else v for v in inner]}
    if kind == "L":
        return {"L": [client_shape(v) for v in inner]}
    if kind == "M":
        return {"M": {k: client_shape(v) for k, v in inner.items()}}
    return dict(value)
