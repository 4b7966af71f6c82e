"""Secondary indexes metered on the embedded engine: a write charges the table and each index it touches
(models/indexes.py), ReturnConsumedCapacity="INDEXES" answers in DynamoDB's shape (API_ConsumedCapacity.html)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

import dynalab
from dynalab.fidelity.metering import GSI_CONSISTENT_READ


def _gsi(name: str, key: str, projection: str, non_key=()) -> dict:
    projected = {"ProjectionType": projection, **({"NonKeyAttributes": list(non_key)} if non_key else {})}
    return {"IndexName": name, "KeySchema": [{"AttributeName": key, "KeyType": "HASH"}], "Projection": projected,
            "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}


def _table(lab, name, *gsis, lsi=None, sort_key=None):
    extra = {"GlobalSecondaryIndexes": list(gsis)} if gsis else {}
    attributes = [("status", "S")] if gsis else []
    if lsi:
        extra["LocalSecondaryIndexes"] = [lsi]
        attributes.append(("day", "S"))
    dynalab.create_table(lab, name, sort_key=sort_key, read_capacity_units=10, write_capacity_units=10,
                         extra_attribute_definitions=attributes, **extra)
    lab.meter.reset()


def _item(pk: str, size: int, **attributes: str) -> dict:
    item = {"pk": {"S": pk}, **{k: {"S": v} for k, v in attributes.items()}, "pad": {"S": ""}}
    item["pad"] = {"S": "x" * (size - dynalab.typed_item_size(item))}
    return item


def test_2500_bytes_into_one_all_gsi_reports_3_plus_3(lab, table_name):
    _table(lab, table_name, _gsi("by_status", "status", "ALL"))
    answer = lab.client.put_item(TableName=table_name, Item=_item("a", 2500, status="open"),
                                 ReturnConsumedCapacity="INDEXES")
    assert answer["ConsumedCapacity"] == {"TableName": table_name, "CapacityUnits": 6.0,
                                          "Table": {"CapacityUnits": 3.0},
                                          "GlobalSecondaryIndexes": {"by_status": {"CapacityUnits": 3.0}}}
    total = lab.client.put_item(TableName=table_name, Item=_item("b", 2500, status="open"),
                                ReturnConsumedCapacity="TOTAL")
    assert total["ConsumedCapacity"] == {"TableName": table_name, "CapacityUnits": 6.0}
    assert lab.meter.write_units(table_name) == 6 and lab.meter.index_write_units(table_name, "by_status") == 6


def test_keys_only_gsi_key_change_untouched_write_and_sparse_item(lab, table_name):
    _table(lab, table_name, _gsi("by_status", "status", "KEYS_ONLY"))
    client = lab.client
    client.put_item(TableName=table_name, Item=_item("a", 2500, status="open"))
    changed = client.update_item(TableName=table_name, Key={"pk": {"S": "a"}}, UpdateExpression="SET #s = :s",
                                 ExpressionAttributeNames={"#s": "status"},
                                 ExpressionAttributeValues={":s": {"S": "closed"}}, ReturnConsumedCapacity="INDEXES")
    assert changed["ConsumedCapacity"]["GlobalSecondaryIndexes"] == {"by_status": {"CapacityUnits": 2.0}}
    assert changed["ConsumedCapacity"]["Table"] == {"CapacityUnits": 3.0}
    untouched = client.update_item(TableName=table_name, Key={"pk": {"S": "a"}}, UpdateExpression="SET n = :n",
                                   ExpressionAttributeValues={":n": {"N": "1"}}, ReturnConsumedCapacity="INDEXES")
    assert "GlobalSecondaryIndexes" not in untouched["ConsumedCapacity"]
    assert untouched["ConsumedCapacity"]["CapacityUnits"] == 3.0
    sparse = client.put_item(TableName=table_name, Item=_item("b", 2500), ReturnConsumedCapacity="INDEXES")
    assert sparse["ConsumedCapacity"] == {"TableName": table_name, "CapacityUnits": 3.0,
                                          "Table": {"CapacityUnits": 3.0}}
    deleted = client.delete_item(TableName=table_name, Key={"pk": {"S": "a"}}, ReturnConsumedCapacity="INDEXES")
    assert deleted["ConsumedCapacity"]["GlobalSecondaryIndexes"] == {"by_status": {"CapacityUnits": 1.0}}


def test_batch_and_transaction_writes_charge_indexes(lab, table_name):
    _table(lab, table_name, _gsi("by_status", "status", "INCLUDE", ["owner"]))
    answer = lab.client.batch_write_item(RequestItems={table_name: [
        {"PutRequest": {"Item": _item("a", 2500, status="open", owner="ann")}},
        {"PutRequest": {"Item": _item("b", 2500)}}]}, ReturnConsumedCapacity="INDEXES")
    (entry,) = answer["ConsumedCapacity"]
    assert entry["Table"] == {"CapacityUnits": 6.0}
    assert entry["GlobalSecondaryIndexes"] == {"by_status": {"CapacityUnits": 1.0}}
    answer = lab.client.transact_write_items(TransactItems=[{"Update": {
        "TableName": table_name, "Key": {"pk": {"S": "b"}}, "UpdateExpression": "SET #s = :s",
        "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "new"}}}}],
        ReturnConsumedCapacity="INDEXES")
    (entry,) = answer["ConsumedCapacity"]
    assert entry["Table"] == {"CapacityUnits": 6.0}  # 2 x 3 KB, transactional
    assert entry["GlobalSecondaryIndexes"] == {"by_status": {"CapacityUnits": 1.0}}


def test_lsi_writes_are_charged_to_the_table_and_listed(lab, table_name):
    lsi = {"IndexName": "by_day", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                 {"AttributeName": "day", "KeyType": "RANGE"}],
           "Projection": {"ProjectionType": "KEYS_ONLY"}}
    _table(lab, table_name, lsi=lsi, sort_key=("sk", "S"))
    item = {**_item("a", 1000, day="mon"), "sk": {"S": "1"}}
    answer = lab.client.put_item(TableName=table_name, Item=item, ReturnConsumedCapacity="INDEXES")
    assert answer["ConsumedCapacity"] == {"TableName": table_name, "CapacityUnits": 2.0,
                                          "Table": {"CapacityUnits": 1.0},
                                          "LocalSecondaryIndexes": {"by_day": {"CapacityUnits": 1.0}}}
    assert lab.meter.write_units(table_name) == 2  # the LSI's write is paid from the table's capacity


def test_index_reads_are_charged_by_entry_size_and_gsi_reads_are_eventual(lab, table_name):
    _table(lab, table_name, _gsi("by_status", "status", "KEYS_ONLY"))
    for i in range(3):
        lab.client.put_item(TableName=table_name, Item=_item(f"k{i}", 9000, status="open"))
    query = {"TableName": table_name, "IndexName": "by_status", "KeyConditionExpression": "#s = :s",
             "ExpressionAttributeNames": {"#s": "status"}, "ExpressionAttributeValues": {":s": {"S": "open"}}}
    answer = lab.client.query(**query, ReturnConsumedCapacity="INDEXES")
    # three KEYS_ONLY entries of 16 B: one 4 KB block, eventually consistent, on the index, not the table
    assert answer["ConsumedCapacity"] == {"TableName": table_name, "CapacityUnits": 0.5,
                                          "Table": {"CapacityUnits": 0.0},
                                          "GlobalSecondaryIndexes": {"by_status": {"CapacityUnits": 0.5}}}
    assert lab.meter.index_read_units(table_name, "by_status") == 0.5
    with pytest.raises(ClientError) as refused:
        lab.client.query(**query, ConsistentRead=True)
    assert refused.value.response["Error"] == {"Code": "ValidationException", "Message": GSI_CONSISTENT_READ}
