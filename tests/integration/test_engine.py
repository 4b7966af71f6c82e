"""The engine and the table helpers, against a real engine process over HTTP."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal

import pytest
from boto3.dynamodb.conditions import Key
from support import process_ends

import dynalab
from dynalab.engine import EngineUnreachableError, start_embedded_engine

EXTERNAL = bool(os.environ.get("DYNALAB_ENDPOINT"))


def test_connect_reuses_the_running_engine(lab):
    assert dynalab.connect() is lab
    assert lab.client.list_tables()["TableNames"] is not None


def test_endpoint_is_loopback(lab):
    if lab.is_aws:
        pytest.skip("real AWS")
    assert lab.endpoint_url.startswith(("http://127.0.0.1:", "http://localhost:"))


def test_create_write_read_query(lab, table_name):
    table = dynalab.create_table(lab, table_name, ("Artist", "S"), ("SongTitle", "S"))
    for title in ("Call Me Today", "Hey Now", "Lucky", "Zebra"):
        table.put_item(Item={"Artist": "No One You Know", "SongTitle": title, "Year": 2020})
    item = table.get_item(Key={"Artist": "No One You Know", "SongTitle": "Lucky"})["Item"]
    assert item["Year"] == 2020
    found = table.query(KeyConditionExpression=Key("Artist").eq("No One You Know") & Key("SongTitle").between("H", "M"))
    assert [i["SongTitle"] for i in found["Items"]] == ["Hey Now", "Lucky"]


def test_create_table_refuses_an_existing_table_unless_reset(lab, table_name):
    table = dynalab.create_table(lab, table_name)
    table.put_item(Item={"pk": "a"})
    with pytest.raises(ValueError, match=f"table '{table_name}' already exists. Pass reset=True to delete it"):
        dynalab.create_table(lab, table_name)
    assert table.scan()["Items"] == [{"pk": "a"}]  # nothing was deleted
    with pytest.raises(TypeError, match="reset must be True or False"):
        dynalab.create_table(lab, table_name, reset="yes")
    again = dynalab.create_table(lab, table_name, reset=True)
    assert again.scan()["Items"] == []


def test_provisioned_table_and_stream(lab, table_name):
    table = dynalab.create_table(lab, table_name, read_capacity_units=5, write_capacity_units=7,
                                 stream_view_type="NEW_AND_OLD_IMAGES")
    description = lab.client.describe_table(TableName=table.name)["Table"]
    assert description["ProvisionedThroughput"]["WriteCapacityUnits"] == 7
    assert description["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"


def test_bulk_load_writes_every_item_in_batches_of_25(lab, table_name):
    table = dynalab.create_table(lab, table_name)
    report = dynalab.bulk_load(lab, table.name, [{"pk": f"user{i}", "n": i} for i in range(260)])
    assert report.items_written == 260
    assert report.batch_calls == 11  # ceil(260 / 25)
    assert table.scan(Select="COUNT")["Count"] == 260


def test_delete_table_reports_a_missing_table(lab, table_name):
    assert dynalab.delete_table(lab, table_name) is False


def test_unreachable_endpoint_gives_one_clear_error():
    with pytest.raises(EngineUnreachableError, match=r"http://127\.0\.0\.1:9 "):
        dynalab.connect("http://127.0.0.1:9")


def test_bad_endpoint_setting_names_the_value():
    with pytest.raises(ValueError, match="ftp://x"):
        dynalab.connect("ftp://x")


@pytest.mark.skipif(EXTERNAL, reason="checks the embedded engine")
def test_a_dead_engine_is_replaced_on_the_next_connect(capsys):
    dynalab.stop_embedded_engine()
    first = dynalab.connect()
    from dynalab import engine

    engine._embedded.process.kill()
    engine._embedded.process.wait()
    second = dynalab.connect()
    assert second is not first
    assert "has stopped; starting a fresh one" in capsys.readouterr().out
    assert second.client.list_tables()["TableNames"] == []


@pytest.mark.skipif(EXTERNAL, reason="checks the embedded engine")
def test_a_busy_port_falls_back_to_a_free_one(capsys):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        engine = start_embedded_engine(port)
        try:
            assert engine.port != port
            assert engine.is_alive()
        finally:
            engine.stop()
    assert f"port {port} is busy" in capsys.readouterr().err
    assert engine.process.poll() is not None


@pytest.mark.skipif(EXTERNAL, reason="checks the embedded engine")
def test_the_engine_exits_when_its_parent_is_killed():
    code = (
        "import dynalab, sys; e = dynalab.engine.start_embedded_engine();"
        "print(e.process.pid, flush=True); import time; time.sleep(60)"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    child_pid = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    assert process_ends(child_pid, 4), f"engine process {child_pid} outlived its killed parent"
    parent.stdout.close()


@pytest.mark.parametrize("bad, words", [
    (1e200, r"items\[30\]: attribute 'n': 1e\+200 is outside DynamoDB's number range"),
    (Decimal("1E-131"), r"items\[30\]: attribute 'n': Decimal\('1E-131'\) is outside DynamoDB's number range"),
    (float("nan"), r"items\[30\]: attribute 'n': nan is not a number DynamoDB can store"),
], ids=["float", "decimal", "nan"])
def test_bulk_load_refuses_a_number_outside_dynamodbs_range_before_writing(lab, table_name, bad, words):
    table = dynalab.create_table(lab, table_name)
    items = [{"pk": f"user{i}", "n": Decimal(i) / 4} for i in range(40)]
    items[30]["n"] = bad
    with pytest.raises(ValueError, match=words + ".*; nothing was written"):
        dynalab.bulk_load(lab, table.name, items)
    assert table.scan(Select="COUNT")["Count"] == 0
    floats = dynalab.bulk_load(lab, table.name, [{"pk": "f", "n": 0.1}])  # a float in range is stored as 0.1
    assert floats.items_written == 1 and table.get_item(Key={"pk": "f"})["Item"]["n"] == Decimal("0.1")


@pytest.mark.parametrize("make_bad, reason", [
    (lambda item: item.pop("pk"), "the key attribute 'pk' is missing"),
    (lambda item: item.update(pk=7), "the key attribute 'pk' must be of type S, got N"),
    (lambda item: item.update(pk="user27"),
     "it writes the same key as write 27 in one BatchWriteItem call, which DynamoDB refuses whole"),
], ids=["missing-key", "key-type", "duplicate-key"])
def test_bulk_load_says_how_many_went_in_and_which_item_failed_why(lab, table_name, make_bad, reason):
    table = dynalab.create_table(lab, table_name)
    items = [{"pk": f"user{i}", "n": i} for i in range(60)]
    make_bad(items[30])  # in the second call (items 25-49): the first call's 25 are in, the rest are not
    with pytest.raises(dynalab.engine.tables.BatchWriteError) as caught:
        dynalab.bulk_load(lab, table.name, items)
    error = caught.value
    assert (error.items_written, error.failed_index, error.reason) == (25, 30, reason)
    assert error.unwritten == list(range(25, 60))
    assert str(error).startswith(f"bulk_load into {table.name}: 25 of 60 items written; item 30 failed: {reason}")
    assert "Not written: items 25-59" in str(error)
    assert table.scan(Select="COUNT")["Count"] == 25


def test_bulk_load_names_bad_arguments(lab, table_name):
    with pytest.raises(ValueError, match="does not exist"):
        dynalab.bulk_load(lab, table_name, [{"pk": "a"}])
    dynalab.create_table(lab, table_name)
    for kwargs, words in [({"max_attempts": 0}, "max_attempts must be an integer from 1 to 20"),
                          ({"max_attempts": True}, "max_attempts"), ({"base_delay_seconds": -1}, "base_delay_seconds"),
                          ({"show_progress": "no"}, "show_progress")]:
        with pytest.raises((TypeError, ValueError), match=words):
            dynalab.bulk_load(lab, table_name, [{"pk": "a"}], **kwargs)
    for items in (None, 5, "abc", {"pk": "a"}, [None]):
        with pytest.raises(TypeError, match="item"):
            dynalab.bulk_load(lab, table_name, items)


def test_scan_items_reads_every_page(lab, table_name):
    table = dynalab.create_table(lab, table_name)
    dynalab.bulk_load(lab, table.name, [{"pk": f"user{i}", "n": i} for i in range(30)])
    pages = list(dynalab.engine.tables.scan_pages(lab, table.name, Limit=7))
    assert len(pages) >= 5  # 30 items, 7 a page: LastEvaluatedKey was followed
    items = dynalab.scan_items(lab, table.name)
    assert sorted(item["n"] for item in items) == list(range(30))
    assert dynalab.scan_items(lab, table.name, typed=True)[0]["pk"].keys() == {"S"}


@pytest.mark.parametrize("bad", ["x", "ab", "a" * 256, "no spaces", "", None])
def test_a_bad_table_name_names_the_value_and_the_rule(lab, bad):
    with pytest.raises(ValueError, match=r"3 to 255 characters of A-Z, a-z, 0-9, '_', '-' and '\.'; got"):
        dynalab.create_table(lab, bad)


def test_ensure_table_creates_once_and_never_resets(lab, table_name):
    assert dynalab.engine.tables.ensure_table(lab, table_name, ("consumer", "S"), ("lease_key", "S")) is True
    table = lab.resource.Table(table_name)
    table.put_item(Item={"consumer": "c", "lease_key": "k"})
    assert dynalab.engine.tables.ensure_table(lab, table_name, ("consumer", "S"), ("lease_key", "S")) is False
    assert table.get_item(Key={"consumer": "c", "lease_key": "k"})["Item"] == {"consumer": "c", "lease_key": "k"}
