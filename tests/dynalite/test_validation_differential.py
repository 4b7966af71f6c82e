"""The validation differential: malformed calls sent raw to dynalite and to the embedded engine through dynalab's
layer must get the same error code, and the same message wherever dynalite uses DynamoDB's words.

dynalite (an independent implementation whose validation messages were recorded from DynamoDB) is the reference
where it is known to agree with DynamoDB. Where it is known not to, the case is listed in ``KNOWN_DIFFERENCES`` with
the reason and the AWS page that says what DynamoDB does; the layer must still refuse with DynamoDB's code.
Every write is aimed at the key ``never``: a refused call must leave nothing there.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from validation_cases import GSI, HASH, RANGE, cases

import dynalab
from dynalab.engine import _client_args, _session

DOCS = "https://docs.aws.amazon.com/amazondynamodb/latest/"
_SYNTAX = ("message", "dynalite reports its PEG parser's expectation list; DynamoDB names the token and its "
                      "neighbours (\"Syntax error; token: ..., near: ...\")",
           DOCS + "developerguide/Expressions.OperatorsAndFunctions.html")
_JAVA_VALUE = ("message", "DynamoDB prints the refused value as Java objects (WriteRequest@...); dynalite prints it as "
                          "JSON in full, dynalab as JSON cut at 200 characters: the constraint after it is the same",
               DOCS + "developerguide/ServiceQuotas.html")
_NO_TRANSACTIONS = ("answer", "dynalite has no transactions (UnknownOperationException)",
                    DOCS + "developerguide/transaction-apis.html")
#: Cases where dynalite is known to answer otherwise than DynamoDB: id -> (what differs, why, the AWS page).
KNOWN_DIFFERENCES: dict[str, tuple[str, str, str]] = {
    "condition-unclosed": _SYNTAX, "condition-double-comparator": _SYNTAX, "condition-dangling-and": _SYNTAX,
    "update-syntax": _SYNTAX, "update-unknown-verb": _SYNTAX, "projection-double-comma": _SYNTAX,
    "batch-write-26": _JAVA_VALUE, "batch-get-101": _JAVA_VALUE,
    "transact-get-one-item-twice": _NO_TRANSACTIONS, "transact-write-one-item-twice": _NO_TRANSACTIONS,
    "transact-write-bad-number": _NO_TRANSACTIONS,
    "put-nested-33-levels": ("answer", "dynalite stores documents of any depth; DynamoDB refuses past 32 levels "
                                       "(\"Nested attribute depth\")", DOCS + "developerguide/Constraints.html"),
    "put-empty-attribute-name": ("answer", "dynalite accepts an empty attribute name; DynamoDB's names are 1 byte to "
                                           "64 KB", DOCS + "developerguide/HowItWorks.NamingRulesDataTypes.html"),
    "put-attribute-name-64-kb": ("answer", "dynalite accepts a 64 KB attribute name; DynamoDB's names are at most "
                                           "64 KB - 1 B", DOCS + "developerguide/HowItWorks.NamingRulesDataTypes.html"),
    "put-index-key-empty": ("answer", "dynalite accepts an empty string as a GSI key (dynalite issue 164); DynamoDB "
                                      "refuses it", DOCS + "developerguide/HowItWorks.NamingRulesDataTypes.html"),
    "delete-return-all-new": ("answer", "dynalite accepts it; \"DeleteItem does not recognize any values other than "
                                        "NONE or ALL_OLD\"", DOCS + "APIReference/API_DeleteItem.html"),
    "scan-total-segments-too-many": ("answer", "dynalite has no upper bound; TotalSegments is at most 1,000,000",
                                     DOCS + "APIReference/API_Scan.html"),
    "scan-gsi-consistent-read": ("answer", "dynalite drops ConsistentRead from a Scan; \"Strongly consistent reads are "
                                           "not supported on global secondary indexes\"",
                                 DOCS + "APIReference/API_Scan.html"),
}
_WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
_CASES = cases()


def _key(name: str, kind: str) -> dict[str, str]:
    return {"AttributeName": name, "KeyType": kind}


def _defined(name: str, kind: str) -> dict[str, str]:
    return {"AttributeName": name, "AttributeType": kind}


def _create_tables(client: Any) -> None:
    for name in (RANGE, HASH, GSI):
        try:
            client.delete_table(TableName=name)
        except client.exceptions.ResourceNotFoundException:
            pass
    client.create_table(TableName=RANGE, KeySchema=[_key("pk", "HASH"), _key("sk", "RANGE")],
                        AttributeDefinitions=[_defined("pk", "S"), _defined("sk", "N")], BillingMode="PAY_PER_REQUEST")
    client.create_table(TableName=HASH, KeySchema=[_key("pk", "HASH")], AttributeDefinitions=[_defined("pk", "S")],
                        BillingMode="PAY_PER_REQUEST")
    client.create_table(
        TableName=GSI, KeySchema=[_key("pk", "HASH"), _key("ss", "RANGE")], BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[_defined("pk", "S"), _defined("ss", "S"), _defined("g", "S"), _defined("l", "N")],
        GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [_key("g", "HASH")],
                                 "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        LocalSecondaryIndexes=[{"IndexName": "by-l", "KeySchema": [_key("pk", "HASH"), _key("l", "RANGE")],
                                "Projection": {"ProjectionType": "ALL"}}])


@pytest.fixture(scope="module")
def engines(dynalite_url, _engine_for_the_session):
    """(a raw dynalite client, a client through the layer on the embedded engine, a plain one to look behind it):
    no botocore parameter validation and no retries, so each call reaches the server once, as written."""
    raw = {"retries": {"max_attempts": 0}, "parameter_validation": False}
    reference = _session(False).client("dynamodb", **_client_args(dynalite_url, False, **raw))
    lab = dynalab.connect(None)
    layered = lab.new_client(**raw)
    behind = _session(False).client("dynamodb", **_client_args(lab.endpoint_url, False))
    for client in (reference, behind):
        _create_tables(client)
    lab.fidelity.catalog.forget(None)
    return reference, layered, behind


def _answer(client: Any, operation: str, params: dict[str, Any]) -> tuple[str, str]:
    try:
        client._make_api_call(operation, params)
    except client.exceptions.ClientError as error:
        return error.response["Error"]["Code"], error.response["Error"].get("Message", "")
    return "OK", ""


def _never_written(behind: Any) -> list[dict]:
    found = []
    for table in (RANGE, HASH, GSI):
        found += behind.query(TableName=table, KeyConditionExpression="pk = :n",
                              ExpressionAttributeValues={":n": {"S": "never"}}, ConsistentRead=True)["Items"]
    return found


def test_there_are_at_least_150_cases_and_every_known_difference_is_one_of_them():
    ids = {case[0] for case in _CASES}
    assert len(ids) >= 150
    assert set(KNOWN_DIFFERENCES) <= ids
    assert all(kind in ("message", "answer") and page.startswith(DOCS) for kind, _, page in KNOWN_DIFFERENCES.values())


@pytest.mark.parametrize("case", _CASES, ids=[case[0] for case in _CASES])
def test_the_layer_answers_a_malformed_call_as_dynalite_does(engines, case):
    name, operation, params = case
    reference, layered, behind = engines
    expected = _answer(reference, operation, json.loads(json.dumps(params)))
    got = _answer(layered, operation, json.loads(json.dumps(params)))
    difference = KNOWN_DIFFERENCES.get(name)
    if difference is None:
        assert got == expected
    elif difference[0] == "message":
        assert got[0] == expected[0] == "ValidationException"
        assert got[1] != expected[1], f"{name} now matches dynalite: drop it from KNOWN_DIFFERENCES"
    else:
        assert got[0] == "ValidationException", f"{name}: DynamoDB refuses it ({difference[2]})"
        assert expected[0] != got[0] or expected[1] != got[1]
    if operation in _WRITES and got[0] != "OK":
        assert _never_written(behind) == [], f"{name}: a refused call wrote"
