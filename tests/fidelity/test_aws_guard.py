"""The AWS guard names every table a request touches, and refuses those without dynalab's prefix."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from dynalab.engine import AWS_TABLE_PREFIX
from dynalab.fidelity.aws_guard import AwsTableGuard, tables_named


def test_tables_named_covers_single_batch_transaction_and_stream_requests():
    assert tables_named({"TableName": "a"}) == {"a"}
    assert tables_named({"RequestItems": {"b": [], "c": []}}) == {"b", "c"}
    assert tables_named({"TransactItems": [{"Put": {"TableName": "d"}}, {"ConditionCheck": {"TableName": "e"}}]}) == {
        "d", "e"}
    arn = "arn:aws:dynamodb:us-east-1:123456789012:table/f/stream/2026-01-01T00:00:00.000"
    assert tables_named({"StreamArn": arn}) == {"f"}
    assert tables_named({}) == set()


def test_the_guard_refuses_a_foreign_table_and_names_it():
    guard = AwsTableGuard(AWS_TABLE_PREFIX)
    with pytest.raises(ClientError, match=r"DeleteTable names production-orders"):
        guard.before_call("DeleteTable", {}, {"dynalab_request": {"TableName": "production-orders"}})
    with pytest.raises(ClientError, match="other"):
        guard.before_call("BatchWriteItem", {}, {"dynalab_request": {"RequestItems": {"dynalab-x": [], "other": []}}})


def test_the_guard_lets_dynalab_tables_and_table_less_calls_through():
    guard = AwsTableGuard(AWS_TABLE_PREFIX)
    guard.before_call("PutItem", {}, {"dynalab_request": {"TableName": "dynalab-votes"}})
    guard.before_call("ListTables", {}, {"dynalab_request": {}})
