"""Paths and settings the browser tests share (a module of its own: every test folder has a conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

from support import lesson_notebooks

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"


def lessons_dir() -> Path:
    return Path(os.environ.get("DYNALAB_LESSONS_DIR") or ROOT / "notebooks").resolve()


def browser_lessons() -> list[Path]:
    """The lessons the browser tests open (``DYNALAB_LESSONS_DIR`` may point them at a copy)."""
    return lesson_notebooks(lessons_dir())
