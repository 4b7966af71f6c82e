"""Start, reuse and stop the engine, and pick the endpoint a lesson talks to.

Three places a lesson can talk to, chosen by one setting:

* nothing set: the **embedded engine**, moto's DynamoDB server in a child process of this kernel, bound to
  127.0.0.1 on a port the OS picks (so a busy port never matters). It stops when the kernel stops.
* ``DYNALAB_ENDPOINT=http://host:port``: an engine you started (AWS's DynamoDB Local, dynalite, ScyllaDB
  Alternator, or ``python -m dynalab serve``).
* ``DYNALAB_ENDPOINT=aws``: real AWS, with your own credentials and region. Only then do tables cost money,
  so every table dynalab creates there is named with a prefix (``DYNALAB_AWS_PREFIX``, default ``dynalab-``: one
  per learner in a room), dynalab touches no table without it, and a load that would cost more than
  ``DYNALAB_AWS_MAX_DOLLARS`` is refused before it starts (``dynalab.engine.aws_budget``).

Everywhere but AWS the credentials are dummies and the region fixed, so no ambient AWS setting is ever used by
accident.
"""

from __future__ import annotations

import atexit
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
)

from dynalab.fidelity import FidelityLayer
from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.models.checks import ParameterTypeError
from dynalab.models.naming import TABLE_NAME_RULE, table_name_problem
from dynalab.models.quotas import SHARD_ITERATOR_LIFETIME_SECONDS

__all__ = [
    "AWS_TABLE_PREFIX",
    "REGION",
    "EmbeddedEngine",
    "EngineUnreachableError",
    "Lab",
    "aws_table_prefix",
    "connect",
    "start_embedded_engine",
    "stop_embedded_engine",
]

REGION = "us-east-1"
#: Every table dynalab creates on real AWS carries a prefix, this one unless DYNALAB_AWS_PREFIX names another;
#: dynalab touches no other table there.
AWS_TABLE_PREFIX = "dynalab-"
ENV_VAR = "DYNALAB_ENDPOINT"
PREFIX_ENV_VAR = "DYNALAB_AWS_PREFIX"
_CONNECTION_ERRORS = (EndpointConnectionError, ConnectTimeoutError, ConnectionClosedError, ReadTimeoutError)


class EngineUnreachableError(ConnectionError):
    """The endpoint does not answer as a DynamoDB engine. The message names the URL and what to do."""


def aws_table_prefix() -> str:
    """The prefix of every table dynalab creates on AWS: ``DYNALAB_AWS_PREFIX``, or ``dynalab-`` when unset.

    In a room sharing one account, give each learner their own (``dynalab-ana-``): the guard then keeps each learner
    to their own tables, and ``dynalab cleanup`` deletes only theirs.
    """
    prefix = os.environ.get(PREFIX_ENV_VAR, AWS_TABLE_PREFIX)
    # A prefix must itself be table-name characters, and short enough to leave room for the lesson's name.
    if not re.fullmatch(r"[A-Za-z0-9_.-]{3,64}", prefix):
        raise ValueError(tr("{variable} must be 3 to 64 characters of A-Z, a-z, 0-9, '_', '-' and '.' "
                            "(an empty prefix would make every table dynalab's); got {prefix!r}",
                            variable=PREFIX_ENV_VAR, prefix=prefix))
    return prefix


@dataclass
class EmbeddedEngine:
    """moto's DynamoDB server in a child process, on 127.0.0.1."""

    process: subprocess.Popen
    port: int

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def is_alive(self) -> bool:
        return self.process.poll() is None and _answers(self.endpoint_url)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


def start_embedded_engine(port: int = 0, timeout_seconds: float = 20.0, *,
                          iterator_lifetime_seconds: float = SHARD_ITERATOR_LIFETIME_SECONDS) -> EmbeddedEngine:
    """Start moto's server on 127.0.0.1; port 0 (the default) lets the OS pick a free one.

    A port asked for by number that is busy falls back to a free one, with a note on stderr. Shard iterators
    expire ``iterator_lifetime_seconds`` after they are issued (DynamoDB's 15 minutes; a test may shorten it).
    """
    checks.number("port", port, low=0, high=65535, integer=True)
    checks.number("iterator_lifetime_seconds", iterator_lifetime_seconds, low=0, low_open=True, unit="seconds")
    for attempt_port in (port, 0) if port else (0,):
        process = subprocess.Popen(
            [sys.executable, "-m", "dynalab.engine._process", "--port", str(attempt_port),
             "--parent", str(os.getpid()), "--iterator-lifetime-seconds", repr(float(iterator_lifetime_seconds))],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            text=True,
            # The engine needs no AWS setting, and a user's (AWS_PROFILE naming a profile it cannot see...) breaks it.
            env={name: value for name, value in os.environ.items() if not name.startswith("AWS_")},
            **_OWN_PROCESS_GROUP,
        )
        line = _read_line(process, timeout_seconds)
        if line.startswith("READY "):
            engine = EmbeddedEngine(process, int(line.split()[1]))
            atexit.register(engine.stop)
            return engine
        process.wait(timeout=5)
        if line.startswith("BUSY "):
            print(tr("dynalab: port {port} is busy; using a free port instead.", port=attempt_port), file=sys.stderr)
            continue
        raise RuntimeError(tr("dynalab: the embedded engine did not start (it said: {said!r}).",
                              said=line or "nothing"))
    raise RuntimeError(tr("dynalab: the embedded engine did not start: no free port on 127.0.0.1."))


#: The engine runs in a process group of its own. A Jupyter kernel's interrupt (the learner's Stop button) sends
#: SIGINT to the kernel's whole group, which killed the engine and every table in it; and at shutdown ipykernel
#: signals the children in its group and waits up to 29 s for the (unreaped) engine to vanish. The engine still
#: stops with its parent: ``stop`` at exit, or its watch on the parent's pid when the parent is killed.
_OWN_PROCESS_GROUP: dict[str, Any] = (
    {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if os.name == "nt" else {"start_new_session": True})


def _read_line(process: subprocess.Popen, timeout_seconds: float) -> str:
    result: list[str] = []
    reader = threading.Thread(target=lambda: result.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout_seconds)
    if not result:
        process.kill()
        return ""
    return result[0].strip()


def _answers(endpoint_url: str, timeout_seconds: float = 2.0) -> bool:
    """Does anything answer HTTP at this URL? (Any status counts: it is alive.)"""
    try:
        urllib.request.urlopen(endpoint_url, timeout=timeout_seconds).close()
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False
    return True


def identify_engine(endpoint_url: str) -> str:
    """'moto', 'dynalite' or 'other', from what the endpoint says about itself (cheap, best effort)."""
    try:
        with urllib.request.urlopen(endpoint_url.rstrip("/") + "/moto-api/data.json", timeout=2) as reply:
            # moto answers with its JSON state; dynalite answers every GET with 200 and its health line.
            if reply.status == 200 and reply.read(1) == b"{":
                return "moto"
    except (OSError, ValueError):
        pass
    try:
        with urllib.request.urlopen(endpoint_url, timeout=2) as reply:
            # dynalite mimics DynamoDB's health answer to a bare GET (DynamoDB Local answers 400).
            if reply.read(64).startswith(b"healthy: dynamodb"):
                return "dynalite"
    except (OSError, ValueError):
        pass
    return "other"


@dataclass
class Lab:
    """One connection to an engine: boto3 ``client``, ``resource`` and ``streams`` with the fidelity layer.

    ``engine`` says what answers: "moto" (the embedded engine or another moto), "dynalite", "aws" or
    "other". ``table_name("votes")`` gives the name a lesson table has on this endpoint.
    """

    endpoint_url: str | None
    engine: str
    embedded: bool
    client: Any = field(repr=False)
    resource: Any = field(repr=False)
    streams: Any = field(repr=False)
    fidelity: FidelityLayer = field(repr=False)
    table_prefix: str = ""
    #: dollars of AWS load estimated and approved so far on this connection (``dynalab.engine.aws_budget``)
    aws_dollars_approved: float = 0.0
    _retrying_clients: dict[int, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_aws(self) -> bool:
        return self.engine == "aws"

    @property
    def meter(self) -> Any:
        """The capacity meter (``dynalab.fidelity.metering.Meter``): units per table and operation, a log."""
        from dynalab.fidelity.metering import Meter

        return self.fidelity.find(Meter)

    def table_name(self, name: str) -> str:
        """The name a lesson table called ``name`` has here: prefixed on AWS, as given elsewhere."""
        full = name if isinstance(name, str) and name.startswith(self.table_prefix) else self.table_prefix + str(name)
        # DynamoDB's rule (CreateTable: TableName), said before any request so a lesson never sees a deep traceback
        if not isinstance(name, str) or table_name_problem(full) is not None:
            raise ValueError(tr("a table name must be {rule}; got {name!r}", rule=TABLE_NAME_RULE, name=name))
        return full

    def owns_table(self, table_name: str) -> bool:
        """May dynalab delete this table? On AWS only its own prefixed tables; locally any."""
        return table_name.startswith(self.table_prefix)

    def new_client(self, service: str = "dynamodb", **config: Any) -> Any:
        """Another boto3 client on the same endpoint and fidelity layer (e.g. with other retry settings)."""
        with _lock:  # a boto3 session is not thread-safe while it builds a client
            client = _session(self.is_aws).client(service, **_client_args(self.endpoint_url, self.is_aws, **config))
        self.fidelity.install(client)
        if not self.is_aws:  # the same fail-fast rules as the lab's own clients
            client.meta.events.register_first("needs-retry", _refuse_to_wait_again(
                self.endpoint_url, config.get("read_timeout", LOCAL_READ_TIMEOUT_SECONDS)))
        return client

    def retrying_client(self, max_attempts: int) -> Any:
        """A DynamoDB client like ``client`` whose retry policy (botocore's, DynamoDB's backoff from 50 ms) makes up
        to ``max_attempts`` attempts a call: for loops that must outlast throttling without retrying on top."""
        with _lock:
            if max_attempts not in self._retrying_clients:
                self._retrying_clients[max_attempts] = self.new_client(
                    retries={"mode": "legacy", "total_max_attempts": max_attempts})
            return self._retrying_clients[max_attempts]

    def describe(self) -> str:
        """One line for a notebook: which engine, where."""
        where = tr("AWS (your account: real tables, real costs)") if self.is_aws else self.endpoint_url
        kind = {"moto": tr("moto (DynamoDB-compatible, in Python)"),
                "dynalite": tr("dynalite (DynamoDB-compatible, Node.js)"),
                "aws": "Amazon DynamoDB", "other": tr("a DynamoDB-compatible engine")}[self.engine]
        embedded = tr(", embedded: started by dynalab on 127.0.0.1") if self.embedded else ""
        return tr("engine: {kind}{embedded}; endpoint: {where}", kind=kind, embedded=embedded, where=where)


_lock = threading.RLock()
_embedded: EmbeddedEngine | None = None
_labs: dict[str, Lab] = {}


def connect(endpoint: str | None = None) -> Lab:
    """Connect to the engine the lessons use, starting the embedded one if none runs in this process.

    ``endpoint`` overrides ``DYNALAB_ENDPOINT``: None (the embedded engine), an ``http(s)://host:port`` URL,
    or ``"aws"`` (real AWS, explicit opt-in). Calling it again returns the same ``Lab`` while its engine
    lives; if the embedded engine died, it says so in one line and starts a fresh one.
    """
    target = endpoint if endpoint is not None else os.environ.get(ENV_VAR, "").strip() or None
    with _lock:
        if target is None:
            return _connect_embedded()
        if target == "aws":
            return _labs.get("aws") or _labs.setdefault("aws", _connect_aws())
        if not _endpoint_url_ok(target):
            source = "endpoint" if endpoint is not None else ENV_VAR
            raise ValueError(tr(
                "{source} must be unset (the embedded engine), 'aws', or an http(s)://host:port URL with a host "
                "and a port from 1 to 65535; got {target!r:.80}", source=source, target=target))
        lab = _labs.get(target)
        if lab is None or not _answers(target):
            _probe(target)
            lab = _labs[target] = _make_lab(target, identify_engine(target), embedded=False)
        return lab


def check_lab(value: Any, name: str = "lab") -> Lab:
    """``value`` if it is a dynalab Lab, else a TypeError naming ``name`` (the one check every lab function makes
    first, so a None or a boto3 client gives one clear line, not an AttributeError deep inside)."""
    if isinstance(value, Lab):
        return value
    raise ParameterTypeError(tr("{name} must be a dynalab Lab (from dynalab.connect()); got {kind} {value!r:.60}",
                                name=name, kind=type(value).__name__, value=value))


def _endpoint_url_ok(target: Any) -> bool:
    """An http(s) URL with a host and, if given, a valid port (urllib's own errors would name no parameter)."""
    if not isinstance(target, str) or not target.startswith(("http://", "https://")):
        return False
    try:
        parts = urllib.parse.urlsplit(target)
        port = parts.port
    except ValueError:  # "Invalid IPv6 URL", "Port out of range 0-65535"
        return False
    return bool(parts.hostname) and (port is None or 1 <= port <= 65535)


def embedded_engine() -> EmbeddedEngine | None:
    """The embedded engine this process started (its ``process`` and ``port``), or None if none runs."""
    return _embedded


def _connect_embedded() -> Lab:
    global _embedded
    if _embedded is not None and not _embedded.is_alive():
        print(tr(
            "dynalab: the embedded engine on port {port} has stopped; starting a fresh one "
            "(the tables it held are gone: re-run the cells that create them).", port=_embedded.port))
        _labs.pop(_embedded.endpoint_url, None)
        _embedded.stop()
        _embedded = None
    if _embedded is None:
        _embedded = start_embedded_engine()
    url = _embedded.endpoint_url
    if url not in _labs:
        _labs[url] = _make_lab(url, "moto", embedded=True)
    return _labs[url]


def stop_embedded_engine() -> None:
    """Stop the embedded engine of this process, if one runs (tests and benchmarks use this)."""
    global _embedded
    with _lock:
        if _embedded is not None:
            _labs.pop(_embedded.endpoint_url, None)
            _embedded.stop()
            _embedded = None


def _session(aws: bool) -> boto3.session.Session:
    """The local session is kept: building a client from a warm session takes milliseconds, from a new one ~0.3 s
    (the service model is read again). On AWS a new one each time, so it reads the user's credentials, profile and
    region as they are now (a kept one would hold on to credentials the user has since changed or removed).
    Callers hold ``_lock`` or run at connect time."""
    if aws:
        return _new_session(True)
    if aws not in _sessions:
        _sessions[aws] = _new_session(aws)
    return _sessions[aws]


_sessions: dict[bool, boto3.session.Session] = {}


def _new_session(aws: bool) -> boto3.session.Session:
    if aws:
        return boto3.session.Session()  # the user's own credentials and region: explicit opt-in only
    # Read no AWS config at all (not ~/.aws, not AWS_PROFILE, AWS_CONFIG_FILE or AWS_SHARED_CREDENTIALS_FILE): a local
    # lesson must never pick up a real account, nor fail on a profile it does not need. Each entry is botocore's
    # (config-file key, environment variable, default, converter) for that setting.
    core = botocore.session.Session(session_vars={
        "profile": (None, None, None, None),
        "config_file": (None, None, os.devnull, None),
        "credentials_file": (None, None, os.devnull, None),
    })
    return boto3.session.Session(
        aws_access_key_id="dynalab", aws_secret_access_key="dynalab", region_name=REGION, botocore_session=core
    )


#: How long a call waits for a local engine's answer before it says the engine is not answering (a frozen or
#: overloaded engine must not hang a lesson: the slowest local answer, a 1 MB Scan page on moto, takes ~1 s).
LOCAL_READ_TIMEOUT_SECONDS = 15.0


def _client_args(endpoint_url: str | None, aws: bool, **config: Any) -> dict[str, Any]:
    settings = {
        "connect_timeout": 2,
        "read_timeout": 60 if aws else LOCAL_READ_TIMEOUT_SECONDS,
        # boto3's own DynamoDB retry policy (exponential backoff from 50 ms: 50, 100, 200, 400, 800 ms), capped at 5
        # retries so a throttled lesson still shows the retries, and a dead engine answers within ~2 s, not ~25 s.
        "retries": {"mode": "legacy", "max_attempts": 5},
        "max_pool_connections": 32,
    }
    settings.update(config)
    args: dict[str, Any] = {"config": Config(**settings)}
    if not aws:
        args["endpoint_url"] = endpoint_url
        args["region_name"] = REGION
    return args


def _make_lab(endpoint_url: str | None, engine: str, *, embedded: bool,
              read_timeout_seconds: float = LOCAL_READ_TIMEOUT_SECONDS) -> Lab:
    aws = engine == "aws"
    session = _session(aws)
    timeouts = {} if aws else {"read_timeout": read_timeout_seconds}
    client = session.client("dynamodb", **_client_args(endpoint_url, aws, **timeouts))
    resource = session.resource("dynamodb", **_client_args(endpoint_url, aws, **timeouts))
    streams = session.client("dynamodbstreams", **_client_args(endpoint_url, aws, **timeouts))
    from dynalab.fidelity.partiql import translate

    layer = FidelityLayer(engine, translator=translate)
    prefix = aws_table_prefix() if aws else ""
    if aws:  # the guard phase, first of all and never switched off: on AWS nothing reaches a foreign table
        from dynalab.fidelity.guard import Guard

        layer.add(Guard(prefix))
    for each in (client, resource.meta.client, streams):
        layer.install(each)
        if not aws:
            each.meta.events.register_first("needs-retry", _refuse_to_wait_again(endpoint_url, read_timeout_seconds))
    lab = Lab(
        endpoint_url=endpoint_url,
        engine=engine,
        embedded=embedded,
        client=client,
        resource=resource,
        streams=streams,
        fidelity=layer,
        table_prefix=prefix,
    )
    _standard_plugins(lab)
    _explain_connection_errors_in_ipython()
    return lab


def _standard_plugins(lab: Lab) -> None:
    """The fidelity pipeline every connection gets, one plugin per phase (``dynalab.fidelity.Phase`` orders them):
    validation, the old-items reader, the stored-state limits, the meter and, on moto, the stand-ins for what it
    lacks (StartBulkPutItems, PartiQL). Each is given an unmetered client for its own reads, so it never imports the
    engine; the embedded engine is this process's own, so item sizes may be remembered there."""
    from dynalab.fidelity.catalog import TableCatalog
    from dynalab.fidelity.metering import Meter
    from dynalab.fidelity.old_items import OldItems
    from dynalab.fidelity.stored_limits import StoredLimits
    from dynalab.fidelity.validation import Validation

    raw = None if lab.is_aws else _session(False).client("dynamodb", **_client_args(lab.endpoint_url, False))
    # On AWS the layer reads nothing but table descriptions (DescribeTable is free), through the lab's own client:
    # past the guard, so only dynalab's own tables are ever described.
    lab.fidelity.catalog = TableCatalog(raw if raw is not None else lab.client)
    old_items = OldItems(lab.engine, raw, private_engine=lab.embedded)
    stored = StoredLimits(lab.engine, raw)
    lab.fidelity.add(Validation())
    lab.fidelity.add(old_items)
    lab.fidelity.add(stored)
    lab.fidelity.add(Meter(lab.engine, private_engine=lab.embedded, raw_client=raw, old_items=old_items,
                           stored_limits=stored))
    if lab.engine == "moto" and raw is not None:
        # moto has no StartBulkPutItems: dynalab's labelled stand-in answers it, reading the engine's own S3.
        from dynalab.fidelity.bulk_put import BulkPutItems

        def s3() -> Any:
            return _session(False).client("s3", **_client_args(lab.endpoint_url, False,
                                                                s3={"addressing_style": "path"}))

        lab.fidelity.add(BulkPutItems(raw, s3))
        # moto's PartiQL is partial (numbers never match, INSERT overwrites, DELETE answers 500): dynalab runs the
        # statements as the operations they translate to.
        from dynalab.fidelity.partiql.stand_in import PartiQLStandIn

        lab.fidelity.add(PartiQLStandIn(raw))


#: A refused connection to an engine on this machine is retried this many times in all (one quick retry rides
#: through a blip); then the call fails. Nothing listening on loopback is no network fault to wait out: a retrying
#: client (10 attempts, backoff from 50 ms) spent 25 s before a projector on a dead engine said it had stopped.
LOCAL_REFUSED_ATTEMPTS = 2


def _is_loopback(endpoint_url: str | None) -> bool:
    host = urllib.parse.urlsplit(endpoint_url or "").hostname or ""
    return host in ("127.0.0.1", "localhost", "::1")


def _refuse_to_wait_again(endpoint_url: str | None, read_timeout_seconds: float) -> Any:
    """A botocore needs-retry hook: a local engine that did not answer in time is not retried (botocore would wait
    the whole timeout again, up to 5 times), nor, past one quick retry, a loopback engine that refuses connections
    (it is not running): the call fails at once with one line saying what to do."""
    loopback = _is_loopback(endpoint_url)

    def check(caught_exception: BaseException | None = None, attempts: int = 1, **_: Any) -> None:
        if (loopback and isinstance(caught_exception, EndpointConnectionError)
                and attempts >= LOCAL_REFUSED_ATTEMPTS):
            raise EngineUnreachableError(tr(
                "dynalab: the engine at {url} refuses connections: nothing listens there (it stopped?). Run "
                "`lab = dynalab.connect()`: it starts a fresh embedded engine.", url=endpoint_url)) from None
        if isinstance(caught_exception, ReadTimeoutError):
            raise EngineUnreachableError(tr(
                "dynalab: the engine at {url} did not answer within {seconds:g} s (frozen or "
                "overloaded?). If it stopped, run `lab = dynalab.connect()`: it starts a fresh embedded engine.",
                url=endpoint_url, seconds=read_timeout_seconds)) from None

    return check


def _probe(endpoint_url: str) -> None:
    """Fail with one clear line if nothing DynamoDB-like answers at the URL."""
    client = _session(False).client(
        "dynamodb", **_client_args(endpoint_url, False, connect_timeout=2, read_timeout=5,
                                   retries={"mode": "standard", "max_attempts": 1})
    )
    try:
        client.list_tables(Limit=1)
    except _CONNECTION_ERRORS as error:
        raise EngineUnreachableError(tr(
            "dynalab: cannot reach a DynamoDB engine at {url} ({error}). "
            "Start the engine there, or unset {variable} to use the embedded one.",
            url=endpoint_url, error=type(error).__name__, variable=ENV_VAR)) from None
    except ClientError as error:
        raise EngineUnreachableError(tr(
            "dynalab: {url} answers, but not as a DynamoDB engine ({code}: {message}).", url=endpoint_url,
            code=error.response['Error'].get('Code'), message=error.response['Error'].get('Message'))) from None


def _connect_aws() -> Lab:
    # Each AWS setting a learner can get wrong gives one line saying which, and what to do.
    try:
        lab = _make_lab(None, "aws", embedded=False)
        lab.client.list_tables(Limit=1)
    except ProfileNotFound as error:
        raise EngineUnreachableError(tr(
            "dynalab: {variable}=aws: the AWS profile {profile!r} (AWS_PROFILE) is not in your "
            "AWS config; run `aws configure --profile NAME`, or set AWS_PROFILE to a profile you have.",
            variable=ENV_VAR, profile=error.kwargs.get('profile'))) from None
    except NoRegionError:
        raise EngineUnreachableError(tr(
            "dynalab: {variable}=aws needs an AWS Region, and none is set: set AWS_REGION (e.g. us-east-1), or "
            "`region` in your AWS profile.", variable=ENV_VAR)) from None
    except (NoCredentialsError, PartialCredentialsError):
        raise EngineUnreachableError(tr(
            "dynalab: {variable}=aws needs AWS credentials (aws configure, or AWS_PROFILE), and none were found.",
            variable=ENV_VAR)) from None
    except _CONNECTION_ERRORS as error:
        raise EngineUnreachableError(tr(
            "dynalab: {variable}=aws: cannot reach DynamoDB ({kind}: {error}).",
            variable=ENV_VAR, kind=type(error).__name__, error=error)) from None
    return lab


def _explain_connection_errors_in_ipython() -> None:
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

    shell.set_custom_exc((*_CONNECTION_ERRORS, EngineUnreachableError), one_line)
    shell._dynalab_handler = True
