"""DynamoDB's validation on the engine, through the layer: what moto stored or answered with HTTP 500 (issue 25's
measurements) is refused at once with DynamoDB's code and words, and leaves nothing behind. The full list of malformed
calls is cross-checked against dynalite in ``tests/dynalite/test_validation_differential.py``."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

import dynalab


def refused(call) -> str:
    with pytest.raises(ClientError) as error:
        call()
    assert error.value.response["Error"]["Code"] == "ValidationException"
    assert error.value.response["ResponseMetadata"]["RetryAttempts"] == 0  # answered at once, not after retries
    return error.value.response["Error"]["Message"]


def test_values_moto_stored_are_refused_and_the_scan_still_meters(lab, table_name):
    table = dynalab.create_table(lab, table_name)
    table.put_item(Item={"pk": "a", "d": "x" * 5000})
    for value in ({"N": "1E+126"}, {"N": "1" * 39}, {"NS": ["1", "1.0"]}, {"SS": ["a", "a"]}):
        refused(lambda v=value: lab.client.put_item(TableName=table_name, Item={"pk": {"S": "b"}, "v": v}))
    assert "Item" not in table.get_item(Key={"pk": "b"})
    scan = lab.client.scan(TableName=table_name, ReturnConsumedCapacity="TOTAL")
    assert scan["ConsumedCapacity"]["CapacityUnits"] == 1.0  # one ~5 KB item: 2 blocks, eventually consistent


def test_calls_moto_answered_with_http_500_get_dynamodbs_answer(lab, table_name):
    dynalab.create_table(lab, table_name, sort_key=("sk", "N"))
    put = {"TableName": table_name, "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}}
    assert refused(lambda: lab.client.put_item(**put, ConditionExpression="attribute_exists(pk")).startswith(
        'Invalid ConditionExpression: Syntax error; token: "<EOF>"')
    assert refused(lambda: lab.client.put_item(**put, ConditionExpression="pk = :v")).endswith(
        "attribute value: :v")
    assert refused(lambda: lab.client.query(
        TableName=table_name, KeyConditionExpression="pk = :a OR pk = :b",
        ExpressionAttributeValues={":a": {"S": "a"}, ":b": {"S": "b"}})) == \
        "Invalid operator used in KeyConditionExpression: OR"


def test_get_records_limit_past_1000_is_refused(lab):
    message = refused(lambda: lab.streams.get_records(ShardIterator="any", Limit=1001))
    assert message.endswith("Member must have value less than or equal to 1000")


def test_a_batch_that_puts_and_deletes_one_key_changes_nothing(lab, table_name):
    table = dynalab.create_table(lab, table_name)
    table.put_item(Item={"pk": "a", "v": "kept"})
    key = {"pk": {"S": "a"}}
    assert refused(lambda: lab.client.batch_write_item(RequestItems={table_name: [
        {"PutRequest": {"Item": {**key, "v": {"S": "new"}}}}, {"DeleteRequest": {"Key": key}}]})) == \
        "Provided list of item keys contains duplicates"
    assert table.get_item(Key={"pk": "a"})["Item"]["v"] == "kept"
