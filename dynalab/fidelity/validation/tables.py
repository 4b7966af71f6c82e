"""CreateTable's rules: billing mode and throughput, the key schema and its definitions, and the indexes (at most
20 GSIs and 5 LSIs a table by default: ServiceQuotas.html [src:gsi-per-table] [src:lsi-per-table]). DynamoDB's words,
as dynalite reproduces them (``node_modules/dynalite/validations/createTable.js``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dynalab.models.quotas import (
    GLOBAL_SECONDARY_INDEXES_PER_TABLE,
    GSI_MAX_PARTITION_KEY_ATTRIBUTES,
    GSI_MAX_SORT_KEY_ATTRIBUTES,
    LOCAL_SECONDARY_INDEXES_PER_TABLE,
)

__all__ = ["create_table_problem"]

_INVALID = "One or more parameter values were invalid: "
_MAX_THROUGHPUT = 1_000_000_000_000


def _names(parts: Any) -> list[str]:
    return [part.get("AttributeName") for part in parts or [] if isinstance(part, Mapping)]


def _throughput_problem(request: Mapping[str, Any]) -> str | None:
    throughput = request.get("ProvisionedThroughput")
    if request.get("BillingMode") == "PAY_PER_REQUEST":
        if throughput:
            return (_INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is "
                    "PAY_PER_REQUEST")
        return None
    if not throughput or not throughput.get("ReadCapacityUnits") or not throughput.get("WriteCapacityUnits"):
        return (_INVALID + "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is "
                "PROVISIONED")
    for name in ("ReadCapacityUnits", "WriteCapacityUnits"):
        if throughput[name] > _MAX_THROUGHPUT:
            return f"Given value {throughput[name]} for {name} is out of bounds"
    return None


def _schema_problem(schema: Sequence[Mapping[str, Any]], defined: list[str], *, global_index: bool = False
                    ) -> str | None:
    """A key schema's problem: a table's or an LSI's is HASH then RANGE; a GSI's may hold several of each
    (multi-attribute keys [src:gsi-multi-attribute-keys]), its HASH elements first."""
    keys = _names(schema)
    if keys and any(key not in defined for key in keys):
        return (_INVALID + "Some index key attributes are not defined in AttributeDefinitions. "
                f"Keys: [{', '.join(keys)}], AttributeDefinitions: [{', '.join(defined)}]")
    if len(keys) > 1 and (keys[0] == keys[1] or len(set(keys)) != len(keys)):
        return "Both the Hash Key and the Range Key element in the KeySchema have the same name"
    if schema and schema[0].get("KeyType") != "HASH":
        return "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"
    if global_index:
        return _multi_attribute_problem([part.get("KeyType") for part in schema])
    if len(schema) > 1 and schema[1].get("KeyType") != "RANGE":
        return "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type"
    return None


def _multi_attribute_problem(kinds: list[Any]) -> str | None:
    """A GSI key: 1 to 4 HASH elements, then 0 to 4 RANGE elements (dynalab's words: AWS documents the rule, not the
    message)."""
    hashes = next((position for position, kind in enumerate(kinds) if kind != "HASH"), len(kinds))
    if kinds[hashes:].count("RANGE") != len(kinds) - hashes or hashes > GSI_MAX_PARTITION_KEY_ATTRIBUTES \
            or len(kinds) - hashes > GSI_MAX_SORT_KEY_ATTRIBUTES:
        return (_INVALID + f"Invalid KeySchema: a global secondary index key has 1 to "
                f"{GSI_MAX_PARTITION_KEY_ATTRIBUTES} HASH elements, then 0 to {GSI_MAX_SORT_KEY_ATTRIBUTES} RANGE "
                "elements")
    return None


def _projection_problem(index: Mapping[str, Any]) -> str | None:
    projection = index.get("Projection") or {}
    kind = projection.get("ProjectionType")
    if kind is None:
        return _INVALID + "Unknown ProjectionType: null"
    if projection.get("NonKeyAttributes") and kind != "INCLUDE":
        return _INVALID + f"ProjectionType is {kind}, but NonKeyAttributes is specified"
    return None


def _local_problem(request: Mapping[str, Any], defined: list[str], seen: set[str]) -> str | None:
    indexes = request.get("LocalSecondaryIndexes")
    if indexes is None:
        return None
    schema = request.get("KeySchema") or []
    if not indexes:
        return _INVALID + "List of LocalSecondaryIndexes is empty"
    if len(schema) != 2:
        return (_INVALID + "Table KeySchema does not have a range key, which is required when specifying a "
                "LocalSecondaryIndex")
    table_partition = schema[0].get("AttributeName")
    for index in indexes:
        name, keys = index.get("IndexName"), index.get("KeySchema") or []
        message = _schema_problem(keys, defined)
        if message:
            return message
        if len(keys) != 2:
            return _INVALID + f"Index KeySchema does not have a range key for index: {name}"
        if keys[0].get("AttributeName") != table_partition:
            return (_INVALID + f"Index KeySchema does not have the same leading hash key as table KeySchema for index: "
                    f"{name}. index hash key: {keys[0].get('AttributeName')}, table hash key: {table_partition}")
        message = _projection_problem(index)
        if message:
            return message
        if name in seen:
            return _INVALID + f"Duplicate index name: {name}"
        seen.add(name)
    if len(indexes) > LOCAL_SECONDARY_INDEXES_PER_TABLE:
        return (_INVALID + "Number of LocalSecondaryIndexes exceeds per-table limit of "
                f"{LOCAL_SECONDARY_INDEXES_PER_TABLE}")
    return None


def _global_problem(request: Mapping[str, Any], defined: list[str], seen: set[str]) -> str | None:
    indexes = request.get("GlobalSecondaryIndexes")
    if indexes is None:
        return None
    if not indexes:
        return _INVALID + "List of GlobalSecondaryIndexes is empty"
    for index in indexes:
        name = index.get("IndexName")
        message = _schema_problem(index.get("KeySchema") or [], defined, global_index=True) \
            or _projection_problem(index)
        if message:
            return message
        if request.get("BillingMode") == "PAY_PER_REQUEST" and index.get("ProvisionedThroughput"):
            return (_INVALID + f"ProvisionedThroughput should not be specified for index: {name} when BillingMode is "
                    "PAY_PER_REQUEST")
        if name in seen:
            return _INVALID + f"Duplicate index name: {name}"
        seen.add(name)
    if len(indexes) > GLOBAL_SECONDARY_INDEXES_PER_TABLE:
        return (_INVALID + "GlobalSecondaryIndex count exceeds the per-table limit of "
                f"{GLOBAL_SECONDARY_INDEXES_PER_TABLE}")
    return None


def create_table_problem(request: Mapping[str, Any]) -> str | None:
    """DynamoDB's message for a CreateTable it refuses, or None."""
    message = _throughput_problem(request)
    if message:
        return message
    defined = _names(request.get("AttributeDefinitions"))
    schema = request.get("KeySchema") or []
    keys = _names(schema)
    if len(keys) > len(defined):
        return "Invalid KeySchema: Some index key attribute have no definition"
    message = _schema_problem(schema, defined)
    if message:
        return message
    if request.get("LocalSecondaryIndexes") is None and request.get("GlobalSecondaryIndexes") is None \
            and len(schema) != len(defined):
        return (_INVALID + "Number of attributes in KeySchema does not exactly match number of attributes defined in "
                "AttributeDefinitions")
    seen: set[str] = set()
    return _local_problem(request, defined, seen) or _global_problem(request, defined, seen)
