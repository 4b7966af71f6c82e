"""Each data-plane operation's validation, in the order DynamoDB checks (dynalite's ``validations/<operation>.js``
then ``actions/<operation>.js``): the request's own shape first (values, expressions), then the request against
the table (its key schema, from ``dynalab.fidelity.catalog``; a table the layer cannot describe is left to the
engine, which answers ResourceNotFoundException).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from dynalab.fidelity.catalog import TableInfo
from dynalab.fidelity.old_items import item_key
from dynalab.fidelity.validation import values
from dynalab.fidelity.validation.expression_checks import Parsed, expressions_problem, parameters_problem
from dynalab.fidelity.validation.keys import (
    KEY_MISMATCH,
    item_key_problem,
    key_paths_problem,
    key_problem,
    update_key_problem,
)
from dynalab.fidelity.validation.reads import query_problem, scan_problem
from dynalab.models.quotas import BATCH_GET_MAX_KEYS

__all__ = ["CHECKS", "TRANSACTION_DUPLICATE"]

Info = Callable[[str], TableInfo | None]
TRANSACTION_DUPLICATE = "Transaction request cannot include multiple operations on one item"
BATCH_DUPLICATE = "Provided list of item keys contains duplicates"
_ESK_OWN_WORDS = ("contains duplicates", "number set", "numeric value", "significant digits", "number with magnitude")


def _values_problem(found: Any) -> str | None:
    return values.item_problem(found) if isinstance(found, Mapping) else None


def _duplicate_problem(names: Any) -> str | None:
    if isinstance(names, list) and len(set(names)) != len(names):
        seen: set[str] = set()
        duplicate = next(name for name in names if name in seen or seen.add(name))
        return f"One or more parameter values were invalid: Duplicate value in attribute name: {duplicate}"
    return None


def _expressions(request: Mapping[str, Any]) -> str | Parsed:
    return expressions_problem(request)


def _expressions_then_table(request: Mapping[str, Any], info: Info, check: Any) -> str | None:
    """A single-item call's last two steps: its expressions parsed (a problem is the answer), then ``check(parsed,
    table)`` against the table's description (none when the layer does not know the table)."""
    parsed = _expressions(request)
    if isinstance(parsed, str):
        return parsed
    table = info(request.get("TableName", ""))
    return check(parsed, table) if table is not None else None


# ------------------------------------------------------------------------------------------ single items


def _single_write(request: Mapping[str, Any], info: Info, field: str, check: Any) -> str | None:
    """PutItem's and DeleteItem's checks: their conditions, ``field``'s values (Item or Key), ReturnValues, the
    expressions, then ``check`` of ``field`` against the table's key schema."""
    message = parameters_problem(request, ("ConditionExpression",), ("Expected",)) \
        or _values_problem(request.get(field))
    if message:
        return message
    if request.get("ReturnValues") not in (None, "ALL_OLD", "NONE"):
        return "ReturnValues can only be ALL_OLD or NONE"
    return _expressions_then_table(request, info, lambda _parsed, table: check(request.get(field), table))


def put_item(request: Mapping[str, Any], info: Info) -> str | None:
    return _single_write(request, info, "Item", item_key_problem)


def get_item(request: Mapping[str, Any], info: Info) -> str | None:
    message = parameters_problem(request, ("ProjectionExpression",), ("AttributesToGet",)) \
        or _values_problem(request.get("Key")) or _duplicate_problem(request.get("AttributesToGet"))
    return message or _expressions_then_table(request, info, lambda parsed, table: key_problem(
        request.get("Key"), table) or key_paths_problem(parsed.nested_heads.get("ProjectionExpression", ()), table))


def delete_item(request: Mapping[str, Any], info: Info) -> str | None:
    return _single_write(request, info, "Key", key_problem)


def _attribute_updates_problem(updates: Any) -> str | None:
    for update in (updates or {}).values():
        if not isinstance(update, Mapping):
            continue
        value = update.get("Value")
        if value is not None:
            message = values.value_problem(value)
            if message:
                return message
        action = update.get("Action", "PUT")
        if value is None and action != "DELETE":
            return ("One or more parameter values were invalid: Only DELETE action is allowed when no attribute value "
                    "is specified")
        kind = next(iter(value), "") if isinstance(value, Mapping) else ""
        if value is not None and action == "DELETE" and kind not in ("SS", "NS", "BS"):
            return ("One or more parameter values were invalid: DELETE action with value is not supported for the type "
                    f"{kind}")
        if value is not None and action == "ADD" and kind not in ("L", "SS", "NS", "BS", "N"):
            return f"One or more parameter values were invalid: ADD action is not supported for the type {kind}"
    return None


def update_item(request: Mapping[str, Any], info: Info) -> str | None:
    message = parameters_problem(request, ("UpdateExpression", "ConditionExpression"),
                                 ("AttributeUpdates", "Expected")) \
        or _values_problem(request.get("Key")) or _attribute_updates_problem(request.get("AttributeUpdates"))
    return message or _expressions_then_table(request, info, lambda parsed, table: key_problem(
        request.get("Key"), table) or update_key_problem(request, parsed.update_targets, table))


# -------------------------------------------------------------------------------------------- reads


def _start_key_problem(start: Any) -> str | None:
    message = _values_problem(start)
    if message and not any(words in message for words in _ESK_OWN_WORDS):
        return f"The provided starting key is invalid: {message}"
    return message


def query(request: Mapping[str, Any], info: Info) -> str | None:
    message = parameters_problem(request, ("ProjectionExpression", "FilterExpression", "KeyConditionExpression"),
                                 ("AttributesToGet", "QueryFilter", "ConditionalOperator", "KeyConditions")) \
        or _duplicate_problem(request.get("AttributesToGet")) or _start_key_problem(request.get("ExclusiveStartKey"))
    if message:
        return message
    if request.get("KeyConditions") is None and request.get("KeyConditionExpression") is None:
        return "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request."
    parsed = _expressions(request)
    if isinstance(parsed, str):
        return parsed
    table = info(request.get("TableName", ""))
    if request.get("KeyConditionExpression") is not None and len(parsed.key_conditions) not in (1, 2):
        # a multi-attribute GSI key takes a condition per attribute, up to 8 [src:gsi-multi-attribute-keys]
        index = table.index(request.get("IndexName")) if table is not None else None
        if index is None or not index.is_global or len(parsed.key_conditions) > len(index.key_attributes):
            return "Conditions can be of length 1 or 2 only"
    return query_problem(request, parsed, table) if table is not None else None


def scan(request: Mapping[str, Any], info: Info) -> str | None:
    message = parameters_problem(request, ("ProjectionExpression", "FilterExpression"),
                                 ("AttributesToGet", "ScanFilter", "ConditionalOperator")) \
        or _duplicate_problem(request.get("AttributesToGet")) or _start_key_problem(request.get("ExclusiveStartKey"))
    if message:
        return message
    segment, total = request.get("Segment"), request.get("TotalSegments")
    if segment and total is None:
        return ("The TotalSegments parameter is required but was not present in the request when Segment parameter "
                "is present")
    if total:
        if segment is None:
            return ("The Segment parameter is required but was not present in the request when parameter "
                    "TotalSegments is present")
        if isinstance(segment, int) and isinstance(total, int) and segment >= total:
            return ("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: "
                    f"{segment} is not less than TotalSegments: {total}")
    parsed = _expressions(request)
    if isinstance(parsed, str):
        return parsed
    table = info(request.get("TableName", ""))
    return scan_problem(request, parsed, table) if table is not None else None


# ----------------------------------------------------------------------------------------- batches


def batch_get_item(request: Mapping[str, Any], info: Info) -> str | None:
    count = 0
    for spec in (request.get("RequestItems") or {}).values():
        if not isinstance(spec, Mapping):
            continue
        message = parameters_problem(spec, ("ProjectionExpression",), ("AttributesToGet",)) \
            or _duplicate_problem(spec.get("AttributesToGet"))
        if message:
            return message
        parsed = _expressions(spec)
        if isinstance(parsed, str):
            return parsed
        seen: set[tuple] = set()
        for key in spec.get("Keys") or []:
            message = _values_problem(key)
            if message:
                return message
            normal = item_key(TableInfo(tuple(sorted(key)), ()), key)
            if normal in seen:
                return BATCH_DUPLICATE
            seen.add(normal)
            count += 1
            if count > BATCH_GET_MAX_KEYS:
                return "Too many items requested for the BatchGetItem call"
    for table_name, spec in (request.get("RequestItems") or {}).items():
        table = info(table_name)
        if table is None or not isinstance(spec, Mapping):
            continue
        for key in spec.get("Keys") or []:
            message = key_problem(key, table)
            if message:
                return message
    return None


def batch_write_item(request: Mapping[str, Any], info: Info) -> str | None:
    items = request.get("RequestItems") or {}
    for writes in items.values():
        if any(isinstance(write, Mapping) and not write for write in writes or []):
            return values.TWO_TYPES
        for write in writes or []:
            body = (write.get("PutRequest") or {}).get("Item") if "PutRequest" in write else \
                (write.get("DeleteRequest") or {}).get("Key")
            message = _values_problem(body)
            if message:
                return message
    for table_name, writes in items.items():
        table = info(table_name)
        if table is None:
            continue
        seen: set[tuple] = set()
        for write in writes or []:
            if "PutRequest" in write:
                item = (write.get("PutRequest") or {}).get("Item")
                message = item_key_problem(item, table)
                if message and ("Missing the key" in message or "Type mismatch for key" in message):
                    message = KEY_MISMATCH
            else:
                item = (write.get("DeleteRequest") or {}).get("Key")
                message = key_problem(item, table)
            if message:
                return message
            normal = item_key(table, item)
            if normal in seen:
                return BATCH_DUPLICATE
            seen.add(normal)
    return None


# ------------------------------------------------------------------------------------- transactions

_TRANSACT_WRITE = {"Put": put_item, "Update": update_item, "Delete": delete_item}


def _condition_check(spec: Mapping[str, Any], info: Info) -> str | None:
    message = parameters_problem(spec, ("ConditionExpression",), ()) or _values_problem(spec.get("Key"))
    if message:
        return message
    parsed = _expressions(spec)
    if isinstance(parsed, str):
        return parsed
    table = info(spec.get("TableName", ""))
    return key_problem(spec.get("Key"), table) if table is not None else None


def _transaction(request: Mapping[str, Any], info: Info, checks: Mapping[str, Callable]) -> str | None:
    seen: set[tuple] = set()
    for entry in request.get("TransactItems") or []:
        for kind, spec in (entry or {}).items():
            check = checks.get(kind)
            if check is None or not isinstance(spec, Mapping):
                continue
            message = check({name: value for name, value in spec.items()
                             if name != "ReturnValuesOnConditionCheckFailure"}, info)
            if message:
                return message
            table = info(spec.get("TableName", ""))
            body = spec.get("Item") if kind == "Put" else spec.get("Key")
            normal = item_key(table, body) if table is not None else None
            if normal is not None:
                if (spec.get("TableName"), normal) in seen:
                    return TRANSACTION_DUPLICATE
                seen.add((spec.get("TableName"), normal))
    return None


def transact_write_items(request: Mapping[str, Any], info: Info) -> str | None:
    return _transaction(request, info, {**_TRANSACT_WRITE, "ConditionCheck": _condition_check})


def transact_get_items(request: Mapping[str, Any], info: Info) -> str | None:
    return _transaction(request, info, {"Get": get_item})


CHECKS: dict[str, Callable[[Mapping[str, Any], Info], str | None]] = {
    "PutItem": put_item, "GetItem": get_item, "DeleteItem": delete_item, "UpdateItem": update_item,
    "Query": query, "Scan": scan, "BatchGetItem": batch_get_item, "BatchWriteItem": batch_write_item,
    "TransactWriteItems": transact_write_items, "TransactGetItems": transact_get_items,
}
