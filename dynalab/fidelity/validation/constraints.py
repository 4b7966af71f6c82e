"""The constraints of the API's own model (botocore's service model: lengths, ranges, enums), as DynamoDB checks
them on the server: botocore checks only minimums on the client, so ``Limit=1001`` or 26 PartiQL statements in a
batch leave the kernel. DynamoDB's words: "1 validation error detected: Value '1001' at 'limit' failed to satisfy
constraint: Member must have value less than or equal to 1000" (the shape dynalite reproduces,
``node_modules/dynalite/validations/index.js``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from dynalab.models.quotas import GET_RECORDS_MAX_RECORDS

__all__ = ["constraint_text", "constraints_problem"]

#: Limits DynamoDB documents that the model does not carry (API_streams_GetRecords.html: "The maximum number of
#: records to return from the shard. The upper limit is 1000").
_EXTRA = {("GetRecords", "Limit"): {"max": GET_RECORDS_MAX_RECORDS}}
#: Checked elsewhere, with DynamoDB's own rule (the model allows a 1,024-character ARN for a table's name).
_SKIPPED = frozenset({"TableName"})
_MAX_ERRORS = 10
#: The order DynamoDB lists an enum's values in its message, where it is not the model's (as dynalite records them,
#: ``node_modules/dynalite/validations/*.js``).
_ENUM_ORDER = {frozenset(order): order for order in (
    ("ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"), ("SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES",
                                                                   "ALL_PROJECTED_ATTRIBUTES"),
    ("OR", "AND"), ("SIZE", "NONE"), ("PROVISIONED", "PAY_PER_REQUEST"), ("B", "N", "S"),
    ("ALL", "INCLUDE", "KEYS_ONLY"))}


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return json.dumps(value, separators=(",", ":"))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def constraint_text(value: Any, where: str, constraint: str) -> str:
    return f"Value '{_shown(value)}' at '{where}' failed to satisfy constraint: {constraint}"


def _member_problems(name: str, value: Any, shape: Any, extra: Mapping[str, Any]) -> list[str]:
    metadata = {**getattr(shape, "metadata", {}), **extra}
    where = _lower_first(name)
    found: list[str] = []
    kind = shape.type_name
    if kind in ("integer", "long"):
        if isinstance(value, int) and not isinstance(value, bool):
            if "min" in metadata and value < metadata["min"]:
                found.append(constraint_text(value, where, f"Member must have value greater than or equal to "
                                                           f"{metadata['min']}"))
            if "max" in metadata and value > metadata["max"]:
                found.append(constraint_text(value, where, f"Member must have value less than or equal to "
                                                           f"{metadata['max']}"))
        return found
    if kind == "string" and isinstance(value, str):
        if metadata.get("enum") and value not in metadata["enum"]:
            order = _ENUM_ORDER.get(frozenset(metadata["enum"]), metadata["enum"])
            found.append(constraint_text(value, where, f"Member must satisfy enum value set: [{', '.join(order)}]"))
    if kind in ("string", "list", "map") and isinstance(value, str | list | Mapping):
        if "min" in metadata and len(value) < metadata["min"]:
            found.append(constraint_text(value, where, f"Member must have length greater than or equal to "
                                                       f"{metadata['min']}"))
        if "max" in metadata and len(value) > metadata["max"]:
            found.append(constraint_text(value, where, f"Member must have length less than or equal to "
                                                       f"{metadata['max']}"))
    return found


def constraints_problem(operation: str, request: Mapping[str, Any], model: Any) -> str | None:
    """DynamoDB's message for the top-level parameters that break the operation's constraints, or None."""
    shape = getattr(model, "input_shape", None)
    if shape is None:
        return None
    errors: list[str] = []
    for name, member in shape.members.items():
        if name in _SKIPPED or name not in request:
            continue
        errors.extend(_member_problems(name, request[name], member, _EXTRA.get((operation, name), {})))
        if len(errors) >= _MAX_ERRORS:
            break
    if not errors:
        return None
    errors = errors[:_MAX_ERRORS]
    plural = "s" if len(errors) > 1 else ""
    return f"{len(errors)} validation error{plural} detected: " + "; ".join(errors)
