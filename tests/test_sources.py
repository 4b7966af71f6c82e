"""The sources ledger, ``docs/sources.md``: one row per documented rule the course teaches, each cited somewhere.

Checks that the table has exactly its seven columns; every id is lowercase kebab-case and unique; every
``[src:<id>]`` cited in dynalab/, notebooks/, docs/ and tests/ names a row, and every row is cited at least once
outside the ledger; each row's page is an https address of AWS (or a third-party page marked as such); its date is
an ISO date; each "pinned by" names tests that exist; and no file of the repository cites the steering folder
outside it (a clone does not have it).
"""

from __future__ import annotations

import ast
import re
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
LEDGER = ROOT / "docs" / "sources.md"
COLUMNS = ["id", "rule", "page", "quote", "read", "taught in", "pinned by"]
CITATION = re.compile(r"\[src:([a-z0-9]+(?:-[a-z0-9]+)*)\]")
ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
#: hosts (and GitHub owners) that publish AWS's own text
AWS_HOSTS = ("docs.aws.amazon.com", "aws.amazon.com", "repost.aws", "docs.amazonaws.cn")
AWS_GITHUB_OWNERS = ("awsdocs", "boto", "aws")
SCANNED = ("dynalab", "notebooks", "docs", "tests", "tools", "data", "benchmarks")
SUFFIXES = (".py", ".ipynb", ".md", ".json", ".yaml", ".yml", ".cfg", ".toml", ".txt", ".tsv")


def _rows() -> list[dict[str, str]]:
    lines = [line for line in LEDGER.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header == COLUMNS, f"the ledger's columns must be exactly {COLUMNS}; got {header}"
    assert set(lines[1].replace("|", "").strip()) <= {"-", ":", " "}, "the second line is the table's rule"
    rows = []
    for number, line in enumerate(lines[2:], start=3):
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        assert len(cells) == len(COLUMNS), f"table line {number} has {len(cells)} cells, not 7: {line[:100]}"
        rows.append(dict(zip(COLUMNS, cells, strict=True)))
    return rows


ROWS = _rows()
IDS = [row["id"] for row in ROWS]


def _files() -> list[Path]:
    found = [ROOT / name for name in ("README.md", "DEVELOPERS.md", "Makefile", "setup.py", "pyproject.toml")]
    for folder in SCANNED:
        found += [path for path in (ROOT / folder).rglob("*") if path.is_file() and path.suffix in SUFFIXES
                  and ".ipynb_checkpoints" not in path.parts]
    return [path for path in found if path.exists()]


def _citations() -> dict[str, set[str]]:
    cited: dict[str, set[str]] = {}
    for path in _files():
        if path == LEDGER:
            continue
        for found in CITATION.findall(path.read_text(encoding="utf-8", errors="replace")):
            cited.setdefault(found, set()).add(str(path.relative_to(ROOT)))
    return cited


CITED = _citations()


def test_the_ledger_has_sixty_pages_or_more_and_unique_kebab_case_ids():
    assert len(IDS) == len(set(IDS)), sorted({i for i in IDS if IDS.count(i) > 1})
    assert [i for i in IDS if not ID.fullmatch(i)] == []
    pages = {row["page"].split()[0].split("#")[0] for row in ROWS}
    assert len(pages) >= 60, f"{len(pages)} distinct pages"


def test_every_citation_names_a_row_of_the_ledger():
    unknown = {name: sorted(paths) for name, paths in CITED.items() if name not in IDS}
    assert unknown == {}, "cited, not in docs/sources.md: " + repr(unknown)


def test_every_row_is_cited_outside_the_ledger():
    assert [i for i in IDS if i not in CITED] == []


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_each_row_is_complete_and_its_page_is_aws_or_marked_third_party(row):
    page = row["page"]
    url = urlparse(page.split()[0])
    assert url.scheme == "https", page
    owner = url.path.strip("/").split("/")[0] if url.netloc == "github.com" else ""
    aws = url.netloc in AWS_HOSTS or url.netloc.endswith(".docs.aws.amazon.com") or owner in AWS_GITHUB_OWNERS
    assert aws or "third-party" in page, f"{row['id']}: a page outside AWS must say '(third-party: ...)'"
    assert row["rule"] and row["taught in"], row["id"]
    assert row["quote"].startswith('"') and row["quote"].endswith('"') and len(row["quote"]) <= 260, row["id"]
    date.fromisoformat(row["read"])


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_each_pinned_by_names_tests_that_exist(row):
    pins = [pin.strip() for pin in row["pinned by"].replace("<br>", ",").split(",") if pin.strip()]
    assert pins, row["id"]
    for pin in pins:
        path, _, name = pin.strip("`").partition("::")
        assert path.startswith("tests/") and path.endswith(".py") and name.startswith("test_"), pin
        assert (ROOT / path).exists(), pin
        assert name in _test_names(ROOT / path), pin


def test_no_file_cites_the_steering_folder_outside_the_repository():
    steering = "/".join(("..", "shared"))  # written in two parts so this test does not cite it itself
    absolute = "/".join(("", "work", "shared"))
    offenders = [str(path.relative_to(ROOT)) for path in _files()
                 if steering in (text := path.read_text(encoding="utf-8", errors="replace")) or absolute in text]
    assert offenders == []
