"""The wheel carries the course: the lessons (notebooks/**/*.ipynb) and the data they read (data/, without the
scripts that make it) are copied into the package as ``dynalab/course/`` at build time, by pattern, so a new lesson
or data file needs no list here. An editable install (``make setup``) copies nothing: dynalab then reads them from
the repository's root (``dynalab.lessons.sample_data.course_root``). Everything else is in pyproject.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def course_files() -> list[tuple[Path, str]]:
    """(source, path inside dynalab/course/) for every lesson and data file, found by pattern."""
    found: list[tuple[Path, str]] = []
    for folder, pattern, skip in (("notebooks", "*.ipynb", ()), ("data", "*", ("*.py", "*.pyc"))):
        for path in sorted((ROOT / folder).rglob(pattern)):
            relative = path.relative_to(ROOT)
            if (path.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in relative.parts)
                    and not any(path.match(each) for each in skip)):
                found.append((path, relative.as_posix()))
    return found


class BuildPyWithCourse(build_py):
    """build_py, then the course into build/lib/dynalab/course/ (skipped for an editable install)."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        for source, relative in course_files():
            target = Path(self.build_lib) / "dynalab" / "course" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if getattr(self, "editable_mode", False):
            return outputs
        return outputs + [str(Path(self.build_lib) / "dynalab" / "course" / rel) for _, rel in course_files()]


setup(cmdclass={"build_py": BuildPyWithCourse})
