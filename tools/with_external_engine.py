"""Run a command against an engine started outside dynalab: ``python tools/with_external_engine.py CMD ...``.

Starts moto's own server (``python -m moto.server``, not dynalab's launcher) on a free loopback port, sets
DYNALAB_ENDPOINT to it for the command, and stops it afterwards whatever the command did.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main(command: list[str]) -> int:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    engine = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        print(f"external engine: moto server on {url} (DYNALAB_ENDPOINT={url})", flush=True)
        return subprocess.call(command, env={**os.environ, "DYNALAB_ENDPOINT": url})
    finally:
        engine.terminate()
        engine.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
