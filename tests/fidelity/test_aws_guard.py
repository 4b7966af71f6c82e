"""The AWS guard, engine-free: which operations it lets through, every naming field of each, PartiQL's table, and
the one-line refusals (the end-to-end escapes on moto's mock are in tests/aws/test_aws_guard.py)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from dynalab.fidelity.aws_guard import UnreadableRequest, check_request, partiql_target, table_of_arn

PREFIX = "dynalab-ana-"
ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/"


def refusal(operation: str, params: dict, service: str = "dynamodb") -> str:
    with pytest.raises(ClientError) as caught:
        check_request(operation, params, PREFIX, service)
    error = caught.value.response["Error"]
    assert error["Code"] == "AccessDeniedException" and "\n" not in error["Message"]
    return error["Message"]


@pytest.mark.parametrize(("statement", "table", "index"), [
    ("SELECT * FROM prod", "prod", None),
    ('DELETE FROM "prod" WHERE pk = \'secret\'', "prod", None),
    ('select a FROM "dynalab-ana-v"."by-date" where pk = \'from x\'', "dynalab-ana-v", "by-date"),
    ("INSERT INTO \"t\" VALUE {'pk': 'a', 'note': 'INTO prod'}", "t", None),
    ('UPDATE "t" SET "from" = 1 WHERE pk = \'x\'', "t", None),
    ('EXISTS(SELECT * FROM "t" WHERE pk = \'x\')', "t", None),
    ('SELECT * FROM "we""ird";', 'we"ird', None),
    ("SELECT * FROM t.idx", "t", "idx"),
])
def test_partiql_names_its_one_table(statement, table, index):
    assert partiql_target(statement) == (table, index)


@pytest.mark.parametrize("statement", [
    "", "DROP TABLE t", 'SELECT * FROM "a", "b"', "SELECT * FROM a JOIN b", "SELECT * FROM t -- x",
    "SELECT * FROM t /* x */", "SELECT * FROM dynalab-ana-v", 'SELECT * FROM "dynalab-ana-v"; DELETE FROM prod',
    "UPDATE t SET a = (SELECT 1 FROM prod)", "SELECT * FROM t AS x", 'SELECT * FROM "t".', "EXISTS(UPDATE t SET a=1)",
    "SELECT 1", None, 7,
])
def test_a_statement_the_guard_cannot_read_is_refused(statement):
    with pytest.raises(UnreadableRequest):
        partiql_target(statement)


def test_arns_name_their_table():
    assert table_of_arn(ARN + "t") == "t"
    assert table_of_arn(ARN + "t/backup/01489173575360-b308cd7d") == "t"
    assert table_of_arn(ARN + "t/stream/2026-12-07T10:00:00.000") == "t"
    assert table_of_arn(ARN + "t/export/01234567890123-a1b2c3d4") == "t"
    for bad in ("arn:aws:dynamodb::123456789012:global-table/t", ARN + "t/x/y", "t", None):
        with pytest.raises(UnreadableRequest):
            table_of_arn(bad)


def test_an_operation_off_the_list_is_refused_by_name_with_the_way_out():
    message = refusal("CreateGlobalTable", {"GlobalTableName": "dynalab-ana-x"})
    assert "CreateGlobalTable" in message and "your own boto3 session" in message
    assert "PutObject" in refusal("PutObject", {"Bucket": "dynalab-ana-b"}, "s3")


@pytest.mark.parametrize(("operation", "params", "named"), [
    ("ExecuteStatement", {"Statement": 'DELETE FROM "prod" WHERE pk = \'x\''}, "prod"),
    ("BatchExecuteStatement", {"Statements": [{"Statement": 'SELECT * FROM "dynalab-ana-v"'},
                                              {"Statement": 'SELECT * FROM "prod"'}]}, "prod"),
    ("ExecuteTransaction", {"TransactStatements": [{"Statement": 'UPDATE "prod" SET a = 1 WHERE pk = \'x\''}]},
     "prod"),
    ("DeleteBackup", {"BackupArn": ARN + "prod/backup/01489173575360-b308cd7d"}, "prod"),
    ("RestoreTableFromBackup", {"TargetTableName": "dynalab-ana-c", "BackupArn": ARN + "prod/backup/1-a"}, "prod"),
    ("RestoreTableFromBackup", {"TargetTableName": "c", "BackupArn": ARN + "dynalab-ana-v/backup/1-a"}, "c"),
    ("RestoreTableToPointInTime", {"SourceTableName": "prod", "TargetTableName": "dynalab-ana-c"}, "prod"),
    ("RestoreTableToPointInTime", {"SourceTableArn": ARN + "prod", "TargetTableName": "dynalab-ana-c"}, "prod"),
    ("ExportTableToPointInTime", {"TableArn": ARN + "prod", "S3Bucket": "dynalab-ana-b"}, "prod"),
    ("ExportTableToPointInTime", {"TableArn": ARN + "dynalab-ana-v", "S3Bucket": "prod-bucket"}, "prod-bucket"),
    ("ImportTable", {"S3BucketSource": {"S3Bucket": "dynalab-ana-b"}, "InputFormat": "DYNAMODB_JSON",
                     "TableCreationParameters": {"TableName": "lost"}}, "lost"),
    ("GetItem", {"TableName": ARN + "prod", "Key": {}}, "prod"),
    ("GetItem", {"TableName": "dynalab-anabel-votes", "Key": {}}, "dynalab-anabel-votes"),
    ("BatchGetItem", {"RequestItems": {"dynalab-ana-v": {"Keys": []}, "prod": {"Keys": []}}}, "prod"),
    ("TransactWriteItems", {"TransactItems": [{"Put": {"TableName": "dynalab-ana-v", "Item": {}}},
                                              {"Delete": {"TableName": "prod", "Key": {}}}]}, "prod"),
    ("TagResource", {"ResourceArn": ARN + "prod", "Tags": []}, "prod"),
    ("GetRecords", {"ShardIterator": ARN + "prod/stream/2026-12-07T10:00:00.000|1|AAAA"}, "prod"),
    ("GetShardIterator", {"StreamArn": ARN + "prod/stream/2026-12-07T10:00:00.000", "ShardId": "s"}, "prod"),
])
def test_every_naming_field_must_carry_the_prefix(operation, params, named):
    service = "dynamodbstreams" if operation in ("GetRecords", "GetShardIterator") else "dynamodb"
    assert named in refusal(operation, params, service)


@pytest.mark.parametrize(("operation", "params"), [
    ("ListBackups", {}),  # every table's backups: the guard cannot tell they are dynalab's
    ("ListStreams", {}),
    ("GetRecords", {"ShardIterator": "opaque"}),
    ("ExecuteStatement", {"Statement": "SELECT * FROM t JOIN u"}),
    ("ExecuteTransaction", {"TransactStatements": [{"Statement": 'UPDATE "prod" SET a = 1'}]}),  # no WHERE
    ("TransactWriteItems", {"TransactItems": [{"Smuggle": {"TableName": "prod"}}]}),
    ("BatchWriteItem", {"RequestItems": []}),
    ("PutItem", {"TableName": 7}),
    ("CreateTable", {"TableName": "dynalab-ana-g", "GlobalTableSourceArn": ARN + "dynalab-ana-x"}),
    ("UpdateTable", {"TableName": "dynalab-ana-v", "ReplicaUpdates": [{"Create": {"RegionName": "eu-west-1"}}]}),
])
def test_what_the_guard_cannot_read_is_refused(operation, params):
    service = "dynamodbstreams" if operation in ("ListStreams", "GetRecords") else "dynamodb"
    assert operation in refusal(operation, params, service)


def test_the_prefix_ends_at_its_separator_and_the_learners_own_calls_pass():
    check_request("GetItem", {"TableName": "dynalab-ana-votes", "Key": {}}, PREFIX)
    check_request("Query", {"TableName": "dynalab-ana-votes", "IndexName": "by-date"}, PREFIX)
    check_request("ExecuteStatement", {"Statement": 'SELECT * FROM "dynalab-ana-v"."by-date"'}, PREFIX)
    check_request("RestoreTableFromBackup", {"TargetTableName": "dynalab-ana-c",
                                             "BackupArn": ARN + "dynalab-ana-v/backup/1-a"}, PREFIX)
    check_request("ListTables", {}, PREFIX)
    check_request("GetRecords", {"ShardIterator": ARN + "dynalab-ana-v/stream/2026-12-07T10:00:00.000|1|A"}, PREFIX,
                  "dynamodbstreams")
    check_request("SendMessage", {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/1/dynalab-ana-q",
                                  "MessageBody": "x"}, PREFIX, "sqs")
    assert "dynalab-anabel-q" in refusal("GetQueueUrl", {"QueueName": "dynalab-anabel-q"}, "sqs")
