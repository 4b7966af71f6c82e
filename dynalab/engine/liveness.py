"""Is an engine dead, busy or answering, and which engine is it: probes whose cost never grows with what it holds.

Only a process that exited, or a port that refuses connections, is a **dead** engine. An engine that accepts a
connection and does not answer (a long request, a machine under load, a process stopped by SIGSTOP or Ctrl-Z) is
**busy**: dynalab waits for it within the usual bound (``LOCAL_READ_TIMEOUT_SECONDS``), then says so in one line and
leaves it running. It never terminates a busy engine: its tables are the learner's work (``connect()`` once killed
an engine stopped for 20 s and started an empty one).

Every probe asks for ``PROBE_PATH``, moto's few-byte settings, never ``/moto-api/data.json``: that serializes every
object moto keeps, which took more than 2 s on an outside moto that had run lesson 4, and the engine was taken for
"other". Other engines answer the same path at once too (dynalite: its health line; DynamoDB Local: an error), and
any answer at all means alive.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from dynalab.i18n import tr

__all__ = [
    "LOCAL_READ_TIMEOUT_SECONDS",
    "PROBE_PATH",
    "EngineBusyError",
    "EngineUnreachableError",
    "accepts_connections",
    "busy_message",
    "engine_state",
    "identify_engine",
    "is_loopback",
]

#: How long a call waits for a local engine's answer before it says the engine is not answering (a frozen or
#: overloaded engine must not hang a lesson: the slowest local answer, a 1 MB Scan page on moto, takes ~1 s).
#: ``connect()`` waits this long for a busy engine before it reports it busy.
LOCAL_READ_TIMEOUT_SECONDS = 15.0
#: moto's settings (``{"batch": ..., "lambda": ...}``, ~60 bytes whatever moto holds).
PROBE_PATH = "/moto-api/config"
#: A TCP connection that takes longer than this to open is not coming (a remote host that drops packets).
CONNECT_TIMEOUT_SECONDS = 2.0
#: How much of an answer a probe reads: enough to recognise it, never the whole of a large one.
_HEAD_BYTES = 4096


class EngineUnreachableError(ConnectionError):
    """The endpoint does not answer as a DynamoDB engine. The message names the URL and what to do."""


class EngineBusyError(EngineUnreachableError):
    """The engine accepts connections but did not answer within the bound: it is busy or stopped, not dead.
    dynalab leaves it running, with its tables; the message says so."""


def is_loopback(endpoint_url: str | None) -> bool:
    host = urllib.parse.urlsplit(endpoint_url or "").hostname or ""
    return host in ("127.0.0.1", "localhost", "::1")


def busy_message(endpoint_url: str, seconds: float) -> str:
    return tr("dynalab: the engine at {url} is busy: it accepts connections but did not answer within {seconds:g} s "
              "(a long request, or its process is stopped?). dynalab leaves it running, with its tables; run this "
              "again once it answers.", url=endpoint_url, seconds=seconds)


def accepts_connections(endpoint_url: str, timeout_seconds: float = CONNECT_TIMEOUT_SECONDS) -> bool:
    """Does the engine's port accept a TCP connection? False when it refuses (nothing listens) or the host cannot
    be reached. A connection that does not open in time on this machine is a full accept queue (an engine stopped
    with many clients waiting): busy, so True; on another host it is a host that does not answer: False."""
    parts = urllib.parse.urlsplit(endpoint_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname, port), timeout=timeout_seconds):
            return True
    except TimeoutError:
        return is_loopback(endpoint_url)
    except (OSError, ValueError, TypeError):  # refused, no route, no such host, no host at all
        return False


def _ask(endpoint_url: str, path: str, seconds: float, process: Any = None) -> tuple[str, int, bytes]:
    """GET ``path``: ("answers", status, the answer's first bytes), ("busy", 0, b"") when no answer came within
    ``seconds``, or ("dead", 0, b"") when nothing listens (or ``process``, the engine's Popen, has exited)."""
    deadline = time.monotonic() + seconds
    while True:
        remaining = deadline - time.monotonic()
        if process is not None and process.poll() is not None:
            return "dead", 0, b""
        if not accepts_connections(endpoint_url, max(0.05, min(CONNECT_TIMEOUT_SECONDS, remaining))):
            return "dead", 0, b""
        if remaining <= 0:
            return "busy", 0, b""
        try:
            with urllib.request.urlopen(endpoint_url.rstrip("/") + path, timeout=remaining) as reply:
                return "answers", reply.status, reply.read(_HEAD_BYTES)
        except urllib.error.HTTPError as error:  # an error status is an answer
            with error:
                return "answers", error.code, _read_quietly(error)
        except urllib.error.URLError as error:  # the connection did not open (refused since the check, TLS...)
            if not (isinstance(error.reason, TimeoutError) and is_loopback(endpoint_url)):
                return "dead", 0, b""
        except TimeoutError:  # connected, and no answer in time: busy (the loop ends at the deadline)
            pass
        except (OSError, http.client.HTTPException):  # closed without an answer: exiting? look again
            time.sleep(0.05)
        if time.monotonic() >= deadline:
            return "busy", 0, b""


def _read_quietly(reply: Any) -> bytes:
    try:
        return reply.read(_HEAD_BYTES)
    except (OSError, http.client.HTTPException):
        return b""


def engine_state(endpoint_url: str, seconds: float, process: Any = None) -> str:
    """"answers" (it answered HTTP within ``seconds``), "busy" (it accepts connections, no answer in time) or
    "dead" (its port refuses connections, or ``process``, the engine's Popen, has exited)."""
    return _ask(endpoint_url, PROBE_PATH, seconds, process)[0]


def identify_engine(endpoint_url: str, seconds: float = LOCAL_READ_TIMEOUT_SECONDS) -> str:
    """'moto', 'dynalite' or 'other', from answers a few bytes long whatever the engine holds: moto answers
    ``PROBE_PATH`` with its settings (a JSON object) or, before moto had that path, ``/moto-api/`` with its
    dashboard page; dynalite answers any GET with its health line (DynamoDB Local, Alternator: "other").

    An engine that does not answer within ``seconds`` is busy: EngineBusyError, never a guess (a slow moto was once
    taken for "other" and lost its S3 plugins)."""
    probes = ((PROBE_PATH, lambda status, head: 200 <= status < 300 and head.lstrip().startswith(b"{"), "moto"),
              ("/moto-api/", lambda status, head: status == 200 and b"<title>moto" in head.lower(), "moto"),
              ("/", lambda status, head: head.startswith(b"healthy: dynamodb"), "dynalite"))
    for path, matches, engine in probes:
        state, status, head = _ask(endpoint_url, path, seconds)
        if state == "busy":
            raise EngineBusyError(busy_message(endpoint_url, seconds))
        if state == "answers" and matches(status, head):
            return engine
    return "other"
