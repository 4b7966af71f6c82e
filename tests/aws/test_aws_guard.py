"""The AWS guard denies by default (issue 23), end to end on moto's in-process mock: every escape the adversarial pass
found is refused with AccessDeniedException, and production's items and backups are unchanged afterwards. Also: no
naming field of an allowed operation is left unchecked (botocore's own input shapes are walked), and ``cleanup``
deletes only the tables tagged as dynalab's for this prefix."""

from __future__ import annotations

import re

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError

import dynalab
import dynalab.engine as engine_module

pytestmark = pytest.mark.integration  # the aws code path end to end (in-process mock)

PROD = "prod"


def _raw(service: str = "dynamodb"):
    """A client that is not dynalab's: production's own code."""
    return boto3.client(service, region_name="us-east-1")


@pytest.fixture
def prod(mocked_aws) -> dict:
    """A production table with one item, point-in-time recovery on, and its nightly backup."""
    raw = _raw()
    raw.create_table(TableName=PROD, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    raw.put_item(TableName=PROD, Item={"pk": {"S": "secret"}, "salary": {"N": "100"}})
    raw.update_continuous_backups(TableName=PROD, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    backup = raw.create_backup(TableName=PROD, BackupName="prod-nightly")["BackupDetails"]["BackupArn"]
    return {"arn": raw.describe_table(TableName=PROD)["Table"]["TableArn"], "backup": backup}


def _production_unchanged(prod: dict) -> None:
    raw = _raw()
    assert raw.scan(TableName=PROD)["Items"] == [{"pk": {"S": "secret"}, "salary": {"N": "100"}}]
    assert [b["BackupArn"] for b in raw.list_backups(TableName=PROD)["BackupSummaries"]] == [prod["backup"]]
    assert all(name == PROD or name.startswith("dynalab-") for name in raw.list_tables()["TableNames"])


def _refused(call, *named: str) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    error = caught.value.response["Error"]
    assert error["Code"] == "AccessDeniedException", error
    for name in named:
        assert name in error["Message"]
    return error["Message"]


def test_partiql_on_production_is_refused(prod):
    lab = dynalab.connect()
    delete = 'DELETE FROM "prod" WHERE pk = \'secret\''
    _refused(lambda: lab.client.execute_statement(Statement=delete), PROD)
    _refused(lambda: lab.client.execute_statement(Statement='SELECT * FROM "prod"."by-salary"'), PROD)
    _refused(lambda: lab.client.execute_statement(Statement="select * from prod"), PROD)
    _refused(lambda: lab.client.batch_execute_statement(Statements=[{"Statement": delete}]), PROD)
    _refused(lambda: lab.client.execute_transaction(TransactStatements=[{"Statement": delete}]), PROD)
    _production_unchanged(prod)


def test_production_backups_restores_exports_and_global_tables_are_refused(prod):
    lab = dynalab.connect()
    _refused(lambda: lab.client.delete_backup(BackupArn=prod["backup"]), PROD)
    _refused(lambda: lab.client.describe_backup(BackupArn=prod["backup"]), PROD)
    _refused(lambda: lab.client.restore_table_from_backup(TargetTableName="dynalab-stolen", BackupArn=prod["backup"]),
             PROD)
    _refused(lambda: lab.client.restore_table_to_point_in_time(SourceTableName=PROD, TargetTableName="dynalab-stolen",
                                                               UseLatestRestorableTime=True), PROD)
    _refused(lambda: lab.client.restore_table_to_point_in_time(SourceTableArn=prod["arn"],
                                                               TargetTableName="dynalab-stolen",
                                                               UseLatestRestorableTime=True), PROD)
    _refused(lambda: lab.client.export_table_to_point_in_time(TableArn=prod["arn"], S3Bucket="dynalab-exports"), PROD)
    message = _refused(lambda: lab.client.create_global_table(
        GlobalTableName=PROD, ReplicationGroup=[{"RegionName": "us-east-1"}]), "CreateGlobalTable")
    assert "your own boto3 session" in message
    assert "dynalab-stolen" not in _raw().list_tables()["TableNames"]
    _production_unchanged(prod)


def test_a_restore_or_an_import_into_an_unprefixed_table_is_refused(prod):
    lab = dynalab.connect()
    dynalab.create_table(lab, "votes", ("UserID", "S"))
    own_backup = lab.client.create_backup(TableName="dynalab-votes", BackupName="dynalab-votes-day1")
    arn = own_backup["BackupDetails"]["BackupArn"]
    _refused(lambda: lab.client.restore_table_from_backup(TargetTableName="stray-copy", BackupArn=arn), "stray-copy")
    _refused(lambda: lab.client.restore_table_to_point_in_time(SourceTableName="dynalab-votes",
                                                               TargetTableName="stray-copy",
                                                               UseLatestRestorableTime=True), "stray-copy")
    _refused(lambda: lab.client.import_table(
        S3BucketSource={"S3Bucket": "dynalab-exports"}, InputFormat="DYNAMODB_JSON",
        TableCreationParameters={"TableName": "stray-import", "BillingMode": "PAY_PER_REQUEST",
                                 "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
                                 "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}]}),
             "stray-import")
    assert sorted(_raw().list_tables()["TableNames"]) == ["dynalab-votes", PROD]
    _production_unchanged(prod)


def test_switching_the_fidelity_layer_off_leaves_the_guard_on(prod):
    lab = dynalab.connect()
    lab.fidelity.enabled = False
    lab.fidelity.plugins.clear()
    try:
        _refused(lambda: lab.client.delete_item(TableName=PROD, Key={"pk": {"S": "secret"}}), PROD)
        _refused(lambda: lab.resource.Table(PROD).delete_item(Key={"pk": "secret"}), PROD)
        _refused(lambda: lab.new_client().delete_backup(BackupArn=prod["backup"]), PROD)
        _refused(lambda: lab.retrying_client(3).delete_table(TableName=PROD), PROD)
    finally:
        lab.fidelity.enabled = True
    _production_unchanged(prod)


def test_a_look_alike_prefix_is_refused_and_the_prefix_ends_at_its_separator(prod, mocked_aws):
    mocked_aws.setenv("DYNALAB_AWS_PREFIX", "dynalab-ana")
    with pytest.raises(ValueError, match=r"DYNALAB_AWS_PREFIX must end with '-'.*'dynalab-ana-'"):
        dynalab.connect()
    mocked_aws.setenv("DYNALAB_AWS_PREFIX", "dynalab-anabel-")
    anabel = dynalab.connect()
    dynalab.create_table(anabel, "votes", ("UserID", "S")).put_item(Item={"UserID": "u1", "vote": "A"})
    engine_module._labs.pop("aws")
    mocked_aws.setenv("DYNALAB_AWS_PREFIX", "dynalab-ana-")
    ana = dynalab.connect()
    _refused(lambda: ana.client.scan(TableName="dynalab-anabel-votes"), "dynalab-anabel-votes")
    _refused(lambda: ana.client.delete_table(TableName="dynalab-anabel-votes"), "dynalab-anabel-votes")
    report = dynalab.cleanup(ana, show=False)
    assert report.created == [] and "dynalab-anabel-votes" in report.others
    assert _raw().scan(TableName="dynalab-anabel-votes")["Count"] == 1
    _production_unchanged(prod)


def test_cleanup_deletes_only_tables_tagged_as_dynalabs_for_this_prefix(mocked_aws):
    lab = dynalab.connect()
    dynalab.create_table(lab, "votes", ("UserID", "S"))
    tags = {t["Key"]: t["Value"] for t in _raw().list_tags_of_resource(
        ResourceArn=_raw().describe_table(TableName="dynalab-votes")["Table"]["TableArn"])["Tags"]}
    assert tags == {"dynalab:creator": "create_table", "dynalab:owner": "dynalab-"}
    # named with the prefix, but made by other means: listed as left alone, never deleted
    _raw().create_table(TableName="dynalab-handmade", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                        BillingMode="PAY_PER_REQUEST")
    report = dynalab.cleanup(lab, show=False)
    assert report.deleted == ["table dynalab-votes"] and report.not_created == ["dynalab-handmade"]
    assert "not created by dynalab" in report.summary()
    assert _raw().list_tables()["TableNames"] == ["dynalab-handmade"]


def test_an_instructors_sweep_deletes_every_learners_tables(mocked_aws):
    mocked_aws.setenv("DYNALAB_AWS_PREFIX", "dynalab-ana-")
    dynalab.create_table(dynalab.connect(), "votes", ("UserID", "S"))
    engine_module._labs.pop("aws")
    mocked_aws.setenv("DYNALAB_AWS_PREFIX", "dynalab-")
    assert dynalab.cleanup(dynalab.connect(), show=False).deleted == ["table dynalab-ana-votes"]
    assert _raw().list_tables()["TableNames"] == []


def test_a_reset_on_aws_deletes_only_a_table_dynalab_created_for_it(mocked_aws):
    lab = dynalab.connect()
    _raw().create_table(TableName="dynalab-votes", KeySchema=[{"AttributeName": "UserID", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "UserID", "AttributeType": "S"}],
                        BillingMode="PAY_PER_REQUEST")
    _raw().put_item(TableName="dynalab-votes", Item={"UserID": {"S": "kept"}})
    with pytest.raises(PermissionError, match="'dynalab-votes' exists and was not created by dynalab"):
        dynalab.create_vote_tables(lab, reset=True)
    assert _raw().scan(TableName="dynalab-votes")["Count"] == 1


# ------------------------------------------------------------------------- no naming field left unchecked
#: A member whose name says it names a resource (a table, index, stream, backup, export, bucket, queue, ARN, statement).
NAMING = re.compile(r"(TableName|TableArn|Arn|IndexName|Bucket|QueueUrl|QueueName|Statement|ShardIterator"
                    r"|GlobalTableName|RequestItems)$")


def _naming_paths(shape, path: str = "", seen: frozenset = frozenset()) -> list[str]:
    found = []
    if shape.type_name == "structure" and shape.name not in seen:
        for name, member in shape.members.items():
            where = f"{path}.{name}" if path else name
            if NAMING.search(name) and member.type_name in ("string", "map"):
                found.append(where)
            found += _naming_paths(member, where, seen | {shape.name})
    elif shape.type_name == "list":
        found += _naming_paths(shape.member, path + "[]", seen)
    elif shape.type_name == "map":
        found += _naming_paths(shape.value, path + "{}", seen)
    return found


def test_every_naming_field_of_every_allowed_operation_is_checked():
    from dynalab.fidelity.aws_guard import INDEX, PAGE, REFUSED, RULES

    session = botocore.session.get_session()
    unchecked = []
    for (service, operation), rule in RULES.items():
        model = session.get_service_model(service).operation_model(operation)
        listed = {path for path, _ in rule.fields}
        refused = tuple(path for path, kind in rule.fields if kind == REFUSED)  # what is under them is refused too
        unchecked += [f"{service} {operation} {path}" for path in _naming_paths(model.input_shape)
                      if path not in listed and not path.startswith(refused)]
        # and every field the rule lists is one botocore has (no typo leaves a field unchecked)
        members = set(_naming_paths(model.input_shape)) | set(model.input_shape.members)
        assert listed <= members, (operation, listed - members)
    assert unchecked == []
    # what is listed as needing no prefix of its own is an index of the checked table, a listing's start, or refused
    assert {kind for rule in RULES.values() for _, kind in rule.fields} >= {INDEX, PAGE, REFUSED}
