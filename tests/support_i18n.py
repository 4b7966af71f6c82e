"""What the edition and translation tests share: a notebook's code with its strings and comments set aside, and a
detector for English prose left in text shown in Japanese mode."""

from __future__ import annotations

import io
import json
import re
import tokenize
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ENGLISH_NOTEBOOKS = ROOT / "notebooks"
JAPANESE_NOTEBOOKS = ROOT / "notebooks" / "ja"

# Three or more English words in a row (lowercase words of 2+ letters, the first of 3+) is prose, not an API name
# (BatchWriteItem), a unit (RCU, KB), a table name (vote_summary) or a number.
_ENGLISH_RUN = re.compile(r"(?<![\w./:-])[A-Za-z][a-z]{2,}(?:[ ,]+[a-z]{2,}){2,}(?![\w/-])")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
# Prose that is legitimately English in the Japanese edition: names of things and code.
_ALLOWED = re.compile(r"https?://\S+|`[^`]*`|<[^>]+>|\{[^}]*\}|&\w+;")
# DynamoDB's own messages are English in every language (the API answers in English): the rest of a line after an
# error code (ValidationException: ..., TableAlreadyExistsException - ...) or in a bulk operation's ERROR report.
_DYNAMODB_MESSAGE = re.compile(r"(\b[A-Z][A-Za-z]+Exception\b|^ERROR \[).*$", re.M)


def english_runs(text: str) -> list[str]:
    """English phrases (three or more words) in ``text``, after setting aside links, code spans, markup and
    DynamoDB's own error messages."""
    return _ENGLISH_RUN.findall(_ALLOWED.sub(" ", _DYNAMODB_MESSAGE.sub(" ", text)))


def has_japanese(text: str) -> bool:
    return bool(_JAPANESE.search(text))


def notebook_cells(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell: dict[str, Any]) -> str:
    text = cell["source"]
    return "".join(text) if isinstance(text, list) else text


def code_without_strings(code: str) -> list[str]:
    """The code's tokens with every string literal (f-strings whole) as one placeholder and comments dropped."""
    tokens: list[str] = []
    depth = 0
    lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]
    for token in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
        kind = tokenize.tok_name.get(token.type, "")
        if kind == "FSTRING_START":
            depth += 1
            if depth == 1:
                tokens.append("<str>")
            continue
        if kind == "FSTRING_END":
            depth -= 1
            continue
        if depth or token.type in (tokenize.COMMENT, tokenize.NL, tokenize.ENCODING):
            continue
        if token.type == tokenize.STRING:
            if tokens and tokens[-1] == "<str>":
                continue  # implicit concatenation: "a" "b" is one literal, however it is split
            tokens.append("<str>")
            continue
        tokens.append(token.string)
    return tokens


def _plotly_texts(figure: dict[str, Any]) -> list[str]:
    texts: list[str] = []

    def title(node: Any) -> None:
        if isinstance(node, dict):
            node = node.get("text")
        if isinstance(node, str):
            texts.append(node)

    layout = figure.get("layout", {})
    title(layout.get("title"))
    for key, value in layout.items():
        if key.startswith(("xaxis", "yaxis")) and isinstance(value, dict):
            title(value.get("title"))
    texts += [a.get("text", "") for a in layout.get("annotations", []) if isinstance(a, dict)]
    texts += [trace.get("name", "") for trace in figure.get("data", []) if isinstance(trace.get("name"), str)]
    return texts


def shown_texts(cell: dict[str, Any]) -> list[str]:
    """The text a code cell's stored outputs show a learner: printed lines, HTML, figure titles, labels, legends."""
    texts: list[str] = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            texts.append("".join(output.get("text", "")))
        data = output.get("data", {})
        figure = data.get("application/vnd.plotly.v1+json")
        if figure:
            texts += _plotly_texts(figure)
        elif "text/html" in data:
            texts.append(re.sub(r"<[^>]+>", " ", "".join(data["text/html"])))
        elif "text/plain" in data and "application/vnd.jupyter.widget-view+json" not in data:
            texts.append("".join(data["text/plain"]))
    return texts
