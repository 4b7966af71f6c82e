"""A learner's side of the room: every self-check answer, recorded in the background.

``record_answer(question, given, correct)`` is the one call ``Question.check`` makes. With no ``DYNALAB_ROOM`` set it
returns at once (nothing recorded, no thread started). With a room set, it writes the answer (learner, lesson,
question, correct or not, the time) as one small file in the **outbox** (``~/.dynalab/room-outbox``, or
``DYNALAB_ROOM_OUTBOX``) and wakes the sender thread; the learner's cell goes on at once and never fails because of
the room (any error here is reported in one line, never raised).

The sender puts each outbox answer into the room (``dynalab.room.server.put_answer_args``) and deletes its file once
the room has it. A room that cannot be reached (down, restarting, the wrong address) keeps the files, says so in
one line, and is tried again with a growing wait (0.5 s to 3 s): queued answers arrive once it is back. A key the
room refuses says so in one line and keeps the files for a kernel whose key is right. Files a kernel left behind
(it was shut down first) are sent by the next kernel of the same learner that records an answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

from dynalab.i18n import tr
from dynalab.room import KEY_ENV, LEARNER_ENV, ROOM_ENV
from dynalab.room.keys import INSTRUCTOR_PREFIX, clean_learner_name, learner_name_problem

OUTBOX_ENV = "DYNALAB_ROOM_OUTBOX"
LESSON_ENV = "DYNALAB_LESSON"
RETRY_SECONDS_FIRST, RETRY_SECONDS_MAX = 0.5, 3.0
QUESTION_MAX_CHARACTERS = 500
_said: set[str] = set()
_lock = threading.Lock()
_sender: Sender | None = None


def say_once(line: str) -> None:
    """One line on stderr, once per process (a learner sees each problem once, not at every answer)."""
    with _lock:
        if line in _said:
            return
        _said.add(line)
    print(line, file=sys.stderr, flush=True)


def outbox_folder() -> Path:
    return Path(os.environ.get(OUTBOX_ENV) or Path.home() / ".dynalab" / "room-outbox")


def lesson_name() -> str:
    """The lesson being answered: ``DYNALAB_LESSON``, else the notebook the kernel runs (Jupyter's
    ``JPY_SESSION_NAME``), as its file name without ``.ipynb`` (both editions of a lesson share it)."""
    path = os.environ.get(LESSON_ENV) or os.environ.get("JPY_SESSION_NAME") or ""
    stem = Path(path).stem if path else ""
    safe = "".join(c if c.isalnum() and c.isascii() or c in "_.-" else "_" for c in stem)[:64]
    return safe or "notebook"


def question_id(question: Any, lesson: str) -> str:
    """``<lesson>#<id>``: the question's own ``id`` if it has one, else a short hash of its prompt."""
    own = getattr(question, "id", None)
    if isinstance(own, str | int) and str(own).strip():
        return f"{lesson}#{str(own).strip()[:64]}"
    return f"{lesson}#{hashlib.sha256(str(question.prompt).encode('utf-8')).hexdigest()[:10]}"


def record_answer(question: Any, given: Any, correct: bool) -> None:
    """Record one checked answer for the room, if a room is set; never raises, never waits on the network."""
    room = os.environ.get(ROOM_ENV, "").strip()
    if not room:
        return
    try:
        if given is None or not str(given).strip():
            return  # "Type an answer first" is not an answer
        _record(room, question, bool(correct))
    except Exception as error:  # noqa: BLE001 - the room must never fail a learner's cell
        say_once(tr("dynalab room: this answer was not recorded ({error})", error=f"{type(error).__name__}: {error}"))


def _record(room: str, question: Any, correct: bool) -> None:
    from dynalab.room.clients import room_url_problem

    problem = room_url_problem(room)
    if problem:
        say_once(tr("dynalab room: {problem}; answers are not recorded", problem=problem))
        return
    lesson = lesson_name()
    answered_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    answer = {"room": room, "lesson": lesson, "question_id": question_id(question, lesson),
              "question": str(question.prompt)[:QUESTION_MAX_CHARACTERS], "correct": correct,
              "answered_at": answered_at}
    folder = outbox_folder()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{answered_at.replace(':', '')}-{uuid.uuid4().hex[:8]}.json"
    fresh = folder / (name + ".tmp")
    fresh.write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
    fresh.replace(folder / name)  # whole or not at all: a sender never reads half an answer
    _wake_sender(room)


def _settings(room: str) -> tuple[str, str] | None:
    """(key, learner) from the environment, or None after saying in one line what is missing."""
    key = os.environ.get(KEY_ENV, "").strip()
    learner = os.environ.get(LEARNER_ENV, "")
    if not key:
        say_once(tr("dynalab room: {room_env} is set but {key_env} is empty: set it to the key your instructor "
                    "gave; your answers wait in {outbox} until then", room_env=ROOM_ENV, key_env=KEY_ENV,
                    outbox=outbox_folder()))
        return None
    if key.startswith(INSTRUCTOR_PREFIX):
        say_once(tr("dynalab room: {key_env} holds the instructor's key (dli-...): learners use the learners' key "
                    "(dll-...) that `dynalab room serve` prints; your answers wait in {outbox}", key_env=KEY_ENV,
                    outbox=outbox_folder()))
        return None
    problem = learner_name_problem(learner)
    if problem:
        say_once(tr("dynalab room: {learner_env} is empty or not a name ({problem}): set it to your name or a "
                    "pseudonym; your answers wait in {outbox} until then", learner_env=LEARNER_ENV,
                    problem=problem, outbox=outbox_folder()))
        return None
    return key, clean_learner_name(learner)


def _wake_sender(room: str) -> None:
    global _sender
    settings = _settings(room)
    if settings is None:
        return
    with _lock:
        if _sender is None or not _sender.is_alive() or _sender.settings != (room, *settings, outbox_folder()):
            if _sender is not None:
                _sender.stop()
            _sender = Sender(room, *settings)
            _sender.start()
        _sender.wake()


class Sender(threading.Thread):
    """Sends the outbox's answers for one (room, key, learner), oldest first, until told to stop."""

    def __init__(self, room: str, key: str, learner: str) -> None:
        super().__init__(name="dynalab-room-recorder", daemon=True)
        self.room, self.key, self.learner = room, key, learner
        self.outbox = outbox_folder()  # fixed for this sender (settings changed: a new sender)
        self.settings = (room, key, learner, self.outbox)
        self.sent = 0
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._client: Any = None

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()

    def run(self) -> None:
        wait = RETRY_SECONDS_FIRST
        while not self._stopped.is_set():
            self._wake.clear()
            outcome = self._send_all()
            if outcome == "refused":
                return  # the key will not change in this process; the files wait for one whose key is right
            if outcome == "unreachable":
                self._wake.wait(wait)  # a new answer tries again at once; else the wait grows
                wait = min(wait * 2, RETRY_SECONDS_MAX)
                continue
            wait = RETRY_SECONDS_FIRST
            self._wake.wait()

    def _pending(self) -> list[Path]:
        return sorted(self.outbox.glob("*.json"))

    def _send_all(self) -> str:
        from botocore.exceptions import BotoCoreError, ClientError

        from dynalab.room.clients import room_client
        from dynalab.room.server import put_answer_args

        for path in self._pending():
            if self._stopped.is_set():
                return "stopped"
            try:
                answer = json.loads(path.read_text(encoding="utf-8"))
            except FileNotFoundError:
                continue  # another kernel of this learner sent it
            except ValueError:
                path.unlink(missing_ok=True)  # not an answer dynalab wrote whole
                continue
            if answer.get("room") != self.room:
                continue  # an answer for another room waits for a kernel set to that room
            item = {"learner": {"S": self.learner}, "question_id": {"S": answer["question_id"]},
                    "lesson": {"S": answer["lesson"]}, "question": {"S": answer["question"]},
                    "correct": {"BOOL": bool(answer["correct"])}, "answered_at": {"S": answer["answered_at"]}}
            try:
                if self._client is None:
                    self._client = room_client(self.room, self.key, self.learner)
                self._client.put_item(**put_answer_args(item))
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code", "")
                if code != "ConditionalCheckFailedException":  # a newer answer is already there: this one is done
                    return self._refused(code, error.response.get("Error", {}).get("Message", ""))
            except (BotoCoreError, OSError) as error:
                say_once(tr("dynalab room: cannot reach the room at {room} ({error}); your answers wait in {outbox} "
                            "and are sent when it is back", room=self.room, error=type(error).__name__,
                            outbox=self.outbox))
                return "unreachable"
            path.unlink(missing_ok=True)
            self.sent += 1
        return "sent"

    def _refused(self, code: str, message: str) -> str:
        if code in ("UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
                    "MissingAuthenticationTokenException"):
            say_once(tr("dynalab room: the room at {room} refused {key_env} ({code}): check it with your instructor "
                        "(a personal key works only with its own {learner_env}); your answers wait in {outbox}",
                        room=self.room, key_env=KEY_ENV, code=code, learner_env=LEARNER_ENV, outbox=self.outbox))
            return "refused"
        if code == "AccessDeniedException":
            say_once(tr("dynalab room: the room at {room} refused this answer ({code}: {message}); your answers wait "
                        "in {outbox}", room=self.room, code=code, message=message[:200], outbox=self.outbox))
            return "refused"
        say_once(tr("dynalab room: the room at {room} answered {code} ({message}); trying again later",
                    room=self.room, code=code, message=message[:200]))
        return "unreachable"


def pending_answers() -> int:
    """How many answers wait in this learner's outbox (a readout, a test)."""
    return len(list(outbox_folder().glob("*.json")))
