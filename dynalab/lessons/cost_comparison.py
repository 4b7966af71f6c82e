"""What the daily full-Scan batch costs next to the stream projection, measured through lesson 1's meter.

``compare_batch_and_stream`` plays N days on the real engine. Each day new votes arrive (in ``runs_per_day``
bursts); then

* **batch**: the day's aggregation Scans the whole vote table (eventually consistent, as a batch would) and
  writes one summary item per candidate. Its reads grow with the table: day after day it pays for every vote ever
  cast again.
* **stream**: after each burst the projector reads the stream (GetRecords: one streams read request unit each)
  and commits the summary deltas and its checkpoint in a transaction (2 WCU per item up to 1 KB). Its cost
  follows the day's *changes*, not the table's size.

The meter (``lab.meter``) prices every call with DynamoDB's rules, whatever the engine reports, so the figures are
DynamoDB's, and deterministic for a given ``seed``.

``scan_contention`` is the live half: on a provisioned users table with lesson 2's throttling on, a full Scan
batch leaves the users' own GetItem calls throttled, while a batch that reads the mail table the stream keeps
(a table of its own) leaves them alone.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine import Lab
from dynalab.engine.tables import scan_pages

__all__ = ["ContentionResult", "CostComparison", "CostDay", "compare_batch_and_stream", "many_users",
           "scan_contention"]

CANDIDATES = ("A", "B", "C")
FIRST_DAY = dt.date(2023, 6, 1)


@dataclass(frozen=True)
class CostDay:
    """One simulated day: the table's size after it, and what each approach consumed that day."""

    day: int
    items_in_table: int
    batch_read_units: float
    batch_write_units: float
    stream_read_requests: int
    stream_read_units: float  # the checkpoint Query (consistent) each run
    stream_write_units: float


@dataclass
class CostComparison:
    days: list[CostDay] = field(default_factory=list)

    def cumulative(self, name: str) -> list[float]:
        total, found = 0.0, []
        for day in self.days:
            total += getattr(day, name)
            found.append(total)
        return found

    def totals(self) -> dict[str, float]:
        names = ("batch_read_units", "batch_write_units", "stream_read_requests", "stream_read_units",
                 "stream_write_units")
        return {name: self.cumulative(name)[-1] if self.days else 0 for name in names}

    def crossover_day(self) -> int | None:
        """The first day the batch's cumulative RCU exceed the projection's cumulative WCU + RCU (None: never)."""
        batch = self.cumulative("batch_read_units")
        stream = [w + r for w, r in zip(self.cumulative("stream_write_units"), self.cumulative("stream_read_units"),
                                        strict=True)]
        return next((day.day for day, b, s in zip(self.days, batch, stream, strict=True) if b > s), None)

    def rows(self) -> list[dict[str, Any]]:
        return [vars(day) for day in self.days]


def _meter(lab: Lab) -> Any:
    meter = lab.meter
    if meter is None:
        raise RuntimeError("this lab has no capacity meter (dynalab.fidelity.metering.Meter): connect with "
                           "dynalab.connect(), which installs it")
    return meter


#: What a vote row carries besides the article's three columns in a real system (when, from which client):
#: a ``Client`` attribute of this many bytes by default.
CLIENT_BYTES = 300
_CLIENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36; "


def compare_batch_and_stream(lab: Lab, days: int = 7, votes_per_day: int = 300, *, runs_per_day: int = 4,
                             client_bytes: int = CLIENT_BYTES, seed: int = 0, prefix: str = "cost") -> CostComparison:
    """Play ``days`` days of voting; return what the full-Scan batch and the stream projection each consumed.

    Each vote item is ``{UserID, vote, Date, Client}``, ``Client`` a string of ``client_bytes`` bytes (0: none):
    the batch's Scan pays for every byte of every item; the projection never reads the vote table. Its tables
    (``<prefix>-votes``, ``-summary``, ``-daily``, ``-batch-summary``) are reset: deleted and created afresh."""
    from dynalab.engine.tables import bulk_load, create_table
    from dynalab.lessons.projections import create_vote_tables, vote_summary

    for name, value, low, high in (("days", days, 1, 365), ("votes_per_day", votes_per_day, 1, 100_000),
                                   ("runs_per_day", runs_per_day, 1, 96), ("client_bytes", client_bytes, 0, 100_000)):
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ValueError(f"{name} must be an integer from {low} to {high}, got {value!r}")
    votes, summary, daily = create_vote_tables(lab, f"{prefix}-votes", f"{prefix}-summary", f"{prefix}-daily",
                                               reset=True)
    batch_summary = create_table(lab, f"{prefix}-batch-summary", ("vote", "S"), reset=True).name
    projector = vote_summary(lab, votes, summary, daily)
    meter = _meter(lab)
    rng = random.Random(seed)
    comparison = CostComparison()
    items = 0
    client = (_CLIENT * (client_bytes // len(_CLIENT) + 1))[:client_bytes]
    for day in range(1, days + 1):
        date = (FIRST_DAY + dt.timedelta(days=day - 1)).isoformat()
        new = [{"UserID": f"d{day:03d}-u{n:05d}", "vote": rng.choice(CANDIDATES), "Date": date,
                **({"Client": client} if client else {})} for n in range(votes_per_day)]
        stream = {"read_requests": 0, "read_units": 0.0, "write_units": 0.0}
        for run in range(runs_per_day):
            burst = new[run * len(new) // runs_per_day:(run + 1) * len(new) // runs_per_day]
            bulk_load(lab, votes, burst, show_progress=False)
            meter.reset()
            projector.run_once()
            stream["read_requests"] += meter.stream_read_requests()
            stream["read_units"] += meter.read_units()
            stream["write_units"] += meter.write_units()
        items += len(new)
        meter.reset()
        counts = _full_scan_counts(lab, votes)
        for vote, num in counts.items():
            lab.client.put_item(TableName=batch_summary, Item={"vote": {"S": vote}, "num": {"N": str(num)}})
        comparison.days.append(CostDay(day, items, meter.read_units(votes), meter.write_units(batch_summary),
                                       int(stream["read_requests"]), stream["read_units"], stream["write_units"]))
    return comparison


def _full_scan_counts(lab: Lab, table_name: str) -> dict[str, int]:
    """The batch: Scan every page of the vote table (eventually consistent) and count votes per candidate."""
    counts: dict[str, int] = {}
    for page in scan_pages(lab, table_name):
        for item in page["Items"]:
            counts[item["vote"]["S"]] = counts.get(item["vote"]["S"], 0) + 1
    return dict(sorted(counts.items()))


@dataclass(frozen=True)
class ContentionResult:
    """User GetItem calls made while a batch ran, and how many of them were throttled."""

    batch: str
    user_reads: int
    throttled_user_reads: int
    batch_read_units: float

    def __str__(self) -> str:
        return (f"{self.batch}: {self.throttled_user_reads} of {self.user_reads} user reads throttled "
                f"(the batch read {self.batch_read_units:g} RCU)")


def scan_contention(lab: Lab, users_table: str, batch_table: str, user_ids: list[str], *,
                    interval_seconds: float = 0.5, batch_delay_seconds: float = 0.5,
                    after_batch_seconds: float = 1.5) -> ContentionResult:
    """Users read their own items (GetItem, no retries, so a throttle shows) while a batch Scans ``batch_table``.

    Turn on throttling for ``users_table`` first (``dynalab.enforce_throughput``), with the users' own rate under
    its read capacity. The users read every ``interval_seconds`` from ``batch_delay_seconds`` before the batch until
    ``after_batch_seconds`` after it. With ``batch_table`` the users table itself, the Scan drains the table's
    read capacity and the users' reads are throttled; with the mail table the stream keeps, the users table is not
    touched by the batch.
    """
    if not user_ids:
        raise ValueError("scan_contention needs at least one user id to read")
    reader = lab.new_client(retries={"mode": "standard", "max_attempts": 1})
    reads = throttled = 0
    stop = threading.Event()

    def users() -> None:
        nonlocal reads, throttled
        while not stop.is_set():
            try:
                reader.get_item(TableName=users_table, Key={"UserID": {"S": user_ids[reads % len(user_ids)]}})
            except ClientError as error:
                if error.response["Error"]["Code"] != "ProvisionedThroughputExceededException":
                    raise
                throttled += 1
            reads += 1
            stop.wait(interval_seconds)

    thread = threading.Thread(target=users, daemon=True)
    meter = _meter(lab)
    before = meter.read_units(batch_table, "Scan")
    thread.start()
    time.sleep(batch_delay_seconds)
    _scan_all(lab, batch_table)
    time.sleep(after_batch_seconds)
    stop.set()
    thread.join()
    return ContentionResult(f"batch scanning {batch_table}", reads, throttled,
                            meter.read_units(batch_table, "Scan") - before)


def many_users(users: list[dict], copies: int) -> list[dict]:
    """``copies`` users per sample user (UserID suffixed ``-n``): a users table big enough for a Scan to hurt."""
    if not isinstance(copies, int) or isinstance(copies, bool) or not 1 <= copies <= 1000:
        raise ValueError(f"copies must be an integer from 1 to 1000, got {copies!r}")
    return [{**user, "UserID": f"{user['UserID']}-{n}"} for n in range(copies) for user in users]


def _scan_all(lab: Lab, table_name: str) -> int:
    count = 0
    args: dict[str, Any] = {"TableName": table_name}
    while True:
        try:
            page = lab.client.scan(**args)
        except ClientError as error:  # the batch itself is throttled too: wait and carry on, as a batch would
            if error.response["Error"]["Code"] != "ProvisionedThroughputExceededException":
                raise
            time.sleep(0.5)
            continue
        count += page["Count"]
        if "LastEvaluatedKey" not in page:
            return count
        args["ExclusiveStartKey"] = page["LastEvaluatedKey"]
