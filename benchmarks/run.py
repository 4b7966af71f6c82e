"""Every speed figure of the course, one a line: ``python benchmarks/run.py`` (``make bench``).

Prints the machine and the date first, then:

* each ``benchmarks/bench_*.py`` ``main()`` (the figures the lesson issues asked for);
* engine start: the embedded engine from nothing to answering (goal <= 1.5 s);
* each lesson's Run All as a learner clicks it (goal <= 15 s): the kernel started first (its start is printed
  apart: JupyterLab starts it when the lesson opens), then every cell in order, the cells tagged ``wall-time``
  (real seconds shown on purpose) included and named with their share; then, in that kernel, every lesson widget's
  main control moved once (slider one step, picker the next option, button a click) and the recompute-and-redraw
  timed (goal <= 100 ms);
* the whole course under nbval, as the test command runs it (goal <= 90 s on 2 cores).

``--quick`` leaves out the nbval run (the slowest figure); ``--lessons`` prints only the lessons' figures
(``--lessons 05 ja/05`` only those). Figures are medians where a thing is repeated.
"""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

ENGINE_START_GOAL_S = 1.5
LESSON_GOAL_S = 15.0
#: A cell tagged so exists to show real time passing (seconds of throttling watched live): the learner's Run All
#: waits for it all the same, so it counts; its share is named.
WALL_TIME_TAG = "wall-time"
REDRAW_GOAL_MS = 100.0
COURSE_GOAL_S = 90.0

# Run inside a lesson's kernel after the lesson: move each lesson widget's main control and time the redraw.
_KERNEL_PROBE = r'''
def _dynalab_probe():
    import json, statistics, time
    from dynalab.widgets import MAIN_CONTROL, LessonWidget

    def controls(widget):
        for value in vars(widget).values():
            for candidate in value if isinstance(value, (list, tuple)) else (value,):  # e.g. a row of buttons
                if MAIN_CONTROL in getattr(candidate, "_dom_classes", ()):
                    yield candidate

    def move(control):
        if hasattr(control, "click") and not hasattr(control, "value"):
            return control.click
        options = getattr(control, "options", None)
        if options:  # dropdown, toggle buttons, selection slider: the next option
            return lambda: setattr(control, "index", (control.index + 1) % len(options))
        step = getattr(control, "step", 1) or 1
        def nudge():
            up = control.value + step
            control.value = up if up <= control.max else control.value - step
        return nudge

    seen, results = set(), []
    for name, widget in list(globals().items()):
        if not isinstance(widget, LessonWidget) or id(widget) in seen or name.startswith("_"):
            continue
        seen.add(id(widget))
        for control in controls(widget):
            action = move(control)
            action()  # warm up
            times = []
            for _ in range(7):
                started = time.perf_counter()
                action()
                times.append((time.perf_counter() - started) * 1000)
            label = getattr(control, "description", "") or type(control).__name__
            results.append([f"{type(widget).__name__} ({name}) {label}", statistics.median(times)])
    print("DYNALAB-PROBE " + json.dumps(results))
_dynalab_probe()
'''


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        total = next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal"))
        kib = int(total.split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}){memory}, "
            f"Python {platform.python_version()}")


def _verdict(value: float, goal: float) -> str:
    return "ok" if value <= goal else "OVER GOAL"


#: Benchmarks that take minutes on purpose (a soak, a room of kernels): run by themselves, not here.
LONG_RUNNING = {"bench_soak.py": "make soak", "bench_room.py": "make bench-room",
                "bench_iterators.py": ".venv/bin/python benchmarks/bench_iterators.py"}


def run_bench_modules() -> None:
    for path in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        if path.name in LONG_RUNNING:
            print(f"-- {path.name}: takes minutes on purpose; run it with `{LONG_RUNNING[path.name]}`")
            continue
        print(f"-- {path.name}", flush=True)
        spec = importlib.util.spec_from_file_location(f"dynalab_bench_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
            module.main()
        except Exception as error:  # noqa: BLE001 (one broken benchmark must not hide the others' figures)
            print(f"{path.name}: FAILED ({type(error).__name__}: {error})")
        sys.stdout.flush()


def engine_start() -> None:
    from dynalab.engine import start_embedded_engine

    times = []
    for _ in range(3):
        started = time.perf_counter()
        engine = start_embedded_engine()
        times.append(time.perf_counter() - started)
        engine.stop()
    seconds = statistics.median(times)
    print(f"engine start (embedded moto, to first answer, median of 3): {seconds:.2f} s "
          f"(goal <= {ENGINE_START_GOAL_S} s) {_verdict(seconds, ENGINE_START_GOAL_S)}", flush=True)


def _run_all(path: Path) -> tuple[float, float, Any]:
    """(kernel start s, Run All s, the executed notebook): the lesson's cells run in order in a fresh kernel, timed
    from the moment the kernel is ready (a learner clicks Run All in an opened lesson) to the last lesson cell's
    reply; then the probe cell (not timed)."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(path, as_version=4)
    lesson_cells = len(notebook.cells)
    notebook.cells.append(nbformat.v4.new_code_cell(_KERNEL_PROBE))
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.reset_execution_trackers()
    started = time.perf_counter()
    with client.setup_kernel():
        client.wait_for_reply(client.kc.kernel_info())
        ready = time.perf_counter()
        for index, cell in enumerate(notebook.cells[:lesson_cells]):
            client.execute_cell(cell, index, execution_count=client.code_cells_executed + 1)
        run_all = time.perf_counter() - ready
        client.execute_cell(notebook.cells[-1], lesson_cells, execution_count=client.code_cells_executed + 1)
    return ready - started, run_all, notebook


def lesson_widgets(notebooks: list[Path]) -> None:
    env_endpoint = os.environ.pop("DYNALAB_ENDPOINT", None)
    try:
        for path in notebooks:
            name = path.stem if path.parent == NOTEBOOKS else f"{path.parent.name}/{path.stem}"
            try:
                kernel_seconds, seconds, notebook = _run_all(path)
            except Exception as error:  # noqa: BLE001
                print(f"{name}: FAILED to execute ({type(error).__name__}: {str(error)[:200]})", flush=True)
                continue
            on_purpose = [(index, _cell_seconds(cell)) for index, cell in enumerate(notebook.cells)
                          if WALL_TIME_TAG in cell.get("metadata", {}).get("tags", [])]
            named = "".join(f"; cell {i} ({WALL_TIME_TAG}) {s:.1f} s of it" for i, s in on_purpose)
            over = f" by {seconds - LESSON_GOAL_S:.1f} s" if seconds > LESSON_GOAL_S else ""
            print(f"{name}: Run All as the learner clicks it {seconds:.1f} s (goal <= {LESSON_GOAL_S:.0f} s) "
                  f"{_verdict(seconds, LESSON_GOAL_S)}{over}{named}; kernel start before it {kernel_seconds:.1f} s",
                  flush=True)
            text = "".join(o.get("text", "") for o in notebook.cells[-1].outputs if o.get("name") == "stdout")
            results = json.loads(text.split("DYNALAB-PROBE ", 1)[1]) if "DYNALAB-PROBE " in text else []
            if not results:
                print(f"{name}: no lesson widget with a main control (nothing to time)")
            for label, ms in results:
                print(f"{name}: {label}: recompute and redraw in the kernel {ms:.1f} ms "
                      f"(goal <= {REDRAW_GOAL_MS:.0f} ms) {_verdict(ms, REDRAW_GOAL_MS)}", flush=True)
    finally:
        if env_endpoint is not None:
            os.environ["DYNALAB_ENDPOINT"] = env_endpoint


def _cell_seconds(cell) -> float:
    """How long a cell ran, from the timing nbclient records in its metadata."""
    timing = cell.get("metadata", {}).get("execution", {})
    try:
        started = datetime.datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        ended = datetime.datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return 0.0
    return (ended - started).total_seconds()


def course_under_nbval(notebooks: list[Path]) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DYNALAB_ENDPOINT"}
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--nbval", "-q",
               "--nbval-sanitize-with", str(NOTEBOOKS / "sanitize.cfg"), *map(str, notebooks)]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    summary = (result.stdout.strip().splitlines() or ["no output"])[-1]
    print(f"whole course under nbval ({len(notebooks)} notebooks, wall clock): {seconds:.1f} s "
          f"(goal <= {COURSE_GOAL_S:.0f} s) {_verdict(seconds, COURSE_GOAL_S)} [{summary.strip('= ')}]", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="leave out the whole-course nbval run")
    parser.add_argument("--lessons", nargs="*", default=None, metavar="NN",
                        help="only the lessons' Run All and redraw figures (NN or ja/NN: only those lessons)")
    args = parser.parse_args(argv)
    notebooks = sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
    every_lesson = notebooks + sorted((NOTEBOOKS / "ja").glob("[0-9]*.ipynb"))
    if args.lessons is not None:
        print(f"machine: {machine()}")
        print(f"load average: {' '.join(f'{v:.1f}' for v in os.getloadavg())}", flush=True)
        chosen = [p for p in every_lesson if not args.lessons or any(
            p.relative_to(NOTEBOOKS).as_posix().startswith(prefix) for prefix in args.lessons)]
        lesson_widgets(chosen)
        return 0
    print(f"machine: {machine()}")
    print(f"date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M UTC}", flush=True)
    run_bench_modules()
    print("-- course", flush=True)
    engine_start()
    # both editions run all (the Japanese lessons' code is the English lessons', their text goes through the catalog)
    lesson_widgets(every_lesson)
    if not args.quick:
        course_under_nbval(notebooks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
