"""A room for the tests (``from support_room import RoomProcess``): ``python -m dynalab room serve`` as a real
process, its settings read from what it prints, stopped (or killed, as a crash) by the test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path


class RoomProcess:
    """``dynalab room serve --state STATE --port PORT`` until ``stop()``; ``settings`` holds what it printed."""

    def __init__(self, state: Path, port: int = 0, host: str = "127.0.0.1", timeout_seconds: float = 60.0,
                 wait: bool = True) -> None:
        self.state = Path(state)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "dynalab", "room", "serve", "--state", str(state), "--port", str(port),
             "--host", host, "--parent", str(os.getpid())],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
            env={**os.environ, "DYNALAB_LANG": "en"})
        self.lines: list[str] = []
        self.errors: list[str] = []
        self.settings: dict[str, str] = {}
        ready = self._ready = threading.Event()

        def read_stdout() -> None:
            for line in self.process.stdout:
                self.lines.append(line.rstrip("\n"))
                if "=" in line and line.startswith("DYNALAB_ROOM"):
                    name, _, value = line.strip().partition("=")
                    self.settings[name] = value
                if line.startswith("The board:"):
                    ready.set()
            ready.set()

        threading.Thread(target=read_stdout, daemon=True).start()
        threading.Thread(target=lambda: self.errors.extend(self.process.stderr), daemon=True).start()
        if wait:
            self.wait_ready(timeout_seconds)

    def wait_ready(self, timeout_seconds: float = 60.0) -> None:
        """Until the room has printed its settings (its tables exist, its journal is replayed)."""
        if not self._ready.wait(timeout_seconds) or "DYNALAB_ROOM_KEY" not in self.settings:
            self.stop()
            raise RuntimeError(f"the room did not start: {self.lines} {self.errors}")

    @property
    def url(self) -> str:
        return self.settings["DYNALAB_ROOM"]

    @property
    def learners_key(self) -> str:
        return self.settings["DYNALAB_ROOM_KEY"]

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def kill(self) -> None:
        """A crash: SIGKILL, nothing cleaned up (the journal must already hold every acknowledged answer)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def wait_for(condition, seconds: float = 30.0, what: str = "the condition"):
    """Poll ``condition()`` every 0.1 s until it is truthy (returned) or ``seconds`` pass (AssertionError)."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {seconds} s")
        time.sleep(0.1)
