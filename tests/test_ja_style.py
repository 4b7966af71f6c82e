"""The Japanese edition follows its style and term sheet (issue 30, docs/ja-style.md): no rendering the term table
marks 使わない, no full-width parentheses and no 「あなた」 in the Japanese lessons' markdown, in what their stored
outputs show (printed lines, text/plain, HTML, markdown, figure titles and labels) or in the Japanese catalogs; and in
the lessons' markdown prose no hard wrap between two Japanese characters and no sentence ending in a colon.

A failure names the file, the cell (and output) or catalog key, the rule and the text around what it found."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from support_i18n import JAPANESE_NOTEBOOKS, ROOT, notebook_cells, source

STYLE_SHEET = ROOT / "docs" / "ja-style.md"
CATALOG_FOLDER = ROOT / "dynalab" / "i18n" / "ja"
NOTEBOOKS = sorted(JAPANESE_NOTEBOOKS.glob("*.ipynb"))
CATALOGS = sorted(CATALOG_FOLDER.glob("*.json"))

# A Japanese character: CJK punctuation (、。「」), kana, kanji, full-width forms.
JAPANESE = "\u3000-\u303f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
_JAPANESE_CHARACTER = re.compile(f"[{JAPANESE}]")
# Rules that hold whatever the term table says.
FIXED_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("full-width parenthesis (use half-width ( ))", re.compile("[（）]")),
    ("「あなた」 (leave the subject out, or 学習者)", re.compile("あなた")),
)
# Output MIME types whose text a learner reads; plotly figures are walked separately.
TEXT_MIME_TYPES = ("text/plain", "text/html", "text/markdown")


def term_rules(sheet: str | None = None) -> list[tuple[str, re.Pattern[str]]]:
    """(rule, pattern) for every rendering the term table's 使わない column lists. A trailing ``[^ー]`` ("not
    followed by ー") is read as a lookahead, so フィルタ at the very end of a text is found too."""
    text = STYLE_SHEET.read_text(encoding="utf-8") if sheet is None else sheet
    section = text.split("## 用語", 1)[1]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert header == ["English", "日本語", "使わない"], f"{STYLE_SHEET.name}: unexpected term table header {header}"
    rules = []
    for row in rows[2:]:
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        assert len(cells) == 3, f"{STYLE_SHEET.name}: a term row needs 3 cells: {row!r}"
        english, japanese, avoided = cells
        for rendering in filter(None, (part.strip() for part in avoided.split(","))):
            pattern = re.sub(r"\[\^(.)\]$", r"(?!\1)", rendering)
            rules.append((f"{rendering!r} (term sheet: {english} → {japanese})", re.compile(pattern, re.IGNORECASE)))
    return rules


def _context(text: str, start: int, end: int, width: int = 24) -> str:
    return re.sub(r"\s+", " ", text[max(0, start - width):end + width]).strip()


def violations(text: str, rules: list[tuple[str, re.Pattern[str]]]) -> Iterator[str]:
    """'rule: …text…' for every match of a rule in ``text``: a place two rules find (あなた) once, the same
    finding in the same words once."""
    spans, seen = set(), set()
    for rule, pattern in rules:
        for match in pattern.finditer(text):
            finding = f"{rule}: …{_context(text, match.start(), match.end())}…"
            if match.span() not in spans and finding not in seen:
                spans.add(match.span())
                seen.add(finding)
                yield finding


def _prose_lines(markdown: str) -> Iterator[tuple[int, str]]:
    """(line number, line) of the markdown's prose: outside fenced code, not a heading, a table row or HTML."""
    fence = None
    for number, line in enumerate(markdown.splitlines(), start=1):
        stripped = line.strip()
        marker = re.match(r"(`{3,}|~{3,})", stripped)
        if marker:
            if fence is None:
                fence = marker.group(1)[0]
            elif marker.group(1)[0] == fence:
                fence = None
            continue
        if fence is not None or stripped.startswith(("#", "|", "<", "$$", ">")):
            yield number, ""  # not prose (a quotation is quoted as written): breaks a paragraph for the wrap rule
            continue
        yield number, line


def hard_wraps(markdown: str) -> Iterator[str]:
    """A line break between two Japanese characters inside a paragraph (rendered as a stray space), unless the
    line ends in an explicit markdown line break (two spaces, a backslash or <br>)."""
    lines = list(_prose_lines(markdown))
    for (number, line), (_, following) in zip(lines, lines[1:], strict=False):
        if not line.strip() or not following.strip() or line.endswith(("  ", "\\", "<br>", "<br/>")):
            continue
        # emphasis marks around the break (**…**) do not hide it: 「が\n**重要**」 still shows 「が **重要**」
        before = re.sub(r"(?<=\S)(\*\*?|__?)$", "", line.rstrip())[-1]
        after = re.sub(r"^(\*\*?|__?)(?=\S)", "", following.lstrip())[0]
        if _JAPANESE_CHARACTER.match(before) and _JAPANESE_CHARACTER.match(after):
            yield (f"hard wrap between two Japanese characters (join the paragraph into one line), line {number}: "
                   f"…{line.rstrip()[-20:]}⏎{following.lstrip()[:20]}…")


def final_colons(markdown: str) -> Iterator[str]:
    """A prose line with Japanese text that ends in : or ： (headings, tables and code are not prose)."""
    for number, line in _prose_lines(markdown):
        prose = re.sub(r"`[^`]*`", "", line).rstrip().rstrip("*_ ").rstrip()
        if prose.endswith((":", "：")) and _JAPANESE_CHARACTER.search(prose):
            yield f"sentence ends in a colon (end it as a sentence: 次のとおりです。), line {number}: …{prose[-40:]}"


def unquoted(markdown: str) -> str:
    """The markdown without its quotations (blockquote lines: the seed articles quoted as written, アイテム and
    all)."""
    return "\n".join(line for line in markdown.splitlines() if not line.lstrip().startswith(">"))


def _plotly_strings(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(JSON path, string) for every string of a plotly figure but its theme (layout.template)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if path == "layout" and key == "template":
                continue
            yield from _plotly_strings(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _plotly_strings(value, f"{path}[{index}]")
    elif isinstance(node, str):
        yield path, node


def shown_outputs(cell: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, text) for each text a code cell's stored outputs show: streams, text/plain, text/html (as text),
    text/markdown and every string of a plotly figure."""
    for number, output in enumerate(cell.get("outputs", [])):
        if output.get("output_type") == "stream":
            yield f"output {number} ({output.get('name', 'stream')})", "".join(output.get("text", ""))
        data = output.get("data", {})
        for mime in TEXT_MIME_TYPES:
            if mime in data:
                text = "".join(data[mime])
                if mime == "text/html":
                    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
                yield f"output {number} ({mime})", text
        figure = data.get("application/vnd.plotly.v1+json")
        if isinstance(figure, dict):
            for path, text in _plotly_strings(figure):
                yield f"output {number} (plotly {path})", text


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _report(path: Path, found: list[str]) -> str:
    shown = "\n  ".join(found[:60])
    more = f"\n  ... and {len(found) - 60} more" if len(found) > 60 else ""
    return f"{_relative(path)}: {len(found)} style problem(s):\n  {shown}{more}"


RULES = [*FIXED_RULES, *term_rules()]


# --- the rules themselves ---------------------------------------------------------------------------------------

def test_the_term_table_is_read_with_every_avoided_rendering() -> None:
    rules = dict(term_rules())
    names = " ".join(rules)
    for rendering in ("再現度", "適応型キャパシティ", "冪等", "読み手", "既定", "あなた", "惜しい", "split for heat"):
        assert repr(rendering) in names, f"{rendering} is missing from the rules read from {STYLE_SHEET.name}"
    assert len(rules) >= 30


def test_a_rule_finds_what_it_should_and_passes_the_rendering_to_use() -> None:
    def found(text: str) -> list[str]:
        return list(violations(text, RULES))

    assert found("フィルター式とフィルター") == []
    assert found("フィルタ式") and found("末尾のフィルタ")  # not followed by ー, also at the very end
    assert found("Split For Heat で分割") and found("イテレータ。") and not found("イテレーター。")
    assert found("これは（例）です") and found("あなたの答え") and not found("学習者の答え (例)")
    assert found("既定の値") and not found("デフォルトの値")
    assert len(found("冪等で冪等")) == 1, "the same finding in one text is reported once"


def test_the_prose_rules_find_wraps_and_colons_outside_code_headings_and_tables() -> None:
    markdown = ("これは段落の\n途中です。\n\n最後が改行  \n次の行。\n- 箇条書き\n- 次の項目\n"
                "```\nコード\nの中\n```\n## 見出し:\n| 表: |\n"
                "次のとおりです:\n次の表 (RCU)：\nEnglish line:\n**注意:**")
    wraps = list(hard_wraps(markdown))
    assert len(wraps) == 1 and "段落の⏎途中" in wraps[0], wraps
    assert len(list(hard_wraps("これが\n**重要**です。\n* 箇条書き\n* 次の項目"))) == 1
    colons = list(final_colons(markdown))
    assert len(colons) == 3, colons
    quoted = "記事のとおりに引用します。\n> - 16KB のアイテムを\n> 読み込む場合:\n"
    assert not list(hard_wraps(quoted)) and not list(final_colons(quoted))
    assert not list(violations(unquoted(quoted), RULES)) and list(violations(quoted, RULES))
    assert all("見出し" not in line and "表:" not in line and "English" not in line for line in colons)


# --- the catalogs -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", CATALOGS, ids=lambda path: path.name)
def test_catalog_values_follow_the_term_sheet(path: Path) -> None:
    found = []
    for key, value in json.loads(path.read_text(encoding="utf-8")).items():
        found += [f"key {key[:60]!r}: {problem}" for problem in violations(value, RULES)]
    if found:
        pytest.fail(_report(path, found), pytrace=False)


# --- the lessons ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_lesson_markdown_follows_the_style_sheet(path: Path) -> None:
    found = []
    for number, cell in enumerate(notebook_cells(path)):
        if cell["cell_type"] != "markdown":
            continue
        text = source(cell)
        for problem in [*violations(unquoted(text), RULES), *hard_wraps(text), *final_colons(text)]:
            found.append(f"cell {number} (id {cell.get('id', '?')}): {problem}")
    if found:
        pytest.fail(_report(path, found), pytrace=False)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.name)
def test_lesson_outputs_follow_the_term_sheet(path: Path) -> None:
    found = []
    for number, cell in enumerate(notebook_cells(path)):
        if cell["cell_type"] != "code":
            continue
        seen = set()
        for where, text in shown_outputs(cell):
            for problem in violations(text, RULES):
                if problem not in seen:  # the same text as text/plain and text/html: report it once
                    seen.add(problem)
                    found.append(f"cell {number} {where}: {problem}")
    if found:
        pytest.fail(_report(path, found), pytrace=False)
