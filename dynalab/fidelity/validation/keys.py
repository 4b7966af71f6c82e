"""Keys and items against the table's key schema (``dynalab.fidelity.catalog.TableInfo``): present, of the defined
type, not empty, within 2,048 B (partition key) and 1,024 B (sort key), and not updated; index keys of the defined
type. DynamoDB's words, as dynalite reproduces them (``node_modules/dynalite/db/index.js``: validateKey,
validateItem, validateUpdates, validateKeyPaths).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from typing import Any

from dynalab.fidelity.catalog import TableInfo
from dynalab.models.quotas import PARTITION_KEY_MAX_BYTES, SORT_KEY_MAX_BYTES

__all__ = ["KEY_MISMATCH", "item_key_problem", "key_paths_problem", "key_problem", "piece_problem",
           "update_key_problem"]

KEY_MISMATCH = "The provided key element does not match the schema"
_INVALID = "One or more parameter values were invalid: "


def _key_size(value: Any, kind: str) -> int:
    if kind == "B":
        try:
            return len(base64.b64decode(value)) if isinstance(value, str) else len(value)
        except (binascii.Error, ValueError):
            return 0
    return len(value.encode()) if isinstance(value, str) else 0


def _size_problem(value: Any, kind: str, is_partition: bool) -> str | None:
    if kind == "N":
        return None
    size = _key_size(value, kind)
    if is_partition and size > PARTITION_KEY_MAX_BYTES:
        return _INVALID + f"Size of hashkey has exceeded the maximum size limit of{PARTITION_KEY_MAX_BYTES} bytes"
    if not is_partition and size > SORT_KEY_MAX_BYTES:
        return _INVALID + f"Aggregated size of all range keys has exceeded the size limit of {SORT_KEY_MAX_BYTES} bytes"
    return None


def _schema(info: TableInfo, key_attributes: Iterable[str] | None = None) -> list[tuple[str, str, bool]]:
    names = tuple(key_attributes) if key_attributes is not None else info.key_attributes
    return [(name, info.attribute_types.get(name, "S"), index == 0) for index, name in enumerate(names)]


def piece_problem(key: Mapping[str, Any], name: str, kind: str, is_partition: bool) -> str | None:
    """DynamoDB's message for one key attribute of a Key (missing, mistyped, empty, too large), or None."""
    value = key.get(name)
    if not isinstance(value, Mapping) or kind not in value:
        return KEY_MISMATCH
    if value[kind] in ("", b"") and kind in ("S", "B"):
        return (_INVALID + "The AttributeValue for a key attribute cannot contain an empty "
                f"{'string' if kind == 'S' else 'binary'} value. Key: {name}")
    return _size_problem(value[kind], kind, is_partition)


def key_problem(key: Any, info: TableInfo, key_attributes: Iterable[str] | None = None) -> str | None:
    """DynamoDB's message for a Key that does not name exactly one item of the table (or of an index's schema)."""
    schema = _schema(info, key_attributes)
    if not isinstance(key, Mapping) or len(key) != len(schema):
        return KEY_MISMATCH
    for name, kind, is_partition in schema:
        message = piece_problem(key, name, kind, is_partition)
        if message:
            return message
    return None


def item_key_problem(item: Any, info: TableInfo) -> str | None:
    """DynamoDB's message for an item whose key (or an index key it carries) breaks the schema."""
    if not isinstance(item, Mapping):
        return None
    for name, kind, is_partition in _schema(info):
        value = item.get(name)
        if not isinstance(value, Mapping):
            return _INVALID + f"Missing the key {name} in the item"
        if kind not in value:
            actual = next(iter(value), "")
            return _INVALID + f"Type mismatch for key {name} expected: {kind} actual: {actual}"
        if value[kind] in ("", b"") and kind in ("S", "B"):
            return ("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain "
                    f"an empty {'string' if kind == 'S' else 'binary'} value. Key: {name}")
        message = _size_problem(value[kind], kind, is_partition)
        if message:
            return message
    return _index_key_problem(item, info)


def _index_keys(info: TableInfo) -> Iterable[tuple[str, str, str]]:
    """(attribute, type, index name) of each index key attribute: GSIs' keys, then LSIs' sort keys."""
    for index in info.indexes:
        if index.is_global:
            for name in index.key_attributes:
                yield name, info.attribute_types.get(name, "S"), index.name
    for index in info.indexes:
        if not index.is_global and len(index.key_attributes) > 1:
            name = index.key_attributes[1]
            yield name, info.attribute_types.get(name, "S"), index.name


def _index_type_problem(name: str, kind: str, actual: str, index_name: str) -> str:
    return _INVALID + f"Type mismatch for Index Key {name} Expected: {kind} Actual: {actual} IndexName: {index_name}"


def _index_key_problem(item: Mapping[str, Any], info: TableInfo) -> str | None:
    for name, kind, index_name in _index_keys(info):
        value = item.get(name)
        if isinstance(value, Mapping) and kind not in value:
            actual = next(iter(value), "")
            return _index_type_problem(name, kind, actual, index_name)
        if isinstance(value, Mapping) and value.get(kind) in ("", b"") and kind in ("S", "B"):
            return ("One or more parameter values are not valid. A value specified for a secondary index key is not "
                    "supported. The AttributeValue for a key attribute cannot contain an empty string value. "
                    f"IndexName: {index_name}, IndexKey: {name}")
    return None


def update_key_problem(request: Mapping[str, Any], targets: Iterable[tuple[tuple, str | None]],
                       info: TableInfo) -> str | None:
    """DynamoDB's message for an update that writes a key attribute, gives an index key the wrong type, or reaches
    into a key attribute's (impossible) inside."""
    targets = list(targets)
    legacy = request.get("AttributeUpdates") or {}
    for name in info.key_attributes:
        if any(path and path[0] == name for path, _ in targets) or name in legacy:
            return _INVALID + f"Cannot update attribute {name}. This attribute is part of the key"
    for name, kind, index_name in _index_keys(info):
        actual = next((found for path, found in targets if len(path) == 1 and path[0] == name), None)
        if actual is None and name in legacy and isinstance(legacy[name].get("Value"), Mapping):
            actual = next(iter(legacy[name]["Value"]), None)
        if actual is not None and actual != kind:
            return _index_type_problem(name, kind, actual, index_name)
    return key_paths_problem({path[0] for path, _ in targets if len(path) > 1 and path and path[0]}, info)


def key_paths_problem(nested_heads: Iterable[str], info: TableInfo) -> str | None:
    """DynamoDB's message for an expression that reads a key attribute through a nested path (``pk.a``, ``pk[0]``)."""
    nested = set(nested_heads)
    for name in info.key_attributes:
        if name in nested:
            return ("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "
                    f"Key: {name}")
    for name, _, _ in _index_keys(info):
        if name in nested:
            return ("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: "
                    f"IndexKey: {name}")
    return None
