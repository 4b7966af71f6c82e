"""PartiQL statements parsed and translated to the operations they run (no engine)."""

from __future__ import annotations

import pytest

from dynalab.fidelity.aws_guard import UnreadableRequest, partiql_target
from dynalab.fidelity.catalog import TableInfo
from dynalab.fidelity.partiql import translate
from dynalab.fidelity.partiql.parser import StatementError, parse_statement

TABLES = {"orders": TableInfo(("pk", "sk"), (), {"pk": "S", "sk": "N"}),
          "users": TableInfo(("pk",), (), {"pk": "S"})}


def runs(statement: str, parameters=None) -> list[tuple[str, dict]]:
    translation = translate("ExecuteStatement", {"Statement": statement, "Parameters": parameters}, TABLES.get)
    assert translation.problem is None, translation.problem
    return [(run.operation, dict(run.request)) for run in translation.runs]


def refusal(statement: str, parameters=None, operation="ExecuteStatement") -> str:
    field = {"ExecuteStatement": "Statement"}.get(operation)
    translation = translate(operation, {field: statement, "Parameters": parameters}, TABLES.get)
    return translation.problem[1]


def test_a_select_is_a_get_a_query_per_partition_or_a_scan():
    assert [op for op, _ in runs("SELECT * FROM orders")] == ["Scan"]
    assert [op for op, _ in runs("SELECT * FROM orders WHERE total > 5")] == ["Scan"]
    assert [op for op, _ in runs("SELECT * FROM orders WHERE pk = 'a' OR total = 1")] == ["Scan"]
    assert [op for op, _ in runs("SELECT * FROM orders WHERE pk = 'a'")] == ["Query"]
    assert [op for op, _ in runs("SELECT * FROM orders WHERE pk IN ['a', 'b'] AND sk > 3")] == ["Query", "Query"]
    ((operation, request),) = runs('SELECT a FROM "users" WHERE pk = ?', [{"S": "u1"}])
    assert operation == "GetItem" and request["Key"] == {"pk": {"S": "u1"}}
    ((operation, request),) = runs("SELECT * FROM orders WHERE pk = 'a' AND sk BETWEEN 1 AND 3 AND x = 'y'")
    assert request["KeyConditionExpression"].count("AND") == 2 and "FilterExpression" in request


def test_writes_become_puts_updates_and_deletes_with_dynamodbs_conditions():
    ((operation, request),) = runs("INSERT INTO users VALUE {'pk': 'a', 'n': 5, 's': <<'x', 'y'>>}")
    assert operation == "PutItem" and request["Item"]["s"] == {"SS": ["x", "y"]}
    assert request["ConditionExpression"].startswith("attribute_not_exists(")
    ((operation, request),) = runs("UPDATE users SET n = n + 1 REMOVE old WHERE pk = 'a' RETURNING ALL NEW *")
    assert operation == "UpdateItem" and request["ReturnValues"] == "ALL_NEW"
    assert request["UpdateExpression"] == "SET #n0 = #n0 + :v0 REMOVE #n1"
    assert request["ConditionExpression"].startswith("attribute_exists(")
    ((operation, request),) = runs("DELETE FROM orders WHERE pk = 'a' AND sk = 1")
    assert operation == "DeleteItem" and request["Key"] == {"pk": {"S": "a"}, "sk": {"N": "1"}}


def test_statements_dynamodb_refuses():
    assert refusal("UPDATE users SET pk = 'zz' WHERE pk = 'a'").endswith(
        "Cannot update attribute pk. This attribute is part of the key")
    assert refusal("DELETE FROM orders WHERE pk = 'a'") == \
        "Where clause does not contain a mandatory equality on all key attributes"
    assert refusal("SELECT * FROM users WHERE pk = ?") == "Number of parameters in request and statement don't match."
    assert refusal("SELEC * FROM users").startswith("Statement wasn't well formed, can't be processed: ")
    mixed = translate("ExecuteTransaction", {"TransactStatements": [
        {"Statement": "SELECT * FROM users WHERE pk = 'a'"}, {"Statement": "DELETE FROM users WHERE pk = 'b'"}]},
        TABLES.get)
    assert mixed.problem == ("ValidationException", "ExecuteTransaction API does not support both read and write "
                                                    "operations in the same request.")


@pytest.mark.parametrize("text", ["", "SELECT", "SELECT * FROM", "INSERT INTO t VALUES ('a')",
                                  "UPDATE t WHERE pk = 'a'", "SELECT * FROM t; SELECT * FROM u"])
def test_statements_that_do_not_parse(text):
    with pytest.raises(StatementError, match="Statement wasn't well formed|Only one operation|Unsupported operation"):
        parse_statement(text)


def test_the_guard_reads_a_statements_table_with_the_same_parser():
    assert partiql_target('SELECT * FROM "prod-orders"."by-date" WHERE pk = 1') == ("prod-orders", "by-date")
    assert partiql_target("EXISTS(SELECT * FROM t WHERE pk = 'a' AND x = 1)") == ("t", None)


def test_what_the_parser_refuses_the_guard_refuses_in_dynamodbs_words():
    with pytest.raises(UnreadableRequest, match="Statement wasn't well formed"):
        partiql_target("not a statement")
    with pytest.raises(UnreadableRequest, match="comment"):
        partiql_target("UPDATE t SET a = 1 WHERE pk = 'a' -- ok?")
