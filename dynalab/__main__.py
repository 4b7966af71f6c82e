"""dynalab's commands (``dynalab ...``, or ``python -m dynalab ...``).

``dynalab lab [DIR]``: copy the lessons into DIR (default ./dynalab-lessons), then open JupyterLab on them
(127.0.0.1 only, with its login token). ``dynalab lessons [DIR]``: only copy them; a file you changed is never
overwritten. ``dynalab cleanup [--yes]``: on real AWS (DYNALAB_ENDPOINT=aws), list, then delete, what dynalab created.
``dynalab serve [--port N]``: run the embedded engine on its own, for other processes to share (point them at it with
``DYNALAB_ENDPOINT=http://127.0.0.1:N``). ``dynalab info``: say which engine ``dynalab.connect()`` here would reach.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

DEFAULT_LESSONS_DIR = "dynalab-lessons"
FOLDER_HELP = f"folder (default ./{DEFAULT_LESSONS_DIR})"


def jupyter_lab_command(root_dir: Path, extra: list[str] | None = None) -> list[str]:
    """JupyterLab on ``root_dir``: loopback only, with its token, no "get Jupyter news?" prompt and no update check
    (both would reach the internet). The settings overrides ship in the package (dynalab/jupyter_settings)."""
    from importlib import resources

    settings = Path(str(resources.files("dynalab") / "jupyter_settings"))
    command = [sys.executable, "-m", "jupyterlab", "--ip=127.0.0.1", f"--ServerApp.root_dir={root_dir}",
               f"--LabApp.app_settings_dir={settings}", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers often run as root; the server still binds 127.0.0.1 only
    return command + list(extra or [])


def _lessons(folder: str) -> Path:
    from dynalab.lessons.lesson_files import copy_lessons

    report = copy_lessons(folder)
    print(report.summary(), flush=True)
    return report.target


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dynalab", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    lab = commands.add_parser(
        "lab", help="copy the lessons into DIR, then open JupyterLab on them (127.0.0.1, with its token)",
        description="Copy the lessons and their data into DIR (files you changed are kept), then start JupyterLab "
                    "on DIR, bound to 127.0.0.1 with its login token (open the link it prints). Arguments after "
                    "DIR go to JupyterLab (e.g. --port 8890 --no-browser).")
    lab.add_argument("dir", nargs="?", default=DEFAULT_LESSONS_DIR, help=FOLDER_HELP)
    lab.add_argument("--no-copy", action="store_true",
                     help="serve DIR as it is (a clone's notebooks/: what `make lab` does)")
    lessons = commands.add_parser(
        "lessons", help="copy the lessons and their data into DIR, never over a file you changed",
        description="Copy every lesson and its data into DIR. A second run updates only files you did not change "
                    "and names the ones it kept (a manifest in DIR records what it copied, with hashes).")
    lessons.add_argument("dir", nargs="?", default=DEFAULT_LESSONS_DIR, help=FOLDER_HELP)
    cleanup = commands.add_parser(
        "cleanup", help="on AWS: list, then delete, the tables (and queues, S3 objects, stream consumers) "
                        "dynalab created",
        description="Reach the engine DYNALAB_ENDPOINT names (aws for your account) and list what dynalab created "
                    "there (names starting with DYNALAB_AWS_PREFIX, default 'dynalab-'); with --yes delete them. "
                    "Nothing without the prefix is ever touched. Then print what remains.")
    cleanup.add_argument("--yes", action="store_true", help="delete without asking")
    serve = commands.add_parser("serve", help="run the engine on 127.0.0.1 until Ctrl-C")
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (a busy one falls back to a free one)")
    commands.add_parser("info", help="say which engine dynalab.connect() reaches")
    return parser


def main(argv: list[str] | None = None) -> None:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")

    if args.command == "lessons":
        _lessons(args.dir)
        return
    if args.command == "lab":
        root = Path(args.dir).resolve() if args.no_copy else _lessons(args.dir)
        if not root.is_dir():
            parser.error(f"{root} is not a folder")
        command = jupyter_lab_command(root, extra)
        os.execv(command[0], command)
    if args.command == "cleanup":
        from dynalab.engine import ENV_VAR, EngineUnreachableError, connect
        from dynalab.engine.cleanup import cleanup

        if os.environ.get(ENV_VAR, "").strip() != "aws":
            sys.exit(f"dynalab cleanup is for real AWS: run it with {ENV_VAR}=aws (and DYNALAB_AWS_PREFIX if you set "
                     "one). The embedded engine's tables go away with its kernel.")
        try:
            lab = connect()
        except (EngineUnreachableError, ValueError) as error:
            sys.exit(str(error))
        answer_yes = args.yes
        if not answer_yes:
            found = cleanup(lab, delete=False)
            if not found.created:
                return
            answer_yes = input("Delete all of these? [y/N] ").strip().lower() in ("y", "yes")
        if answer_yes:
            cleanup(lab, delete=True)
        return
    if args.command == "info":
        from dynalab.engine import connect

        print(connect().describe())
        return
    from dynalab.engine import start_embedded_engine

    engine = start_embedded_engine(args.port)
    print(f"dynalab engine on {engine.endpoint_url}; use DYNALAB_ENDPOINT={engine.endpoint_url}. Ctrl-C stops it.",
          flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        engine.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        engine.stop()


if __name__ == "__main__":
    main()
