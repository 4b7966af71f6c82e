"""dynalab's commands (``dynalab ...``, or ``python -m dynalab ...``).

``dynalab lab [DIR]``: copy the lessons into DIR (default ./dynalab-lessons), then open JupyterLab on them
(127.0.0.1 only, with its login token). ``dynalab lessons [DIR]``: only copy them; a file you changed is never
overwritten. Both take ``--language ja`` for the Japanese edition (default DIR ./dynalab-lessons-ja; the default
language is ``DYNALAB_LANG``, else English). ``dynalab cleanup [--yes]``: on real AWS (DYNALAB_ENDPOINT=aws), list,
then delete, what dynalab created. ``dynalab serve [--port N]``: run the embedded engine on its own, for other
processes to share (point them at it with ``DYNALAB_ENDPOINT=http://127.0.0.1:N``). ``dynalab info``: say which
engine ``dynalab.connect()`` here would reach. ``dynalab room serve [--port P] [--host H]``: run a room (the
instructor's live board of every learner's self-checks) and print the settings learners need; ``dynalab room board
[--json]``: print the board (``dynalab.room``). What the commands print follows the language (``dynalab.i18n``).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from typing import Any

from dynalab.i18n import LANGUAGES, N_, get_language, set_language, tr

DEFAULT_LESSONS_DIR = "dynalab-lessons"
ROOM_DEFAULT_PORT = 8765  # dynalab.room.server.DEFAULT_PORT (not imported: `dynalab --help` stays light)
ROOM_DEFAULT_STATE = "dynalab-room"
#: language -> the folder `dynalab lessons` / `dynalab lab` copy that edition into when no DIR is given
DEFAULT_DIRS = {"en": DEFAULT_LESSONS_DIR, "ja": f"{DEFAULT_LESSONS_DIR}-ja"}
DESCRIPTION = N_(
    "dynalab's commands. `dynalab lab [DIR]`: copy the lessons into DIR, then open JupyterLab on them (127.0.0.1 "
    "only, with its login token). `dynalab lessons [DIR]`: only copy them; a file you changed is never overwritten. "
    "Both take --language ja for the Japanese edition. `dynalab cleanup [--yes]`: on real AWS (DYNALAB_ENDPOINT=aws), "
    "list, then delete, what dynalab created. `dynalab serve [--port N]`: run the embedded engine on its own. "
    "`dynalab info`: say which engine dynalab.connect() here would reach. `dynalab room serve` / `dynalab room "
    "board`: run a room (the instructor's live board of the learners' self-checks), print its board.")


def jupyter_settings_dir(language: str = "en") -> Path:
    """The JupyterLab settings overrides of an edition, shipped in the package (dynalab/jupyter_settings): no news
    prompt, no update check, and JupyterLab's own interface in the edition's language (its translation setting,
    ``@jupyterlab/translation-extension:plugin`` ``locale``: "en", or "ja_JP" from the Japanese language pack
    ``jupyterlab-language-pack-ja-JP``, a dependency). They are defaults: nothing is written to the learner's own
    JupyterLab settings, and a language the learner picks in Settings > Language still wins."""
    from importlib import resources

    settings = resources.files("dynalab") / "jupyter_settings"
    return Path(str(settings / "ja" if language == "ja" else settings))


def jupyter_lab_command(root_dir: Path, extra: list[str] | None = None, language: str = "en") -> list[str]:
    """JupyterLab on ``root_dir``: loopback only, with its token, no "get Jupyter news?" prompt and no update check
    (both would reach the internet), its interface in ``language`` (``jupyter_settings_dir``); the server settings
    are the quiet ones of ``loopback_settings``."""
    settings = jupyter_settings_dir(language)
    command = [sys.executable, "-m", "jupyterlab", "--ip=127.0.0.1", f"--ServerApp.root_dir={root_dir}",
               f"--LabApp.app_settings_dir={settings}", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", *loopback_settings(extra or [])]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers often run as root; the server still binds 127.0.0.1 only
    return command + list(extra or [])


def loopback_settings(extra: list[str]) -> list[str]:
    """Settings that keep the terminal free of warnings about things a server on 127.0.0.1 does not do.

    * The kernels' messages are encrypted (CurveZMQ keys the kernel manager hands each kernel whose kernelspec
      supports it: ipykernel 7 does, and warns "Kernel is running over TCP without encryption" otherwise).
    * No websocket keep-alive pings: they keep a connection open through proxies and VPNs, and there are none on
      loopback (a closed tab closes its connection). jupyter_server gives tornado its ping interval and timeout in
      milliseconds (30000 and 90000); tornado 6.5 reads seconds and warns the timeout is longer than the interval.
    * No browser launch where there is no browser to launch (a container, a remote shell): jupyter_server would warn
      "No web browser found"; it prints the link to open either way.
    """
    found: list[str] = []
    if _curve_encryption_available():
        found.append("--KernelManager.transport_encryption=auto")
    found.append('--ServerApp.tornado_settings={"ws_ping_interval": 0}')
    browser_chosen = any(arg.split("=", 1)[0] in ("--browser", "--no-browser", "--ServerApp.open_browser",
                                                   "--ServerApp.browser") for arg in extra)
    if not browser_chosen and not _browser_available():
        found.append("--no-browser")
    return found


def _curve_encryption_available() -> bool:
    """jupyter_client 8.10+ provisions CurveZMQ keys (``KernelManager.transport_encryption``), and pyzmq has curve."""
    try:
        import zmq
        from jupyter_client.manager import KernelManager
    except ImportError:
        return False
    return "transport_encryption" in KernelManager.class_trait_names() and bool(zmq.has("curve"))


def _browser_available() -> bool:
    """The browser jupyter_server would launch (``webbrowser.get()``, which honours BROWSER) exists."""
    import webbrowser

    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True


def _lessons(folder: str, language: str) -> Path:
    from dynalab.lessons.lesson_files import copy_lessons

    report = copy_lessons(folder, language)
    print(report.summary(), flush=True)
    return report.target


def _folder_help() -> str:
    return tr("folder (default ./{english} for English, ./{japanese} with --language ja)",
              english=DEFAULT_DIRS["en"], japanese=DEFAULT_DIRS["ja"])


def _add_language(command: argparse.ArgumentParser) -> None:
    command.add_argument("--language", choices=LANGUAGES, default=None,
                         help=tr("the edition: en (English) or ja (Japanese, 日本語版); default DYNALAB_LANG, else en"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="dynalab", description=tr(DESCRIPTION))
    commands = parser.add_subparsers(dest="command", required=True)
    lab = commands.add_parser(
        "lab", help=tr("copy the lessons into DIR, then open JupyterLab on them (127.0.0.1, with its token)"),
        description=tr("Copy the lessons and their data into DIR (files you changed are kept), then start JupyterLab "
                       "on DIR, bound to 127.0.0.1 with its login token (open the link it prints). Arguments after "
                       "DIR go to JupyterLab (e.g. --port 8890 --no-browser)."))
    lab.add_argument("dir", nargs="?", default=None, help=_folder_help())
    lab.add_argument("--no-copy", action="store_true",
                     help=tr("serve DIR as it is, without copying (a course author editing a clone's notebooks/)"))
    _add_language(lab)
    lessons = commands.add_parser(
        "lessons", help=tr("copy the lessons and their data into DIR, never over a file you changed"),
        description=tr("Copy every lesson and its data into DIR. A second run updates only files you did not change "
                       "and names the ones it kept (a manifest in DIR records what it copied, with hashes)."))
    lessons.add_argument("dir", nargs="?", default=None, help=_folder_help())
    _add_language(lessons)
    cleanup = commands.add_parser(
        "cleanup", help=tr("on AWS: list, then delete, the tables (and queues, S3 objects, stream consumers) "
                           "dynalab created"),
        description=tr("Reach the engine DYNALAB_ENDPOINT names (aws for your account) and list what dynalab created "
                       "there (names starting with DYNALAB_AWS_PREFIX, default 'dynalab-'); with --yes delete them. "
                       "Nothing without the prefix is ever touched. Then print what remains."))
    cleanup.add_argument("--yes", action="store_true", help=tr("delete without asking"))
    serve = commands.add_parser("serve", help=tr("run the engine on 127.0.0.1 until Ctrl-C"))
    serve.add_argument("--port", type=int, default=8000,
                       help=tr("port on 127.0.0.1 (a busy one falls back to a free one)"))
    commands.add_parser("info", help=tr("say which engine dynalab.connect() reaches"))
    _add_room_commands(commands)
    return parser


def _add_room_commands(commands: Any) -> None:
    room = commands.add_parser(
        "room", help=tr("a room: the instructor's live board of every learner's self-checks"),
        description=tr("`room serve` runs the room's engine (every request signed with the room's keys) and prints "
                       "the settings learners need; `room board` prints the board."))
    verbs = room.add_subparsers(dest="room_command", required=True)
    serve = verbs.add_parser(
        "serve", help=tr("run the room and print DYNALAB_ROOM and DYNALAB_ROOM_KEY for the learners"),
        description=tr("Run the room's engine until Ctrl-C. Its key is mandatory: every request must be signed with "
                       "it, so the room may listen beyond this machine (--host). Its state (the key, every answer) "
                       "stays in --state: run it again with the same folder to resume the room."))
    serve.add_argument("--port", type=int, default=None,
                       help=tr("port (default: the room's port in --state, else {port}; 0 picks a free one)",
                               port=ROOM_DEFAULT_PORT))
    serve.add_argument("--host", default="127.0.0.1",
                       help=tr("address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for every "
                               "network: the learners' machines must reach it)"))
    serve.add_argument("--state", default=ROOM_DEFAULT_STATE,
                       help=tr("folder for the room's key and answers (default ./{folder})", folder=ROOM_DEFAULT_STATE))
    serve.add_argument("--parent", type=int, default=0, help=argparse.SUPPRESS)  # tests: exit when it is gone
    board = verbs.add_parser(
        "board", help=tr("print the board: per learner, answered and correct; per question, hardest first"),
        description=tr("Print the room's board. The room and the instructor's key come from --state (on the room's "
                       "machine), else from DYNALAB_ROOM and DYNALAB_ROOM_KEY holding the instructor's key (dli-...)."))
    board.add_argument("--json", action="store_true",
                       help=tr("a JSON list, one object per learner (learner, answered, correct, attempts, "
                               "lesson_reached, last_answer_at)"))
    board.add_argument("--state", default=ROOM_DEFAULT_STATE,
                       help=tr("the room's folder (default ./{folder})", folder=ROOM_DEFAULT_STATE))


def _room(args: argparse.Namespace) -> int:
    """``dynalab room serve|board``: one clear line for every problem (exit status 2), never a traceback."""
    from dynalab.room import command

    if args.room_command == "serve":
        return command.serve(args.host, args.port, args.state, args.parent)
    return command.board(args.state, as_json=args.json)


def _language_first(argv: list[str]) -> None:
    """Set the language before the parser is built, so its help is in it: ``--language`` wherever it is in argv,
    else DYNALAB_LANG, else English (a bad value is the parser's to report)."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--language", default=None)
    found, _ = early.parse_known_args(argv)
    if found.language in LANGUAGES:
        set_language(found.language)
        return
    try:
        get_language()
    except ValueError:  # DYNALAB_LANG names no language dynalab has: say so in English and go on in English
        set_language("en")
        print(tr("dynalab: ignoring DYNALAB_LANG={value!r} (it must be one of {choices})",
                 value=os.environ.get("DYNALAB_LANG", ""), choices=", ".join(LANGUAGES)), file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else list(argv)
    _language_first(argv)
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(tr("unrecognized arguments: {arguments}", arguments=" ".join(extra)))

    if args.command in ("lessons", "lab"):
        language = args.language or get_language()
        folder = args.dir or DEFAULT_DIRS[language]
        if args.command == "lessons":
            _lessons(folder, language)
            return
        root = Path(folder).resolve() if args.no_copy else _lessons(folder, language)
        if not root.is_dir():
            parser.error(tr("{root} is not a folder", root=root))
        command = jupyter_lab_command(root, extra, language)
        os.environ["DYNALAB_LANG"] = language  # a notebook the learner opens there starts in that language
        os.execv(command[0], command)
        return  # (execv does not return; this is for the tests that stand in for it)
    if args.command == "cleanup":
        from dynalab.engine import ENV_VAR, EngineUnreachableError, connect
        from dynalab.engine.cleanup import cleanup

        if os.environ.get(ENV_VAR, "").strip() != "aws":
            sys.exit(tr("dynalab cleanup is for real AWS: run it with {variable}=aws (and DYNALAB_AWS_PREFIX if you "
                        "set one). The embedded engine's tables go away with its kernel.", variable=ENV_VAR))
        try:
            lab = connect()
        except (EngineUnreachableError, ValueError) as error:
            sys.exit(str(error))
        answer_yes = args.yes
        if not answer_yes:
            found = cleanup(lab, delete=False)
            if not found.created:
                return
            answer_yes = input(tr("Delete all of these? [y/N] ")).strip().lower() in ("y", "yes")
        if answer_yes:
            cleanup(lab, delete=True)
        return
    if args.command == "room":
        sys.exit(_room(args))
    if args.command == "info":
        from dynalab.engine import connect

        print(connect().describe())
        return
    from dynalab.engine import start_embedded_engine

    engine = start_embedded_engine(args.port, shared=True)  # kernels on it prefix their tables (DYNALAB_LEARNER)
    print(tr("dynalab engine on {url}; use DYNALAB_ENDPOINT={url}. Ctrl-C stops it.", url=engine.endpoint_url),
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
