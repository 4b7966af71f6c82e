"""Fire a chosen request rate at a table for a few seconds and record, per second, what was served and throttled.

``run_load(lab, table, requests_per_second, seconds)`` sends PutItem (or GetItem) calls on a fixed schedule
(open loop: a throttled request does not slow the sender, as with real users) from a pool of threads, through the
lab's boto3 client, so boto3's own retries and backoff happen. With a ``ThroughputEnforcer`` on the table
(``dynalab.enforce_throughput``) the per-second rows carry its throttled attempts and consumed units too.

``autoscaling=TargetTrackingPolicy(...)`` runs auto scaling in **compressed time**: each real second is one
simulated minute, one CloudWatch datapoint; when the policy acts, UpdateTable is called on the engine
while the load runs, and the enforcer follows the new throughput.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine import Lab
from dynalab.engine.attempts import is_throttled
from dynalab.engine.aws_budget import approve_table_load
from dynalab.engine.tables import create_table, describe_existing_table
from dynalab.fidelity.throttling import ThroughputEnforcer, enforce_throughput, find_enforcer
from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.models.autoscaling import ScalingEvent, TargetTrackingPolicy

__all__ = ["LoadRun", "LoadRunError", "LoadSecond", "run_load", "run_throttled_load"]

MAX_REQUESTS_PER_SECOND = 500
MAX_SECONDS = 120
MAX_WORKERS = 256


class LoadRunError(RuntimeError):
    """The load run stopped early: a call failed for another reason than throttling (the engine died...).
    ``run`` holds the seconds measured until then."""

    def __init__(self, message: str, run: LoadRun) -> None:
        super().__init__(message)
        self.run = run


@dataclass
class LoadSecond:
    """One second of a load run. ``served``: calls that succeeded (completed in this second);
    ``throttled_attempts``: HTTP attempts answered with ProvisionedThroughputExceededException (boto3 retried
    them); ``failed``: calls throttled on every retry (the caller saw the exception)."""

    second: int
    sent: int = 0
    served: int = 0
    throttled_attempts: int = 0
    failed: int = 0
    consumed_units: float = 0.0
    provisioned: float = 0.0


@dataclass
class LoadRun:
    """The result of ``run_load``."""

    table_name: str
    operation: str
    requests_per_second: float
    seconds: int
    rows: list[LoadSecond]
    events: list[ScalingEvent] = field(default_factory=list)
    retries: int = 0
    served_after_end: int = 0  # calls that were still retrying when the last second ended
    failed_after_end: int = 0

    def served_rate(self, first: int = 1, last: int | None = None) -> float:
        """Average calls served per second over seconds ``first`` .. ``last`` (exclusive; default: the run)."""
        last = self.seconds if last is None else last
        window = [row.served for row in self.rows if first <= row.second < last]
        return sum(window) / len(window) if window else 0.0

    @property
    def throttled_attempts(self) -> int:
        return sum(row.throttled_attempts for row in self.rows)

    @property
    def failed(self) -> int:
        return sum(row.failed for row in self.rows) + self.failed_after_end

    @property
    def served(self) -> int:
        return sum(row.served for row in self.rows) + self.served_after_end


def run_load(
    lab: Lab,
    table_name: str,
    requests_per_second: float,
    seconds: int,
    *,
    operation: str = "write",
    autoscaling: TargetTrackingPolicy | None = None,
    workers: int = 64,
    on_second: Any = None,
    partition_key: str = "pk",
    key_prefix: str = "load",
) -> LoadRun:
    """Send ``requests_per_second`` calls for ``seconds`` seconds; return per-second rows. Blocks until every call
    has finished (so a notebook cell prints only after the run is complete).

    ``on_second(run)`` is called after each second (a widget redraws there). ``operation``: "write" (PutItem of a
    small new item) or "read" (GetItem of an item the run wrote, or a missing one: both cost a read).
    """
    operation = checks.choice("operation", operation, ("write", "read"))
    requests_per_second = checks.number("requests_per_second", requests_per_second, low=0,
                                        high=MAX_REQUESTS_PER_SECOND, low_open=True, unit=tr("calls a second"))
    seconds = checks.number("seconds", seconds, low=1, high=MAX_SECONDS, integer=True)
    workers = checks.number("workers", workers, low=1, high=MAX_WORKERS, integer=True, unit="threads")
    partition_key = checks.text("partition_key", partition_key, min_length=1, max_length=255)
    key_prefix = checks.text("key_prefix", key_prefix, min_length=1, max_length=1024)
    if autoscaling is not None:
        checks.instance("autoscaling", autoscaling, TargetTrackingPolicy, what=tr("a TargetTrackingPolicy or None"))
    if on_second is not None and not callable(on_second):
        raise checks.ParameterTypeError(tr("on_second must be a function on_second(run) or None; got {on_second!r}",
                                           on_second=on_second))
    checks.table_name("table_name", table_name)
    enforcer = find_enforcer(lab, table_name)
    if autoscaling is not None and enforcer is None:
        raise ValueError(tr("auto scaling in compressed time needs dynalab.enforce_throughput(lab, table) first (it "
                            "measures the consumed capacity)"))
    _approve(lab, table_name, operation, requests_per_second, seconds, autoscaling, enforcer)
    # After the cost ceiling (on AWS it speaks first), before any request: the table and its key.
    _check_key(lab, table_name, partition_key)
    # Enough threads and connections that requests sleeping in boto3's backoff never hold up the schedule.
    load = _Load(lab, LoadRun(table_name, operation, float(requests_per_second), seconds, []),
                 lab.new_client(max_pool_connections=workers), enforcer, autoscaling, on_second, partition_key,
                 key_prefix)
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            load.fire(pool)
    finally:
        load.client.close()
    return load.finish()


def _approve(lab: Lab, table_name: str, operation: str, requests_per_second: float, seconds: int,
             autoscaling: TargetTrackingPolicy | None, enforcer: ThroughputEnforcer | None) -> None:
    """On AWS, the estimate first (each call is a small item: 1 write unit, or an eventually consistent read: 0.5)."""
    calls = int(round(requests_per_second * seconds))
    upto = None
    if autoscaling is not None and enforcer is not None:
        upto = ((autoscaling.max_capacity, int(enforcer.write_capacity_units or 1)) if operation == "read"
                else (int(enforcer.read_capacity_units or 1), autoscaling.max_capacity))
    approve_table_load(lab, table_name, tr("run_load of {calls:,} {operation}s on {table_name}", calls=calls,
                                           operation=operation, table_name=table_name),
                       write_request_units=calls if operation == "write" else 0,
                       read_request_units=calls * 0.5 if operation == "read" else 0, capacity_up_to=upto)


def _check_key(lab: Lab, table_name: str, partition_key: str) -> None:
    schema = describe_existing_table(lab, table_name)["KeySchema"]
    hash_key = next(k["AttributeName"] for k in schema if k["KeyType"] == "HASH")
    if hash_key != partition_key or len(schema) > 1:
        raise ValueError(tr("partition_key {partition_key!r}: run_load writes items keyed by one string attribute; "
                            "table {table_name!r} is keyed by {value}. Pass partition_key={hash_key!r} (a table "
                            "without a sort key), or load another table", partition_key=partition_key,
                            table_name=table_name, value=[k['AttributeName'] for k in schema], hash_key=hash_key))


class _Load:
    """One run of ``run_load``: the schedule of calls (open loop), the rows per second, auto scaling's datapoints."""

    def __init__(self, lab: Lab, run: LoadRun, client: Any, enforcer: ThroughputEnforcer | None,
                 autoscaling: TargetTrackingPolicy | None, on_second: Any, partition_key: str,
                 key_prefix: str) -> None:
        self.lab, self.run, self.client, self.enforcer = lab, run, client, enforcer
        self.autoscaling, self.on_second = autoscaling, on_second
        self.partition_key, self.key_prefix = partition_key, key_prefix
        self.rows: dict[int, LoadSecond] = {}
        self.lock = threading.Lock()
        self.failures: list[tuple[int, BaseException]] = []  # (second, error): a call that failed, not throttled
        operation = run.operation
        self.marks = {"throttled": enforcer.throttled_attempts if enforcer else 0,
                      "units": enforcer.units_total[operation] if enforcer else 0.0}
        self.started = time.monotonic()

    def row(self, second: int) -> LoadSecond:
        found = self.rows.get(second)
        if found is None:
            found = self.rows[second] = LoadSecond(second)
        return found

    def send_request(self, number: int) -> None:
        try:
            self._send(number)
        except BaseException as error:  # noqa: BLE001 - the schedule stops and says so (finish)
            with self.lock:
                self.failures.append((int(time.monotonic() - self.started), error))

    def _send(self, number: int) -> None:
        table_name = self.run.table_name
        try:
            if self.run.operation == "write":
                item = {self.partition_key: {"S": f"{self.key_prefix}-{number}"}, "n": {"N": str(number)}}
                answer = self.client.put_item(TableName=table_name, Item=item)
            else:
                key = {self.partition_key: {"S": f"{self.key_prefix}-{number // 2}"}}
                answer = self.client.get_item(TableName=table_name, Key=key)
            outcome, retries = "served", answer["ResponseMetadata"].get("RetryAttempts", 0)
        except ClientError as error:
            if not is_throttled(error):
                raise
            outcome, retries = "failed", error.response["ResponseMetadata"].get("RetryAttempts", 0)
        second = int(time.monotonic() - self.started)
        with self.lock:
            setattr(self.row(second), outcome, getattr(self.row(second), outcome) + 1)
            self.run.retries += retries

    def close_second(self, second: int) -> None:
        """Fold the enforcer's counts into the row; feed auto scaling one datapoint."""
        with self.lock:
            current = self.row(second)
        enforcer, operation = self.enforcer, self.run.operation
        if enforcer is not None:
            throttled, units = enforcer.throttled_attempts, enforcer.units_total[operation]
            current.throttled_attempts = throttled - self.marks["throttled"]
            current.consumed_units = units - self.marks["units"]
            self.marks.update(throttled=throttled, units=units)
            capacity = enforcer.write_capacity_units if operation == "write" else enforcer.read_capacity_units
            current.provisioned = capacity or 0.0
            if self.autoscaling is not None and capacity:
                # One real second is one simulated minute: its consumed units are that datapoint.
                event = self.autoscaling.observe(second, current.consumed_units, capacity)
                if event is not None:
                    self.run.events.append(event)
                    if event.kind != "refused":
                        _update_table(self.lab, self.run.table_name, operation, event.to_capacity, enforcer)
        self.run.rows = [self.rows[s] for s in sorted(self.rows)]
        if self.on_second is not None:
            self.on_second(self.run)

    def fire(self, pool: ThreadPoolExecutor) -> None:
        """Send every call on its schedule, closing each second as it passes; wait for calls still retrying."""
        rate, seconds, started = self.run.requests_per_second, self.run.seconds, self.started
        next_close = 1
        futures = []
        for number in range(int(round(rate * seconds))):
            if self.failures:
                break  # a call failed (not throttled): the engine may be gone; stop sending, say so in finish
            due = started + number / rate
            while True:
                now = time.monotonic()
                if now >= started + next_close:
                    self.close_second(next_close - 1)
                    next_close += 1
                    continue
                if now >= due:
                    break
                time.sleep(min(due, started + next_close) - now)
            with self.lock:
                self.row(int(due - started)).sent += 1
            futures.append(pool.submit(self.send_request, number))
        # Let the last second finish, then wait for calls still retrying.
        while next_close <= seconds and not self.failures:
            time.sleep(max(0.0, started + next_close - time.monotonic()))
            self.close_second(next_close - 1)
            next_close += 1
        for future in futures:
            future.result()

    def finish(self) -> LoadRun:
        """The run, its rows complete; or LoadRunError when a call failed for another reason than throttling."""
        run, rows = self.run, self.rows
        if self.failures:
            second, error = self.failures[0]
            run.rows = [rows[s] for s in sorted(rows)]
            detail = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise LoadRunError(
                tr("run_load on {table} stopped in second {second} of {seconds}: a {operation} failed "
                   "({kind}: {detail}); {served:,} calls were served before.", table=run.table_name, second=second,
                   seconds=run.seconds, operation=run.operation, kind=type(error).__name__, detail=detail,
                   served=run.served)
                + (tr(" Is the engine still running? dynalab.connect() starts a new one.")
                   if not isinstance(error, ClientError) else ""), run) from error
        # Calls still retrying when the run's last second ended finish afterwards: counted apart, not in a second.
        with self.lock:
            for extra in [s for s in rows if s >= run.seconds]:
                late = rows.pop(extra)
                run.served_after_end += late.served
                run.failed_after_end += late.failed
            for second in range(run.seconds):
                self.row(second)
            run.rows = [rows[s] for s in sorted(rows)]
        return run


def _update_table(lab: Lab, table_name: str, operation: str, capacity: int, enforcer: ThroughputEnforcer) -> None:
    read = int(enforcer.read_capacity_units or 1)
    write = int(enforcer.write_capacity_units or 1)
    if operation == "write":
        write = capacity
    else:
        read = capacity
    lab.client.update_table(TableName=table_name,
                            ProvisionedThroughput={"ReadCapacityUnits": read, "WriteCapacityUnits": write})


def run_throttled_load(lab: Lab, table_name: str, write_capacity_units: int, requests_per_second: float,
                       seconds: int, *, autoscaling: TargetTrackingPolicy | None = None,
                       on_second: Any = None) -> LoadRun:
    """Lesson 2's live demo: reset ``table_name`` (deleted and created afresh) at ``write_capacity_units`` WCU and
    5 RCU, throttle it at that (``enforce_throughput``), fire ``run_load``'s writes, then stop throttling."""
    create_table(lab, table_name, read_capacity_units=5, write_capacity_units=write_capacity_units, reset=True)
    enforcer = enforce_throughput(lab, table_name)
    try:
        return run_load(lab, table_name, requests_per_second, seconds, autoscaling=autoscaling, on_second=on_second)
    finally:
        enforcer.stop()
