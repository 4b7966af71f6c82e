"""Paths and settings the slides tests share (a module of its own: every test folder has a conftest.py)."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from support import NOTEBOOKS, lesson_notebooks  # noqa: F401  (the slides tests take it from here)

ROOT = Path(__file__).resolve().parents[2]
DECKS = ROOT / "build" / "slides"
ARTIFACTS = ROOT / "artifacts" / "slides"
#: the Japanese edition: its lessons, its decks (build/slides/ja/) and its screenshots
JAPANESE_NOTEBOOKS = NOTEBOOKS / "ja"
JAPANESE_DECKS = DECKS / "ja"
JAPANESE_ARTIFACTS = ARTIFACTS / "ja"


@functools.cache
def load_build_slides():
    """tools/build_slides.py as a module (tools/ is not a package), loaded once for every test module."""
    spec = importlib.util.spec_from_file_location("build_slides", ROOT / "tools" / "build_slides.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
