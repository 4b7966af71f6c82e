"""Transactional writes metered as DynamoDB charges them today: 2 WCU per 1 KB of the larger of the item before and
after, for Put, Update and Delete alike ([src:capacity-unit-sizes])."""

from __future__ import annotations

import pytest

import dynalab

KB = 1024


@pytest.fixture
def table(lab, table_name):
    t = dynalab.create_table(lab, table_name)
    lab.meter.reset()
    return t


def _padding(pk: str, size: int) -> dict:
    base = {"pk": {"S": pk}, "d": {"S": ""}}
    return {"pk": {"S": pk}, "d": {"S": "x" * (size - dynalab.typed_item_size(base))}}


def test_a_3_kb_transactional_update_costs_6_wcu(lab, table):
    lab.client.put_item(TableName=table.name, Item=_padding("a", 1 * KB))
    lab.meter.reset()
    answer = lab.client.transact_write_items(TransactItems=[{"Update": {
        "TableName": table.name, "Key": {"pk": {"S": "a"}}, "UpdateExpression": "SET d = :d",
        "ExpressionAttributeValues": {":d": {"S": "y" * (3 * KB - 4)}}}}], ReturnConsumedCapacity="TOTAL")
    assert dynalab.typed_item_size(lab.client.get_item(TableName=table.name, Key={"pk": {"S": "a"}})["Item"]) \
        == 3 * KB
    assert answer["ConsumedCapacity"] == [{"TableName": table.name, "CapacityUnits": 6.0}]
    assert lab.meter.write_units(table.name, "TransactWriteItems") == 6


def test_the_larger_of_before_and_after_for_update_delete_and_put(lab, table):
    lab.client.put_item(TableName=table.name, Item=_padding("a", 3 * KB))
    lab.client.put_item(TableName=table.name, Item=_padding("b", 2 * KB))
    lab.client.put_item(TableName=table.name, Item=_padding("c", 4 * KB))
    lab.meter.reset()
    lab.client.transact_write_items(TransactItems=[
        # shrinks a 3 KB item to 1 KB: charged on the 3 KB before
        {"Update": {"TableName": table.name, "Key": {"pk": {"S": "a"}}, "UpdateExpression": "SET d = :d",
                    "ExpressionAttributeValues": {":d": {"S": "z"}}}},
        {"Delete": {"TableName": table.name, "Key": {"pk": {"S": "b"}}}},  # the 2 KB deleted
        {"Put": {"TableName": table.name, "Item": {"pk": {"S": "c"}}}},  # replaces a 4 KB item
        {"ConditionCheck": {"TableName": table.name, "Key": {"pk": {"S": "zz"}},
                            "ConditionExpression": "attribute_not_exists(pk)"}},
    ])
    assert lab.meter.write_units(table.name, "TransactWriteItems") == 2 * 3 + 2 * 2 + 2 * 4 + 2
