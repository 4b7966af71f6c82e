"""A room on the hub, measured: N learners on the JupyterHub of deploy/, and the board at 30 learners.

``python benchmarks/bench_room.py [--learners N] [--simulated 30]`` starts a room (``dynalab room serve``) and the
hub of ``deploy/jupyterhub_config.py`` on 127.0.0.1 (tools/hub_driver.py: the "simple" spawner, every server as this
user with its own home), spawns N users at once through the hub's REST API (as a class logging in together), and in
each user's own kernel runs every code cell of lesson 0 and answers its self-check. It prints, per learner:

* time to first answer: from the spawn request to their first answer on the instructor's board (server start,
  lessons copied, kernel, lesson 0 with its embedded engine, the answer's trip through the room and its projection);
* memory: the user's whole process tree (single-user server + kernel + embedded engine), RSS and Pss from /proc
  (RSS counts shared libraries in every process, Pss shares them out: the host's figure is Pss).

Then it adds ``--simulated`` learners (default 30) answering lesson 0 to 8's questions straight into the room (their
own keys, from threads: the room's load without 30 kernels) and prints the board's refresh: the time one
``read_board`` takes (what the widget and `dynalab room board` do), and the lag from the last answer until the board
shows it. The goal is a refresh at or under 1 s at 30 learners. Linux only (/proc); everything is stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))
LESSON = "dynalab-lessons/00_start_here.ipynb"
#: the questions a simulated learner answers: two per lesson, lessons 0 to 8
SIMULATED_QUESTIONS = [(f"0{lesson}_lesson", f"q{number}") for lesson in range(9) for number in (1, 2)]


@dataclass
class Learner:
    name: str
    ready_s: float | None = None
    first_answer_s: float | None = None
    rss_mb: float = 0.0
    pss_mb: float = 0.0
    processes: int = 0
    errors: list[str] = field(default_factory=list)


def _status_kb(pid: int, key: str, path: str = "status") -> int:
    try:
        for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(f"/proc/{entry.name}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        queue.extend(_children(current))
    return pids


def _server_pid(name: str) -> int | None:
    """The single-user server of user ``name`` (its environment names the user)."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{entry.name}/cmdline").read_bytes()
            environ = Path(f"/proc/{entry.name}/environ").read_bytes()
        except OSError:
            continue
        if b"jupyterhub.singleuser" in cmdline and f"JUPYTERHUB_USER={name}\0".encode() in environ:
            return int(entry.name)
    return None


def _memory_in_use_mb() -> float:
    info = {line.split(":")[0]: int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()}
    return (info["MemTotal"] - info["MemAvailable"]) / 1024


def run_learner(hub, lab, learner: Learner, began: float, cells: list[str]) -> None:
    from dynalab.room.board import read_board

    try:
        hub.spawn(learner.name)  # each in its own thread: the hub answers a spawn request after up to 10 s
        hub.wait_ready(learner.name, timeout_seconds=600)
        learner.ready_s = time.perf_counter() - began
        kernel = hub.kernel(learner.name, LESSON)
        try:
            for code in cells:
                _, errors = kernel.run(code, timeout_seconds=300)
                learner.errors += errors
            _, errors = kernel.run("from dynalab.widgets.self_check import self_check_questions\n"
                                   "print(self_check_questions('00')[0].check('partition key'))")
            learner.errors += errors
            while time.perf_counter() - began < 600:
                if any(row.learner == learner.name for row in read_board(lab).learners):
                    learner.first_answer_s = time.perf_counter() - began
                    break
                time.sleep(0.1)
            pid = _server_pid(learner.name)
            if pid is not None:
                pids = _tree(pid)
                learner.processes = len(pids)
                learner.rss_mb = sum(_status_kb(p, "VmRSS") for p in pids) / 1024
                learner.pss_mb = sum(_status_kb(p, "Pss", "smaps_rollup") for p in pids) / 1024
        finally:
            kernel.close()
    except Exception as error:  # noqa: BLE001 - a benchmark reports every learner, whatever happened to one
        learner.errors.append(f"{type(error).__name__}: {error}")


def simulate(room, lab, learners: int) -> tuple[float, float, list[float]]:
    """``learners`` answer every simulated question at once; return (seconds to put them all, lag until the board
    shows them all, read_board times)."""
    from dynalab.room.board import read_board
    from dynalab.room.clients import room_client
    from dynalab.room.server import put_answer_args

    def answer(name: str) -> None:
        client = room_client(room.url, room.learners_key, name, attempts=3)
        for number, (lesson, question) in enumerate(SIMULATED_QUESTIONS):
            at = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()) + f".{number:06d}Z"
            client.put_item(**put_answer_args({
                "learner": {"S": name}, "question_id": {"S": f"{lesson}#{question}"}, "lesson": {"S": lesson},
                "question": {"S": f"{lesson} {question}"}, "correct": {"BOOL": number % 3 != 0},
                "answered_at": {"S": at}}))

    names = [f"sim{number:02d}" for number in range(learners)]
    began = time.perf_counter()
    threads = [threading.Thread(target=answer, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    put_s = time.perf_counter() - began
    wanted = len(SIMULATED_QUESTIONS)
    done = time.perf_counter()
    while time.perf_counter() - done < 120:
        rows = {row.learner: row for row in read_board(lab).learners}
        if all(name in rows and rows[name].answered == wanted for name in names):
            break
        time.sleep(0.05)
    lag_s = time.perf_counter() - done
    reads = [read_board(lab).read_seconds for _ in range(20)]
    return put_s, lag_s, reads


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=8, help="users spawned at once on the hub (default 8)")
    parser.add_argument("--simulated", type=int, default=30, help="learners answering straight into the room (30)")
    args = parser.parse_args(argv)
    if not 1 <= args.learners <= 64:
        parser.error(f"--learners must be from 1 to 64, got {args.learners}")
    if not 1 <= args.simulated <= 500:
        parser.error(f"--simulated must be from 1 to 500, got {args.simulated}")
    if not Path("/proc/meminfo").exists() or shutil.which("node") is None:
        sys.exit("bench_room needs Linux's /proc and Node.js (configurable-http-proxy)")
    from hub_driver import Hub, code_cells
    from support_room import RoomProcess

    from dynalab.room.clients import room_lab

    workdir = Path(tempfile.mkdtemp(prefix="dynalab-bench-room-"))
    load_before, before = os.getloadavg(), _memory_in_use_mb()
    room = RoomProcess(workdir / "room")
    hub = None
    learners = [Learner(f"learner{number}") for number in range(1, args.learners + 1)]
    try:
        started = time.perf_counter()
        hub = Hub(workdir, room_state=workdir / "room")
        hub_start_s = time.perf_counter() - started
        lab = room_lab(room.url, json.loads((room.state / "room.json").read_text())["instructor_key"])
        cells = code_cells(ROOT / "notebooks" / "00_start_here.ipynb")
        began = time.perf_counter()
        threads = [threading.Thread(target=run_learner, args=(hub, lab, learner, began, cells)) for learner in learners]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(900)
        wall = time.perf_counter() - began
        at_peak, load_end = _memory_in_use_mb(), os.getloadavg()
        room_pss = sum(_status_kb(p, "Pss", "smaps_rollup") for p in _tree(room.process.pid)) / 1024
        # the hub, its proxy and its idle culler (the learners' servers are counted per learner above)
        hub_pss = (sum(_status_kb(p, "Pss", "smaps_rollup") for p in _tree(hub.process.pid)) / 1024
                   - sum(each.pss_mb for each in learners))  # the learners' servers are the hub's children
        put_s, lag_s, reads = simulate(room, lab, args.simulated)
    finally:
        if hub is not None:
            hub.stop()
        room.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"room on the hub: {args.learners} learners spawned at once, lesson 0 and its self-check each; "
          f"{platform.node()}, {os.cpu_count()} cores; load average before {load_before[0]:.1f}; hub started in "
          f"{hub_start_s:.1f} s")
    print("learner    server ready s  first answer s  server+kernel+engine RSS MB  Pss MB  processes  errors")
    for each in learners:
        first = f"{each.first_answer_s:.1f}" if each.first_answer_s is not None else "-"
        ready = f"{each.ready_s:.1f}" if each.ready_s is not None else "-"
        print(f"{each.name:<10} {ready:>14}  {first:>14}  {each.rss_mb:>27.0f}  {each.pss_mb:>6.0f}  "
              f"{each.processes:>9}  {'; '.join(each.errors)[:200] or 'none'}")
    print(f"the room's engine: Pss {room_pss:.0f} MB; the hub with its proxy and culler: Pss {hub_pss:.0f} MB")
    finished = [each for each in learners if each.first_answer_s is not None and not each.errors]
    if finished:
        print(f"per learner (median): RSS {statistics.median(e.rss_mb for e in finished):.0f} MB, Pss "
              f"{statistics.median(e.pss_mb for e in finished):.0f} MB, server ready "
              f"{statistics.median(e.ready_s for e in finished):.1f} s, first answer "
              f"{statistics.median(e.first_answer_s for e in finished):.1f} s (slowest "
              f"{max(e.first_answer_s for e in finished):.1f} s)")
    print(f"host: memory in use {before:.0f} MB before, {at_peak:.0f} MB with the room running "
          f"(+{at_peak - before:.0f} MB for {args.learners} learners and the hub); load average at the end "
          f"{load_end[0]:.1f}; wall {wall:.0f} s; {len(finished)} of {args.learners} learners finished without error")
    refresh = statistics.median(reads)
    print(f"board at {args.simulated + len(finished)} learners ({args.simulated} simulated, "
          f"{len(SIMULATED_QUESTIONS)} answers each, put in {put_s:.1f} s): refresh (read_board) median "
          f"{1000 * refresh:.0f} ms, max {1000 * max(reads):.0f} ms (goal <= 1000 ms: "
          f"{'met' if max(reads) <= 1.0 else 'MISSED'}); the last answer on the board {lag_s:.2f} s after it was put")


if __name__ == "__main__":
    main()
