"""AWS mode end to end under moto's in-process mock: prefixed tables, the guard, cleanup, the cost ceiling, and the
one-line errors of a missing Region or an unknown profile."""

from __future__ import annotations

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

import dynalab
from dynalab.engine import EngineUnreachableError
from dynalab.engine.aws_budget import AwsCostCeilingError, estimate_load

pytestmark = pytest.mark.integration  # the aws code path end to end (in-process mock)


def _raw(service: str = "dynamodb"):
    """A client that is not dynalab's (as a learner's other code, or the account's production, would use)."""
    return boto3.client(service, region_name="us-east-1")


def _production_table(name: str = "production-orders") -> None:
    _raw().create_table(TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                        BillingMode="PAY_PER_REQUEST")


def test_create_table_is_prefixed_and_cleanup_deletes_it_and_leaves_the_others(mocked_aws, capsys):
    _production_table()
    lab = dynalab.connect()
    assert lab.is_aws and lab.table_prefix == "dynalab-"
    votes = dynalab.create_table(lab, "votes", ("UserID", "S"))
    assert votes.name == "dynalab-votes"
    assert sorted(_raw().list_tables()["TableNames"]) == ["dynalab-votes", "production-orders"]

    report = dynalab.cleanup(lab)
    assert report.deleted == ["table dynalab-votes"]
    assert report.remaining == [] and report.others == ["production-orders"]
    assert _raw().list_tables()["TableNames"] == ["production-orders"]
    shown = capsys.readouterr().out
    assert "deleted: table dynalab-votes" in shown and "tables left alone (not dynalab's): production-orders" in shown


def test_every_request_naming_another_table_is_refused(mocked_aws):
    _production_table()
    _raw().put_item(TableName="production-orders", Item={"id": {"S": "1"}})
    lab = dynalab.connect()
    dynalab.create_table(lab, "votes", ("UserID", "S"))
    refusals = [
        lambda: lab.client.put_item(TableName="production-orders", Item={"id": {"S": "2"}}),
        lambda: lab.client.delete_table(TableName="production-orders"),
        lambda: lab.client.scan(TableName="production-orders"),
        lambda: lab.resource.Table("production-orders").get_item(Key={"id": "1"}),
        lambda: lab.client.batch_write_item(RequestItems={
            "dynalab-votes": [{"PutRequest": {"Item": {"UserID": {"S": "u"}}}}],
            "production-orders": [{"DeleteRequest": {"Key": {"id": {"S": "1"}}}}]}),
        lambda: lab.client.transact_write_items(TransactItems=[
            {"Delete": {"TableName": "production-orders", "Key": {"id": {"S": "1"}}}}]),
    ]
    for refused in refusals:
        with pytest.raises(ClientError, match="production-orders") as caught:
            refused()
        assert caught.value.response["Error"]["Code"] == "AccessDeniedException"
    with pytest.raises(PermissionError, match="production-orders"):
        dynalab.delete_table(lab, "production-orders")
    # nothing reached the production table: its item is still there, and the batch wrote nothing either
    assert _raw().get_item(TableName="production-orders", Key={"id": {"S": "1"}})["Item"]
    assert _raw().scan(TableName="dynalab-votes")["Count"] == 0


def test_one_prefix_per_learner_keeps_each_to_their_own_tables(mocked_aws):
    mocked_aws.setenv("DYNALAB_AWS_PREFIX", "dynalab-bob-")
    bob = dynalab.connect()
    dynalab.create_table(bob, "votes", ("UserID", "S"))
    import dynalab.engine as engine_module

    engine_module._labs.pop("aws")
    mocked_aws.setenv("DYNALAB_AWS_PREFIX", "dynalab-ana-")
    ana = dynalab.connect()
    assert dynalab.create_table(ana, "votes", ("UserID", "S")).name == "dynalab-ana-votes"
    with pytest.raises(ClientError, match="dynalab-bob-votes"):
        ana.client.describe_table(TableName="dynalab-bob-votes")
    report = dynalab.cleanup(ana, show=False)
    assert report.deleted == ["table dynalab-ana-votes"]
    assert _raw().list_tables()["TableNames"] == ["dynalab-bob-votes"]


def test_a_bad_prefix_is_refused_with_the_rule(mocked_aws):
    mocked_aws.setenv("DYNALAB_AWS_PREFIX", "")
    with pytest.raises(ValueError, match="DYNALAB_AWS_PREFIX must be 3 to 64 characters"):
        dynalab.connect()


def test_cleanup_also_deletes_dynalab_backups_queues_buckets_and_kinesis_streams_only(mocked_aws):
    lab = dynalab.connect()
    dynalab.create_table(lab, "source", ("pk", "S"))
    lab.client.create_backup(TableName="dynalab-source", BackupName="dynalab-source-copy")
    sqs, s3, kinesis = _raw("sqs"), _raw("s3"), _raw("kinesis")
    for prefix in ("dynalab-", "prod-"):
        sqs.create_queue(QueueName=f"{prefix}dead-letters")
        s3.create_bucket(Bucket=f"{prefix}exports")
        s3.put_object(Bucket=f"{prefix}exports", Key="votes.json", Body=b"{}")
        kinesis.create_stream(StreamName=f"{prefix}changes", ShardCount=1)
    arn = kinesis.describe_stream(StreamName="dynalab-changes")["StreamDescription"]["StreamARN"]
    kinesis.register_stream_consumer(StreamARN=arn, ConsumerName="dynalab-reader")

    listed = dynalab.cleanup(lab, delete=False, show=False)
    assert listed.deleted == [] and len(listed.created) == 5, listed.created
    report = dynalab.cleanup(lab, show=False)
    kinds = sorted(entry.split(" ")[0] for entry in report.deleted)
    assert kinds == ["Kinesis", "S3", "backup", "queue", "table"], report.deleted
    assert [url.rsplit("/", 1)[1] for url in sqs.list_queues()["QueueUrls"]] == ["prod-dead-letters"]
    assert [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]] == ["prod-exports"]
    assert kinesis.list_streams()["StreamNames"] == ["prod-changes"]
    assert _raw().list_backups()["BackupSummaries"] == []


def test_the_cost_ceiling_refuses_a_large_load_before_it_starts_and_says_so(mocked_aws, capsys):
    lab = dynalab.connect()
    # 40,000 WCU and 1 RCU for an hour: 40,000 x $0.00065 + $0.00013 = $26.0001: refused, and no table was made
    with pytest.raises(AwsCostCeilingError, match=r"about \$26\.0001.*DYNALAB_AWS_MAX_DOLLARS=1\.00"):
        dynalab.create_table(lab, "hot", ("pk", "S"), read_capacity_units=1, write_capacity_units=40_000)
    assert _raw().list_tables()["TableNames"] == []
    # a small provisioned table is fine, and its estimate is printed: 5 x 0.00065 + 5 x 0.00013 = $0.0039
    dynalab.create_table(lab, "small", ("pk", "S"), read_capacity_units=5, write_capacity_units=5)
    assert "creating the provisioned table dynalab-small (5 RCU, 5 WCU) will cost about $0.0039" in \
        capsys.readouterr().out
    # an on-demand bulk load: 2,000 one-KB votes = 2,000 WRU x $0.625 per million = $0.00125
    table = dynalab.create_table(lab, "votes", ("UserID", "S"))
    report = dynalab.bulk_load(lab, table.name, dynalab.sample_votes(), show_progress=False)
    assert report.items_written == 2000
    assert "bulk_load of 2,000 items into dynalab-votes will cost about $0.0013" in capsys.readouterr().out
    # the ceiling counts what this connection already approved, and is the learner's to set
    mocked_aws.setenv("DYNALAB_AWS_MAX_DOLLARS", "0.005")
    with pytest.raises(AwsCostCeilingError, match=r"already approved.*DYNALAB_AWS_MAX_DOLLARS=0\.005"):
        dynalab.run_load(lab, table.name, 100, 60)  # 6,000 WRU = $0.00375, on top of $0.0052
    mocked_aws.setenv("DYNALAB_AWS_MAX_DOLLARS", "lots")
    with pytest.raises(ValueError, match="DYNALAB_AWS_MAX_DOLLARS must be a number"):
        dynalab.run_load(lab, table.name, 10, 1)


def test_run_load_prints_its_estimate_and_runs(mocked_aws, capsys):
    lab = dynalab.connect()
    table = dynalab.create_table(lab, "load", ("pk", "S"))
    run = dynalab.run_load(lab, table.name, 20, 1)
    assert run.served == 20
    assert "run_load of 20 writes on dynalab-load will cost about $0.0000 (on-demand: 20 write request units" in \
        capsys.readouterr().out


def test_estimates_follow_the_price_list():
    assert estimate_load("x", write_request_units=1_000_000).dollars == pytest.approx(0.625)
    assert estimate_load("x", read_request_units=1_000_000).dollars == pytest.approx(0.125)
    assert estimate_load("x", write_capacity_units=1000, read_capacity_units=1000).dollars == pytest.approx(0.78)
    with pytest.raises(ValueError, match="write_request_units must be a finite number"):
        estimate_load("x", write_request_units=float("nan"))


def test_no_region_gives_one_line(aws_env, outside_connects):
    aws_env.delenv("AWS_DEFAULT_REGION")
    with mock_aws(), pytest.raises(EngineUnreachableError) as caught:
        dynalab.connect()
    assert "needs an AWS Region" in str(caught.value) and "AWS_REGION" in str(caught.value)
    assert "\n" not in str(caught.value) and caught.value.__cause__ is None


def test_an_unknown_profile_gives_one_line(aws_env, outside_connects):
    aws_env.setenv("AWS_PROFILE", "no-such-profile")
    with mock_aws(), pytest.raises(EngineUnreachableError) as caught:
        dynalab.connect()
    assert "'no-such-profile'" in str(caught.value) and "\n" not in str(caught.value)


def test_no_credentials_gives_one_line(aws_env, outside_connects):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        aws_env.delenv(name)
    with pytest.raises(EngineUnreachableError, match="needs AWS credentials"):
        dynalab.connect()


def test_the_cli_cleanup_lists_then_deletes_with_yes(mocked_aws, capsys):
    from dynalab.__main__ import main

    dynalab.create_table(dynalab.connect(), "votes", ("UserID", "S"))
    _production_table()
    main(["cleanup", "--yes"])
    shown = capsys.readouterr().out
    assert "deleted: table dynalab-votes" in shown and "production-orders" in shown
    assert _raw().list_tables()["TableNames"] == ["production-orders"]


def test_the_cli_cleanup_refuses_without_aws(monkeypatch):
    from dynalab.__main__ import main

    monkeypatch.delenv("DYNALAB_ENDPOINT", raising=False)
    with pytest.raises(SystemExit, match="DYNALAB_ENDPOINT=aws"):
        main(["cleanup"])
