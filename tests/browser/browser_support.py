"""Paths and settings the browser tests share (a module of its own: every test folder has a conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def lessons_dir() -> Path:
    return Path(os.environ.get("DYNALAB_LESSONS_DIR") or ROOT / "notebooks").resolve()


def lesson_notebooks() -> list[Path]:
    return sorted(lessons_dir().glob("[0-9]*.ipynb"))
