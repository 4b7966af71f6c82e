"""`dynalab lessons DIR` copies every lesson and data file, and never overwrites a file the learner changed."""

from __future__ import annotations

import json
from pathlib import Path

from dynalab.__main__ import main
from dynalab.lessons.lesson_files import MANIFEST_NAME, copy_lessons
from dynalab.lessons.sample_data import course_files, course_root, read_csv

ROOT = Path(__file__).resolve().parents[2]


def test_the_course_is_found_by_pattern_every_lesson_and_data_file():
    files = course_files()
    lessons = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").rglob("*.ipynb")
                     if ".ipynb_checkpoints" not in p.parts)
    data = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "data").rglob("*")
                  if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts)
    assert lessons and data
    assert sorted(files) == sorted(lessons + data)
    assert not any(name.endswith(".py") for name in files)  # the scripts that make the data stay in the repository
    assert read_csv("songs.csv")[0]["Artist"]
    assert course_root().joinpath("data").is_dir()


def test_a_second_copy_keeps_an_edited_lesson_and_updates_an_untouched_one(tmp_path, capsys):
    target = tmp_path / "lessons"
    main(["lessons", str(target)])
    first = capsys.readouterr().out
    lessons = [name for name in course_files() if name.startswith("notebooks/")]
    assert f"{len(course_files())} copied" in first
    for name in lessons:
        assert (target / name.split("/", 1)[1]).is_file(), name
    assert (target / "data" / "votes.csv").is_file()

    edited = target / lessons[0].split("/", 1)[1]
    edited.write_text("my own notes", encoding="utf-8")
    stale = target / lessons[1].split("/", 1)[1]
    stale.write_text("an older copy dynalab made", encoding="utf-8")  # as if the course changed since
    manifest = json.loads((target / MANIFEST_NAME).read_text())
    manifest["files"][stale.name] = __import__("hashlib").sha256(b"an older copy dynalab made").hexdigest()
    (target / MANIFEST_NAME).write_text(json.dumps(manifest))

    report = copy_lessons(target)
    assert edited.read_text(encoding="utf-8") == "my own notes"
    assert report.kept == [edited.name]
    assert report.updated == [stale.name]
    assert stale.read_bytes() == (ROOT / lessons[1]).read_bytes()
    assert f"kept (you changed it; delete it to get the course's copy): {edited.name}" in report.summary()
    # and a third run still keeps it (the manifest remembers what dynalab copied, not the learner's version)
    assert copy_lessons(target).kept == [edited.name]
    assert edited.read_text(encoding="utf-8") == "my own notes"


def test_a_file_that_was_there_first_is_never_overwritten(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "votes.csv").write_text("mine", encoding="utf-8")
    report = copy_lessons(tmp_path)
    assert "data/votes.csv" in report.kept
    assert (tmp_path / "data" / "votes.csv").read_text(encoding="utf-8") == "mine"


def test_only_lessons_and_data_are_copied(monkeypatch):
    """A notebook in notebooks/ that is not a lesson (an author's scratch file) stays out of the learner's folder,
    as the test files beside the lessons do (sanitize.cfg is no notebook: the course never lists it)."""
    from dynalab.lessons import lesson_files

    real = course_files()
    monkeypatch.setattr(lesson_files, "course_files",
                        lambda: [*real, "notebooks/scratch.ipynb", "notebooks/ja/Untitled.ipynb"])
    for language in ("en", "ja"):
        copied = [name for _, name in lesson_files.edition_files(language)]
        assert not any("scratch" in name or "Untitled" in name or "sanitize" in name for name in copied), copied
        lessons = [name for name in copied if not name.startswith("data/")]
        assert lessons and all(Path(name).name[:2].isdigit() for name in lessons), lessons
