"""Lesson 4's speed goals: can the projector keep up with the votes, and how stale is the summary?

    .venv/bin/python benchmarks/bench_streams.py

Prints one figure a line, ``name: value unit (goal ...)``, all measured in one run on one engine (the embedded
one, or DYNALAB_ENDPOINT):

* raw write throughput: votes written one PutItem each (as votes arrive from a web page), and through
  BatchWriteItem 25 at a time (a bulk load);
* projection throughput: stream records applied per second by ``vote_summary`` catching up on that backlog
  (GetRecords 1,000 at a time, one TransactWriteItems per batch);
* their ratio (goal >= 0.7: the projector keeps up with the writers);
* end-to-end lag, vote PutItem → the summary transaction that counted it, with the projector polling in the
  background every 0.25 s (Lambda polls 4 times a second): median and p95.
"""

from __future__ import annotations

import random
import statistics
import time


def _votes(prefix: str, count: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    return [{"UserID": {"S": f"{prefix}{n:06d}"}, "vote": {"S": rng.choice("ABC")},
             "Date": {"S": f"2023-06-{rng.randint(1, 14):02d}"}} for n in range(count)]


def main(votes: int = 3000, lag_votes: int = 300) -> None:
    import dynalab
    from dynalab.lessons.projections import create_vote_tables, read_summary, vote_summary

    lab = dynalab.connect()
    table, summary, daily = create_vote_tables(lab, "bench-votes", "bench-summary", "bench-daily", reset=True)

    started = time.perf_counter()
    for item in _votes("p", votes, 1):
        lab.client.put_item(TableName=table, Item=item)
    put_rate = votes / (time.perf_counter() - started)

    batch_items = _votes("b", votes, 2)
    started = time.perf_counter()
    for start in range(0, votes, 25):
        pending = {table: [{"PutRequest": {"Item": item}} for item in batch_items[start:start + 25]]}
        while pending:
            pending = lab.client.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
    batch_rate = votes / (time.perf_counter() - started)

    projector = vote_summary(lab, table, summary, daily)
    started = time.perf_counter()
    applied = projector.run_once()
    projection_rate = applied / (time.perf_counter() - started)
    assert sum(read_summary(lab, summary).values()) == 2 * votes, "the summary does not match the votes"

    print(f"raw write throughput (PutItem, one vote a call): {put_rate:.0f} votes/s")
    print(f"raw write throughput (BatchWriteItem, 25 a call): {batch_rate:.0f} votes/s")
    print(f"projection throughput (vote_summary catching up): {projection_rate:.0f} records/s")
    print(f"projection / raw PutItem writes: {projection_rate / put_rate:.2f} (goal >= 0.7)")
    print(f"projection / raw BatchWriteItem writes: {projection_rate / batch_rate:.2f} (goal >= 0.7)")

    written: dict[str, float] = {}
    counted: dict[str, float] = {}

    def on_commit(records: list[dict]) -> None:
        now = time.perf_counter()
        for record in records:
            counted.setdefault(record["dynamodb"]["Keys"]["UserID"]["S"], now)

    projector.on_commit = on_commit
    projector.start()
    rng = random.Random(3)
    for item in _votes("l", lag_votes, 4):
        written[item["UserID"]["S"]] = time.perf_counter()
        lab.client.put_item(TableName=table, Item=item)
        time.sleep(rng.uniform(0, 0.02))
    deadline = time.monotonic() + 30
    while len(counted.keys() & written.keys()) < lag_votes and time.monotonic() < deadline:
        time.sleep(0.05)
    projector.stop()
    lags = sorted((counted[user] - written[user]) * 1000 for user in written if user in counted)
    print(f"end-to-end lag vote -> summary, median: {statistics.median(lags):.0f} ms "
          f"(poll every 250 ms, as Lambda; goal < 1000 ms)")
    print(f"end-to-end lag vote -> summary, p95: {lags[round(0.95 * (len(lags) - 1))]:.0f} ms (goal < 1000 ms)")
    print(f"votes whose lag was measured: {len(lags)} of {lag_votes}")
    dynalab.stop_embedded_engine()


if __name__ == "__main__":
    main()
