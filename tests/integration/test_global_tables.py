"""Global tables on the embedded engine, driven by plain boto3 clients, one per Region (no dynalab in the way):
replicas, replication both ways, deletes, last writer wins, MRSC's strong reads and refusals, isolated Regions,
AWS's validation, and the meter's replicated write units per Region.

The embedded engine's own feature (an outside plain moto has no replication): ``make test-external`` skips it.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from dynalab.engine._replication import DEFAULT_SETTINGS
from dynalab.engine.global_tables import heal_region, isolate_region, replication_settings, set_replication
from dynalab.models.quotas import GLOBAL_TABLE_VERSION

pytestmark = pytest.mark.embedded_only

EAST, WEST, OHIO, IRELAND = "us-east-1", "us-west-2", "us-east-2", "eu-west-1"
KEY = {"KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
       "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}], "BillingMode": "PAY_PER_REQUEST"}


def client(lab, region: str, *, retries: bool = True) -> Any:
    """A plain boto3 client for ``region`` on the lab's engine (no retries: the first answer is the one we see)."""
    config = Config(retries={"mode": "standard", "total_max_attempts": 5 if retries else 1})
    return boto3.client("dynamodb", endpoint_url=lab.endpoint_url, region_name=region, aws_access_key_id="x",
                        aws_secret_access_key="x", config=config)


def eventually(check: Callable[[], Any], seconds: float = 10.0) -> Any:
    """Poll ``check`` until it returns something truthy (bounded): the state a test asserts, not a duration."""
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


def item(dynamodb, table: str, key: str, consistent: bool = False) -> dict | None:
    return dynamodb.get_item(TableName=table, Key={"id": {"S": key}}, ConsistentRead=consistent).get("Item")


def active(dynamodb, table: str) -> bool:
    description = dynamodb.describe_table(TableName=table)["Table"]
    return description["TableStatus"] == "ACTIVE" and all(
        replica["ReplicaStatus"] == "ACTIVE" for replica in description.get("Replicas", []))


@pytest.fixture(autouse=True)
def settings(lab):
    """The engine's default replication settings, every Region reachable (one engine serves this worker's tests:
    another test, or the hostile-input tests of set_replication, may have changed them)."""
    set_replication(lab, **DEFAULT_SETTINGS, isolated_regions=[])
    yield
    set_replication(lab, **DEFAULT_SETTINGS, isolated_regions=[])


def make_global(lab, table: str, regions: tuple[str, ...], consistency: str | None = None,
                witness: str | None = None, **create: Any) -> dict[str, Any]:
    """A table in the first Region, replicas in the others: {Region: plain client}."""
    clients = {region: client(lab, region) for region in (*regions, *([witness] if witness else []))}
    home = clients[regions[0]]
    home.create_table(TableName=table, **{**KEY, **create})
    update: dict[str, Any] = {"ReplicaUpdates": [{"Create": {"RegionName": r}} for r in regions[1:]]}
    if consistency:
        update["MultiRegionConsistency"] = consistency
    if witness:
        update["GlobalTableWitnessUpdates"] = [{"Create": {"RegionName": witness}}]
    home.update_table(TableName=table, **update)
    assert eventually(lambda: active(home, table))
    return clients


# ---- MREC ------------------------------------------------------------------------------------------------------


def test_a_replica_shows_in_every_region_and_starts_with_the_tables_items(lab, table_name):
    east, west = client(lab, EAST), client(lab, WEST)
    east.create_table(TableName=table_name, **KEY)
    east.put_item(TableName=table_name, Item={"id": {"S": "before"}, "v": {"N": "1"}})
    answer = east.update_table(TableName=table_name, ReplicaUpdates=[{"Create": {"RegionName": WEST}}])
    created = answer["TableDescription"]
    assert created["TableStatus"] == "UPDATING"  # UpdateTable is asynchronous
    assert {r["RegionName"]: r["ReplicaStatus"] for r in created["Replicas"]} == {EAST: "ACTIVE", WEST: "CREATING"}
    assert eventually(lambda: active(east, table_name))
    for dynamodb in (east, west):
        description = dynamodb.describe_table(TableName=table_name)["Table"]
        assert {r["RegionName"] for r in description["Replicas"]} == {EAST, WEST}
        assert description["GlobalTableVersion"] == GLOBAL_TABLE_VERSION
        assert description["MultiRegionConsistency"] == "EVENTUAL"
        # streams are enabled on every MREC replica (NEW_AND_OLD_IMAGES when the table had none)
        assert description["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    assert item(west, table_name, "before") == {"id": {"S": "before"}, "v": {"N": "1"}}


def test_writes_replicate_both_ways_and_so_do_deletes(lab, table_name):
    clients = make_global(lab, table_name, (EAST, WEST))
    east, west = clients[EAST], clients[WEST]
    east.put_item(TableName=table_name, Item={"id": {"S": "from-east"}, "v": {"S": "e"}})
    west.update_item(TableName=table_name, Key={"id": {"S": "from-west"}}, UpdateExpression="SET v = :v",
                     ExpressionAttributeValues={":v": {"S": "w"}})
    assert eventually(lambda: item(west, table_name, "from-east")) == {"id": {"S": "from-east"}, "v": {"S": "e"}}
    assert eventually(lambda: item(east, table_name, "from-west")) == {"id": {"S": "from-west"}, "v": {"S": "w"}}
    west.delete_item(TableName=table_name, Key={"id": {"S": "from-east"}})
    assert eventually(lambda: item(east, table_name, "from-east") is None)
    # a transaction's items replicate one by one, and all of them arrive
    east.transact_write_items(TransactItems=[{"Put": {"TableName": table_name, "Item": {"id": {"S": f"t{i}"}}}}
                                             for i in range(3)])
    assert eventually(lambda: all(item(west, table_name, f"t{i}") for i in range(3)))


def test_concurrent_writes_to_one_item_converge_to_the_last_writer_everywhere(lab, table_name, settings):
    set_replication(lab, replication_lag_seconds=2.0)  # long enough that the three writes all happen within it
    clients = make_global(lab, table_name, (EAST, WEST, OHIO))
    # three Regions write the same item within the replication lag: each accepts its own write
    for region in (EAST, WEST, OHIO):
        clients[region].put_item(TableName=table_name, Item={"id": {"S": "race"}, "by": {"S": region}})
    assert item(clients[EAST], table_name, "race", consistent=True)["by"]["S"] == EAST  # not yet replicated here

    def agreed() -> bool:
        return {item(c, table_name, "race")["by"]["S"] for c in clients.values()} == {OHIO}

    assert eventually(agreed), {r: item(c, table_name, "race") for r, c in clients.items()}


def test_removing_the_replicas_leaves_a_single_region_table_with_its_stream(lab, table_name):
    clients = make_global(lab, table_name, (EAST, WEST))
    east, west = clients[EAST], clients[WEST]
    # the source table cannot be deleted within 24 hours of sourcing a replica (DynamoDB's measured answer)
    with pytest.raises(ClientError, match="acted as a source region"):
        east.delete_table(TableName=table_name)
    east.update_table(TableName=table_name, ReplicaUpdates=[{"Delete": {"RegionName": WEST}}])
    description = east.describe_table(TableName=table_name)["Table"]
    assert "Replicas" not in description and "GlobalTableVersion" not in description
    assert description["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        west.describe_table(TableName=table_name)
    east.delete_table(TableName=table_name)


def test_settings_reach_every_replica(lab, table_name):
    clients = make_global(lab, table_name, (EAST, WEST))
    clients[WEST].update_table(TableName=table_name, AttributeDefinitions=[
        {"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "g", "AttributeType": "S"}],
        GlobalSecondaryIndexUpdates=[{"Create": {"IndexName": "by-g", "KeySchema": [
            {"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}}])
    clients[EAST].update_time_to_live(TableName=table_name,
                                      TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
    east = clients[EAST].describe_table(TableName=table_name)["Table"]
    assert [index["IndexName"] for index in east["GlobalSecondaryIndexes"]] == ["by-g"]
    ttl = clients[WEST].describe_time_to_live(TableName=table_name)["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "expires"


# ---- MRSC ------------------------------------------------------------------------------------------------------


def test_mrsc_a_strong_read_in_another_region_sees_the_write_as_soon_as_it_is_acknowledged(lab, table_name):
    clients = make_global(lab, table_name, (EAST, WEST), consistency="STRONG", witness=OHIO)
    description = clients[WEST].describe_table(TableName=table_name)["Table"]
    assert description["MultiRegionConsistency"] == "STRONG"
    assert description["GlobalTableWitnesses"] == [{"RegionName": OHIO, "WitnessStatus": "ACTIVE"}]
    assert "StreamSpecification" not in description  # MRSC does not replicate through streams
    for n in range(5):
        clients[EAST].put_item(TableName=table_name, Item={"id": {"S": "k"}, "n": {"N": str(n)}})
        assert item(clients[WEST], table_name, "k", consistent=True)["n"]["N"] == str(n)
    with pytest.raises(ClientError, match="ResourceNotFoundException"):  # a witness holds no table you can read
        clients[OHIO].describe_table(TableName=table_name)


def race(writers: dict[str, Any], table: str) -> dict[str, Any]:
    """Each Region's client writes the item "hot" at the same moment: Region -> "ok" or the ClientError."""
    results: dict[str, Any] = {}
    start = threading.Barrier(len(writers))

    def write(region: str) -> None:
        start.wait()
        try:
            writers[region].put_item(TableName=table, Item={"id": {"S": "hot"}, "by": {"S": region}})
            results[region] = "ok"
        except ClientError as error:
            results[region] = error

    threads = [threading.Thread(target=write, args=(region,)) for region in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_mrsc_refuses_a_write_of_an_item_another_region_is_writing(lab, table_name, settings):
    set_replication(lab, round_trip_seconds=0.2)
    make_global(lab, table_name, (EAST, WEST, OHIO), consistency="STRONG")
    writers = {region: client(lab, region, retries=False) for region in (EAST, WEST)}
    refused: list[ClientError] = []
    for _attempt in range(5):  # two writers started together: the later one finds the item in flight
        results = race(writers, table_name)
        errors = [r for r in results.values() if isinstance(r, ClientError)]
        if errors:
            refused = errors
            winner = next(region for region, r in results.items() if r == "ok")
            break
    assert len(refused) == 1, "no write was refused in five races"
    error = refused[0].response
    assert error["Error"]["Code"] == "ReplicatedWriteConflictException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 409
    assert "being modified by a request in another Region" in error["Error"]["Message"]
    # the refused write changed nothing: every Region reads the accepted one
    for region in (EAST, WEST, OHIO):
        assert item(client(lab, region), table_name, "hot", consistent=True)["by"]["S"] == winner


# ---- an isolated Region ----------------------------------------------------------------------------------------


def test_mrec_an_isolated_region_keeps_writing_and_converges_when_healed(lab, table_name, settings):
    set_replication(lab, replication_lag_seconds=0.1)
    clients = make_global(lab, table_name, (EAST, WEST))
    isolate_region(lab, WEST)
    clients[WEST].put_item(TableName=table_name, Item={"id": {"S": "island"}})
    clients[EAST].put_item(TableName=table_name, Item={"id": {"S": "mainland"}})
    time.sleep(0.5)  # five lags: nothing crosses while the Region is cut off
    assert item(clients[EAST], table_name, "island") is None
    assert item(clients[WEST], table_name, "mainland") is None
    assert replication_settings(lab).isolated_regions == (WEST,)
    heal_region(lab, WEST)
    assert eventually(lambda: item(clients[EAST], table_name, "island"))
    assert eventually(lambda: item(clients[WEST], table_name, "mainland"))
    # CloudWatch's ReplicationLatency per Region pair: the engine measured each replicated write, and published it in
    # the source Region's CloudWatch (namespace AWS/DynamoDB, dimensions TableName and ReceivingRegion)
    latencies = replication_settings(lab)
    assert latencies.latencies_ms(table_name, receiving_region=EAST)
    assert latencies.latencies_ms(table_name, receiving_region=WEST)
    cloudwatch = boto3.client("cloudwatch", endpoint_url=lab.endpoint_url, region_name=EAST, aws_access_key_id="x",
                              aws_secret_access_key="x")
    now = datetime.datetime.now(datetime.UTC)
    found = cloudwatch.get_metric_statistics(
        Namespace="AWS/DynamoDB", MetricName="ReplicationLatency", Statistics=["Maximum", "SampleCount"],
        Dimensions=[{"Name": "TableName", "Value": table_name}, {"Name": "ReceivingRegion", "Value": WEST}],
        StartTime=now - datetime.timedelta(minutes=5), EndTime=now + datetime.timedelta(minutes=1), Period=60)
    assert sum(point["SampleCount"] for point in found["Datapoints"]) == 1  # the write made in us-east-1
    assert found["Datapoints"][0]["Unit"] == "Milliseconds"


def test_mrsc_an_isolated_region_refuses_writes_and_strong_reads_but_serves_eventual_reads(lab, table_name,
                                                                                            settings):
    make_global(lab, table_name, (EAST, WEST), consistency="STRONG", witness=OHIO)
    east, west = client(lab, EAST, retries=False), client(lab, WEST, retries=False)
    east.put_item(TableName=table_name, Item={"id": {"S": "a"}, "v": {"N": "1"}})
    isolate_region(lab, WEST)
    for call in (lambda: west.put_item(TableName=table_name, Item={"id": {"S": "a"}, "v": {"N": "2"}}),
                 lambda: item(west, table_name, "a", consistent=True)):
        with pytest.raises(ClientError) as refused:
            call()
        assert refused.value.response["Error"]["Code"] == "InternalServerError"
        assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    assert item(west, table_name, "a") == {"id": {"S": "a"}, "v": {"N": "1"}}  # eventually consistent: served
    east.put_item(TableName=table_name, Item={"id": {"S": "a"}, "v": {"N": "3"}})  # east + the witness: a quorum
    assert item(west, table_name, "a")["v"]["N"] == "1"  # the isolated replica missed it
    heal_region(lab, WEST)
    assert item(west, table_name, "a", consistent=True)["v"]["N"] == "3"  # caught up at once


# ---- AWS's validation --------------------------------------------------------------------------------------------

REFUSALS = [
    ("the local region", {"ReplicaUpdates": [{"Create": {"RegionName": EAST}}]},
     "Cannot add or delete the local region through ReplicaUpdates"),
    ("MRSC in two Regions", {"ReplicaUpdates": [{"Create": {"RegionName": WEST}}], "MultiRegionConsistency": "STRONG"},
     "must be deployed in exactly three Regions"),
    ("MRSC with two replicas and a witness", {"ReplicaUpdates": [{"Create": {"RegionName": WEST}},
                                                                 {"Create": {"RegionName": OHIO}}],
                                              "GlobalTableWitnessUpdates": [{"Create": {"RegionName": "us-west-1"}}],
                                              "MultiRegionConsistency": "STRONG"},
     "must be deployed in exactly three Regions"),
    ("MRSC across Region sets", {"ReplicaUpdates": [{"Create": {"RegionName": WEST}},
                                                    {"Create": {"RegionName": IRELAND}}],
                                 "MultiRegionConsistency": "STRONG"}, "cannot span Region sets"),
    ("a witness on MREC", {"ReplicaUpdates": [{"Create": {"RegionName": WEST}}],
                           "GlobalTableWitnessUpdates": [{"Create": {"RegionName": OHIO}}]},
     "witness must be added when creating the MRSC global table"),
    ("a witness in a replica's Region", {"ReplicaUpdates": [{"Create": {"RegionName": WEST}}],
                                         "GlobalTableWitnessUpdates": [{"Create": {"RegionName": WEST}}],
                                         "MultiRegionConsistency": "STRONG"},
     "witness is located in a different Region"),
    ("MultiRegionConsistency alone", {"MultiRegionConsistency": "EVENTUAL"},
     "only valid when you create a global table"),
    ("an unknown Region", {"ReplicaUpdates": [{"Create": {"RegionName": "moon-1"}}]}, "is not an AWS Region"),
    ("a Region twice", {"ReplicaUpdates": [{"Create": {"RegionName": WEST}}, {"Create": {"RegionName": WEST}}]},
     "only one replica per AWS Region"),
]


@pytest.mark.parametrize(("case", "update", "words"), REFUSALS, ids=[case for case, _, _ in REFUSALS])
def test_replica_updates_dynamodb_refuses_change_nothing(lab, table_name, case, update, words):
    east = client(lab, EAST)
    east.create_table(TableName=table_name, **KEY)
    with pytest.raises(ClientError) as refused:
        east.update_table(TableName=table_name, **update)
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert words in refused.value.response["Error"]["Message"]
    description = east.describe_table(TableName=table_name)["Table"]
    assert "Replicas" not in description and description["TableStatus"] == "ACTIVE"
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        client(lab, WEST).describe_table(TableName=table_name)


def test_createtable_takes_no_replicas_and_a_multi_account_source_is_refused(lab, table_name):
    east = client(lab, EAST)
    with pytest.raises(ClientError, match="not modelled"):
        east.create_table(TableName=table_name, GlobalTableSourceArn="arn:aws:dynamodb:us-west-2:111122223333:table/x",
                          **KEY)
    with pytest.raises(ClientError, match="ResourceNotFoundException"):
        east.describe_table(TableName=table_name)


def test_mrsc_needs_an_empty_table_without_lsi_or_ttl(lab, table_name):
    east = client(lab, EAST)
    mrsc = {"ReplicaUpdates": [{"Create": {"RegionName": WEST}}, {"Create": {"RegionName": OHIO}}],
            "MultiRegionConsistency": "STRONG"}
    east.create_table(TableName=table_name, **KEY)
    east.put_item(TableName=table_name, Item={"id": {"S": "x"}})
    with pytest.raises(ClientError, match="with existing items is not supported"):
        east.update_table(TableName=table_name, **mrsc)
    east.delete_item(TableName=table_name, Key={"id": {"S": "x"}})
    east.update_time_to_live(TableName=table_name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "x"})
    with pytest.raises(ClientError, match="Time to Live"):
        east.update_table(TableName=table_name, **mrsc)
    east.create_table(TableName=table_name + "-lsi", AttributeDefinitions=[
        {"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "s", "AttributeType": "S"},
        {"AttributeName": "l", "AttributeType": "S"}], KeySchema=[
        {"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "s", "KeyType": "RANGE"}],
        LocalSecondaryIndexes=[{"IndexName": "by-l", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"},
                                                                   {"AttributeName": "l", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "KEYS_ONLY"}}], BillingMode="PAY_PER_REQUEST")
    with pytest.raises(ClientError, match="Local secondary indexes"):
        east.update_table(TableName=table_name + "-lsi", **mrsc)


def test_an_mrsc_tables_mode_and_membership_are_fixed(lab, table_name):
    clients = make_global(lab, table_name, (EAST, WEST, OHIO), consistency="STRONG")
    east = clients[EAST]
    refusals = [
        ({"ReplicaUpdates": [{"Create": {"RegionName": "us-west-1"}}]}, "cannot add additional replicas"),
        ({"ReplicaUpdates": [{"Create": {"RegionName": "us-west-1"}}], "MultiRegionConsistency": "EVENTUAL"},
         "cannot change a global table's consistency mode"),
        ({"ReplicaUpdates": [{"Delete": {"RegionName": WEST}}]}, "cannot delete a single replica"),
    ]
    for update, words in refusals:
        with pytest.raises(ClientError, match=words):
            east.update_table(TableName=table_name, **update)
    for call, words in ((lambda: east.transact_write_items(TransactItems=[
            {"Put": {"TableName": table_name, "Item": {"id": {"S": "t"}}}}]), "do not support transaction"),
            (lambda: east.update_time_to_live(TableName=table_name, TimeToLiveSpecification={
                "Enabled": True, "AttributeName": "e"}), "Time to Live"),
            (lambda: clients[WEST].delete_table(TableName=table_name), "cannot delete a single replica")):
        with pytest.raises(ClientError, match=words):
            call()
    assert {r["RegionName"] for r in east.describe_table(TableName=table_name)["Table"]["Replicas"]} == {
        EAST, WEST, OHIO}
    # two replicas deleted together leave a single-Region table
    east.update_table(TableName=table_name, ReplicaUpdates=[{"Delete": {"RegionName": WEST}},
                                                            {"Delete": {"RegionName": OHIO}}])
    assert "Replicas" not in east.describe_table(TableName=table_name)["Table"]


def test_an_mrec_replicas_stream_cannot_be_disabled(lab, table_name):
    clients = make_global(lab, table_name, (EAST, WEST))
    with pytest.raises(ClientError, match="not allowed.*Global Table"):
        clients[WEST].update_table(TableName=table_name, StreamSpecification={"StreamEnabled": False})


def test_the_control_endpoint_refuses_a_bad_setting_with_its_range(lab, settings):
    with pytest.raises(ValueError, match=r"replication_lag_seconds must be .*0.*30.*got 31"):
        set_replication(lab, replication_lag_seconds=31)
    with pytest.raises(ValueError, match="isolated_regions"):
        set_replication(lab, isolated_regions=["atlantis-1"])
    assert replication_settings(lab).isolated_regions == ()


# ---- metering per Region -----------------------------------------------------------------------------------------


def test_the_meter_charges_a_write_in_replicated_units_in_every_replicas_region(lab, table_name):
    # AWS's billing example (global-tables-billing, day 2): 150 writes of 1 KB to a table with replicas in two
    # Regions are 150 rWRU in each Region, 300 in all.
    make_global(lab, table_name, (EAST, WEST))
    west = lab.in_region(WEST)
    one_kb = "x" * (1024 - len("id") - len("k000") - len("d"))
    for start in range(0, 150, 25):
        lab.client.batch_write_item(RequestItems={table_name: [
            {"PutRequest": {"Item": {"id": {"S": f"k{n:03}"}, "d": {"S": one_kb}}}} for n in range(start, start + 25)]})
    assert lab.meter.write_units(table_name) == 150  # what the writes consume where they are made
    assert lab.meter.replicated_write_units(table_name, EAST) == 150
    assert lab.meter.replicated_write_units(table_name, WEST) == 150
    assert lab.meter.replicated_write_units(table_name) == 300
    # a write made in the other Region is charged by that Region's lab, in both Regions again
    west.client.put_item(TableName=table_name, Item={"id": {"S": "w"}, "d": {"S": "y" * 2000}})
    assert west.meter.replicated_write_units(table_name) == 2 * 2
    # this table's rows: the Region's lab is the process's, and its meter also holds the other tests' replicated writes
    # when one ran before this one in the same worker (test_mrsc_..., say)
    assert [row for row in west.meter.replicated_rows() if row["table"] == table_name] == [
        {"table": table_name, "region": EAST, "replicated_write_units": 2.0},
        {"table": table_name, "region": WEST, "replicated_write_units": 2.0}]
    assert eventually(lambda: item(lab.client, table_name, "w"))


def test_cleanup_removes_a_global_table_with_its_replicas(table_name):
    # an engine of its own: cleanup deletes every table of the embedded engine, the other tests' too
    import dynalab
    from dynalab.engine import _make_lab, start_embedded_engine
    from dynalab.engine.ownership import creation_tags

    engine = start_embedded_engine()
    try:
        own = _make_lab(engine.endpoint_url, "moto", embedded=True)
        # created as dynalab creates its tables: cleanup deletes only what dynalab created
        make_global(own, table_name, (EAST, WEST), Tags=creation_tags(own, "create_global_table"))
        report = dynalab.cleanup(own, show=False, timeout_seconds=30)
        assert f"table {table_name}" in report.deleted and report.not_checked == []
        assert table_name not in client(own, EAST).list_tables()["TableNames"]
        assert table_name not in client(own, WEST).list_tables()["TableNames"]
    finally:
        engine.stop()
