"""The embedded engine's own process: moto's DynamoDB server on loopback.

Run by ``dynalab.engine`` as ``python -m dynalab.engine._process --parent PID``. It binds 127.0.0.1 (never
0.0.0.0) on the port it is given, or on a free port the OS picks when the port is 0, so a busy port can never
stop a lesson. It prints ``READY <port>`` once it listens, and exits by itself when its parent (the Jupyter
kernel or the test run) is gone, so no engine outlives the process that started it.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
from typing import Any

from dynalab.engine import _iterators
from dynalab.models.quotas import SHARD_ITERATOR_LIFETIME_SECONDS

#: Worker threads serving requests (a lesson's load generator uses up to 8 clients at once).
THREADS = 8


def _exit_when_parent_dies(parent_pid: int) -> None:
    # A reparented process (the kernel died, even by SIGKILL) sees a new parent id.
    while True:
        if os.getppid() != parent_pid:
            os._exit(0)
        time.sleep(0.5)


def match_dynamodb_item_limit() -> None:
    """Drop moto's own item-size check: it refuses items from ~405,000 B by its own count, DynamoDB from 409,600 B.

    dynalab's clients enforce DynamoDB's exact limit, with AWS's wording, before a request is sent
    (``dynalab.fidelity.limits``), so the engine must not refuse first with an approximate count.
    """
    from moto.dynamodb.models import dynamo_type

    dynamo_type.LimitedSizeDict.__setitem__ = dict.__setitem__  # type: ignore[method-assign]


def serialize_item_operations() -> Any:
    """Make every DynamoDB and Streams operation of moto's backends run one at a time (one re-entrant lock).

    moto applies a TransactWriteItems action by action and, when one fails, restores a snapshot of each table taken
    before it started: a write another client committed meanwhile was undone with it (votes were lost with two
    readers on one stream). Under one lock a transaction is atomic and isolated, as DynamoDB's are: nothing else
    runs between its snapshot and its commit or rollback, and no reader sees its stream records before it commits.
    """
    import inspect

    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodbstreams.models import DynamoDBStreamsBackend

    lock = threading.RLock()

    def locked(method: Any) -> Any:
        def run(*args: Any, **kwargs: Any) -> Any:
            with lock:
                return method(*args, **kwargs)

        run.__name__, run.__doc__, run.__wrapped__ = method.__name__, method.__doc__, method  # type: ignore[attr-defined]
        return run

    for backend in (DynamoDBBackend, DynamoDBStreamsBackend):
        for name, method in list(vars(backend).items()):
            if not name.startswith("_") and inspect.isfunction(method):
                setattr(backend, name, locked(method))
    return lock


def stop_tracking_model_instances() -> None:
    """moto keeps every model object it ever builds (each Item, each DynamoType of each request, each stream record)
    in a class-level list for its dashboard, so the engine grew with every request, read or write: about 1 KB a
    request, 50 MB over a 10-minute soak. Nothing of DynamoDB's needs the list; only moto's S3 reads its own (to
    close the files of keys it resets), so S3 keeps its tracking and every other service's objects are freed."""
    from moto.core.common_models import BaseModel

    def new(cls: type, *args: Any, **kwargs: Any) -> Any:
        instance = object.__new__(cls)
        if cls.__module__.startswith("moto.s3."):
            cls.instances_tracked.append(instance)  # type: ignore[attr-defined]
        return instance

    BaseModel.__new__ = new  # type: ignore[method-assign,assignment]


def cache_moto_module_list() -> None:
    """moto's dispatcher lists its own package folder (a listdir and ~50 stat calls) on every request to find the
    backend; the list never changes while the engine runs, so list it once (about 0.5 ms a request saved)."""
    import moto.backends

    modules = tuple(moto.backends.list_of_moto_modules())
    moto.backends.list_of_moto_modules = lambda: modules  # type: ignore[assignment]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="0 lets the OS pick a free port")
    parser.add_argument("--parent", type=int, default=0, help="exit when this process id is gone")
    parser.add_argument("--iterator-lifetime-seconds", type=float, default=SHARD_ITERATOR_LIFETIME_SECONDS,
                        help="shard iterators expire this long after they are issued (DynamoDB: 15 minutes)")
    parser.add_argument("--shared", action="store_true",
                        help="an engine several kernels share (dynalab serve): said in the Via header, so they "
                             "prefix their tables")
    args = parser.parse_args(argv)

    # moto logs every request through werkzeug; in a notebook those lines would land in cell outputs.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    logging.getLogger("waitress").setLevel(logging.ERROR)
    from moto.server import DomainDispatcherApplication, create_backend_app
    from waitress.server import create_server

    if args.parent:
        threading.Thread(target=_exit_when_parent_dies, args=(args.parent,), daemon=True).start()
    match_dynamodb_item_limit()
    # dynalab's additions that any client sees (each module adds its own line): CloudWatch as CloudWatch answers,
    # Contributor Insights (_metrics.py, _contributor_insights.py)
    from dynalab.engine._contributor_insights import serve_contributor_insights
    from dynalab.engine._metrics import use_cloudwatch_periods

    use_cloudwatch_periods()
    serve_contributor_insights()
    _iterators.install(args.iterator_lifetime_seconds)  # before the lock wraps get_records
    lock = serialize_item_operations()
    cache_moto_module_list()
    stop_tracking_model_instances()
    # Each request passes between waitress's I/O thread and a worker thread; with Python's default 5 ms switch
    # interval a handoff can wait that long while another thread runs, so switch sooner.
    sys.setswitchinterval(0.0002)
    app = DomainDispatcherApplication(create_backend_app)
    from dynalab.engine import _global_tables  # replicas in other Regions, replication, MREC and MRSC

    app = _global_tables.install(app, lock)
    try:
        # waitress: a production WSGI server with HTTP/1.1 keep-alive, so boto3 reuses its connections (werkzeug's
        # development server cost ~5 ms a request). Threads serve concurrent clients (load generators, readers).
        server = create_server(app, host="127.0.0.1", port=args.port, threads=THREADS,
                               ident="dynalab-shared" if args.shared else "dynalab",
                               connection_limit=200, channel_timeout=120)
    except OSError as error:  # busy port: the parent picks another
        print(f"BUSY {args.port} {error}", flush=True)
        sys.exit(3)
    print(f"READY {server.effective_port}", flush=True)
    server.run()


if __name__ == "__main__":
    main()
