"""Helpers every test folder shares, written once (import them as ``from support import ...``: tests/ is on the
path through tests/conftest.py)."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path
from typing import Any

from dynalab.models.sizing import item_size

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
#: a tag unique to this test process, for the tables a module names itself: on an engine several processes share
#: (``make test-external``: every pytest worker on one engine), two workers running one module must not reset, or
#: tear down, each other's tables
RUN = f"p{os.getpid()}"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def lesson_notebooks(directory: Path = NOTEBOOKS) -> list[Path]:
    """The lessons, in order: every ``[0-9]*.ipynb`` of the folder."""
    return sorted(Path(directory).glob("[0-9]*.ipynb"))


def item_of_size(size_bytes: int, pk: str = "a", **attributes: Any) -> dict:
    """An item of exactly ``size_bytes`` by DynamoDB's size rule: ``pk``, ``attributes``, and a string attribute
    ``d`` padding it to the size."""
    base = {"pk": pk, **attributes, "d": ""}
    padding = size_bytes - item_size(base)
    if padding < 0:
        raise ValueError(f"the key and attributes alone take {item_size(base)} B, more than {size_bytes}")
    return {**base, "d": "x" * padding}


def process_ends(pid: int, seconds: float) -> bool:
    """Does process ``pid`` end (no longer exist) within ``seconds``? Polled every 0.1 s."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
