"""Lesson 9's scenarios: a global table on the engine, a write watched as it arrives in another Region, two Regions
racing for one item, a strong read across Regions, an isolated Region. They return data; nothing here draws.

Everything goes through DynamoDB's own API with a client per Region (``lab.in_region(region)``): the replication is
the engine's (``dynalab.engine._global_tables``), so a learner's own boto3 code sees the same. On AWS these scenarios
are refused: a replica takes minutes to create there, and every replicated write is billed in every Region.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine import Lab, check_lab, check_region
from dynalab.engine.global_tables import (
    heal_region,
    isolate_region,
    remove_replicas,
    replication_settings,
    set_replication,
)
from dynalab.engine.tables import create_table, delete_table
from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.models.global_tables import CONSISTENCY_MODES

__all__ = ["Arrival", "GlobalTable", "IsolationStep", "RaceResult", "ReadAfterWrite", "WriteResult",
           "create_global_table", "isolation_drill", "race", "read_after_write", "remove_global_table",
           "replicated_write_units",
           "set_replication_lag", "watch_arrival"]

KEY_ATTRIBUTE = "id"
_POLL_SECONDS = 0.01


@dataclass(frozen=True)
class WriteResult:
    """One write: where, what, whether DynamoDB took it (else its error code and message), and how long it took."""

    region: str
    value: str
    ok: bool
    seconds: float
    error_code: str = ""
    error_message: str = ""

    def describe(self) -> str:
        if self.ok:
            return tr("{region}: wrote {value!r} ({milliseconds:.0f} ms)", region=self.region, value=self.value,
                      milliseconds=self.seconds * 1000)
        return tr("{region}: {value!r} refused: {code}", region=self.region, value=self.value, code=self.error_code)


@dataclass
class GlobalTable:
    """A table with replicas in ``regions`` (the first one is where it was created), in ``consistency`` mode."""

    lab: Lab
    name: str
    regions: tuple[str, ...]
    consistency: str
    witness: str | None = None
    _no_retries: dict[str, Any] = field(default_factory=dict, repr=False)

    def lab_in(self, region: str) -> Lab:
        """The Lab of one of the table's Regions (its own clients and meter)."""
        return self.lab.in_region(checks.choice("region", region, self.regions))

    def client(self, region: str, *, retries: bool = True) -> Any:
        """That Region's DynamoDB client; ``retries=False``: one attempt, so a refusal is seen, not retried (boto3
        retries ReplicatedWriteConflictException and HTTP 500 by itself)."""
        lab = self.lab_in(region)
        if retries:
            return lab.client
        if region not in self._no_retries:
            self._no_retries[region] = lab.new_client(retries={"mode": "standard", "total_max_attempts": 1})
        return self._no_retries[region]

    def describe(self, region: str | None = None) -> dict[str, Any]:
        """DescribeTable in ``region`` (default: the first)."""
        return self.client(region or self.regions[0]).describe_table(TableName=self.name)["Table"]

    def read(self, key: str, region: str, *, consistent: bool = False) -> str | None:
        """The item's ``value`` in ``region`` (None: no item), read eventually or strongly consistent."""
        found = self.client(region).get_item(TableName=self.name, Key={KEY_ATTRIBUTE: {"S": key}},
                                             ConsistentRead=checks.flag("consistent", consistent)).get("Item")
        return None if found is None else found.get("value", {}).get("S")

    def reads(self, key: str, *, consistent: bool = False) -> dict[str, str | None]:
        """The item's value in every Region."""
        return {region: self.read(key, region, consistent=consistent) for region in self.regions}

    def write(self, key: str, value: str, region: str, *, retries: bool = True) -> WriteResult:
        """PutItem of ``{id: key, value: value, written_in: region}`` in ``region``."""
        item = {KEY_ATTRIBUTE: {"S": checks.text("key", key, min_length=1, max_length=200)},
                "value": {"S": checks.text("value", value, max_length=1000)}, "written_in": {"S": region}}
        start = time.monotonic()
        try:
            self.client(region, retries=retries).put_item(TableName=self.name, Item=item)
        except ClientError as error:
            return WriteResult(region, value, False, time.monotonic() - start, error.response["Error"]["Code"],
                               error.response["Error"].get("Message", ""))
        return WriteResult(region, value, True, time.monotonic() - start)

    def remove(self) -> None:
        """Delete the table everywhere: its replicas (and witness) first, as DynamoDB requires, then the table."""
        remove_global_table(self.lab, self.name, self.regions, self.witness)


def replicated_write_units(table: GlobalTable) -> dict[str, float]:
    """The replicated write units the writes made through this lesson's Labs (one per Region) charged the table, by
    Region: each Region's meter charges every replica's Region for its writes [src:rwru-per-replica]."""
    totals = {region: 0.0 for region in table.regions}
    for writer in table.regions:
        meter = table.lab_in(writer).meter
        for region in table.regions:
            totals[region] += meter.replicated_write_units(table.name, region)
    return totals


def _home(lab: Lab) -> Lab:
    lab = check_lab(lab)
    if lab.is_aws:
        raise ValueError(tr("lesson 9's global tables run on dynalab's engine only: on AWS a replica takes minutes "
                            "to create and every replicated write is billed in every Region"))
    return lab


def remove_global_table(lab: Lab, name: str, regions: Sequence[str], witness: str | None = None) -> None:
    """Take a (global) table of the lessons apart in every Region, whatever state a previous run left it in."""
    remove_replicas(lab.in_region(regions[0]), name)
    for region in regions:
        delete_table(lab.in_region(region), name)


def create_global_table(lab: Lab, name: str, regions: Sequence[str] = ("us-east-1", "us-west-2"), *,
                        consistency: str = "EVENTUAL", witness: str | None = None,
                        timeout_seconds: float = 30.0) -> GlobalTable:
    """A fresh global table ``name`` (key ``id``, on-demand): created in ``regions[0]``, then replicas in the others
    by ``UpdateTable(ReplicaUpdates=...)`` in ``consistency`` mode ("EVENTUAL": MREC, "STRONG": MRSC, with a
    ``witness`` Region or three replicas). A table of that name from an earlier run is removed first. Returns once
    every replica is ACTIVE."""
    lab = _home(lab)
    name = checks.table_name("name", name)
    regions = tuple(dict.fromkeys(checks.sequence_of("regions", regions, check_region, min_length=2, max_length=5)))
    if len(regions) < 2:
        raise ValueError(tr("regions must name 2 to 5 different Regions; got {regions!r}", regions=regions))
    consistency = checks.choice("consistency", consistency, CONSISTENCY_MODES)
    witness = checks.optional(check_region, "witness", witness)
    timeout = checks.number("timeout_seconds", timeout_seconds, low=0, low_open=True, high=300, unit="seconds")
    labs = [lab.in_region(region) for region in regions]
    remove_global_table(lab, name, regions, witness)
    create_table(labs[0], name, (KEY_ATTRIBUTE, "S"))
    update: dict[str, Any] = {"ReplicaUpdates": [{"Create": {"RegionName": r}} for r in regions[1:]],
                              "MultiRegionConsistency": consistency}
    if witness is not None:
        update["GlobalTableWitnessUpdates"] = [{"Create": {"RegionName": witness}}]
    labs[0].client.update_table(TableName=name, **update)
    table = GlobalTable(lab, name, regions, consistency, witness)
    deadline = time.monotonic() + timeout
    while not _all_active(table.describe()):
        if time.monotonic() > deadline:
            raise TimeoutError(tr("the replicas of {table} are not ACTIVE after {seconds} s", table=name,
                                  seconds=timeout))
        time.sleep(0.05)
    return table


def _all_active(description: dict[str, Any]) -> bool:
    return description["TableStatus"] == "ACTIVE" and all(
        replica["ReplicaStatus"] == "ACTIVE" for replica in description.get("Replicas") or [])


# ---- a write watched as it arrives ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Arrival:
    """A write made in ``write_region`` and the moment an eventually consistent read in ``watch_region`` saw it
    (seconds on one clock; ``arrived`` None: not within the timeout)."""

    key: str
    value: str
    write_region: str
    watch_region: str
    written: float
    arrived: float | None

    @property
    def lag_seconds(self) -> float | None:
        return None if self.arrived is None else self.arrived - self.written

    def describe(self) -> str:
        if self.lag_seconds is None:
            return tr("{value!r} written in {source}: not in {target} yet", value=self.value,
                      source=self.write_region, target=self.watch_region)
        return tr("{value!r} written in {source}, read in {target} {milliseconds:.0f} ms later", value=self.value,
                  source=self.write_region, target=self.watch_region, milliseconds=self.lag_seconds * 1000)


def watch_arrival(table: GlobalTable, key: str, value: str, write_region: str, watch_region: str, *,
                  timeout_seconds: float = 5.0, clock_start: float | None = None) -> Arrival:
    """Write in one Region and poll the other (eventually consistent reads, every 10 ms) until the value is there.
    Times are seconds since ``clock_start`` (default: the write)."""
    timeout = checks.number("timeout_seconds", timeout_seconds, low=0, low_open=True, high=60, unit="seconds")
    table.lab_in(watch_region)
    start = time.monotonic() if clock_start is None else clock_start
    result = table.write(key, value, write_region)
    if not result.ok:
        raise RuntimeError(tr("the write in {region} was refused: {code}: {message}", region=write_region,
                              code=result.error_code, message=result.error_message))
    written = time.monotonic() - start
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if table.read(key, watch_region) == value:
            return Arrival(key, value, write_region, watch_region, written, time.monotonic() - start)
        time.sleep(_POLL_SECONDS)
    return Arrival(key, value, write_region, watch_region, written, None)


# ---- two Regions, one item ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RaceResult:
    """Two Regions writing one item: each write's outcome, then the value every Region reads."""

    consistency: str
    writes: tuple[WriteResult, ...]
    final: dict[str, str | None]

    @property
    def converged(self) -> bool:
        return len(set(self.final.values())) == 1

    @property
    def refused(self) -> tuple[WriteResult, ...]:
        return tuple(write for write in self.writes if not write.ok)

    def describe(self) -> str:
        lines = [write.describe() for write in self.writes]
        values = ", ".join(f"{region} {value!r}" for region, value in self.final.items())
        lines.append(tr("then every Region reads: {values}", values=values))
        return "\n".join(lines)


def race(table: GlobalTable, key: str, regions: Sequence[str] | None = None, *, attempts: int = 5,
         settle_seconds: float = 10.0) -> RaceResult:
    """Two Regions write ``key`` (value: the Region's name), boto3's retries off.

    MREC: one right after the other, well within the replication lag: both are accepted in their own Region, then
    replication converges every Region to the second one (last writer wins). MRSC: at the same moment; the write that
    finds the other in flight is refused (ReplicatedWriteConflictException); the race is run again, up to ``attempts``
    times, until one is (a race can be won outright). Every Region then reads the same value (strongly consistent on
    MRSC; waited for on MREC, up to ``settle_seconds``).
    """
    regions = tuple(regions or table.regions[:2])
    for region in regions:
        table.lab_in(region)
    attempts = checks.number("attempts", attempts, low=1, high=20, integer=True)
    strong = table.consistency == "STRONG"
    writes: tuple[WriteResult, ...] = ()
    if not strong:  # one after the other, both within the replication lag: the second is the last writer
        writes = tuple(table.write(key, region, region, retries=False) for region in regions)
    for _ in range(attempts if strong else 0):
        writes = _together(table, key, regions)
        if any(not write.ok for write in writes):
            break
    deadline = time.monotonic() + checks.number("settle_seconds", settle_seconds, low=0, high=60, unit="seconds")
    final = table.reads(key, consistent=strong)
    while len(set(final.values())) > 1 and time.monotonic() < deadline:
        time.sleep(0.05)
        final = table.reads(key)
    return RaceResult(table.consistency, writes, final)


def _together(table: GlobalTable, key: str, regions: tuple[str, ...]) -> tuple[WriteResult, ...]:
    """One write per Region, released at the same moment (a barrier), in the order they finished."""
    for region in regions:
        table.client(region, retries=False)  # built before the race: building a client takes longer than a write
    start = threading.Barrier(len(regions))
    done: list[WriteResult] = []

    def write(region: str) -> None:
        start.wait()
        done.append(table.write(key, region, region, retries=False))

    threads = [threading.Thread(target=write, args=(region,), daemon=True) for region in regions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return tuple(done)


# ---- a strong read in another Region --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReadAfterWrite:
    """A write in one Region, then at once a strongly and an eventually consistent read in another."""

    consistency: str
    write: WriteResult
    read_region: str
    strong: str | None
    eventual: str | None

    @property
    def strong_is_latest(self) -> bool:
        return self.strong == self.write.value

    def describe(self) -> str:
        return tr("{write}; at once in {region}: strongly consistent read {strong!r}, eventually consistent read "
                  "{eventual!r}", write=self.write.describe(), region=self.read_region, strong=self.strong,
                  eventual=self.eventual)


def read_after_write(table: GlobalTable, key: str, value: str, write_region: str, read_region: str) -> ReadAfterWrite:
    """Write ``value`` in ``write_region``; as soon as DynamoDB acknowledges it, read it strongly and eventually in
    ``read_region``. MRSC: the strong read is the write. MREC: it is whatever reached that Region so far."""
    table.lab_in(read_region)
    result = table.write(key, value, write_region)
    strong = table.read(key, read_region, consistent=True)
    eventual = table.read(key, read_region)
    return ReadAfterWrite(table.consistency, result, read_region, strong, eventual)


# ---- an isolated Region ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class IsolationStep:
    """One step of the drill: what was done, and what DynamoDB answered."""

    action: str
    outcome: str


def isolation_drill(table: GlobalTable, isolated: str, key: str = "outage", *,
                    settle_seconds: float = 10.0) -> list[IsolationStep]:
    """Cut ``isolated`` off from the other Regions, write there and elsewhere, read, heal, read again.

    MREC: the isolated Region keeps taking writes; nothing crosses until it is healed, then both converge.
    MRSC: the isolated Region refuses writes and strongly consistent reads (HTTP 500) and still serves eventually
    consistent reads; another Region keeps a quorum with the third member and writes on; after healing, the
    isolated replica has caught up.
    """
    table.lab_in(isolated)
    other = next(region for region in table.regions if region != isolated)
    steps: list[IsolationStep] = []
    isolate_region(table.lab, isolated)
    try:
        for region, value in ((isolated, "written during the outage in " + isolated),
                              (other, "written during the outage in " + other)):
            result = table.write(f"{key}-{region}", value, region, retries=False)
            steps.append(IsolationStep(tr("write in {region}", region=region),
                                       tr("accepted") if result.ok else result.error_code))
        for region in (isolated, other):
            seen = _visible(table, key, region)
            steps.append(IsolationStep(tr("eventually consistent read in {region}", region=region), seen))
        try:
            table.client(isolated, retries=False).get_item(TableName=table.name, ConsistentRead=True,
                                                           Key={KEY_ATTRIBUTE: {"S": f"{key}-{other}"}})
            strong = tr("read served")
        except ClientError as error:
            strong = error.response["Error"]["Code"]
        steps.append(IsolationStep(tr("strongly consistent read in {region}", region=isolated), strong))
    finally:
        heal_region(table.lab, isolated)
    deadline = time.monotonic() + checks.number("settle_seconds", settle_seconds, low=0, high=60, unit="seconds")
    while time.monotonic() < deadline and not all(
            _visible(table, key, region) == _visible(table, key, table.regions[0]) for region in table.regions):
        time.sleep(0.05)
    for region in (isolated, other):
        steps.append(IsolationStep(tr("after healing, eventually consistent read in {region}", region=region),
                                   _visible(table, key, region)))
    return steps


def _visible(table: GlobalTable, key: str, region: str) -> str:
    """Which of the drill's two writes a Region can read ("none" or the Regions they were written in)."""
    found = [written for written in table.regions if table.read(f"{key}-{written}", region) is not None]
    return ", ".join(found) if found else tr("none")


def set_replication_lag(lab: Lab, seconds: float | None = None) -> float | None:
    """Set the engine's MREC replication lag to ``seconds`` (0 to 30); without ``seconds``, return it. (The other
    settings: ``dynalab.set_replication``.)"""
    if seconds is None:
        return replication_settings(_home(lab)).replication_lag_seconds
    set_replication(_home(lab), replication_lag_seconds=seconds)
    return None
