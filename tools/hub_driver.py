"""Drive the JupyterHub of deploy/ from a script: the hub test (tests/hub) and benchmarks/bench_room.py use it.

``Hub(workdir, room_state)`` starts ``jupyterhub -f deploy/jupyterhub_config.py`` on 127.0.0.1 (free ports, the
"simple" spawner: every server runs as this user with a home of its own under ``workdir``), with an API token.
``hub.spawn(name)`` creates the user and starts their server through the hub's REST API, as the hub would at their
login; ``hub.kernel(name, notebook)`` opens a session on that server (a kernel started by the user's own Jupyter
server, so it has their environment: the room's settings, JPY_SESSION_NAME) and returns a ``Kernel`` whose
``run(code)`` executes code over the kernel's websocket. ``hub.stop()`` stops the hub, which stops every server.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "jupyterhub_config.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HubError(RuntimeError):
    pass


class Kernel:
    """A kernel of a user's server, driven over its websocket (Jupyter's messaging protocol, JSON frames)."""

    def __init__(self, url: str, token: str) -> None:
        import websocket  # websocket-client, a dependency of jupyter_server

        self.session = uuid.uuid4().hex
        self.socket = websocket.create_connection(f"{url}?session_id={self.session}",
                                                  header=[f"Authorization: token {token}"], timeout=300)

    def run(self, code: str, timeout_seconds: float = 120.0) -> tuple[str, list[str]]:
        """Execute ``code``; return (its stdout and stderr text, the errors it raised as 'Name: value')."""
        msg_id = uuid.uuid4().hex
        self.socket.send(json.dumps({
            "header": {"msg_id": msg_id, "username": "driver", "session": self.session, "msg_type": "execute_request",
                       "version": "5.3", "date": dt.datetime.now(dt.UTC).isoformat()},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        text, errors, replied, idle = [], [], False, False
        deadline = time.monotonic() + timeout_seconds
        while not (replied and idle):
            if time.monotonic() > deadline:
                raise HubError(f"a cell did not finish within {timeout_seconds} s: {code[:80]!r}")
            message = json.loads(self.socket.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = message["header"]["msg_type"], message["content"]
            if kind == "stream":
                text.append(content["text"])
            elif kind == "error":
                errors.append(f"{content['ename']}: {content['evalue']}")
            elif kind == "execute_reply":
                replied = True
            elif kind == "status" and content["execution_state"] == "idle":
                idle = True
        return "".join(text), errors

    def close(self) -> None:
        self.socket.close()


class Hub:
    """The hub of deploy/, on 127.0.0.1, for one script run."""

    def __init__(self, workdir: Path, room_state: Path | None = None, timeout_seconds: float = 60.0) -> None:
        self.workdir = Path(workdir)
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "DYNALAB_HUB_STATE": str(self.workdir / "hub"), "DYNALAB_HUB_PORT": str(self.port),
               "DYNALAB_HUB_API_PORT": str(free_port()), "DYNALAB_HUB_PROXY_API_PORT": str(free_port()),
               "DYNALAB_HUB_SPAWNER": "simple", "DYNALAB_HUB_HOMES": str(self.workdir / "homes"),
               "DYNALAB_HUB_PASSWORD": secrets.token_hex(8), "DYNALAB_HUB_API_TOKEN": self.token,
               "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        for name in ("DYNALAB_ROOM", "DYNALAB_ROOM_KEY", "DYNALAB_LEARNER", "DYNALAB_ENDPOINT", "JPY_SESSION_NAME"):
            env.pop(name, None)
        if room_state is not None:
            env["DYNALAB_ROOM_STATE"] = str(room_state)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.log = open(self.workdir / "hub.log", "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=self.workdir,
                                        env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout_seconds
        while True:
            try:
                self.api("GET", "/hub/api/")
                return
            except (OSError, HubError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise HubError(f"the hub did not start: {self.log_tail()}") from None
                time.sleep(0.2)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join((self.workdir / "hub.log").read_text().splitlines()[-lines:])
        except OSError:
            return ""

    def api(self, method: str, path: str, body: Any = None, timeout_seconds: float = 30.0) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout_seconds) as reply:
                text = reply.read()
        except urllib.error.HTTPError as error:
            raise HubError(f"{method} {path}: {error.code} {error.read()[:300]!r}") from None
        return json.loads(text) if text else None

    def spawn(self, name: str) -> None:
        """Create user ``name`` and ask the hub to start their server (as their login would)."""
        try:
            self.api("POST", f"/hub/api/users/{name}")
        except HubError as error:
            if " 409 " not in str(error):  # the user exists already
                raise
        self.api("POST", f"/hub/api/users/{name}/server")

    def wait_ready(self, name: str, timeout_seconds: float = 120.0) -> None:
        deadline = time.monotonic() + timeout_seconds
        while True:
            server = self.api("GET", f"/hub/api/users/{name}").get("servers", {}).get("", {})
            if server.get("ready"):
                return
            if time.monotonic() > deadline:
                raise HubError(f"{name}'s server was not ready within {timeout_seconds} s: {self.log_tail()}")
            time.sleep(0.25)

    def kernel(self, name: str, notebook: str) -> Kernel:
        """A kernel for ``notebook`` (a path in the user's home) started by the user's own server."""
        session = self.api("POST", f"/user/{name}/api/sessions", {
            "path": notebook, "name": Path(notebook).name, "type": "notebook", "kernel": {"name": "python3"}})
        kernel_id = session["kernel"]["id"]
        return Kernel(f"ws://127.0.0.1:{self.port}/user/{name}/api/kernels/{kernel_id}/channels", self.token)

    def server_pid(self, name: str) -> int | None:
        """The process id of ``name``'s single-user server (the simple spawner records it in the hub's state)."""
        state = self.api("GET", f"/hub/api/users/{name}?include_stopped_servers=1")
        pid = state.get("servers", {}).get("", {}).get("state", {}).get("pid")
        return int(pid) if pid else None

    def stop(self) -> None:
        """Stop the hub: it stops every user's server and the proxy it started."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def code_cells(notebook: Path) -> list[str]:
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    return ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
