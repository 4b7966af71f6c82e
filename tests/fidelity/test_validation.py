"""DynamoDB's validation without an engine: values, the expression parser and its checks, keys against a schema,
the API model's constraints, CreateTable's rules. (The same rules are cross-checked against dynalite in
``tests/dynalite/test_validation_differential.py``.)"""

from __future__ import annotations

import botocore.session
import pytest

from dynalab.fidelity.catalog import TableInfo
from dynalab.fidelity.validation.constraints import constraints_problem
from dynalab.fidelity.validation.expression_checks import expressions_problem
from dynalab.fidelity.validation.expressions import ExpressionSyntaxError, parse_condition, parse_update
from dynalab.fidelity.validation.keys import item_key_problem, key_problem, update_key_problem
from dynalab.fidelity.validation.operations import CHECKS
from dynalab.fidelity.validation.tables import create_table_problem
from dynalab.fidelity.validation.values import number_problem, value_problem

RANGE = TableInfo(("pk", "sk"), (), {"pk": "S", "sk": "N"})


@pytest.mark.parametrize("text, message", [
    ("1E+126", "Number overflow. Attempting to store a number with magnitude larger than supported range"),
    ("9.9999999999999999999999999999999999999E+125", None),
    ("1E-130", None),
    ("1E-131", "Number underflow. Attempting to store a number with magnitude smaller than supported range"),
    ("1" * 38, None),
    ("1" * 39, "Attempting to store more than 38 significant digits in a Number"),
    ("1" * 38 + "000", None),  # trailing zeros are not significant
    ("-0.5", None), ("0", None), (".5", None), ("5.", None),
    ("abc", "The parameter cannot be converted to a numeric value: abc"),
    ("1e", "The parameter cannot be converted to a numeric value: 1e"),
    ("", "The parameter cannot be converted to a numeric value"),
])
def test_numbers(text, message):
    assert number_problem(text) == message


def test_sets_nulls_types_and_nesting():
    assert value_problem({"NS": ["1", "1.0"]}) == "Input collection contains duplicates"
    assert value_problem({"NS": ["1", "2"]}) is None
    assert value_problem({"SS": ["a", "a"]}).endswith("Input collection [a, a] contains duplicates.")
    assert value_problem({"SS": []}).endswith("An string set  may not be empty")
    assert value_problem({"NULL": False}).endswith("Null attribute value types must have the value of true")
    assert value_problem({}).startswith("Supplied AttributeValue is empty")
    assert value_problem({"S": "a", "N": "1"}).startswith("Supplied AttributeValue has more than one datatypes set")
    deep = {"S": "leaf"}
    for _ in range(31):
        deep = {"M": {"a": deep}}
    assert value_problem(deep) is None  # 31 maps above a value: 32 levels
    assert value_problem({"L": [deep]}).startswith("Nesting Levels have exceeded supported limits")


@pytest.mark.parametrize("text", ["attribute_exists(pk", "a = = :v", "a = :v AND", "(a = :v", "a BETWEEN :x", "#"])
def test_syntax_errors_name_the_token(text):
    with pytest.raises(ExpressionSyntaxError, match=r'^Syntax error; token: ".*", near: ".*"$'):
        parse_condition(text)


def test_the_condition_tree_keeps_precedence_and_parentheses():
    tree = parse_condition("a = :a OR b = :b AND NOT (c < :c)")
    assert tree.op == "or" and tree.args[1].op == "and" and tree.args[1].args[1].op == "not"
    assert parse_condition("((a = :a))").redundant
    sections = parse_update("SET a = b + :n, c = list_append(c, :l) REMOVE d ADD e :n DELETE f :s")
    assert [word for word, _ in sections] == ["SET", "REMOVE", "ADD", "DELETE"]


@pytest.mark.parametrize("request_, message", [
    ({"ConditionExpression": "foo(a)"}, "Invalid ConditionExpression: Invalid function name; function: foo"),
    ({"ConditionExpression": "a = :v"}, "Invalid ConditionExpression: An expression attribute value used in "
                                        "expression is not defined; attribute value: :v"),
    ({"ConditionExpression": "attribute_exists(a)", "ExpressionAttributeValues": {":u": {"S": "x"}}},
     "Value provided in ExpressionAttributeValues unused in expressions: keys: {:u}"),
    ({"ConditionExpression": "name = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}},
     "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: name"),
    ({"ConditionExpression": "a = a"}, "Invalid ConditionExpression: The first operand must be distinct from the "
                                      "remaining operands for this operator or function; operator: =, first "
                                      "operand: [a]"),
    ({"UpdateExpression": "SET a = :v SET b = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}},
     'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'),
    ({"UpdateExpression": "SET a = :v, a.b = :v", "ExpressionAttributeValues": {":v": {"S": "x"}}},
     "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these "
     "paths; path one: [a], path two: [a, b]"),
    ({"KeyConditionExpression": "pk = :a OR pk = :a", "ExpressionAttributeValues": {":a": {"S": "x"}}},
     "Invalid operator used in KeyConditionExpression: OR"),
    ({"ProjectionExpression": ""}, "Invalid ProjectionExpression: The expression can not be empty;"),
])
def test_expression_checks_answer_in_dynamodbs_words(request_, message):
    assert expressions_problem(request_) == message


def test_keys_items_and_updates_against_the_schema():
    assert key_problem({"pk": {"S": "a"}}, RANGE) == "The provided key element does not match the schema"
    assert key_problem({"pk": {"S": "a"}, "sk": {"N": "1"}}, RANGE) is None
    assert item_key_problem({"pk": {"S": "a"}}, RANGE).endswith("Missing the key sk in the item")
    assert item_key_problem({"pk": {"S": "a"}, "sk": {"S": "1"}}, RANGE).endswith(
        "Type mismatch for key sk expected: N actual: S")
    assert update_key_problem({}, [(("pk",), "S")], RANGE).endswith(
        "Cannot update attribute pk. This attribute is part of the key")


def test_batches_and_transactions_refuse_one_item_twice():
    info = {"t": RANGE}.get
    key = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    same = {"pk": {"S": "a"}, "sk": {"N": "1.0"}}
    assert CHECKS["BatchWriteItem"]({"RequestItems": {"t": [{"PutRequest": {"Item": key}},
                                                            {"DeleteRequest": {"Key": same}}]}}, info) == \
        "Provided list of item keys contains duplicates"
    assert CHECKS["TransactGetItems"]({"TransactItems": [{"Get": {"TableName": "t", "Key": key}},
                                                         {"Get": {"TableName": "t", "Key": same}}]}, info) == \
        "Transaction request cannot include multiple operations on one item"
    assert CHECKS["BatchGetItem"]({"RequestItems": {"t": {"Keys": [{**key, "x": {"S": "1"}}]}}}, info) == \
        "The provided key element does not match the schema"


def test_the_models_maxima_are_checked_though_botocore_checks_only_minima():
    session = botocore.session.get_session()
    streams = session.get_service_model("dynamodbstreams").operation_model("GetRecords")
    assert constraints_problem("GetRecords", {"ShardIterator": "x", "Limit": 1000}, streams) is None
    assert constraints_problem("GetRecords", {"ShardIterator": "x", "Limit": 1001}, streams) == (
        "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value "
        "less than or equal to 1000")
    batch = session.get_service_model("dynamodb").operation_model("BatchExecuteStatement")
    assert "Member must have length less than or equal to 25" in constraints_problem(
        "BatchExecuteStatement", {"Statements": [{"Statement": "x"}] * 26}, batch)


def test_create_table_quotas():
    base = {"TableName": "t-x", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}
    gsis = [{"IndexName": f"gsi{i:02d}", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "ALL"}} for i in range(21)]
    assert create_table_problem({**base, "GlobalSecondaryIndexes": gsis[:20]}) is None
    assert create_table_problem({**base, "GlobalSecondaryIndexes": gsis}).endswith(
        "GlobalSecondaryIndex count exceeds the per-table limit of 20")


def test_a_multi_attribute_gsi_key_is_created_and_queried_by_its_whole_partition_key():
    # [src:gsi-multi-attribute-keys]: up to 4 HASH then up to 4 RANGE elements; every partition-key attribute by
    # equality, the sort-key attributes left to right
    from dynalab.models.indexes import SecondaryIndex

    def element(name, kind):
        return {"AttributeName": name, "KeyType": kind}

    names = ["pk", "a", "b", "c", "d", "e"]
    base = {"TableName": "t-x", "KeySchema": [element("pk", "HASH")], "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": n, "AttributeType": "S"} for n in names]}

    def gsi(*schema):
        return {**base, "GlobalSecondaryIndexes": [{"IndexName": "g", "Projection": {"ProjectionType": "ALL"},
                                                    "KeySchema": [element(*part) for part in schema]}]}

    assert create_table_problem(gsi(("a", "HASH"), ("b", "HASH"), ("c", "RANGE"))) is None
    assert "HASH elements, then" in create_table_problem(gsi(("a", "HASH"), ("c", "RANGE"), ("b", "HASH")))
    assert "HASH elements, then" in create_table_problem(gsi(*((n, "HASH") for n in names[1:])))
    assert create_table_problem(gsi(("a", "HASH"), ("a", "RANGE"))).startswith("Both the Hash Key")
    index = SecondaryIndex("g", ("a", "b", "c", "d"), partition_key_count=2)
    info = {"t-x": TableInfo(("pk",), (index,), {n: "S" for n in names})}.get

    def query(expression):
        values = {f":{n}": {"S": "x"} for n in "abcd"}
        return CHECKS["Query"]({"TableName": "t-x", "IndexName": "g", "KeyConditionExpression": expression,
                                "ExpressionAttributeValues": {k: v for k, v in values.items() if k in expression}},
                               info)

    assert query("a = :a AND b = :b AND c = :c AND d >= :d") is None
    assert query("a = :a AND b = :b") is None
    assert query("a = :a AND c = :c") == "Query condition missed key schema element: b"
    assert query("a = :a AND b = :b AND d = :d") == "Query condition missed key schema element: c"
    assert query("a = :a AND b = :b AND c >= :c AND d = :d") == "Query key condition not supported"
    assert query("a = :a AND b >= :b") == "Query key condition not supported"
