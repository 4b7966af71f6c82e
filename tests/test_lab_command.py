"""`dynalab lab` (and `make lab`, which calls it) starts JupyterLab on 127.0.0.1 without the news prompt or update
check: both would reach the internet. Checked on the running server's own answers. `dynalab lab --language ja`
copies the Japanese edition (notebooks/ja) and starts JupyterLab with DYNALAB_LANG=ja and its own interface in
Japanese (the ja_JP language pack, selected by the settings it starts with); English stays English."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from dynalab.__main__ import main

ROOT = Path(__file__).resolve().parents[1]
TRANSLATION = "@jupyterlab/translation-extension:plugin"  # JupyterLab's language setting ("locale")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, token: str) -> bytes:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=5) as answer:
        return answer.read()


def test_dynalab_lab_help_answers():
    done = subprocess.run([sys.executable, "-m", "dynalab", "lab", "--help"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and "127.0.0.1" in done.stdout and "token" in done.stdout
    japanese = subprocess.run([sys.executable, "-m", "dynalab", "lab", "--language", "ja", "--help"],
                              capture_output=True, text=True, timeout=60)
    assert japanese.returncode == 0 and "127.0.0.1" in japanese.stdout and "トークン" in japanese.stdout


def _first_code(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "".join(next(c["source"] for c in cells if c["cell_type"] == "code"))


@pytest.mark.parametrize("language, edition", [("en", ROOT / "notebooks"), ("ja", ROOT / "notebooks" / "ja")])
def test_dynalab_lab_copies_the_edition_then_starts_jupyterlab_in_its_language(tmp_path, monkeypatch, capsys,
                                                                                language, edition):
    started = []
    monkeypatch.setattr(os, "execv", lambda path, command: started.append(command))  # JupyterLab itself: above
    monkeypatch.setenv("DYNALAB_LANG", "en")
    monkeypatch.chdir(tmp_path)
    try:
        main(["lab", "--language", language, "--no-browser"])
        said = capsys.readouterr().out
        assert os.environ["DYNALAB_LANG"] == language  # what the kernels JupyterLab starts inherit
    finally:
        from dynalab import i18n

        i18n.set_language("en")
    folder = tmp_path / ("dynalab-lessons" if language == "en" else "dynalab-lessons-ja")  # the default DIR
    lessons = sorted(p.name for p in edition.glob("[0-9]*.ipynb"))
    assert lessons and sorted(p.name for p in folder.glob("*.ipynb")) == lessons
    for name in lessons:
        assert f'set_language("{language}")' in _first_code(folder / name), name
    assert (folder / "data" / "votes.csv").is_file()
    assert ("コピー" in said) == (language == "ja"), said  # the summary speaks the edition's language
    [command] = started
    assert f"--ServerApp.root_dir={folder}" in command and command[-1] == "--no-browser"
    # JupyterLab's own interface in the edition's language: the overrides it starts with set its translation setting
    [settings] = [arg.split("=", 1)[1] for arg in command if arg.startswith("--LabApp.app_settings_dir=")]
    overrides = json.loads((Path(settings) / "overrides.json").read_text(encoding="utf-8"))
    assert overrides[TRANSLATION]["locale"] == {"en": "en", "ja": "ja_JP"}[language]
    assert overrides["@jupyterlab/apputils-extension:notification"]["checkForUpdates"] is False  # both editions
    assert not Path(settings).is_relative_to(tmp_path)  # the package's settings, not the learner's own


def test_the_japanese_interface_is_installed_by_the_learners_set_up():
    """``jupyterlab-language-pack-ja-JP`` is a base dependency (what `make lab` and `pip install dynalab` install),
    and JupyterLab finds it as the ja_JP language pack the Japanese edition's settings name."""
    import tomllib
    from importlib.metadata import entry_points

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert any(r.lower().startswith("jupyterlab-language-pack-ja-jp>=") for r in project["dependencies"])
    packs = {entry.name for entry in entry_points(group="jupyterlab.languagepack")}
    assert "ja_JP" in packs, packs
    from jupyterlab_server.translation_utils import get_language_pack

    strings, _ = get_language_pack("ja_JP")
    assert strings["jupyterlab"]["Settings"] == ["設定"]  # the menu JupyterLab shows, in Japanese


def test_jupyterlab_starts_without_news_or_update_checks(tmp_path):
    port, token = _free_port(), "dynalab-test"
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "user-settings"), "JUPYTER_DATA_DIR": str(tmp_path / "data")}
    server = subprocess.Popen(
        [sys.executable, "-m", "dynalab", "lab", str(tmp_path / "lessons"), "--no-browser", f"--port={port}",
         f"--IdentityProvider.token={token}"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(f"{base}/api/status", token)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start: {server.stdout.read()[-2000:]}")
                time.sleep(0.3)
        assert (tmp_path / "lessons" / "00_start_here.ipynb").is_file()  # the lessons were copied first
        notification = json.loads(_get(f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification", token))
        properties = notification["schema"]["properties"]
        assert properties["fetchNews"]["default"] == "false"  # never asks "get Jupyter news?"
        assert properties["checkForUpdates"]["default"] is False
        assert '"news": {"disabled": true}' in _get(f"{base}/lab", token).decode()  # the server fetches no feed
        assert json.loads(_get(f"{base}/lab/api/update", token)) == {"notification": None}
        # the English edition's JupyterLab speaks English, even where the system's locale has a language pack
        translation = json.loads(_get(f"{base}/lab/api/settings/{TRANSLATION}", token))
        assert translation["schema"]["properties"]["locale"]["default"] == "en"
        # and nobody gets in without the token
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{base}/api/contents", timeout=5)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stdout.close()


@pytest.mark.parametrize("language, locale", [("en", "en"), ("ja", "ja_JP")])
def test_a_hub_learners_jupyterlab_speaks_the_rooms_language(tmp_path, monkeypatch, capsys, language, locale):
    """deploy/singleuser.py (what the hub starts for each learner) copies the room's edition and starts
    jupyterhub-singleuser with that edition's settings: a Japanese room's JupyterLab menus are Japanese."""
    import runpy

    started = []
    monkeypatch.setattr(os, "execv", lambda path, command: started.append(command))
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("DYNALAB_HUB_LANGUAGE", language)
    try:
        runpy.run_path(str(ROOT / "deploy" / "singleuser.py"), run_name="__main__")
    finally:
        from dynalab import i18n

        i18n.set_language("en")
    capsys.readouterr()
    [command] = started
    assert command[1:3] == ["-m", "jupyterhub.singleuser"]
    [settings] = [arg.split("=", 1)[1] for arg in command if arg.startswith("--LabApp.app_settings_dir=")]
    overrides = json.loads((Path(settings) / "overrides.json").read_text(encoding="utf-8"))
    assert overrides[TRANSLATION]["locale"] == locale
    lessons = tmp_path / ("dynalab-lessons-ja" if language == "ja" else "dynalab-lessons")
    assert (lessons / "00_start_here.ipynb").is_file()
