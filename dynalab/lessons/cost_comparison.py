"""What the daily full-Scan batch costs next to the stream projection, in dollars, measured through lesson 1's meter.

``compare_batch_and_stream`` plays N days on the real engine. Each day new votes arrive (in ``runs_per_day``
bursts); then

* **batch**: the day's aggregation Scans the whole vote table (eventually consistent, as a batch would) and
  writes one summary item per candidate. Its reads grow with the table: day after day it pays for every vote ever
  cast again.
* **stream**: after each burst the projector reads the stream (GetRecords) and commits the summary deltas and its
  checkpoint in a transaction (2 WCU per 1 KB of each item). Its cost follows the day's *changes* (and how often
  the projector commits), not the table's size.

The meter (``lab.meter``) prices every call with DynamoDB's rules, whatever the engine reports, so the units are
DynamoDB's, and deterministic for a given ``seed``. ``BatchVsStreamCost`` turns them into **dollars** at both price
lists (``dynalab.models.pricing``, 2026-12 table): read and write units are never added to each other (a WCU costs
5x an RCU on both lists).

* **on-demand**: every read request unit and write request unit at its price.
* **provisioned**: capacity is billed for every hour it is held, used or not [src:provisioned-billed-per-hour-held].
  Each approach holds, all day, the capacity its heaviest run needs to finish within ``provisioned_run_seconds``
  (default 60 s: a model parameter, said as such), and at least 1 RCU and 1 WCU (DynamoDB's minimum): the batch's
  read capacity grows with the table it Scans, the stream's stays with the changes of a run.
* **GetRecords**: free for a Lambda trigger [src:lambda-get-records-free]; your own reader pays for every request,
  empty polls included, $0.02 per 100,000 after 2.5 million free a month per account and Region
  [src:stream-reads-billed-per-request]. An own reader polling every ``poll_interval_seconds`` (0.25 s, like Lambda)
  makes 345,600 requests a day per shard, whatever the changes; ``poll_interval_seconds=None`` counts only the
  requests the played runs made. The free tier is applied per calendar month of the days; pass
  ``Prices(stream_read_requests_free_per_month=0)`` for an account whose other streams use it up.
* Both approaches keep the same vote table, so its storage (``Prices.storage_per_month``) is the same for both and
  left out of the difference.

``scan_contention`` is the live half: on a provisioned users table with lesson 2's throttling on, a full Scan
batch leaves the users' own GetItem calls throttled, while a batch that reads the mail table the stream keeps
(a table of its own) leaves them alone.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine import Lab
from dynalab.engine.tables import scan_pages
from dynalab.i18n import N_, tr
from dynalab.models import checks
from dynalab.models.pricing import DEFAULT_PRICES, Prices
from dynalab.models.quotas import ESM_POLLS_PER_SECOND

__all__ = ["APPROACHES", "PRICE_LISTS", "BatchVsStreamCost", "ContentionResult", "CostDay",
           "compare_batch_and_stream", "many_users", "scan_contention"]

CANDIDATES = ("A", "B", "C")
FIRST_DAY = dt.date(2023, 6, 1)
#: The two price lists of a DynamoDB table (its capacity mode) and the two approaches compared.
PRICE_LISTS = ("on-demand", "provisioned")
APPROACHES = ("batch", "stream")
#: How long a run (the batch's Scan, one projector commit) may take on provisioned capacity: the capacity it needs
#: is its units over this many seconds. A model parameter, not a documented figure.
DEFAULT_PROVISIONED_RUN_SECONDS = 60.0
#: An own stream reader's polling interval: 0.25 s, Lambda's rate [src:esm-polls-4-per-second].
DEFAULT_POLL_INTERVAL_SECONDS = 1 / ESM_POLLS_PER_SECOND
_SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class CostDay:
    """One simulated day: the table's size after it, and what each approach consumed that day (units, requests)."""

    day: int
    items_in_table: int
    batch_read_units: float
    batch_write_units: float
    stream_read_requests: int
    stream_read_units: float  # the checkpoint Query (consistent) each run
    stream_write_units: float


@dataclass
class BatchVsStreamCost:
    """The days of ``compare_batch_and_stream``, in units as metered and in dollars at both price lists.

    ``lambda_trigger``: who reads the stream (True: a Lambda trigger, whose GetRecords are free; False: your own
    reader, which pays per request after the free tier, every poll counted: ``poll_interval_seconds`` per ``shards``;
    None: only the requests the played runs made). Units are shown per kind, never summed across reads and writes;
    every comparison between the approaches is in dollars. Provisioned capacity is priced as held for the whole day
    (``provisioned_run_seconds``, ``runs_per_day``: see the module docstring)."""

    days: list[CostDay] = field(default_factory=list)
    prices: Prices = DEFAULT_PRICES
    lambda_trigger: bool = False
    poll_interval_seconds: float | None = DEFAULT_POLL_INTERVAL_SECONDS
    shards: int = 1
    runs_per_day: int = 1
    provisioned_run_seconds: float = DEFAULT_PROVISIONED_RUN_SECONDS

    def __post_init__(self) -> None:
        if not isinstance(self.prices, Prices):
            raise TypeError(tr("prices must be a dynalab.models.pricing.Prices, got {kind}",
                               kind=type(self.prices).__name__))
        if not isinstance(self.lambda_trigger, bool):
            raise TypeError(tr("lambda_trigger must be True or False, got {lambda_trigger!r}",
                               lambda_trigger=self.lambda_trigger))
        if self.poll_interval_seconds is not None:
            checks.number("poll_interval_seconds", self.poll_interval_seconds, low=0.001, high=3600.0,
                          unit="seconds")
        checks.number("shards", self.shards, low=1, high=100_000, integer=True)
        checks.number("runs_per_day", self.runs_per_day, low=1, high=96, integer=True)
        checks.number("provisioned_run_seconds", self.provisioned_run_seconds, low=1, high=_SECONDS_PER_DAY,
                      unit="seconds")

    # -- units, as metered ---------------------------------------------------------------------------------------
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

    # -- dollars -------------------------------------------------------------------------------------------------
    def billed_read_requests(self, day: CostDay) -> float:
        """GetRecords requests billed for ``day``: every poll of an own reader (or the runs' own requests)."""
        if self.poll_interval_seconds is None:
            return float(day.stream_read_requests)
        return max(float(day.stream_read_requests), self.shards * _SECONDS_PER_DAY / self.poll_interval_seconds)

    def held_capacity_units(self, approach: str, day: CostDay) -> tuple[int, int]:
        """(RCU, WCU) the approach holds on provisioned capacity that day: its heaviest run's units over
        ``provisioned_run_seconds``, at least 1 each (DynamoDB's minimum)."""
        if approach == "batch":
            read, write = day.batch_read_units, day.batch_write_units
        else:
            read, write = day.stream_read_units / self.runs_per_day, day.stream_write_units / self.runs_per_day
        return (max(1, math.ceil(round(read / self.provisioned_run_seconds, 9))),
                max(1, math.ceil(round(write / self.provisioned_run_seconds, 9))))

    def _day_dollars(self, approach: str, price_list: str, day: CostDay) -> float:
        """The approach's capacity dollars of one day (GetRecords apart)."""
        if price_list == "provisioned":  # billed per hour held, used or not
            rcu, wcu = self.held_capacity_units(approach, day)
            return 24 * (rcu * self.prices.capacity_unit_hour("read") + wcu * self.prices.capacity_unit_hour("write"))
        read, write = self.prices.request_unit("read"), self.prices.request_unit("write")
        if approach == "batch":
            return day.batch_read_units * read + day.batch_write_units * write
        return day.stream_read_units * read + day.stream_write_units * write

    def _get_records_dollars(self, day_numbers: list[int], requests: list[float]) -> list[float]:
        """Dollars of each day's GetRecords, the free tier applied per calendar month of the days."""
        spent: dict[tuple[int, int], float] = {}
        found = []
        for number, count in zip(day_numbers, requests, strict=True):
            date = FIRST_DAY + dt.timedelta(days=number - 1)
            month = (date.year, date.month)
            before = spent.get(month, 0.0)
            spent[month] = before + count
            found.append(self.prices.stream_reads_per_month(spent[month], lambda_trigger=self.lambda_trigger)
                         - self.prices.stream_reads_per_month(before, lambda_trigger=self.lambda_trigger))
        return found

    def daily_dollars(self, approach: str, price_list: str = "on-demand") -> list[float]:
        """Each day's dollars of ``approach`` ("batch" or "stream") at ``price_list`` ("on-demand"/"provisioned")."""
        _check_choice("approach", approach, APPROACHES)
        _check_choice("price_list", price_list, PRICE_LISTS)
        capacity = [self._day_dollars(approach, price_list, day) for day in self.days]
        if approach == "batch":
            return capacity
        get_records = self._get_records_dollars([d.day for d in self.days],
                                                [self.billed_read_requests(d) for d in self.days])
        return [c + g for c, g in zip(capacity, get_records, strict=True)]

    def cumulative_dollars(self, approach: str, price_list: str = "on-demand") -> list[float]:
        total, found = 0.0, []
        for dollars in self.daily_dollars(approach, price_list):
            total += dollars
            found.append(total)
        return found

    def total_dollars(self, approach: str, price_list: str = "on-demand") -> float:
        return self.cumulative_dollars(approach, price_list)[-1] if self.days else 0.0

    def crossover_day(self, price_list: str = "on-demand") -> int | None:
        """The first played day on which the batch's cumulative dollars exceed the stream's (None: not in these
        days; see ``projected_crossover_day``)."""
        batch, stream = self.cumulative_dollars("batch", price_list), self.cumulative_dollars("stream", price_list)
        return next((day.day for day, b, s in zip(self.days, batch, stream, strict=True) if b > s), None)

    def projected_crossover_day(self, price_list: str = "on-demand", horizon_days: int = 3650) -> int | None:
        """A model, not a measurement: the day the cumulative dollars cross if the played days go on as measured.

        The batch's daily dollars grow in a straight line (each day adds the same votes to Scan: a least-squares
        line through the played days); the stream's capacity dollars stay at their measured mean (they follow the
        changes), and its GetRecords go on at the same requests a day, priced with each calendar month's free tier.
        Returns the measured ``crossover_day`` when there is one; None if the lines do not cross within
        ``horizon_days`` (or the batch does not grow)."""
        checks.number("horizon_days", horizon_days, low=1, high=100_000, integer=True)
        measured = self.crossover_day(price_list)
        if measured is not None or len(self.days) < 2:
            return measured
        xs = [float(d.day) for d in self.days]
        ys = self.daily_dollars("batch", price_list)
        mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sum(
            (x - mean_x) ** 2 for x in xs)
        if not slope > 0:
            return None
        stream_capacity = sum(self._day_dollars("stream", price_list, d) for d in self.days) / len(self.days)
        requests = sum(self.billed_read_requests(d) for d in self.days) / len(self.days)
        future = list(range(self.days[-1].day + 1, horizon_days + 1))
        numbers = [d.day for d in self.days] + future
        get_records = self._get_records_dollars(
            numbers, [self.billed_read_requests(d) for d in self.days] + [requests] * len(future))[len(self.days):]
        batch_total, stream_total = self.total_dollars("batch", price_list), self.total_dollars("stream", price_list)
        for day, records in zip(future, get_records, strict=True):
            batch_total += mean_y + slope * (day - mean_x)
            stream_total += stream_capacity + records
            if batch_total > stream_total:
                return day
        return None

    def rows(self) -> list[dict[str, Any]]:
        return [vars(day) for day in self.days]

    def describe(self, price_list: str = "on-demand") -> str:
        """One line: both approaches' dollars over the played days and the crossover, at ``price_list``."""
        batch, stream = self.total_dollars("batch", price_list), self.total_dollars("stream", price_list)
        measured = self.crossover_day(price_list)
        if measured is not None:
            cross = tr("the batch's total passes the stream's on day {day}", day=measured)
        else:
            projected = self.projected_crossover_day(price_list)
            if projected is not None:
                cross = tr("no crossover in these {days} days; projected (a straight-line model of them): day {day}",
                           days=len(self.days), day=projected)
            else:
                cross = tr("no crossover in these {days} days; projected (a straight-line model of them): none",
                           days=len(self.days))
        return tr("{price_list}: batch ${batch:.6f}, stream ${stream:.6f} over {days} days; {cross}",
                  price_list=tr(_PRICE_LIST_LABELS.get(price_list, price_list)), batch=batch, stream=stream,
                  days=len(self.days), cross=cross)


#: How a price list is named in a readout (the keys are the parameter's values).
_PRICE_LIST_LABELS = {"on-demand": N_("on-demand"), "provisioned": N_("provisioned")}


def _check_choice(name: str, value: Any, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(tr("{name} must be one of {items}, got {value!r}", name=name,
                            items=', '.join(map(repr, allowed)), value=value))


def _meter(lab: Lab) -> Any:
    meter = lab.meter
    if meter is None:
        raise RuntimeError(tr("this lab has no capacity meter (dynalab.fidelity.metering.Meter): connect with "
                              "dynalab.connect(), which installs it"))
    return meter


#: What a vote row carries besides the article's three columns in a real system (when, from which client):
#: a ``Client`` attribute of this many bytes by default.
CLIENT_BYTES = 300
_CLIENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36; "


#: dynalab's bounds on ``compare_batch_and_stream`` (each vote is a write and is scanned again by every later batch,
#: each run is a projector pass): the lesson plays 600 votes in 12 runs, the defaults 2,100 in 28
PLAY_MAX_VOTES = 5_000
PLAY_MAX_RUNS = 100
PLAY_MAX_BYTES = 16 * 2**20


def compare_batch_and_stream(lab: Lab, days: int = 7, votes_per_day: int = 300, *, runs_per_day: int = 4,
                             client_bytes: int = CLIENT_BYTES, seed: int = 0, prefix: str = "cost",
                             prices: Prices = DEFAULT_PRICES, lambda_trigger: bool = False,
                             poll_interval_seconds: float | None = DEFAULT_POLL_INTERVAL_SECONDS,
                             provisioned_run_seconds: float = DEFAULT_PROVISIONED_RUN_SECONDS,
                             ) -> BatchVsStreamCost:
    """Play ``days`` days of voting; return what the full-Scan batch and the stream projection each consumed, with
    their dollars (see ``BatchVsStreamCost``; ``prices``, ``lambda_trigger``, ``poll_interval_seconds`` and
    ``provisioned_run_seconds`` go there).

    Each vote item is ``{UserID, vote, Date, Client}``, ``Client`` a string of ``client_bytes`` bytes (0: none):
    the batch's Scan pays for every byte of every item; the projection never reads the vote table. Its tables
    (``<prefix>-votes``, ``-summary``, ``-daily``, ``-batch-summary``) are reset: deleted and created afresh."""
    from dynalab.engine import check_lab
    from dynalab.engine.tables import bulk_load, create_table
    from dynalab.lessons.projections import create_vote_tables, vote_summary

    check_lab(lab)
    checks.number("seed", seed, integer=True)
    checks.text("prefix", prefix, min_length=1, max_length=200)

    for name, value, low, high in (("days", days, 1, 365), ("votes_per_day", votes_per_day, 1, 100_000),
                                   ("runs_per_day", runs_per_day, 1, 96), ("client_bytes", client_bytes, 0, 100_000)):
        checks.number(name, value, low=low, high=high, integer=True)
    # what the play writes and runs is the product (365 days of 100,000 votes would run for hours): dynalab's bounds
    limit = N_("dynalab's limit")
    checks.number("days × votes_per_day", days * votes_per_day, high=PLAY_MAX_VOTES, unit=limit)
    checks.number("days × runs_per_day", days * runs_per_day, high=PLAY_MAX_RUNS, unit=limit)
    checks.number("days × votes_per_day × client_bytes", days * votes_per_day * client_bytes, high=PLAY_MAX_BYTES,
                  unit=limit)
    comparison = BatchVsStreamCost(prices=prices, lambda_trigger=lambda_trigger,
                                   poll_interval_seconds=poll_interval_seconds, runs_per_day=runs_per_day,
                                   provisioned_run_seconds=provisioned_run_seconds)
    votes, summary, daily = create_vote_tables(lab, f"{prefix}-votes", f"{prefix}-summary", f"{prefix}-daily",
                                               reset=True)
    batch_summary = create_table(lab, f"{prefix}-batch-summary", ("vote", "S"), reset=True,
                                 creator="compare_batch_and_stream").name
    projector = vote_summary(lab, votes, summary, daily)
    meter = _meter(lab)
    rng = random.Random(seed)
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
        return (tr("{batch}: {throttled_user_reads} of {user_reads} user reads throttled (the batch read "
                   "{batch_read_units:g} RCU)", batch=self.batch, throttled_user_reads=self.throttled_user_reads,
                   user_reads=self.user_reads, batch_read_units=self.batch_read_units))


def scan_contention(lab: Lab, users_table: str, batch_table: str, user_ids: list[str], *,
                    interval_seconds: float = 0.5, batch_delay_seconds: float = 0.5,
                    after_batch_seconds: float = 1.5) -> ContentionResult:
    """Users read their own items (GetItem, no retries, so a throttle shows) while a batch Scans ``batch_table``.

    Turn on throttling for ``users_table`` first (``dynalab.enforce_throughput``), with the users' own rate under
    its read capacity. The users read every ``interval_seconds`` from ``batch_delay_seconds`` before the batch until
    ``after_batch_seconds`` after it. With ``batch_table`` the users table itself, the Scan drains the table's
    read capacity and the users' reads are throttled (a Scan reads every item [src:scan-reads-every-item]); with the
    mail table the stream keeps, the users table is not touched by the batch.
    """
    if not user_ids:
        raise ValueError(tr("scan_contention needs at least one user id to read"))
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
    return ContentionResult(tr("batch scanning {batch_table}", batch_table=batch_table), reads, throttled,
                            meter.read_units(batch_table, "Scan") - before)


def many_users(users: list[dict], copies: int) -> list[dict]:
    """``copies`` users per sample user (UserID suffixed ``-n``): a users table big enough for a Scan to hurt."""
    checks.number("copies", copies, low=1, high=1000, integer=True)
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
