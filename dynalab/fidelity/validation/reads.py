"""Query and Scan against the table: the index, the key condition, the start key and the expressions' key paths
(dynalite's ``actions/query.js`` and ``actions/scan.js``, DynamoDB's words)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from dynalab.fidelity.catalog import TableInfo
from dynalab.fidelity.old_items import key_value
from dynalab.fidelity.validation.expression_checks import KeyCondition, Parsed
from dynalab.fidelity.validation.indexes import GSI_CONSISTENT_READ
from dynalab.fidelity.validation.keys import key_paths_problem, key_problem, piece_problem

__all__ = ["query_problem", "scan_problem"]

START_KEY_INVALID = "The provided starting key is invalid"
_NOT_INDEXABLE = frozenset({"NULL", "NOT_NULL", "NE", "CONTAINS", "NOT_CONTAINS", "IN"})


def _index_schema(request: Mapping[str, Any], info: TableInfo) -> tuple[str | None, tuple[str, ...], list[str]]:
    """(DynamoDB's message, the key schema read, the start key's attributes)."""
    start_names = list(info.key_attributes)
    name = request.get("IndexName")
    if not name:
        return None, info.key_attributes, start_names
    index = info.index(name)
    if index is None:
        return f"The table does not have the specified index: {name}", (), start_names
    if index.is_global and request.get("ConsistentRead"):
        return GSI_CONSISTENT_READ, (), start_names
    start_names += [key for key in index.key_attributes if key not in start_names]
    return None, index.key_attributes, start_names


def _select_problem(request: Mapping[str, Any], info: TableInfo) -> str | None:
    index = info.index(request.get("IndexName"))
    if index is not None and index.is_global and request.get("Select") == "ALL_ATTRIBUTES" \
            and index.projection_type != "ALL":
        return ("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global "
                f"secondary index {index.name} because its projection type is not ALL")
    return None


def _compare(operator: str, value: Mapping[str, Any] | None, operands: tuple) -> bool:
    """DynamoDB's comparison of a start key's sort key with the key condition."""
    if not isinstance(value, Mapping) or not operands or not isinstance(operands[0], Mapping):
        return False
    ((kind, inner),) = value.items()

    def ordered(x: Any) -> Any:
        return Decimal(x) if kind == "N" else x

    bounds = [operand.get(kind) for operand in operands]
    if any(bound is None for bound in bounds):
        return False
    here, first = ordered(inner), ordered(bounds[0])
    return {
        "EQ": lambda: here == first, "LT": lambda: here < first, "LE": lambda: here <= first,
        "GT": lambda: here > first, "GE": lambda: here >= first,
        "BETWEEN": lambda: len(bounds) == 2 and first <= here <= ordered(bounds[1]),
        "BEGINS_WITH": lambda: isinstance(inner, str) and inner.startswith(bounds[0]),
    }.get(operator, lambda: True)()


def _conditions_problem(schema: tuple[str, ...], conditions: Mapping[str, KeyCondition],
                        info: TableInfo) -> str | None:
    for position, name in enumerate(schema):
        is_partition = position == 0
        if is_partition and len(schema) == 1 and len(conditions) > 1:
            return "Query key condition not supported"
        condition = conditions.get(name)
        if condition is None:
            if is_partition or len(conditions) > 1:
                return f"Query condition missed key schema element: {name}"
            continue
        message = _condition_problem(name, condition, info)
        if message:
            return message
        if is_partition and condition.operator != "EQ":
            return "Query key condition not supported"
    return None


def _condition_problem(name: str, condition: KeyCondition, info: TableInfo) -> str | None:
    """One key attribute's condition: an operator a key can be searched by, values of the key's type."""
    if condition.operator in _NOT_INDEXABLE:
        return "Attempted conditional constraint is not an indexable operation"
    kind = info.attribute_types.get(name, "S")
    if any(not isinstance(value, Mapping) or kind not in value for value in condition.values):
        return "One or more parameter values were invalid: Condition parameter type does not match schema type"
    return None


def _multi_attribute_problem(partition: tuple[str, ...], sort: tuple[str, ...],
                             conditions: Mapping[str, KeyCondition], info: TableInfo) -> str | None:
    """A multi-attribute GSI key [src:gsi-multi-attribute-keys]: every partition-key attribute by equality, the
    sort-key attributes left to right, a range only on the last one named (DynamoDB's messages for a classic key)."""
    for name in partition:
        if name not in conditions:
            return f"Query condition missed key schema element: {name}"
    used = [name for name in sort if name in conditions]
    if used != list(sort[:len(used)]):
        return f"Query condition missed key schema element: {next(n for n in sort if n not in conditions)}"
    if set(conditions) - set(partition) - set(used):
        return "Query key condition not supported"
    named = (*partition, *used)
    for position, name in enumerate(named):
        condition = conditions[name]
        message = _condition_problem(name, condition, info)
        if message:
            return message
        if condition.operator != "EQ" and (name in partition or position != len(named) - 1):
            return "Query key condition not supported"
    return None


def _query_start_problem(start: Mapping[str, Any], schema: tuple[str, ...], conditions: Mapping[str, KeyCondition],
                         info: TableInfo) -> str | None:
    table_start = {name: start.get(name) for name in info.key_attributes}
    message = key_problem(table_start, info)
    if message:
        return f"{START_KEY_INVALID}: {message}"
    partition = schema[0]
    value = conditions[partition].values[0]
    same_partition = key_value(start[partition]) == key_value(value) if isinstance(value, Mapping) else False
    sort = schema[1] if len(schema) > 1 else None
    if sort is None or sort not in conditions:
        if not same_partition:
            return "The provided starting key is outside query boundaries based on provided conditions"
        return None
    condition = conditions[sort]
    if not _compare(condition.operator, start.get(sort), condition.values):
        return "The provided starting key does not match the range key predicate"
    if not same_partition:
        return "The query can return at most one row and cannot be restarted"
    return None


def query_problem(request: Mapping[str, Any], parsed: Parsed, info: TableInfo) -> str | None:
    """DynamoDB's message for a Query that does not fit the table, or None."""
    message, schema, start_names = _index_schema(request, info)
    if message:
        return message
    start = request.get("ExclusiveStartKey")
    if start is not None and len(start) != len(start_names):
        return START_KEY_INVALID
    conditions = {condition.attribute: condition for condition in parsed.key_conditions}
    if not conditions and request.get("KeyConditions"):
        return None  # the legacy KeyConditions: left to the engine
    index = info.index(request.get("IndexName"))
    partition_count = index.partition_key_count if index is not None else 1
    multi = partition_count > 1 or len(schema) > 2
    for position, name in enumerate(schema):
        if start is not None:
            if name not in start:
                return START_KEY_INVALID
            message = piece_problem(start, name, info.attribute_types.get(name, "S"), position < partition_count)
            if message:
                return message
    message = _multi_attribute_problem(schema[:partition_count], schema[partition_count:], conditions, info) \
        if multi else _conditions_problem(schema, conditions, info)
    if message:
        return message
    if start is not None and schema and schema[0] in conditions and not multi:
        message = _query_start_problem(start, schema, conditions, info)
        if message:
            return message
    message = key_paths_problem(parsed.nested_heads.get("ProjectionExpression", ()), info)
    if message:
        return message
    for name in schema:
        if name in parsed.filter_heads:
            return f"Filter Expression can only contain non-primary key attributes: Primary key attribute: {name}"
    return _select_problem(request, info) or key_paths_problem(parsed.nested_heads.get("FilterExpression", ()), info)


def scan_problem(request: Mapping[str, Any], parsed: Parsed, info: TableInfo) -> str | None:
    """DynamoDB's message for a Scan that does not fit the table, or None."""
    message, schema, start_names = _index_schema(request, info)
    if message:
        return message
    start = request.get("ExclusiveStartKey")
    indexed = bool(request.get("IndexName"))
    if start is not None and len(start) != len(start_names):
        return START_KEY_INVALID if indexed else f"{START_KEY_INVALID}: The provided key element does not match the " \
                                                 "schema"
    if indexed and start is not None:
        for position, name in enumerate(schema):
            if name not in start:
                return START_KEY_INVALID
            message = piece_problem(start, name, info.attribute_types.get(name, "S"), position == 0)
            if message:
                return message
    message = _select_problem(request, info)
    if message:
        return message
    if start is not None:
        message = key_problem({name: start.get(name) for name in info.key_attributes}, info)
        if message:
            return f"{START_KEY_INVALID}: {message}"
    return key_paths_problem(parsed.nested_heads.get("ProjectionExpression", ()), info) or \
        key_paths_problem(parsed.nested_heads.get("FilterExpression", ()), info)
