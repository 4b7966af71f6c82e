"""Sample data the lessons load, read from the repository's ``data/`` folder (scripts there make it, seeded)."""

from __future__ import annotations

import csv
from pathlib import Path

#: The repository's data folder (dynalab is installed editable from the repository: ``make setup``).
DATA_DIR = Path(__file__).resolve().parents[2] / "data"


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of ``data/<name>`` as dicts of strings, in file order."""
    path = DATA_DIR / name
    if not path.is_file():
        raise FileNotFoundError(f"dynalab: sample data {path} is missing (is dynalab installed from its repository?)")
    with path.open(newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def sample_songs() -> list[dict]:
    """The Music table's songs (AWS's getting-started examples): Artist, SongTitle, AlbumTitle, Year (a number)."""
    return [{**row, "Year": int(row["Year"])} for row in read_csv("songs.csv")]


def sample_votes() -> list[dict]:
    """``data/votes.csv`` (made by ``data/make_sample_data.py``, seeded) as vote items: UserID, vote, Date."""
    return [{"UserID": row["UserID"], "vote": row["vote"], "Date": row["Date"]} for row in read_csv("votes.csv")]


def sample_users() -> list[dict]:
    """``data/users.csv`` as user items (an empty Email means the user gets no mail: attribute left out)."""
    return [{key: value for key, value in row.items() if value} for row in read_csv("users.csv")]
