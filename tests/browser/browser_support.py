"""Paths and settings the browser tests share (a module of its own: every test folder has a conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"


def lessons_dir() -> Path:
    return Path(os.environ.get("DYNALAB_LESSONS_DIR") or ROOT / "notebooks").resolve()


def lesson_notebooks() -> list[Path]:
    return sorted(lessons_dir().glob("[0-9]*.ipynb"))
