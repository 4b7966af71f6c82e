"""The embedded engine's round trips beside moto in-process and dynalite, measured in one run, interleaved.

    .venv/bin/python benchmarks/bench_engine.py

For PutItem, GetItem, Query and GetRecords: the median round trip of a plain boto3 client (no fidelity layer, so
the engines are compared, not dynalab) on

* the embedded engine: moto's server in dynalab's child process, over HTTP on 127.0.0.1;
* moto in-process: moto's own mock answering the same request inside this process, without HTTP (the floor: what
  moto itself costs);
* dynalite (npm, Node.js), over HTTP on 127.0.0.1, where node and ``node_modules/dynalite`` exist (no streams).

Calls alternate engine by engine, one request at a time, so a busy machine slows all alike; the ratios are the
figures (issue 17's goal: embedded / moto in-process <= 1.8). Then the fidelity layer's overhead: the same
request with the layer on and off on one client, paired call by call (median of the per-pair differences).
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent
DYNALITE = ROOT / "node_modules" / "dynalite" / "cli.js"
ROUNDS = 300
GOAL_RATIO_MOTO = 1.8

_KEYS = [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}]
_ATTRIBUTES = [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}]


def _client(service: str, endpoint_url: str | None):
    return boto3.client(service, endpoint_url=endpoint_url, region_name="us-east-1",
                        aws_access_key_id="bench", aws_secret_access_key="bench")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Target:
    """One engine under test: a client, a table with a stream where the engine has streams, and the calls."""

    def __init__(self, name: str, endpoint_url: str | None, streams: bool) -> None:
        self.name = name
        self.client = _client("dynamodb", endpoint_url)
        # botocore's default Streams endpoint is newer than moto's URL patterns: name moto's for the mock.
        streams_url = endpoint_url or "https://streams.dynamodb.us-east-1.amazonaws.com"
        self.streams = _client("dynamodbstreams", streams_url) if streams else None
        args = {"TableName": "bench", "KeySchema": _KEYS, "AttributeDefinitions": _ATTRIBUTES,
                "BillingMode": "PAY_PER_REQUEST"}
        if streams:
            args["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
        answer = self.client.create_table(**args)
        for _ in range(100):
            if self.client.describe_table(TableName="bench")["Table"]["TableStatus"] == "ACTIVE":
                break
            time.sleep(0.05)
        self.counter = 0
        for sk in range(10):
            self.client.put_item(TableName="bench", Item=self._item(sk))
        self.iterator = None
        if streams:
            arn = answer["TableDescription"]["LatestStreamArn"]
            shard = self.streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
            self.iterator = self.streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                                            ShardIteratorType="LATEST")["ShardIterator"]

    @staticmethod
    def _item(sk: int) -> dict:
        return {"pk": {"S": "user-1"}, "sk": {"N": str(sk)}, "body": {"S": "x" * 200}}

    def put_item(self) -> None:
        self.counter += 1
        self.client.put_item(TableName="bench", Item=self._item(self.counter % 10))

    def get_item(self) -> None:
        self.client.get_item(TableName="bench", Key={"pk": {"S": "user-1"}, "sk": {"N": "3"}})

    def query(self) -> None:
        self.client.query(TableName="bench", KeyConditionExpression="pk = :p",
                          ExpressionAttributeValues={":p": {"S": "user-1"}})

    def get_records(self) -> None:
        answer = self.streams.get_records(ShardIterator=self.iterator, Limit=100)
        self.iterator = answer.get("NextShardIterator", self.iterator)


def interleaved(targets: list[Target], operation: str, rounds: int = ROUNDS) -> dict[str, float]:
    """Median milliseconds per engine, calls alternating engine by engine."""
    times: dict[str, list[float]] = {t.name: [] for t in targets}
    calls: list[tuple[str, Callable[[], None]]] = [(t.name, getattr(t, operation)) for t in targets]
    for _, call in calls:  # warm up (connections, caches)
        call()
    for _ in range(rounds):
        for name, call in calls:
            started = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


def start_dynalite() -> tuple[subprocess.Popen | None, str | None]:
    node = shutil.which("node")
    if node is None or not DYNALITE.exists():
        return None, None
    port = _free_port()
    process = subprocess.Popen([node, str(DYNALITE), "--host", "127.0.0.1", "--port", str(port),
                                "--createTableMs", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, url
        except OSError:
            time.sleep(0.05)
    process.kill()
    return None, None


def layer_overhead(rounds: int = ROUNDS) -> tuple[float, float]:
    """(median round trip without the layer, median paired extra with it), milliseconds, PutItem + GetItem.

    Two clients on one engine, one through dynalab's layer and one plain, each on its own item so neither
    disturbs the other's cache, alternating call by call (who goes first alternates too). Switching one client's
    layer off and on instead would make every "on" call pay for re-reading what the layer missed while off.
    """
    import dynalab

    lab = dynalab.connect()
    name = "bench-layer"
    lab.client.create_table(TableName=name, KeySchema=_KEYS[:1], AttributeDefinitions=_ATTRIBUTES[:1],
                            BillingMode="PAY_PER_REQUEST")
    plain = boto3.resource("dynamodb", endpoint_url=lab.endpoint_url, region_name="us-east-1",
                           aws_access_key_id="bench", aws_secret_access_key="bench").Table(name)
    layered = lab.resource.Table(name)
    sides = {}
    for label, table, key in (("off", plain, "b"), ("on", layered, "a")):
        item = {"pk": key, "name": "x" * 200, "n": 12345}
        table.put_item(Item=item)
        sides[label] = (lambda t=table, i=item: t.put_item(Item=i), lambda t=table, k=key: t.get_item(Key={"pk": k}))
    off: list[float] = []
    extra: list[float] = []
    for index in range(rounds):
        for call in range(2):
            pair = {}
            for label in (("off", "on") if index % 2 == 0 else ("on", "off")):
                started = time.perf_counter()
                sides[label][call]()
                pair[label] = time.perf_counter() - started
            off.append(pair["off"])
            extra.append(pair["on"] - pair["off"])
    lab.client.delete_table(TableName=name)
    return statistics.median(off) * 1000, statistics.median(extra) * 1000


def recorder_cost(calls: int = 20_000) -> tuple[float, float]:
    """(µs per call in the hook, µs per call at the flush) of the metrics recorder, measured on its own: the paired
    figure above includes it, but on a busy machine its few percent drown in the round trip's noise."""
    import dynalab

    lab = dynalab.connect()
    name = "bench-recorder"
    lab.client.create_table(TableName=name, KeySchema=_KEYS[:1], AttributeDefinitions=_ATTRIBUTES[:1],
                            BillingMode="PAY_PER_REQUEST")
    from dynalab.fidelity.call import Call, TableUnits

    recorder = lab.metrics
    call = Call("PutItem", {"TableName": name, "Item": {"pk": {"S": "a"}, "n": {"N": "1"}}}, status_code=200)
    call.units[name] = TableUnits(0.0, 1.0)
    recorder.flush()
    started = time.perf_counter()
    for _ in range(calls):
        recorder.after_call(call)
    hook = (time.perf_counter() - started) / calls
    started = time.perf_counter()
    recorder.flush()
    flush = (time.perf_counter() - started) / calls
    lab.client.delete_table(TableName=name)
    return hook * 1e6, flush * 1e6


def main() -> None:
    from moto import mock_aws

    from dynalab.engine import start_embedded_engine

    os.environ.pop("DYNALAB_ENDPOINT", None)
    engine = start_embedded_engine()
    dynalite, dynalite_url = start_dynalite()
    mock = mock_aws()
    try:
        targets = [Target("embedded", engine.endpoint_url, streams=True)]
        mock.start()
        targets.append(Target("moto in-process", None, streams=True))
        if dynalite_url:
            targets.append(Target("dynalite", dynalite_url, streams=False))
        else:
            print("dynalite: not measured (node or node_modules/dynalite missing: npm ci)")
        for operation in ("put_item", "get_item", "query", "get_records"):
            present = [t for t in targets if operation != "get_records" or t.streams is not None]
            medians = interleaved(present, operation)
            parts = [f"{name} {ms:.2f} ms" for name, ms in medians.items()]
            line = f"{operation} median of {ROUNDS}, interleaved: " + ", ".join(parts)
            ratio = medians["embedded"] / medians["moto in-process"]
            line += f"; embedded / moto in-process = {ratio:.2f}"
            if operation == "put_item":
                verdict = "ok" if ratio <= GOAL_RATIO_MOTO else "OVER GOAL"
                line += f" (goal <= {GOAL_RATIO_MOTO}) {verdict}"
            if "dynalite" in medians:
                line += f"; embedded / dynalite = {medians['embedded'] / medians['dynalite']:.2f}"
            print(line, flush=True)
    finally:
        mock.stop()
        engine.stop()
        if dynalite is not None:
            dynalite.kill()
            dynalite.wait()
    base, extra = layer_overhead()
    print(f"fidelity layer overhead per request (PutItem/GetItem, embedded engine, paired on/off, median of "
          f"{2 * ROUNDS} pairs): {extra * 1000:.0f} µs = {extra / base * 100:.1f} % of a {base:.2f} ms round trip "
          "(goal < 10 %)")
    hook, flush = recorder_cost()
    print(f"metrics recorder, part of the layer above: {hook:.0f} µs a call in its hook + {flush:.0f} µs a call at "
          f"its flush = {(hook + flush) / (base * 1000) * 100:.1f} % of that round trip")
    import dynalab

    dynalab.stop_embedded_engine()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
