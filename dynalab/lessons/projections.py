"""Tables kept up to date from a stream: the article's vote summary (case 1) and mail-batch table (case 2).

A *projection* says what a stream record means for the target tables; ``dynalab.engine.streams.StreamProjector`` reads
the stream and commits those writes together with its checkpoint (exactly-once effect). A projection provides

* ``effects(record)``: ``[(target key, value), ...]``, or ``BadRecordError`` for a record it cannot interpret;
* ``merge(a, b)``: two values for one target item in one batch, combined (votes add up; a copy keeps the later);
* ``action(key, value)``: the TransactWriteItems action for one target item (None: nothing to write);
* ``rebuild(lab, source_table)``: recompute the targets from a Scan (the recovery when records were lost).

Votes are computed from the record's *images*, not its event name: a record contributes ``-1`` for the old image's
vote and ``+1`` for the new image's. INSERT adds, REMOVE subtracts, a MODIFY of the vote moves a count from the old
candidate to the new one, and a MODIFY that keeps the vote changes nothing. That also makes moto's stream quirk
harmless: an UpdateItem that creates an item emits two INSERT records there (the first with the key only), and a
key-only image holds no vote, so the item is counted once, as on DynamoDB.
"""

from __future__ import annotations

import inspect
import re
import zlib
from collections import Counter
from collections.abc import Iterable
from typing import Any

from boto3.dynamodb.types import TypeDeserializer

from dynalab.engine import Lab
from dynalab.engine.streams import BadRecordError, StreamProjector, describe_existing_table, refuse_writing_into_source
from dynalab.engine.tables import ensure_table, query_pages, scan_items
from dynalab.i18n import tr
from dynalab.models import checks

__all__ = [
    "CopyProjection",
    "MailBatchProjection",
    "VoteSummaryProjection",
    "count_votes",
    "create_summary_tables",
    "create_vote_tables",
    "daily_totals",
    "mail_batch",
    "mail_batch_item",
    "read_summary",
    "tally_votes",
    "vote_summary",
]

EVENT_NAMES = ("INSERT", "MODIFY", "REMOVE")


def _check_projector_options(options: dict, what: str) -> None:
    """Options a projector takes (StreamProjector's keywords), else one TypeError listing them."""
    allowed = [name for name, p in inspect.signature(StreamProjector.__init__).parameters.items()
               if p.kind is p.KEYWORD_ONLY]
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise TypeError(tr("{what}: unknown projector option(s) {unknown_list}; the options are {allowed_list}",
                           what=what, unknown_list=', '.join(unknown), allowed_list=', '.join(allowed)))
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_deserializer = TypeDeserializer()


def _record_parts(record: Any, need_old_image: bool = True) -> tuple[str, dict]:
    """The event name and the ``dynamodb`` part of a stream record, or BadRecordError."""
    if not isinstance(record, dict) or not isinstance(record.get("dynamodb"), dict):
        raise BadRecordError(tr("not a DynamoDB stream record (no 'dynamodb' part): {value}",
                                value=str(record)[:120]))
    name = record.get("eventName")
    if name not in EVENT_NAMES:
        raise BadRecordError(tr("unknown eventName {name!r} (expected one of {event_names_list})", name=name,
                                event_names_list=', '.join(EVENT_NAMES)))
    body = record["dynamodb"]
    if need_old_image and name in ("MODIFY", "REMOVE") and "OldImage" not in body:
        raise BadRecordError(tr("a {name} record without OldImage: the stream must use NEW_AND_OLD_IMAGES",
                                name=name))
    if name in ("INSERT", "MODIFY") and "NewImage" not in body:
        raise BadRecordError(tr("an {name} record without NewImage: the stream must include new images", name=name))
    return name, body


# ------------------------------------------------------------------------------------------ case 1: votes
def vote_of(image: dict | None) -> tuple[str, str] | None:
    """(candidate, date) that an item image counts for; None for no image or an item with no vote yet."""
    if not image or "vote" not in image:
        return None
    vote, date = image["vote"], image.get("Date")
    if not isinstance(vote, dict) or not isinstance(vote.get("S"), str) or not vote["S"]:
        raise BadRecordError(tr("the vote must be a non-empty string, got {vote!r}", vote=vote))
    if not isinstance(date, dict) or not isinstance(date.get("S"), str) or not _DATE.match(date["S"]):
        raise BadRecordError(tr("a vote needs a Date string YYYY-MM-DD, got {date!r}", date=date))
    return vote["S"], date["S"]


class VoteSummaryProjection:
    """Votes ``{UserID, vote, Date}`` → ``summary`` ``{vote, num}`` and ``daily`` ``{vote, Date, num}``.

    The per-day table has ``vote`` as partition key and ``Date`` as sort key, so a day's or a week's total for a
    candidate is one Query (``daily_totals``).
    """

    required_view_type = ("NEW_AND_OLD_IMAGES",)

    def __init__(self, summary_table: str, daily_table: str) -> None:
        self.summary_table = summary_table
        self.daily_table = daily_table

    @property
    def target_tables(self) -> tuple[str, ...]:
        return (self.summary_table, self.daily_table)

    def effects(self, record: dict) -> list[tuple[tuple, int]]:
        _, body = _record_parts(record)
        old, new = vote_of(body.get("OldImage")), vote_of(body.get("NewImage"))
        if old == new:
            return []
        found: list[tuple[tuple, int]] = []
        for vote, sign in ((old, -1), (new, +1)):
            if vote is not None:
                found += [(("summary", vote[0]), sign), (("daily", vote[0], vote[1]), sign)]
        return found

    @staticmethod
    def merge(a: int, b: int) -> int:
        return a + b

    def action(self, key: tuple, delta: int) -> dict | None:
        if delta == 0:
            return None
        if key[0] == "summary":
            table, item_key = self.summary_table, {"vote": {"S": key[1]}}
        else:
            table, item_key = self.daily_table, {"vote": {"S": key[1]}, "Date": {"S": key[2]}}
        return {"Update": {"TableName": table, "Key": item_key, "UpdateExpression": "ADD num :d",
                           "ExpressionAttributeValues": {":d": {"N": str(delta)}}}}

    def rebuild(self, lab: Lab, source_table: str) -> None:
        totals, daily = tally_votes(lab, source_table)
        for table in (self.summary_table, self.daily_table):
            keys = ["vote"] if table == self.summary_table else ["vote", "Date"]
            for item in scan_items(lab, table, typed=True):
                lab.client.delete_item(TableName=table, Key={k: item[k] for k in keys})
        for vote, num in totals.items():
            lab.client.put_item(TableName=self.summary_table, Item={"vote": {"S": vote}, "num": {"N": str(num)}})
        for (vote, date), num in daily.items():
            lab.client.put_item(TableName=self.daily_table,
                                Item={"vote": {"S": vote}, "Date": {"S": date}, "num": {"N": str(num)}})


def count_votes(votes: Iterable[dict]) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """The group-by the summary must equal: votes per candidate, and per (candidate, date). Pure. A vote without
    a Date is refused by name (the projection sets it aside as a bad record, so it is in no summary)."""
    totals: Counter = Counter()
    daily: Counter = Counter()
    for vote in votes:
        if vote.get("vote") and not isinstance(vote.get("Date"), str):
            raise ValueError(tr("the vote of {value!r} has no Date string YYYY-MM-DD (got {value2!r}): it counts in "
                                "no summary; fix or delete the item", value=vote.get('UserID'),
                                value2=vote.get('Date')))
        if vote.get("vote"):
            totals[vote["vote"]] += 1
            daily[(vote["vote"], vote["Date"])] += 1
    return dict(sorted(totals.items())), dict(sorted(daily.items()))


def tally_votes(lab: Lab, votes_table: str) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """``count_votes`` over the whole vote table, by a full Scan: the check a summary must pass, not the way."""
    describe_existing_table(lab, votes_table, "votes_table")
    return count_votes(scan_items(lab, votes_table))


def _plain(item: dict) -> dict:
    return {key: _deserializer.deserialize(value) for key, value in item.items()}


def create_vote_tables(lab: Lab, votes: str = "votes", summary: str = "vote_summary",
                       daily: str = "vote_daily", *, reset: bool = False) -> tuple[str, str, str]:
    """Create the vote table (stream NEW_AND_OLD_IMAGES), the summary and the per-day table, and forget their old
    checkpoints; return the three names as they are on this endpoint. Tables that exist are an error unless
    ``reset=True`` (deleted first, then created afresh), as for ``create_table``."""
    from dynalab.engine.tables import create_table

    names = {"votes": votes, "summary": summary, "daily": daily}
    for parameter, name in names.items():
        checks.table_name(parameter, name)
    if len(set(names.values())) < 3:
        raise ValueError(tr("votes, summary and daily must be three different tables; got {votes!r}, {summary!r}, "
                            "{daily!r}", votes=votes, summary=summary, daily=daily))
    create_table(lab, votes, ("UserID", "S"), stream_view_type="NEW_AND_OLD_IMAGES", reset=reset,
                 creator="create_vote_tables")
    return (lab.table_name(votes),) + create_summary_tables(lab, lab.table_name(votes), summary, daily, reset=reset)


def create_summary_tables(lab: Lab, votes_table: str, summary: str, daily: str | None = None, *,
                          reset: bool = False) -> tuple[str, str]:
    """Create a summary and a per-day table (``daily`` defaults to ``<summary>-daily``) and forget the
    checkpoints of the projector from ``votes_table`` into them; return their names on this endpoint. Tables
    that exist are an error unless ``reset=True`` (deleted first, then created afresh, if this family of functions
    created them for this connection)."""
    from dynalab.engine.streams import CheckpointStore
    from dynalab.engine.tables import create_table

    daily = daily or f"{summary}-daily"
    create_table(lab, summary, ("vote", "S"), reset=reset, creator="create_summary_tables")
    create_table(lab, daily, ("vote", "S"), ("Date", "S"), reset=reset, creator="create_summary_tables")
    CheckpointStore(lab).delete(vote_summary_consumer(lab.table_name(votes_table), lab.table_name(summary)))
    return lab.table_name(summary), lab.table_name(daily)


def vote_summary_consumer(votes_table: str, summary_table: str) -> str:
    """The name a vote-summary projector's checkpoints are kept under: one per (source, target) pair."""
    return f"vote_summary:{votes_table}->{summary_table}"


def vote_summary(lab: Lab, votes_table: str, summary_table: str, daily_table: str | None = None,
                 **projector_options: Any) -> StreamProjector:
    """A projector from the vote table's stream to the summary (and per-day) table: ``run_once()``,
    ``start()``, ``stop()``. Missing target tables are created; its checkpoint lives in the engine."""
    daily_table = daily_table or f"{summary_table}-daily"
    checks.table_name("votes_table", votes_table)
    checks.table_name("summary_table", summary_table)
    checks.table_name("daily_table", daily_table)
    _check_projector_options(projector_options, "vote_summary")
    # names as create_vote_tables gave them (prefixed on AWS and on a shared engine; as given elsewhere)
    votes_table, summary_table, daily_table = (lab.table_name(t) for t in (votes_table, summary_table, daily_table))
    refuse_writing_into_source(lab, votes_table, (summary_table, daily_table), "vote_summary")
    ensure_table(lab, summary_table, ("vote", "S"), creator="vote_summary")
    ensure_table(lab, daily_table, ("vote", "S"), ("Date", "S"), creator="vote_summary")
    projector_options.setdefault("consumer", vote_summary_consumer(votes_table, summary_table))
    return StreamProjector(lab, votes_table, VoteSummaryProjection(summary_table, daily_table), **projector_options)


def read_summary(lab: Lab, summary_table: str) -> dict[str, int]:
    """Votes per candidate as the summary table holds them (candidates at zero left out), sorted."""
    keys = [k["AttributeName"] for k in describe_existing_table(lab, summary_table, "summary_table")["KeySchema"]]
    if keys != ["vote"]:
        raise ValueError(tr("summary_table {summary_table!r} is not a vote summary (its key is {keys}, a summary's is "
                            "['vote']); pass the summary table, not the vote or the per-day table",
                            summary_table=summary_table, keys=keys))
    items = scan_items(lab, summary_table)
    return dict(sorted((item["vote"], int(item["num"])) for item in items if int(item.get("num", 0))))


def daily_totals(lab: Lab, daily_table: str, vote: str, first_date: str, last_date: str) -> int:
    """One candidate's votes from first_date to last_date (inclusive): one Query on the per-day table."""
    checks.text("vote", vote, min_length=1)
    for parameter, date in (("first_date", first_date), ("last_date", last_date)):
        checks.text(parameter, date, pattern=r"\d{4}-\d{2}-\d{2}")
    if first_date > last_date:
        raise ValueError(tr("first_date {first_date!r} is after last_date {last_date!r}: the range holds no day",
                            first_date=first_date, last_date=last_date))
    keys = [k["AttributeName"] for k in describe_existing_table(lab, daily_table, "daily_table")["KeySchema"]]
    if keys != ["vote", "Date"]:
        raise ValueError(tr("daily_table {daily_table!r} is not a per-day table (its key is {keys}, a per-day table's "
                            "is ['vote', 'Date'])", daily_table=daily_table, keys=keys))
    pages = query_pages(
        lab, daily_table, KeyConditionExpression="vote = :v AND #d BETWEEN :a AND :b",
        ExpressionAttributeNames={"#d": "Date"},
        ExpressionAttributeValues={":v": {"S": vote}, ":a": {"S": first_date}, ":b": {"S": last_date}},
    )
    return sum(int(item["num"]["N"]) for page in pages for item in page["Items"])


# ----------------------------------------------------------------------------------- case 2: the mail batch
#: The mail table spreads users over this many partition-key values, so the batch is that many Queries that can
#: run side by side, and no single key holds every user.
MAIL_GROUPS = 10


def mail_group(user_id: str) -> str:
    """The mail table's partition key for a user: a stable hash bucket (crc32, so every process agrees)."""
    return f"group-{zlib.crc32(str(user_id).encode()) % MAIL_GROUPS}"


def mail_batch_item(user: dict) -> dict | None:
    """The mail table's item for a user (plain values): only what the batch needs. None if no Email (no mail)."""
    if not user.get("Email"):
        return None
    return {"mail_group": mail_group(user["UserID"]), "UserID": str(user["UserID"]),
            "UserName": user.get("UserName", ""), "Email": user["Email"]}


class MailBatchProjection:
    """Users ``{UserID, UserName, Email, ...}`` → a mail table keyed ``mail_group`` / ``UserID`` holding only
    ``UserName`` and ``Email``. A user without an Email (or removed) leaves the mail table."""

    #: writing an item's latest state twice changes nothing: no transaction needed (see dynalab.engine.streams)
    idempotent = True
    required_view_type = ("NEW_IMAGE", "NEW_AND_OLD_IMAGES")

    def __init__(self, mail_table: str) -> None:
        self.mail_table = mail_table

    @property
    def target_tables(self) -> tuple[str, ...]:
        return (self.mail_table,)

    def effects(self, record: dict) -> list[tuple[str, dict | None]]:
        name, body = _record_parts(record, need_old_image=False)
        keys = body.get("Keys") or {}
        if "UserID" not in keys:
            raise BadRecordError(tr("a users record must have the key UserID, got keys {value}", value=sorted(keys)))
        user_id = str(_deserializer.deserialize(keys["UserID"]))
        if name == "REMOVE":
            return [(user_id, None)]
        user = _plain(body["NewImage"])
        for attribute in ("UserName", "Email"):
            if attribute in user and not isinstance(user[attribute], str):
                raise BadRecordError(tr("{attribute} must be a string, got {user!r}", attribute=attribute,
                                        user=user[attribute]))
        return [(user_id, mail_batch_item(user))]

    @staticmethod
    def merge(_: Any, later: Any) -> Any:
        return later

    def action(self, user_id: str, item: dict | None) -> dict:
        if item is None:
            return {"Delete": {"TableName": self.mail_table,
                               "Key": {"mail_group": {"S": mail_group(user_id)}, "UserID": {"S": user_id}}}}
        return {"Put": {"TableName": self.mail_table, "Item": {k: {"S": v} for k, v in item.items()}}}

    def rebuild(self, lab: Lab, source_table: str) -> None:
        for item in scan_items(lab, self.mail_table, typed=True):
            lab.client.delete_item(TableName=self.mail_table,
                                   Key={"mail_group": item["mail_group"], "UserID": item["UserID"]})
        for user in scan_items(lab, source_table):
            item = mail_batch_item(user)
            if item is not None:
                lab.client.put_item(TableName=self.mail_table, Item={k: {"S": v} for k, v in item.items()})


def forget(lab: Lab, consumer: str, *tables: str, creator: str) -> None:
    """Start a projection afresh: delete its target tables (only if ``creator`` made them for this connection:
    ``dynalab.engine.ownership``) and its checkpoints (a lesson re-run uses this)."""
    from dynalab.engine.streams import CheckpointStore
    from dynalab.engine.tables import delete_created_table

    for table in tables:
        delete_created_table(lab, table, creators=(creator,), action=f"{creator}(reset=True)")
    CheckpointStore(lab).delete(consumer)


def mail_batch(lab: Lab, users_table: str, mail_table: str, *, reset: bool = False,
               **projector_options: Any) -> StreamProjector:
    """A projector from the users table's stream to the mail-batch table (created if missing). ``reset=True``
    starts afresh: the mail table (if mail_batch created it) and the projector's checkpoints are deleted first."""
    checks.table_name("users_table", users_table)
    checks.table_name("mail_table", mail_table)
    _check_projector_options(projector_options, "mail_batch")
    users_table, mail_table = lab.table_name(users_table), lab.table_name(mail_table)
    refuse_writing_into_source(lab, users_table, (mail_table,), "mail_batch")
    projector_options.setdefault("consumer", f"mail_batch:{users_table}->{mail_table}")
    if reset:
        forget(lab, projector_options["consumer"], mail_table, creator="mail_batch")
    ensure_table(lab, mail_table, ("mail_group", "S"), ("UserID", "S"), creator="mail_batch")
    return StreamProjector(lab, users_table, MailBatchProjection(mail_table), **projector_options)


def read_mail_batch(lab: Lab, mail_table: str) -> list[dict]:
    """What the mail batch reads: one Query per group (no Scan of the users table), sorted by UserID."""
    found = [_plain(item) for group in range(MAIL_GROUPS)
             for page in query_pages(lab, mail_table, KeyConditionExpression="mail_group = :g",
                                     ExpressionAttributeValues={":g": {"S": f"group-{group}"}})
             for item in page["Items"]]
    return sorted(found, key=lambda item: item["UserID"])


# ----------------------------------------------------------------------------------------- copy table
class CopyProjection:
    """Every item of the source, as is, in a copy table with the same key schema (the read-replica stand-in)."""

    #: writing an item's latest state twice changes nothing: no transaction needed (see dynalab.engine.streams)
    idempotent = True
    required_view_type = ("NEW_IMAGE", "NEW_AND_OLD_IMAGES")

    def __init__(self, copy_table: str) -> None:
        self.copy_table = copy_table

    @property
    def target_tables(self) -> tuple[str, ...]:
        return (self.copy_table,)

    def effects(self, record: dict) -> list[tuple[str, tuple[dict, dict | None]]]:
        name, body = _record_parts(record, need_old_image=False)
        keys = body.get("Keys")
        if not keys:
            raise BadRecordError(tr("a stream record without Keys"))
        key = repr(sorted((k, sorted(v.items())) for k, v in keys.items()))
        return [(key, (keys, None if name == "REMOVE" else body["NewImage"]))]

    @staticmethod
    def merge(_: Any, later: Any) -> Any:
        return later

    def action(self, _: str, value: tuple[dict, dict | None]) -> dict:
        keys, image = value
        if image is None:
            return {"Delete": {"TableName": self.copy_table, "Key": keys}}
        return {"Put": {"TableName": self.copy_table, "Item": image}}

    def rebuild(self, lab: Lab, source_table: str) -> None:
        for item in scan_items(lab, source_table, typed=True):
            lab.client.put_item(TableName=self.copy_table, Item=item)
