"""The constraints of the API's own model (botocore's service model: lengths, ranges, enums), as DynamoDB checks
them on the server: botocore checks only minimums on the client, so ``Limit=1001`` [src:streams-get-records-limit],
26 PartiQL statements in a batch [src:partiql-batch-statements] or a Scan in 1,000,001 segments
[src:scan-total-segments] leave the kernel. DynamoDB's words: "1 validation error detected: Value '1001' at 'limit'
failed to satisfy constraint: Member must have value less than or equal to 1000" (the shape dynalite reproduces,
``node_modules/dynalite/validations/index.js``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, NamedTuple

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


class _Member(NamedTuple):
    """One top-level parameter's constraints, read once per operation from the model."""

    name: str
    where: str
    kind: str
    low: int | None
    high: int | None
    enum: tuple[str, ...] | None


def _members(operation: str, model: Any) -> tuple[_Member, ...]:
    found = _MEMBERS.get(operation)
    if found is None:
        found = []
        for name, member in model.input_shape.members.items():
            metadata = {**getattr(member, "metadata", {}), **_EXTRA.get((operation, name), {})}
            if name in _SKIPPED or not ({"min", "max", "enum"} & set(metadata)):
                continue
            enum = metadata.get("enum")
            found.append(_Member(name, _lower_first(name), member.type_name, metadata.get("min"), metadata.get("max"),
                                 tuple(_ENUM_ORDER.get(frozenset(enum), enum)) if enum else None))
        found = _MEMBERS[operation] = tuple(found)
    return found


_MEMBERS: dict[str, tuple[_Member, ...]] = {}


def _member_problems(member: _Member, value: Any) -> list[str]:
    found: list[str] = []
    if member.kind in ("integer", "long"):
        if isinstance(value, int) and not isinstance(value, bool):
            if member.low is not None and value < member.low:
                found.append(constraint_text(value, member.where, f"Member must have value greater than or equal to "
                                                                  f"{member.low}"))
            if member.high is not None and value > member.high:
                found.append(constraint_text(value, member.where, f"Member must have value less than or equal to "
                                                                  f"{member.high}"))
        return found
    if member.enum and isinstance(value, str) and value not in member.enum:
        found.append(constraint_text(value, member.where, f"Member must satisfy enum value set: "
                                                          f"[{', '.join(member.enum)}]"))
    if member.kind in ("string", "list", "map") and isinstance(value, str | list | Mapping):
        if member.low is not None and len(value) < member.low:
            found.append(constraint_text(value, member.where, f"Member must have length greater than or equal to "
                                                              f"{member.low}"))
        if member.high is not None and len(value) > member.high:
            found.append(constraint_text(value, member.where, f"Member must have length less than or equal to "
                                                              f"{member.high}"))
    return found


def constraints_problem(operation: str, request: Mapping[str, Any], model: Any) -> str | None:
    """DynamoDB's message for the top-level parameters that break the operation's constraints, or None."""
    if getattr(model, "input_shape", None) is None:
        return None
    errors: list[str] = []
    for member in _members(operation, model):
        if member.name in request:
            errors.extend(_member_problems(member, request[member.name]))
    if not errors:
        return None
    errors = errors[:_MAX_ERRORS]
    plural = "s" if len(errors) > 1 else ""
    return f"{len(errors)} validation error{plural} detected: " + "; ".join(errors)
