"""The course's files: the lessons and the sample data they load, found in the installed package or in a clone.

A wheel carries them as package data (``dynalab/course/notebooks``, ``dynalab/course/data``: setup.py copies them in
at build time); a clone installed editable (``make setup``) has them at the repository's root. ``course_root()`` is
the one place that knows both; everything else reads through it with ``importlib.resources``.
"""

from __future__ import annotations

import csv
import io
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from dynalab.i18n import tr

__all__ = ["course_file", "course_files", "course_root", "read_csv", "sample_songs", "sample_users", "sample_votes"]

#: The folders of the course, each relative to ``course_root()``.
COURSE_FOLDERS = ("notebooks", "data")


def course_root() -> Traversable:
    """The folder holding ``notebooks/`` and ``data/``: the package's ``course`` data, or a clone's root."""
    packaged = resources.files("dynalab") / "course"
    if packaged.is_dir():
        return packaged
    # An editable install from a clone: the package sits in the repository, next to notebooks/ and data/.
    clone = Path(str(resources.files("dynalab"))).resolve().parent
    if (clone / "notebooks").is_dir() and (clone / "data").is_dir():
        return clone
    raise FileNotFoundError(
        tr("dynalab: the lessons and sample data are missing: this dynalab has neither dynalab/course/ (a wheel) nor "
           "a repository around it. Reinstall it (pip install dynalab) or install it from a clone (make setup).")
    )


def course_file(relative: str) -> Traversable:
    """One course file, e.g. ``course_file("data/votes.csv")``; FileNotFoundError names it if it is missing."""
    found = course_root().joinpath(*relative.split("/"))
    if not found.is_file():
        raise FileNotFoundError(tr("dynalab: the course file {relative!r} is missing from {value}",
                                   relative=relative, value=course_root()))
    return found


def course_files() -> list[str]:
    """Every lesson (``notebooks/**/*.ipynb``) and data file (``data/**``, without the scripts that make the data),
    as '/'-separated paths relative to ``course_root()`` (lessons first): what ``dynalab lessons`` copies."""
    found: list[str] = []

    def walk(node: Traversable, prefix: str) -> None:
        for child in sorted(node.iterdir(), key=lambda each: each.name):
            if child.name.startswith(".") or child.name == "__pycache__":
                continue
            path = f"{prefix}/{child.name}"
            if child.is_dir():
                walk(child, path)
            elif path.startswith("notebooks/") and child.name.endswith(".ipynb"):
                found.append(path)
            elif path.startswith("data/") and not child.name.endswith((".py", ".pyc")):
                found.append(path)

    root = course_root()
    for folder in COURSE_FOLDERS:
        if root.joinpath(folder).is_dir():
            walk(root.joinpath(folder), folder)
    return found


def __getattr__(name: str) -> Path:
    # ``DATA_DIR``, the data folder as a Path, for scripts written before the course became package data.
    if name == "DATA_DIR":
        return Path(str(course_root().joinpath("data")))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of ``data/<name>`` as dicts of strings, in file order."""
    text = course_file(f"data/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def sample_songs() -> list[dict]:
    """The Music table's songs (AWS's getting-started examples): Artist, SongTitle, AlbumTitle, Year (a number)."""
    return [{**row, "Year": int(row["Year"])} for row in read_csv("songs.csv")]


def sample_votes() -> list[dict]:
    """``data/votes.csv`` (made by ``data/make_sample_data.py``, seeded) as vote items: UserID, vote, Date."""
    return [{"UserID": row["UserID"], "vote": row["vote"], "Date": row["Date"]} for row in read_csv("votes.csv")]


def sample_users() -> list[dict]:
    """``data/users.csv`` as user items (an empty Email means the user gets no mail: attribute left out)."""
    return [{key: value for key, value in row.items() if value} for row in read_csv("users.csv")]
