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

A call to a dead or silent engine fails at once with one line saying what to do: ``refuse_to_wait_again`` is the
needs-retry hook on every local client (no waiting the whole timeout again; a write that timed out says it may still
be applied), and ``explain_connection_errors_in_ipython`` turns botocore's deep traceback into that line.
"""

from __future__ import annotations

import http.client
import json
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from botocore.exceptions import ConnectionClosedError, ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError

from dynalab.i18n import tr

__all__ = [
    "CONNECTION_ERRORS",
    "LOCAL_READ_TIMEOUT_SECONDS",
    "LOCAL_REFUSED_ATTEMPTS",
    "PROBE_PATH",
    "EngineBusyError",
    "EngineUnreachableError",
    "accepts_connections",
    "busy_message",
    "engine_state",
    "explain_connection_errors_in_ipython",
    "identify_engine",
    "is_loopback",
    "may_write",
    "refuse_to_wait_again",
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


class EngineFeatureMissingError(RuntimeError):
    """The engine answers, but lacks what the call needs (global tables, an S3 of its own): they are dynalab's own
    engine's. The message names the engine and where the call does run."""


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


# ---- failing fast on a dead engine, and saying so in one line -------------------------------------------------
#: The errors botocore raises when an engine cannot be reached or does not answer.
CONNECTION_ERRORS = (EndpointConnectionError, ConnectTimeoutError, ConnectionClosedError, ReadTimeoutError)

#: A refused connection to an engine on this machine is retried this many times in all (one quick retry rides
#: through a blip); then the call fails. Nothing listening on loopback is no network fault to wait out: a retrying
#: client (10 attempts, backoff from 50 ms) spent 25 s before a projector on a dead engine said it had stopped.
LOCAL_REFUSED_ATTEMPTS = 2


def refuse_to_wait_again(endpoint_url: str | None, read_timeout_seconds: float) -> Any:
    """A botocore needs-retry hook: a local engine that did not answer in time is not retried (botocore would wait
    the whole timeout again, up to 5 times), nor, past one quick retry, a loopback engine that refuses connections
    (it is not running): the call fails at once with one line saying what to do. A write that timed out says
    that it may still be applied: the engine has it, and a learner who sends an ``ADD`` again counts it twice."""
    loopback = is_loopback(endpoint_url)

    def check(caught_exception: BaseException | None = None, attempts: int = 1, operation: Any = None,
              request_dict: Any = None, **_: Any) -> None:
        if (loopback and isinstance(caught_exception, EndpointConnectionError)
                and attempts >= LOCAL_REFUSED_ATTEMPTS):
            raise EngineUnreachableError(tr(
                "dynalab: the engine at {url} refuses connections: nothing listens there (it stopped?). Run "
                "`lab = dynalab.connect()`: it starts a fresh embedded engine.", url=endpoint_url)) from None
        if isinstance(caught_exception, ReadTimeoutError):
            name = getattr(operation, "name", "")
            if may_write(name, request_dict):
                raise EngineUnreachableError(tr(
                    "dynalab: the engine at {url} did not answer within {seconds:g} s (busy, stopped or "
                    "overloaded?), and this {operation} may still be applied: read the item before you send it "
                    "again (an ADD sent twice counts twice).", url=endpoint_url, seconds=read_timeout_seconds,
                    operation=name)) from None
            raise EngineUnreachableError(tr(
                "dynalab: the engine at {url} did not answer within {seconds:g} s (busy, stopped or "
                "overloaded?). `lab = dynalab.connect()` waits for a busy engine, and starts a fresh embedded "
                "one only if it has exited.", url=endpoint_url, seconds=read_timeout_seconds)) from None

    return check


#: Operations that only read: a call of any other may have changed something when its answer did not come.
_READ_ONLY_PREFIXES = ("Get", "BatchGet", "TransactGet", "Describe", "List", "Query", "Scan")


def may_write(operation: str, request_dict: Any) -> bool:
    """Could this call have written? PartiQL writes unless every statement is a SELECT."""
    if operation.startswith(_READ_ONLY_PREFIXES):
        return False
    if operation not in ("ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"):
        return True
    try:
        body = json.loads((request_dict or {}).get("body") or b"{}")
        statements = [body] if operation == "ExecuteStatement" else (
            body.get("Statements") or body.get("TransactStatements") or [])
        return not all(str(each.get("Statement", "")).lstrip()[:6].upper() == "SELECT" for each in statements)
    except (ValueError, TypeError, AttributeError):
        return True


def explain_connection_errors_in_ipython() -> None:
    """In a notebook, turn a dead engine's deep botocore traceback into one line that says what to do."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or getattr(shell, "_dynalab_handler", False):
        return

    def one_line(shell: Any, etype: type, value: BaseException, tb: Any, tb_offset: Any = None) -> None:
        if isinstance(value, EngineUnreachableError):  # already one line that says what to do
            print(value, file=sys.stderr)
            return
        print(tr("dynalab: the engine is not answering ({error}). If it stopped, run `lab = dynalab.connect()`: "
                 "it starts a fresh one.", error=value), file=sys.stderr)

    shell.set_custom_exc((*CONNECTION_ERRORS, EngineUnreachableError), one_line)
    shell._dynalab_handler = True
