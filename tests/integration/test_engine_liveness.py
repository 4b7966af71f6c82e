"""Busy is not dead: an engine that accepts connections and does not answer (a long request, a process stopped with
SIGSTOP) is waited for and reported busy, never replaced; engines are identified by answers whose size never grows
with what they hold; a write whose answer did not come says it may still be applied.

Each test stops (SIGSTOP) or fills a real engine process and talks to it over HTTP.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import boto3
import pytest
from support import free_port

import dynalab
from dynalab.engine import EngineUnreachableError, _make_lab, identify_engine, start_embedded_engine

pytestmark = [pytest.mark.embedded_only,
              pytest.mark.skipif(not hasattr(signal, "SIGSTOP"), reason="stops a process with SIGSTOP")]


def _plain_client(endpoint_url: str, service: str = "dynamodb"):
    return boto3.client(service, endpoint_url=endpoint_url, region_name="us-east-1", aws_access_key_id="test",
                        aws_secret_access_key="test")


def _create(client, name: str) -> None:
    client.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                        BillingMode="PAY_PER_REQUEST")


def _continue_after(pid: int, seconds: float) -> threading.Timer:
    timer = threading.Timer(seconds, os.kill, (pid, signal.SIGCONT))
    timer.start()
    return timer


def test_connect_during_a_20_s_stop_reports_busy_and_keeps_the_engine_and_every_table(lab):
    """connect() used to take an engine that did not answer within 2 s for dead, kill it and start an empty one."""
    engine = dynalab.engine.embedded_engine()
    pid = engine.process.pid
    names = [f"kept-{os.getpid()}-{n}" for n in range(3)]
    for name in names:
        _create(lab.client, name)
        lab.client.put_item(TableName=name, Item={"pk": {"S": "a"}, "n": {"N": "7"}})
    os.kill(pid, signal.SIGSTOP)
    timer = _continue_after(pid, 20.0)
    try:
        with pytest.raises(EngineUnreachableError, match=rf"the engine at {engine.endpoint_url} is busy: it accepts "
                                                         r"connections but did not answer within 15 s") as raised:
            dynalab.connect()
        assert type(raised.value).__name__ == "EngineBusyError"
        assert engine.process.poll() is None  # still there, still stopped
    finally:  # connect has given up (15 s): the stop has done its work, so continue now rather than at 20 s
        timer.cancel()
        os.kill(pid, signal.SIGCONT)
    assert dynalab.connect() is lab
    assert dynalab.engine.embedded_engine().process.pid == pid
    assert set(names) <= set(lab.client.list_tables()["TableNames"])
    for name in names:
        assert lab.client.get_item(TableName=name, Key={"pk": {"S": "a"}})["Item"]["n"] == {"N": "7"}


def test_a_short_stop_is_waited_for_and_connect_returns_the_same_lab(lab):
    pid = dynalab.engine.embedded_engine().process.pid
    os.kill(pid, signal.SIGSTOP)
    timer = _continue_after(pid, 3.0)  # longer than the 2 s after which connect() used to give up on it
    try:
        assert dynalab.connect() is lab
    finally:
        timer.join()
    assert dynalab.engine.embedded_engine().process.pid == pid


def test_a_timed_out_write_says_it_may_still_be_applied_and_it_is():
    engine = start_embedded_engine()
    try:
        # embedded=True, and a first ADD: the meter knows the table and the item, and reads nothing of its own
        # (through its own client, which waits longer) before the write
        _create(_plain_client(engine.endpoint_url), "counted")  # its first call loads moto's backend: ~1 s
        lab = _make_lab(engine.endpoint_url, "moto", embedded=True, read_timeout_seconds=1.0)
        add_one = {"TableName": "counted", "Key": {"pk": {"S": "votes"}}, "UpdateExpression": "ADD n :one",
                   "ExpressionAttributeValues": {":one": {"N": "1"}}}
        lab.client.update_item(**add_one)
        os.kill(engine.process.pid, signal.SIGSTOP)
        timer = _continue_after(engine.process.pid, 2.0)
        try:
            with pytest.raises(EngineUnreachableError, match=r"did not answer within 1 s .*this UpdateItem may "
                                                             r"still be applied: read the item before you send it "
                                                             r"again \(an ADD sent twice counts twice\)"):
                lab.client.update_item(**add_one)
        finally:
            timer.join()
        item = _plain_client(engine.endpoint_url).get_item(  # a client without the 1 s timeout: a busy machine
            TableName="counted", Key={"pk": {"S": "votes"}}, ConsistentRead=True)["Item"]
        assert item["n"] == {"N": "2"}  # it was applied after all: sending it again would have counted 3
        os.kill(engine.process.pid, signal.SIGSTOP)
        timer = _continue_after(engine.process.pid, 2.0)
        try:
            with pytest.raises(EngineUnreachableError, match="did not answer within 1 s") as raised:
                lab.client.get_item(TableName="counted", Key={"pk": {"S": "votes"}})
            assert "may still be applied" not in str(raised.value)  # a read changed nothing
        finally:
            timer.join()
    finally:
        engine.stop()


@pytest.fixture(scope="module")
def outside_moto():
    """moto's own server (``python -m moto.server``, as ``make test-external`` starts it), which keeps every object
    it builds for its dashboard: its /moto-api/data.json grows with every request. (One for the module: each test
    that stops it lets it continue.)"""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/moto-api/config", timeout=1).close()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, "moto's server did not start"
                time.sleep(0.1)
        yield url, process
    finally:
        os.kill(process.pid, signal.SIGCONT)
        process.terminate()
        process.wait(timeout=10)


def test_an_outside_moto_holding_many_objects_is_identified_as_moto(outside_moto):
    url, _ = outside_moto
    client = _plain_client(url)
    _create(client, "many")
    for start in range(0, 6000, 25):
        client.batch_write_item(RequestItems={"many": [
            {"PutRequest": {"Item": {"pk": {"S": f"k{n}"}, "n": {"N": str(n)}}}} for n in range(start, start + 25)]})
    with urllib.request.urlopen(url + "/moto-api/data.json", timeout=60) as answer:
        assert len(answer.read()) > 100_000  # what the old probe asked for: it grows with every object moto keeps
    assert identify_engine(url) == "moto"


def test_an_outside_moto_that_is_stopped_a_while_is_still_identified_as_moto(outside_moto):
    """The old probe gave up after 2 s and called the engine "other" (lesson 5 then lost its S3 plugins)."""
    url, process = outside_moto
    os.kill(process.pid, signal.SIGSTOP)
    timer = _continue_after(process.pid, 3.0)
    try:
        assert identify_engine(url) == "moto"
    finally:
        timer.join()


def test_an_outside_engine_that_stays_stopped_is_reported_busy_not_identified(outside_moto, monkeypatch):
    url, process = outside_moto
    monkeypatch.setattr(dynalab.engine, "LOCAL_READ_TIMEOUT_SECONDS", 1.0)  # the bound, shortened for the test
    os.kill(process.pid, signal.SIGSTOP)
    try:
        with pytest.raises(EngineUnreachableError, match=rf"the engine at {url} is busy"):
            identify_engine(url, seconds=1.0)
        with pytest.raises(EngineUnreachableError, match=rf"the engine at {url} is busy"):
            dynalab.engine.connect(url)
    finally:
        os.kill(process.pid, signal.SIGCONT)
    assert dynalab.engine.connect(url).engine == "moto"
