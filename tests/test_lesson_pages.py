"""What a learner sees on a lesson's page, in both editions (issue 29): dollars that JupyterLab does not typeset as
maths, a self-check that hands out no answer, widgets that Run All leaves as the learner finds them.

* **Dollars**: JupyterLab's Markdown renderer (markdown cells, and markdown or HTML outputs) pairs ``$...$`` and
  typesets it as maths ("**$54.57** a month ... **$188.89**" became "54.57∗∗amonthprovisioned..."). Every dollar
  in prose is escaped ``\\$``; dollars inside code spans are code and stay as they are.
* **Self-checks**: a lesson's questions live in dynalab (``dynalab.lessons.self_checks``): the page has one
  ``self_check_for("NN")`` cell and a hidden cell (``verify_self_check``) that nbval compares, saying how many
  questions check, never an answer; no stored output holds a verdict ("✓ Correct: 572 ...").
* **Hidden cells** (tag ``remove-cell``): collapsed in JupyterLab (``jupyter.source_hidden``, ``outputs_hidden``) and
  left out of the slides (``slide_type`` skip; ``tools/build_slides.py`` removes the tag too).
* **Widgets**: no cell moves the controls of a widget the page displays (its readout would no longer show what the
  learner set); a cell that drives a widget for nbval drives its own copy, in a hidden cell.
"""

from __future__ import annotations

import ast
import json
import re

import pytest
from support_i18n import ENGLISH_NOTEBOOKS, JAPANESE_NOTEBOOKS, notebook_cells, source

from dynalab.lessons.self_checks import LESSONS, results_needed
from dynalab.widgets.hidden_checks import HIDDEN_ELEMENT

LESSON_PATHS = sorted(ENGLISH_NOTEBOOKS.glob("[0-9]*.ipynb")) + sorted(JAPANESE_NOTEBOOKS.glob("[0-9]*.ipynb"))
HIDDEN_TAG = "remove-cell"
#: how a hidden cell's output starts (``dynalab.widgets.hidden_checks.hidden_bundle``): drawn as nothing
HIDDEN_HTML = HIDDEN_ELEMENT
#: a dollar that is not escaped, followed by an amount ("$54.57", "$ 3"): MathJax pairs two of them
UNESCAPED_AMOUNT = re.compile(r"(?<!\\)\$\s?\d")
UNESCAPED_DOLLAR = re.compile(r"(?<!\\)\$")
CODE = re.compile(r"```.*?```|(`+).+?\1", re.S)
#: the verdicts a self-check gives, in both languages (a stored one hands the answer out)
VERDICTS = ("✓ Correct", "✓ 正解")
#: what drives a widget's controls from a cell
DRIVING_METHODS = {"set_controls", "set_rate", "configure"}


def _id(path) -> str:
    return ("ja/" if path.parent.name == "ja" else "") + path.stem


def _prose(markdown: str) -> str:
    """Markdown without its code (fenced blocks and code spans): what the Markdown renderer typesets."""
    return CODE.sub(" ", markdown)


def dollar_problems(markdown: str) -> list[str]:
    """Why JupyterLab would typeset part of ``markdown`` as maths: an unescaped dollar before an amount, or two
    unescaped dollars it can pair."""
    prose = _prose(markdown)
    problems = [f"unescaped dollar amount {prose[m.start():m.start() + 12]!r}"
                for m in UNESCAPED_AMOUNT.finditer(prose)]
    if len(UNESCAPED_DOLLAR.findall(prose)) >= 2 and not problems:
        problems.append("two unescaped dollars MathJax can pair")
    return problems


#: an HTML output whose element MathJax leaves alone (its dollars are not maths)
MATHJAX_IGNORED = re.compile(r'^<\w+ class="[^"]*\b(tex2jax_ignore|mathjax_ignore)\b')


def _rendered_outputs(cell: dict) -> list[str]:
    """The Markdown and HTML a code cell's stored outputs hand to JupyterLab's renderers (which typeset maths),
    except an element marked for MathJax to leave alone."""
    texts = []
    for output in cell.get("outputs", []):
        for kind in ("text/markdown", "text/html"):
            value = output.get("data", {}).get(kind)
            text = "".join(value) if isinstance(value, list) else value or ""
            if text and not (kind == "text/html" and MATHJAX_IGNORED.match(text)):
                texts.append(text)
    return texts


def _stored_text(cell: dict) -> str:
    parts = []
    for output in cell.get("outputs", []):
        text = output.get("text")
        parts.append("".join(text) if isinstance(text, list) else text or "")
        for value in output.get("data", {}).values():
            if isinstance(value, str | list):
                parts.append("".join(value) if isinstance(value, list) else value)
    return "\n".join(parts)


def _hidden(cell: dict) -> bool:
    return HIDDEN_TAG in cell.get("metadata", {}).get("tags", [])


def _lesson_key(path) -> str:
    return path.stem[:2]


# --- dollars ------------------------------------------------------------------------------------------------------


def test_the_dollar_check_finds_what_jupyterlab_typesets():
    assert dollar_problems("**$54.57** a month provisioned and **$188.89** on-demand")
    assert dollar_problems("175 × $0.00013 + 80 × $0.00065 per hour")
    assert dollar_problems("from $1 to $ 2")
    assert not dollar_problems(r"**\$54.57** a month and **\$188.89** on-demand")
    assert dollar_problems("one price, $0.20 per million")  # alone today, paired by the next edit's dollar
    assert not dollar_problems("in code: `f'${x:.2f}'` and `$5`, fenced:\n```\nprint('$1 $2')\n```")


def test_html_outputs_are_checked_unless_mathjax_leaves_them_alone():
    from dynalab.widgets.hidden_checks import hidden_bundle

    typeset = {"outputs": [{"output_type": "display_data", "data": {"text/html": "<b>$3.33 and $5.84</b>"}}]}
    ignored = {"outputs": [{"output_type": "display_data", "data": hidden_bundle("$3.33 and $5.84")}]}
    assert dollar_problems(_rendered_outputs(typeset)[0])
    assert _rendered_outputs(ignored) == []


@pytest.mark.parametrize("path", LESSON_PATHS, ids=_id)
def test_no_dollar_is_typeset_as_maths(path):
    problems = []
    for number, cell in enumerate(notebook_cells(path)):
        texts = [source(cell)] if cell["cell_type"] == "markdown" else _rendered_outputs(cell)
        problems += [f"cell {number}: {problem}" for text in texts for problem in dollar_problems(text)]
    assert not problems, f"{_id(path)}: escape dollars in prose as \\$ ({'; '.join(problems[:6])})"


# --- self-checks --------------------------------------------------------------------------------------------------


def _calls(code: str, name: str) -> list[ast.Call]:
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    return [node for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == name]


@pytest.mark.parametrize("path", LESSON_PATHS, ids=_id)
def test_the_self_check_cell_shows_only_the_form(path):
    cells = notebook_cells(path)
    key = _lesson_key(path)
    forms = [(n, c) for n, c in enumerate(cells) if c["cell_type"] == "code" and _calls(source(c), "self_check_for")]
    assert len(forms) == 1, f"{_id(path)}: one cell must show dynalab.self_check_for(\"{key}\"), found {len(forms)}"
    number, cell = forms[0]
    assert not _hidden(cell), f"{_id(path)}: the self-check form must be visible"
    code = source(cell)
    assert code.strip().count("\n") == 0, f"{_id(path)}: the self-check cell is one line, found:\n{code}"
    call = _calls(code, "self_check_for")[0]
    assert [ast.literal_eval(arg) for arg in call.args] == [key]
    assert sorted(k.arg for k in call.keywords) == sorted(results_needed(key)), (
        f"{_id(path)}: pass exactly the results the questions need: {results_needed(key)}")
    assert key in LESSONS
    for other in cells:
        text = source(other)
        assert "Question(" not in text and not _calls(text, "self_check"), (
            f"{_id(path)}: a cell builds questions on the page (they live in dynalab.lessons.self_checks):\n{text}")
    verify = cells[number + 1]
    assert _calls(source(verify), "verify_self_check") and _hidden(verify), (
        f"{_id(path)}: the cell after the form must be the hidden verify_self_check(\"{key}\") cell")


@pytest.mark.parametrize("path", LESSON_PATHS, ids=_id)
def test_no_stored_output_hands_out_an_answer(path):
    shown = [number for number, cell in enumerate(notebook_cells(path)) if cell["cell_type"] == "code"
             and any(verdict in _stored_text(cell) for verdict in VERDICTS)]
    assert not shown, f"{_id(path)}: cells {shown} store a self-check verdict (an answer) in their outputs"


# --- hidden cells -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", LESSON_PATHS, ids=_id)
def test_hidden_cells_are_collapsed_and_out_of_the_slides(path):
    wrong = []
    for number, cell in enumerate(notebook_cells(path)):
        if not _hidden(cell):
            continue
        metadata = cell["metadata"]
        jupyter = metadata.get("jupyter", {})
        if metadata.get("slideshow", {}).get("slide_type") != "skip":
            wrong.append(f"cell {number}: slide_type must be 'skip'")
        if not (jupyter.get("source_hidden") and jupyter.get("outputs_hidden")):
            wrong.append(f"cell {number}: set jupyter.source_hidden and jupyter.outputs_hidden")
    assert not wrong, f"{_id(path)}: " + "; ".join(wrong)


@pytest.mark.parametrize("path", LESSON_PATHS, ids=_id)
def test_hidden_cells_show_nothing_when_run_all_reopens_them(path):
    """JupyterLab opens a collapsed cell's outputs again when it runs: a hidden cell's outputs are hidden HTML
    (``dynalab.hidden_check()``, ``verify_self_check``), with the text nbval compares beside it."""
    shown = []
    for number, cell in enumerate(notebook_cells(path)):
        if not _hidden(cell) or cell["cell_type"] != "code":
            continue
        for output in cell.get("outputs", []):
            html = "".join(output.get("data", {}).get("text/html", ""))
            if output.get("output_type") != "display_data" or not html.startswith(HIDDEN_HTML):
                shown.append(f"cell {number}: a visible {output.get('output_type')} output")
    assert not shown, f"{_id(path)}: wrap what a hidden cell prints in `with dynalab.hidden_check():` ({shown})"


# --- widgets ------------------------------------------------------------------------------------------------------


def _displayed_widgets(cells: list[dict]) -> set[str]:
    """Names a visible code cell ends with (``explorer`` alone on the last line): the widgets the page shows."""
    names = set()
    for cell in cells:
        if cell["cell_type"] != "code" or _hidden(cell):
            continue
        try:
            body = ast.parse(source(cell)).body
        except SyntaxError:
            continue
        if body and isinstance(body[-1], ast.Expr) and isinstance(body[-1].value, ast.Name):
            names.add(body[-1].value.id)
    return names


def widget_drives(code: str, widgets: set[str]) -> list[str]:
    """Where ``code`` moves a control of one of ``widgets`` (``explorer.slider.value = 40``, ``explorer.set_rate``)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AugAssign) else []
        for target in targets:
            root = target
            while isinstance(root, ast.Attribute):
                root = root.value
            if isinstance(target, ast.Attribute) and isinstance(root, ast.Name) and root.id in widgets:
                found.append(ast.unparse(target))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DRIVING_METHODS:
            root = node.func.value
            if isinstance(root, ast.Name) and root.id in widgets:
                found.append(ast.unparse(node.func))
    return found


def test_the_widget_drive_check_sees_a_control_moved():
    assert widget_drives("explorer.slider.value = 40\nprint(explorer.readout.value)", {"explorer"}) == [
        "explorer.slider.value"]
    assert widget_drives("changed = explorer.set_rate('place order', 300)", {"explorer"}) == ["explorer.set_rate"]
    assert widget_drives("check = Explorer()\ncheck.slider.value = 40", {"explorer"}) == []


@pytest.mark.parametrize("path", LESSON_PATHS, ids=_id)
def test_run_all_leaves_the_learners_widgets_alone(path):
    cells = notebook_cells(path)
    widgets = _displayed_widgets(cells)
    driven = {number: drives for number, cell in enumerate(cells) if cell["cell_type"] == "code"
              and (drives := widget_drives(source(cell), widgets))}
    assert not driven, (f"{_id(path)}: cells move the controls of a widget the page shows ({driven}); drive a copy "
                        f"of it in a hidden cell (tag {HIDDEN_TAG!r})")


def test_every_lesson_is_checked():
    assert {_lesson_key(p) for p in LESSON_PATHS} == set(LESSONS), "a lesson without a self-check, or the reverse"
    assert json.dumps(sorted(LESSONS)) == json.dumps([f"{n:02d}" for n in range(10)])


# --- lesson 0 says how to run a lesson ----------------------------------------------------------------------------


@pytest.mark.parametrize("folder", [ENGLISH_NOTEBOOKS, JAPANESE_NOTEBOOKS], ids=["en", "ja"])
def test_lesson_0_says_how_to_run_a_lesson_before_its_first_code(folder):
    cells = notebook_cells(folder / "00_start_here.ipynb")
    first_code = next(n for n, c in enumerate(cells) if c["cell_type"] == "code")
    before = " ".join(source(c) for c in cells[:first_code] if c["cell_type"] == "markdown")
    for words in ("Shift+Enter", "Run All", "**Run**", "Loading widget...", "kernel" if folder == ENGLISH_NOTEBOOKS
                  else "カーネル"):
        assert words in before, f"lesson 0 ({folder.name}) should say {words!r} before its first code cell"
