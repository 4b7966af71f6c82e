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
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.parse
import uuid
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import (
    ClientError,
    NoCredentialsError,
    NoRegionError,
    PartialCredentialsError,
    ProfileNotFound,
    ReadTimeoutError,
)

from dynalab.engine.liveness import (
    CONNECTION_ERRORS,
    LOCAL_READ_TIMEOUT_SECONDS,
    LOCAL_REFUSED_ATTEMPTS,  # noqa: F401 - dynalab.engine.LOCAL_REFUSED_ATTEMPTS, as before the move
    EngineBusyError,
    EngineFeatureMissingError,
    EngineUnreachableError,
    accepts_connections,
    busy_message,
    engine_state,
    explain_connection_errors_in_ipython,
    identify_engine,
    refuse_to_wait_again,
)
from dynalab.fidelity import FidelityLayer
from dynalab.fidelity.aws_guard import AwsGuard
from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.models.checks import ParameterTypeError
from dynalab.models.naming import TABLE_NAME_RULE, table_name_problem
from dynalab.models.quotas import SHARD_ITERATOR_LIFETIME_SECONDS

__all__ = [
    "AWS_TABLE_PREFIX",
    "REGION",
    "EmbeddedEngine",
    "EngineBusyError",
    "EngineFeatureMissingError",
    "EngineUnreachableError",
    "Lab",
    "aws_regions",
    "aws_table_prefix",
    "local_owner",
    "check_region",
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
#: A learner's name on a local engine (``ana``): the owner of the tables this kernel creates, and, on an engine
#: other kernels share, the prefix of their names (``ana-votes``).
LEARNER_ENV_VAR = "DYNALAB_LEARNER"
#: What an engine started by ``dynalab serve`` (one that several kernels share) says in its answers' Via header.
SHARED_ENGINE_SERVER = "dynalab-shared"
#: The owner of this process's tables when DYNALAB_LEARNER is unset: one per kernel.
_KERNEL_OWNER = f"kernel-{uuid.uuid4().hex[:8]}"


def aws_table_prefix() -> str:
    """The prefix of every table dynalab creates on AWS: ``DYNALAB_AWS_PREFIX``, or ``dynalab-`` when unset.

    In a room sharing one account, give each learner their own (``dynalab-ana-``): the guard then keeps each learner
    to their own tables, and ``dynalab cleanup`` deletes only theirs. A prefix ends with ``-``, the separator, so
    ``dynalab-ana-`` never matches ``dynalab-anabel-votes``; give no learner a prefix that another's starts with
    (``dynalab-ana-`` and ``dynalab-ana-b-`` would overlap).
    """
    prefix = os.environ.get(PREFIX_ENV_VAR, AWS_TABLE_PREFIX)
    # A prefix must itself be table-name characters, and short enough to leave room for the lesson's name.
    if not re.fullmatch(r"[A-Za-z0-9_.-]{3,64}", prefix):
        raise ValueError(tr("{variable} must be 3 to 64 characters of A-Z, a-z, 0-9, '_', '-' and '.' "
                            "(an empty prefix would make every table dynalab's); got {prefix!r}",
                            variable=PREFIX_ENV_VAR, prefix=prefix))
    if not prefix.endswith("-"):
        raise ValueError(tr("{variable} must end with '-', the separator, so that {prefix!r} cannot match another "
                            "learner's tables ({prefix}bel-votes); got {prefix!r}: use {fixed!r}",
                            variable=PREFIX_ENV_VAR, prefix=prefix, fixed=prefix + "-"))
    return prefix


def local_owner() -> str:
    """Who owns the tables this process creates on a local engine: ``DYNALAB_LEARNER`` (1 to 32 characters of A-Z,
    a-z, 0-9, '_' and '.'), else an id of this kernel (``kernel-1a2b3c4d``). Tables carry it in their
    ``dynalab:owner`` tag: a reset deletes only its owner's tables."""
    learner = os.environ.get(LEARNER_ENV_VAR, "").strip()
    if not learner:
        return _KERNEL_OWNER
    if not re.fullmatch(r"[A-Za-z0-9_.]{1,32}", learner):
        raise ValueError(tr("{variable} must be 1 to 32 characters of A-Z, a-z, 0-9, '_' and '.' (it becomes the "
                            "prefix of your table names on a shared engine, before a '-'); got {learner!r}",
                            variable=LEARNER_ENV_VAR, learner=learner))
    return learner


@dataclass
class EmbeddedEngine:
    """moto's DynamoDB server in a child process, on 127.0.0.1."""

    process: subprocess.Popen
    port: int

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def is_alive(self) -> bool:
        """Not dead: its process runs and its port accepts connections. A busy or stopped engine is alive."""
        return self.process.poll() is None and accepts_connections(self.endpoint_url)

    def stop(self) -> None:
        """End the engine and its tables: only its owner asks (the kernel's exit, ``stop_embedded_engine()``,
        ``dynalab serve``'s Ctrl-C), never a check that found it slow."""
        if self.process.poll() is None:
            self.process.terminate()
            if hasattr(signal, "SIGCONT"):  # a stopped engine takes its SIGTERM now, not at its next SIGCONT
                with contextlib.suppress(OSError):
                    os.kill(self.process.pid, signal.SIGCONT)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()


def start_embedded_engine(port: int = 0, timeout_seconds: float = 20.0, *,
                          iterator_lifetime_seconds: float = SHARD_ITERATOR_LIFETIME_SECONDS,
                          shared: bool = False) -> EmbeddedEngine:
    """Start moto's server on 127.0.0.1; port 0 (the default) lets the OS pick a free one.

    A port asked for by number that is busy falls back to a free one, with a note on stderr. Shard iterators
    expire ``iterator_lifetime_seconds`` after they are issued (DynamoDB's 15 minutes; a test may shorten it).
    ``shared`` (``dynalab serve``): an engine for several kernels, which then prefix their tables' names.
    """
    shared = checks.flag("shared", shared)
    checks.number("port", port, low=0, high=65535, integer=True)
    checks.number("iterator_lifetime_seconds", iterator_lifetime_seconds, low=0, low_open=True, unit="seconds")
    for attempt_port in (port, 0) if port else (0,):
        process = subprocess.Popen(
            [sys.executable, "-m", "dynalab.engine._process", "--port", str(attempt_port),
             "--parent", str(os.getpid()), "--iterator-lifetime-seconds", repr(float(iterator_lifetime_seconds)),
             *(["--shared"] if shared else [])],
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
        process.kill()  # it never said READY: it holds no table, and nobody can reach it
        return ""
    return result[0].strip()


def _answers(endpoint_url: str, timeout_seconds: float = 2.0) -> bool:
    """Does the engine answer HTTP within ``timeout_seconds``? (Any status counts: it is alive and serving.)"""
    return engine_state(endpoint_url, timeout_seconds) == "answers"


@dataclass
class Lab:
    """One connection to an engine: boto3 ``client``, ``resource`` and ``streams`` with the fidelity layer.

    ``engine`` says what answers: "moto" (the embedded engine or another moto), "dynalite", "aws" or
    "other". ``table_name("votes")`` gives the name a lesson table has on this endpoint: as given on the embedded
    engine (one kernel's own), ``<prefix>votes`` on AWS (``DYNALAB_AWS_PREFIX``) and on an engine several kernels
    share (``dynalab serve``, or any engine once ``DYNALAB_LEARNER`` is set: ``ana-votes``, or
    ``kernel-1a2b3c4d-votes``), so two kernels never reset each other's tables. ``owner`` is who the tables this
    connection creates belong to (their ``dynalab:owner`` tag): the prefix on AWS, ``local_owner()`` elsewhere.
    """

    endpoint_url: str | None
    engine: str
    embedded: bool
    client: Any = field(repr=False)
    resource: Any = field(repr=False)
    streams: Any = field(repr=False)
    fidelity: FidelityLayer = field(repr=False)
    table_prefix: str = ""
    owner: str = ""
    #: a boto3 CloudWatch client for the lab's endpoint (on AWS: your account's CloudWatch, read-only use): the engine's
    #: ``AWS/DynamoDB`` metrics (``dynalab.fidelity.recorder``) and Contributor Insights reports
    cloudwatch: Any = field(default=None, repr=False)
    #: the AWS Region its clients sign for: REGION locally (the engine keeps one backend per Region), your own on AWS
    region: str = REGION
    #: dollars of AWS load estimated and approved so far on this connection (``dynalab.engine.aws_budget``)
    aws_dollars_approved: float = 0.0
    _retrying_clients: dict[int, Any] = field(default_factory=dict, repr=False, compare=False)
    _regional: dict[str, Lab] = field(default_factory=dict, repr=False, compare=False)

    @property
    def is_aws(self) -> bool:
        return self.engine == "aws"

    @property
    def meter(self) -> Any:
        """The capacity meter (``dynalab.fidelity.metering.Meter``): units per table and operation, a log."""
        from dynalab.fidelity.metering import Meter

        return self.fidelity.find(Meter)

    @property
    def metrics(self) -> Any:
        """The metrics recorder (``dynalab.fidelity.recorder.MetricsRecorder``) publishing to the engine's CloudWatch,
        or None (on AWS DynamoDB publishes its own; dynalite serves no CloudWatch)."""
        from dynalab.fidelity.recorder import MetricsRecorder

        return self.fidelity.find(MetricsRecorder)

    def table_name(self, name: str) -> str:
        """The name a lesson table called ``name`` has here: prefixed on AWS, as given elsewhere."""
        full = name if isinstance(name, str) and name.startswith(self.table_prefix) else self.table_prefix + str(name)
        # DynamoDB's rule (CreateTable: TableName), said before any request so a lesson never sees a deep traceback
        if not isinstance(name, str) or table_name_problem(full) is not None:
            raise ValueError(tr("a table name must be {rule}; got {name!r}", rule=TABLE_NAME_RULE, name=name))
        return full

    def owns_table(self, table_name: str) -> bool:
        """May dynalab delete this table? Only one named with the connection's prefix (on the embedded engine, which
        has none, any; who created it is ``dynalab.engine.ownership``'s question)."""
        return table_name.startswith(self.table_prefix)

    def new_client(self, service: str = "dynamodb", **config: Any) -> Any:
        """Another boto3 client on the same endpoint and fidelity layer (e.g. with other retry settings)."""
        with _lock:  # a boto3 session is not thread-safe while it builds a client
            client = _session(self.is_aws).client(service, **_client_args(self.endpoint_url, self.is_aws,
                                                                           region=self.region, **config))
        self.fidelity.install(client)
        if self.is_aws:  # the guard first, outside the layer: no switch of the layer turns it off
            AwsGuard(self.table_prefix).install(client)
        else:  # the same fail-fast rules as the lab's own clients
            client.meta.events.register_first("needs-retry", refuse_to_wait_again(
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

    def in_region(self, region: str) -> Lab:
        """This lab's endpoint in another AWS Region: its own clients (signed for ``region``, which picks the Region
        on the engine as on AWS) and its own fidelity layer, so its meter counts that Region's units. A global
        table's replica in that Region is ``lab.in_region("us-west-2").client``'s. The same Lab for the same Region.
        """
        if region == self.region:
            return self
        check_region("region", region)
        with _lock:
            if region not in self._regional:
                # the same table names in every Region: a prefixed connection stays prefixed
                self._regional[region] = _make_lab(self.endpoint_url, self.engine, embedded=self.embedded,
                                                   shared=bool(self.table_prefix), region=region)
            return self._regional[region]

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
    lives; if the embedded engine died (its process exited, or its port refuses connections), it says so in one
    line and starts a fresh one. A busy engine (it accepts connections, no answer) is waited for up to
    ``LOCAL_READ_TIMEOUT_SECONDS``, then reported busy (EngineBusyError) and left running with its tables.
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
        state = engine_state(target, LOCAL_READ_TIMEOUT_SECONDS)
        if state == "busy":
            raise EngineBusyError(busy_message(target, LOCAL_READ_TIMEOUT_SECONDS))
        if lab is None or state == "dead":
            _labs.pop(target, None)
            shared = _probe(target)
            lab = _labs[target] = _make_lab(target, identify_engine(target), embedded=False, shared=shared)
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
    if _embedded is not None:
        state = engine_state(_embedded.endpoint_url, LOCAL_READ_TIMEOUT_SECONDS, _embedded.process)
        if state == "busy":  # never replaced: a fresh engine would hold none of the learner's tables
            raise EngineBusyError(busy_message(_embedded.endpoint_url, LOCAL_READ_TIMEOUT_SECONDS))
        if state == "dead":
            print(tr(
                "dynalab: the embedded engine on port {port} has stopped; starting a fresh one "
                "(the tables it held are gone: re-run the cells that create them).", port=_embedded.port))
            _labs.pop(_embedded.endpoint_url, None)
            _embedded.stop()  # reaps it (its port refuses connections: nothing of it serves any more)
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


def aws_regions() -> frozenset[str]:
    """The AWS Regions where DynamoDB is available (botocore's endpoint data, aws partition), read once."""
    with _lock:
        if not _regions:
            _regions.append(frozenset(_session(False).get_available_regions("dynamodb")))
        return _regions[0]


def check_region(name: str, value: Any) -> str:
    """``value`` if it is an AWS Region where DynamoDB is available, else a ValueError naming ``name``."""
    if isinstance(value, str) and value in aws_regions():
        return value
    raise ValueError(tr("{name} must be an AWS Region where DynamoDB is available (e.g. us-west-2, eu-west-1); "
                        "got {value!r:.60}", name=name, value=value))


_regions: list[frozenset[str]] = []


def _client_args(endpoint_url: str | None, aws: bool, *, region: str | None = None, **config: Any) -> dict[str, Any]:
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
        args["region_name"] = region or REGION
    elif region is not None:
        args["region_name"] = region
    return args


def _prefix_and_owner(aws: bool, embedded: bool, shared: bool) -> tuple[str, str]:
    """The connection's table prefix and owner: on AWS the prefix is the owner; on the embedded engine (one kernel's
    own) no prefix; on an engine kernels share, or any engine once DYNALAB_LEARNER is set, ``<owner>-``."""
    if aws:
        prefix = aws_table_prefix()
        return prefix, prefix
    owner = local_owner()
    learner_set = bool(os.environ.get(LEARNER_ENV_VAR, "").strip())
    return ("" if embedded or not (shared or learner_set) else f"{owner}-"), owner


def _make_lab(endpoint_url: str | None, engine: str, *, embedded: bool,
              read_timeout_seconds: float = LOCAL_READ_TIMEOUT_SECONDS, shared: bool = False,
              region: str | None = None) -> Lab:
    aws = engine == "aws"
    prefix, owner = _prefix_and_owner(aws, embedded, shared)
    session = _session(aws)
    timeouts: dict[str, Any] = {} if aws else {"read_timeout": read_timeout_seconds}
    client = session.client("dynamodb", **_client_args(endpoint_url, aws, region=region, **timeouts))
    resource = session.resource("dynamodb", **_client_args(endpoint_url, aws, region=region, **timeouts))
    streams = session.client("dynamodbstreams", **_client_args(endpoint_url, aws, region=region, **timeouts))
    from dynalab.fidelity.partiql import translate

    layer = FidelityLayer(engine, translator=translate)
    for each in (client, resource.meta.client, streams):
        if aws:  # before everything, outside the layer: on AWS nothing reaches a resource that is not dynalab's
            AwsGuard(prefix).install(each)
        layer.install(each)
        if not aws:
            each.meta.events.register_first("needs-retry", refuse_to_wait_again(endpoint_url, read_timeout_seconds))
    lab = Lab(
        endpoint_url=endpoint_url,
        engine=engine,
        embedded=embedded,
        client=client,
        resource=resource,
        streams=streams,
        fidelity=layer,
        table_prefix=prefix,
        owner=owner,
        cloudwatch=session.client("cloudwatch", **_client_args(endpoint_url, aws, region=region, **timeouts)),
        region=client.meta.region_name,
    )
    if not aws:
        lab.cloudwatch.meta.events.register_first("needs-retry", refuse_to_wait_again(endpoint_url,
                                                                                        read_timeout_seconds))
    _standard_plugins(lab)
    explain_connection_errors_in_ipython()
    return lab


def _standard_plugins(lab: Lab) -> None:
    """The fidelity pipeline every connection gets, one plugin per phase (``dynalab.fidelity.Phase`` orders them):
    validation, the old-items reader, the stored-state limits, the meter and, on moto, the stand-ins for what it
    lacks (StartBulkPutItems, PartiQL, Contributor Insights) and the metrics recorder (the record phase). The AWS
    guard is not among them: ``_make_lab`` installs it on each client, outside the layer and any switch of it. Each
    is given an unmetered client for its own reads, so it never imports the engine; the embedded engine is this
    process's own, so item sizes may be remembered there."""
    from dynalab.fidelity.catalog import TableCatalog
    from dynalab.fidelity.metering import Meter
    from dynalab.fidelity.old_items import OldItems
    from dynalab.fidelity.stored_limits import StoredLimits
    from dynalab.fidelity.validation import Validation

    raw = None if lab.is_aws else _session(False).client("dynamodb", **_client_args(lab.endpoint_url, False,
                                                                                    region=lab.region))
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
            return _session(False).client("s3", **_client_args(lab.endpoint_url, False, region=lab.region,
                                                                s3={"addressing_style": "path"}))

        lab.fidelity.add(BulkPutItems(raw, s3))
        # moto's PartiQL is partial (numbers never match, INSERT overwrites, DELETE answers 500): dynalab runs the
        # statements as the operations they translate to.
        from dynalab.fidelity.partiql.stand_in import PartiQLStandIn

        lab.fidelity.add(PartiQLStandIn(raw))
        _console_plugins(lab, raw)


def _console_plugins(lab: Lab, raw: Any) -> None:
    """CloudWatch's side of a moto engine: the metrics recorder, and (on an engine started outside dynalab, which
    lacks them) the Contributor Insights stand-in. ``lab.cloudwatch`` flushes the recorder before each call, so a
    read through the lab sees every call made before it."""
    from dynalab.fidelity.contributor_insights import (
        ClientStore,
        ContributorInsightsService,
        ContributorInsightsStandIn,
    )
    from dynalab.fidelity.recorder import MetricsRecorder

    # the recorder's own clients: one quick retry, so a dead engine costs its background thread little; in the lab's
    # Region, whose CloudWatch holds the metrics of that Region's tables
    quick = {"retries": {"mode": "standard", "max_attempts": 2}}
    cloudwatch = _session(False).client("cloudwatch", **_client_args(lab.endpoint_url, False, region=lab.region,
                                                                      **quick))
    logs = _session(False).client("logs", **_client_args(lab.endpoint_url, False, region=lab.region, **quick))
    catalog = lab.fidelity.catalog

    def key_attributes(table: str, index: str | None) -> tuple[str, ...] | None:
        info = catalog.info(table) if catalog is not None else None
        if info is None:
            return None
        if index is None:
            return info.key_attributes
        return next((i.key_attributes for i in info.indexes if i.name == index and i.is_global), None)

    recorder = lab.fidelity.add(MetricsRecorder(cloudwatch, logs, lambda t: raw.describe_table(TableName=t)["Table"],
                                                key_attributes))

    def flush_first(**_: Any) -> None:  # returns None: a before-call handler's answer would replace the call's
        recorder.flush()

    lab.cloudwatch.meta.events.register_first("before-call.cloudwatch", flush_first)
    if not lab.embedded:  # the embedded engine serves Contributor Insights itself (engine/_contributor_insights.py)
        stand_in = lab.fidelity.add(ContributorInsightsStandIn(ContributorInsightsService(ClientStore(raw, cloudwatch,
                                                                                                       logs))))
        stand_in.install_report(lab.cloudwatch)


def _probe(endpoint_url: str) -> bool:
    """Fail with one clear line if nothing DynamoDB-like answers at the URL; else whether it is an engine several
    kernels share (``dynalab serve``'s, said in its Via header)."""
    client = _session(False).client(
        "dynamodb", **_client_args(endpoint_url, False, connect_timeout=2, read_timeout=LOCAL_READ_TIMEOUT_SECONDS,
                                   retries={"mode": "standard", "max_attempts": 1})
    )
    try:
        answer = client.list_tables(Limit=1)
    except ReadTimeoutError:
        raise EngineBusyError(busy_message(endpoint_url, LOCAL_READ_TIMEOUT_SECONDS)) from None
    except CONNECTION_ERRORS as error:
        raise EngineUnreachableError(tr(
            "dynalab: cannot reach a DynamoDB engine at {url} ({error}). "
            "Start the engine there, or unset {variable} to use the embedded one.",
            url=endpoint_url, error=type(error).__name__, variable=ENV_VAR)) from None
    except ClientError as error:
        raise EngineUnreachableError(tr(
            "dynalab: {url} answers, but not as a DynamoDB engine ({code}: {message}).", url=endpoint_url,
            code=error.response['Error'].get('Code'), message=error.response['Error'].get('Message'))) from None
    # waitress names the server in the Via header (moto's own Server header says amazon.com)
    return answer.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("via", "") == SHARED_ENGINE_SERVER


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
    except CONNECTION_ERRORS as error:
        raise EngineUnreachableError(tr(
            "dynalab: {variable}=aws: cannot reach DynamoDB ({kind}: {error}).",
            variable=ENV_VAR, kind=type(error).__name__, error=error)) from None
    return lab
