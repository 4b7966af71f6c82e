"""What ``dynalab room serve`` and ``dynalab room board`` do (the parser is in ``dynalab/__main__.py``).

Every problem is one line on stderr and exit status 2: a busy port, a bad host or port, no room to read, a room
that does not answer, a key it refuses. Nothing here prints a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from dynalab.i18n import tr
from dynalab.room import KEY_ENV, ROOM_ENV
from dynalab.room.keys import INSTRUCTOR_PREFIX

#: exit status of a command that refused its input or could not reach the room
FAILED = 2


def _fail(line: str) -> int:
    print(line, file=sys.stderr, flush=True)
    return FAILED


def _print_settings(settings: object, replayed: int) -> None:
    from dynalab.room.server import RoomSettings

    assert isinstance(settings, RoomSettings)
    state = settings.state_dir.resolve()
    lines = [tr("dynalab room on {url}; its key and every answer are kept in {state} (run `dynalab room serve` with "
                "the same --state to resume it). Ctrl-C stops it.", url=settings.url, state=state)]
    if replayed:
        lines.append(tr("Resumed: {count} answer(s) from before the restart are back on the board.", count=replayed))
    lines += [tr("Learners set these two (a JupyterHub sets them for every user), and DYNALAB_LEARNER to their name "
                 "or a pseudonym:"),
              f"{ROOM_ENV}={settings.url}",
              f"{KEY_ENV}={settings.learners_key}",
              tr("The board: `python -m dynalab room board` here, or the RoomBoard widget in your notebook "
                 "(dynalab.RoomBoard(); it reads the instructor's key from {path}).",
                 path=state / "room.json")]
    print("\n".join(lines), flush=True)


def serve(host: str, port: int | None, state: str, parent_pid: int = 0) -> int:
    from dynalab.room.server import DEFAULT_PORT, LOOPBACK_HOSTS, read_settings
    from dynalab.room.server import serve as run

    if not isinstance(host, str) or not host.strip() or len(host) > 253 or any(c.isspace() for c in host):
        return _fail(tr("dynalab room serve: --host must be an address of this machine (127.0.0.1, 0.0.0.0, a name "
                        "or an IP); got {host!r}", host=host))
    try:
        old = read_settings(state)
    except (ValueError, KeyError, OSError) as error:
        return _fail(tr("dynalab room serve: cannot read the room in {state}: {error}", state=state, error=error))
    if port is None:
        port = old.port if old is not None else DEFAULT_PORT
    if not 0 <= port <= 65535:
        return _fail(tr("dynalab room serve: --port must be from 0 to 65535 (0: a free one); got {port}", port=port))
    if host not in LOOPBACK_HOSTS:
        print(tr("dynalab room: listening on {host}, beyond this machine. Every request must be signed with the "
                 "room's key (there is no way in without it), but answers cross the network unencrypted (HTTP): on a "
                 "network you do not trust, put the room behind TLS.", host=host), file=sys.stderr, flush=True)
    try:
        run(host, port, state, _print_settings, parent_pid=parent_pid)
    except OSError as error:
        return _fail(tr("dynalab room serve: cannot listen on {host} port {port} ({error}): another room or program "
                        "uses it? Choose another with --port.", host=host, port=port, error=error.strerror or error))
    except KeyboardInterrupt:
        pass
    return 0


def _instructor(state: str) -> tuple[str, str] | str:
    """(room URL, instructor's key), or the one line saying why there is none."""
    from dynalab.room.server import read_settings

    key = os.environ.get(KEY_ENV, "").strip()
    url = os.environ.get(ROOM_ENV, "").strip()
    if url and key.startswith(INSTRUCTOR_PREFIX):
        return url, key
    try:
        settings = read_settings(state)
    except (ValueError, KeyError, OSError) as error:
        return tr("dynalab room board: cannot read the room in {state}: {error}", state=state, error=error)
    if settings is None:
        return tr("dynalab room board: no room in {state} (start one there with `dynalab room serve`), and "
                  "{room_env} / {key_env} name none with the instructor's key (dli-...)",
                  state=Path(state).resolve(), room_env=ROOM_ENV, key_env=KEY_ENV)
    return settings.url, settings.instructor_key


def connect_board(state: str) -> tuple[object, str]:
    """A room Lab signing with the instructor's key, and the room's URL; ValueError with one line if none."""
    from dynalab.room.clients import room_lab, room_url_problem

    found = _instructor(state)
    if isinstance(found, str):
        raise ValueError(found)
    url, key = found
    problem = room_url_problem(url)
    if problem:
        raise ValueError(problem)
    return room_lab(url, key), url


def explain(error: BaseException, url: str) -> str:
    """One line for an error reaching the room."""
    from botocore.exceptions import BotoCoreError, ClientError

    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        if code == "ResourceNotFoundException":
            return tr("dynalab room: the room at {url} is still starting (its tables are not there yet); try again "
                      "in a moment", url=url)
        return tr("dynalab room: the room at {url} refused the board ({code}: {message}): is this the instructor's "
                  "key of that room?", url=url, code=code, message=error.response.get("Error", {}).get("Message", ""))
    if isinstance(error, BotoCoreError | OSError):
        return tr("dynalab room: cannot reach the room at {url} ({error}): is `dynalab room serve` running there?",
                  url=url, error=type(error).__name__)
    return tr("dynalab room: {error}", error=error)


def board(state: str, as_json: bool = False) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    from dynalab.room.board import read_board

    try:
        lab, url = connect_board(state)
    except ValueError as error:
        return _fail(str(error))
    try:
        found = read_board(lab)  # type: ignore[arg-type]
    except (ClientError, BotoCoreError, OSError) as error:
        return _fail(explain(error, url))
    if as_json:
        print(json.dumps(found.as_json(), ensure_ascii=False, indent=1))
    else:
        print("\n".join(found.lines()))
    return 0
