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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="0 lets the OS pick a free port")
    parser.add_argument("--parent", type=int, default=0, help="exit when this process id is gone")
    args = parser.parse_args(argv)

    # moto logs every request through werkzeug; in a notebook those lines would land in cell outputs.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    from moto.server import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    if args.parent:
        threading.Thread(target=_exit_when_parent_dies, args=(args.parent,), daemon=True).start()
    match_dynamodb_item_limit()
    app = DomainDispatcherApplication(create_backend_app)
    try:
        server = make_server("127.0.0.1", args.port, app, threaded=True, request_handler=MotoRequestHandler)
    except (OSError, SystemExit) as error:  # busy port (werkzeug exits on EADDRINUSE): the parent picks another
        print(f"BUSY {args.port} {error}", flush=True)
        sys.exit(3)
    print(f"READY {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
