"""The fidelity layer's one request walker (no engine)."""

from __future__ import annotations

from dynalab.fidelity.requests import accesses, accesses_by_table, tables_named


def test_single_item_calls():
    (put,) = accesses("PutItem", {"TableName": "t", "Item": {"pk": {"S": "a"}, "x": {"N": "1"}}})
    assert (put.table, put.action, put.is_write, put.item["x"]) == ("t", "Put", True, {"N": "1"})
    (update,) = accesses("UpdateItem", {"TableName": "t", "Key": {"pk": {"S": "a"}}})
    assert update.key == {"pk": {"S": "a"}} and update.item is None
    (query,) = accesses("Query", {"TableName": "t", "IndexName": "g"})
    assert query.action == "Query" and not query.is_write


def test_batches_and_transactions():
    write = {"RequestItems": {"a": [{"PutRequest": {"Item": {"pk": {"S": "1"}}}},
                                    {"DeleteRequest": {"Key": {"pk": {"S": "2"}}}}],
                              "b": [{"PutRequest": {"Item": {"pk": {"S": "3"}}}}]}}
    grouped = accesses_by_table("BatchWriteItem", write)
    assert [(a.action, a.position) for a in grouped["a"]] == [("Put", 0), ("Delete", 1)]
    assert grouped["a"][1].spec == {"DeleteRequest": {"Key": {"pk": {"S": "2"}}}}
    get = {"RequestItems": {"a": {"Keys": [{"pk": {"S": "1"}}], "ConsistentRead": True}}}
    (key,) = accesses("BatchGetItem", get)
    assert key.spec["ConsistentRead"] and key.action == "Get"
    transaction = {"TransactItems": [{"Put": {"TableName": "a", "Item": {"pk": {"S": "1"}}}},
                                     {"ConditionCheck": {"TableName": "b", "Key": {"pk": {"S": "2"}}}}]}
    found = accesses("TransactWriteItems", transaction)
    assert [(a.table, a.action, a.transactional) for a in found] == [("a", "Put", True), ("b", "ConditionCheck", True)]
    assert tables_named(transaction) == {"a", "b"}
    assert accesses("ListTables", {}) == []
