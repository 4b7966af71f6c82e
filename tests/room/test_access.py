"""The room's door (dynalab.room.keys, dynalab.room.access): botocore-signed requests are recognised, anything
else is refused with DynamoDB's code, and a learner's key allows their own answers and nothing else."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from dynalab.room import ANSWERS_TABLE, LEARNERS_TABLE
from dynalab.room.access import Principal, Refused, authorize, verify
from dynalab.room.keys import RoomKeys, credentials, learner_name_problem, personal_key

KEYS = RoomKeys(bytes(range(32)))


def signed(key: str, learner: str | None, body: dict | bytes, target: str = "DynamoDB_20120810.PutItem",
           region: str = "us-east-1") -> tuple[dict[str, str], bytes]:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = AWSRequest(method="POST", url="http://127.0.0.1:8765/", data=data,
                         headers={"X-Amz-Target": target, "Content-Type": "application/x-amz-json-1.0"})
    SigV4Auth(Credentials(*credentials(key, learner)), "dynamodb", region).add_auth(request)
    headers = {name.lower(): value for name, value in request.headers.items()}
    headers["host"] = "127.0.0.1:8765"
    return headers, data


def check(headers: dict[str, str], body: bytes, **kwargs) -> Principal:
    return verify(KEYS, "POST", "/", "", headers, body, **kwargs)


def answer(learner: str, **extra) -> dict:
    item = {"learner": {"S": learner}, "question_id": {"S": "00#a"}, "lesson": {"S": "00"},
            "question": {"S": "q"}, "correct": {"BOOL": True}, "answered_at": {"S": "2026-12-07T10:00:00.000000Z"}}
    return {"TableName": ANSWERS_TABLE, "Item": {**item, **extra}}


def test_the_keys_derive_one_way_and_differ_per_learner():
    assert KEYS.instructor_key.startswith("dli-") and KEYS.learners_key.startswith("dll-")
    assert RoomKeys.from_instructor_key(KEYS.instructor_key) == KEYS
    assert personal_key(KEYS.learners_key, "ana") != personal_key(KEYS.learners_key, "ben")
    # the learners' key and a personal key sign alike: a hub hands out the second, a laptop room the first
    assert credentials(KEYS.learners_key, "ana") == credentials(personal_key(KEYS.learners_key, "ana"), "ana")
    assert learner_name_problem("") and learner_name_problem("   ") and learner_name_problem("x" * 65)
    assert learner_name_problem("アナ") is None


@pytest.mark.parametrize("learner", ["ana", "アナ", "Ana María", "x" * 64])
def test_a_learner_signed_by_botocore_is_recognised(learner):
    headers, body = signed(KEYS.learners_key, learner, answer(learner))
    assert check(headers, body) == Principal(credentials(KEYS.learners_key, learner)[0], learner)


def test_the_instructor_is_recognised():
    headers, body = signed(KEYS.instructor_key, None, {"TableName": LEARNERS_TABLE}, "DynamoDB_20120810.Scan")
    assert check(headers, body).learner is None


def refusal(headers: dict[str, str], body: bytes, **kwargs) -> Refused:
    with pytest.raises(Refused) as caught:
        check(headers, body, **kwargs)
    return caught.value


def test_what_is_not_signed_right_is_refused_in_dynamodb_words():
    headers, body = signed(KEYS.learners_key, "ana", answer("ana"))
    tampered = refusal(headers, body.replace(b"ana", b"ben"))
    assert tampered.code == "InvalidSignatureException" and "does not match the signature" in tampered.message
    other_room = signed(RoomKeys(bytes(32)).learners_key, "ana", answer("ana"))
    assert refusal(*other_room).code == "InvalidSignatureException"
    missing = refusal({k: v for k, v in headers.items() if k != "authorization"}, body)
    assert (missing.code, missing.message) == ("MissingAuthenticationTokenException",
                                               "Request is missing Authentication Token")
    unknown = {**headers, "authorization": headers["authorization"].replace("Credential=DLL", "Credential=AKIA")}
    assert refusal(unknown, body).message == "The security token included in the request is invalid."
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=20)
    assert refusal(headers, body, now=later).message.startswith("Signature expired:")
    assert "valid region" in refusal(*signed(KEYS.learners_key, "ana", answer("ana"), region="eu-west-1")).message
    no_date = {k: v for k, v in headers.items() if k != "x-amz-date"}
    assert refusal(no_date, body).code == "IncompleteSignatureException"


def test_a_personal_key_signs_only_for_its_own_name():
    ana_key = personal_key(KEYS.learners_key, "ana")
    headers, body = signed(ana_key, "ben", answer("ben"))  # Ana's key, claiming to be Ben
    assert refusal(headers, body).code == "InvalidSignatureException"


def test_a_learner_may_put_their_own_answer_and_nothing_else():
    ana = Principal("DLL-ana", "ana")
    authorize(ana, "PutItem", answer("ana"))
    denied = {
        "another's answer": ("PutItem", answer("ben")),
        "an extra attribute": ("PutItem", answer("ana", note={"S": "x"})),
        "the old item back": ("PutItem", {**answer("ana"), "ReturnValues": "ALL_OLD"}),
        "another table": ("PutItem", {**answer("ana"), "TableName": LEARNERS_TABLE}),
        "reading answers": ("Scan", {"TableName": ANSWERS_TABLE}),
        "reading one": ("GetItem", {"TableName": ANSWERS_TABLE, "Key": {"learner": {"S": "ben"}}}),
        "a query": ("Query", {"TableName": ANSWERS_TABLE}),
        "deleting the table": ("DeleteTable", {"TableName": ANSWERS_TABLE}),
        "deleting an answer": ("DeleteItem", {"TableName": ANSWERS_TABLE}),
        "an update": ("UpdateItem", {"TableName": ANSWERS_TABLE}),
        "a batch": ("BatchWriteItem", {"RequestItems": {ANSWERS_TABLE: []}}),
        "a transaction": ("TransactWriteItems", {"TransactItems": []}),
        "the stream": ("GetRecords", {"ShardIterator": "x"}),
        "listing tables": ("ListTables", {}),
    }
    for what, (operation, request) in denied.items():
        with pytest.raises(Refused) as caught:
            authorize(ana, operation, request)
        assert caught.value.code == "AccessDeniedException", what
        assert f"is not authorized to perform: dynamodb:{operation}" in caught.value.message, what
    authorize(Principal("DLINSTRUCTOR", None), "DeleteTable", {"TableName": ANSWERS_TABLE})  # the instructor may


def test_a_signature_that_is_not_hex_is_refused_not_a_crash():
    headers, body = signed(KEYS.learners_key, "ana", answer("ana"))
    headers["authorization"] = headers["authorization"].rsplit("Signature=", 1)[0] + "Signature=ünïcode"
    assert refusal(headers, body).code == "InvalidSignatureException"
