"""Every lesson notebook carries the slide metadata the decks are cut by, so each slide holds one idea.

The title cell and each ``##`` section opening are "slide"; a figure or code cell on its own slide "subslide";
follow-ons "-"; plumbing "skip"; speaker notes "notes". A lesson that forgets fails here, naming the cell.
"""

from __future__ import annotations

import nbformat
import pytest
from slides_support import lesson_notebooks

SLIDE_TYPES = {"slide", "subslide", "-", "fragment", "skip", "notes"}


def _cells(path):
    return nbformat.read(path, as_version=4).cells


def _where(index: int, cell) -> str:
    first = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else "(empty)"
    return f"cell {index} ({cell.cell_type}: {first!r})"


def test_there_are_lessons():
    assert lesson_notebooks(), "no notebooks/[0-9]*.ipynb found"


@pytest.mark.parametrize("path", lesson_notebooks(), ids=lambda p: p.stem)
def test_every_cell_has_a_slide_type(path):
    missing = [_where(i, c) for i, c in enumerate(_cells(path))
               if c.metadata.get("slideshow", {}).get("slide_type") not in SLIDE_TYPES]
    assert not missing, (f"{path.name}: set metadata.slideshow.slide_type (one of {sorted(SLIDE_TYPES)}) on "
                         + "; ".join(missing))


@pytest.mark.parametrize("path", lesson_notebooks(), ids=lambda p: p.stem)
def test_title_slide_comes_first(path):
    cells = _cells(path)
    first = cells[0]
    assert first.cell_type == "markdown" and first.source.lstrip().startswith("# "), (
        f"{path.name}: the first cell must be the markdown title ('# ...'), found {_where(0, first)}")
    assert first.metadata.get("slideshow", {}).get("slide_type") == "slide", (
        f"{path.name}: the title cell must be slide_type 'slide'")


@pytest.mark.parametrize("path", lesson_notebooks(), ids=lambda p: p.stem)
def test_each_section_opens_a_slide(path):
    wrong = [_where(i, c) for i, c in enumerate(_cells(path))
             if c.cell_type == "markdown" and c.source.lstrip().startswith("## ")
             and c.metadata.get("slideshow", {}).get("slide_type") != "slide"]
    assert not wrong, f"{path.name}: a '## ' section must open a new slide (slide_type 'slide'): " + "; ".join(wrong)


@pytest.mark.parametrize("path", lesson_notebooks(), ids=lambda p: p.stem)
def test_figures_get_their_own_slide(path):
    """A code cell that draws a figure starts a slide or subslide, or follows only the markdown that opens it."""
    cells = _cells(path)
    crowded = []
    for index, cell in enumerate(cells):
        if cell.cell_type != "code" or not _draws_a_figure(cell):
            continue
        kind = cell.metadata.get("slideshow", {}).get("slide_type")
        if kind in {"slide", "subslide", "skip", "notes"}:
            continue
        # a follow-on cell: fine if nothing else drawn since the slide began
        for previous in reversed(cells[:index]):
            previous_kind = previous.metadata.get("slideshow", {}).get("slide_type")
            if previous_kind in {"skip", "notes"}:
                continue
            if previous.cell_type == "code" and _draws_a_figure(previous):
                crowded.append(_where(index, cell))
                break
            if previous_kind in {"slide", "subslide"}:
                break
    assert not crowded, f"{path.name}: two figures on one slide; make this one a 'subslide': " + "; ".join(crowded)


def _draws_a_figure(cell) -> bool:
    return any("application/vnd.plotly.v1+json" in output.get("data", {}) for output in cell.get("outputs", []))
