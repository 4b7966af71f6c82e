"""Shared fixtures. Unit tests need nothing; integration tests get ``lab``, one real engine for the session.

The engine is the embedded one (moto in a child process on 127.0.0.1), or whatever DYNALAB_ENDPOINT names: the
same tests run against an engine started outside dynalab (``make test-external``).
"""

from __future__ import annotations

import itertools
import os

import pytest

import dynalab

_names = itertools.count()


@pytest.fixture(scope="session")
def _engine_for_the_session():
    yield
    dynalab.stop_embedded_engine()  # leave no engine process behind


@pytest.fixture
def lab(_engine_for_the_session):
    """The engine's Lab. A test that stops or kills the engine gets the next test a fresh one, as a learner would."""
    return dynalab.connect()


@pytest.fixture
def table_name(request) -> str:
    """A table name unique to this test (and this process, so parallel runs on one engine do not collide)."""
    base = request.node.name.replace("[", "-").replace("]", "")[:150]
    return f"t-{os.getpid()}-{next(_names)}-{base}".replace(" ", "_")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "integration" in item.path.parts:
            item.add_marker(pytest.mark.integration)
