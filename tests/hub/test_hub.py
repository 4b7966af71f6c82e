"""The room on a real JupyterHub (deploy/jupyterhub_config.py), run once in the whole test run (`make test-hub`).

The hub starts on 127.0.0.1 with configurable-http-proxy from npm; three users are spawned through its REST API
(their lessons copied at spawn, the room's settings in their environment); each runs every code cell of lesson 0
in a kernel their own server started, then answers its self-check; the board reads three learners.
"""

from __future__ import annotations

import json
import shutil
import sys
import threading
import time

import pytest
from support import ROOT
from support_room import RoomProcess, wait_for

from dynalab.room.board import read_board
from dynalab.room.clients import room_lab

sys.path.insert(0, str(ROOT / "tools"))
from hub_driver import Hub, code_cells  # noqa: E402

pytestmark = pytest.mark.hub
LEARNERS = ("ana", "ben", "chie")
LESSON = "dynalab-lessons/00_start_here.ipynb"


@pytest.fixture
def hub_and_room(tmp_path):
    pytest.importorskip("jupyterhub", reason="JupyterHub is missing: `make setup` installs it (the hub extra)")
    if shutil.which("node") is None:
        pytest.skip("Node.js is missing: configurable-http-proxy (npm) cannot run")
    room = RoomProcess(tmp_path / "room", wait=False)
    hub = None
    try:
        # the room writes its address and keys first, then makes its tables: the hub starts meanwhile
        wait_for(lambda: (tmp_path / "room" / "room.json").is_file(), 60, "the room's settings")
        hub = Hub(tmp_path, room_state=tmp_path / "room")
        room.wait_ready()
        yield hub, room
    finally:
        if hub is not None:
            hub.stop()
        room.stop()


def run_lesson_zero(hub: Hub, name: str, results: dict) -> None:
    try:
        hub.spawn(name)  # at once, as a class logging in together (the hub answers a spawn after up to 10 s)
        hub.wait_ready(name)
        kernel = hub.kernel(name, LESSON)
        try:
            for code in code_cells(ROOT / "notebooks" / "00_start_here.ipynb"):
                _, errors = kernel.run(code)
                assert not errors, f"{name}: {errors}"
            # the self-check, answered as the learner would: the first right, the second wrong
            said, errors = kernel.run("from dynalab.widgets.self_check import self_check_questions\n"
                                      "questions = self_check_questions('00', found=found)\n"
                                      "print(questions[0].check('partition key')); print(questions[1].check('-1'))")
            assert not errors, f"{name}: {errors}"
            environment, _ = kernel.run("import os; print(os.environ['DYNALAB_LEARNER'], "
                                        "os.environ['DYNALAB_ROOM_KEY'][:4])")
            results[name] = (said, environment.split())
        finally:
            kernel.close()
    except BaseException as error:  # noqa: BLE001 - reported by the test thread
        results[name] = error


def test_three_learners_on_a_real_hub_reach_the_board(hub_and_room):
    hub, room = hub_and_room
    began = time.perf_counter()
    results: dict = {}
    threads = [threading.Thread(target=run_lesson_zero, args=(hub, name, results)) for name in LEARNERS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    for name in LEARNERS:
        outcome = results.get(name)
        assert not isinstance(outcome, BaseException) and outcome is not None, (name, outcome, hub.log_tail())
        said, (learner, key_kind) = outcome
        assert "✓ Correct" in said and "✗ Not quite" in said
        assert (learner, key_kind) == (name, "dlp-")  # their own name, their own personal key
        assert (hub.workdir / "homes" / name / LESSON).is_file()  # copied at spawn
    instructor_key = json.loads((room.state / "room.json").read_text())["instructor_key"]
    lab = room_lab(room.url, instructor_key)
    def three_learners():
        board = read_board(lab)
        return board if len(board.learners) == 3 else None

    board = wait_for(three_learners, 60, "three learners on the board")
    assert [row.learner for row in board.learners] == sorted(LEARNERS)
    assert all((row.answered, row.correct, row.lesson_reached) == (2, 1, "00_start_here") for row in board.learners)
    print(f"hub test: 3 learners spawned, lesson 0 run and answered, on the board in "
          f"{time.perf_counter() - began:.1f} s")
