"""The English and Japanese editions stay in step (issue 18): the same lessons, the same cells in the same order,
the same code once string literals and comments are set aside, and Japanese prose in the Japanese edition."""

from __future__ import annotations

import pytest
from support_i18n import (
    ENGLISH_NOTEBOOKS,
    JAPANESE_NOTEBOOKS,
    code_without_strings,
    english_runs,
    has_japanese,
    notebook_cells,
    shown_texts,
    source,
)

ENGLISH = sorted(path.name for path in ENGLISH_NOTEBOOKS.glob("*.ipynb"))
JAPANESE = sorted(path.name for path in JAPANESE_NOTEBOOKS.glob("*.ipynb"))


def test_both_editions_hold_the_same_lessons() -> None:
    assert ENGLISH, "no English lessons found"
    assert JAPANESE == ENGLISH, (f"only in English: {sorted(set(ENGLISH) - set(JAPANESE))}; "
                                 f"only in Japanese: {sorted(set(JAPANESE) - set(ENGLISH))}")


@pytest.mark.parametrize("name", ENGLISH)
def test_the_japanese_lesson_has_the_same_cells_and_code(name: str) -> None:
    english = notebook_cells(ENGLISH_NOTEBOOKS / name)
    japanese_path = JAPANESE_NOTEBOOKS / name
    assert japanese_path.exists(), f"notebooks/ja/{name} is missing"
    japanese = notebook_cells(japanese_path)
    assert [c["cell_type"] for c in japanese] == [c["cell_type"] for c in english], f"{name}: cells differ"
    for number, (en, ja) in enumerate(zip(english, japanese, strict=True)):
        assert en.get("metadata", {}).get("tags", []) == ja.get("metadata", {}).get("tags", []), (
            f"{name} cell {number}: tags differ")
        assert en.get("metadata", {}).get("slideshow") == ja.get("metadata", {}).get("slideshow"), (
            f"{name} cell {number}: slide type differs")
        if en["cell_type"] == "code":
            assert code_without_strings(source(ja)) == code_without_strings(source(en)), (
                f"{name} cell {number}: the code differs from the English lesson (only strings and comments may)")


@pytest.mark.parametrize("name", JAPANESE)
def test_the_japanese_lesson_is_written_in_japanese(name: str) -> None:
    for number, cell in enumerate(notebook_cells(JAPANESE_NOTEBOOKS / name)):
        text = source(cell)
        if cell["cell_type"] == "markdown" and sum(ch.isalpha() for ch in text) >= 20:
            assert has_japanese(text), f"notebooks/ja/{name} cell {number} has no Japanese: {text[:80]!r}"
    assert 'set_language("ja")' in "".join(source(c) for c in notebook_cells(JAPANESE_NOTEBOOKS / name)), (
        f"notebooks/ja/{name} does not switch dynalab to Japanese")


def test_the_comparison_sets_aside_strings_and_comments_only() -> None:
    assert code_without_strings('print(f"{x} RCU")  # reads') == code_without_strings("print(f'{x} 読み込み')")
    assert code_without_strings('print("a" "b")') == code_without_strings('print("あ")')
    assert code_without_strings("print(x)") != code_without_strings("print(y)")


@pytest.mark.parametrize("name", JAPANESE)
def test_what_a_japanese_lesson_shows_is_japanese(name: str) -> None:
    """The stored outputs (what nbval checks again): no English prose in a printed line, a table or a figure."""
    leftovers = []
    for number, cell in enumerate(notebook_cells(JAPANESE_NOTEBOOKS / name)):
        if cell["cell_type"] == "code":
            leftovers += [(number, run) for text in shown_texts(cell) for run in english_runs(text)]
    assert not leftovers, f"notebooks/ja/{name} shows English: {leftovers[:8]}"
