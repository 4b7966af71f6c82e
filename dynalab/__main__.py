"""``python -m dynalab serve [--port N]``: run the embedded engine on its own, for other processes to share.

Point them at it with ``DYNALAB_ENDPOINT=http://127.0.0.1:N``. ``python -m dynalab info`` prints which engine a
``dynalab.connect()`` here would reach.
"""

from __future__ import annotations

import argparse
import signal
import sys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="dynalab", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the engine on 127.0.0.1 until Ctrl-C")
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (a busy one falls back to a free one)")
    commands.add_parser("info", help="say which engine dynalab.connect() reaches")
    args = parser.parse_args(argv)

    if args.command == "info":
        from dynalab.engine import connect

        print(connect().describe())
        return
    from dynalab.engine import start_embedded_engine

    engine = start_embedded_engine(args.port)
    print(f"dynalab engine on {engine.endpoint_url}; use DYNALAB_ENDPOINT={engine.endpoint_url}. Ctrl-C stops it.",
          flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        engine.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        engine.stop()


if __name__ == "__main__":
    main()
