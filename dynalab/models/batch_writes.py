"""BatchWriteItem's rules, pure: how writes are grouped into calls, how long to wait before sending the
unprocessed ones again, and what DynamoDB refuses in a call (a number outside its range, a missing or mistyped
key, two writes to one key), said about the one write that breaks the rule.

A *write* is ``(table name, request)`` with the request in BatchWriteItem's typed form:
``{"PutRequest": {"Item": {...}}}`` or ``{"DeleteRequest": {"Key": {...}}}``. A *key schema* is a sequence of
``(attribute name, attribute type, key type)``, e.g. ``[("pk", "S", "HASH"), ("sk", "N", "RANGE")]``.
``dynalab.engine.tables.batch_write`` sends the calls; nothing here needs an engine.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from dynalab.i18n import N_, tr
from dynalab.models import checks
from dynalab.models.quotas import (
    BATCH_WRITE_MAX_BYTES,
    BATCH_WRITE_MAX_REQUESTS,
    MAX_ITEM_SIZE_BYTES,
    MAX_NUMBER_DIGITS,
    NUMBER_MAX_MAGNITUDE,
    NUMBER_MIN_MAGNITUDE,
    PARTITION_KEY_MAX_BYTES,
    SORT_KEY_MAX_BYTES,
)
from dynalab.models.sizing import typed_item_size

__all__ = ["backoff_seconds", "duplicate_keys", "group_calls", "number_problem", "plain_value",
           "request_problem", "request_size_bytes"]

KeySchema = Sequence[tuple[str, str, str]]


# ------------------------------------------------------------------------------------------------ grouping
def _body(request: Mapping[str, Any]) -> tuple[str, Mapping[str, Any]]:
    """("Item", item) of a PutRequest or ("Key", key) of a DeleteRequest; ValueError for anything else."""
    if isinstance(request, Mapping) and len(request) == 1:
        if isinstance(request.get("PutRequest"), Mapping) and isinstance(request["PutRequest"].get("Item"), Mapping):
            return "Item", request["PutRequest"]["Item"]
        if isinstance(request.get("DeleteRequest"), Mapping) and isinstance(request["DeleteRequest"].get("Key"),
                                                                            Mapping):
            return "Key", request["DeleteRequest"]["Key"]
    raise ValueError(tr("a BatchWriteItem request is {{'PutRequest': {{'Item': ...}}}} or {{'DeleteRequest': "
                        "{{'Key': ...}}}}, got {request}", request=str(request)[:120]))


def request_size_bytes(request: Mapping[str, Any]) -> int:
    """The DynamoDB size of what a request carries (the item put, or the key deleted): what the 16 MB cap counts."""
    return typed_item_size(_body(request)[1])


def group_calls(writes: Sequence[tuple[str, Mapping[str, Any]]], max_requests: int = BATCH_WRITE_MAX_REQUESTS,
                max_bytes: int = BATCH_WRITE_MAX_BYTES) -> Iterator[list[int]]:
    """The writes' indices, in order, cut into calls of at most 25 requests and 16 MB (ServiceQuotas.html)."""
    call: list[int] = []
    call_bytes = 0
    for index, (_, request) in enumerate(writes):
        size = request_size_bytes(request)
        if call and (len(call) == max_requests or call_bytes + size > max_bytes):
            yield call
            call, call_bytes = [], 0
        call.append(index)
        call_bytes += size
    if call:
        yield call


def backoff_seconds(attempt: int, base_delay_seconds: float = 0.05) -> float:
    """The wait before resend number ``attempt`` (1, 2, ...) [src:retry-exponential-backoff]: 50 ms, 100 ms, 200 ms,
    ... doubling, as the AWS
    SDKs back off (Programming.Errors.html, "Error retries and exponential backoff")."""
    checks.number("attempt", attempt, low=1, high=1000, integer=True)  # 2 ** 10**30 would never end
    checks.number("base_delay_seconds", base_delay_seconds, low=0, high=10, unit=N_("seconds"))
    return base_delay_seconds * 2 ** (attempt - 1)


# ------------------------------------------------------------------------------------------------- numbers
_RANGE = N_("a magnitude from {low} to {high}, or 0")


def _range() -> str:
    return tr(_RANGE, low=NUMBER_MIN_MAGNITUDE, high=NUMBER_MAX_MAGNITUDE)


def number_problem(value: int | float | Decimal) -> str | None:
    """What DynamoDB refuses in this number (NaN or infinity, over 38 significant digits, a magnitude outside
    1E-130 to 9.99...E+125), or None. A float is read as the shortest text that gives it back (0.1, not
    0.1000000000000000055...)."""
    shown = repr(value)
    if isinstance(value, float) and not math.isfinite(value):
        return tr("{shown} is not a number DynamoDB can store (NaN and infinity are not); numbers have {range}",
                  shown=shown, range=_range())
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        return tr("{shown} is not a number DynamoDB can store (NaN and infinity are not); numbers have {range}",
                  shown=shown, range=_range())
    if number.is_zero():
        return None
    digits = "".join(map(str, number.as_tuple().digits)).strip("0")
    if len(digits) > MAX_NUMBER_DIGITS:
        return tr("{shown} has {count} significant digits; DynamoDB keeps at most {limit}", shown=shown,
                  count=len(digits), limit=MAX_NUMBER_DIGITS)
    if not NUMBER_MIN_MAGNITUDE <= number.copy_abs() <= NUMBER_MAX_MAGNITUDE:  # copy_abs: exact, no rounding
        return tr("{shown} is outside DynamoDB's number range: numbers have {range}", shown=shown, range=_range())
    return None


def plain_value(value: Any, where: str = "value") -> Any:
    """A resource-style Python value ready for boto3's serializer: floats become Decimals (boto3 refuses floats),
    every number is checked against DynamoDB's rules (ValueError naming ``where``), nested values too."""
    if isinstance(value, bool) or value is None or isinstance(value, str | bytes | bytearray):
        return value
    if isinstance(value, int | float | Decimal):
        problem = number_problem(value)
        if problem:
            raise ValueError(f"{where}: {problem}")
        return Decimal(repr(value)) if isinstance(value, float) else value
    if isinstance(value, Mapping):
        return {name: plain_value(inner, f"{where}.{name}") for name, inner in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(inner, f"{where}[{n}]") for n, inner in enumerate(value)]
    if isinstance(value, set | frozenset):
        if not value:
            raise ValueError(tr("{where}: DynamoDB has no empty sets (leave the attribute out instead)", where=where))
        return {plain_value(inner, tr("{where} element", where=where)) for inner in value}
    return value  # anything else: boto3's serializer says what it cannot store


# ---------------------------------------------------------------------------------------------------- keys
def _key_value(body: Mapping[str, Any], name: str, attribute_type: str, key_type: str) -> tuple[Any, str | None]:
    if name not in body:
        return None, tr("the key attribute {name!r} is missing", name=name)
    value = body[name]
    actual = next(iter(value), None) if isinstance(value, Mapping) and len(value) == 1 else None
    if actual != attribute_type:
        return None, tr("the key attribute {name!r} must be of type {attribute_type}, got {actual}", name=name,
                        attribute_type=attribute_type, actual=actual or repr(value))
    inner = value[actual]
    size = len(inner.encode()) if isinstance(inner, str) else len(inner) if isinstance(inner, bytes | bytearray) else 1
    limit = PARTITION_KEY_MAX_BYTES if key_type == "HASH" else SORT_KEY_MAX_BYTES
    if not 1 <= size <= limit:
        if key_type == "HASH":
            return None, tr("the partition key {name!r} is {size} B; a partition key value takes 1 to {limit:,} B",
                            name=name, size=size, limit=limit)
        return None, tr("the sort key {name!r} is {size} B; a sort key value takes 1 to {limit:,} B", name=name,
                        size=size, limit=limit)
    return (actual, inner), None


def request_problem(request: Mapping[str, Any], key_schema: KeySchema) -> str | None:
    """What DynamoDB refuses in one write of a call, given the table's key schema, or None: a missing or mistyped
    key, a key value empty or too long, a deleted key with other attributes, an item over 400 KB."""
    try:
        part, body = _body(request)
    except ValueError as error:
        return str(error)
    for name, attribute_type, key_type in key_schema:
        _, problem = _key_value(body, name, attribute_type, key_type)
        if problem:
            return problem
    if part == "Key" and len(body) != len(key_schema):
        extra = sorted(set(body) - {name for name, _, _ in key_schema})
        return tr("a DeleteRequest's Key holds the key attributes only, got also {extra}", extra=extra)
    if part == "Item" and (size := typed_item_size(body)) > MAX_ITEM_SIZE_BYTES:
        return tr("the item is {size:,} B; an item takes at most {limit:,} B (400 KB)", size=size,
                  limit=MAX_ITEM_SIZE_BYTES)
    return None


def duplicate_keys(requests: Sequence[Mapping[str, Any]], key_schema: KeySchema) -> tuple[int, int] | None:
    """The positions of the first two requests of one call (one table) that write the same key, or None:
    BatchWriteItem refuses the whole call then ("Provided list of item keys contains duplicates")."""
    seen: dict[Any, int] = {}
    for position, request in enumerate(requests):
        try:
            _, body = _body(request)
        except ValueError:
            continue
        key = tuple(_key_value(body, *element)[0] for element in key_schema)
        if None in key:
            continue
        if key in seen:
            return seen[key], position
        seen[key] = position
    return None
