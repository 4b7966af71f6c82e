"""On real AWS, let dynalab's clients make only the calls the lessons make, and only on resources named with the prefix.

A learner who opted into AWS (``DYNALAB_ENDPOINT=aws``) types boto3 calls by hand; one typo must not read, write or
delete a production table, its backups or its data in S3. The guard **denies by default**:

* Only the operations on ``RULES`` run (DynamoDB's, DynamoDB Streams' and SQS's that the lessons use); any other is
  refused with one line naming it and the way out (your own boto3 session, outside dynalab).
* Each allowed operation lists every request field that names a table, an index, a stream, a backup, an export,
  an import, a bucket, a queue or an ARN (``tests/aws/test_aws_guard.py`` walks botocore's input shapes of every
  allowed operation, so a field botocore adds later fails a test until it is listed here). Every name must carry
  the prefix; a backup, export, import, stream or shard iterator must belong to a prefixed table (the table is read
  out of its ARN); a PartiQL statement must name one table (``partiql_table``, read by the layer's PartiQL
  parser). A field the guard cannot read is refused, as is a field it refuses outright (global tables and
  replicas: not part of the lessons).
* The prefix ends at a separator (``dynalab-ana-``), so ``dynalab-ana-`` never matches ``dynalab-anabel-votes``.

The guard is not a fidelity plugin: no switch turns it off (``lab.fidelity.enabled = False`` leaves it on). Its
entry is ``check_request(operation_name, params, prefix, service)``; ``AwsGuard.install(client)`` registers it as its
own botocore handler (``before-parameter-build``: before anything is serialized or sent).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from dynalab.fidelity import aws_error, operation_name
from dynalab.fidelity.partiql.parser import StatementError, parse_statement
from dynalab.i18n import tr

__all__ = ["RULES", "AwsGuard", "OperationRule", "UnreadableRequest", "check_request", "partiql_table",
           "partiql_target", "table_of_arn"]

#: The error code of a refusal: the one DynamoDB answers a call the caller may not make.
REFUSAL_CODE = "AccessDeniedException"

# What a field holds, and so how it is checked:
TABLE = "table"  # a table name, or a table's ARN (TableName fields take either)
ARN = "arn"  # an ARN of a table or of something of a table's: index, stream, backup, export, import, bulk operation
ITERATOR = "iterator"  # a shard iterator: "<stream ARN>|...", its stream read out of it
TABLES = "tables"  # the keys of a map are table names (RequestItems)
STATEMENT = "statement"  # a PartiQL statement: its one table
BUCKET = "bucket"  # an S3 bucket name
QUEUE_NAME = "queue_name"  # an SQS queue name
QUEUE_URL = "queue_url"  # an SQS queue URL (the name is its last part)
INDEX = "index"  # an index of the table the request names (checked there): nothing more to check
PAGE = "page"  # where a listing starts (ExclusiveStartTableName): names nothing the call touches
REFUSED = "refused"  # a field whose presence is refused


@dataclass(frozen=True)
class OperationRule:
    """The naming fields of one allowed operation: ``(path, kind)`` pairs, a path in dots with ``[]`` for each item
    of a list and ``{}`` for each value of a map (``TransactItems[].Put.TableName``). ``required``: the paths that
    must be present (a listing over every table of the account, without its TableName, is refused)."""

    fields: tuple[tuple[str, str], ...] = ()
    required: tuple[str, ...] = ()


def _rule(*fields: tuple[str, str], required: tuple[str, ...] = ()) -> OperationRule:
    return OperationRule(tuple(fields), required)


_GSI_OVERRIDES = (("GlobalSecondaryIndexOverride[].IndexName", INDEX),
                  ("LocalSecondaryIndexOverride[].IndexName", INDEX), ("VectorIndexOverride[].IndexName", INDEX))
_TRANSACT_WRITES = tuple((f"TransactItems[].{kind}.TableName", TABLE)
                         for kind in ("ConditionCheck", "Put", "Delete", "Update"))

#: (service, operation) -> the operation's naming fields: every call dynalab's lessons make on AWS, and only those.
RULES: dict[tuple[str, str], OperationRule] = {
    # DynamoDB: items
    ("dynamodb", "GetItem"): _rule(("TableName", TABLE), required=("TableName",)),
    ("dynamodb", "PutItem"): _rule(("TableName", TABLE), required=("TableName",)),
    ("dynamodb", "UpdateItem"): _rule(("TableName", TABLE), required=("TableName",)),
    ("dynamodb", "DeleteItem"): _rule(("TableName", TABLE), required=("TableName",)),
    ("dynamodb", "Query"): _rule(("TableName", TABLE), ("IndexName", INDEX), required=("TableName",)),
    ("dynamodb", "Scan"): _rule(("TableName", TABLE), ("IndexName", INDEX), required=("TableName",)),
    ("dynamodb", "BatchGetItem"): _rule(("RequestItems", TABLES), required=("RequestItems",)),
    ("dynamodb", "BatchWriteItem"): _rule(("RequestItems", TABLES), required=("RequestItems",)),
    ("dynamodb", "TransactGetItems"): _rule(("TransactItems[].Get.TableName", TABLE), required=("TransactItems",)),
    ("dynamodb", "TransactWriteItems"): _rule(*_TRANSACT_WRITES, required=("TransactItems",)),
    ("dynamodb", "ExecuteStatement"): _rule(("Statement", STATEMENT), required=("Statement",)),
    ("dynamodb", "BatchExecuteStatement"): _rule(("Statements[].Statement", STATEMENT), required=("Statements",)),
    ("dynamodb", "ExecuteTransaction"): _rule(("TransactStatements[].Statement", STATEMENT),
                                              required=("TransactStatements",)),
    # DynamoDB: tables
    ("dynamodb", "ListTables"): _rule(("ExclusiveStartTableName", PAGE)),
    ("dynamodb", "CreateTable"): _rule(("TableName", TABLE), ("LocalSecondaryIndexes[].IndexName", INDEX),
                                       ("GlobalSecondaryIndexes[].IndexName", INDEX),
                                       ("VectorIndexes[].IndexName", INDEX), ("GlobalTableSourceArn", REFUSED),
                                       required=("TableName",)),
    ("dynamodb", "DescribeTable"): _rule(("TableName", TABLE), required=("TableName",)),
    ("dynamodb", "UpdateTable"): _rule(
        ("TableName", TABLE), ("GlobalSecondaryIndexUpdates[].Update.IndexName", INDEX),
        ("GlobalSecondaryIndexUpdates[].Create.IndexName", INDEX),
        ("GlobalSecondaryIndexUpdates[].Delete.IndexName", INDEX),
        ("VectorIndexUpdates[].Create.IndexName", INDEX), ("VectorIndexUpdates[].Delete.IndexName", INDEX),
        ("ReplicaUpdates", REFUSED), ("GlobalTableWitnessUpdates", REFUSED), required=("TableName",)),
    ("dynamodb", "DeleteTable"): _rule(("TableName", TABLE), required=("TableName",)),
    ("dynamodb", "DescribeTimeToLive"): _rule(("TableName", TABLE), required=("TableName",)),
    ("dynamodb", "UpdateTimeToLive"): _rule(("TableName", TABLE), required=("TableName",)),
    ("dynamodb", "TagResource"): _rule(("ResourceArn", ARN), required=("ResourceArn",)),
    ("dynamodb", "UntagResource"): _rule(("ResourceArn", ARN), required=("ResourceArn",)),
    ("dynamodb", "ListTagsOfResource"): _rule(("ResourceArn", ARN), required=("ResourceArn",)),
    # DynamoDB: backups, restores, exports, imports, bulk puts (lesson 5's copy tables)
    ("dynamodb", "DescribeContinuousBackups"): _rule(("TableName", TABLE), required=("TableName",)),
    ("dynamodb", "UpdateContinuousBackups"): _rule(("TableName", TABLE), required=("TableName",)),
    ("dynamodb", "CreateBackup"): _rule(("TableName", TABLE), required=("TableName",)),
    ("dynamodb", "DescribeBackup"): _rule(("BackupArn", ARN), required=("BackupArn",)),
    ("dynamodb", "DeleteBackup"): _rule(("BackupArn", ARN), required=("BackupArn",)),
    ("dynamodb", "ListBackups"): _rule(("TableName", TABLE), ("ExclusiveStartBackupArn", ARN),
                                       required=("TableName",)),
    ("dynamodb", "RestoreTableFromBackup"): _rule(("TargetTableName", TABLE), ("BackupArn", ARN), *_GSI_OVERRIDES,
                                                  required=("TargetTableName", "BackupArn")),
    ("dynamodb", "RestoreTableToPointInTime"): _rule(("SourceTableArn", ARN), ("SourceTableName", TABLE),
                                                     ("TargetTableName", TABLE), *_GSI_OVERRIDES,
                                                     required=("TargetTableName",)),
    ("dynamodb", "ExportTableToPointInTime"): _rule(("TableArn", ARN), ("S3Bucket", BUCKET),
                                                    required=("TableArn", "S3Bucket")),
    ("dynamodb", "DescribeExport"): _rule(("ExportArn", ARN), required=("ExportArn",)),
    ("dynamodb", "ListExports"): _rule(("TableArn", ARN), required=("TableArn",)),
    ("dynamodb", "ImportTable"): _rule(("S3BucketSource.S3Bucket", BUCKET),
                                       ("TableCreationParameters.TableName", TABLE),
                                       ("TableCreationParameters.GlobalSecondaryIndexes[].IndexName", INDEX),
                                       ("TableCreationParameters.VectorIndexes[].IndexName", INDEX),
                                       required=("S3BucketSource.S3Bucket", "TableCreationParameters.TableName")),
    ("dynamodb", "DescribeImport"): _rule(("ImportArn", ARN), required=("ImportArn",)),
    ("dynamodb", "ListImports"): _rule(("TableArn", ARN), required=("TableArn",)),
    ("dynamodb", "StartBulkPutItems"): _rule(("TableName", TABLE), ("InputS3Configuration.S3Bucket", BUCKET),
                                             ("OutputS3Configuration.S3Bucket", BUCKET), required=("TableName",)),
    ("dynamodb", "DescribeBulkOperation"): _rule(("BulkOperationArn", ARN), required=("BulkOperationArn",)),
    # DynamoDB Streams (the projector, the event source mapping)
    ("dynamodbstreams", "ListStreams"): _rule(("TableName", TABLE), ("ExclusiveStartStreamArn", ARN),
                                              required=("TableName",)),
    ("dynamodbstreams", "DescribeStream"): _rule(("StreamArn", ARN), required=("StreamArn",)),
    ("dynamodbstreams", "GetShardIterator"): _rule(("StreamArn", ARN), required=("StreamArn",)),
    ("dynamodbstreams", "GetRecords"): _rule(("ShardIterator", ITERATOR), required=("ShardIterator",)),
    # SQS: an event source mapping's on-failure destination (lesson 7)
    ("sqs", "CreateQueue"): _rule(("QueueName", QUEUE_NAME), required=("QueueName",)),
    ("sqs", "GetQueueUrl"): _rule(("QueueName", QUEUE_NAME), required=("QueueName",)),
    ("sqs", "GetQueueAttributes"): _rule(("QueueUrl", QUEUE_URL), required=("QueueUrl",)),
    ("sqs", "SendMessage"): _rule(("QueueUrl", QUEUE_URL), required=("QueueUrl",)),
    ("sqs", "ReceiveMessage"): _rule(("QueueUrl", QUEUE_URL), required=("QueueUrl",)),
    ("sqs", "DeleteMessage"): _rule(("QueueUrl", QUEUE_URL), required=("QueueUrl",)),
    ("sqs", "DeleteQueue"): _rule(("QueueUrl", QUEUE_URL), required=("QueueUrl",)),
}


class UnreadableRequest(ValueError):
    """A field the guard cannot read a name out of (so it refuses the request)."""


# ----------------------------------------------------------------------------------------------- names
#: arn:<partition>:dynamodb:<region>:<account>:table/<name>[/index|stream|backup|export|import|bulk-operation/...]
_TABLE_ARN = re.compile(r"arn:[a-z0-9-]+:dynamodb:[a-z0-9-]*:\d*:table/([A-Za-z0-9_.-]{1,255})"
                        r"(?:/(?:index|stream|backup|export|import|bulk-operation)/[^/|]+)?")


def table_of_arn(arn: Any) -> str:
    """The table an ARN belongs to (a table's, an index's, a stream's, a backup's, an export's, an import's, a bulk
    operation's), or UnreadableRequest."""
    if isinstance(arn, str):
        found = _TABLE_ARN.fullmatch(arn)
        if found:
            return found.group(1)
    raise UnreadableRequest(tr("not the ARN of a DynamoDB table or of one of its streams, indexes, backups, exports "
                               "or imports"))


def _table(value: Any) -> str:
    """A TableName field's table: the name, or the table out of its ARN (TableName fields take either:
    [src:tablename-accepts-arn])."""
    if isinstance(value, str) and value.startswith("arn:"):
        return table_of_arn(value)
    if isinstance(value, str) and value:
        return value
    raise UnreadableRequest(tr("not a table name"))


def _queue_of_url(url: Any) -> str:
    if isinstance(url, str) and url.startswith(("https://", "http://")) and "/" in url.rstrip("/"):
        return url.rstrip("/").rsplit("/", 1)[1]
    raise UnreadableRequest(tr("not an SQS queue URL"))


# -------------------------------------------------------------------------------------------------- PartiQL
def partiql_target(statement: Any) -> tuple[str, str | None]:
    """The table (and the index, if any) a DynamoDB PartiQL statement reads or writes, or UnreadableRequest.

    Read by the fidelity layer's own PartiQL parser (``dynalab.fidelity.partiql.parser``: one parser for the guard
    and the pipeline): ``SELECT ... FROM "t"."idx" WHERE ...``, ``INSERT INTO t VALUE {...}``, ``UPDATE "t" SET ...
    WHERE ...``, ``DELETE FROM t WHERE ...``, ``EXISTS(SELECT ... FROM t ...)``, names quoted or not, keywords in
    any case. What the parser cannot read (a second statement, a JOIN, a comma or an alias after the table, a
    subquery, anything DynamoDB would refuse to parse) is refused rather than guessed at, and so is a comment."""
    if not isinstance(statement, str) or not statement.strip():
        raise UnreadableRequest(tr("not a PartiQL statement"))
    try:
        parsed = parse_statement(statement)
    except StatementError as error:
        raise UnreadableRequest(str(error)) from None  # DynamoDB's own words: "Statement wasn't well formed..."
    if parsed.commented:
        raise UnreadableRequest(tr("a PartiQL statement with a comment"))
    return parsed.target


def partiql_table(statement: Any) -> str:
    """The one table a DynamoDB PartiQL statement names (``partiql_target``), or UnreadableRequest."""
    return partiql_target(statement)[0]


# ------------------------------------------------------------------------------------------------ walking
def field_values(params: Mapping[str, Any], path: str) -> Iterator[tuple[str, Any]]:
    """``(where, value)`` for every value at ``path`` in a request (``[]``: each item of a list, ``{}``: each value of
    a map; the path's last part ``{}`` unused: a map's keys are read by the TABLES kind). A part of the request that
    is not the shape the path expects raises UnreadableRequest."""
    parts = re.findall(r"[A-Za-z0-9]+|\[\]|\{\}", path)

    def walk(value: Any, index: int, where: str) -> Iterator[tuple[str, Any]]:
        if index == len(parts):
            yield where, value
            return
        part = parts[index]
        if part == "[]":
            if not isinstance(value, list | tuple):
                raise UnreadableRequest(tr("{where} is not a list", where=where))
            for number, item in enumerate(value):
                yield from walk(item, index + 1, f"{where}[{number}]")
        elif part == "{}":
            if not isinstance(value, Mapping):
                raise UnreadableRequest(tr("{where} is not a map", where=where))
            for key, item in value.items():
                yield from walk(item, index + 1, f"{where}[{key!r}]")
        else:
            if not isinstance(value, Mapping):
                raise UnreadableRequest(tr("{where} is not a structure", where=where or "the request"))
            if part in value:
                yield from walk(value[part], index + 1, f"{where}.{part}" if where else part)

    yield from walk(params, 0, "")


def _transact_entries_known(params: Mapping[str, Any], operation: str) -> None:
    """Each TransactItems entry must be one of the kinds the rule names (else its table goes unread)."""
    kinds = {"TransactGetItems": ("Get",), "TransactWriteItems": ("ConditionCheck", "Put", "Delete", "Update")}
    for number, entry in enumerate(params.get("TransactItems") or []):
        if not isinstance(entry, Mapping) or not entry or set(entry) - set(kinds[operation]):
            raise UnreadableRequest(tr("TransactItems[{number}] is not one of {kinds}", number=number,
                                       kinds=", ".join(kinds[operation])))


def names_in(rule: OperationRule, params: Mapping[str, Any], operation: str = "") -> list[tuple[str, str]]:
    """``(where, name)`` for every name the request gives that must carry the prefix; UnreadableRequest for a field
    the guard cannot read, a required one missing, or a refused one present."""
    for path in rule.required:
        if not any(True for _ in field_values(params, path)):
            raise UnreadableRequest(tr("{field} is missing (dynalab on AWS needs it to know what the call touches)",
                                       field=path))
    if operation in ("TransactGetItems", "TransactWriteItems"):
        _transact_entries_known(params, operation)
    found: list[tuple[str, str]] = []
    for path, kind in rule.fields:
        for where, value in field_values(params, path):
            found += _names_of(kind, where, value)
    return found


def _names_of(kind: str, where: str, value: Any) -> list[tuple[str, str]]:
    try:
        if kind == REFUSED:
            raise UnreadableRequest(tr("{field} is refused: global tables and replicas are not part of the lessons",
                                       field=where))
        if kind in (INDEX, PAGE):
            return []
        if kind == TABLES:
            if not isinstance(value, Mapping) or not value:
                raise UnreadableRequest(tr("not a map of table names"))
            return [(f"{where}[{key!r}]", _table(key)) for key in value]
        name = {TABLE: _table, ARN: table_of_arn, STATEMENT: partiql_table, QUEUE_URL: _queue_of_url,
                ITERATOR: lambda v: table_of_arn(v.split("|", 1)[0] if isinstance(v, str) else v)}.get(kind)
        if name is not None:
            return [(where, name(value))]
        if isinstance(value, str) and value:  # BUCKET, QUEUE_NAME: the name itself
            return [(where, value)]
        raise UnreadableRequest(tr("not a name"))
    except UnreadableRequest as error:
        raise UnreadableRequest(f"{where}: {error}") from None


# ------------------------------------------------------------------------------------------------- refusing
def check_request(operation_name: str, params: Mapping[str, Any], prefix: str, service: str = "dynamodb") -> None:
    """Refuse (a ClientError with code AccessDeniedException) a request dynalab must not send on AWS: an operation
    not on ``RULES``, a name without ``prefix``, or a field the guard cannot read. ``params``: the call's parameters
    as boto3's client takes them (or DynamoDB's JSON body: the field names are the same)."""
    rule = RULES.get((service, operation_name))
    if rule is None:
        raise aws_error(REFUSAL_CODE, tr(
            "dynalab on AWS does not send {service} {operation}: it runs only the calls the lessons make, on "
            "resources named with {prefix!r}. To run it, use your own boto3 session outside dynalab "
            "(boto3.client({service!r})).", service=service, operation=operation_name, prefix=prefix),
            operation_name)
    if not isinstance(params, Mapping):
        params = {}
    try:
        names = names_in(rule, params, operation_name)
    except UnreadableRequest as error:
        raise aws_error(REFUSAL_CODE, tr(
            "dynalab on AWS refuses {operation}: it cannot tell that it touches only resources named with "
            "{prefix!r} ({reason}).", operation=operation_name, prefix=prefix, reason=error), operation_name) from None
    foreign = sorted({name for _, name in names if not name.startswith(prefix)})
    if foreign:
        fields = sorted({where.split("[", 1)[0] for where, name in names if name in foreign})
        raise aws_error(REFUSAL_CODE, tr(
            "dynalab on AWS touches only its own resources (names starting with {prefix!r}); {operation} names "
            "{names} ({fields}). Use lab.table_name('...') for lesson tables.", prefix=prefix,
            operation=operation_name, names=", ".join(foreign), fields=", ".join(fields)), operation_name)


class AwsGuard:
    """``check_request`` with the prefix bound, as a botocore handler of its own on each of a lab's AWS clients
    (outside the fidelity layer, so no switch of the layer turns it off)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def install(self, client: Any) -> None:
        service = client.meta.service_model.service_name  # "dynamodb", "dynamodbstreams", "sqs", ...

        def handle(event_name: str, params: Any = None, **_: Any) -> None:
            check_request(operation_name(event_name), params, self.prefix, service)

        client.meta.events.register_first(f"before-parameter-build.{client.meta.service_model.service_id.hyphenize()}",
                                          handle,
                                          unique_id=f"dynalab-aws-guard-{id(self)}")
