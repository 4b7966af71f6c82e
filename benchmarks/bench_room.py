"""A room, measured: N learners at once, each a kernel with its own embedded engine running lesson 0 then lesson 4.

``python benchmarks/bench_room.py [--learners N]`` (default 8) starts N Jupyter kernels together, as a hub does when
a class opens its notebooks, and runs every code cell of ``00_start_here`` and then ``04_stream_projection_votes`` in
each (the engine starts with the first ``dynalab.connect()``). It prints, per learner: the time to first answer
(kernel start to the first cell that reached the engine), the time for both lessons, and the memory the learner
holds when done (kernel + engine: VmRSS and Pss from /proc; RSS counts shared libraries in every process, Pss shares
them out, so the host's figure uses Pss); then the host's total: memory in use before, at the end, and the
difference, and the load average. Bounded: each cell may take at most ``--cell-timeout`` seconds and every kernel
(and so every engine, which watches its parent) is shut down at the end, even after an error. Linux only (/proc).
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
LESSONS = ("00_start_here.ipynb", "04_stream_projection_votes.ipynb")


@dataclass
class Learner:
    number: int
    first_answer_s: float | None = None
    lessons_s: float | None = None
    rss_mb: float = 0.0
    kernel_rss_mb: float = 0.0
    engine_rss_mb: float = 0.0
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


def _memory_in_use_mb() -> float:
    info = {line.split(":")[0]: int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()}
    return (info["MemTotal"] - info["MemAvailable"]) / 1024


def _code_cells(lesson: str) -> list[str]:
    notebook = json.loads((ROOT / "notebooks" / lesson).read_text(encoding="utf-8"))
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "code"]


def run_learner(learner: Learner, start: threading.Barrier, done: threading.Barrier, workdir: Path,
                cell_timeout: float, keep: list) -> None:
    from jupyter_client import KernelManager

    manager = KernelManager(kernel_name="python3")
    keep.append(manager)
    start.wait()
    began = time.perf_counter()
    try:
        manager.start_kernel(cwd=str(workdir), env={k: v for k, v in os.environ.items() if k != "DYNALAB_ENDPOINT"})
        client = manager.client()
        client.start_channels()
        client.wait_for_ready(timeout=120)
        for lesson in LESSONS:
            for code in _code_cells(lesson):
                failures = []

                def hook(message, failures=failures, lesson=lesson):
                    if message["header"]["msg_type"] == "error":
                        failures.append(f"{lesson}: {message['content']['ename']}: {message['content']['evalue']}")

                client.execute_interactive(code, timeout=cell_timeout, output_hook=hook, store_history=False)
                learner.errors += failures
                if learner.first_answer_s is None and "connect(" in code and not failures:
                    learner.first_answer_s = time.perf_counter() - began
        learner.lessons_s = time.perf_counter() - began
        pids = _tree(manager.provisioner.pid)
        learner.processes = len(pids)
        learner.rss_mb = sum(_status_kb(pid, "VmRSS") for pid in pids) / 1024
        learner.kernel_rss_mb = _status_kb(pids[0], "VmRSS") / 1024
        learner.engine_rss_mb = learner.rss_mb - learner.kernel_rss_mb
        learner.pss_mb = sum(_status_kb(pid, "Pss", "smaps_rollup") for pid in pids) / 1024
        client.stop_channels()
    except Exception as error:  # noqa: BLE001 - a benchmark reports every learner, whatever happened to one
        learner.errors.append(f"{type(error).__name__}: {error}")
    finally:
        try:
            done.wait()  # everyone measured before anyone leaves: the host's total is the whole room's
        except threading.BrokenBarrierError:
            pass


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--learners", type=int, default=8, help="kernels started at once (default 8)")
    parser.add_argument("--cell-timeout", type=float, default=300.0, help="seconds a cell may take (default 300)")
    args = parser.parse_args(argv)
    if not 1 <= args.learners <= 64:
        parser.error(f"--learners must be from 1 to 64, got {args.learners}")
    if not Path("/proc/meminfo").exists():
        sys.exit("bench_room needs Linux's /proc")
    load_before = os.getloadavg()
    before = _memory_in_use_mb()
    learners = [Learner(number) for number in range(1, args.learners + 1)]
    start, done = threading.Barrier(args.learners), threading.Barrier(args.learners + 1)
    managers: list = []
    workdirs = [Path(tempfile.mkdtemp(prefix=f"dynalab-room-{each.number}-")) for each in learners]
    threads = [threading.Thread(target=run_learner, args=(each, start, done, workdir, args.cell_timeout, managers),
                                daemon=True) for each, workdir in zip(learners, workdirs, strict=True)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    try:
        try:
            done.wait(timeout=args.cell_timeout * 40)
        except threading.BrokenBarrierError:
            print("bench_room: the room did not finish in time; measuring what ran", file=sys.stderr)
        at_peak = _memory_in_use_mb()
        load_end = os.getloadavg()
    finally:
        for manager in managers:
            try:
                manager.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001, S110 - already gone
                pass
        for workdir in workdirs:
            shutil.rmtree(workdir, ignore_errors=True)
    wall = time.perf_counter() - began

    print(f"room: {args.learners} learners at once, lessons {' + '.join(LESSONS)}; {platform.node()}, "
          f"{os.cpu_count()} cores; load average before {load_before[0]:.1f}")
    print("learner  first answer s  both lessons s  kernel+engine RSS MB (kernel, engine)  Pss MB  processes  errors")
    for each in learners:
        first = f"{each.first_answer_s:.1f}" if each.first_answer_s is not None else "-"
        total = f"{each.lessons_s:.1f}" if each.lessons_s is not None else "-"
        memory = f"{each.rss_mb:.0f} ({each.kernel_rss_mb:.0f}, {each.engine_rss_mb:.0f})"
        print(f"{each.number:>7}  {first:>13}  {total:>14}  {memory:>36}  {each.pss_mb:>6.0f}  "
              f"{each.processes:>9}  {'; '.join(each.errors) or 'none'}")
    finished = [each for each in learners if each.lessons_s is not None and not each.errors]
    if finished:
        print(f"per learner (median): RSS {statistics.median(e.rss_mb for e in finished):.0f} MB (kernel "
              f"{statistics.median(e.kernel_rss_mb for e in finished):.0f}, engine "
              f"{statistics.median(e.engine_rss_mb for e in finished):.0f}), "
              f"Pss {statistics.median(e.pss_mb for e in finished):.0f} MB, first answer "
              f"{statistics.median(e.first_answer_s for e in finished):.1f} s, both lessons "
              f"{statistics.median(e.lessons_s for e in finished):.1f} s")
    print(f"host: memory in use {before:.0f} MB before, {at_peak:.0f} MB with the room running "
          f"(+{at_peak - before:.0f} MB for {args.learners} learners); load average at the end {load_end[0]:.1f}; "
          f"wall {wall:.0f} s; {len(finished)} of {args.learners} learners finished without error")


if __name__ == "__main__":
    main()
