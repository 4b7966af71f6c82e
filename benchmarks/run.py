"""Every speed figure of the course, one a line: ``python benchmarks/run.py`` (``make bench``).

Prints the machine and the date first, then:

* each ``benchmarks/bench_*.py`` ``main()`` (the figures the lesson issues asked for);
* engine start: the embedded engine from nothing to answering (goal <= 1.5 s);
* each lesson executed in a fresh kernel (Run All, goal <= 15 s; cells tagged ``wall-time`` show real time on
  purpose: they are named and left out), then, in that kernel, every lesson widget's main control moved once
  (slider one step, picker the next option, button a click) and the recompute-and-redraw timed (goal <= 100 ms);
* the whole course under nbval, as the test command runs it (goal <= 90 s on 2 cores).

``--quick`` leaves out the nbval run (the slowest figure). Figures are medians where a thing is repeated.
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

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

ENGINE_START_GOAL_S = 1.5
LESSON_GOAL_S = 15.0
#: A cell tagged so exists to show real time passing (seconds of throttling watched live): its time is named and
#: left out of the lesson's Run All figure.
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


def lesson_widgets(notebooks: list[Path]) -> None:
    import nbformat
    from nbclient import NotebookClient

    env_endpoint = os.environ.pop("DYNALAB_ENDPOINT", None)
    try:
        for path in notebooks:
            name = path.stem if path.parent == NOTEBOOKS else f"{path.parent.name}/{path.stem}"
            notebook = nbformat.read(path, as_version=4)
            notebook.cells.append(nbformat.v4.new_code_cell(_KERNEL_PROBE))
            client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                                    resources={"metadata": {"path": str(path.parent)}})
            started = time.perf_counter()
            try:
                client.execute()
            except Exception as error:  # noqa: BLE001
                print(f"{name}: FAILED to execute ({type(error).__name__}: {str(error)[:200]})", flush=True)
                continue
            seconds = time.perf_counter() - started
            on_purpose = [(index, _cell_seconds(cell)) for index, cell in enumerate(notebook.cells)
                          if WALL_TIME_TAG in cell.get("metadata", {}).get("tags", [])]
            counted = seconds - sum(s for _, s in on_purpose)
            named = "".join(f"; cell {i} takes {s:.1f} s of wall time on purpose (left out)" for i, s in on_purpose)
            print(f"{name}: Run All in a fresh kernel {counted:.1f} s (goal <= {LESSON_GOAL_S:.0f} s) "
                  f"{_verdict(counted, LESSON_GOAL_S)}{named}", flush=True)
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
    args = parser.parse_args(argv)
    notebooks = sorted(NOTEBOOKS.glob("[0-9]*.ipynb"))
    print(f"machine: {machine()}")
    print(f"date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M UTC}", flush=True)
    run_bench_modules()
    print("-- course", flush=True)
    engine_start()
    # both editions run all (the Japanese lessons' code is the English lessons', their text goes through the catalog)
    lesson_widgets(notebooks + sorted((NOTEBOOKS / "ja").glob("[0-9]*.ipynb")))
    if not args.quick:
        course_under_nbval(notebooks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
