"""Paths and settings the browser tests share (a module of its own: every test folder has a conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

from support import lesson_notebooks

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"


def lessons_dir() -> Path:
    return Path(os.environ.get("DYNALAB_LESSONS_DIR") or ROOT / "notebooks").resolve()


#: the Japanese edition's lessons the browser tests open (``notebooks/ja/``): the first one, the partitions (two
#: main widgets whose readouts come from the models) and the stream projection (a live engine behind the widget).
#: ``DYNALAB_BROWSER_JA=all`` opens every Japanese lesson, ``DYNALAB_BROWSER_JA=none`` none.
JAPANESE_LESSONS = ("00_start_here", "03_partitions", "04_stream_projection_votes")


def browser_lessons() -> list[Path]:
    """The lessons the browser tests open (``DYNALAB_LESSONS_DIR`` may point them at a copy)."""
    return lesson_notebooks(lessons_dir())


def japanese_browser_lessons() -> list[Path]:
    """The Japanese lessons the browser tests open (``<lessons dir>/ja/``)."""
    choice = os.environ.get("DYNALAB_BROWSER_JA", "").strip().lower()
    found = lesson_notebooks(lessons_dir() / "ja")
    if choice == "none":
        return []
    return found if choice == "all" else [path for path in found if path.stem in JAPANESE_LESSONS]


def language_of(notebook: Path) -> str:
    return "ja" if notebook.parent.name == "ja" else "en"
