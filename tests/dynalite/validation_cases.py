"""Malformed DynamoDB calls for the validation differential (``test_validation_differential.py``): each is sent,
raw (no botocore parameter validation), to dynalite and to the embedded engine through dynalab's layer.

Tables (created on both engines): ``diff-range`` (pk S, sk N), ``diff-hash`` (pk S) and ``diff-gsi`` (pk S, ss S;
a GSI ``by-g`` on g S with a KEYS_ONLY projection; an LSI ``by-l`` on pk + l N). Writes use the key ``never``: a refused
call must leave no item there.
"""

from __future__ import annotations

from typing import Any

RANGE, HASH, GSI = "diff-range", "diff-hash", "diff-gsi"
KEY = {"pk": {"S": "never"}, "sk": {"N": "1"}}
HASH_KEY = {"pk": {"S": "never"}}
GSI_KEY = {"pk": {"S": "never"}, "ss": {"S": "never"}}

Case = tuple[str, str, dict[str, Any]]

#: Attribute values DynamoDB refuses, with the name a case id gets.
BAD_VALUES: dict[str, dict[str, Any]] = {
    "number-overflow": {"N": "1E+126"},
    "number-underflow": {"N": "1E-131"},
    "number-39-digits": {"N": "123456789012345678901234567890123456789"},
    "number-text": {"N": "abc"},
    "number-empty": {"N": ""},
    "number-bare-exponent": {"N": "1e"},
    "number-two-signs": {"N": "--1"},
    "number-set-duplicate-by-value": {"NS": ["1", "1.0"]},
    "number-set-empty": {"NS": []},
    "number-set-bad-member": {"NS": ["1", "x"]},
    "string-set-duplicate": {"SS": ["a", "a"]},
    "string-set-empty": {"SS": []},
    "binary-set-duplicate": {"BS": ["YQ==", "YQ=="]},
    "binary-set-empty": {"BS": []},
    "null-false": {"NULL": False},
    "no-type": {},
    "two-types": {"S": "a", "N": "1"},
    "bad-number-in-map": {"M": {"a": {"N": "x"}}},
    "bad-set-in-list": {"L": [{"SS": []}]},
}


def _value_cases() -> list[Case]:
    cases: list[Case] = []
    for name, value in BAD_VALUES.items():
        cases += [
            (f"put-item-attribute-{name}", "PutItem", {"TableName": RANGE, "Item": {**KEY, "v": value}}),
            (f"update-value-{name}", "UpdateItem", {"TableName": RANGE, "Key": KEY, "UpdateExpression": "SET v = :v",
                                                    "ExpressionAttributeValues": {":v": value}}),
            (f"condition-value-{name}", "PutItem", {"TableName": RANGE, "Item": KEY, "ConditionExpression": "v = :v",
                                                    "ExpressionAttributeValues": {":v": value}}),
            (f"get-item-key-{name}", "GetItem", {"TableName": RANGE, "Key": {"pk": {"S": "a"}, "sk": value}}),
            (f"scan-filter-value-{name}", "Scan", {"TableName": RANGE, "FilterExpression": "v = :v",
                                                   "ExpressionAttributeValues": {":v": value}}),
            (f"batch-put-{name}", "BatchWriteItem", {"RequestItems": {RANGE: [{"PutRequest": {
                "Item": {**KEY, "v": value}}}]}}),
        ]
    return cases


def _nested(levels: int) -> dict[str, Any]:
    value: dict[str, Any] = {"S": "deep"}
    for _ in range(levels):
        value = {"L": [value]}
    return value


def _expression_cases() -> list[Case]:
    def put(condition: str, names: dict | None = None, values: dict | None = None) -> dict[str, Any]:
        request: dict[str, Any] = {"TableName": RANGE, "Item": KEY, "ConditionExpression": condition}
        if names is not None:
            request["ExpressionAttributeNames"] = names
        if values is not None:
            request["ExpressionAttributeValues"] = values
        return request

    def update(expression: str, names: dict | None = None, values: dict | None = None) -> dict[str, Any]:
        request: dict[str, Any] = {"TableName": RANGE, "Key": KEY, "UpdateExpression": expression}
        if names is not None:
            request["ExpressionAttributeNames"] = names
        if values is not None:
            request["ExpressionAttributeValues"] = values
        return request

    one = {":v": {"S": "x"}}
    return [
        ("condition-unclosed", "PutItem", put("attribute_exists(pk")),
        ("condition-double-comparator", "PutItem", put("a = = :v", values=one)),
        ("condition-dangling-and", "PutItem", put("a = :v AND", values=one)),
        ("condition-empty", "PutItem", put("")),
        ("condition-unknown-function", "PutItem", put("foo(pk)")),
        ("condition-undefined-value", "PutItem", put("pk = :v")),
        ("condition-undefined-name", "PutItem", put("#n = :v", values=one)),
        ("condition-unused-value", "PutItem", put("attribute_not_exists(pk)", values={":u": {"S": "x"}})),
        ("condition-unused-name", "PutItem", put("attribute_not_exists(pk)", names={"#u": "x"})),
        ("condition-reserved-word", "PutItem", put("name = :v", values=one)),
        ("condition-redundant-parentheses", "PutItem", put("((a = :v))", values=one)),
        ("condition-same-operands", "PutItem", put("a = a")),
        ("condition-function-operand-count", "PutItem", put("begins_with(a)")),
        ("condition-attribute-exists-of-value", "PutItem", put("attribute_exists(:v)", values=one)),
        ("condition-begins-with-number", "PutItem", put("begins_with(a, :n)", values={":n": {"N": "1"}})),
        ("condition-attribute-type-unknown", "PutItem", put("attribute_type(a, :t)", values={":t": {"S": "X"}})),
        ("condition-attribute-type-not-string", "PutItem", put("attribute_type(a, :t)", values={":t": {"N": "1"}})),
        ("condition-size-alone", "PutItem", put("size(a)")),
        ("condition-function-compared", "PutItem", put("begins_with(a, :v) = :v", values=one)),
        ("condition-between-inverted", "PutItem", put("a BETWEEN :hi AND :lo",
                                                      values={":hi": {"N": "5"}, ":lo": {"N": "1"}})),
        ("condition-between-types", "PutItem", put("a BETWEEN :lo AND :hi",
                                                   values={":hi": {"S": "5"}, ":lo": {"N": "1"}})),
        ("condition-size-of-number", "PutItem", put("size(:n) > :n", values={":n": {"N": "1"}})),
        ("names-empty", "PutItem", put("attribute_exists(pk)", names={})),
        ("values-empty", "PutItem", put("attribute_exists(pk)", values={})),
        ("names-bad-key", "PutItem", put("attribute_exists(pk)", names={"n": "x"})),
        ("values-bad-key", "PutItem", put("attribute_exists(pk)", values={"v": {"S": "x"}})),
        ("names-without-expression", "PutItem", {"TableName": RANGE, "Item": KEY,
                                                 "ExpressionAttributeNames": {"#n": "x"}}),
        ("values-without-expression", "PutItem", {"TableName": RANGE, "Item": KEY,
                                                  "ExpressionAttributeValues": one}),
        ("expression-and-expected", "PutItem", {**put("attribute_exists(pk)"),
                                                "Expected": {"pk": {"Exists": False}}}),
        ("update-syntax", "UpdateItem", update("SET a = ", values=one)),
        ("update-unknown-verb", "UpdateItem", update("PUT a = :v", values=one)),
        ("update-section-twice", "UpdateItem", update("SET a = :v SET b = :v", values=one)),
        ("update-paths-overlap", "UpdateItem", update("SET a = :v, a.b = :v", values=one)),
        ("update-paths-conflict", "UpdateItem", update("SET a[1] = :v, a.b = :v", values=one)),
        ("update-add-string", "UpdateItem", update("ADD a :v", values=one)),
        ("update-delete-number", "UpdateItem", update("DELETE a :n", values={":n": {"N": "1"}})),
        ("update-list-append-number", "UpdateItem", update("SET a = list_append(a, :n)", values={":n": {"N": "1"}})),
        ("update-plus-string", "UpdateItem", update("SET a = a + :v", values=one)),
        ("update-if-not-exists-of-value", "UpdateItem", update("SET a = if_not_exists(:v, :v)", values=one)),
        ("update-unknown-function", "UpdateItem", update("SET a = foo(:v)", values=one)),
        ("update-undefined-value", "UpdateItem", update("SET a = :w")),
        ("update-reserved-word", "UpdateItem", update("SET name = :v", values=one)),
        ("update-empty", "UpdateItem", update("")),
        ("update-and-attribute-updates", "UpdateItem", {**update("SET a = :v", values=one), "AttributeUpdates": {
            "b": {"Action": "PUT", "Value": {"S": "x"}}}}),
        ("projection-double-comma", "GetItem", {"TableName": RANGE, "Key": KEY, "ProjectionExpression": "a,,b"}),
        ("projection-reserved-word", "GetItem", {"TableName": RANGE, "Key": KEY, "ProjectionExpression": "name"}),
        ("projection-paths-overlap", "GetItem", {"TableName": RANGE, "Key": KEY, "ProjectionExpression": "a, a.b"}),
        ("projection-undefined-name", "GetItem", {"TableName": RANGE, "Key": KEY, "ProjectionExpression": "#a"}),
        ("projection-and-attributes-to-get", "GetItem", {"TableName": RANGE, "Key": KEY, "ProjectionExpression": "a",
                                                         "AttributesToGet": ["a"]}),
        ("attributes-to-get-duplicate", "GetItem", {"TableName": RANGE, "Key": KEY, "AttributesToGet": ["a", "a"]}),
    ]


def _key_cases() -> list[Case]:
    return [
        ("put-missing-sort-key", "PutItem", {"TableName": RANGE, "Item": {"pk": {"S": "never"}}}),
        ("put-sort-key-wrong-type", "PutItem", {"TableName": RANGE, "Item": {"pk": {"S": "never"}, "sk": {"S": "1"}}}),
        ("put-partition-key-empty", "PutItem", {"TableName": RANGE, "Item": {"pk": {"S": ""}, "sk": {"N": "1"}}}),
        ("put-partition-key-2049-bytes", "PutItem", {"TableName": HASH, "Item": {"pk": {"S": "p" * 2049}}}),
        ("put-sort-key-1025-bytes", "PutItem", {"TableName": GSI, "Item": {"pk": {"S": "never"},
                                                                          "ss": {"S": "s" * 1025}}}),
        ("put-index-key-wrong-type", "PutItem", {"TableName": GSI, "Item": {**GSI_KEY, "g": {"N": "1"}}}),
        ("put-local-index-key-wrong-type", "PutItem", {"TableName": GSI, "Item": {**GSI_KEY, "l": {"S": "1"}}}),
        ("put-index-key-empty", "PutItem", {"TableName": GSI, "Item": {**GSI_KEY, "g": {"S": ""}}}),
        ("get-extra-key-attribute", "GetItem", {"TableName": RANGE, "Key": {**KEY, "x": {"S": "1"}}}),
        ("get-missing-sort-key", "GetItem", {"TableName": RANGE, "Key": {"pk": {"S": "a"}}}),
        ("get-key-wrong-type", "GetItem", {"TableName": HASH, "Key": {"pk": {"N": "1"}}}),
        ("get-key-empty-string", "GetItem", {"TableName": HASH, "Key": {"pk": {"S": ""}}}),
        ("get-projection-nested-key", "GetItem", {"TableName": RANGE, "Key": KEY, "ProjectionExpression": "pk.a"}),
        ("delete-key-other-attribute", "DeleteItem", {"TableName": HASH, "Key": {"x": {"S": "a"}}}),
        ("delete-return-all-new", "DeleteItem", {"TableName": HASH, "Key": HASH_KEY, "ReturnValues": "ALL_NEW"}),
        ("put-return-updated-new", "PutItem", {"TableName": HASH, "Item": HASH_KEY, "ReturnValues": "UPDATED_NEW"}),
        ("update-partition-key", "UpdateItem", {"TableName": RANGE, "Key": KEY, "UpdateExpression": "SET pk = :v",
                                                "ExpressionAttributeValues": {":v": {"S": "zz"}}}),
        ("update-remove-sort-key", "UpdateItem", {"TableName": RANGE, "Key": KEY, "UpdateExpression": "REMOVE sk"}),
        ("update-nested-key", "UpdateItem", {"TableName": HASH, "Key": HASH_KEY, "UpdateExpression": "SET pk.a = :v",
                                             "ExpressionAttributeValues": {":v": {"S": "zz"}}}),
        ("update-index-key-wrong-type", "UpdateItem", {"TableName": GSI, "Key": GSI_KEY,
                                                       "UpdateExpression": "SET g = :v",
                                                       "ExpressionAttributeValues": {":v": {"N": "1"}}}),
        ("attribute-updates-key", "UpdateItem", {"TableName": HASH, "Key": HASH_KEY, "AttributeUpdates": {
            "pk": {"Action": "PUT", "Value": {"S": "zz"}}}}),
        ("attribute-updates-put-without-value", "UpdateItem", {"TableName": HASH, "Key": HASH_KEY,
                                                               "AttributeUpdates": {"a": {"Action": "PUT"}}}),
        ("attribute-updates-delete-string", "UpdateItem", {"TableName": HASH, "Key": HASH_KEY, "AttributeUpdates": {
            "a": {"Action": "DELETE", "Value": {"S": "x"}}}}),
        ("attribute-updates-add-string", "UpdateItem", {"TableName": HASH, "Key": HASH_KEY, "AttributeUpdates": {
            "a": {"Action": "ADD", "Value": {"S": "x"}}}}),
    ]


def _read_cases() -> list[Case]:
    def query(condition: str | None, values: dict | None = None, **more: Any) -> dict[str, Any]:
        request: dict[str, Any] = {"TableName": more.pop("table", RANGE), **more}
        if condition is not None:
            request["KeyConditionExpression"] = condition
        if values is not None:
            request["ExpressionAttributeValues"] = values
        return request

    a = {":a": {"S": "a"}}
    return [
        ("query-without-key-condition", "Query", query(None)),
        ("query-sort-key-only", "Query", query("sk = :n", {":n": {"N": "1"}})),
        ("query-or", "Query", query("pk = :a OR pk = :b", {**a, ":b": {"S": "b"}})),
        ("query-not", "Query", query("NOT pk = :a", a)),
        ("query-in", "Query", query("pk IN (:a)", a)),
        ("query-not-equal", "Query", query("pk <> :a", a)),
        ("query-attribute-exists", "Query", query("attribute_exists(pk)")),
        ("query-size", "Query", query("size(pk) = :n", {":n": {"N": "1"}})),
        ("query-nested-key", "Query", query("pk.a = :a", a)),
        ("query-two-attributes", "Query", query("pk = sk")),
        ("query-no-attribute", "Query", query(":a = :a", a)),
        ("query-same-key-twice", "Query", query("pk = :a AND pk = :a", a)),
        ("query-partition-key-range", "Query", query("pk > :a", a)),
        ("query-partition-key-wrong-type", "Query", query("pk = :n", {":n": {"N": "1"}})),
        ("query-sort-key-wrong-type", "Query", query("pk = :a AND sk = :s", {**a, ":s": {"S": "x"}})),
        ("query-between-value-first", "Query", query("pk = :a AND :a BETWEEN sk AND :a", a)),
        ("query-begins-with-number-key", "Query", query("pk = :a AND begins_with(:a, sk)", a)),
        ("query-non-key-condition", "Query", query("pk = :a AND x = :a", a)),
        ("query-hash-table-two-conditions", "Query", query("pk = :a AND x = :a", a, table=HASH)),
        ("query-filter-on-key", "Query", query("pk = :a", a, FilterExpression="sk = :n",
                                              **{"ExpressionAttributeValues": {**a, ":n": {"N": "1"}}})),
        ("query-missing-index", "Query", query("pk = :a", a, IndexName="nope")),
        ("query-gsi-consistent-read", "Query", query("g = :a", a, table=GSI, IndexName="by-g", ConsistentRead=True)),
        ("query-gsi-select-all", "Query", query("g = :a", a, table=GSI, IndexName="by-g", Select="ALL_ATTRIBUTES")),
        ("query-start-key-short", "Query", query("pk = :a", a, ExclusiveStartKey={"pk": {"S": "a"}})),
        ("query-start-key-foreign", "Query", query("pk = :a", a, ExclusiveStartKey={"pk": {"S": "b"},
                                                                                    "sk": {"N": "1"}})),
        ("query-start-key-outside-range", "Query", query("pk = :a AND sk > :n", {**a, ":n": {"N": "5"}},
                                                         ExclusiveStartKey={"pk": {"S": "a"}, "sk": {"N": "1"}})),
        ("query-start-key-bad-number", "Query", query("pk = :a", a, ExclusiveStartKey={"pk": {"S": "a"},
                                                                                       "sk": {"N": "x"}})),
        ("query-limit-zero", "Query", query("pk = :a", a, Limit=0)),
        ("query-select-unknown", "Query", query("pk = :a", a, Select="SOME")),
        ("query-index-name-short", "Query", query("pk = :a", a, IndexName="ab")),
        ("scan-segment-without-total", "Scan", {"TableName": RANGE, "Segment": 1}),
        ("scan-total-without-segment", "Scan", {"TableName": RANGE, "TotalSegments": 2}),
        ("scan-segment-past-total", "Scan", {"TableName": RANGE, "Segment": 3, "TotalSegments": 2}),
        ("scan-total-segments-too-many", "Scan", {"TableName": RANGE, "Segment": 0, "TotalSegments": 1000001}),
        ("scan-start-key-other-attribute", "Scan", {"TableName": RANGE, "ExclusiveStartKey": {"zz": {"S": "b"}}}),
        ("scan-start-key-wrong-type", "Scan", {"TableName": HASH, "ExclusiveStartKey": {"pk": {"N": "1"}}}),
        ("scan-missing-index", "Scan", {"TableName": RANGE, "IndexName": "nope"}),
        ("scan-gsi-consistent-read", "Scan", {"TableName": GSI, "IndexName": "by-g", "ConsistentRead": True}),
        ("scan-filter-nested-key", "Scan", {"TableName": RANGE, "FilterExpression": "pk.a = :a",
                                            "ExpressionAttributeValues": a}),
        ("scan-limit-zero", "Scan", {"TableName": RANGE, "Limit": 0}),
    ]


def _batch_cases() -> list[Case]:
    put = {"PutRequest": {"Item": KEY}}
    return [
        ("batch-write-put-and-delete-one-key", "BatchWriteItem", {"RequestItems": {RANGE: [
            put, {"DeleteRequest": {"Key": KEY}}]}}),
        ("batch-write-two-puts-one-key", "BatchWriteItem", {"RequestItems": {RANGE: [put, put]}}),
        ("batch-write-number-keys-equal-by-value", "BatchWriteItem", {"RequestItems": {RANGE: [
            put, {"DeleteRequest": {"Key": {"pk": {"S": "never"}, "sk": {"N": "1.0"}}}}]}}),
        ("batch-write-missing-key", "BatchWriteItem", {"RequestItems": {RANGE: [
            {"PutRequest": {"Item": {"pk": {"S": "never"}}}}]}}),
        ("batch-write-delete-extra-attribute", "BatchWriteItem", {"RequestItems": {RANGE: [
            {"DeleteRequest": {"Key": {**KEY, "x": {"S": "1"}}}}]}}),
        ("batch-write-empty-request", "BatchWriteItem", {"RequestItems": {RANGE: [{}]}}),
        ("batch-write-26", "BatchWriteItem", {"RequestItems": {RANGE: [
            {"PutRequest": {"Item": {"pk": {"S": "never"}, "sk": {"N": str(i)}}}} for i in range(26)]}}),
        ("batch-get-duplicate", "BatchGetItem", {"RequestItems": {RANGE: {"Keys": [KEY, KEY]}}}),
        ("batch-get-duplicate-by-value", "BatchGetItem", {"RequestItems": {RANGE: {"Keys": [
            KEY, {"pk": {"S": "never"}, "sk": {"N": "1.00"}}]}}}),
        ("batch-get-extra-attribute", "BatchGetItem", {"RequestItems": {RANGE: {"Keys": [{**KEY, "x": {"S": "1"}}]}}}),
        ("batch-get-missing-sort-key", "BatchGetItem", {"RequestItems": {RANGE: {"Keys": [{"pk": {"S": "a"}}]}}}),
        ("batch-get-101", "BatchGetItem", {"RequestItems": {RANGE: {"Keys": [
            {"pk": {"S": "k"}, "sk": {"N": str(i)}} for i in range(101)]}}}),
        ("batch-get-bad-number", "BatchGetItem", {"RequestItems": {RANGE: {"Keys": [
            {"pk": {"S": "k"}, "sk": {"N": "1E+200"}}]}}}),
        ("batch-get-unused-name", "BatchGetItem", {"RequestItems": {RANGE: {"Keys": [KEY],
                                                                            "ExpressionAttributeNames": {"#a": "a"}}}}),
    ]


def _table_cases() -> list[Case]:
    keys = [{"AttributeName": "pk", "KeyType": "HASH"}]
    defined = [{"AttributeName": "pk", "AttributeType": "S"}]
    range_keys = keys + [{"AttributeName": "sk", "KeyType": "RANGE"}]
    range_defined = defined + [{"AttributeName": "sk", "AttributeType": "N"},
                               {"AttributeName": "x", "AttributeType": "S"}]

    def table(name: str, **more: Any) -> dict[str, Any]:
        return {"TableName": name, "KeySchema": keys, "AttributeDefinitions": defined, "BillingMode": "PAY_PER_REQUEST",
                **more}

    def gsi(name: str, **more: Any) -> dict[str, Any]:
        return {"IndexName": name, "KeySchema": keys, "Projection": {"ProjectionType": "ALL"}, **more}

    def lsi(name: str, key: str = "x", hash_key: str = "pk") -> dict[str, Any]:
        return {"IndexName": name, "Projection": {"ProjectionType": "ALL"}, "KeySchema": [
            {"AttributeName": hash_key, "KeyType": "HASH"}, {"AttributeName": key, "KeyType": "RANGE"}]}

    with_range = {"KeySchema": range_keys, "AttributeDefinitions": range_defined}
    return [
        ("create-21-gsis", "CreateTable", table("diff-new-1", GlobalSecondaryIndexes=[gsi(f"gsi{i:02d}")
                                                                                     for i in range(21)])),
        ("create-6-lsis", "CreateTable", table("diff-new-2", **with_range, LocalSecondaryIndexes=[
            lsi(f"lsi{i:02d}") for i in range(6)])),
        ("create-lsi-without-sort-key", "CreateTable", table("diff-new-3", AttributeDefinitions=range_defined,
                                                             LocalSecondaryIndexes=[lsi("lsi00")])),
        ("create-lsi-other-hash-key", "CreateTable", table("diff-new-4", **with_range,
                                                           LocalSecondaryIndexes=[lsi("lsi00", "sk", "x")])),
        ("create-key-not-defined", "CreateTable", table("diff-new-5", AttributeDefinitions=[
            {"AttributeName": "other", "AttributeType": "S"}])),
        ("create-same-hash-and-range", "CreateTable", table("diff-new-6", KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "pk", "KeyType": "RANGE"}])),
        ("create-range-first", "CreateTable", table("diff-new-7", KeySchema=[
            {"AttributeName": "pk", "KeyType": "RANGE"}])),
        ("create-extra-definition", "CreateTable", table("diff-new-8", AttributeDefinitions=range_defined)),
        ("create-on-demand-with-throughput", "CreateTable", table("diff-new-9", ProvisionedThroughput={
            "ReadCapacityUnits": 1, "WriteCapacityUnits": 1})),
        ("create-provisioned-without-throughput", "CreateTable", table("diff-new-10", BillingMode="PROVISIONED")),
        ("create-duplicate-index-names", "CreateTable", table("diff-new-11", GlobalSecondaryIndexes=[
            gsi("twin"), gsi("twin")])),
        ("create-all-with-non-key-attributes", "CreateTable", table("diff-new-12", GlobalSecondaryIndexes=[gsi(
            "gsi00", Projection={"ProjectionType": "ALL", "NonKeyAttributes": ["a"]})])),
        ("create-gsi-throughput-on-demand", "CreateTable", table("diff-new-13", GlobalSecondaryIndexes=[gsi(
            "gsi00", ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})])),
        ("create-empty-gsi-list", "CreateTable", table("diff-new-14", GlobalSecondaryIndexes=[])),
        ("create-table-name-short", "CreateTable", table("ab")),
        ("create-table-name-pattern", "CreateTable", table("bad name!")),
        ("put-table-name-short", "PutItem", {"TableName": "ab", "Item": HASH_KEY}),
    ]


def _other_cases() -> list[Case]:
    deep = _nested(32)
    return [
        ("put-nested-33-levels", "PutItem", {"TableName": RANGE, "Item": {**KEY, "v": deep}}),
        ("put-nested-32-levels-accepted", "PutItem", {"TableName": RANGE, "Item": {"pk": {"S": "deep"},
                                                                                   "sk": {"N": "1"},
                                                                                   "v": _nested(31)}}),
        ("put-empty-attribute-name", "PutItem", {"TableName": RANGE, "Item": {**KEY, "": {"S": "a"}}}),
        ("put-attribute-name-64-kb", "PutItem", {"TableName": RANGE, "Item": {**KEY, "n" * 65536: {"S": "a"}}}),
        ("transact-get-one-item-twice", "TransactGetItems", {"TransactItems": [
            {"Get": {"TableName": RANGE, "Key": KEY}}, {"Get": {"TableName": RANGE, "Key": KEY}}]}),
        ("transact-write-one-item-twice", "TransactWriteItems", {"TransactItems": [
            {"Put": {"TableName": RANGE, "Item": KEY}}, {"Delete": {"TableName": RANGE, "Key": KEY}}]}),
        ("transact-write-bad-number", "TransactWriteItems", {"TransactItems": [
            {"Put": {"TableName": RANGE, "Item": {**KEY, "v": {"N": "1E+126"}}}}]}),
    ]


def cases() -> list[Case]:
    found = _value_cases() + _expression_cases() + _key_cases() + _read_cases() + _batch_cases() + \
        _table_cases() + _other_cases()
    ids = [case[0] for case in found]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return found
