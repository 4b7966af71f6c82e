"""Index metering on dynalite: dynalite reports the table's units only (it meters no index), so dynalab keeps
the engine's table units and adds each index's, as on moto (tests/integration/test_index_metering.py)."""

from __future__ import annotations

from botocore.exceptions import ClientError

from dynalab.models.sizing import typed_item_size

TABLE = "dynalab-index-cross-check"


def test_2500_bytes_into_one_all_gsi_reports_3_plus_3_on_dynalite(plain, dlab):
    try:
        plain.delete_table(TableName=TABLE)
        plain.get_waiter("table_not_exists").wait(TableName=TABLE, WaiterConfig={"Delay": 0.1, "MaxAttempts": 100})
    except ClientError:
        pass
    plain.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                       KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                       AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                             {"AttributeName": "status", "AttributeType": "S"}],
                       GlobalSecondaryIndexes=[{"IndexName": "by_status",
                                                "KeySchema": [{"AttributeName": "status", "KeyType": "HASH"}],
                                                "Projection": {"ProjectionType": "ALL"}}])
    plain.get_waiter("table_exists").wait(TableName=TABLE, WaiterConfig={"Delay": 0.1, "MaxAttempts": 100})
    item = {"pk": {"S": "a"}, "status": {"S": "open"}, "pad": {"S": ""}}
    item["pad"] = {"S": "x" * (2500 - typed_item_size(item))}
    engine = plain.put_item(TableName=TABLE, Item=item, ReturnConsumedCapacity="INDEXES")["ConsumedCapacity"]
    assert engine == {"TableName": TABLE, "CapacityUnits": 3.0, "Table": {"CapacityUnits": 3.0}}  # table only
    answer = dlab.client.put_item(TableName=TABLE, Item={**item, "pk": {"S": "b"}}, ReturnConsumedCapacity="INDEXES")
    assert answer["ConsumedCapacity"] == {"TableName": TABLE, "CapacityUnits": 6.0, "Table": {"CapacityUnits": 3.0},
                                          "GlobalSecondaryIndexes": {"by_status": {"CapacityUnits": 3.0}}}
    changed = dlab.client.update_item(TableName=TABLE, Key={"pk": {"S": "b"}}, UpdateExpression="SET #s = :s",
                                      ExpressionAttributeNames={"#s": "status"},
                                      ExpressionAttributeValues={":s": {"S": "shut"}}, ReturnConsumedCapacity="INDEXES")
    assert changed["ConsumedCapacity"]["GlobalSecondaryIndexes"] == {"by_status": {"CapacityUnits": 6.0}}
    plain.delete_table(TableName=TABLE)
