"""Shard iterators that cost the engine nothing to keep: its memory over 20,000 GetRecords polls.

    .venv/bin/python benchmarks/bench_iterators.py [--polls 20000]

One embedded engine at DynamoDB's 15-minute iterator lifetime, one stream, one reader polling GetRecords with each
answer's NextShardIterator (as a projector does between votes), through a plain boto3 client. Prints the engine's
RSS after a warm-up of 1,000 polls and after ``--polls`` more, and the growth per poll. Goal: under 8 MB for 20,000
polls (moto kept every iterator it issued: ~2.1 KB a poll, +42 MB). A few minutes on 2 cores: run by itself, not
by ``make bench``. Measured 2026-12-07 (2 cores shared, load ~9): +0.15 MB over 20,000 polls (8 B a poll), 86 polls/s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from timing import rss_mb

GOAL_GROWTH_MB = 8.0
WARM_UP_POLLS = 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polls", type=int, default=20_000)
    args = parser.parse_args(argv)
    if not 1 <= args.polls <= 1_000_000:
        parser.error(f"--polls must be from 1 to 1,000,000, got {args.polls}")
    os.environ.pop("DYNALAB_ENDPOINT", None)

    import boto3

    from dynalab.engine import start_embedded_engine
    from dynalab.models.quotas import SHARD_ITERATOR_LIFETIME_SECONDS

    engine = start_embedded_engine(iterator_lifetime_seconds=SHARD_ITERATOR_LIFETIME_SECONDS)
    try:
        settings = {"endpoint_url": engine.endpoint_url, "region_name": "us-east-1", "aws_access_key_id": "bench",
                    "aws_secret_access_key": "bench"}
        client, streams = boto3.client("dynamodb", **settings), boto3.client("dynamodbstreams", **settings)
        arn = client.create_table(
            TableName="polled", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
            StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
        )["TableDescription"]["LatestStreamArn"]
        shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        client.put_item(TableName="polled", Item={"pk": {"S": "one"}})
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard,
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        for _ in range(WARM_UP_POLLS):
            iterator = streams.get_records(ShardIterator=iterator)["NextShardIterator"]
        started_mb, started = rss_mb(engine.process.pid), time.perf_counter()
        for _ in range(args.polls):
            iterator = streams.get_records(ShardIterator=iterator)["NextShardIterator"]
        seconds = time.perf_counter() - started
        ended_mb = rss_mb(engine.process.pid)
    finally:
        engine.stop()
    growth = ended_mb - started_mb
    print(f"iterators: engine RSS {started_mb:.1f} MB after {WARM_UP_POLLS:,} polls, {ended_mb:.1f} MB after "
          f"{args.polls:,} more: {growth:+.2f} MB ({growth * 1024 * 1024 / args.polls:+.0f} B a poll; goal < "
          f"{GOAL_GROWTH_MB:g} MB for 20,000) {'ok' if growth < GOAL_GROWTH_MB else 'OVER GOAL'}; "
          f"{args.polls / seconds:,.0f} polls/s")
    return 0 if growth < GOAL_GROWTH_MB else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
