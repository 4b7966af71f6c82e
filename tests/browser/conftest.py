"""The lessons in a real browser: one JupyterLab server and one headless chromium for the test module.

* JupyterLab serves a **copy** of ``notebooks/`` (Run All in the browser changes notebooks, and JupyterLab
  autosaves: the committed ones must never be touched), its stored outputs cleared (Run All makes them afresh), on
  127.0.0.1 and a free port, without a token (test only; ``make lab`` keeps the learner's token), with a fresh
  settings and workspace folder. It is stopped after.
* chromium is Debian's ``/usr/bin/chromium`` (``tools/install_chromium.py``), never a downloaded one. Every request
  that is not to the test server is logged (and fails: chromium's proxy is a closed port, loopback excepted): the
  lessons must work with no network.
* ``DYNALAB_LESSONS_DIR=/some/folder`` runs the tests on the ``[0-9]*.ipynb`` notebooks of another folder (for
  developing a lesson outside ``notebooks/``).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_support import ROOT, lessons_dir
from chromium_support import browser  # noqa: F401  (a fixture)
from support import free_port


@dataclass(frozen=True)
class LabServer:
    url: str


def _clear_outputs(path: Path) -> None:
    """The lesson without its stored outputs: Run All makes them afresh, and JupyterLab opens it seconds sooner
    (no stored figures to draw first)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"], cell["execution_count"] = [], None
    path.write_text(json.dumps(notebook, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def jupyter_lab():
    workdir = Path(tempfile.mkdtemp(prefix="dynalab-lab-"))
    served = workdir / "notebooks"
    shutil.copytree(lessons_dir(), served, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for lesson in served.rglob("*.ipynb"):
        _clear_outputs(lesson)
    if (ROOT / "data").is_dir():  # lessons may read ../data
        (workdir / "data").symlink_to(ROOT / "data")
    # Every cell in the DOM (no windowing), so the tests find a widget wherever it sits in the lesson.
    tracker = workdir / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}')
    # No "get notified about Jupyter news?" prompt over the lesson (it would fetch news from the internet).
    notification = workdir / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text('{"fetchNews": "false"}')
    # JupyterLab's own interface in English whatever the machine's locale (the Japanese language pack is installed:
    # "default" would follow a ja_JP system); the tests read dynalab's widgets, in either edition's language.
    translation = workdir / "settings" / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
    translation.parent.mkdir(parents=True)
    translation.write_text('{"locale": "en"}')
    port = free_port()
    env = {key: value for key, value in os.environ.items()
           if key not in {"DYNALAB_ENDPOINT", "PLOTLY_RENDERER"}}
    env.update(JUPYTER_CONFIG_DIR=str(workdir / "config"), JUPYTER_RUNTIME_DIR=str(workdir / "runtime"),
               IPYTHONDIR=str(workdir / "ipython"))
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               "--IdentityProvider.token=", "--ServerApp.password=", "--ServerApp.disable_check_xsrf=True",
               f"--ServerApp.root_dir={served}", "--LabApp.expose_app_in_browser=True",
               f"--LabServerApp.user_settings_dir={workdir / 'settings'}",
               f"--LabServerApp.workspaces_dir={workdir / 'workspaces'}",
               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = open(workdir / "jupyter.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(command, cwd=served, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("JupyterLab did not start:\n" + (workdir / "jupyter.log").read_text()[-3000:])
                time.sleep(0.2)
        yield LabServer(url)
    finally:
        # The server's own process group: the server and the kernels (and their engines) it started.
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)

