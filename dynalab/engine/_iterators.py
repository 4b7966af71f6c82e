"""The embedded engine's shard iterators: tokens that say where they point, so keeping them costs the engine nothing.

Runs inside the engine process (``_process.main()`` calls ``install``). moto stores every iterator it issues (a
700-character id and an object; each GetRecords issues the next one), so at DynamoDB's 15-minute lifetime a poller
kept ~2.1 KB alive per poll (+42 MB over 20,000 polls). Here, as DynamoDB's opaque tokens do, an iterator carries its
stream, shard, position and issue time: ``<stream ARN>|1|<base64: shard id, next sequence number, issue time, MAC>``.
Nothing is stored; GetRecords decodes the token, reads from its position and answers the next token. A token expires
``lifetime_seconds`` after it was issued (ExpiredIteratorException, DynamoDB's 15 minutes
[src:shard-iterator-15-minutes]); one this engine did not issue (altered, cut short, or from an engine since
restarted: the MAC's key is new in each engine) is refused as invalid. A stream whose table was deleted or
re-created is gone from this engine: ResourceNotFoundException (DynamoDB keeps a disabled stream readable for 24
hours; moto keeps nothing of a deleted table).

A malformed request is refused at once with DynamoDB's ValidationException (moto answered an
AFTER_SEQUENCE_NUMBER without a sequence number with HTTP 500 after botocore's retries, ~10 s): the length and
value constraints of the API reference [src:streams-request-lengths] [src:streams-get-records-limit] in AWS's
constraint wording ("1 validation error detected: Value ... at 'limit' failed to satisfy constraint: ..."), the
exception messages of DynamoDB Streams' service model [src:streams-expired-iterator-message], and for the rest the
words AWS's DynamoDB Local answers ("Invalid ShardIterator", "Invalid SequenceNumber for the shard", "Limit should be
less than or equal to 1000"). Where neither has words (a sequence number missing for its iterator type), the message
says plainly what is wrong. dynalite has no streams to compare with.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import datetime
import hashlib
import hmac
import os
import re
import time
from typing import Any

from dynalab.models.quotas import (
    GET_RECORDS_MAX_RECORDS,
    GET_RECORDS_MIN_LIMIT,
    SEQUENCE_NUMBER_LENGTH_RANGE,
    SHARD_ID_LENGTH_RANGE,
    SHARD_ITERATOR_LENGTH_RANGE,
    STREAM_ARN_LENGTH_RANGE,
)

#: ShardIteratorType's values (botocore's DynamoDB Streams model, 2026-12).
#: AT_TIMESTAMP starts at the first record at or after the timestamp [src:streams-at-timestamp].
ITERATOR_TYPES = ("TRIM_HORIZON", "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER", "AT_TIMESTAMP")
_LENGTHS = {"StreamArn": STREAM_ARN_LENGTH_RANGE, "ShardId": SHARD_ID_LENGTH_RANGE,
            "SequenceNumber": SEQUENCE_NUMBER_LENGTH_RANGE, "ShardIterator": SHARD_ITERATOR_LENGTH_RANGE}
_TOKEN_VERSION = "1"
_MAC_BYTES = 16
#: The messages of DynamoDB Streams' service model for these exceptions.
EXPIRED = "The provided iterator exceeds the maximum age allowed."
TRIMMED = "The data you are trying to access has been trimmed."
#: DynamoDB Local's answer to a token it cannot read.
INVALID_ITERATOR = "Invalid ShardIterator"


class IteratorRefused(Exception):
    """A request DynamoDB Streams refuses: ``code`` (the exception's name) and DynamoDB's ``message``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _constraint(value: Any, member: str, constraint: str) -> IteratorRefused:
    shown = "null" if value is None else f"'{value}'"
    return IteratorRefused("ValidationException", f"1 validation error detected: Value {shown} at '{member}' failed "
                                                  f"to satisfy constraint: {constraint}")


def _member(name: str) -> str:
    return name[0].lower() + name[1:]  # AWS names a member in camel case in its validation messages


def _checked_string(request: dict, name: str, required: bool = True) -> str | None:
    value = request.get(name)
    if value is None:
        if required:
            raise _constraint(None, _member(name), "Member must not be null")
        return None
    if not isinstance(value, str):
        raise _constraint(value, _member(name), "Member must be a string")
    low, high = _LENGTHS[name]
    if len(value) < low:
        raise _constraint(value, _member(name), f"Member must have length greater than or equal to {low}")
    if len(value) > high:
        raise _constraint(value[:64] + "...", _member(name), f"Member must have length less than or equal to {high}")
    return value


class IteratorCodec:
    """Issues and reads the tokens of one engine: a key of its own signs them, the monotonic clock dates them."""

    def __init__(self, lifetime_seconds: float, key: bytes | None = None) -> None:
        self.lifetime_seconds = lifetime_seconds
        self.key = key if key is not None else os.urandom(32)

    def _mac(self, stream_arn: str, body: bytes) -> bytes:
        return hmac.new(self.key, stream_arn.encode() + b"|" + body, hashlib.sha256).digest()[:_MAC_BYTES]

    def encode(self, stream_arn: str, shard_id: str, position: int, now: float | None = None) -> str:
        issued_ms = int((time.monotonic() if now is None else now) * 1000)
        body = f"{shard_id}|{position}|{issued_ms}".encode()
        return f"{stream_arn}|{_TOKEN_VERSION}|{base64.b64encode(body + self._mac(stream_arn, body)).decode()}"

    def decode(self, token: str, now: float | None = None) -> tuple[str, str, int]:
        """(stream ARN, shard id, next sequence number) of a token this engine issued and that has not expired."""
        parts = token.split("|")
        if len(parts) != 3 or parts[1] != _TOKEN_VERSION:
            raise IteratorRefused("ValidationException", INVALID_ITERATOR)
        stream_arn = parts[0]
        try:
            raw = base64.b64decode(parts[2], validate=True)
        except (binascii.Error, ValueError):
            raise IteratorRefused("ValidationException", INVALID_ITERATOR) from None
        body, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
        if not body or not hmac.compare_digest(mac, self._mac(stream_arn, body)):
            raise IteratorRefused("ValidationException", INVALID_ITERATOR)
        shard_id, position, issued_ms = body.decode().split("|")
        age_seconds = (time.monotonic() if now is None else now) - int(issued_ms) / 1000
        if age_seconds > self.lifetime_seconds:
            raise IteratorRefused("ExpiredIteratorException", EXPIRED)
        return stream_arn, shard_id, int(position)


def check_get_shard_iterator(request: dict) -> dict:
    """GetShardIterator's parameters, checked as DynamoDB checks them before it looks for the stream."""
    stream_arn = _checked_string(request, "StreamArn")
    shard_id = _checked_string(request, "ShardId")
    kind = request.get("ShardIteratorType")
    if kind not in ITERATOR_TYPES:
        raise _constraint(kind, "shardIteratorType",
                          f"Member must satisfy enum value set: [{', '.join(ITERATOR_TYPES)}]")
    number = _checked_string(request, "SequenceNumber", required=False)
    needs_number = kind in ("AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER")
    if needs_number and number is None:
        raise IteratorRefused("ValidationException", f"One or more parameter values were invalid: ShardIteratorType "
                                                     f"{kind} needs a SequenceNumber, and none was given")
    if not needs_number and number is not None:
        raise IteratorRefused("ValidationException", f"One or more parameter values were invalid: ShardIteratorType "
                                                     f"{kind} takes no SequenceNumber")
    if number is not None and not re.fullmatch(r"[0-9]+", number):
        raise IteratorRefused("ValidationException", "Invalid SequenceNumber for the shard")
    timestamp = request.get("Timestamp")
    if kind == "AT_TIMESTAMP" and timestamp is None:
        raise IteratorRefused("ValidationException", "One or more parameter values were invalid: ShardIteratorType "
                                                     "AT_TIMESTAMP needs a Timestamp, and none was given")
    if kind != "AT_TIMESTAMP" and timestamp is not None:
        raise IteratorRefused("ValidationException", f"One or more parameter values were invalid: ShardIteratorType "
                                                     f"{kind} takes no Timestamp")
    if timestamp is not None:
        if isinstance(timestamp, bool) or not isinstance(timestamp, int | float):
            raise _constraint(timestamp, "timestamp", "Member must be a timestamp")
        if timestamp > time.time():
            raise IteratorRefused("ValidationException", f"One or more parameter values were invalid: the Timestamp "
                                                         f"{timestamp} is in the future")
    return {"stream_arn": stream_arn, "shard_id": shard_id, "kind": kind,
            "sequence_number": None if number is None else int(number), "timestamp": timestamp}


def check_get_records(request: dict, codec: IteratorCodec) -> tuple[str, str, int, int]:
    """(stream ARN, shard id, position, limit) of a GetRecords request, checked in DynamoDB's order."""
    token = _checked_string(request, "ShardIterator")
    stream_arn, shard_id, position = codec.decode(token)
    limit = request.get("Limit")
    if limit is None:
        return stream_arn, shard_id, position, GET_RECORDS_MAX_RECORDS
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < GET_RECORDS_MIN_LIMIT:
        raise _constraint(limit, "limit", f"Member must have value greater than or equal to {GET_RECORDS_MIN_LIMIT}")
    if limit > GET_RECORDS_MAX_RECORDS:
        raise IteratorRefused("ValidationException", f"One or more parameter values were invalid: Limit should be "
                                                     f"less than or equal to {GET_RECORDS_MAX_RECORDS}")
    return stream_arn, shard_id, position, limit


def find_shard(dynamodb: Any, stream_arn: str, shard_id: str) -> Any:
    """moto's shard of this stream: the table's current stream must be this ARN (a table deleted or re-created
    has a new stream) and its one shard this id."""
    try:
        table_name = stream_arn.split(":", 5)[5].split("/")[1]
    except IndexError:
        table_name = None
    table = dynamodb.tables.get(table_name) if table_name else None
    shard = getattr(table, "stream_shard", None)
    if table is None or shard is None or f"{table.table_arn}/stream/{table.latest_stream_label}" != stream_arn:
        raise IteratorRefused("ResourceNotFoundException", f"Requested resource not found: Stream: {stream_arn} "
                                                           "not found")
    if shard.id != shard_id:
        raise IteratorRefused("ResourceNotFoundException", f"Requested resource not found: Shard: {shard_id} not "
                                                           f"found in stream {stream_arn}")
    return shard


def start_position(shard: Any, kind: str, sequence_number: int | None, timestamp: float | None) -> int:
    """The sequence number an iterator of this type starts reading at."""
    start, items = shard.starting_sequence_number, shard.items
    if kind == "TRIM_HORIZON":
        return start
    if kind == "LATEST":
        return start + len(items)
    if kind == "AT_TIMESTAMP":
        return start + bisect.bisect_left(items, timestamp, key=_created_at)
    if sequence_number < start:  # type: ignore[operator]
        raise IteratorRefused("ValidationException", "Invalid SequenceNumber for the shard")
    return sequence_number + (1 if kind == "AFTER_SEQUENCE_NUMBER" else 0)  # type: ignore[operator]


def _created_at(record: Any) -> float:
    created = record.to_json()["dynamodb"]["ApproximateCreationDateTime"]
    if isinstance(created, datetime.datetime):
        return (created if created.tzinfo else created.replace(tzinfo=datetime.UTC)).timestamp()
    return float(created)


def read(shard: Any, position: int, limit: int) -> tuple[list[dict], int]:
    """The records from ``position`` (at most ``limit``) and the position after them."""
    index = position - shard.starting_sequence_number
    if index < 0:
        raise IteratorRefused("TrimmedDataAccessException", TRIMMED)
    records = [record.to_json() for record in shard.items[index:index + limit]]
    return records, (int(records[-1]["dynamodb"]["SequenceNumber"]) + 1 if records else position)


def install(lifetime_seconds: float) -> None:
    """Serve GetShardIterator and GetRecords with tokens (call before ``serialize_item_operations``: the backend
    methods installed here then run under the engine's one lock like every other)."""
    from moto.core.exceptions import JsonRESTError
    from moto.core.responses import ActionResult
    from moto.dynamodbstreams.models import DynamoDBStreamsBackend
    from moto.dynamodbstreams.responses import DynamoDBStreamsHandler

    codec = IteratorCodec(lifetime_seconds)

    def get_shard_iterator(self: Any, request: dict) -> str:
        shard = find_shard(self.dynamodb, request["stream_arn"], request["shard_id"])
        position = start_position(shard, request["kind"], request["sequence_number"], request["timestamp"])
        return codec.encode(request["stream_arn"], request["shard_id"], position)

    def get_records(self: Any, stream_arn: str, shard_id: str, position: int, limit: int) -> dict:
        records, after = read(find_shard(self.dynamodb, stream_arn, shard_id), position, limit)
        return {"Records": records, "NextShardIterator": codec.encode(stream_arn, shard_id, after)}

    def answer(handler: Any, work: Any) -> Any:
        try:
            return ActionResult(work(_request(handler)))
        except IteratorRefused as refused:
            raise JsonRESTError(refused.code, refused.message) from None

    DynamoDBStreamsBackend.get_shard_iterator = get_shard_iterator  # type: ignore[method-assign,assignment]
    DynamoDBStreamsBackend.get_records = get_records  # type: ignore[method-assign,assignment]
    DynamoDBStreamsHandler.get_shard_iterator = lambda handler: answer(  # type: ignore[method-assign]
        handler, lambda request: {"ShardIterator": handler.backend.get_shard_iterator(
            check_get_shard_iterator(request))})
    DynamoDBStreamsHandler.get_records = lambda handler: answer(  # type: ignore[method-assign]
        handler, lambda request: handler.backend.get_records(*check_get_records(request, codec)))


def _request(handler: Any) -> dict:
    import json

    try:
        body = json.loads(handler.body or "{}")
    except ValueError:
        raise IteratorRefused("SerializationException", "Start of structure or map found where not expected") from None
    return body if isinstance(body, dict) else {}
