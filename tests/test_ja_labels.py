"""The Japanese lessons name the words the widgets really show (issue 30): a button, a slider, a checkbox, a toggle,
a drop-down, a column or a readout that a lesson's text names in 「…」 (or **…**) next to a widget word is named
with the very string the widget shows, and a widget is named by its label, not described.

Where a label comes from: a value of the Japanese catalogs (``dynalab/i18n/ja/*.json``, template fields such as
``{candidate}`` standing for any text), or the leading part of one before its gloss (「現在、分離なし」 for
「現在、分離なし (プロビジョンド、ストリームあり)」, 「不一致」 for 「不一致: {differences}」), or a string literal of
the lesson's own code (``LiveRun(..., button="両方のバッチを実行")``), or a menu or tab of JupyterLab's Japanese
language pack or of AWS's Japanese console, or a string the English lesson names the same way that dynalab does not
translate (``▶``, JupyterLab's **Run** menu). No engine: the lessons and the catalogs are read as files.
"""

from __future__ import annotations

import ast
import json
import re
from functools import cache
from pathlib import Path

import pytest
from support_i18n import ENGLISH_NOTEBOOKS, JAPANESE_NOTEBOOKS, notebook_cells, source

CATALOGS = Path(__file__).resolve().parents[1] / "dynalab" / "i18n" / "ja"
LESSONS = sorted(path.name for path in JAPANESE_NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))

#: words that say "the thing on the screen called …"
WIDGET = "ボタン|スライダー|チェックボックス|トグル|ドロップダウン|欄|列|タブ|メニュー"
#: a label in 「…」 or **…** (one line, not too long to be a label)
_LABEL = r"(?:「(?P<q{n}>[^「」\n]{{1,60}})」|\*\*(?P<b{n}>[^*\n]{{1,60}})\*\*)"
#: the label, then the widget word or what one does to a widget or sees on it
_ACTION = "を押|をオン|をオフ|を選|と表示|という表示"
_AFTER = re.compile(_LABEL.format(n=1) + rf"\s?(?:の|という|と)?\s?(?:{WIDGET}|{_ACTION})")
#: the widget word, then the label
_BEFORE = re.compile(rf"(?:{WIDGET}|切り替え|表示)(?:は|の|で|に|が)?\s?" + _LABEL.format(n=2))
#: a button described by what it does (「書き込みを始めるボタン」) instead of named by its label
_DESCRIBED = re.compile(r"[^\s、。「」()]{0,20}[ぁ-ゖ]るボタン")
#: what a lesson may name outside dynalab: JupyterLab's menus as its Japanese language pack shows them
#: (jupyterlab-language-pack-ja-jp 4.5, ``jupyterlab.json``: Run -> 実行, Run All Cells -> すべてのセルを実行) and the
#: DynamoDB console's table tab (Monitor -> モニタリング, the ja_jp console)
OUTSIDE_LABELS = ("実行", "すべてのセルを実行", "実行 ▸ すべてのセルを実行", "モニタリング")
#: the longest string a widget shows as a label or a readout word
MAX_LABEL = 80
#: the part of a value before its gloss or its details: 「不一致」 of 「不一致: {differences}」
_GLOSS = re.compile(r"\s?[(（:：]")


def _template(text: str) -> re.Pattern[str]:
    """A catalog string as a pattern: its ``{fields}`` match any text."""
    return re.compile(".+".join(re.escape(part) for part in re.split(r"\{[^{}]*\}", text)))


@cache
def japanese_values() -> tuple[str, ...]:
    return tuple(sorted({value.strip() for path in sorted(CATALOGS.glob("*.json"))
                         for value in json.loads(path.read_text(encoding="utf-8")).values()}))


@cache
def english_keys() -> tuple[str, ...]:
    return tuple(sorted({key.strip() for path in sorted(CATALOGS.glob("*.json"))
                         for key in json.loads(path.read_text(encoding="utf-8"))}))


def _literal(text: str) -> str:
    return re.sub(r"\{[^{}]*\}|\s", "", text)


def _shown(label: str, strings: tuple[str, ...]) -> bool:
    """Whether one of ``strings`` shows ``label``: whole (fields filled in), or as the part before its gloss. A
    string that is mostly fields (``{where}: {value}``) or too long to be a label names nothing."""
    for text in strings:
        head = _GLOSS.split(text, maxsplit=1)[0].strip()
        for candidate in {text, head}:
            if len(candidate) <= MAX_LABEL and len(_literal(candidate)) >= 2 and _template(candidate).fullmatch(label):
                return True
    return False


def named_labels(markdown: str) -> list[str]:
    """The labels a Japanese text names next to a widget word, in the order they appear."""
    found = []
    for pattern, group in ((_AFTER, "1"), (_BEFORE, "2")):
        for match in pattern.finditer(markdown):
            label = match.group("q" + group) or match.group("b" + group)
            found.append((match.start(), label.strip()))
    return [label for _, label in sorted(set(found))]


def code_strings(cells: list[dict]) -> tuple[str, ...]:
    """The string literals of a lesson's code cells (a label the lesson passes to a widget)."""
    found = set()
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        code = "\n".join(line for line in source(cell).splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(code)
        except SyntaxError:
            continue
        found |= {node.value for node in ast.walk(tree)
                  if isinstance(node, ast.Constant) and isinstance(node.value, str)}
    return tuple(sorted(found))


def label_problems(markdown: str, english_markdown: str, lesson_strings: tuple[str, ...] = ()) -> list[str]:
    """What in ``markdown`` (a Japanese cell) names a widget with a string the widget does not show."""
    problems = []
    for label in named_labels(markdown):
        if _shown(label, japanese_values()) or label in lesson_strings or label in OUTSIDE_LABELS:
            continue
        if label in english_markdown and not _shown(label, english_keys()):
            continue  # named the same way in English, and not a string dynalab translates
        problems.append(f"「{label}」 is not a label a widget shows (no Japanese catalog value matches it)")
    for match in _DESCRIBED.finditer(markdown):
        problems.append(f"「{match.group()}」 describes a button instead of naming its label in 「…」")
    for value in japanese_values():
        if len(value) < 2 or "{" in value:
            continue
        unquoted = rf"(?<![「*\w]){re.escape(value)}\s?の?\s?(?:ボタン|チェックボックス|トグル)"
        for match in re.finditer(unquoted, markdown):
            problems.append(f"「{match.group()}」 names the label {value!r} without its 「…」")
    return problems


def _english_markdown(name: str) -> list[str]:
    path = ENGLISH_NOTEBOOKS / name
    return [source(cell) if cell["cell_type"] == "markdown" else "" for cell in notebook_cells(path)]


@pytest.mark.parametrize("name", LESSONS)
def test_a_japanese_lesson_names_what_its_widgets_show(name: str) -> None:
    english = _english_markdown(name)
    cells = notebook_cells(JAPANESE_NOTEBOOKS / name)
    strings = code_strings(cells)
    problems = []
    for number, cell in enumerate(cells):
        if cell["cell_type"] == "markdown":
            english_cell = english[number] if number < len(english) else ""
            problems += [f"cell {number}: {problem}" for problem in label_problems(source(cell), english_cell, strings)]
    assert not problems, f"notebooks/ja/{name}:\n" + "\n".join(problems)


def test_the_lessons_are_found() -> None:
    assert len(LESSONS) >= 10, LESSONS


@pytest.mark.parametrize(("japanese", "english"), [
    # the mismatches the native review found (issue 30), as they were written
    ("トグルの「LSI 付きテーブル（現在）」を選んでください。", "Pick **today, a table with an LSI**."),
    ("Auto Scaling をオンにして、書き込みを始めるボタンを押してください。", "press **Fire**"),
    ("ある行に **DIFFER** と表示されたら、どちらかが間違っています。", "If a line says **DIFFER**, one is wrong."),
    ("答えを入力して **確認** を押してください。", "Type your answer and press **Check**."),
    ("答えを入力して、答え合わせのボタンを押してください。", "Type your answer and press **Check**."),
])
def test_the_known_mismatches_are_caught(japanese: str, english: str) -> None:
    assert label_problems(japanese, english), japanese


@pytest.mark.parametrize(("japanese", "english"), [
    ("答えを入力して「答え合わせ」を押してください。", "press **Check**"),
    ("「実行」ボタンを押してください。", "press **Fire**"),
    ("「A に投票」ボタンを押すたびに 1 票が入ります。", "Press **Vote A**."),
    ("ある行に「不一致」と表示されたら、どちらかが間違っています。", "If a line says **DIFFER**"),
    ("「現在、分離なし」の切り替えでは、キーが上限を共有します。", "the no isolation switch"),
    ("**Run** メニューの **Run All Cells** を選びます。", "JupyterLab's **Run** menu, **Run All Cells**"),
    ("▶ を押すか、ステップのスライダーをドラッグしてください。", "Press ▶ or drag the step slider."),
])
def test_the_labels_the_widgets_show_pass(japanese: str, english: str) -> None:
    assert not label_problems(japanese, english), label_problems(japanese, english)
