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
import urllib.error
import urllib.request


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str, engine: subprocess.Popen) -> bool:
    """Whether the server answers HTTP (any status) within 10 s; False at once if its process has exited. It asks
    for moto's few-byte settings: its root is S3's ListBuckets, whose first answer loads moto's S3 (~0.7 s)."""
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/moto-api/config", timeout=1).close()
            return True
        except urllib.error.HTTPError:  # an HTTP error status is an answer
            return True
        except OSError:
            if engine.poll() is not None:
                return False
            time.sleep(0.1)
    return False


def main(command: list[str]) -> int:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    engine = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if not _answers(url, engine):
            state = "did not answer within 10 s" if engine.poll() is None else f"exited (code {engine.poll()})"
            print(f"external engine: moto server on {url} {state}; is moto[server] installed?", file=sys.stderr)
            return 1
        print(f"external engine: moto server on {url} (DYNALAB_ENDPOINT={url})", flush=True)
        return subprocess.call(command, env={**os.environ, "DYNALAB_ENDPOINT": url})
    finally:  # the command is over: this engine was started for it alone
        engine.terminate()
        try:
            engine.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a loaded machine: moto's server may not finish in time; stop it hard
            engine.kill()
            engine.wait()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
