"""The embedded engine's shard iterators: tokens that encode their shard, position and issue time (nothing kept in the
engine per iterator), and malformed iterator requests refused at once with DynamoDB's ValidationException.

Each test talks to an engine of its own with plain boto3 clients over HTTP: what is tested is the engine process.
"""

from __future__ import annotations

import time
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from dynalab.engine import start_embedded_engine
from dynalab.models.quotas import GET_RECORDS_MAX_RECORDS

pytestmark = pytest.mark.embedded_only  # the iterators are the embedded engine's own


@pytest.fixture(scope="module")
def engine():
    started = start_embedded_engine()
    yield started
    started.stop()


@pytest.fixture(scope="module")
def clients(engine):
    # botocore checks some lengths itself: switched off here, so the request reaches the engine as a raw one would
    args = {"endpoint_url": engine.endpoint_url, "region_name": "us-east-1", "aws_access_key_id": "test",
            "aws_secret_access_key": "test", "config": Config(parameter_validation=False)}
    return boto3.client("dynamodb", **args), boto3.client("dynamodbstreams", **args)


def _stream_table(client, name: str, view_type: str) -> str:
    """A table with a stream; its stream's ARN."""
    return client.create_table(
        TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": view_type})["TableDescription"]["LatestStreamArn"]


@pytest.fixture(scope="module")
def stream(clients):
    """(stream ARN, shard id, the sequence numbers of its 5 records)."""
    client, streams = clients
    arn = _stream_table(client, "iterated", "NEW_IMAGE")
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    for n in range(5):
        client.put_item(TableName="iterated", Item={"pk": {"S": f"k{n}"}})
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    records = streams.get_records(ShardIterator=iterator["ShardIterator"])["Records"]
    return arn, shard, [record["dynamodb"]["SequenceNumber"] for record in records]


def _refused(call, **kwargs) -> dict:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    response = raised.value.response
    assert response["ResponseMetadata"]["RetryAttempts"] == 0  # a 400 at once: nothing for botocore to retry
    return response["Error"]


def test_iterators_are_tokens_that_read_on_from_their_position(clients, stream):
    _, streams = clients
    arn, shard, numbers = stream
    assert len(numbers) == 5
    token = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                                       SequenceNumber=numbers[1])["ShardIterator"]
    assert token.startswith(arn + "|1|") and len(token) <= 2048  # like DynamoDB's: "<stream ARN>|1|<opaque>"
    first = streams.get_records(ShardIterator=token, Limit=2)
    assert [r["dynamodb"]["SequenceNumber"] for r in first["Records"]] == numbers[2:4]
    second = streams.get_records(ShardIterator=first["NextShardIterator"])
    assert [r["dynamodb"]["SequenceNumber"] for r in second["Records"]] == numbers[4:]
    empty = streams.get_records(ShardIterator=second["NextShardIterator"])
    assert empty["Records"] == [] and empty["NextShardIterator"]  # an open shard: read on later
    again = streams.get_records(ShardIterator=first["NextShardIterator"])  # an iterator can be used again
    assert [r["dynamodb"]["SequenceNumber"] for r in again["Records"]] == numbers[4:]
    at = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AT_SEQUENCE_NUMBER",
                                    SequenceNumber=numbers[3])["ShardIterator"]
    assert [r["dynamodb"]["SequenceNumber"] for r in streams.get_records(ShardIterator=at)["Records"]] == numbers[3:]


def test_an_at_timestamp_iterator_starts_at_the_first_record_at_or_after_it(clients, stream):
    client, streams = clients
    arn, shard, numbers = stream
    since_an_hour = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AT_TIMESTAMP",
                                               Timestamp=time.time() - 3600)["ShardIterator"]
    assert [r["dynamodb"]["SequenceNumber"] for r in streams.get_records(ShardIterator=since_an_hour)["Records"]
            ][:5] == numbers
    now = time.time()
    time.sleep(0.01)
    client.put_item(TableName="iterated", Item={"pk": {"S": "later"}})
    since_now = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AT_TIMESTAMP",
                                           Timestamp=now)["ShardIterator"]
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in streams.get_records(ShardIterator=since_now)["Records"]] == [
        "later"]


@pytest.mark.parametrize("arguments, code, words", [
    ({"ShardIteratorType": "AFTER_SEQUENCE_NUMBER"}, "ValidationException",
     "ShardIteratorType AFTER_SEQUENCE_NUMBER needs a SequenceNumber, and none was given"),
    ({"ShardIteratorType": "AT_SEQUENCE_NUMBER"}, "ValidationException",
     "ShardIteratorType AT_SEQUENCE_NUMBER needs a SequenceNumber"),
    ({"ShardIteratorType": "TRIM_HORIZON", "SequenceNumber": "1" * 22}, "ValidationException",
     "ShardIteratorType TRIM_HORIZON takes no SequenceNumber"),
    ({"ShardIteratorType": "NEXT"}, "ValidationException",
     "1 validation error detected: Value 'NEXT' at 'shardIteratorType' failed to satisfy constraint: Member must "
     "satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, AT_TIMESTAMP]"),
    ({"ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": "x" * 22}, "ValidationException",
     "Invalid SequenceNumber for the shard"),
    ({"ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": "1" * 21}, "ValidationException",
     "Invalid SequenceNumber for the shard"),  # before the shard's first sequence number
    ({"ShardIteratorType": "AT_SEQUENCE_NUMBER", "SequenceNumber": "1" * 41}, "ValidationException",
     "at 'sequenceNumber' failed to satisfy constraint: Member must have length less than or equal to 40"),
    ({"ShardIteratorType": "AT_TIMESTAMP"}, "ValidationException",
     "ShardIteratorType AT_TIMESTAMP needs a Timestamp, and none was given"),
    ({"ShardIteratorType": "AT_TIMESTAMP", "Timestamp": time.time() + 3600}, "ValidationException",
     "is in the future"),
    ({"ShardId": "shardId-1"}, "ValidationException",
     "1 validation error detected: Value 'shardId-1' at 'shardId' failed to satisfy constraint: Member must have "
     "length greater than or equal to 28"),
    ({"StreamArn": None}, "ValidationException",
     "1 validation error detected: Value null at 'streamArn' failed to satisfy constraint: Member must not be null"),
    ({"ShardId": "shardId-00000000000000000000-00000000"}, "ResourceNotFoundException",
     "Requested resource not found: Shard: shardId-00000000000000000000-00000000 not found"),
    ({"StreamArn": "arn:aws:dynamodb:us-east-1:123456789012:table/nothing/stream/2026-12-07T00:00:00.000"},
     "ResourceNotFoundException", "Requested resource not found: Stream: arn:aws:dynamodb:us-east-1:123456789012:"
                                  "table/nothing/stream/2026-12-07T00:00:00.000 not found"),
], ids=["after-without-number", "at-without-number", "trim-horizon-with-number", "unknown-type", "number-not-digits",
        "number-before-the-shard", "number-too-long", "at-timestamp-without-timestamp", "timestamp-in-the-future",
        "shard-id-too-short", "no-stream-arn", "unknown-shard", "unknown-stream"])
def test_malformed_get_shard_iterator_calls_get_a_validation_exception_at_once(clients, stream, arguments, code,
                                                                                words):
    """moto answered an AFTER_SEQUENCE_NUMBER without a sequence number with HTTP 500, retried by botocore for ~10 s;
    an unknown shard or type likewise."""
    _, streams = clients
    arn, shard, _ = stream
    request = {"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON", **arguments}
    error = _refused(streams.get_shard_iterator, **{name: value for name, value in request.items()
                                                     if value is not None})
    assert error["Code"] == code
    assert words in error["Message"]


def test_malformed_get_records_calls_get_a_validation_exception_at_once(clients, stream):
    _, streams = clients
    arn, shard, _ = stream
    token = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    prefix, _, payload = token.rpartition("|")
    altered = prefix + "|" + payload[:10] + ("A" if payload[10] != "A" else "B") + payload[11:]
    other_arn = arn[:-1] + ("8" if arn.endswith("9") else "9")
    for bad in ("abc", altered, token[:-8], token.replace(arn, other_arn), "x" * 2049):
        error = _refused(streams.get_records, ShardIterator=bad)
        assert error["Code"] == "ValidationException", bad
        assert error["Message"] == "Invalid ShardIterator" or "Member must have length less than or equal to 2048" \
            in error["Message"], error
    for limit, words in ((0, "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
                             "Member must have value greater than or equal to 1"),
                         (GET_RECORDS_MAX_RECORDS + 1, "Limit should be less than or equal to 1000")):
        error = _refused(streams.get_records, ShardIterator=token, Limit=limit)
        assert (error["Code"], words in error["Message"]) == ("ValidationException", True), error
    assert streams.get_records(ShardIterator=token, Limit=GET_RECORDS_MAX_RECORDS)["Records"] == []


def test_an_iterator_of_another_engine_or_a_deleted_stream_is_refused(clients, stream, engine):
    client, streams = clients
    arn, shard, _ = stream
    other = start_embedded_engine()
    try:
        other_client = boto3.client("dynamodbstreams", endpoint_url=other.endpoint_url, region_name="us-east-1",
                                    aws_access_key_id="test", aws_secret_access_key="test")
        token = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
        error = _refused(other_client.get_records, ShardIterator=token)  # signed by another engine's key
        assert (error["Code"], error["Message"]) == ("ValidationException", "Invalid ShardIterator")
    finally:
        other.stop()
    gone = _stream_table(client, "deleted", "KEYS_ONLY")
    token = streams.get_shard_iterator(StreamArn=gone, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    client.delete_table(TableName="deleted")
    error = _refused(streams.get_records, ShardIterator=token)
    assert (error["Code"], error["Message"]) == ("ResourceNotFoundException",
                                                 f"Requested resource not found: Stream: {gone} not found")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the engine's RSS from /proc")
def test_polling_keeps_no_iterator_in_the_engine(clients, stream, engine):
    """At DynamoDB's 15-minute lifetime moto kept every iterator it issued, ~2.1 KB a poll (+4 MB here); the tokens
    keep nothing. (20,000 polls: ``benchmarks/bench_iterators.py``.)"""
    _, streams = clients
    arn, shard, _ = stream
    token = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    for _ in range(300):  # warm-up: the engine's first answers fill caches that then stay
        token = streams.get_records(ShardIterator=token)["NextShardIterator"]
    before = _rss_mb(engine.process.pid)
    for _ in range(2000):
        token = streams.get_records(ShardIterator=token)["NextShardIterator"]
    assert _rss_mb(engine.process.pid) - before < 1.5
