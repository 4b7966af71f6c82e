"""The embedded engine's own process: transactions isolated from other writers, shard iterators that expire.

Each test starts its own engine (``start_embedded_engine``) and talks to it with plain boto3 clients over HTTP, so
what is tested is the engine process itself, not dynalab's fidelity layer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import boto3
import pytest
from botocore.exceptions import ClientError
from support import process_ends

from dynalab.engine import start_embedded_engine

pytestmark = pytest.mark.embedded_only  # each test starts an embedded engine of its own, whatever DYNALAB_ENDPOINT says


def _clients(engine):
    args = {"endpoint_url": engine.endpoint_url, "region_name": "us-east-1", "aws_access_key_id": "test",
            "aws_secret_access_key": "test"}
    return boto3.client("dynamodb", **args), boto3.client("dynamodbstreams", **args)


def _table(client, name: str, stream: bool = False) -> dict:
    args = {"TableName": name, "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "BillingMode": "PAY_PER_REQUEST"}
    if stream:
        args["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    return client.create_table(**args)["TableDescription"]


@pytest.fixture
def engine():
    started = start_embedded_engine(iterator_lifetime_seconds=1.0)
    yield started
    started.stop()


def test_a_cancelled_transaction_never_undoes_another_clients_write(engine):
    # moto rolled a cancelled transaction back by restoring a snapshot of the whole table, undoing writes other
    # clients committed while it ran. Here one client adds 1 to a counter 400 times while another keeps running
    # transactions that update an item and then fail a condition (so they are cancelled and rolled back).
    client, _ = _clients(engine)
    _table(client, "shared")
    client.put_item(TableName="shared", Item={"pk": {"S": "guard"}, "state": {"S": "closed"}})
    done = threading.Event()
    cancelled = []

    def cancel_transactions() -> None:
        other, _ = _clients(engine)
        while not done.is_set():
            try:
                other.transact_write_items(TransactItems=[
                    {"Update": {"TableName": "shared", "Key": {"pk": {"S": "scratch"}},
                                "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}},
                    {"ConditionCheck": {"TableName": "shared", "Key": {"pk": {"S": "guard"}},
                                        "ConditionExpression": "#s = :open",
                                        "ExpressionAttributeNames": {"#s": "state"},
                                        "ExpressionAttributeValues": {":open": {"S": "open"}}}},
                ])
            except ClientError as error:
                assert error.response["Error"]["Code"] == "TransactionCanceledException"
                cancelled.append(1)

    canceller = threading.Thread(target=cancel_transactions)
    canceller.start()
    try:
        for _ in range(400):
            client.update_item(TableName="shared", Key={"pk": {"S": "counter"}}, UpdateExpression="ADD n :one",
                               ExpressionAttributeValues={":one": {"N": "1"}})
    finally:
        done.set()
        canceller.join()
    assert len(cancelled) > 10  # the two really ran side by side
    counter = client.get_item(TableName="shared", Key={"pk": {"S": "counter"}}, ConsistentRead=True)["Item"]
    assert counter["n"]["N"] == "400"
    assert "Item" not in client.get_item(TableName="shared", Key={"pk": {"S": "scratch"}})


def test_shard_iterators_expire_as_on_dynamodb(engine):
    client, streams = _clients(engine)
    arn = _table(client, "expiring", stream=True)["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    client.put_item(TableName="expiring", Item={"pk": {"S": "a"}})
    page = streams.get_records(ShardIterator=iterator["ShardIterator"])
    assert len(page["Records"]) == 1
    time.sleep(1.3)  # this engine's iterators live 1 s (DynamoDB's: 15 minutes)
    for old in (iterator["ShardIterator"], page["NextShardIterator"]):
        with pytest.raises(ClientError) as raised:
            streams.get_records(ShardIterator=old)
        assert raised.value.response["Error"]["Code"] == "ExpiredIteratorException"
    fresh = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    assert len(streams.get_records(ShardIterator=fresh["ShardIterator"])["Records"]) == 1


def test_iterator_lifetime_is_checked():
    with pytest.raises(ValueError, match="iterator_lifetime_seconds"):
        start_embedded_engine(iterator_lifetime_seconds=float("nan"))


def test_a_frozen_engine_gives_one_clear_error_within_the_timeout(engine):
    import os
    import signal

    from dynalab.engine import EngineUnreachableError, _make_lab

    _clients(engine)[0].list_tables()  # the engine's first DynamoDB call loads moto's backend: ~1 s under load
    lab = _make_lab(engine.endpoint_url, "moto", embedded=False, read_timeout_seconds=1.0)
    lab.client.list_tables()
    os.kill(engine.process.pid, signal.SIGSTOP)  # frozen: the socket accepts, nothing answers
    try:
        started = time.monotonic()
        with pytest.raises(EngineUnreachableError, match="did not answer within 1 s"):
            lab.client.list_tables()
        assert time.monotonic() - started < 5  # one timeout, no retries each waiting again
    finally:
        os.kill(engine.process.pid, signal.SIGCONT)


def test_the_engine_keeps_no_copy_of_every_item_it_ever_built(engine):
    """moto's class-level instance tracking kept each Item and DynamoType of every request (50 MB in a 10-minute
    soak); its dashboard (/moto-api/data.json) lists what is tracked: overwriting one key 200 times keeps none."""
    import json
    import urllib.request

    client, _ = _clients(engine)
    _table(client, "overwritten", stream=True)
    for number in range(200):
        client.put_item(TableName="overwritten", Item={"pk": {"S": "same"}, "n": {"N": str(number)}})
    with urllib.request.urlopen(f"{engine.endpoint_url}/moto-api/data.json", timeout=10) as answer:
        tracked = json.load(answer)
    kept = {f"{service}.{model}": len(instances) for service, models in tracked.items()
            for model, instances in models.items() if service in ("dynamodb", "dynamodbstreams")}
    assert sum(kept.values()) < 10, kept
    assert client.get_item(TableName="overwritten", Key={"pk": {"S": "same"}})["Item"]["n"] == {"N": "199"}


def test_interrupting_a_jupyter_kernel_keeps_its_engine_and_tables():
    """The learner's Stop button sends SIGINT to the kernel's process group; the engine, in a group of its own, keeps
    running with its tables (it used to die with them). A kernel shut down normally still stops its engine."""
    import os

    from jupyter_client.manager import start_new_kernel

    env = {name: value for name, value in os.environ.items() if name != "DYNALAB_ENDPOINT"}
    manager, kernel = start_new_kernel(kernel_name="python3", env=env)
    try:
        def run(code: str) -> str:
            printed: list[str] = []
            reply = kernel.execute_interactive(code, timeout=60, output_hook=lambda message: printed.append(
                message["content"].get("text", "") + message["content"].get("evalue", "")))
            return (reply["content"]["status"] + ": " + "".join(printed)).strip()

        def wait_on_iopub(request: str, seen: Callable[[dict], bool]) -> None:
            while not ((message := kernel.get_iopub_msg(timeout=60))["parent_header"].get("msg_id") == request
                       and seen(message)):
                pass

        assert run("import dynalab; lab = dynalab.connect(); dynalab.create_table(lab, 'votes', ('pk', 'S'))") == "ok:"
        engine_pid = int(run("print(dynalab.engine.embedded_engine().process.pid)").split()[-1])
        sleeping = kernel.execute("print('sleeping', flush=True); import time; time.sleep(30)")
        # the interrupt must land inside the cell (a kernel between cells takes no KeyboardInterrupt)
        wait_on_iopub(sleeping, lambda message: "sleeping" in message["content"].get("text", ""))
        manager.interrupt_kernel()
        while (reply := kernel.get_shell_msg(timeout=20))["parent_header"].get("msg_id") != sleeping:
            pass
        assert reply["content"]["ename"] == "KeyboardInterrupt"
        # ipykernel aborts ("aborted:") the requests that reach it before it is done with the failed one: the
        # next request goes once the kernel said it is idle after the interrupted cell
        wait_on_iopub(sleeping, lambda message: message["content"].get("execution_state") == "idle")
        assert run("print(lab.client.list_tables()['TableNames'])") == "ok: ['votes']"
        manager.shutdown_kernel(now=False)
        # the kernel's exit stops the engine (atexit) instead of leaving it behind
        assert process_ends(engine_pid, 5), f"engine process {engine_pid} outlived its kernel"
    finally:
        kernel.stop_channels()
        if manager.is_alive():
            manager.shutdown_kernel(now=True)


def test_a_stopped_engine_fails_a_call_after_one_quick_retry_not_a_backoff_series(engine):
    """Nothing listening on loopback is no network fault to wait out: even a client made to retry 10 times (as the
    stream readers' is) sends twice, then says in one line what happened and what to do."""
    from dynalab.engine import LOCAL_REFUSED_ATTEMPTS, EngineUnreachableError, _make_lab

    lab = _make_lab(engine.endpoint_url, "moto", embedded=False)
    client = lab.retrying_client(max_attempts=10)
    client.list_tables()
    engine.stop()
    sent: list[str] = []
    client.meta.events.register("before-send.dynamodb", lambda **_: sent.append("sent"))
    with pytest.raises(EngineUnreachableError, match=rf"the engine at {engine.endpoint_url} refuses connections: "
                                                     r"nothing listens there \(it stopped\?\)"):
        client.list_tables()
    assert len(sent) == LOCAL_REFUSED_ATTEMPTS == 2
