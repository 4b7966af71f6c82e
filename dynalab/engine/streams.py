"""Read a DynamoDB stream as the Kinesis Client Library does: shards in lineage order, checkpoints in a table.

* ``list_shards`` pages through DescribeStream; ``lineage_order`` puts every parent shard before its children
  (a child's records continue its parent's, so a child is read only once its parent is finished, Streams.html).
* ``CheckpointStore`` keeps one item per (consumer, stream, shard) in a DynamoDB table of its own, like the KCL's
  lease table: the last sequence number applied, and whether the shard ended. A reader restarted in another
  process resumes from it with AFTER_SEQUENCE_NUMBER.
* ``StreamProjector`` reads every shard, hands each batch of records to a *projection* (``dynalab.lessons.projections``)
  and commits the projection's writes **and** the new checkpoint in one TransactWriteItems. The checkpoint update
  carries the condition ``checkpoint < first sequence number of the batch`` (numbers compared as numbers), so a
  record at or below the checkpoint can never be applied twice: a crash between "apply" and "checkpoint" cannot
  happen (they are one write), and a replay of old records is cancelled by the engine. Delivery stays at least
  once; the *effect* is exactly once.
* **Leases**, as the KCL keeps them: beside each checkpoint, the shard's lease (``lease_owner``, ``lease_counter``,
  ``lease_expires_at``), taken and renewed with conditional writes (on the counter read), so readers of one
  consumer in any process agree. A reader reads a shard only while it holds its lease; a second reader of the
  same consumer skips the shard and says so ("shard X is read by reader Y; waiting"), and takes the lease over
  once it expired or its holder is gone (a process that no longer exists on this machine, a projector that
  crashed). The checkpoint condition stays in the commit: it is what keeps the effect exactly once when a lease
  is lost in the middle of a batch.
* **Its source gone**: a reader checks that its table still has the stream it reads (``SourceWatch``, one
  DescribeTable at most every ``SOURCE_CHECK_SECONDS``); a table deleted, or deleted and made again (a new stream),
  stops it with ``SourceTableChangedError`` saying so (a deleted table's stream is only DISABLED, readable for 24 h
  and then gone: [src:deletetable-stream-disabled]), never "running" over a dead stream. Checkpoints are kept per
  stream ARN; a new projector drops, with a note, those of a stream older than its table (a table made again).
* ``start()`` runs the projector in a background thread (a notebook stays interactive); ``stop()`` stops it
  cleanly after the batch in hand. ``run_once()`` is the synchronous step tests and notebooks call before printing.

``exactly_once=False`` gives the naive reader (apply with plain writes, then save the checkpoint): the lesson
crashes it between the two to show a vote counted twice.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine import Lab
from dynalab.engine.background import BackgroundPoller
from dynalab.engine.tables import BatchWriteError, batch_write, ensure_table, query_pages, wait_until_active
from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.models.quotas import (
    GET_RECORDS_MAX_RECORDS,
    MAX_ITEM_SIZE_BYTES,
    TRANSACTION_MAX_ACTIONS,
    TRANSACTION_MAX_BYTES,
)

__all__ = [
    "BadRecordError",
    "CheckpointStore",
    "InjectedCrash",
    "Lease",
    "ShardLeases",
    "ShardReader",
    "SourceTableChangedError",
    "SourceWatch",
    "StaleCheckpointError",
    "StreamNotEnabledError",
    "StreamProjector",
    "enable_stream",
    "describe_existing_table",
    "engine_answers",
    "lineage_order",
    "list_shards",
    "refuse_writing_into_source",
    "runner_state",
    "stream_arn",
]

#: GetRecords returns at most 1,000 records a call (API_streams_GetRecords.html).
GET_RECORDS_MAX = GET_RECORDS_MAX_RECORDS


_log = logging.getLogger("dynalab.streams")

#: How long a lease lasts without renewal: the KCL's failoverTimeMillis default, 10 s (kcl-worker docs).
LEASE_SECONDS = 10.0
#: The longest pause between two polls a background reader may ask for (an hour; Lambda polls 4 times a second).
POLL_SECONDS_MAX = 3600.0
#: The shortest (dynalab's bound: 100 polls a second; 1e-9 s made an idle reader spin on GetRecords)
POLL_SECONDS_MIN = 0.01
#: The longest lease a reader may ask for (an hour: past that, a dead reader's shards wait too long).
LEASE_SECONDS_MAX = 3600.0
#: How often a stream reader checks that its source table still has the stream it reads (one DescribeTable).
SOURCE_CHECK_SECONDS = 0.2

_HOST = socket.gethostname()
_live_owners: set[str] = set()  # lease owners of this process that have not died (crashed or been stopped)
_live_lock = threading.Lock()


def new_lease_owner(name: str = "reader") -> str:
    """A lease owner name unique across processes: ``<name>@<host>/<pid>/<token>``. It stays live in this
    process until ``end_lease_owner`` (a crash, a stop)."""
    owner = f"{name}@{_HOST}/{os.getpid()}/{uuid.uuid4().hex[:6]}"
    with _live_lock:
        _live_owners.add(owner)
    return owner


def end_lease_owner(owner: str) -> None:
    """The owner is gone (its reader crashed or was dropped): its leases may be taken over at once."""
    with _live_lock:
        _live_owners.discard(owner)


def lease_owner_gone(owner: str) -> bool:
    """True when ``owner`` surely no longer runs: a process of this machine that no longer exists, or a reader of
    this process that ended. On another machine nobody can tell: its lease must expire."""
    try:
        rest = owner.rsplit("@", 1)[1]
        host, pid_text, _ = rest.split("/")
        pid = int(pid_text)
    except (IndexError, ValueError):
        return False
    if host != _HOST:
        return False
    if pid == os.getpid():
        with _live_lock:
            return owner not in _live_owners
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def short_owner(owner: str) -> str:
    """The owner name without its host (for a readout)."""
    name, _, rest = owner.partition("@")
    parts = rest.split("/")
    return f"{name} (pid {parts[1]}, {parts[2]})" if len(parts) == 3 else owner


@dataclass
class Lease:
    """The answer of ``CheckpointStore.take_lease``: ``held`` by the asker or not; ``owner``: who holds it when
    not; ``took_over_from`` / ``reason``: the previous holder when the asker took it over ("expired", "gone")."""

    shard_id: str
    held: bool
    owner: str | None = None
    took_over_from: str | None = None
    reason: str = ""
    counter: int = 0
    checkpoint: int | None = None

    def describe(self) -> str:
        if not self.held:
            return tr("shard {shard} is read by reader {owner}; waiting", shard=self.shard_id,
                      owner=short_owner(self.owner or '?'))
        if self.took_over_from:
            if self.reason == "expired":
                return tr("took over shard {shard} from {owner}, whose lease expired", shard=self.shard_id,
                          owner=short_owner(self.took_over_from))
            return tr("took over shard {shard} from {owner}, which is gone", shard=self.shard_id,
                      owner=short_owner(self.took_over_from))
        return tr("holds shard {shard}", shard=self.shard_id)


class ShardLeases:
    """The leases one reader holds on one stream for one consumer (the projector's and the event source mapping's
    one mechanism): ``hold(shard_id)`` takes or renews a shard's lease (a write only at half time), records who
    it waits for (``waiting``) and what it said (``events``, also logged on "dynalab.streams")."""

    def __init__(self, store: CheckpointStore, consumer: str, arn: str, reader_name: str,
                 lease_seconds: float) -> None:
        self.store, self.consumer, self.stream_arn = store, consumer, arn
        self.reader_name = reader_name
        self.lease_seconds = lease_seconds
        self.waiting: dict[str, str] = {}
        self.held: dict[str, float] = {}  # shard id -> when to renew (time.monotonic())
        self.events: list[str] = []
        self.waits = 0
        self.takeovers = 0
        self.owner = self._new_owner()

    def _new_owner(self) -> str:
        owner = new_lease_owner(self.reader_name)
        weakref.finalize(self, end_lease_owner, owner)  # a reader dropped unstopped is gone: nobody waits for it
        return owner

    def note(self, text: str) -> None:
        _log.info("%s, %s: %s", self.consumer, short_owner(self.owner), text)
        self.events = (self.events + [text])[-50:]

    def hold(self, shard_id: str) -> Lease:
        """Take or renew the shard's lease (``held`` False: another reader has it: wait)."""
        renew_at = self.held.get(shard_id)
        if renew_at is not None and time.monotonic() < renew_at:
            return Lease(shard_id, True, self.owner)
        lease = self.store.take_lease(self.consumer, self.stream_arn, shard_id, self.owner, self.lease_seconds)
        if not lease.held:
            self.held.pop(shard_id, None)
            self.waits += 1
            if self.waiting.get(shard_id) != lease.owner:
                self.note(lease.describe())
            self.waiting[shard_id] = lease.owner or "?"
            return lease
        self.waiting.pop(shard_id, None)
        if lease.took_over_from:
            self.takeovers += 1
            self.note(lease.describe())
        self.held[shard_id] = time.monotonic() + self.lease_seconds / 2
        return lease

    def release_all(self, quietly: bool = False) -> None:
        """Give back every lease held (``quietly``: an engine that is gone holds none to give back)."""
        for shard_id in list(self.held):
            try:
                self.store.release_lease(self.consumer, self.stream_arn, shard_id, self.owner)
            except Exception:  # noqa: BLE001
                if not quietly:
                    raise
            self.held.pop(shard_id, None)

    def die(self) -> None:
        """The reader crashed: its owner is gone (others take over at once); run again, it is a new reader."""
        self.held.clear()
        end_lease_owner(self.owner)
        self.owner = self._new_owner()

    def status(self) -> str:
        parts = [tr("holds {count} shard lease(s)", count=len(self.held))] if self.held else []
        parts += [tr("shard {shard} is read by reader {owner}; waiting", shard=shard_id, owner=short_owner(owner))
                  for shard_id, owner in sorted(self.waiting.items())]
        return "; ".join(parts) if parts else tr("holds no lease")


def engine_answers(lab: Lab) -> bool:
    """Whether the lab's engine answers now (an embedded engine's process alive and serving HTTP; AWS: assumed).
    A background reader's readout says "running" only when its thread is alive *and* this holds."""
    if lab.is_aws or not lab.endpoint_url:
        return True
    from dynalab.engine import _answers, embedded_engine

    engine = embedded_engine() if lab.embedded else None
    if engine is not None and engine.endpoint_url == lab.endpoint_url and not engine.is_alive():
        return False
    return _answers(lab.endpoint_url, timeout_seconds=1.0)


def runner_state(lab: Lab, thread_alive: bool, error: BaseException | None) -> str:
    """One readout phrase for a background runner: "running", "idle", "stopped (its error)" or "running, but
    the engine is not answering" (its thread is alive; every call it makes fails)."""
    if error is not None:
        text = str(error).splitlines()[0] if str(error) else ""
        if text:
            return tr("stopped ({kind}: {text})", kind=type(error).__name__, text=text[:160])
        return tr("stopped ({kind})", kind=type(error).__name__)
    if thread_alive:
        if not engine_answers(lab):
            return tr("stalled: the engine at {url} is not answering (busy or stopped? dynalab.connect() waits "
                      "for it, and starts a new one only if it has exited)", url=lab.endpoint_url)
        return tr("running")
    return tr("idle")


class StreamNotEnabledError(ValueError):
    """The table has no stream (or one whose view type the projection cannot use)."""


class StaleCheckpointError(RuntimeError):
    """Checkpoints exist for a stream the table no longer has: records written in between were never read."""


class SourceTableChangedError(RuntimeError):
    """The table a reader's stream belongs to was deleted, or deleted and made again (its stream is a new one)."""


class BadRecordError(ValueError):
    """A stream record the projection cannot interpret. Nothing of it (or after it) was applied."""


class _CommitRefused(Exception):
    """The target table refused the commit (a ValidationException: a key too long, an item too large...)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


#: Codes by which a table refuses a write for what the write holds (not for contention or the engine's state).
_REFUSED_CODES = ("ValidationException", "ItemCollectionSizeLimitExceededException")
#: A dead letter keeps the whole record only while its item stays this small (the rest of the 400 KB item holds
#: the keys); a larger record is kept without its images.
DEAD_LETTER_RECORD_MAX_BYTES = MAX_ITEM_SIZE_BYTES - 8 * 1024
#: The share of a transaction's 4 MB a commit fills at most: sizes here are estimated from the JSON text.
_TRANSACTION_BYTES_BUDGET = TRANSACTION_MAX_BYTES * 3 // 4


def _refusal(error: ClientError) -> str | None:
    """The message of a write refused for what it holds, else None (the error is something else)."""
    code = error.response.get("Error", {}).get("Code", "")
    if code in _REFUSED_CODES:
        return f"{code}: {error.response['Error'].get('Message', '')}"
    if code == "TransactionCanceledException":
        reasons = error.response.get("CancellationReasons") or []
        refused = [r for r in reasons if r.get("Code") in _REFUSED_CODES]
        if refused:
            return f"{refused[0]['Code']}: {refused[0].get('Message', '')}"
    return None


def _json_size(value: Any) -> int:
    return len(json.dumps(value, default=str).encode())


class _CommitCancelled(Exception):
    """The checkpoint condition failed: another reader (or a replay) got there first. Re-read the checkpoint."""


class InjectedCrash(RuntimeError):
    """Raised by a fault hook to simulate the projector process dying at that point (tests, the lesson)."""


# ---------------------------------------------------------------------------------------------------- stream
def stream_arn(lab: Lab, table_name: str) -> str:
    """The table's current stream ARN, or StreamNotEnabledError saying how to turn the stream on."""
    try:
        table = lab.client.describe_table(TableName=table_name)["Table"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "ResourceNotFoundException":
            raise StreamNotEnabledError(tr("table {table!r} does not exist, so it has no stream",
                                           table=table_name)) from None
        raise
    spec = table.get("StreamSpecification") or {}
    arn = table.get("LatestStreamArn")
    if not spec.get("StreamEnabled") or not arn:
        raise StreamNotEnabledError(tr(
            "table {table!r} has no stream enabled. Turn it on with "
            "dynalab.enable_stream(lab, {table!r}) (UpdateTable StreamSpecification "
            "StreamViewType=NEW_AND_OLD_IMAGES); only changes made after that are captured.", table=table_name))
    return arn


def stream_created_before(arn: str, table: dict) -> bool:
    """Whether a stream (by its ARN's label, the time it was made) is older than the table described: the stream of
    an earlier table of that name, deleted since. Compared to the millisecond, as DynamoDB gives CreationDateTime."""
    label = arn.rsplit("/stream/", 1)[-1] if "/stream/" in arn else ""
    created = table.get("CreationDateTime")
    try:
        made = datetime.fromisoformat(label)
    except ValueError:
        return False
    if not isinstance(created, datetime):
        return False
    made = made if made.tzinfo else made.replace(tzinfo=UTC)
    return int(made.timestamp() * 1000) < int(created.timestamp() * 1000)


class SourceWatch:
    """A reader's check that its source table still has the stream it reads: ``check()`` (at most every
    ``every_seconds``, or at once with ``force``) raises ``SourceTableChangedError`` once the table is gone or
    streams to another ARN, naming ``reader`` ("the projector", "the event source mapping")."""

    def __init__(self, lab: Lab, table_name: str, arn: str, reader: str,
                 every_seconds: float = SOURCE_CHECK_SECONDS) -> None:
        self.lab, self.table_name, self.arn, self.reader = lab, table_name, arn, reader
        self.every_seconds = every_seconds
        self._checked_at = -float("inf")

    def check(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._checked_at < self.every_seconds:
            return
        self._checked_at = now
        try:
            table = self.lab.client.describe_table(TableName=self.table_name)["Table"]
        except ClientError as error:
            if error.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
            raise SourceTableChangedError(tr(
                "{reader} stopped: its source table {table!r} was deleted, and the stream it read ({arn}) with it. "
                "Once the table exists again, start a new one: it reads the new table's stream.",
                reader=self.reader, table=self.table_name, arn=self.arn)) from None
        latest = table.get("LatestStreamArn")
        if latest != self.arn:
            raise SourceTableChangedError(tr(
                "{reader} stopped: its source table {table!r} was deleted and made again (or its stream turned off "
                "and on): it now streams to {latest}, not to {arn}, the stream this one read. Start a new one: it "
                "reads the new stream.", reader=self.reader, table=self.table_name, latest=latest or "-",
                arn=self.arn))

    def on_error(self, error: ClientError) -> None:
        """After a ResourceNotFoundException from the stream: say why, if the source is the reason."""
        if error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            self.check(force=True)


def describe_existing_table(lab: Lab, table_name: Any, parameter: str = "table_name") -> dict:
    """The table's description, or a ValueError naming the parameter when the name breaks DynamoDB's rule or no
    such table exists on this endpoint (instead of a ResourceNotFoundException from deep in boto3)."""
    checks.table_name(parameter, table_name)
    try:
        return lab.client.describe_table(TableName=table_name)["Table"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "ResourceNotFoundException":
            raise ValueError(tr("{parameter}: no table {table!r} exists on this endpoint ({url}); create it first",
                                parameter=parameter, table=table_name, url=lab.endpoint_url or 'AWS')) from None
        raise


def stream_view_type(lab: Lab, table_name: str) -> str:
    table = lab.client.describe_table(TableName=table_name)["Table"]
    return (table.get("StreamSpecification") or {}).get("StreamViewType", "")


def enable_stream(lab: Lab, table_name: str, view_type: str = "NEW_AND_OLD_IMAGES") -> str:
    """Turn the table's stream on (UpdateTable) and return its ARN. Changes made before this are not in it. A
    stream already on with this view type is kept (its ARN returned); with another one, a clear error. The view
    type says what each record carries [src:stream-view-types]."""
    view_type = checks.choice("view_type", view_type, ("NEW_AND_OLD_IMAGES", "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY"))
    spec = describe_existing_table(lab, table_name).get("StreamSpecification") or {}
    if spec.get("StreamEnabled"):
        if spec.get("StreamViewType") == view_type:
            return stream_arn(lab, table_name)
        raise ValueError(tr("table {table!r} already streams {current} records; a stream's "
                            "view type cannot be changed to {view_type}: disable the stream first "
                            "(UpdateTable StreamEnabled=False), then enable it again",
                            table=table_name, current=spec.get('StreamViewType'), view_type=view_type))
    lab.client.update_table(TableName=table_name,
                            StreamSpecification={"StreamEnabled": True, "StreamViewType": view_type})
    wait_until_active(lab, table_name)
    return stream_arn(lab, table_name)


def refuse_writing_into_source(lab: Lab, source_table: str, target_tables: Iterable[str], what: str) -> None:
    """Refuse at once a projection that would write into the table whose stream it reads.

    Each of its writes would come back on the stream as a new record and be written again, without end (measured:
    5 items became 960 writes in 6 s). Called before anything is created, reset or deleted."""
    def full(name: str) -> str:
        try:
            return lab.table_name(name)
        except ValueError:
            return str(name)

    clash = sorted({str(t) for t in target_tables if full(t) == full(source_table)})
    if clash:
        raise ValueError(tr(
            "{what}: the target table {target!r} is the table it reads (source_table {source!r}). "
            "Every write into it would come back on its stream and be written again, without end. "
            "Choose a target table other than the source.", what=what, target=clash[0], source=source_table))


def list_shards(lab: Lab, arn: str) -> list[dict]:
    """Every shard of the stream (DescribeStream, paged with ExclusiveStartShardId)."""
    shards: list[dict] = []
    args: dict[str, Any] = {"StreamArn": arn}
    while True:
        description = lab.streams.describe_stream(**args)["StreamDescription"]
        shards.extend(description.get("Shards", []))
        last = description.get("LastEvaluatedShardId")
        if not last:
            return shards
        args["ExclusiveStartShardId"] = last


def lineage_order(shards: Iterable[dict]) -> list[dict]:
    """Shards ordered so each parent comes before its children (a parent no longer listed counts as done)."""
    shards = list(shards)
    by_id = {shard["ShardId"]: shard for shard in shards}
    ordered: list[dict] = []
    placed: set[str] = set()

    def place(shard: dict, path: tuple[str, ...] = ()) -> None:
        shard_id = shard["ShardId"]
        if shard_id in placed:
            return
        if shard_id in path:
            raise ValueError(tr("shard lineage has a cycle through {shard}", shard=shard_id))
        parent = by_id.get(shard.get("ParentShardId", ""))
        if parent is not None:
            place(parent, path + (shard_id,))
        placed.add(shard_id)
        ordered.append(shard)

    for shard in shards:
        place(shard)
    return ordered


class ShardReader:
    """One shard's records, page by page, as a reader that keeps its place: the one GetRecords loop.

    It starts after sequence number ``after`` (AFTER_SEQUENCE_NUMBER) or, without one, at ``start_at``
    (TRIM_HORIZON or LATEST). ``read()`` returns the page at the current place (GetRecords, at most ``limit``
    records) and reads it again until ``advance()`` moves past it, so a page whose records were not applied is
    read again. An iterator that expired (15 minutes, ExpiredIteratorException) is fetched again from the last
    place advanced past. ``ended`` turns true once a page that closed the shard is advanced past.
    """

    def __init__(self, lab: Lab, arn: str, shard_id: str, *, after: int | None = None,
                 start_at: str = "TRIM_HORIZON", limit: int = GET_RECORDS_MAX) -> None:
        self.lab = lab
        self.stream_arn = arn
        self.shard_id = shard_id
        self.after = after
        self.start_at = start_at
        self.limit = limit
        self.calls = 0  # GetRecords calls answered
        self.ended = False
        self.page_ends_shard = False  # the page last read was the shard's last (NextShardIterator absent)
        self._iterator: str | None = None
        self._next: str | None = None
        self._page: list[dict] = []

    def _fetch_iterator(self) -> str:
        args = {"StreamArn": self.stream_arn, "ShardId": self.shard_id}
        if self.after is not None:
            args.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=str(self.after))
        else:
            args["ShardIteratorType"] = self.start_at
        return self.lab.streams.get_shard_iterator(**args)["ShardIterator"]

    def open(self) -> None:
        """Take the place now (an iterator), without reading: LATEST then means "after this moment"."""
        if self._iterator is None and not self.ended:
            self._iterator = self._fetch_iterator()

    def read(self) -> list[dict]:
        """The records at the current place (an empty list: nothing new yet, or the shard is done)."""
        if self.ended:
            return []
        for _ in range(2):
            if self._iterator is None:
                self._iterator = self._fetch_iterator()
            try:
                page = self.lab.streams.get_records(ShardIterator=self._iterator, Limit=self.limit)
            except ClientError as error:
                if error.response["Error"]["Code"] != "ExpiredIteratorException":
                    raise
                self._iterator = None  # 15 minutes passed: ask again from the place last advanced past
                continue
            self.calls += 1
            self._page = page.get("Records", [])
            self._next = page.get("NextShardIterator")
            self.page_ends_shard = self._next is None
            return self._page
        raise RuntimeError(tr("shard {shard}: a fresh shard iterator expired at once", shard=self.shard_id))

    def advance(self) -> None:
        """Move past the page last read."""
        if self._page:
            self.after = sequence_number(self._page[-1])
        self._iterator, self._page = self._next, []
        self.ended = self.page_ends_shard

    def pages(self) -> Iterator[list[dict]]:
        """Every page from the current place until one comes back empty or the shard ends."""
        while not self.ended:
            records = self.read()
            if not records:
                return
            yield records
            self.advance()


# ----------------------------------------------------------------------------------------------- checkpoints
@dataclass
class Checkpoint:
    """Where a consumer is in one shard: the last sequence number applied (None: nothing yet)."""

    stream_arn: str
    shard_id: str
    sequence_number: int | None = None
    shard_end: bool = False


class CheckpointStore:
    """One item per (consumer, stream, shard) in a table of its own: ``consumer`` (partition key) and
    ``lease_key`` = ``<stream ARN>|<shard id>`` (sort key), as the KCL keeps a lease per shard."""

    def __init__(self, lab: Lab, table_name: str | None = None) -> None:
        self.lab = lab
        self.table_name = table_name or lab.table_name("stream_checkpoints")
        self._ensure_table()

    def _ensure_table(self) -> None:
        ensure_table(self.lab, self.table_name, ("consumer", "S"), ("lease_key", "S"))

    @staticmethod
    def lease_key(arn: str, shard_id: str) -> str:
        return f"{arn}|{shard_id}"

    def _items(self, consumer: str, consistent: bool = True) -> Iterator[dict]:
        """Every item kept under ``consumer`` (a Query, followed page by page)."""
        for page in query_pages(self.lab, self.table_name, ConsistentRead=consistent,
                                KeyConditionExpression="consumer = :c",
                                ExpressionAttributeValues={":c": {"S": consumer}}):
            yield from page["Items"]

    def all(self, consumer: str) -> list[Checkpoint]:
        """Every checkpoint of a consumer, on any stream (strongly consistent Query)."""
        found: list[Checkpoint] = []
        for item in self._items(consumer):
            arn, shard_id = item["lease_key"]["S"].rsplit("|", 1)
            number = item.get("checkpoint", {}).get("N")
            found.append(Checkpoint(arn, shard_id, int(number) if number is not None else None,
                                    item.get("shard_end", {}).get("BOOL", False)))
        return found

    def load(self, consumer: str, arn: str) -> dict[str, Checkpoint]:
        return {c.shard_id: c for c in self.all(consumer) if c.stream_arn == arn}

    def advance_action(self, consumer: str, arn: str, shard_id: str, first: int, last: int,
                       shard_end: bool = False) -> dict:
        """The TransactWriteItems Update that moves the checkpoint to ``last``, only if it is below ``first``."""
        return {"Update": {
            "TableName": self.table_name,
            "Key": {"consumer": {"S": consumer}, "lease_key": {"S": self.lease_key(arn, shard_id)}},
            "UpdateExpression": "SET #cp = :last, shard_end = :end",
            "ConditionExpression": "attribute_not_exists(#cp) OR #cp < :first",
            "ExpressionAttributeNames": {"#cp": "checkpoint"},
            "ExpressionAttributeValues": {":last": {"N": str(last)}, ":first": {"N": str(first)},
                                          ":end": {"BOOL": shard_end}},
        }}

    def save(self, consumer: str, arn: str, shard_id: str, last: int, shard_end: bool = False) -> None:
        """Unconditional save (the naive reader's separate checkpoint write); the lease beside it is kept."""
        self.lab.client.update_item(
            TableName=self.table_name, Key=self._key(consumer, arn, shard_id),
            UpdateExpression="SET #cp = :last, shard_end = :end", ExpressionAttributeNames={"#cp": "checkpoint"},
            ExpressionAttributeValues={":last": {"N": str(last)}, ":end": {"BOOL": shard_end}})

    def _key(self, consumer: str, arn: str, shard_id: str) -> dict:
        return {"consumer": {"S": consumer}, "lease_key": {"S": self.lease_key(arn, shard_id)}}

    # -- leases ---------------------------------------------------------------------------------------------
    def take_lease(self, consumer: str, arn: str, shard_id: str, owner: str,
                   lease_seconds: float = LEASE_SECONDS) -> Lease:
        """Take, renew or take over the shard's lease for ``owner``, or say who holds it.

        One conditional write when the lease is free, the asker's or expired (``lease_expires_at`` past); else a
        strongly consistent read, and a takeover only if the holder is gone, written only if the lease's counter is
        still the one read (as the KCL does), so of two readers taking one lease, one wins."""
        key = self._key(consumer, arn, shard_id)
        now = time.time()
        values = {":me": {"S": owner}, ":exp": {"N": f"{now + lease_seconds:.3f}"}, ":one": {"N": "1"},
                  ":now": {"N": f"{now:.3f}"}}
        update = "SET lease_owner = :me, lease_expires_at = :exp ADD lease_counter :one"
        # The usual case in one conditional write (no read first): the lease is free, ours, or expired.
        try:
            old = self.lab.client.update_item(
                TableName=self.table_name, Key=key, UpdateExpression=update, ExpressionAttributeValues=values,
                ConditionExpression="attribute_not_exists(lease_owner) OR lease_owner = :me OR lease_expires_at < :now",
                ReturnValues="ALL_OLD").get("Attributes", {})
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        else:
            holder = old.get("lease_owner", {}).get("S")
            taken_from = holder if holder and holder != owner else None
            return Lease(shard_id, True, owner, taken_from, "expired" if taken_from else "",
                         int(old.get("lease_counter", {}).get("N", "0")) + 1,
                         int(old["checkpoint"]["N"]) if "checkpoint" in old else None)
        # Another reader holds a live lease: read it; take it over only if that reader is gone, and only if the
        # lease is still the one read (its counter), so of two readers taking it over, one wins.
        item = self.lab.client.get_item(TableName=self.table_name, Key=key, ConsistentRead=True).get("Item", {})
        holder = item.get("lease_owner", {}).get("S")
        counter = int(item["lease_counter"]["N"]) if "lease_counter" in item else 0
        checkpoint = int(item["checkpoint"]["N"]) if "checkpoint" in item else None
        if not holder or not lease_owner_gone(holder):
            return Lease(shard_id, False, holder or tr("another reader"), counter=counter, checkpoint=checkpoint)
        values = {k: v for k, v in values.items() if k != ":now"}
        values[":counter"] = {"N": str(counter)}
        try:
            self.lab.client.update_item(TableName=self.table_name, Key=key, UpdateExpression=update,
                                        ConditionExpression="lease_counter = :counter",
                                        ExpressionAttributeValues=values)
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return Lease(shard_id, False, tr("another reader"), checkpoint=checkpoint)
        return Lease(shard_id, True, owner, holder, "gone", counter + 1, checkpoint)

    def release_lease(self, consumer: str, arn: str, shard_id: str, owner: str) -> bool:
        """Give the lease up (only if ``owner`` still holds it): another reader may take it at once."""
        try:
            self.lab.client.update_item(
                TableName=self.table_name, Key=self._key(consumer, arn, shard_id),
                UpdateExpression="SET lease_expires_at = :zero REMOVE lease_owner",
                ConditionExpression="lease_owner = :me",
                ExpressionAttributeValues={":me": {"S": owner}, ":zero": {"N": "0"}})
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return False
        return True

    def lease_owners(self, consumer: str, arn: str) -> dict[str, str]:
        """Who holds each shard's lease now (shard id -> owner; expired leases left out)."""
        now = time.time()
        found = {}
        for item in self._items(consumer):
            item_arn, shard_id = item["lease_key"]["S"].rsplit("|", 1)
            owner = item.get("lease_owner", {}).get("S")
            if item_arn == arn and owner and float(item.get("lease_expires_at", {}).get("N", "0")) >= now:
                found[shard_id] = owner
        return found

    def delete(self, consumer: str, arn: str | None = None) -> int:
        """Forget a consumer's checkpoints (on one stream, or all, and then its dead letters too); return how
        many checkpoints."""
        if arn is None:
            for item in list(self._items(self._dead_letter_consumer(consumer), consistent=False)):
                self.lab.client.delete_item(TableName=self.table_name,
                                            Key={"consumer": item["consumer"], "lease_key": item["lease_key"]})
        gone = 0
        for checkpoint in self.all(consumer):
            if arn is None or checkpoint.stream_arn == arn:
                self.lab.client.delete_item(TableName=self.table_name, Key={
                    "consumer": {"S": consumer},
                    "lease_key": {"S": self.lease_key(checkpoint.stream_arn, checkpoint.shard_id)}})
                gone += 1
        return gone

    # Dead letters (records set aside by on_bad_record="dead_letter") live beside the checkpoints, under the
    # consumer "<consumer>#dead-letter", one item per record.
    @staticmethod
    def _dead_letter_consumer(consumer: str) -> str:
        return f"{consumer}#dead-letter"

    def dead_letter_action(self, consumer: str, arn: str, record: dict, reason: str = "") -> dict:
        """The TransactWriteItems Put that sets a record aside (committed with the batch it was read in). A record
        too large for one item (400 KB) is kept without its images, with its size."""
        text = json.dumps(record, default=str)
        if len(text.encode()) > DEAD_LETTER_RECORD_MAX_BYTES:
            body = record.get("dynamodb", {}) if isinstance(record, dict) else {}
            text = json.dumps({"eventName": record.get("eventName") if isinstance(record, dict) else None,
                               "dynamodb": {"Keys": body.get("Keys"), "SequenceNumber": body.get("SequenceNumber")},
                               "images_left_out_bytes": len(text.encode())}, default=str)[:DEAD_LETTER_RECORD_MAX_BYTES]
        item = {"consumer": {"S": self._dead_letter_consumer(consumer)},
                "lease_key": {"S": f"{arn}|{record['dynamodb']['SequenceNumber']}"},
                "record": {"S": text}}
        if reason:
            item["reason"] = {"S": reason[:1000]}
        return {"Put": {"TableName": self.table_name, "Item": item}}

    def dead_letters(self, consumer: str) -> list[dict]:
        """The records set aside for a consumer (as JSON-decoded dicts)."""
        return [json.loads(item["record"]["S"])
                for item in self._items(self._dead_letter_consumer(consumer), consistent=False)]


# ------------------------------------------------------------------------------------------------- projector
def sequence_number(record: dict) -> int:
    return int(record["dynamodb"]["SequenceNumber"])


def _write_idempotent(lab: Lab, actions: list[dict]) -> None:
    """Put/Delete actions through the one batch writer (25 a call, UnprocessedItems resent with backoff)."""
    writes: list[tuple[str, dict]] = []
    for action in actions:
        (kind, args), = action.items()
        if kind == "Put":
            writes.append((args["TableName"], {"PutRequest": {"Item": args["Item"]}}))
        elif kind == "Delete":
            writes.append((args["TableName"], {"DeleteRequest": {"Key": args["Key"]}}))
        else:
            raise ValueError(tr("an idempotent projection writes with Put and Delete only, got {kind}", kind=kind))
    try:
        batch_write(lab, writes)
    except BatchWriteError as error:
        raise BatchWriteError(tr("{error} The checkpoint was not advanced, so these records will be applied again.",
                                 error=error),
                              items_written=error.items_written, failed_index=error.failed_index,
                              reason=error.reason, unwritten=error.unwritten) from None


class Batch:
    """The writes a run of records adds up to: one pending value per target item, merged by the projection."""

    def __init__(self, projection: Any) -> None:
        self.projection = projection
        self.pending: dict[Any, Any] = {}

    def count_with(self, effects: list[tuple[Any, Any]]) -> int:
        """How many target items the batch would touch with these effects added (an upper bound on actions)."""
        return len(self.pending.keys() | {key for key, _ in effects})

    def add(self, effects: list[tuple[Any, Any]]) -> None:
        for key, value in effects:
            self.pending[key] = self.projection.merge(self.pending[key], value) if key in self.pending else value

    def actions(self) -> list[dict]:
        """TransactWriteItems actions, one per target item that changes."""
        found = (self.projection.action(key, value) for key, value in self.pending.items())
        return [action for action in found if action is not None]


@dataclass
class ProjectorStats:
    """What a projector did since it was made (the lesson and the benchmark print these)."""

    records_applied: int = 0
    records_skipped: int = 0  # at or below the checkpoint: delivered again, applied once
    commits: int = 0
    cancelled_commits: int = 0
    get_records_calls: int = 0
    dead_letters: int = 0
    isolated_commits: int = 0  # commits the target refused, retried record by record to find the bad one
    crashes: list[str] = field(default_factory=list)
    lease_waits: int = 0  # passes that skipped a shard another reader of the consumer holds
    lease_takeovers: int = 0  # leases taken over from a reader whose lease expired or that is gone
    lease_events: list[str] = field(default_factory=list)  # what the reader said about leases (the last 50)


class StreamProjector(BackgroundPoller):
    """Keep a projection of ``source_table`` up to date from its stream, exactly once in effect.

    ``projection`` (see ``dynalab.lessons.projections``) turns records into writes. ``consumer`` names the checkpoints
    (a second projector with the same consumer, in any process, resumes them). ``start_at`` is where a shard
    without a checkpoint starts: TRIM_HORIZON (the oldest record kept, 24 h) or LATEST. ``on_bad_record``:
    "raise" (stop with BadRecordError, the record and everything after it unapplied) or "dead_letter" (store the
    record in the checkpoint table under ``<consumer>#dead-letter``, in the same transaction, and go on).

    Any number of projectors of one consumer may run, in any processes: a shard is read only by the one holding
    its lease (``lease_seconds``, renewed at half time; see the module's docstring); the others wait and say so
    (``waiting``, ``stats.lease_events``, the log "dynalab.streams"), and take over a lease that expired or whose
    holder is gone. A synchronous ``run_once`` gives its leases back at its end; a background run keeps them
    until ``stop()``. Should a lease be lost in the middle of a batch, the checkpoint condition still cancels
    the commit of records another reader applied.
    """

    def __init__(self, lab: Lab, source_table: str, projection: Any, *, consumer: str | None = None,
                 checkpoints: CheckpointStore | None = None, batch_size: int = GET_RECORDS_MAX,
                 start_at: str = "TRIM_HORIZON", exactly_once: bool = True, on_bad_record: str = "raise",
                 poll_seconds: float = 0.25, fault_hook: Callable[[str], None] | None = None,
                 on_commit: Callable[[list[dict]], None] | None = None,
                 lease_seconds: float = LEASE_SECONDS, reader_name: str = "projector") -> None:
        batch_size = checks.number("batch_size", batch_size, low=1, high=GET_RECORDS_MAX, integer=True,
                                   unit=tr("records a GetRecords call, its limit"))
        start_at = checks.choice("start_at", start_at, ("TRIM_HORIZON", "LATEST"))
        exactly_once = checks.flag("exactly_once", exactly_once)
        on_bad_record = checks.choice("on_bad_record", on_bad_record, ("raise", "dead_letter"))
        poll_seconds = checks.number("poll_seconds", poll_seconds, low=POLL_SECONDS_MIN, high=POLL_SECONDS_MAX,
                                     unit="seconds")
        lease_seconds = checks.number("lease_seconds", lease_seconds, low=0, high=LEASE_SECONDS_MAX, low_open=True,
                                      unit="seconds")
        reader_name = checks.text("reader_name", reader_name, min_length=1, max_length=64,
                                  pattern=r"[A-Za-z0-9_.:\- ]+")
        for hook_name, hook in (("fault_hook", fault_hook), ("on_commit", on_commit)):
            if hook is not None and not callable(hook):
                raise checks.ParameterTypeError(tr("{name} must be a function or None; got {hook!r}", name=hook_name,
                                                   hook=hook))
        checks.table_name("source_table", source_table)
        for method in ("effects", "merge", "action", "rebuild"):
            if not callable(getattr(projection, method, None)):
                raise checks.ParameterTypeError(tr(
                    "projection must be a projection (with effects, merge, action and rebuild: see "
                    "dynalab.lessons.projections); got {projection!r}, which has no {method}()",
                    projection=projection, method=method))
        if consumer is not None:
            checks.text("consumer", consumer, min_length=1, max_length=1024)
        if checkpoints is not None:
            checks.instance("checkpoints", checkpoints, CheckpointStore, what=tr("a CheckpointStore or None"))
        # A projection names the tables it writes (``target_tables``): none may be the source (a write loop).
        refuse_writing_into_source(lab, source_table, getattr(projection, "target_tables", ()),
                                   f"{type(projection).__name__}")
        self.lab = lab
        self.source_table = source_table
        self.projection = projection
        self.stream_arn = stream_arn(lab, source_table)
        needed = getattr(projection, "required_view_type", None)
        if needed and (view_type := stream_view_type(lab, source_table)) not in needed:
            raise StreamNotEnabledError(tr(
                "table {table!r} streams {view_type} records; this projection "
                "needs {needed} (a stream's view type cannot be changed: disable and re-enable it)",
                table=source_table, view_type=view_type, needed=tr(" or ").join(needed)))
        self.consumer = consumer or f"{type(projection).__name__}:{source_table}"
        self.checkpoints = checkpoints or CheckpointStore(lab)
        self.batch_size = batch_size
        self.start_at = start_at
        self.exactly_once = exactly_once
        self.on_bad_record = on_bad_record
        self.poll_seconds = poll_seconds
        self.fault_hook = fault_hook
        self.on_commit = on_commit
        #: Projections whose writes are idempotent (a copy, the mail table) need no transaction (see _commit).
        self.idempotent = bool(getattr(projection, "idempotent", False)) and exactly_once
        self.stats = ProjectorStats()
        self.lease_seconds = lease_seconds
        self.leases = ShardLeases(self.checkpoints, self.consumer, self.stream_arn, reader_name, lease_seconds)
        self._readers: dict[str, ShardReader] = {}  # one per shard, kept between passes
        self._lock = threading.RLock()
        self._init_poller()
        self._crash_next: str | None = None
        self._stale_checked = False
        self.source = SourceWatch(lab, source_table, self.stream_arn, tr("the projector"))

    # -- leases (one mechanism: ShardLeases, shared with the event source mapping) ---------------------------
    @property
    def owner(self) -> str:
        return self.leases.owner

    @property
    def waiting(self) -> dict[str, str]:
        """Shards another reader of this consumer holds now (shard id -> its owner): this one waits for them."""
        return self.leases.waiting

    def _hold(self, shard_id: str) -> bool:
        lease = self.leases.hold(shard_id)
        if not lease.held or lease.took_over_from:
            self._readers.pop(shard_id, None)  # another reader moved on meanwhile: our place is stale
        self.stats.lease_waits, self.stats.lease_takeovers = self.leases.waits, self.leases.takeovers
        self.stats.lease_events = list(self.leases.events)
        return lease.held

    def release_leases(self) -> None:
        """Give back every lease this projector holds (another reader of the consumer may go on at once)."""
        self.leases.release_all()

    def _give_back(self) -> None:
        self.leases.release_all(quietly=True)

    def _die(self) -> None:
        """A crash: the process forgets what it held; its leases are free at once (its owner is gone)."""
        self._readers.clear()
        self.leases.die()

    def lease_status(self) -> str:
        """One line for a readout: how many shards this reader holds, and the ones it waits for."""
        return self.leases.status()

    # -- failure handling -------------------------------------------------------------------------------------
    def _check_stale(self) -> None:
        stale = sorted({c.stream_arn for c in self.checkpoints.all(self.consumer)} - {self.stream_arn})
        if stale and self._targets_made_with_source():
            # A stream older than the table is an earlier table's, deleted since; the targets were made afresh with
            # this table (a lesson's reset): nothing of it is missing, and nothing of the earlier one is in them.
            table = self.lab.client.describe_table(TableName=self.source_table)["Table"]
            for arn in [arn for arn in stale if stream_created_before(arn, table)]:
                self.checkpoints.delete(self.consumer, arn)
                stale.remove(arn)
                note = tr("dropped the checkpoints of {arn}, the stream of an earlier table {table!r} (deleted since): "
                          "this projector reads the new table's stream from its start", arn=arn,
                          table=self.source_table)
                self.stats.lease_events = (self.stats.lease_events + [note])[-50:]
                _log.warning("%s: %s", self.consumer, note)
        if stale:
            raise StaleCheckpointError(tr(
                "consumer {consumer!r} has checkpoints for stream(s) {stale}, which table "
                "{table!r} no longer has (its stream is now {arn}). Changes made between "
                "the two streams were never read, so the projection may be missing them. Recovery: stop the "
                "writers, then projector.rebuild() (recount from a Scan, drop the old checkpoints), or "
                "dynalab.engine.streams.CheckpointStore(lab).delete(consumer) to accept the gap.",
                consumer=self.consumer, stale=', '.join(stale), table=self.source_table, arn=self.stream_arn))

    def _targets_made_with_source(self) -> bool:
        """Whether every target table was created no earlier than the source table (reset together with it)."""
        def created_ms(table_name: str) -> int:
            created = self.lab.client.describe_table(TableName=table_name)["Table"].get("CreationDateTime")
            return int(created.timestamp() * 1000) if isinstance(created, datetime) else 0

        source = created_ms(self.source_table)
        return all(created_ms(target) >= source for target in getattr(self.projection, "target_tables", ()))

    def crash_next_commit(self, point: str = "after_commit") -> None:
        """Make the projector die at the next commit (the lesson's "crash" button). Points: "before_commit",
        "after_commit" (exactly once: applied and checkpointed, not yet acknowledged), "after_apply" (naive
        mode only: applied, checkpoint not saved)."""
        self._crash_next = point

    @property
    def crash_pending(self) -> str | None:
        """The point of a crash asked for by ``crash_next_commit`` that has not happened yet (None: none)."""
        return self._crash_next

    def _fault(self, point: str) -> None:
        if self._crash_next == point or (self._crash_next == "after_commit" and point == "after_apply"):
            self._crash_next = None
            self._die()  # a dead process forgets everything it held in memory
            self.stats.crashes.append(point)
            raise InjectedCrash(tr("projector crashed at {point}", point=point))
        if self.fault_hook is not None:
            try:
                self.fault_hook(point)
            except InjectedCrash:
                self._die()
                self.stats.crashes.append(point)
                raise

    # -- reading ----------------------------------------------------------------------------------------------
    def _reader(self, shard_id: str, after: int | None) -> ShardReader:
        if shard_id not in self._readers:
            self._readers[shard_id] = ShardReader(self.lab, self.stream_arn, shard_id, after=after,
                                                  start_at=self.start_at, limit=self.batch_size)
        return self._readers[shard_id]

    def _read(self, reader: ShardReader) -> list[dict]:
        calls = reader.calls
        try:
            return reader.read()
        except ClientError as error:
            if error.response["Error"]["Code"] == "TrimmedDataAccessException":
                raise StaleCheckpointError(tr(
                    "the checkpoint {after} of shard {shard} is older than the stream's "
                    "24-hour retention: records after it were trimmed before they were read. Recovery: "
                    "projector.rebuild() with the writers stopped.", after=reader.after,
                    shard=reader.shard_id)) from None
            raise
        finally:
            self.stats.get_records_calls += reader.calls - calls

    def run_once(self) -> int:
        """Apply every record available now, shard by shard in lineage order; return how many were applied."""
        with self._lock:
            try:
                return self._pass()
            finally:
                if not self.running and self.leases.held:
                    self._give_back()  # a synchronous step gives its leases back; a background run keeps them

    def _pass(self) -> int:
        try:
            return self._checked_pass()
        except ClientError as error:
            self.source.on_error(error)  # a stream gone with its table: say that, not ResourceNotFound
            raise

    def _checked_pass(self) -> int:
        self.source.check()
        if not self._stale_checked:
            self._check_stale()
            self._stale_checked = True
        before = self.stats.records_applied
        checkpoints = self.checkpoints.load(self.consumer, self.stream_arn)
        for shard in lineage_order(list_shards(self.lab, self.stream_arn)):
            shard_id = shard["ShardId"]
            parent = shard.get("ParentShardId")
            if parent and parent in checkpoints and not checkpoints[parent].shard_end:
                continue  # the parent is not finished: its child waits (lineage)
            checkpoint = checkpoints.get(shard_id)
            if checkpoint is not None and checkpoint.shard_end:
                self.waiting.pop(shard_id, None)
                continue
            if not self._hold(shard_id):
                continue  # another reader of this consumer holds the shard: wait (said in self.waiting)
            self._drain(shard, checkpoint, checkpoints)
        return self.stats.records_applied - before

    def _drain(self, shard: dict, checkpoint: Checkpoint | None, checkpoints: dict) -> None:
        shard_id = shard["ShardId"]
        last = checkpoint.sequence_number if checkpoint else None
        cancelled = 0
        while True:
            if not self._hold(shard_id):
                return  # the lease was lost (it expired, another reader took it): stop here
            reader = self._reader(shard_id, last)
            if reader.ended:
                return
            records = self._read(reader)
            shard_end = reader.page_ends_shard
            fresh = [r for r in records if last is None or sequence_number(r) > last]
            self.stats.records_skipped += len(records) - len(fresh)
            if fresh or (shard_end and records):
                try:
                    self._apply(shard_id, fresh, shard_end)
                except _CommitCancelled:
                    # Another reader moved the checkpoint: resume after *its* checkpoint, so records past it in
                    # this batch are applied (by us) rather than skipped.
                    cancelled += 1
                    time.sleep(min(0.05 * cancelled, 1.0))
                    checkpoint = self.checkpoints.load(self.consumer, self.stream_arn).get(shard_id)
                    last = checkpoint.sequence_number if checkpoint else None
                    if checkpoint is not None:
                        checkpoints[shard_id] = checkpoint
                    continue
                last = sequence_number(records[-1])
                checkpoint = Checkpoint(self.stream_arn, shard_id, last, shard_end)
                checkpoints[shard_id] = checkpoint
            reader.advance()
            if shard_end and not records and (checkpoint is None or not checkpoint.shard_end):
                # A closed shard with nothing (left) in it: mark it done so its children may start.
                number = last if last is not None else int(shard["SequenceNumberRange"]["StartingSequenceNumber"])
                self.checkpoints.save(self.consumer, self.stream_arn, shard_id, number, shard_end=True)
                checkpoints[shard_id] = Checkpoint(self.stream_arn, shard_id, number, True)
            if not records or shard_end:
                return

    # -- committing -------------------------------------------------------------------------------------------
    def _apply(self, shard_id: str, records: list[dict], shard_end: bool) -> int:
        """Commit records in chunks whose writes fit one transaction (100 actions and 4 MB, the checkpoint
        included); return how many were applied."""
        applied = 0
        chunk: list[dict] = []
        dead: list[dict] = []
        size = 0
        batch = Batch(self.projection)
        # A transaction holds at most TRANSACTION_MAX_ACTIONS actions, one of them the checkpoint (the "+ 1" below).
        limit = GET_RECORDS_MAX if self.idempotent else TRANSACTION_MAX_ACTIONS
        for record in records:
            bad = False
            try:
                effects = self.projection.effects(record)
            except BadRecordError as error:
                if self.on_bad_record == "raise":
                    if chunk:
                        applied += self._commit_or_isolate(shard_id, chunk, batch, dead, False)
                    self._readers.pop(shard_id, None)
                    raise BadRecordError(tr(
                        "{error} (table {table!r}, shard {shard}, sequence number "
                        "{sequence}). Nothing from this record on was applied; the checkpoint "
                        "stays before it. Fix the item, or use on_bad_record='dead_letter' to set such records "
                        "aside and go on.", error=error, table=self.source_table, shard=shard_id,
                        sequence=sequence_number(record))) from None
                effects, bad = [], True
            record_size = _json_size(record) if bad else _json_size(effects) + 200
            if chunk and (batch.count_with(effects) + len(dead) + bad + 1 > limit
                          or size + record_size > _TRANSACTION_BYTES_BUDGET):
                applied += self._commit_or_isolate(shard_id, chunk, batch, dead, False)
                chunk, dead, batch, size = [], [], Batch(self.projection), 0
            batch.add(effects)
            size += record_size
            if bad:
                dead.append(record)
            chunk.append(record)
        if chunk:
            applied += self._commit_or_isolate(shard_id, chunk, batch, dead, shard_end)
        return applied

    def _commit_or_isolate(self, shard_id: str, chunk: list[dict], batch: Batch, dead: list[dict],
                           shard_end: bool) -> int:
        """Commit; if the target table refuses it (a value too long for its key...), commit the records one by
        one, so only the record refused is a bad record: dead-lettered, or a BadRecordError (on_bad_record)."""
        try:
            return self._commit(shard_id, chunk, batch, dead, shard_end)
        except _CommitRefused as refused:
            if len(chunk) > 1:
                self.stats.isolated_commits += 1
                dead_ids = {id(r) for r in dead}
                applied = 0
                for number, record in enumerate(chunk):
                    single = Batch(self.projection)
                    if id(record) not in dead_ids:
                        single.add(self.projection.effects(record))
                    applied += self._commit_or_isolate(shard_id, [record], single,
                                                       [record] if id(record) in dead_ids else [],
                                                       shard_end and number == len(chunk) - 1)
                return applied
            record = chunk[0]
            where = tr("table {table!r}, shard {shard}, sequence number {sequence}", table=self.source_table,
                       shard=shard_id, sequence=sequence_number(record))
            if self.on_bad_record == "raise" or dead:
                self._readers.pop(shard_id, None)
                raise BadRecordError(tr(
                    "the target table refused this record's writes ({message}) ({where}). Nothing from "
                    "this record on was applied; the checkpoint stays before it, so every run stops here. "
                    "Recovery: run the projector with on_bad_record='dead_letter' (the record is set aside in the "
                    "checkpoint table, projector.dead_letters(), and the shard goes on), then fix the item at "
                    "the source (a partition key value holds at most 2,048 bytes, a sort key 1,024, an item "
                    "400 KB).", message=refused.message, where=where)) from None
            self._note_refused(refused.message, record)
            return self._commit(shard_id, [record], Batch(self.projection), [record], shard_end,
                                reason=refused.message)

    def _note_refused(self, message: str, record: dict) -> None:
        _log.warning("%s: record %s set aside: the target table refused it (%s)", self.consumer,
                     sequence_number(record), message)

    def _commit(self, shard_id: str, chunk: list[dict], batch: Batch, dead: list[dict], shard_end: bool,
                reason: str = "") -> int:
        first, last = sequence_number(chunk[0]), sequence_number(chunk[-1])
        dead_ids = {id(r) for r in dead}
        good = [r for r in chunk if id(r) not in dead_ids]
        self._fault("before_commit")
        actions = batch.actions() + [self.checkpoints.dead_letter_action(self.consumer, self.stream_arn, r, reason)
                                     for r in dead]
        if self.exactly_once and not self.idempotent:
            actions.append(self.checkpoints.advance_action(self.consumer, self.stream_arn, shard_id, first, last,
                                                           shard_end))
            try:
                self.lab.client.transact_write_items(TransactItems=actions)
            except ClientError as error:
                refused = _refusal(error)
                if refused is not None:
                    raise _CommitRefused(refused) from None
                if error.response["Error"]["Code"] != "TransactionCanceledException":
                    raise
                # The stored checkpoint is at or past `first`: these records were already applied (a replay,
                # another projector). Apply none of them twice; the caller re-reads from the stored checkpoint.
                self.stats.cancelled_commits += 1
                self._readers.pop(shard_id, None)
                raise _CommitCancelled() from None
            self._fault("after_commit")
        elif self.idempotent:
            # Writing an item's latest image again leaves the same table: apply with BatchWriteItem (1 WCU an
            # item, no transaction), then save the checkpoint. A crash in between replays an ordered suffix of the
            # stream, which converges to the same items.
            try:
                _write_idempotent(self.lab, actions)
            except BatchWriteError as error:
                if not any(code in str(error.reason) for code in _REFUSED_CODES):
                    raise
                raise _CommitRefused(str(error.reason)) from None
            self._fault("after_apply")
            self.checkpoints.save(self.consumer, self.stream_arn, shard_id, last, shard_end)
        else:
            for action in actions:  # the naive reader: plain writes, then the checkpoint on its own
                (kind, args), = action.items()
                try:
                    {"Update": self.lab.client.update_item, "Put": self.lab.client.put_item,
                     "Delete": self.lab.client.delete_item}[kind](**args)
                except ClientError as error:
                    refused = _refusal(error)
                    if refused is None:
                        raise
                    raise _CommitRefused(refused) from None
            self._fault("after_apply")
            self.checkpoints.save(self.consumer, self.stream_arn, shard_id, last, shard_end)
        self.stats.commits += 1
        self.stats.records_applied += len(good)
        self.stats.dead_letters += len(dead)
        if self.on_commit is not None:
            self.on_commit(good)
        return len(good)

    def dead_letters(self) -> list[dict]:
        """Records set aside by on_bad_record='dead_letter' (as JSON-decoded dicts)."""
        return self.checkpoints.dead_letters(self.consumer)

    # -- replay and rebuild -----------------------------------------------------------------------------------
    def replay_from_trim_horizon(self) -> int:
        """Deliver every record in the stream again, ignoring what this process remembers; the checkpoint
        conditions must cancel them all. Returns how many records were applied (0 if exactly once holds)."""
        with self._lock:
            applied = 0
            for shard in lineage_order(list_shards(self.lab, self.stream_arn)):
                reader = ShardReader(self.lab, self.stream_arn, shard["ShardId"], limit=self.batch_size)
                for records in reader.pages():
                    try:
                        applied += self._apply(shard["ShardId"], records, False)
                    except _CommitCancelled:
                        self.stats.records_skipped += len(records)
                self.stats.get_records_calls += reader.calls
            self._readers.clear()
            return applied

    def rebuild(self) -> None:
        """Recount the projection from a Scan of the source, drop old checkpoints and start at the stream's end.
        Stop the writers first: a change made during the rebuild could be counted twice or missed."""
        with self._lock:
            self.projection.rebuild(self.lab, self.source_table)
            self.checkpoints.delete(self.consumer)
            for shard in list_shards(self.lab, self.stream_arn):
                reader = ShardReader(self.lab, self.stream_arn, shard["ShardId"])
                for _ in reader.pages():
                    pass  # to the end: the reader's place is then the shard's last record
                if reader.after is not None:
                    self.checkpoints.save(self.consumer, self.stream_arn, shard["ShardId"], reader.after)
            self._readers.clear()
            self._stale_checked = True

    # -- background (start, stop and running: dynalab.engine.background.BackgroundPoller) ---------------------
    def state(self) -> str:
        """One phrase for a readout: running (thread alive and engine answering), idle, crashed, or stopped with
        the error that ended the background thread; and the shards it waits for."""
        if self.stats.crashes and (self.error is None or isinstance(self.error, InjectedCrash)):
            state = tr("crashed")  # an injected crash is the death of the "process": a restart makes a new projector
        else:
            state = runner_state(self.lab, self.running, self.error)
        return state + (f"; {self.lease_status()}" if self.waiting else "")

    def start(self) -> StreamProjector:
        """Run in a background thread: poll every ``poll_seconds`` (Lambda polls 4 times a second) until stop()."""
        return super().start()

    def _poll(self) -> bool:
        return bool(self.run_once())

    def _poll_seconds(self) -> float:
        return self.poll_seconds

    def _thread_name(self) -> str:
        return f"dynalab-projector-{self.consumer}"

    def _on_poll_error(self, error: BaseException) -> None:
        if not isinstance(error, InjectedCrash):
            self._give_back()  # a reader that stopped on an error reads no more: others may go on

    def stop(self, timeout_seconds: float = 30.0, release_leases: bool = True) -> None:
        """Stop the background run after the batch in hand (nothing half-applied), give its leases back
        (``release_leases=False``: keep them until they expire, as a reader that vanished would); re-raise its
        error if any."""
        self._stop_thread(timeout_seconds, tr("the projector"))
        if release_leases:
            with self._lock:
                self._give_back()
        else:
            self.leases.held.clear()
        if self.error is not None and not isinstance(self.error, InjectedCrash):
            error, self.error = self.error, None
            raise error

    def wait_until_caught_up(self, timeout_seconds: float = 30.0) -> int:
        """Run synchronously until a pass finds nothing new (safe while the background thread runs). A shard
        another reader holds counts as caught up once that reader's checkpoint has nothing after it."""
        deadline = time.monotonic() + timeout_seconds
        total = 0
        while time.monotonic() < deadline:
            applied = self.run_once()
            total += applied
            if not applied:
                if not self.waiting or not self._others_behind():
                    return total
                time.sleep(min(self.poll_seconds, 0.1))
        waiting = f" ({self.lease_status()})" if self.waiting else ""
        raise TimeoutError(tr("the projector was still busy after {seconds} s{waiting}", seconds=timeout_seconds,
                              waiting=waiting))

    def _others_behind(self) -> bool:
        """Whether a shard another reader holds has records after its stored checkpoint."""
        checkpoints = self.checkpoints.load(self.consumer, self.stream_arn)
        for shard_id in list(self.waiting):
            checkpoint = checkpoints.get(shard_id)
            if checkpoint is not None and checkpoint.shard_end:
                continue
            after = checkpoint.sequence_number if checkpoint else None
            if after is None and self.start_at == "LATEST":
                continue
            probe = ShardReader(self.lab, self.stream_arn, shard_id, after=after, start_at=self.start_at, limit=1)
            if probe.read():
                return True
        return False
