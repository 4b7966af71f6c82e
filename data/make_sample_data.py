"""Make the lesson's sample data, seeded so every run writes the same files: ``python data/make_sample_data.py``.

* ``data/votes.csv``: 2,000 votes ``UserID, vote, Date`` for candidates A, B and C over two weeks of June 2023
  (the first source article's vote table, case 1).
* ``data/users.csv``: 500 users ``UserID, UserName, Email`` (case 2); about one in ten has no Email (gets no mail).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20230709  # the article's date
VOTES = 2_000
USERS = 500
CANDIDATES = ("A", "B", "C")
WEIGHTS = (0.45, 0.35, 0.20)
FIRST_DAY = dt.date(2023, 6, 1)
DAYS = 14


def make_votes(rng: random.Random) -> list[dict]:
    rows = []
    for number in range(1, VOTES + 1):
        day = FIRST_DAY + dt.timedelta(days=rng.randrange(DAYS))
        rows.append({"UserID": f"user{number:05d}", "vote": rng.choices(CANDIDATES, WEIGHTS)[0],
                     "Date": day.isoformat()})
    return sorted(rows, key=lambda row: (row["Date"], row["UserID"]))


def make_users(rng: random.Random) -> list[dict]:
    rows = []
    for number in range(1, USERS + 1):
        name = f"user{number:04d}"
        email = "" if rng.random() < 0.1 else f"{name}@example.com"
        rows.append({"UserID": f"{number:04d}", "UserName": f"{name}-san", "Email": email})
    return rows


def write(path: Path, rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main() -> None:
    rng = random.Random(SEED)
    write(HERE / "votes.csv", make_votes(rng))
    write(HERE / "users.csv", make_users(rng))
    print(f"wrote {HERE / 'votes.csv'} ({VOTES} votes) and {HERE / 'users.csv'} ({USERS} users)")


if __name__ == "__main__":
    main()
