"""Lesson tables: create (or reset on request), create-if-missing, wait until ACTIVE, delete, page through a
Query or Scan, and the one batch writer (``batch_write``, under ``bulk_load`` and the stream projector).

"Table already exists" is the trap the first source article meets when it restores a copy table a second day.
``create_table`` refuses to delete a table by itself: a lesson cell that must run twice says ``reset=True``, which
deletes the table of that name first and creates it afresh, but only a table dynalab created for that purpose (its
``dynalab:creator`` and ``dynalab:owner`` tags: ``dynalab.engine.ownership``). Every table created here carries them;
``delete_created_table`` is the one way dynalab deletes a table on its own initiative.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from dynalab.engine import Lab, check_lab
from dynalab.engine.aws_budget import approve_load, approve_table_load
from dynalab.engine.ownership import (
    CREATOR_TAG,
    OWNER_TAG,
    RECORD_TABLE_ARGS,
    check_deletable,
    creation_tags,
    creator_name,
    forget,
    keeps_records,
    record_creation,
)
from dynalab.i18n import N_, tr
from dynalab.models import batch_writes, checks
from dynalab.models.capacity import write_units
from dynalab.models.quotas import DEFAULT_TABLE_MAX_CAPACITY_UNITS as MAX_UNITS
from dynalab.models.sizing import typed_item_size
from dynalab.progress import Progress

__all__ = ["BatchWriteError", "LoadReport", "batch_write", "bulk_load", "create_table", "delete_created_table",
           "delete_table", "ensure_table", "mark_created", "query_pages", "scan_items", "scan_pages", "table_exists",
           "wait_until_active"]

_KEY_TYPES = ("S", "N", "B")
#: Errors that mean "slow down": botocore's retry policy has already retried them.
#: dynalab's bound on bulk_load's backoff: the most it waits in all for items never processed (the defaults, 50 ms
#: doubling over 10 attempts, wait about 25 s)
BULK_LOAD_MAX_BACKOFF_SECONDS = 60
_THROTTLE_CODES = ("ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded")
_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


#: CreateTable parameters a caller may add through ``**create_table_args`` (dynalab sets the others itself:
#: TableName, KeySchema, AttributeDefinitions, BillingMode, ProvisionedThroughput, StreamSpecification).
EXTRA_CREATE_TABLE_ARGS = ("GlobalSecondaryIndexes", "LocalSecondaryIndexes", "SSESpecification", "Tags",
                           "TableClass", "DeletionProtectionEnabled", "OnDemandThroughput", "WarmThroughput",
                           "ResourcePolicy")


def _lab(lab: Any) -> Lab:
    """``lab`` if it is a dynalab Lab (something with a client and a table rule), else a TypeError."""
    return check_lab(lab)


def _table(lab: Any, table_name: Any) -> str:
    """Check the lab and the table's name (DynamoDB's rule) before any request."""
    _lab(lab)
    return checks.table_name("table_name", table_name)


def _not_found(table_name: str) -> ValueError:
    return ValueError(tr("table_name: table {table!r} does not exist on this engine (create it first)",
                         table=table_name))


def _timeout(timeout_seconds: Any) -> float:
    return checks.number("timeout_seconds", timeout_seconds, low=0, high=3600, low_open=True, unit="seconds")


def _key_schema(partition_key: tuple[str, str], sort_key: tuple[str, str] | None) -> tuple[list, list]:
    keys = [("partition_key", partition_key, "HASH")]
    if sort_key is not None:
        keys.append(("sort_key", sort_key, "RANGE"))
    schema, definitions = [], []
    for parameter, key, key_type in keys:
        if (not isinstance(key, tuple | list) or len(key) != 2 or not isinstance(key[0], str) or not key[0]
                or key[1] not in _KEY_TYPES):
            raise ValueError(tr("{parameter} must be (attribute name, type) with type one of {types}; got {key!r}",
                                parameter=parameter, types=', '.join(_KEY_TYPES), key=key))
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
    table_name = _table(lab, table_name)
    deadline = time.monotonic() + _timeout(timeout_seconds)
    delay = 0.05
    while True:
        try:
            table = lab.client.describe_table(TableName=table_name)["Table"]
        except ClientError as error:
            if error.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
            raise _not_found(table_name) from None
        if table["TableStatus"] == "ACTIVE":
            return table
        if time.monotonic() > deadline:
            raise TimeoutError(tr("table {table} is still {status} after {seconds} s", table=table_name,
                                  status=table['TableStatus'], seconds=timeout_seconds))
        time.sleep(delay)
        delay = min(delay * 2, 2.0)


def mark_created(lab: Lab, table_name: str, creator: str, *, tagged: bool = False) -> None:
    """Mark a table dynalab just created (a CreateTable, a restore, an import) as ``creator``'s, for ``lab.owner``
    (``ownership.record_creation``; on an engine that cannot tag, its record table is made first)."""
    if keeps_records(lab):
        try:
            lab.client.create_table(**RECORD_TABLE_ARGS)
        except ClientError as error:
            if error.response["Error"]["Code"] not in ("ResourceInUseException", "TableAlreadyExistsException"):
                raise
        wait_until_active(lab, RECORD_TABLE_ARGS["TableName"])
    record_creation(lab, table_name, creator, tagged=tagged)


def delete_table(lab: Lab, table_name: str, timeout_seconds: float = 300.0) -> bool:
    """Delete the table you name (one with the connection's prefix, on AWS or a shared engine) and wait until it is
    gone; False if there was none. dynalab's own resets go through ``delete_created_table`` instead."""
    table_name = _table(lab, table_name)
    return _delete(lab, table_name, _timeout(timeout_seconds))


def delete_created_table(lab: Lab, table_name: str, *, creators: Iterable[str] | None, action: str,
                         timeout_seconds: float = 300.0, wait: bool = True) -> bool:
    """The one way dynalab deletes a table on its own initiative (a reset, a previous copy, ``cleanup``): only one it
    created for this connection's owner, by one of ``creators``' families (None: any of its functions), else
    ``ownership.TableNotOursError`` naming the table, who created it and how to go on. ``action`` names what asks
    (``"create_vote_tables(reset=True)"``). False if there was no table."""
    table_name = _table(lab, table_name)
    timeout_seconds = _timeout(timeout_seconds)
    check_deletable(lab, table_name, creators, action)
    return _delete(lab, table_name, timeout_seconds, wait=wait)


def _delete(lab: Lab, table_name: str, timeout_seconds: float, wait: bool = True) -> bool:
    if not lab.owns_table(table_name):
        raise PermissionError(tr(
            "dynalab deletes only tables named with this connection's prefix {prefix!r}; refusing to delete "
            "{table!r}", prefix=lab.table_prefix, table=table_name))
    try:
        lab.client.delete_table(TableName=table_name)
    except ClientError as error:
        if error.response["Error"]["Code"] == "ResourceNotFoundException":
            return False
        raise
    forget(lab, table_name)
    deadline = time.monotonic() + timeout_seconds
    while wait and table_exists(lab, table_name):
        if time.monotonic() > deadline:
            raise TimeoutError(tr("table {table} was not deleted after {seconds} s", table=table_name,
                                  seconds=timeout_seconds))
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
    creator: str = "create_table",
) -> dict[str, Any]:
    """CreateTable's arguments, every value checked first (so a bad one is a ValueError naming it), with the tags
    that say dynalab's ``creator`` made the table for ``lab.owner`` (where the engine keeps CreateTable's tags)."""
    schema, definitions = _key_schema(partition_key, sort_key)
    if sort_key is not None and sort_key[0] == partition_key[0]:
        raise ValueError(tr("sort_key must name another attribute than partition_key; both are {name!r}",
                            name=sort_key[0]))
    pair = tr("(attribute name, type) with type one of {types}", types=', '.join(_KEY_TYPES))
    for i, extra in enumerate(checks.sequence_of("extra_attribute_definitions", extra_attribute_definitions)):
        where = f"extra_attribute_definitions[{i}]"
        if not isinstance(extra, tuple | list) or len(extra) != 2:
            raise checks.ParameterTypeError(tr("{where} must be {pair}; got {extra!r:.60}", where=where, pair=pair,
                                               extra=extra))
        attribute = checks.text(f"{where}[0]", extra[0], min_length=1, max_length=255)
        attribute_type = checks.choice(f"{where}[1]", extra[1], _KEY_TYPES)
        if any(d["AttributeName"] == attribute for d in definitions):
            raise ValueError(tr("{where}: attribute {attribute!r} is defined already (a key's attributes come from "
                                "partition_key and sort_key)", where=where, attribute=attribute))
        definitions.append({"AttributeName": attribute, "AttributeType": attribute_type})
    for parameter in create_table_args:
        if parameter not in EXTRA_CREATE_TABLE_ARGS:
            raise ValueError(tr("create_table takes no {parameter!r}: dynalab sets TableName, KeySchema, "
                                "AttributeDefinitions, BillingMode, ProvisionedThroughput and StreamSpecification "
                                "itself (name, partition_key, sort_key, read_capacity_units, write_capacity_units, "
                                "stream_view_type); it passes on only {allowed}", parameter=parameter,
                                allowed=', '.join(EXTRA_CREATE_TABLE_ARGS)))
    args: dict[str, Any] = {"TableName": lab.table_name(name), "KeySchema": schema,
                            "AttributeDefinitions": definitions}
    if (read_capacity_units is None) != (write_capacity_units is None):
        raise ValueError(tr("give both read_capacity_units and write_capacity_units (provisioned), "
                            "or neither (on-demand)"))
    if read_capacity_units is None:
        args["BillingMode"] = "PAY_PER_REQUEST"
    else:
        for parameter, value in (("read_capacity_units", read_capacity_units),
                                 ("write_capacity_units", write_capacity_units)):
            checks.number(parameter, value, low=1, high=MAX_UNITS, integer=True, unit=tr("the default quota"))
        args["BillingMode"] = "PROVISIONED"
        args["ProvisionedThroughput"] = {"ReadCapacityUnits": read_capacity_units,
                                         "WriteCapacityUnits": write_capacity_units}
    views = ("NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY")
    if stream_view_type is not None:
        checks.choice("stream_view_type", stream_view_type, views)
        args["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream_view_type}
    args.update(create_table_args)
    own = creation_tags(lab, creator_name(creator))
    if own or "Tags" in args:
        given = checks.sequence_of("Tags", args.get("Tags", []))
        if any(not isinstance(tag, Mapping) or tag.get("Key") in (CREATOR_TAG, OWNER_TAG) for tag in given):
            raise ValueError(tr("Tags: each tag must be a dict {{'Key': ..., 'Value': ...}}, and {creator_tag} and "
                                "{owner_tag} are dynalab's own (they say who created the table); got {tags!r:.120}",
                                creator_tag=CREATOR_TAG, owner_tag=OWNER_TAG, tags=given))
        args["Tags"] = [*given, *own]
    return args


def _approve_provisioned(lab: Lab, args: dict[str, Any]) -> None:
    """On AWS, a provisioned table bills its capacity every hour it exists: estimate one hour before creating it."""
    held = [args.get("ProvisionedThroughput") or {}]
    held += [index.get("ProvisionedThroughput") or {} for index in args.get("GlobalSecondaryIndexes", []) or []]
    read = sum(each.get("ReadCapacityUnits", 0) for each in held)
    write = sum(each.get("WriteCapacityUnits", 0) for each in held)
    if read or write:
        approve_load(lab, description=tr("creating the provisioned table {table} ({read} RCU, {write} WCU)",
                                         table=args['TableName'], read=read, write=write),
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
    reset: bool = False,
    creator: str = "create_table",
    **create_table_args: Any,
) -> Any:
    """Create a lesson table and return the boto3 ``Table``. A table of that name that exists already is an
    error, unless ``reset=True``: then it is deleted first (with its items) and created afresh, if dynalab created
    it for this purpose (by ``creator``, for this connection: else ``TableNotOursError`` says who did).

    On-demand (PAY_PER_REQUEST) unless both capacity units are given. ``stream_view_type`` (NEW_IMAGE,
    OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY) turns on DynamoDB Streams. ``name`` is prefixed on AWS and on a shared
    engine. ``creator``: the dynalab function creating it (its ``dynalab:creator`` tag; a lesson's own functions
    name themselves).
    """
    reset = checks.flag("reset", reset)
    _lab(lab)
    checks.table_name("name", name)
    creator = creator_name(creator)
    args = _create_table_args(lab, name, partition_key, sort_key, read_capacity_units, write_capacity_units,
                              stream_view_type, extra_attribute_definitions, create_table_args, creator)
    _approve_provisioned(lab, args)
    if reset:
        delete_created_table(lab, args["TableName"], creators=(creator,), action=f"{creator}(reset=True)")
    elif table_exists(lab, args["TableName"]):
        raise _exists(args["TableName"])
    try:
        lab.client.create_table(**args)
    except ClientError as error:  # created by someone else between the check and now
        if error.response["Error"]["Code"] not in ("ResourceInUseException", "TableAlreadyExistsException"):
            raise
        raise _exists(args["TableName"]) from None
    wait_until_active(lab, args["TableName"])
    mark_created(lab, args["TableName"], creator, tagged="Tags" in args)
    return lab.resource.Table(args["TableName"])


def _exists(table_name: str) -> ValueError:
    return ValueError(tr("table {table!r} already exists. Pass reset=True to delete it (and its items) and "
                         "create it afresh, or choose another name.", table=table_name))


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
    creator: str = "ensure_table",
    **create_table_args: Any,
) -> bool:
    """Create a table only if it is missing, never resetting one (a projector may be restarting on it); True if
    this call created it. Another process creating it at the same moment is fine. Arguments as ``create_table``."""
    creator = creator_name(creator)
    args = _create_table_args(lab, name, partition_key, sort_key, read_capacity_units, write_capacity_units,
                              stream_view_type, extra_attribute_definitions, create_table_args, creator)
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
    if created:
        mark_created(lab, args["TableName"], creator, tagged="Tags" in args)
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
    table_name = _table(lab, table_name)
    typed = checks.flag("typed", typed)
    consistent = checks.flag("consistent", consistent)
    try:
        items = [item for page in scan_pages(lab, table_name, ConsistentRead=consistent) for item in page["Items"]]
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        raise _not_found(table_name) from None
    if typed:
        return items
    return [{key: _deserializer.deserialize(value) for key, value in item.items()} for item in items]


@dataclass
class LoadReport:
    """What a bulk load did: items written, BatchWriteItem calls made, how many of them resent unprocessed items,
    and how many HTTP attempts botocore's retry policy made again (throttled ones, mostly)."""

    items_written: int
    batch_calls: int
    retried_calls: int
    seconds: float
    #: attempts refused (throttled, mostly) and retried by botocore's own policy: the one retry loop for them
    throttled_attempts: int = 0
    #: items sent again in this loop's retries (those handed back in UnprocessedItems)
    items_resent: int = 0


class BatchWriteError(RuntimeError):
    """A batch write stopped: ``items_written`` went in, ``failed_index`` (a position in the writes given) is the
    write that failed, ``reason`` why; ``unwritten`` lists every position that did not go in."""

    def __init__(self, message: str, *, items_written: int, failed_index: int, reason: str,
                 unwritten: list[int]) -> None:
        super().__init__(message)
        self.items_written = items_written
        self.failed_index = failed_index
        self.reason = reason
        self.unwritten = unwritten


def _spans(positions: list[int]) -> str:
    """[3, 4, 5, 9] -> '3-5, 9' (how a message names the writes that did not go in)."""
    runs: list[list[int]] = []
    for position in sorted(positions):
        if runs and position == runs[-1][1] + 1:
            runs[-1][1] = position
        else:
            runs.append([position, position])
    shown = [str(a) if a == b else f"{a}-{b}" for a, b in runs[:8]]
    return ", ".join(shown) + (", ..." if len(runs) > 8 else "")


def _key_schema_of(lab: Lab, table_name: str) -> list[tuple[str, str, str]]:
    table = lab.client.describe_table(TableName=table_name)["Table"]
    types = {d["AttributeName"]: d["AttributeType"] for d in table["AttributeDefinitions"]}
    return [(k["AttributeName"], types[k["AttributeName"]], k["KeyType"]) for k in table["KeySchema"]]


def _diagnose(lab: Lab, writes: Sequence[tuple[str, dict]], call: list[int], error: ClientError) -> tuple[int, str]:
    """Which write of a refused call broke which rule (DescribeTable only now, on the failure path)."""
    code, message = error.response["Error"].get("Code", ""), error.response["Error"].get("Message", "")
    if code in _THROTTLE_CODES:
        return call[0], tr("{code} after botocore's retries (exponential backoff from 50 ms): the table's capacity "
                           "is used up; raise it, or load with a larger max_attempts", code=code)
    if code == "ResourceNotFoundException":
        return call[0], tr("table {table!r} does not exist ({code})", table=writes[call[0]][0], code=code)
    schemas = {}
    for table in {writes[position][0] for position in call}:
        try:
            schemas[table] = _key_schema_of(lab, table)
        except ClientError:
            continue
    return _problem_in_call(writes, call, schemas) or (call[0], f"{code}: {message}")


def _problem_in_call(writes: Sequence[tuple[str, dict]], call: list[int],
                     key_schemas: Mapping[str, Sequence[tuple[str, str, str]]]) -> tuple[int, str] | None:
    """The first write of a call that DynamoDB would refuse, and why (None: the call is fine)."""
    by_table: dict[str, list[int]] = {}
    for position in call:
        by_table.setdefault(writes[position][0], []).append(position)
    for table, positions in by_table.items():
        schema = key_schemas.get(table)
        if schema is None:
            continue
        for position in positions:
            problem = batch_writes.request_problem(writes[position][1], schema)
            if problem:
                return position, problem
        pair = batch_writes.duplicate_keys([writes[p][1] for p in positions], schema)
        if pair:
            first, second = positions[pair[0]], positions[pair[1]]
            return second, tr("it writes the same key as write {first} in one BatchWriteItem call, which DynamoDB "
                              "refuses whole", first=first)
    return None


def batch_write(
    lab: Lab,
    writes: Sequence[tuple[str, dict]],
    *,
    client: Any = None,
    max_attempts: int = 10,
    base_delay_seconds: float = 0.05,
    on_written: Callable[[int], None] | None = None,
    key_schemas: Mapping[str, Sequence[tuple[str, str, str]]] | None = None,
) -> LoadReport:
    """Send ``(table name, PutRequest or DeleteRequest)`` writes with BatchWriteItem: calls of at most 25 requests
    and 16 MB, in order; UnprocessedItems sent again after 50 ms, 100 ms, 200 ms, ... (Programming.Errors.html) up
    to ``max_attempts`` calls for a group. A throttled call is retried by botocore's policy alone (``client``
    says how many attempts; the lab's own by default), not again here. With ``key_schemas`` (table name ->
    ``[(attribute, type, HASH or RANGE)]``) every call is checked before it is sent, so a bad write stops the load
    at the same place on every engine (moto writes part of a call it refuses, and accepts duplicate keys).

    On any failure it raises ``BatchWriteError`` saying how many writes went in, which write failed and why
    (a missing or mistyped key, two writes to one key in a call, an item over 400 KB, throttling).
    """
    client = client or lab.client
    started = time.monotonic()
    written = calls = resent = resent_items = throttled = 0
    for call in batch_writes.group_calls(writes):
        if key_schemas is not None:
            problem = _problem_in_call(writes, call, key_schemas)
            if problem is not None:
                _raise_incomplete(writes, written, *problem, call, call)
        pending = call
        for attempt in range(max_attempts):
            if attempt:
                resent += 1
                resent_items += len(pending)
                time.sleep(batch_writes.backoff_seconds(attempt, base_delay_seconds))
            requests: dict[str, list[dict]] = {}
            for position in pending:
                requests.setdefault(writes[position][0], []).append(writes[position][1])
            try:
                answer = client.batch_write_item(RequestItems=requests)
            except ClientError as error:
                throttled += error.response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
                failed, reason = _diagnose(lab, writes, pending, error)
                _raise_incomplete(writes, written, failed, reason, pending, call)
            calls += 1
            throttled += answer.get("ResponseMetadata", {}).get("RetryAttempts", 0)
            unprocessed = answer.get("UnprocessedItems") or {}
            # An unprocessed request comes back as it was sent: find each one's position again.
            left = [p for p in pending if writes[p][1] in unprocessed.get(writes[p][0], ())]
            written += len(pending) - len(left)
            if on_written is not None:
                on_written(len(pending) - len(left))
            pending = left
            if not pending:
                break
        if pending:
            _raise_incomplete(writes, written, pending[0], tr("still unprocessed after {attempts} calls "
                              "(UnprocessedItems: the table's capacity is used up)", attempts=max_attempts),
                              pending, call)
    return LoadReport(written, calls, resent, time.monotonic() - started, throttled, resent_items)


def _raise_incomplete(writes: Sequence[tuple[str, dict]], written: int, failed: int, reason: str,
                      pending: list[int], call: list[int]) -> None:
    unwritten = sorted(set(pending) | set(range(call[-1] + 1, len(writes))))
    raise BatchWriteError(
        tr("{written} of {total} written; write {failed} failed: {reason}. Not written: {unwritten}.",
           written=written, total=len(writes), failed=failed, reason=reason, unwritten=_spans(unwritten)),
        items_written=written, failed_index=failed, reason=reason, unwritten=unwritten)


def bulk_load(
    lab: Lab,
    table_name: str,
    items: Iterable[Mapping[str, Any]],
    *,
    description: str | None = None,
    max_attempts: int = 10,
    base_delay_seconds: float = 0.05,
    show_progress: bool | None = None,
) -> LoadReport:
    """Write items (resource-style Python values) with BatchWriteItem, 25 at a time, under 16 MB a call.

    Numbers are checked first (floats are taken as the shortest decimal that gives them back; NaN, infinity,
    more than 38 digits or a magnitude outside 1E-130 to 9.99...E+125 are refused before anything is written).
    UnprocessedItems are sent again with exponential backoff (50 ms, 100 ms, 200 ms, ...; Programming.Errors.html)
    and a throttled call is retried by botocore's policy, each up to ``max_attempts`` (10: about 25 s of
    waiting). On a failure it raises ``BatchWriteError``: how many items were written, which item failed (its
    position in ``items``) and why. Shows a progress bar in a notebook.
    """
    table_name = _table(lab, table_name)
    if isinstance(items, Mapping | str | bytes) or not isinstance(items, Iterable):
        raise checks.ParameterTypeError(tr("items must be a list of items (dicts), got {kind}",
                                           kind=type(items).__name__))
    max_attempts = checks.number("max_attempts", max_attempts, low=1, high=20, integer=True)
    checks.number("base_delay_seconds", base_delay_seconds, low=0, high=10, unit="seconds")
    # the waits double: 20 attempts from 10 s would wait 120 days for a batch that is never processed
    checks.number("base_delay_seconds × (2 ** (max_attempts - 1) - 1)",
                  base_delay_seconds * (2 ** (max_attempts - 1) - 1), high=BULK_LOAD_MAX_BACKOFF_SECONDS,
                  unit=N_("seconds of backoff; dynalab's limit"))
    if (not isinstance(base_delay_seconds, int | float) or isinstance(base_delay_seconds, bool)
            or not 0 <= base_delay_seconds <= 10):
        raise ValueError(tr("base_delay_seconds must be from 0 to 10, got {value!r}", value=base_delay_seconds))
    if description is not None and not isinstance(description, str):
        raise TypeError(tr("description must be a str or None, got {value!r}", value=description))
    if show_progress is not None and not isinstance(show_progress, bool):
        raise TypeError(tr("show_progress must be True, False or None (in a notebook only), got {value!r}",
                           value=show_progress))
    items = list(items)
    try:
        key_schemas = {table_name: _key_schema_of(lab, table_name)}
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        raise ValueError(tr("bulk_load: table {table!r} does not exist (create it first); nothing was written",
                            table=table_name)) from None
    writes = []
    for position, item in enumerate(items):
        if not isinstance(item, Mapping):
            raise TypeError(tr("bulk_load: items[{position}] must be a dict of attributes, got {item!r}; "
                               "nothing was written", position=position, item=str(item)[:80]))
        try:
            typed = {name: _serializer.serialize(batch_writes.plain_value(value, tr("attribute {name!r}", name=name)))
                     for name, value in item.items()}
        except (TypeError, ValueError, ArithmeticError) as error:
            raise ValueError(tr("bulk_load: items[{position}]: {error}; nothing was written", position=position,
                                error=error)) from None
        writes.append((table_name, {"PutRequest": {"Item": typed}}))
    if lab.is_aws:  # the estimate first: each put costs one write unit per started KB
        approve_table_load(lab, table_name, tr("bulk_load of {count:,} items into {table}", count=len(writes),
                                               table=table_name),
                           write_request_units=sum(write_units(typed_item_size(w["PutRequest"]["Item"]))
                                                   for _, w in writes))
    with Progress(len(writes), description or tr("Loading {table}", table=table_name),
                  show=show_progress) as progress:
        try:
            return batch_write(lab, writes, client=lab.retrying_client(max_attempts), max_attempts=max_attempts,
                               base_delay_seconds=base_delay_seconds, on_written=progress.advance,
                               key_schemas=key_schemas)
        except BatchWriteError as error:
            raise BatchWriteError(
                tr("bulk_load into {table}: {written} of {total} items written; item "
                   "{failed} failed: {reason}. Not written: items {unwritten} "
                   "(load those again once fixed).", table=table_name, written=error.items_written, total=len(items),
                   failed=error.failed_index, reason=error.reason, unwritten=_spans(error.unwritten)),
                items_written=error.items_written,
                failed_index=error.failed_index, reason=error.reason, unwritten=error.unwritten) from None
