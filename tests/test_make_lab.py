"""`make lab` and `make lab-ja` as a learner runs them, JupyterLab and a kernel included.

* They open a learner's **copy** of the lessons (``LESSONS=`` names the folder; by default the git-ignored
  ``dynalab-lessons/``), so JupyterLab's autosave rewrites the copy, never the committed ``notebooks/``; the copy holds
  the lessons and their data, not the test files beside them (``sanitize.cfg``).
* The terminal stays quiet on 127.0.0.1: no "Kernel is running over TCP without encryption" (the kernels' messages are
  encrypted), no websocket ping warning (no keep-alive pings on loopback), no "No web browser found" (no launch where
  there is no browser). A kernel still starts and runs a cell over the server's websocket, as the page's would.

* JupyterLab's own interface is in the edition's language: Japanese for ``make lab-ja`` (the ja_JP language pack the
  set-up installs), English for ``make lab``.

``make -o .venv/.lab-installed`` takes the set-up as done (the test run's own ``make setup`` did it).
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import pytest
from support import free_port

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "dynalab-make-lab-test"
#: what jupyter_server, ipykernel and tornado print on loopback unless told otherwise
LOOPBACK_WARNINGS = ("Kernel is running over TCP without encryption", "No web browser found",
                     "websocket_ping_timeout")


class Lab:
    def __init__(self, target: str, work: Path) -> None:
        self.target, self.work = target, work
        self.lessons = work / "lessons"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {key: value for key, value in os.environ.items()
               if key not in {"DISPLAY", "WAYLAND_DISPLAY", "BROWSER", "DYNALAB_ENDPOINT", "DYNALAB_LANG"}}
        env.update(JUPYTER_CONFIG_DIR=str(work / "config"), JUPYTER_RUNTIME_DIR=str(work / "rt"),
                   JUPYTERLAB_SETTINGS_DIR=str(work / "user-settings"), JUPYTER_DATA_DIR=str(work / "data"),
                   IPYTHONDIR=str(work / "ipython"))
        lab_args = f"--port={self.port} --IdentityProvider.token={TOKEN}"
        if self._finds_a_browser(env):  # a desktop: the test must not open a browser window (no warning either)
            lab_args += " --no-browser"
        self.stderr_path = work / "stderr.log"
        with open(work / "stdout.log", "w") as out, open(self.stderr_path, "w") as err:
            self.process = subprocess.Popen(
                [shutil.which("make"), "-s", "-o", ".venv/.lab-installed", target, f"LESSONS={self.lessons}",
                 f"LAB_ARGS={lab_args}"], cwd=ROOT, env=env, stdout=out, stderr=err, start_new_session=True)

    @staticmethod
    def _finds_a_browser(env: dict[str, str]) -> bool:
        probe = "import webbrowser\ntry:\n    webbrowser.get()\nexcept webbrowser.Error:\n    print('none')"
        done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60)
        return "none" not in done.stdout

    def request(self, path: str, method: str = "GET", body: dict | None = None):
        data = None if body is None else json.dumps(body).encode()
        asked = urllib.request.Request(f"{self.url}{path}", method=method, data=data,
                                       headers={"Authorization": f"token {TOKEN}"})
        with urllib.request.urlopen(asked, timeout=30) as answer:
            text = answer.read()
        return json.loads(text) if text else None

    def wait_until_up(self) -> None:
        deadline = time.monotonic() + 120
        while True:
            try:
                self.request("/api/status")
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"`make {self.target}` did not start JupyterLab:\n{self.stderr()[-3000:]}")
                time.sleep(0.3)

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # make, JupyterLab and its kernels: one process group
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


async def _until_iopub_flows(socket, request) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        message_id, info = request("kernel_info_request", {})
        await socket.write_message(info)
        try:
            while True:
                raw = await asyncio.wait_for(socket.read_message(), timeout=2)
                assert raw is not None, "the kernel's websocket closed"
                message = json.loads(raw)
                if message.get("channel") == "iopub" and message.get("parent_header", {}).get("msg_id") == message_id:
                    return
        except TimeoutError:
            continue  # no iopub status for this request yet: ask again
    raise AssertionError("the kernel's iopub stream did not flow within 60 s")


def _run_a_cell(lab: Lab, kernel_id: str, code: str) -> str:
    """Run ``code`` in the kernel over the server's websocket (as the page does); return its text result."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    async def run() -> str:
        socket = await websocket_connect(HTTPRequest(
            f"ws://127.0.0.1:{lab.port}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4()}",
            headers={"Authorization": f"token {TOKEN}"}))
        session = uuid.uuid4().hex

        def request(msg_type: str, content: dict) -> tuple[str, str]:
            message_id = uuid.uuid4().hex
            return message_id, json.dumps({
                "header": {"msg_id": message_id, "username": "learner", "session": session, "msg_type": msg_type,
                           "version": "5.3"},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [], "content": content})

        # As Jupyter's own clients do: ask kernel_info until a status for it arrives on iopub (a kernel just started
        # may publish before the server's iopub stream is connected), then execute, and read the result until iopub's
        # idle: the shell's execute_reply can arrive before iopub's execute_result ('' instead of 42 on a busy
        # machine: busy, execute_input, then the reply).
        await _until_iopub_flows(socket, request)
        message_id, execute = request("execute_request", {"code": code, "silent": False, "store_history": False})
        await socket.write_message(execute)
        result, seen = "", []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            raw = await asyncio.wait_for(socket.read_message(), timeout=60)
            assert raw is not None, "the kernel's websocket closed"
            message = json.loads(raw)
            if message.get("parent_header", {}).get("msg_id") != message_id:
                continue
            seen.append((message.get("channel"), message["msg_type"], message["content"].get("status")
                         or message["content"].get("execution_state") or message["content"].get("ename")))
            if message["msg_type"] == "execute_result":
                result = message["content"]["data"]["text/plain"]
            # the cell is done at iopub's idle (shell and iopub are separate streams: execute_reply may come first)
            if message["msg_type"] == "status" and message["content"].get("execution_state") == "idle":
                socket.close()
                return result or f"no result; the kernel's messages for the cell: {seen}"
        raise AssertionError("the kernel did not answer within 60 s")

    return asyncio.run(run())


def _interface_language(lab: Lab) -> str:
    """The language JupyterLab's own interface starts in: its translation setting as the running server gives it to
    the page (the default the page's translator loads, then asks ``/lab/api/translations/<locale>`` for)."""
    plugin = lab.request("/lab/api/settings/@jupyterlab/translation-extension:plugin")
    return plugin["schema"]["properties"]["locale"]["default"]


@pytest.fixture(scope="module")
def make_lab(tmp_path_factory):
    if shutil.which("make") is None or not (ROOT / ".venv" / "bin" / "dynalab").exists():
        pytest.skip("needs make and the repo's .venv (make setup)")
    lab = Lab("lab", tmp_path_factory.mktemp("make-lab"))
    try:
        lab.wait_until_up()
        lab.locale = _interface_language(lab)
        kernel = lab.request("/api/kernels", "POST", {"name": "python3"})
        lab.cell_result = _run_a_cell(lab, kernel["id"], "6 * 7")
        lab.request(f"/api/kernels/{kernel['id']}", "DELETE")
        yield lab
    finally:
        lab.stop()


def test_make_lab_serves_a_copy_that_autosave_may_rewrite(make_lab):
    lesson = "00_start_here.ipynb"
    committed = (ROOT / "notebooks" / lesson).read_bytes()
    served = make_lab.request(f"/api/contents/{lesson}?content=1")
    assert Path(make_lab.lessons, lesson).read_bytes() == committed  # the copy, as the course has it
    served["content"]["metadata"]["learner_was_here"] = True  # what JupyterLab's autosave does: save the page
    make_lab.request(f"/api/contents/{lesson}", "PUT", {"type": "notebook", "format": "json",
                                                        "content": served["content"]})
    assert b"learner_was_here" in (make_lab.lessons / lesson).read_bytes()
    assert (ROOT / "notebooks" / lesson).read_bytes() == committed  # the committed lesson is untouched


def test_the_learner_sees_lessons_and_data_only(make_lab):
    listing = {entry["name"] for entry in make_lab.request("/api/contents")["content"]}
    lessons = {path.name for path in (ROOT / "notebooks").glob("[0-9]*.ipynb")}
    assert lessons <= listing, lessons - listing
    assert listing - lessons == {"data", "ja"}, listing  # no sanitize.cfg, nothing that is not a lesson
    assert not list(make_lab.lessons.rglob("sanitize.cfg"))
    japanese = {path.name for path in (ROOT / "notebooks" / "ja").glob("[0-9]*.ipynb")}
    assert {path.name for path in (make_lab.lessons / "ja").iterdir()} == japanese


def test_make_lab_keeps_jupyterlab_in_english(make_lab):
    assert make_lab.locale == "en"  # even where the system's locale is Japanese and the pack is installed


def test_the_terminal_is_quiet_on_loopback_and_the_kernel_runs(make_lab):
    assert make_lab.cell_result == "42"  # the page's way to a kernel works (its messages encrypted)
    said = make_lab.stderr()
    assert "Jupyter Server" in said and "127.0.0.1" in said, said[-2000:]  # the server's own lines are there
    for warning in LOOPBACK_WARNINGS:
        assert warning not in said, f"`make lab` printed {warning!r}:\n{said[-3000:]}"


def test_make_lab_ja_serves_a_copy_of_the_japanese_edition(tmp_path):
    if shutil.which("make") is None or not (ROOT / ".venv" / "bin" / "dynalab").exists():
        pytest.skip("needs make and the repo's .venv (make setup)")
    lab = Lab("lab-ja", tmp_path)
    try:
        lab.wait_until_up()
        listing = {entry["name"] for entry in lab.request("/api/contents")["content"]}
        locale = _interface_language(lab)
        packs = lab.request("/lab/api/translations")["data"]
        japanese_strings = lab.request(f"/lab/api/translations/{locale}")["data"]
    finally:
        lab.stop()
    japanese = {path.name for path in (ROOT / "notebooks" / "ja").glob("[0-9]*.ipynb")}
    assert listing == japanese | {"data"}, listing
    first = json.loads((lab.lessons / "00_start_here.ipynb").read_text(encoding="utf-8"))["cells"]
    assert any('set_language("ja")' in "".join(c["source"]) for c in first if c["cell_type"] == "code")
    # JupyterLab's own menus in Japanese: the ja_JP language pack (installed by the set-up) selected by the settings
    # `make lab-ja` starts with, and served by this server
    assert locale == "ja_JP" and "ja_JP" in packs, (locale, packs)
    assert japanese_strings["jupyterlab"]["Settings"] == ["設定"]
    said = lab.stderr()
    for warning in LOOPBACK_WARNINGS:
        assert warning not in said, f"`make lab-ja` printed {warning!r}:\n{said[-3000:]}"
