"""The room engine: moto's DynamoDB server behind the room's door, with a journal and the board's projector.

``serve(host, port, state_dir)`` (what ``python -m dynalab room serve`` runs) keeps everything in ``state_dir``:
``room.json`` (the room's secret, its address; readable by its owner only) and ``answers.jsonl`` (every answer the
room accepted, appended and flushed to disk before the learner's put is answered). A room restarted with the same
folder has the same keys and replays the journal's latest answer per (learner, question), so the board comes back
whole; answers made while it was down wait in the learners' outboxes and arrive when it is back.

The engine is the embedded engine's moto with the same fixes (``dynalab.engine._process``: operations under one
lock, expiring shard iterators, no tracking of every model object), served by waitress, in front of which
``RoomGate`` checks every request's signature and the learner's policy (``dynalab.room.access``). The board is
projected in this process by ``dynalab.engine.streams.StreamProjector`` (``dynalab.room.board``), signing with the
instructor's key like any other client: there is no unsigned way in, not even from this machine.
"""

from __future__ import annotations

import io
import json
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dynalab.i18n import tr
from dynalab.room import ANSWERS_TABLE, CHECKPOINTS_TABLE, LEARNERS_TABLE, QUESTIONS_TABLE
from dynalab.room.access import SERVICES, Principal, Refused, authorize, verify
from dynalab.room.keys import RoomKeys

DEFAULT_PORT = 8765
DEFAULT_STATE_DIR = "dynalab-room"
#: the largest request the room reads (an answer is a few hundred bytes; the projector's commits stay under 4 MB)
MAX_REQUEST_BYTES = 8 * 1024 * 1024
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
#: the board's consumer name (its checkpoints and leases in room_checkpoints)
BOARD_CONSUMER = "room-board"
_CONDITION = "attribute_not_exists(answered_at) OR answered_at < :t"


def put_answer_args(item: dict) -> dict:
    """The PutItem a learner's answer is: a later answer replaces an earlier one, never the other way round (an
    answer queued offline that arrives after a newer one is refused by the condition, and dropped)."""
    return {"TableName": ANSWERS_TABLE, "Item": item, "ConditionExpression": _CONDITION,
            "ExpressionAttributeValues": {":t": item["answered_at"]}}


class Journal:
    """Every answer the room accepted, one JSON line each, flushed to disk before the put is acknowledged."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, item: dict) -> None:
        line = json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n"
        with self._lock, open(self.path, "a", encoding="utf-8") as journal:
            journal.write(line)
            journal.flush()
            os.fsync(journal.fileno())

    def latest(self) -> list[dict]:
        """The latest answer per (learner, question) (what the answers table held), oldest first."""
        found: dict[tuple[str, str], dict] = {}
        if not self.path.exists():
            return []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                item = json.loads(line)
                key = (item["learner"]["S"], item["question_id"]["S"])
                newer = key not in found or item["answered_at"]["S"] > found[key]["answered_at"]["S"]
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a crash mid-write: the put it recorded was never acknowledged
            if newer:
                found[key] = item
        return sorted(found.values(), key=lambda item: item["answered_at"]["S"])


def _headers(environ: dict) -> dict[str, str]:
    headers = {name[5:].replace("_", "-").lower(): value for name, value in environ.items()
               if name.startswith("HTTP_")}
    for name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        if environ.get(name):
            headers[name.replace("_", "-").lower()] = environ[name]
    return headers


class RoomGate:
    """WSGI middleware: only signed DynamoDB and Streams calls that the signer may make reach moto."""

    def __init__(self, app: Callable | None, keys: RoomKeys, journal: Journal,
                 on_refusal: Callable[[str], None] | None = None) -> None:
        self.app, self.keys, self.journal, self.on_refusal = app, keys, journal, on_refusal

    def _refuse(self, start_response: Callable, refusal: Refused) -> list[bytes]:
        body = refusal.body()
        start_response(f"{refusal.status} Bad Request" if refusal.status == 400 else f"{refusal.status} Refused",
                       [("Content-Type", "application/x-amz-json-1.0"), ("Content-Length", str(len(body))),
                        ("x-amzn-RequestId", uuid.uuid4().hex.upper())])
        return [body]

    def __call__(self, environ: dict, start_response: Callable) -> Any:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_REQUEST_BYTES:
            return self._refuse(start_response, Refused("SerializationException", f"Request of {length} bytes: the "
                                                        f"room reads at most {MAX_REQUEST_BYTES} bytes", 413))
        body = environ["wsgi.input"].read(length) if length else b""
        headers = _headers(environ)
        service, _, operation = headers.get("x-amz-target", "").partition(".")
        principal: Principal | None = None
        try:
            if service not in SERVICES or environ.get("REQUEST_METHOD") != "POST":
                raise Refused("UnknownOperationException", "")
            principal = verify(self.keys, environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/"),
                               environ.get("QUERY_STRING", ""), headers, body)
            try:
                request = json.loads(body or b"{}")
            except ValueError:
                request = {}
            authorize(principal, operation, request if isinstance(request, dict) else {})
        except Refused as refusal:
            if self.on_refusal is not None:
                who = principal.arn if principal else environ.get("REMOTE_ADDR", "?")
                self.on_refusal(f"{who} {operation or '-'}: {refusal.code}")
            return self._refuse(start_response, refusal)
        environ["wsgi.input"] = io.BytesIO(body)
        if principal.learner is None:
            return self.app(environ, start_response)
        status: list[str] = []

        def capture(line: str, response_headers: list, exc_info: Any = None) -> Any:
            status.append(line)
            return start_response(line, response_headers, exc_info) if exc_info else start_response(
                line, response_headers)

        answer = self.app(environ, capture)
        if status and status[0].startswith("200"):
            self.journal.append(request["Item"])  # on disk before the learner hears "done"
        return answer


@dataclass
class RoomSettings:
    """The room's address and keys, as ``room.json`` in its state folder keeps them."""

    url: str
    host: str
    port: int
    keys: RoomKeys
    state_dir: Path

    @property
    def instructor_key(self) -> str:
        return self.keys.instructor_key

    @property
    def learners_key(self) -> str:
        return self.keys.learners_key


def settings_path(state_dir: str | Path) -> Path:
    return Path(state_dir) / "room.json"


def read_settings(state_dir: str | Path) -> RoomSettings | None:
    """The room kept in ``state_dir`` (None when there is none)."""
    path = settings_path(state_dir)
    if not path.is_file():
        return None
    saved = json.loads(path.read_text(encoding="utf-8"))
    keys = RoomKeys.from_instructor_key(saved["instructor_key"])
    if keys is None:
        raise ValueError(tr("{path} holds no instructor's key (dli-...): move it away to start a new room",
                            path=path))
    return RoomSettings(saved["url"], saved["host"], int(saved["port"]), keys, Path(state_dir))


def _write_settings(settings: RoomSettings) -> None:
    path = settings_path(settings.state_dir)
    text = json.dumps({"url": settings.url, "host": settings.host, "port": settings.port,
                       "instructor_key": settings.instructor_key, "learners_key": settings.learners_key}, indent=1)
    fresh = path.with_suffix(".tmp")
    descriptor = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # its owner only: it holds the key
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(fresh, path)


def public_url(host: str, port: int) -> str:
    """The address learners use: the host itself, or this machine's name when the room listens everywhere."""
    import socket

    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _internal_url(host: str, port: int) -> str:
    return f"http://127.0.0.1:{port}" if host in ("0.0.0.0", "", *LOOPBACK_HOSTS) else public_url(host, port)


def _prepare_moto() -> Callable:
    """moto's server with the embedded engine's fixes (see dynalab.engine._process)."""
    import logging

    from dynalab.engine import _process

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    logging.getLogger("waitress").setLevel(logging.ERROR)
    from moto.server import DomainDispatcherApplication, create_backend_app

    _process.match_dynamodb_item_limit()
    _process.expire_shard_iterators(_process.SHARD_ITERATOR_LIFETIME_SECONDS)
    _process.serialize_item_operations()
    _process.cache_moto_module_list()
    _process.stop_tracking_model_instances()
    sys.setswitchinterval(0.0002)
    return DomainDispatcherApplication(create_backend_app)


class BoardKeeper:
    """Create the room's tables, replay the journal, and keep the board's projector running (restarted if an
    error ends it: the checkpoints make a restart exactly once)."""

    def __init__(self, url: str, instructor_key: str, journal: Journal) -> None:
        self.url, self.instructor_key, self.journal = url, instructor_key, journal
        self.projector: Any = None
        self._stop = threading.Event()

    def prepare(self) -> int:
        from dynalab.engine.tables import ensure_table
        from dynalab.room.clients import room_lab

        lab = room_lab(self.url, self.instructor_key)
        ensure_table(lab, ANSWERS_TABLE, ("learner", "S"), ("question_id", "S"),
                     stream_view_type="NEW_AND_OLD_IMAGES")
        ensure_table(lab, LEARNERS_TABLE, ("learner", "S"))
        ensure_table(lab, QUESTIONS_TABLE, ("question_id", "S"))
        replayed = 0
        for item in self.journal.latest():
            try:
                lab.client.put_item(**put_answer_args(item))
                replayed += 1
            except lab.client.exceptions.ConditionalCheckFailedException:
                pass
        self.lab = lab
        return replayed

    def _new_projector(self) -> Any:
        from dynalab.engine.streams import CheckpointStore, StreamProjector
        from dynalab.room.board import BoardProjection

        return StreamProjector(self.lab, ANSWERS_TABLE, BoardProjection(), consumer=BOARD_CONSUMER,
                               checkpoints=CheckpointStore(self.lab, CHECKPOINTS_TABLE), on_bad_record="dead_letter",
                               poll_seconds=0.2, reader_name="room board").start()

    def keep_running(self) -> None:
        self.projector = self._new_projector()
        while not self._stop.wait(1.0):
            if not self.projector.running:
                print(tr("dynalab room: the board's projector stopped ({error}); starting it again",
                         error=self.projector.error), file=sys.stderr, flush=True)
                self.projector = self._new_projector()

    def stop(self) -> None:
        """The room is going away: its projector is not waited for (its calls would wait on a server that no longer
        answers); a commit is one transaction with its checkpoint, so nothing is half-applied."""
        self._stop.set()


def serve(host: str, port: int, state_dir: str | Path, on_ready: Callable[[RoomSettings, int], None],
          parent_pid: int = 0) -> None:
    """Run the room until interrupted. ``on_ready(settings, replayed)`` once it answers, its tables exist and the
    journal is replayed. Raises OSError when the port is busy."""
    from waitress.server import create_server

    state = Path(state_dir)
    state.mkdir(mode=0o700, parents=True, exist_ok=True)
    old = read_settings(state)
    keys = old.keys if old is not None else RoomKeys.new()
    journal = Journal(state / "answers.jsonl")
    refusals = _RefusalLog()
    gate = RoomGate(None, keys, journal, on_refusal=refusals.note)  # type: ignore[arg-type]
    # Bind first (a busy port is said before moto is even imported), then load moto behind the gate.
    server = create_server(gate, host=host, port=port, threads=8, ident="dynalab-room", connection_limit=500,
                           channel_timeout=120)
    port = server.effective_port
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # a clean exit: stop the server, keep the journal
    gate.app = _prepare_moto()
    settings = RoomSettings(public_url(host, port), host, port, keys, state)
    _write_settings(settings)
    keeper = BoardKeeper(_internal_url(host, port), keys.instructor_key, journal)

    def start_board() -> None:
        try:
            replayed = keeper.prepare()
        except Exception as error:  # noqa: BLE001 - the room cannot work without its tables: say so and stop
            print(tr("dynalab room: could not prepare the room's tables ({error}); stopping", error=error),
                  file=sys.stderr, flush=True)
            os._exit(2)
        on_ready(settings, replayed)
        keeper.keep_running()

    if parent_pid:
        from dynalab.engine._process import _exit_when_parent_dies

        threading.Thread(target=_exit_when_parent_dies, args=(parent_pid,), daemon=True).start()
    threading.Thread(target=start_board, name="dynalab-room-board", daemon=True).start()
    try:
        server.run()
    finally:
        keeper.stop()
        server.close()


class _RefusalLog:
    """One stderr line per refused request, at most one a second per kind (a flood is summed up, not echoed)."""

    def __init__(self) -> None:
        self._last: dict[str, float] = {}
        self._skipped: dict[str, int] = {}

    def note(self, line: str) -> None:
        now = time.monotonic()
        if now - self._last.get(line, 0.0) < 1.0:
            self._skipped[line] = self._skipped.get(line, 0) + 1
            return
        self._last[line] = now
        more = self._skipped.pop(line, 0)
        suffix = tr(" (and {count} more like it)", count=more) if more else ""
        print(tr("dynalab room: refused {what}{suffix}", what=line, suffix=suffix), file=sys.stderr, flush=True)
