"""The meter on a real engine: DynamoDB's units for every call, whatever the learner asked for."""

from __future__ import annotations

import threading

import pytest
from botocore.exceptions import ClientError
from support import item_of_size

import dynalab
from dynalab import item_size, put_write_units, query_read_units, read_units, write_units
from dynalab.fidelity import Phase

KB = 1024


@pytest.fixture
def table(lab, table_name):
    t = dynalab.create_table(lab, table_name)
    lab.meter.reset()
    return t


def test_article_examples_are_metered_and_reported(lab, table):
    item = item_of_size(16 * KB, "a")
    assert item_size(item) == 16 * KB
    answer = table.put_item(Item=item, ReturnConsumedCapacity="TOTAL")
    assert answer["ConsumedCapacity"] == {"TableName": table.name, "CapacityUnits": 16.0}
    strong = table.get_item(Key={"pk": "a"}, ConsistentRead=True, ReturnConsumedCapacity="TOTAL")
    eventual = table.get_item(Key={"pk": "a"}, ReturnConsumedCapacity="TOTAL")
    assert strong["ConsumedCapacity"]["CapacityUnits"] == 4.0
    assert eventual["ConsumedCapacity"]["CapacityUnits"] == 2.0
    assert lab.meter.read_units(table.name) == 6.0
    assert lab.meter.write_units(table.name, "PutItem") == 16.0


def test_units_are_metered_without_return_consumed_capacity(lab, table):
    table.put_item(Item=item_of_size(5000, "a"))
    answer = table.get_item(Key={"pk": "a"})
    assert "ConsumedCapacity" not in answer  # the learner did not ask: the answer stays as DynamoDB gives it
    assert lab.meter.write_units(table.name) == write_units(5000) == 5
    assert lab.meter.read_units(table.name) == read_units(5000, "eventual") == 1.0
    last = lab.meter.last("GetItem")
    assert (last.table, last.read_units, last.item_count) == (table.name, 1.0, 1)


def test_the_layer_strips_what_it_added_and_keeps_what_was_asked(lab, table):
    table.put_item(Item={"pk": "a", "v": 1})
    assert "Attributes" not in table.put_item(Item={"pk": "a", "v": 2})
    asked = table.put_item(Item={"pk": "a", "v": 3}, ReturnValues="ALL_OLD")
    assert asked["Attributes"] == {"pk": "a", "v": 2}
    assert "Attributes" not in table.update_item(Key={"pk": "a"}, UpdateExpression="SET v = :v",
                                                 ExpressionAttributeValues={":v": 4})
    assert "Attributes" not in table.delete_item(Key={"pk": "a"})


def test_writes_are_charged_on_the_larger_of_old_and_new(lab, table):
    table.put_item(Item=item_of_size(3 * KB, "a"))
    lab.meter.reset()
    table.put_item(Item={"pk": "a"})  # small over large: charged on the large one replaced
    assert lab.meter.write_units(table.name) == put_write_units(item_size({"pk": "a"}), 3 * KB) == 3
    table.put_item(Item=item_of_size(3 * KB, "a"))
    lab.meter.reset()
    table.update_item(Key={"pk": "a"}, UpdateExpression="REMOVE d")  # shrinks to 4 B: charged on the old 3 KB
    assert lab.meter.write_units(table.name, "UpdateItem") == 3
    table.update_item(Key={"pk": "a"}, UpdateExpression="SET d = :d",
                      ExpressionAttributeValues={":d": "y" * (2 * KB)})  # grows: charged on the new item
    assert lab.meter.write_units(table.name, "UpdateItem") == 3 + 3
    table.delete_item(Key={"pk": "a"})
    assert lab.meter.write_units(table.name, "DeleteItem") == write_units(2 * KB + 4) == 3


def test_an_update_that_grows_the_item_is_charged_on_the_new_item_whatever_it_returns(lab, table):
    for returned in ("NONE", "UPDATED_NEW", "ALL_OLD", "UPDATED_OLD", "ALL_NEW"):
        table.put_item(Item={"pk": "a"})
        answer = table.update_item(Key={"pk": "a"}, UpdateExpression="SET d = :d", ReturnValues=returned,
                                   ExpressionAttributeValues={":d": "y" * (2 * KB)}, ReturnConsumedCapacity="TOTAL")
        assert answer["ConsumedCapacity"]["CapacityUnits"] == 3, returned  # 2 KB + 5 B: 3 WCU
        shown = {"NONE": None, "UPDATED_NEW": ["d"], "ALL_OLD": ["pk"], "UPDATED_OLD": None, "ALL_NEW": ["d", "pk"]}
        assert (sorted(answer["Attributes"]) if "Attributes" in answer else None) == shown[returned], returned


def test_a_failed_conditional_write_is_still_charged(lab, table):
    table.put_item(Item=item_of_size(2 * KB, "a"))
    lab.meter.reset()
    with pytest.raises(ClientError) as raised:
        table.put_item(Item=item_of_size(3 * KB, "a"), ConditionExpression="attribute_not_exists(pk)")
    assert raised.value.response["Error"]["Code"] == "ConditionalCheckFailedException"
    assert "Item" not in raised.value.response  # the layer asked for the old item; the learner did not
    entry = lab.meter.last("PutItem")
    assert (entry.ok, entry.write_units) == (False, 3.0)
    with pytest.raises(ClientError):
        table.put_item(Item={"pk": "new"}, ConditionExpression="attribute_exists(pk)")
    assert lab.meter.last("PutItem").write_units == 1.0  # no item there: 1 WCU


def test_query_sums_then_rounds_batch_get_rounds_each(lab, table_name):
    table = dynalab.create_table(lab, table_name, sort_key=("sk", "N"))
    with table.batch_writer() as batch:
        for n in range(10):
            batch.put_item(Item={"pk": "p", "sk": n, "v": "x" * 100})
    sizes = [item_size({"pk": "p", "sk": n, "v": "x" * 100}) for n in range(10)]
    lab.meter.reset()
    answer = table.query(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": "p"},
                         ReturnConsumedCapacity="TOTAL")
    assert answer["ConsumedCapacity"]["CapacityUnits"] == query_read_units(sizes, "eventual") == 0.5
    for n in range(10):
        table.get_item(Key={"pk": "p", "sk": n})
    assert lab.meter.read_units(table.name, "GetItem") == 10 * 0.5
    keys = [{"pk": "p", "sk": n} for n in range(10)]
    answer = lab.resource.batch_get_item(RequestItems={table.name: {"Keys": keys}}, ReturnConsumedCapacity="TOTAL")
    assert answer["ConsumedCapacity"] == [{"TableName": table.name, "CapacityUnits": 5.0}]


def test_a_filter_projection_or_count_does_not_lower_the_price(lab, table_name):
    table = dynalab.create_table(lab, table_name, sort_key=("sk", "N"))
    items = [{"pk": "p", "sk": n, "v": "x" * 1000, "keep": n == 3} for n in range(12)]
    with table.batch_writer() as batch:
        for item in items:
            batch.put_item(Item=item)
    full = query_read_units([item_size(item) for item in items], "strong")
    assert full == 3  # 12 items of ~1 KB: 3 blocks of 4 KB, strongly consistent
    lab.meter.reset()
    common = {"KeyConditionExpression": "pk = :p", "ConsistentRead": True, "ReturnConsumedCapacity": "TOTAL"}
    filtered = table.query(FilterExpression="#k = :t", ExpressionAttributeNames={"#k": "keep"},
                           ExpressionAttributeValues={":p": "p", ":t": True}, **common)
    assert (filtered["Count"], filtered["ScannedCount"]) == (1, 12)
    assert filtered["ConsumedCapacity"]["CapacityUnits"] == full  # charged on the 12 items read, not the 1 returned
    projected = table.query(ProjectionExpression="sk", ExpressionAttributeValues={":p": "p"}, **common)
    counted = table.query(Select="COUNT", ExpressionAttributeValues={":p": "p"}, **common)
    assert projected["ConsumedCapacity"]["CapacityUnits"] == counted["ConsumedCapacity"]["CapacityUnits"] == full
    scanned = table.scan(FilterExpression="keep = :t", ExpressionAttributeValues={":t": True}, Limit=5,
                         ReturnConsumedCapacity="TOTAL")
    assert scanned["ConsumedCapacity"]["CapacityUnits"] == query_read_units(
        [item_size(item) for item in items[:5]], "eventual")  # the 5 items the page read (Limit counts reads)
    assert lab.meter.read_units(table.name) == 3 * full + scanned["ConsumedCapacity"]["CapacityUnits"]


def test_later_plugins_see_the_units_of_each_call(lab, table):
    seen = []

    class Spy:
        phase = Phase.RECORD

        def after_call(self, call):
            seen.append((call.operation, {t: (u.read, u.write) for t, u in call.units.items()}))

    spy = lab.fidelity.add(Spy())
    try:
        table.put_item(Item=item_of_size(1500, "a"))
        table.get_item(Key={"pk": "a"}, ConsistentRead=True)
    finally:
        lab.fidelity.plugins.remove(spy)
    assert seen == [("PutItem", {table.name: (0.0, 2.0)}), ("GetItem", {table.name: (1.0, 0.0)})]


def test_transactions_cost_twice(lab, table):
    lab.client.transact_write_items(TransactItems=[
        {"Put": {"TableName": table.name, "Item": {"pk": {"S": "a"}, "d": {"S": "x" * 1500}}}},
        {"Put": {"TableName": table.name, "Item": {"pk": {"S": "b"}}}},
    ])
    assert lab.meter.write_units(table.name, "TransactWriteItems") == 2 * 2 + 2 * 1
    answer = lab.client.transact_get_items(
        TransactItems=[{"Get": {"TableName": table.name, "Key": {"pk": {"S": k}}}} for k in "ab"],
        ReturnConsumedCapacity="TOTAL")
    assert answer["ConsumedCapacity"] == [{"TableName": table.name, "CapacityUnits": 4.0}]


def test_the_meter_is_thread_safe(lab, table):
    def writer(n):
        for i in range(40):
            table.put_item(Item={"pk": f"{n}-{i}"})

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert lab.meter.rows() == [{"table": table.name, "operation": "PutItem", "calls": 160,
                                 "read_units": 0.0, "write_units": 160.0}]


def test_stream_get_records_calls_are_counted(lab, table_name):
    table = dynalab.create_table(lab, table_name, stream_view_type="NEW_IMAGE")
    table.put_item(Item={"pk": "a"})
    arn = lab.client.describe_table(TableName=table.name)["Table"]["LatestStreamArn"]
    lab.meter.reset()
    shard = lab.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = lab.streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    answer = lab.streams.get_records(ShardIterator=iterator)
    lab.streams.get_records(ShardIterator=answer["NextShardIterator"])
    assert lab.meter.stream_read_requests(arn) == 2
    assert lab.meter.stream_read_requests() == 2


def test_the_log_is_bounded(lab, table):
    for i in range(5):
        table.put_item(Item={"pk": str(i)})
    assert len(lab.meter.log) == 5
    assert lab.meter.log.maxlen == 1000


def test_on_the_embedded_engine_known_sizes_spare_the_old_item(lab, table):
    if lab.meter.known is None:
        pytest.skip("the meter remembers sizes only on the embedded engine (no one else writes to it)")
    sent = []

    class Spy:
        phase = Phase.RECORD

        def before_send(self, call):
            sent.append((call.operation, call.request.get("ReturnValues")))

    spy = lab.fidelity.add(Spy())
    try:
        table.put_item(Item=item_of_size(3 * KB, "a"))  # never seen: the layer asks the engine for the old item
        table.put_item(Item={"pk": "a"})  # known now: no ALL_OLD, and still charged on the 3 KB item it replaced
        assert lab.meter.last("PutItem").write_units == 3
        # PartiQL runs through the same pipeline: the item its UPDATE leaves is sized and remembered too
        lab.client.execute_statement(Statement=f"UPDATE \"{table.name}\" SET d = '{'y' * 5000}' WHERE pk = 'a'")
        table.put_item(Item={"pk": "a"})
        assert lab.meter.last("PutItem").write_units == 5
        lab.meter.forget_sizes()  # after writes the layer did not see, it asks the engine again
        table.put_item(Item={"pk": "a"})
        assert lab.meter.last("PutItem").write_units == 1
    finally:
        lab.fidelity.plugins.remove(spy)
    puts = [returned for operation, returned in sent if operation == "PutItem"]
    assert puts == ["ALL_OLD", None, None, "ALL_OLD"]


def test_on_the_embedded_engine_batch_writes_are_charged_on_the_larger_item(lab, table):
    if lab.meter.known is None:
        pytest.skip("the meter remembers sizes only on the embedded engine (no one else writes to it)")
    table.put_item(Item=item_of_size(3 * KB, "big"))
    table.put_item(Item=item_of_size(2 * KB, "gone"))
    lab.meter.reset()
    lab.client.batch_write_item(RequestItems={table.name: [
        {"PutRequest": {"Item": {"pk": {"S": "big"}}}},  # replaces 3 KB: 3 WCU
        {"DeleteRequest": {"Key": {"pk": {"S": "gone"}}}},  # deletes 2 KB: 2 WCU
        {"PutRequest": {"Item": {"pk": {"S": "new"}}}},  # new: 1 WCU
    ]})
    assert lab.meter.write_units(table.name, "BatchWriteItem") == 3 + 2 + 1


def test_switching_the_layer_back_on_forgets_sizes_it_did_not_see(lab, table):
    table.put_item(Item=item_of_size(5 * KB, "a"))
    lab.fidelity.enabled = False
    try:
        table.put_item(Item={"pk": "a"})  # unseen: the item is 4 B now
    finally:
        lab.fidelity.enabled = True
    lab.meter.reset()
    table.put_item(Item={"pk": "a"})  # 4 B over 4 B: 1 WCU, not the 5 KB the layer last saw
    assert lab.meter.write_units(table.name) == 1


def test_a_scan_page_larger_than_one_item_is_metered(lab, table_name):
    # Regression: a page's summed size (here ~450 KB) was checked as if it were one item (<= 400 KB) and the meter
    # gave up, leaving moto's fixed 1.0 in ConsumedCapacity.
    dynalab.create_table(lab, table_name)
    items = [{"pk": f"{i:03d}", "c": "x" * 900} for i in range(500)]
    dynalab.bulk_load(lab, table_name, items)
    answer = lab.client.scan(TableName=table_name, ReturnConsumedCapacity="TOTAL")
    size = sum(dynalab.item_size(item) for item in items)
    assert size > 409_600
    assert answer["ConsumedCapacity"]["CapacityUnits"] == dynalab.query_read_units(
        [dynalab.item_size(item) for item in items], "eventual")
