"""``dynalab lessons DIR``: copy the lessons and their data into a learner's folder, never over their own edits.

A manifest in DIR (``.dynalab-lessons.json``) records the SHA-256 of every file as it was copied. On a later run a
file is replaced only if it still has that hash (the learner did not touch it) and the course's version differs; a
file the learner changed, or one that was there before dynalab copied anything, is kept and named in the report.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from dynalab.lessons.sample_data import course_file, course_files

__all__ = ["MANIFEST_NAME", "CopyReport", "copy_lessons"]

MANIFEST_NAME = ".dynalab-lessons.json"


@dataclass
class CopyReport:
    """What ``copy_lessons`` did, as '/'-separated paths relative to the target folder."""

    target: Path
    copied: list[str] = field(default_factory=list)  # new files
    updated: list[str] = field(default_factory=list)  # untouched by the learner, replaced by the course's newer one
    unchanged: list[str] = field(default_factory=list)  # already equal to the course's
    kept: list[str] = field(default_factory=list)  # changed by the learner (or not dynalab's): left as they are

    def summary(self) -> str:
        lines = [f"dynalab: lessons in {self.target}: {len(self.copied)} copied, {len(self.updated)} updated, "
                 f"{len(self.unchanged)} already up to date, {len(self.kept)} kept as you changed them."]
        lines += [f"  kept (you changed it; delete it to get the course's copy): {name}" for name in self.kept]
        return "\n".join(lines)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _destination(relative: str) -> str:
    # notebooks/00_x.ipynb -> 00_x.ipynb (the lessons at the top of DIR); data/... stays data/...
    return relative.split("/", 1)[1] if relative.startswith("notebooks/") else relative


def copy_lessons(target_dir: str | Path = "dynalab-lessons") -> CopyReport:
    """Copy every lesson and data file into ``target_dir`` (created if missing); return what was done."""
    if not isinstance(target_dir, str | Path) or not str(target_dir).strip():
        raise ValueError(f"target_dir must be a folder path, got {target_dir!r}")
    target = Path(target_dir).expanduser().resolve()
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"dynalab: {target} exists and is not a folder; name another folder for the lessons")
    target.mkdir(parents=True, exist_ok=True)
    manifest_path = target / MANIFEST_NAME
    try:
        recorded: dict[str, str] = json.loads(manifest_path.read_text(encoding="utf-8")).get("files", {})
    except (OSError, ValueError, AttributeError):
        recorded = {}
    report = CopyReport(target)
    files: dict[str, str] = {}
    for relative in course_files():
        name = _destination(relative)
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
    manifest_path.write_text(json.dumps({"about": "files dynalab copied here, with their SHA-256 as copied",
                                         "files": files}, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return report
