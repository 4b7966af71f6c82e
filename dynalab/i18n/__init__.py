"""The language switch and the message table: every string a learner sees goes through :func:`tr`.

English is the default and the source text: ``tr("Check")`` or ``tr("{name} must be at most {high}", name=...,
high=...)`` takes the English template (``str.format`` fields), looks it up in the current language's catalog
(``dynalab/i18n/<language>/*.json``, English template -> translated template, one file per area of the package so
translators do not collide) and fills in the fields. The language is read once from ``DYNALAB_LANG`` (``en`` or
``ja``) and changed with :func:`set_language`; a lesson's first cell calls ``dynalab.set_language("en")`` or
``dynalab.set_language("ja")``.

A template missing from the catalog falls back to English and is remembered (:func:`missing_translations`); with
``DYNALAB_I18N_STRICT=1`` (the Japanese nbval run sets it) it raises :class:`MissingTranslationError` instead, so a
test finds any string shown in Japanese mode without a translation. Pure: no I/O beyond reading the package's own
catalogs, no import of the rest of dynalab.
"""

from __future__ import annotations

import json
import os
import string
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "LANGUAGES",
    "MissingTranslationError",
    "N_",
    "catalog",
    "get_language",
    "given",
    "missing_translations",
    "set_language",
    "tr",
    "yes_no",
]

LANGUAGES: tuple[str, ...] = ("en", "ja")
_ENV = "DYNALAB_LANG"
_language: str | None = None
_missing: set[tuple[str, str]] = set()


class MissingTranslationError(LookupError):
    """A string shown in a language whose catalog has no entry for it (raised only with DYNALAB_I18N_STRICT=1)."""


def _checked(language: Any, where: str) -> str:
    if not isinstance(language, str) or language.strip().lower() not in LANGUAGES:
        raise ValueError(f"{where} must be one of {', '.join(LANGUAGES)}; got {language!r}")
    return language.strip().lower()


def set_language(language: str) -> str:
    """Show dynalab's text (readouts, figures, widgets, self-checks, error messages) in ``language``: "en" or "ja"."""
    global _language
    _language = _checked(language, "language")
    return _language


def get_language() -> str:
    """The current language: the last :func:`set_language`, else ``DYNALAB_LANG`` (read once), else "en"."""
    global _language
    if _language is None:
        value = os.environ.get(_ENV, "").strip()
        _language = _checked(value, _ENV) if value else "en"
    return _language


@cache
def catalog(language: str) -> dict[str, str]:
    """English template -> translated template, merged from ``dynalab/i18n/<language>/*.json``."""
    merged: dict[str, str] = {}
    folder = resources.files("dynalab.i18n").joinpath(language)
    if not folder.is_dir():
        return merged
    for entry in sorted(folder.iterdir(), key=lambda each: each.name):
        if entry.name.endswith(".json"):
            merged.update(json.loads(entry.read_text(encoding="utf-8")))
    return merged


def _strict() -> bool:
    return os.environ.get("DYNALAB_I18N_STRICT", "").strip() not in ("", "0")


def tr(message: str, /, **fields: Any) -> str:
    """``message`` (an English template) in the current language, with ``fields`` filled in."""
    language = get_language()
    template = message
    if language != "en":
        template = catalog(language).get(message)
        if template is None:
            _missing.add((language, message))
            if _strict():
                raise MissingTranslationError(f"no {language} translation for {message!r}")
            template = message
    return template.format(**fields) if fields else template


def N_(message: str, /) -> str:  # noqa: N802 - gettext's name for "mark for translation, translate later"
    """Mark an English template kept in a constant (a label table, a default) so the catalog tests find it;
    :func:`tr` translates it where it is shown."""
    return message


def given(words: object) -> str:
    """A caller's own words (a design's pattern name, a unit, a value such as "scale-in") in the current language
    when the catalog has them, else as given: never missing, never strict (a learner's own pattern name has no
    entry, and needs none)."""
    words = str(words)
    language = get_language()
    return words if language == "en" else catalog(language).get(words, words)


def yes_no(flag: object) -> str:
    """A readout's state, there or not: "yes" or "no" in English, 「あり」 or 「なし」 in Japanese ("throttled: yes",
    「スロットリング: あり」), so a Japanese template names the thing whose presence it shows, not a question."""
    return tr("yes") if flag else tr("no")


def missing_translations() -> list[tuple[str, str]]:
    """(language, English template) for every string shown without a translation since dynalab was imported."""
    return sorted(_missing)


def fields_of(template: str) -> set[str]:
    """The ``str.format`` field names a template uses (a translation must use the same ones)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
