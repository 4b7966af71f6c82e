"""A compressed workshop against one embedded engine: does its memory stay flat? (``make soak``)

    .venv/bin/python benchmarks/bench_soak.py [--minutes 10]

Shard iterators live DynamoDB's 15 minutes (``--iterator-lifetime-seconds``, default 900): the engine keeps nothing per
iterator (each is a token that encodes its shard, position and issue time), so nothing has to be pruned for memory
to stay flat, and a soak shorter than the lifetime hides nothing. For ``--minutes`` (default 10) at once:
lesson 4's vote projector polling every 0.1 s, lesson 4's VoteBoard casting a vote a second, an event source
mapping (lesson 7) running a counting handler on the same stream, and a load generator writing small items at 20 a
second. Prints the engine's memory (RSS) at the start and the end and its growth after the warm-up, the requests
served, the votes lost (in the vote table, not in the summary) and any error. The goal: growth under 20 MB.

Not part of ``make bench``'s quick figures: it takes the minutes it is given.

Measured 2026-12-07 (2 cores shared with other work, load 5-10; 900 s iterators): RSS 111.8 -> 120.3 MB (+8.5 MB),
+1.5 MB after the warm-up over 8 minutes (the votes and their stream records), 16,730 requests, 0 of 552 votes
lost, 0 errors.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

from timing import rss_mb

GOAL_GROWTH_MB = 20.0
#: the load generator overwrites this many keys: its table is full within half a minute, so what grows after that is
#: the votes (one a second, with their stream records) and whatever the engine fails to free
LOAD_KEYS = 500


def main(argv: list[str] | None = None) -> int:
    from dynalab.models.quotas import SHARD_ITERATOR_LIFETIME_SECONDS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--iterator-lifetime-seconds", type=float, default=float(SHARD_ITERATOR_LIFETIME_SECONDS),
                        help="shard iterators expire this long after they are issued (default: DynamoDB's 900 s)")
    args = parser.parse_args(argv)
    if not 0 < args.minutes <= 180:
        parser.error(f"--minutes must be from 0 to 180, got {args.minutes}")
    os.environ.pop("DYNALAB_ENDPOINT", None)

    import dynalab
    from dynalab.engine import start_embedded_engine
    from dynalab.lessons.event_source_mapping import EventSourceMapping
    from dynalab.widgets.streams import VoteBoard

    engine = start_embedded_engine(iterator_lifetime_seconds=args.iterator_lifetime_seconds)
    lab = dynalab.connect(engine.endpoint_url)
    votes, summary, daily = dynalab.create_vote_tables(lab, "soak-votes", "soak-summary", "soak-daily",
                                                     reset=True)
    load_table = dynalab.create_table(lab, "soak-load", reset=True)
    projector = dynalab.vote_summary(lab, votes, summary, daily, poll_seconds=0.1).start()
    board = VoteBoard(lab, votes, summary, daily, live=False)
    handled = [0]
    mapping = EventSourceMapping(lab, votes, lambda event, context: handled.__setitem__(
        0, handled[0] + len(event["Records"])), function_name="soak-counter",
        starting_position="TRIM_HORIZON").start()
    errors: list[str] = []
    stop = threading.Event()
    written = [0]
    board_votes = [0]

    def load() -> None:
        while not stop.is_set():
            try:
                load_table.put_item(Item={"pk": f"load-{written[0] % LOAD_KEYS}", "payload": "x" * 200})
                written[0] += 1
            except Exception as error:  # noqa: BLE001 (counted and printed: the soak must not stop on one)
                errors.append(f"load: {type(error).__name__}: {error}")
            stop.wait(0.05)

    def votes_from_the_board() -> None:
        while not stop.is_set():
            try:
                board.vote(board.candidates[written[0] % len(board.candidates)])
                board_votes[0] += 1
            except Exception as error:  # noqa: BLE001
                errors.append(f"board: {type(error).__name__}: {error}")
            stop.wait(1.0)

    started_mb = rss_mb(engine.process.pid)
    print(f"soak: {args.minutes:g} minutes, shard iterators living {args.iterator_lifetime_seconds:g} s (DynamoDB: "
          f"{SHARD_ITERATOR_LIFETIME_SECONDS} s); engine RSS at the start {started_mb:.1f} MB", flush=True)
    threads = [threading.Thread(target=load, daemon=True), threading.Thread(target=votes_from_the_board, daemon=True)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + args.minutes * 60
    next_report = time.monotonic() + 60
    minutes_mb: list[float] = []
    while time.monotonic() < deadline:
        time.sleep(1)
        if time.monotonic() >= next_report:
            next_report += 60
            minutes_mb.append(rss_mb(engine.process.pid))
            print(f"  minute {len(minutes_mb)}: engine RSS {minutes_mb[-1]:.1f} MB; projector {projector.state()}; "
                  f"mapping {mapping.state()}", flush=True)
        for runner, name in ((projector, "projector"), (mapping, "event source mapping")):
            if runner.error is not None:
                errors.append(f"{name} stopped: {type(runner.error).__name__}: {runner.error}")
                deadline = 0
    stop.set()
    for thread in threads:
        thread.join()
    projector.wait_until_caught_up()
    ended_mb = rss_mb(engine.process.pid)
    projector.stop()
    mapping.stop()
    growth = ended_mb - started_mb
    served = projector.stats.get_records_calls + mapping.get_records_calls + written[0] + board_votes[0]
    print(f"soak: engine RSS at the end {ended_mb:.1f} MB, growth {growth:+.1f} MB "
          f"(goal < {GOAL_GROWTH_MB:.0f} MB) {'ok' if growth < GOAL_GROWTH_MB else 'OVER GOAL'}")
    if len(minutes_mb) > 2:
        print(f"soak: after the warm-up (from minute 2, once the load table is full): "
              f"{ended_mb - minutes_mb[1]:+.1f} MB over {len(minutes_mb) - 2} minutes")
    print(f"soak: requests (at least) {served:,}: {written[0]:,} load writes, {board_votes[0]:,} board votes, "
          f"{projector.stats.get_records_calls:,} projector GetRecords, {mapping.get_records_calls:,} mapping "
          f"GetRecords; {handled[0]:,} records reached the handler")
    in_table, counted = dynalab.tally_votes(lab, votes)[0], dynalab.read_summary(lab, summary)
    summary_ok = counted == in_table
    lost = sum(in_table.values()) - sum(counted.values())
    print(f"soak: summary equals a group-by of the vote table: {summary_ok}; votes lost: {lost} of "
          f"{sum(in_table.values()):,}; errors: {len(errors)}")
    for line in errors[:10]:
        print(f"  {line}")
    engine.stop()
    return 0 if not errors and summary_ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
