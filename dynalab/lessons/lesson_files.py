"""``dynalab lessons DIR``: copy the lessons and their data into a learner's folder, never over their own edits.

Two editions: English (``notebooks/``, the default) and Japanese (``notebooks/ja/``, ``--language ja``). The chosen
edition's lessons go to the top of DIR, the data to ``DIR/data``; the English copy also carries the Japanese edition
in ``DIR/ja/`` (every lesson file of the course), the Japanese copy only the Japanese lessons. Only lessons
(``NN_name.ipynb``) and data are copied: a notebook that is not a lesson (a scratch file in a clone's ``notebooks/``)
and the test files beside them (``sanitize.cfg``, which nbval reads) stay out of the learner's folder.

A manifest in DIR (``.dynalab-lessons.json``) records the SHA-256 of every file as it was copied. On a later run a
file is replaced only if it still has that hash (the learner did not touch it) and the course's version differs; a
file the learner changed, or one that was there before dynalab copied anything, is kept and named in the report.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from dynalab.i18n import tr
from dynalab.lessons.sample_data import course_file, course_files, course_root

__all__ = ["EDITIONS", "LESSON_PATTERN", "MANIFEST_NAME", "CopyReport", "copy_lessons", "edition_files"]

MANIFEST_NAME = ".dynalab-lessons.json"
#: language -> the course folder holding that edition's lessons
EDITIONS: dict[str, str] = {"en": "notebooks", "ja": "notebooks/ja"}
#: what a lesson's file name looks like (the course's lessons are ``00_start_here.ipynb`` ... ``08_...``)
LESSON_PATTERN = "[0-9]*.ipynb"


@dataclass
class CopyReport:
    """What ``copy_lessons`` did, as '/'-separated paths relative to the target folder."""

    target: Path
    copied: list[str] = field(default_factory=list)  # new files
    updated: list[str] = field(default_factory=list)  # untouched by the learner, replaced by the course's newer one
    unchanged: list[str] = field(default_factory=list)  # already equal to the course's
    kept: list[str] = field(default_factory=list)  # changed by the learner (or not dynalab's): left as they are

    def summary(self) -> str:
        lines = [tr("dynalab: lessons in {target}: {copied} copied, {updated} updated, {unchanged} already up to "
                    "date, {kept} kept as you changed them.", target=self.target, copied=len(self.copied),
                    updated=len(self.updated), unchanged=len(self.unchanged), kept=len(self.kept))]
        lines += [tr("  kept (you changed it; delete it to get the course's copy): {name}", name=name)
                  for name in self.kept]
        return "\n".join(lines)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def edition_files(language: str = "en") -> list[tuple[str, str]]:
    """(course path, path in the learner's folder) of every file ``copy_lessons`` copies for ``language``."""
    if language not in EDITIONS:
        raise ValueError(tr("the edition (language) must be one of {choices}; got {value!r}",
                            choices=", ".join(EDITIONS), value=language))
    folder = EDITIONS[language] + "/"
    found: list[tuple[str, str]] = []
    for relative in course_files():
        name = relative.rsplit("/", 1)[1]
        if relative.startswith(EDITIONS["en"] + "/") and not fnmatch.fnmatch(name, LESSON_PATTERN):
            continue  # not a lesson
        if relative.startswith("data/"):
            found.append((relative, relative))
        elif language == "en" and relative.startswith("notebooks/"):
            # notebooks/00_x.ipynb -> 00_x.ipynb (the lessons at the top of DIR); notebooks/ja/... -> ja/...
            found.append((relative, relative.split("/", 1)[1]))
        elif relative.startswith(folder) and "/" not in relative.removeprefix(folder):
            found.append((relative, relative.removeprefix(folder)))
    if not any(relative.startswith(folder) for relative, _ in found):
        raise FileNotFoundError(tr("dynalab: this installation has no lessons in {folder} (the {language} edition) "
                                   "under {root}; reinstall dynalab", folder=EDITIONS[language], language=language,
                                   root=course_root()))
    return found


def copy_lessons(target_dir: str | Path = "dynalab-lessons", language: str = "en") -> CopyReport:
    """Copy the ``language`` edition ("en" or "ja") of every lesson, and every data file, into ``target_dir``
    (created if missing); return what was done."""
    if not isinstance(target_dir, str | Path) or not str(target_dir).strip():
        raise ValueError(tr("target_dir must be a folder path, got {value!r}", value=target_dir))
    files_to_copy = edition_files(language)
    target = Path(target_dir).expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(tr("dynalab: {target} exists and is not a folder; name another folder for the "
                                    "lessons", target=target))
    target.mkdir(parents=True, exist_ok=True)
    manifest_path = target / MANIFEST_NAME
    try:
        recorded: dict[str, str] = json.loads(manifest_path.read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        recorded = {}
    report = CopyReport(target)
    files: dict[str, str] = {}
    for relative, name in files_to_copy:
        data = course_file(relative).read_bytes()
        wanted = _sha256(data)
        path = target / name
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            report.copied.append(name)
            files[name] = wanted
            continue
        present = _sha256(path.read_bytes())
        if present == wanted:
            report.unchanged.append(name)
            files[name] = wanted
        elif recorded.get(name) == present:  # as dynalab left it: the course has a newer version
            path.write_bytes(data)
            report.updated.append(name)
            files[name] = wanted
        else:  # the learner's work (or a file that was there first): never overwritten
            report.kept.append(name)
            if name in recorded:
                files[name] = recorded[name]
    for name, digest in recorded.items():  # files of the other edition copied here before: still remembered
        files.setdefault(name, digest)
    manifest_path.write_text(json.dumps({"about": "files dynalab copied here, with their SHA-256 as copied",
                                         "files": files}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return report
