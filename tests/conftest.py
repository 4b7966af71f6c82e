"""Shared fixtures. Unit tests need nothing; integration tests get ``lab``, one real engine for the session.

The engine is the embedded one (moto in a child process on 127.0.0.1), or whatever DYNALAB_ENDPOINT names: the
same tests run against an engine started outside dynalab (``make test-external``).
"""

from __future__ import annotations

import itertools
import os
import re

import pytest

import dynalab

_names = itertools.count()


def _own_outside_engine_per_worker() -> None:
    """Under ``tools/with_external_engine.py --engines N``, pytest worker gwK uses the K-th engine (mod N): each
    worker its own, as each has its own embedded engine. Set before any test module is imported (some read
    DYNALAB_ENDPOINT at import)."""
    endpoints = os.environ.get("DYNALAB_TEST_ENDPOINTS", "").split()
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if endpoints and worker.startswith("gw") and worker[2:].isdigit():
        os.environ["DYNALAB_ENDPOINT"] = endpoints[int(worker[2:]) % len(endpoints)]


_own_outside_engine_per_worker()


@pytest.fixture(scope="session")
def _engine_for_the_session():
    yield
    dynalab.stop_embedded_engine()  # leave no engine process behind


@pytest.fixture
def lab(_engine_for_the_session):
    """The engine's Lab. A test that stops or kills the engine gets the next test a fresh one, as a learner would."""
    return dynalab.connect()


@pytest.fixture
def clock():
    """A clock that moves only when told (``clock.advance(seconds)``): dynalab's own StepClock."""
    from dynalab.models.clock import StepClock

    return StepClock(start=1000.0)


@pytest.fixture
def table_name(request) -> str:
    """A table name unique to this test (and this process, so parallel runs on one engine do not collide)."""
    base = re.sub(r"[^a-zA-Z0-9_.-]", "_", request.node.name.replace("[", "-").replace("]", ""))[:150]
    return f"t-{os.getpid()}-{next(_names)}-{base}"  # DynamoDB's characters only (moto accepts any)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "integration" in item.path.parts:
            item.add_marker(pytest.mark.integration)


def _engines_started_by(pid: int) -> list[int]:
    """Embedded-engine processes whose parent is this test run (read from /proc; Linux only)."""
    found = []
    for entry in os.scandir("/proc") if os.path.isdir("/proc") else ():
        if entry.name.isdigit():
            try:
                with open(f"/proc/{entry.name}/cmdline", "rb") as file:
                    words = file.read().split(b"\0")
            except OSError:
                continue
            if b"dynalab.engine._process" in words and str(pid).encode() in words:
                found.append(int(entry.name))
    return found


def pytest_sessionfinish(session, exitstatus):
    # Tests must leave no engine process behind: fail the run if one outlived its test.
    import time

    for _ in range(50):
        left = _engines_started_by(os.getpid())
        if not left:
            return
        time.sleep(0.1)
    print(f"\nengine processes left behind by the tests: {left}")
    session.exitstatus = 1
