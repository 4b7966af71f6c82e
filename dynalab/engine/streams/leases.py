"""Shard leases, as the Kinesis Client Library keeps them: who reads which shard of a stream for one consumer.

Beside each checkpoint (``dynalab.engine.streams.checkpoints``) a shard's lease (``lease_owner``, ``lease_counter``,
``lease_expires_at``) is taken and renewed with conditional writes, so readers of one consumer in any process agree.
A reader reads a shard only while it holds its lease; another waits, and takes the lease over once it expired or
its holder is gone (a process that no longer exists on this machine, a reader that crashed).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
import weakref
from dataclasses import dataclass
from typing import Protocol

from dynalab.i18n import tr

__all__ = ["LEASE_SECONDS", "LEASE_SECONDS_MAX", "Lease", "LeaseStore", "ShardLeases", "end_lease_owner",
           "lease_owner_gone", "new_lease_owner", "short_owner"]

_log = logging.getLogger("dynalab.streams")

#: How long a lease lasts without renewal: the KCL's failoverTimeMillis default, 10 s (kcl-worker docs).
LEASE_SECONDS = 10.0
#: The longest lease a reader may ask for (an hour: past that, a dead reader's shards wait too long).
LEASE_SECONDS_MAX = 3600.0

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


class LeaseStore(Protocol):
    """Where leases are kept (``dynalab.engine.streams.checkpoints.CheckpointStore``, beside the checkpoints)."""

    def take_lease(self, consumer: str, arn: str, shard_id: str, owner: str, lease_seconds: float) -> Lease: ...

    def release_lease(self, consumer: str, arn: str, shard_id: str, owner: str) -> bool: ...


class ShardLeases:
    """The leases one reader holds on one stream for one consumer (the projector's and the event source mapping's
    one mechanism): ``hold(shard_id)`` takes or renews a shard's lease (a write only at half time), records who
    it waits for (``waiting``) and what it said (``events``, also logged on "dynalab.streams")."""

    def __init__(self, store: LeaseStore, consumer: str, arn: str, reader_name: str,
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
