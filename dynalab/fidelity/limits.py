"""DynamoDB's documented size and count limits on requests, with AWS's codes and wording (part of the validation
phase: ``dynalab.fidelity.validation``).

moto 5.2.5 accepts 26-item BatchWriteItem calls and 2-character table names (``tests/integration/test_limits.py``),
so a lesson on moto would teach that they work. These checks refuse what DynamoDB refuses, whatever the engine:

* table names 3–255 characters (ServiceQuotas.html / the API's constraints);
* BatchWriteItem: at most 25 requests, 16 MB; BatchGetItem: at most 100 keys (ServiceQuotas.html [A23]);
* TransactWriteItems / TransactGetItems: at most 100 actions, 4 MB (transaction-apis.html);
* an item at most 400 KB = 409,600 B by DynamoDB's own size rule (``dynalab.models.sizing``): 409,600 B passes,
  409,601 B is refused; for PutItem and a transaction's Put the item sent (the item an update *produces* is
  checked once the old item is read: ``dynalab.fidelity.stored_limits``).

The wording is DynamoDB's, as the independent engine dynalite reproduces it (``node_modules/dynalite/validations``);
the cross-check in ``tests/dynalite/`` compares the error codes. Where neither source has a message (the 16 MB and
4 MB totals) the text says what is wrong in the same style.

moto itself refuses items from 405,000 B by its own count (``LimitedSizeDict``), which no request-side layer can
undo from the client side; dynalab's embedded engine removes that check in its own process
(``dynalab.engine._process.match_dynamodb_item_limit``) so this exact limit applies.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from dynalab.fidelity.requests import accesses, accesses_by_table
from dynalab.i18n import tr
from dynalab.models.sizing import MAX_ITEM_SIZE_BYTES, typed_item_size

__all__ = [
    "BATCH_GET_MAX_KEYS",
    "BATCH_WRITE_MAX_BYTES",
    "BATCH_WRITE_MAX_REQUESTS",
    "TRANSACTION_MAX_ACTIONS",
    "TRANSACTION_MAX_BYTES",
    "ITEM_TOO_LARGE",
    "ITEM_UPDATE_TOO_LARGE",
    "item_problem",
    "problem",
]

from dynalab.models.naming import table_name_constraint  # noqa: E402
from dynalab.models.quotas import (  # noqa: E402  (re-exported: the limits this plugin enforces)
    BATCH_GET_MAX_KEYS,
    BATCH_WRITE_MAX_BYTES,
    BATCH_WRITE_MAX_REQUESTS,
    TABLE_NAME_LENGTHS,
    TRANSACTION_MAX_ACTIONS,
    TRANSACTION_MAX_BYTES,
)

ITEM_TOO_LARGE = "Item size has exceeded the maximum allowed size"
#: UpdateItem's words for an update whose result passes 400 KB (dynalite's actions/updateItem.js; DynamoDB Local and
#: moto say the same).
ITEM_UPDATE_TOO_LARGE = "Item size to update has exceeded the maximum allowed size"


def _shown(value: Any, limit: int = 200) -> str:
    """A request value as DynamoDB's validation messages quote it (shortened: items can be 400 KB)."""
    text = json.dumps(value, separators=(",", ":"))
    return text if len(text) <= limit else text[:limit] + "..."


def _constraint(value: Any, where: str, constraint: str) -> str:
    quoted = value if isinstance(value, str) else _shown(value)
    return f"1 validation error detected: Value '{quoted}' at '{where}' failed to satisfy constraint: {constraint}"


#: Operations on a table itself, whose name's length DynamoDB checks in words of its own.
_TABLE_OPERATIONS = frozenset({"CreateTable", "DeleteTable", "DescribeTable", "UpdateTable", "DescribeTimeToLive"})
TABLE_NAME_LENGTH = "TableName must be at least 3 characters long and at most 255 characters long"


def problem(operation: str, request: dict, size: Any = None) -> str | None:
    """DynamoDB's message for the first size or count limit this request breaks, or None (``size``: how to size an
    item, ``Call.size_of`` to size each item once per call)."""
    name = request.get("TableName")
    if isinstance(name, str):
        if operation in _TABLE_OPERATIONS and not TABLE_NAME_LENGTHS[0] <= len(name) <= TABLE_NAME_LENGTHS[1]:
            return TABLE_NAME_LENGTH
        message = _table_name_problem(name, "tableName")
        if message:
            return message
    check = _CHECKS.get(operation)
    return check(request, size or typed_item_size) if check else None


@lru_cache(maxsize=1024)
def _table_name_problem(name: str, where: str) -> str | None:
    constraint = table_name_constraint(name)  # the one table-name rule (models/naming.py), in DynamoDB's wording
    return _constraint(name, where, constraint) if constraint else None


def _size(item: Any, size: Any = typed_item_size) -> int:
    """The item's size, or 0 for an item DynamoDB refuses on its values (an empty set, a number out of range...):
    the engine answers that with AWS's own ValidationException, which the learner's code may catch as AWS's."""
    try:
        return size(item) or 0
    except (TypeError, ValueError):
        return 0


def item_problem(item: Any, size: Any = typed_item_size) -> str | None:
    """DynamoDB's message for an item past 400 KB, or None."""
    if isinstance(item, dict) and _size(item, size) > MAX_ITEM_SIZE_BYTES:
        return ITEM_TOO_LARGE
    return None


def _put_item(request: dict, size: Any) -> str | None:
    return item_problem(request.get("Item"), size)


def _batch_write_problem(request: dict, size: Any) -> str | None:
    by_table = accesses_by_table("BatchWriteItem", request)
    for table, writes in (request.get("RequestItems") or {}).items():
        message = _table_name_problem(table, "requestItems")
        if message:
            return message
        if len(writes) > BATCH_WRITE_MAX_REQUESTS:
            return _constraint(
                {table: writes}, "requestItems",
                f"Map value must satisfy constraint: [Member must have length less than or equal to "
                f"{BATCH_WRITE_MAX_REQUESTS}, Member must have length greater than or equal to 1]",
            )
    total_bytes = 0
    for access in (a for table_accesses in by_table.values() for a in table_accesses):
        if access.item is not None:
            message = item_problem(access.item, size)
            if message:
                return message
            total_bytes += _size(access.item, size)
    if sum(len(writes) for writes in (request.get("RequestItems") or {}).values()) > BATCH_WRITE_MAX_REQUESTS:
        return "Too many items requested for the BatchWriteItem call"
    if total_bytes > BATCH_WRITE_MAX_BYTES:
        return tr("Too much data in the BatchWriteItem call: {size:,} B of items, the limit is 16 MB", size=total_bytes)
    return None


def _batch_get(request: dict, size: Any) -> str | None:
    for table, spec in (request.get("RequestItems") or {}).items():
        message = _table_name_problem(table, "requestItems")
        if message:
            return message
        keys = (spec or {}).get("Keys") or []
        if len(keys) > BATCH_GET_MAX_KEYS:
            return _constraint(keys, f"requestItems.{table}.member.keys",
                               f"Member must have length less than or equal to {BATCH_GET_MAX_KEYS}")
    if len(accesses("BatchGetItem", request)) > BATCH_GET_MAX_KEYS:
        return "Too many items requested for the BatchGetItem call"
    return None


def _transaction(request: dict, size: Any) -> str | None:
    actions = request.get("TransactItems") or []
    if len(actions) > TRANSACTION_MAX_ACTIONS:
        return _constraint(actions, "transactItems",
                           f"Member must have length less than or equal to {TRANSACTION_MAX_ACTIONS}")
    total_bytes = 0
    for access in accesses("TransactWriteItems", request):
        message = _table_name_problem(access.table, "transactItems.member.tableName")
        if message:
            return message
        if access.item is not None:
            message = item_problem(access.item, size)
            if message:
                return message
            total_bytes += _size(access.item, size)
    if total_bytes > TRANSACTION_MAX_BYTES:
        return "Transaction request cannot be larger than 4 MB"
    return None


_CHECKS = {
    "PutItem": _put_item,
    "BatchWriteItem": _batch_write_problem,
    "BatchGetItem": _batch_get,
    "TransactWriteItems": _transaction,
    "TransactGetItems": _transaction,
}
