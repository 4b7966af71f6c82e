"""The cross-check engine: dynalite 4.0.0 (npm, an independent DynamoDB implementation) on loopback.

Started once for this folder's tests and stopped after them. Without Node.js or ``node_modules/dynalite``
(``npm ci`` installs it) every test here skips with one line saying so.
"""

from __future__ import annotations

import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from support import free_port

import dynalab

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "node_modules" / "dynalite" / "cli.js"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "dynalite" in item.path.parts:
            item.add_marker(pytest.mark.dynalite)


@pytest.fixture(scope="session")
def dynalite_url():
    node = shutil.which("node")
    if node is None or not CLI.exists():
        missing = "Node.js (node) is not on PATH" if node is None else f"{CLI.relative_to(ROOT)} is missing (npm ci)"
        pytest.skip(f"dynalite cross-check skipped: {missing}")
    port = free_port()
    process = subprocess.Popen(
        [node, str(CLI), "--host", "127.0.0.1", "--port", str(port),
         "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"dynalite did not start: {process.stderr.read().decode()[-500:]}") from None
            time.sleep(0.05)
    yield url
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def dlab(dynalite_url):
    """A dynalab Lab on dynalite: the same fidelity layer, an engine that reports real units."""
    lab = dynalab.connect(dynalite_url)
    assert lab.engine == "dynalite"
    return lab


@pytest.fixture(scope="session")
def plain(dynalite_url):
    """A boto3 client on dynalite without dynalab's layer: dynalite's own answers, untouched."""
    from dynalab.engine import _client_args, _session

    return _session(False).client("dynamodb", **_client_args(dynalite_url, False))
