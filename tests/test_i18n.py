"""The language switch and the message table (issue 18): every template dynalab marks has a Japanese entry with
the same fields, no entry is stale, and the switch refuses what it does not know."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from support_i18n import english_runs, has_japanese

import dynalab
from dynalab import i18n

PACKAGE = Path(dynalab.__file__).resolve().parent
CATALOG_FOLDER = PACKAGE / "i18n" / "ja"


def marked_templates() -> dict[str, str]:
    """Every literal passed to tr(...) or N_(...) in dynalab, with where it is (file:line)."""
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "course" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
                    and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) in ("tr", "N_")
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    return found


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    dynalab.set_language("en")


def test_no_template_is_in_two_catalog_files() -> None:
    seen: dict[str, str] = {}
    for path in sorted(CATALOG_FOLDER.glob("*.json")):
        for key in json.loads(path.read_text(encoding="utf-8")):
            assert key not in seen, f"{key!r} is in both {seen[key]} and {path.name}"
            seen[key] = path.name


def test_every_marked_template_has_a_japanese_entry_with_the_same_fields() -> None:
    table = i18n.catalog("ja")
    missing = {template: where for template, where in marked_templates().items() if template not in table}
    assert not missing, f"{len(missing)} templates have no Japanese entry, e.g. {list(missing.items())[:5]}"
    for template in marked_templates():
        assert i18n.fields_of(table[template]) == i18n.fields_of(template), (
            f"fields differ: {template!r} -> {table[template]!r}")


def test_every_japanese_entry_is_japanese_and_used() -> None:
    marked = marked_templates()
    for template, translation in i18n.catalog("ja").items():
        assert template in marked, f"stale catalog entry (no tr/N_ uses it): {template!r}"
        assert has_japanese(translation) or not english_runs(template), (
            f"entry is not Japanese: {template!r} -> {translation!r}")


def test_english_is_the_default_and_japanese_is_one_call_away() -> None:
    assert dynalab.get_language() == "en"
    assert i18n.tr("{n} RCU", n=3) == "3 RCU"
    assert dynalab.set_language("JA") == "ja"
    assert dynalab.get_language() == "ja"


@pytest.mark.parametrize("bad", ["fr", "", None, 1, True, "english"])
def test_the_switch_names_the_bad_value_and_the_choices(bad: object) -> None:
    with pytest.raises(ValueError, match=r"language must be one of en, ja; got"):
        dynalab.set_language(bad)  # type: ignore[arg-type]


def test_strict_mode_raises_for_a_string_without_a_translation(monkeypatch: pytest.MonkeyPatch) -> None:
    dynalab.set_language("ja")
    monkeypatch.setenv("DYNALAB_I18N_STRICT", "1")
    with pytest.raises(i18n.MissingTranslationError, match="no ja translation for 'not a dynalab message'"):
        i18n.tr("not a dynalab message")
    monkeypatch.delenv("DYNALAB_I18N_STRICT")
    assert i18n.tr("not a dynalab message") == "not a dynalab message"
    assert ("ja", "not a dynalab message") in i18n.missing_translations()


def test_the_english_detector_finds_prose_and_passes_names() -> None:
    assert english_runs("読み込み 4 RCU (BatchWriteItem, vote_summary)") == []
    assert english_runs("4 RCU for the table") == ["for the table"]
    assert english_runs("詳細は `read the docs here` を参照") == []
