"""Run a command against engines started outside dynalab: ``python tools/with_external_engine.py [--engines N] CMD``.

Starts moto's own server (``python -m moto.server``, not dynalab's launcher) on a free loopback port, sets
DYNALAB_ENDPOINT to it for the command, and stops it afterwards whatever the command did.

``--engines N`` starts N such servers (in parallel) and names them all in DYNALAB_TEST_ENDPOINTS (space-separated),
DYNALAB_ENDPOINT naming the first: tests/conftest.py gives each pytest worker its own (``-n N``), as the embedded
run gives each worker its own embedded engine. Workers sharing one engine are kernels sharing one without
DYNALAB_LEARNER: the lesson scenarios' fixed table names (``lesson6-writes-0-all``) then collide, and dynalab rightly
refuses to reset another kernel's table.
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


def _stop(engine: subprocess.Popen) -> None:
    engine.terminate()
    try:
        engine.wait(timeout=10)
    except subprocess.TimeoutExpired:  # a loaded machine: moto's server may not finish in time; stop it hard
        engine.kill()
        engine.wait()


def main(command: list[str]) -> int:
    count = 1
    if command[:1] == ["--engines"]:
        count, command = int(command[1]), command[2:]
    if not 1 <= count <= 16:
        print(f"--engines must be 1 to 16, got {count}", file=sys.stderr)
        return 2
    urls = [f"http://127.0.0.1:{_free_port()}" for _ in range(count)]
    engines = [subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", url.rsplit(":", 1)[1]],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for url in urls]
    try:
        for url, engine in zip(urls, engines, strict=True):
            if not _answers(url, engine):
                state = "did not answer within 10 s" if engine.poll() is None else f"exited (code {engine.poll()})"
                print(f"external engine: moto server on {url} {state}; is moto[server] installed?", file=sys.stderr)
                return 1
        print(f"external engine: moto server on {', '.join(urls)} (DYNALAB_ENDPOINT={urls[0]})", flush=True)
        return subprocess.call(command, env={**os.environ, "DYNALAB_ENDPOINT": urls[0],
                                             "DYNALAB_TEST_ENDPOINTS": " ".join(urls)})
    finally:  # the command is over: these engines were started for it alone
        for engine in engines:
            _stop(engine)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
