"""The exactly-once projector: keep a projection of a table up to date from its stream.

``StreamProjector`` reads every shard (``reader``), hands each batch of records to a *projection*
(``dynalab.lessons.projections``) and commits the projection's writes **and** the new checkpoint in one
TransactWriteItems. The checkpoint update carries the condition ``checkpoint < first sequence number of the batch``
(numbers compared as numbers), so a record at or below the checkpoint can never be applied twice: a crash between
"apply" and "checkpoint" cannot happen (they are one write), and a replay of old records is cancelled by the engine.
Delivery stays at least once; the *effect* is exactly once. ``exactly_once=False`` gives the naive reader (apply
with plain writes, then save the checkpoint): the lesson crashes it between the two to show a vote counted twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine import Lab
from dynalab.engine.background import BackgroundPoller, runner_state
from dynalab.engine.streams.checkpoints import Checkpoint, CheckpointStore
from dynalab.engine.streams.commits import (
    _REFUSED_CODES,
    _TRANSACTION_BYTES_BUDGET,
    Batch,
    ProjectorStats,
    _CommitCancelled,
    _CommitRefused,
    _json_size,
    _refusal,
    _write_idempotent,
)
from dynalab.engine.streams.errors import BadRecordError, InjectedCrash, StaleCheckpointError, StreamNotEnabledError
from dynalab.engine.streams.leases import LEASE_SECONDS, LEASE_SECONDS_MAX, ShardLeases
from dynalab.engine.streams.reader import GET_RECORDS_MAX, ShardReader, lineage_order, list_shards, sequence_number
from dynalab.engine.streams.source import (
    SourceWatch,
    refuse_writing_into_source,
    stream_arn,
    stream_created_before,
    stream_view_type,
)
from dynalab.engine.tables import BatchWriteError
from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.models.quotas import TRANSACTION_MAX_ACTIONS

__all__ = ["POLL_SECONDS_MAX", "POLL_SECONDS_MIN", "StreamProjector"]

_log = logging.getLogger("dynalab.streams")

#: The longest pause between two polls a background reader may ask for (an hour; Lambda polls 4 times a second).
POLL_SECONDS_MAX = 3600.0
#: The shortest (dynalab's bound: 100 polls a second; 1e-9 s made an idle reader spin on GetRecords)
POLL_SECONDS_MIN = 0.01


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
