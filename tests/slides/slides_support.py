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

PLOTLY = "application/vnd.plotly.v1+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _load_tool(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@functools.cache
def load_build_slides():
    """tools/build_slides.py as a module (tools/ is not a package), loaded once for every test module."""
    return _load_tool("build_slides")


@functools.cache
def load_refresh_notebooks():
    """tools/refresh_notebooks.py as a module, loaded once."""
    return _load_tool("refresh_notebooks")


def _figures_in(value) -> int:
    """How many plotly figures a widget snapshot holds (in the outputs of its Output widgets, at any depth)."""
    if isinstance(value, dict):
        return (1 if PLOTLY in value.get("data", {}) else 0) + sum(_figures_in(v) for v in value.values())
    if isinstance(value, list):
        return sum(_figures_in(v) for v in value)
    return 0


def shown_outputs(notebook) -> dict[str, int]:
    """What a lesson's deck must show, counted from the notebook's stored outputs, independently of the build:
    ``figures`` (each stored plotly figure, and each figure inside a widget's snapshot) and ``widgets`` (each
    displayed widget), in the cells a deck shows (not the hidden ``remove-cell`` ones, not slide type skip)."""
    figures = widgets = 0
    for cell in notebook.cells:
        if (cell.cell_type != "code" or "remove-cell" in cell.metadata.get("tags", [])
                or cell.metadata.get("slideshow", {}).get("slide_type") == "skip"):
            continue
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            figures += 1 if PLOTLY in data else 0
            if WIDGET_VIEW in data:
                widgets += 1
                figures += _figures_in(output.get("metadata", {}).get("dynalab", {}).get("snapshot"))
    return {"figures": figures, "widgets": widgets}
