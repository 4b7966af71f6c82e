"""The event-filtering matcher, pinned to the examples of the Lambda developer guide (invocation-eventfiltering.html,
with-ddb-filtering.html) and the DynamoDB guide's TTL filter."""

from __future__ import annotations

import json

import pytest

from dynalab.models.event_filters import (
    FilterPatternError,
    matches_criteria,
    matches_pattern,
    parse_filter_criteria,
)

# The DynamoDB record of with-ddb-filtering.html (CustomerName, AccountManager, PaymentTerms).
RECORD = {
    "eventID": "1", "eventVersion": "1.0", "eventName": "INSERT",
    "dynamodb": {
        "ApproximateCreationDateTime": "1678831218.0",
        "Keys": {"CustomerName": {"S": "AnyCompany Industries"}},
        "NewImage": {"AccountManager": {"S": "Pat Candella"}, "PaymentTerms": {"S": "60 days"},
                     "CustomerName": {"S": "AnyCompany Industries"}},
        "SequenceNumber": "111", "SizeBytes": 26, "StreamViewType": "NEW_IMAGE",
    },
}
KINESIS_LIKE = {"partitionKey": "1", "data": {"City": "Seattle", "State": "WA", "Temperature": 46,
                                              "Location": "Los Angeles"}}


def criteria(*patterns) -> dict:
    return {"Filters": [{"Pattern": json.dumps(p)} for p in patterns]}


def test_the_docs_key_filter_matches_the_customer():
    pattern = {"dynamodb": {"Keys": {"CustomerName": {"S": ["AnyCompany Industries"]}}}}
    assert matches_pattern(pattern, RECORD)
    assert not matches_pattern({"dynamodb": {"Keys": {"CustomerName": {"S": ["Other"]}}}}, RECORD)


def test_the_docs_multi_level_example_matches_a_number_as_a_string():
    record = {"dynamodb": {"Keys": {"Id": {"N": "101"}}}}
    assert matches_pattern({"dynamodb": {"Keys": {"Id": {"N": ["101"]}}}}, record)
    assert not matches_pattern({"dynamodb": {"Keys": {"Id": {"N": [101]}}}}, record)  # a string is not a number


def test_the_docs_comparison_operators_table():
    event = {"UserID": None, "LastName": "", "Name": "Alice", "Location": "New York", "Day": "Monday",
             "PaymentType": "Debit", "Weather": "Sunny", "Price": 15, "ProductName": "x", "Region": "us-east-1"}
    assert matches_pattern({"UserID": [None]}, event)
    assert matches_pattern({"LastName": [""]}, event)
    assert matches_pattern({"Name": ["Alice"]}, event)
    assert matches_pattern({"Location": ["New York"], "Day": ["Monday"]}, event)  # And
    assert not matches_pattern({"Location": ["New York"], "Day": ["Tuesday"]}, event)
    assert matches_pattern({"PaymentType": ["Credit", "Debit"]}, event)  # Or
    assert matches_pattern({"Weather": [{"anything-but": ["Raining"]}]}, event)
    assert not matches_pattern({"Weather": [{"anything-but": ["Sunny"]}]}, event)
    assert not matches_pattern({"Price": [{"numeric": ["=", 100]}]}, event)
    assert matches_pattern({"Price": [{"numeric": [">", 10, "<=", 20]}]}, event)
    assert not matches_pattern({"Price": [{"numeric": [">", 15, "<=", 20]}]}, event)
    assert matches_pattern({"ProductName": [{"exists": True}]}, event)
    assert matches_pattern({"Missing": [{"exists": False}]}, event)
    assert not matches_pattern({"ProductName": [{"exists": False}]}, event)
    assert matches_pattern({"Region": [{"prefix": "us-"}]}, event)
    assert not matches_pattern({"Region": [{"prefix": "eu-"}]}, event)


def test_the_docs_kinesis_examples():
    assert matches_pattern({"partitionKey": ["1"], "data": {"Location": ["Los Angeles"]}}, KINESIS_LIKE)
    assert not matches_pattern({"data": {"Temperature": [{"numeric": [">", 50, "<=", 60]}]}}, KINESIS_LIKE)


def test_numbers_compare_by_their_json_text_and_strings_exactly():
    assert matches_pattern({"a": [300]}, {"a": 300})
    assert not matches_pattern({"a": [300]}, {"a": 300.0})  # "300, 300.0, and 3.0e2 are not considered equal"
    assert not matches_pattern({"a": ["Alice"]}, {"a": "alice"})  # no case-folding
    assert matches_pattern({"a": [{"equals-ignore-case": "alice"}]}, {"a": "ALICE"})
    assert matches_pattern({"a": [{"suffix": ".png"}]}, {"a": "x.png"})


def test_missing_fields_never_match_a_value_rule_and_lists_match_any_element():
    assert not matches_pattern({"Name": ["Alice"]}, {})
    assert not matches_pattern({"Weather": [{"anything-but": "Raining"}]}, {})
    assert matches_pattern({"tags": ["b"]}, {"tags": ["a", "b"]})
    assert matches_pattern({"x": [{"anything-but": {"prefix": "init"}}]}, {"x": "running"})


def test_or_across_fields():
    pattern = {"$or": [{"eventName": ["INSERT"]}, {"eventName": ["REMOVE"]}]}
    assert matches_pattern(pattern, RECORD)
    assert not matches_pattern(pattern, {"eventName": "MODIFY"})


def test_the_ttl_filter_keeps_service_deletes_and_an_anything_but_drops_them():
    ttl_delete = {"eventName": "REMOVE", "userIdentity": {"type": "Service", "principalId": "dynamodb.amazonaws.com"}}
    user_delete = {"eventName": "REMOVE"}
    keep = {"userIdentity": {"type": ["Service"], "principalId": ["dynamodb.amazonaws.com"]}}
    drop = {"userIdentity": {"type": [{"anything-but": "Service"}, {"exists": False}]}}
    assert matches_pattern(keep, ttl_delete) and not matches_pattern(keep, user_delete)
    assert not matches_pattern(drop, ttl_delete) and matches_pattern(drop, user_delete)


def test_criteria_any_filter_matches_and_none_sends_everything():
    patterns = parse_filter_criteria(criteria({"eventName": ["MODIFY"]}, {"eventName": ["INSERT"]}))
    assert matches_criteria(patterns, RECORD)
    assert matches_criteria(parse_filter_criteria(None), RECORD)
    assert not matches_criteria(parse_filter_criteria(criteria({"eventName": ["REMOVE"]})), RECORD)


@pytest.mark.parametrize("bad, words", [
    ({"Filters": [{"Pattern": "{not json"}]}, "not valid JSON"),
    ({"Filters": [{"Pattern": json.dumps({"a": "x"})}]}, "a leaf must be a list of rules"),
    ({"Filters": [{"Pattern": json.dumps({"a": [{"numeric": [">>", 1]}]})}]}, "numeric terms"),
    ({"Filters": [{"Pattern": json.dumps({"a": [{"wildcard": "*"}]})}]}, "unknown operator 'wildcard'"),
    (criteria(*[{"a": ["x"]}] * 6), "at most 5 filters"),
    ({"Filters": []}, "non-empty list"),
    ({"Pattern": "{}"}, 'filter_criteria must be {"Filters"'),
])
def test_bad_patterns_are_refused_with_the_reason(bad, words):
    with pytest.raises(FilterPatternError, match=".*") as raised:
        parse_filter_criteria(bad)
    assert words in str(raised.value)
