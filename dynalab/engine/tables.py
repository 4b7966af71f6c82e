"""Lesson tables: create-or-reset, wait until ACTIVE, delete, and a bulk loader.

Re-running a notebook must never fail because its table exists: that "table already exists" trap is the one the
first source article meets when it restores a copy table a second day. ``create_table`` therefore deletes a
lesson table of the same name first (on AWS only tables with dynalab's prefix), then creates it afresh.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from dynalab.engine import Lab
from dynalab.engine.aws_budget import approve_load, approve_table_load
from dynalab.fidelity.limits import BATCH_WRITE_MAX_BYTES, BATCH_WRITE_MAX_REQUESTS
from dynalab.models.capacity import write_units
from dynalab.models.quotas import DEFAULT_TABLE_MAX_CAPACITY_UNITS as MAX_UNITS
from dynalab.models.sizing import typed_item_size
from dynalab.progress import Progress

__all__ = ["LoadReport", "bulk_load", "create_table", "delete_table", "ensure_table", "query_pages", "scan_items",
           "scan_pages", "table_exists", "wait_until_active"]

_KEY_TYPES = ("S", "N", "B")
#: Errors that mean "slow down": the whole call was refused, so it is retried with backoff.
_THROTTLE_CODES = ("ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded")
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def _key_schema(partition_key: tuple[str, str], sort_key: tuple[str, str] | None) -> tuple[list, list]:
    keys = [("partition_key", partition_key, "HASH")]
    if sort_key is not None:
        keys.append(("sort_key", sort_key, "RANGE"))
    schema, definitions = [], []
    for parameter, key, key_type in keys:
        if (not isinstance(key, tuple | list) or len(key) != 2 or not isinstance(key[0], str) or not key[0]
                or key[1] not in _KEY_TYPES):
            raise ValueError(
                f"{parameter} must be (attribute name, type) with type one of {', '.join(_KEY_TYPES)}; got {key!r}"
            )
        schema.append({"AttributeName": key[0], "KeyType": key_type})
        definitions.append({"AttributeName": key[0], "AttributeType": key[1]})
    return schema, definitions


def table_exists(lab: Lab, table_name: str) -> bool:
    try:
        lab.client.describe_table(TableName=table_name)
    except ClientError as error:
        if error.response["Error"]["Code"] == "ResourceNotFoundException":
            return False
        raise
    return True


def wait_until_active(lab: Lab, table_name: str, timeout_seconds: float = 300.0) -> dict:
    """Poll DescribeTable until the table is ACTIVE; return its description."""
    deadline = time.monotonic() + timeout_seconds
    delay = 0.05
    while True:
        table = lab.client.describe_table(TableName=table_name)["Table"]
        if table["TableStatus"] == "ACTIVE":
            return table
        if time.monotonic() > deadline:
            raise TimeoutError(f"table {table_name} is still {table['TableStatus']} after {timeout_seconds} s")
        time.sleep(delay)
        delay = min(delay * 2, 2.0)


def delete_table(lab: Lab, table_name: str, timeout_seconds: float = 300.0) -> bool:
    """Delete a table dynalab may own and wait until it is gone; False if there was none."""
    if not lab.owns_table(table_name):
        raise PermissionError(
            f"dynalab deletes only its own tables on AWS (names starting with {lab.table_prefix!r}); "
            f"refusing to delete {table_name!r}"
        )
    try:
        lab.client.delete_table(TableName=table_name)
    except ClientError as error:
        if error.response["Error"]["Code"] == "ResourceNotFoundException":
            return False
        raise
    deadline = time.monotonic() + timeout_seconds
    while table_exists(lab, table_name):
        if time.monotonic() > deadline:
            raise TimeoutError(f"table {table_name} was not deleted after {timeout_seconds} s")
        time.sleep(0.2)
    return True


def _create_table_args(
    lab: Lab,
    name: str,
    partition_key: tuple[str, str],
    sort_key: tuple[str, str] | None,
    read_capacity_units: int | None,
    write_capacity_units: int | None,
    stream_view_type: str | None,
    extra_attribute_definitions: Sequence[tuple[str, str]],
    create_table_args: dict[str, Any],
) -> dict[str, Any]:
    """CreateTable's arguments, every value checked first (so a bad one is a ValueError naming it)."""
    schema, definitions = _key_schema(partition_key, sort_key)
    for attribute, attribute_type in extra_attribute_definitions:
        definitions.append({"AttributeName": attribute, "AttributeType": attribute_type})
    args: dict[str, Any] = {"TableName": lab.table_name(name), "KeySchema": schema,
                            "AttributeDefinitions": definitions}
    if (read_capacity_units is None) != (write_capacity_units is None):
        raise ValueError("give both read_capacity_units and write_capacity_units (provisioned), or neither (on-demand)")
    if read_capacity_units is None:
        args["BillingMode"] = "PAY_PER_REQUEST"
    else:
        for parameter, value in (("read_capacity_units", read_capacity_units),
                                 ("write_capacity_units", write_capacity_units)):
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_UNITS:
                raise ValueError(f"{parameter} must be an integer from 1 to 40,000 (the default quota), got {value!r}")
        args["BillingMode"] = "PROVISIONED"
        args["ProvisionedThroughput"] = {"ReadCapacityUnits": read_capacity_units,
                                         "WriteCapacityUnits": write_capacity_units}
    views = ("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY")
    if stream_view_type is not None:
        if stream_view_type not in views:
            raise ValueError(f"stream_view_type must be one of {', '.join(views)}; got {stream_view_type!r}")
        args["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream_view_type}
    args.update(create_table_args)
    return args


def _approve_provisioned(lab: Lab, args: dict[str, Any]) -> None:
    """On AWS, a provisioned table bills its capacity every hour it exists: estimate one hour before creating it."""
    held = [args.get("ProvisionedThroughput") or {}]
    held += [index.get("ProvisionedThroughput") or {} for index in args.get("GlobalSecondaryIndexes", []) or []]
    read = sum(each.get("ReadCapacityUnits", 0) for each in held)
    write = sum(each.get("WriteCapacityUnits", 0) for each in held)
    if read or write:
        approve_load(lab, description=f"creating the provisioned table {args['TableName']} ({read} RCU, {write} WCU)",
                     read_capacity_units=read, write_capacity_units=write)


def create_table(
    lab: Lab,
    name: str,
    partition_key: tuple[str, str] = ("pk", "S"),
    sort_key: tuple[str, str] | None = None,
    *,
    read_capacity_units: int | None = None,
    write_capacity_units: int | None = None,
    stream_view_type: str | None = None,
    extra_attribute_definitions: Sequence[tuple[str, str]] = (),
    **create_table_args: Any,
) -> Any:
    """Create a lesson table afresh, deleting one of the same name first; return the boto3 ``Table``.

    On-demand (PAY_PER_REQUEST) unless both capacity units are given. ``stream_view_type`` (NEW_IMAGE,
    OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY) turns on DynamoDB Streams. ``name`` is prefixed on AWS.
    """
    args = _create_table_args(lab, name, partition_key, sort_key, read_capacity_units, write_capacity_units,
                              stream_view_type, extra_attribute_definitions, create_table_args)
    _approve_provisioned(lab, args)
    delete_table(lab, args["TableName"])
    lab.client.create_table(**args)
    wait_until_active(lab, args["TableName"])
    return lab.resource.Table(args["TableName"])


def ensure_table(
    lab: Lab,
    name: str,
    partition_key: tuple[str, str] = ("pk", "S"),
    sort_key: tuple[str, str] | None = None,
    *,
    read_capacity_units: int | None = None,
    write_capacity_units: int | None = None,
    stream_view_type: str | None = None,
    extra_attribute_definitions: Sequence[tuple[str, str]] = (),
    **create_table_args: Any,
) -> bool:
    """Create a table only if it is missing, never resetting one (a projector may be restarting on it); True if
    this call created it. Another process creating it at the same moment is fine. Arguments as ``create_table``."""
    args = _create_table_args(lab, name, partition_key, sort_key, read_capacity_units, write_capacity_units,
                              stream_view_type, extra_attribute_definitions, create_table_args)
    if table_exists(lab, args["TableName"]):
        return False
    _approve_provisioned(lab, args)
    created = True
    try:
        lab.client.create_table(**args)
    except ClientError as error:  # another process created it first
        if error.response["Error"]["Code"] not in ("ResourceInUseException", "TableAlreadyExistsException"):
            raise
        created = False
    wait_until_active(lab, args["TableName"])
    return created


def _pages(call: Any, args: dict[str, Any]) -> Iterator[dict]:
    # A Query or Scan answers at most 1 MB a call; LastEvaluatedKey says where the next page starts.
    while True:
        page = call(**args)
        yield page
        if "LastEvaluatedKey" not in page:
            return
        args = {**args, "ExclusiveStartKey": page["LastEvaluatedKey"]}


def scan_pages(lab: Lab, table_name: str, **scan_args: Any) -> Iterator[dict]:
    """Every page of a Scan (each at most 1 MB), following LastEvaluatedKey; ``scan_args`` go to each call."""
    return _pages(lab.client.scan, {"TableName": table_name, **scan_args})


def query_pages(lab: Lab, table_name: str, **query_args: Any) -> Iterator[dict]:
    """Every page of a Query (each at most 1 MB), following LastEvaluatedKey; ``query_args`` go to each call."""
    return _pages(lab.client.query, {"TableName": table_name, **query_args})


def scan_items(lab: Lab, table_name: str, *, typed: bool = False, consistent: bool = True) -> list[dict]:
    """Every item of a table, by a full Scan: Python values, or DynamoDB's typed form with ``typed=True``.

    A full Scan reads (and is charged for) the whole table: the lessons use it to *check* a result, never as the
    way to answer a question.
    """
    items = [item for page in scan_pages(lab, table_name, ConsistentRead=consistent) for item in page["Items"]]
    if typed:
        return items
    return [{key: _deserializer.deserialize(value) for key, value in item.items()} for item in items]


@dataclass
class LoadReport:
    """What a bulk load did: items written, BatchWriteItem calls made, and how many were retries."""

    items_written: int
    batch_calls: int
    retried_calls: int
    seconds: float
    #: calls refused whole by throttling (after boto3's own retries), then retried here with backoff
    throttled_calls: int = 0
    #: items sent again in the retries (those handed back in UnprocessedItems or refused with their call)
    items_resent: int = 0


def _batches(typed_items: Iterable[dict], max_items: int, max_bytes: int) -> Iterable[list[dict]]:
    batch: list[dict] = []
    batch_bytes = 0
    for item in typed_items:
        size = typed_item_size(item)  # the 16 MB BatchWriteItem cap counts DynamoDB item sizes
        if batch and (len(batch) == max_items or batch_bytes + size > max_bytes):
            yield batch
            batch, batch_bytes = [], 0
        batch.append(item)
        batch_bytes += size
    if batch:
        yield batch


def bulk_load(
    lab: Lab,
    table_name: str,
    items: Sequence[dict],
    *,
    description: str | None = None,
    max_attempts: int = 10,
    base_delay_seconds: float = 0.05,
    show_progress: bool | None = None,
) -> LoadReport:
    """Write items (resource-style Python values) with BatchWriteItem, 25 at a time, under 16 MB a call.

    UnprocessedItems, and calls refused whole by throttling (after boto3's own retries), are retried with
    exponential backoff (50 ms, 100 ms, 200 ms, ... as the AWS SDKs do; Programming.Errors.html) up to
    ``max_attempts`` calls a batch (10: about 50 s of waiting, the docs' "about a minute"); then it raises, saying
    how many items did not go in, so nothing is lost silently. Shows a progress bar in a notebook.
    """
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be >= 1, got {max_attempts}")
    if lab.is_aws:  # one pass over the items for the estimate (each put costs one write unit per started KB)
        units = sum(write_units(typed_item_size({k: _serializer.serialize(v) for k, v in item.items()}))
                    for item in items)
        approve_table_load(lab, table_name, f"bulk_load of {len(items):,} items into {table_name}",
                           write_request_units=units)
    started = time.monotonic()
    typed = ({k: _serializer.serialize(v) for k, v in item.items()} for item in items)
    written = calls = retried = throttled = resent = 0
    with Progress(len(items), description or f"Loading {table_name}", show=show_progress) as progress:
        for batch in _batches(typed, BATCH_WRITE_MAX_REQUESTS, BATCH_WRITE_MAX_BYTES):
            pending = [{"PutRequest": {"Item": item}} for item in batch]
            for attempt in range(max_attempts):
                if attempt:
                    retried += 1
                    resent += len(pending)
                    time.sleep(base_delay_seconds * 2 ** (attempt - 1))
                calls += 1
                try:
                    answer = lab.client.batch_write_item(RequestItems={table_name: pending})
                except ClientError as error:
                    if error.response["Error"]["Code"] not in _THROTTLE_CODES:
                        raise
                    throttled += 1  # the whole call was refused: back off and send it again
                    continue
                unprocessed = answer.get("UnprocessedItems", {}).get(table_name, [])
                done = len(pending) - len(unprocessed)
                written += done
                progress.advance(done)
                pending = unprocessed
                if not pending:
                    break
            if pending:
                raise RuntimeError(
                    f"bulk_load: {len(pending)} items were still unprocessed after {max_attempts} attempts "
                    f"({written} of {len(items)} written). Check the table's capacity, then load the rest."
                )
    return LoadReport(written, calls, retried, time.monotonic() - started, throttled, resent)
