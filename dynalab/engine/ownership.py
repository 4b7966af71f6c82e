"""Who created a table, and for whom: dynalab deletes by itself only a table it created for that purpose.

Every table dynalab creates (``tables.create_table``, ``tables.ensure_table``, a restore, an import) carries two tags:

* ``dynalab:creator``: the dynalab function that created it (``create_vote_tables``, ``copy_by_restore``, ...);
* ``dynalab:owner``: whose it is: ``lab.owner`` (the prefix on AWS; locally ``DYNALAB_LEARNER`` or the kernel's id).

A reset (``reset=True``, ``delete_previous_copy=True``) and ``cleanup`` delete a table only when its tags say this
connection's owner created it, with a creator of the same family (``FAMILIES``: the functions that make the same
tables); otherwise ``TableNotOursError`` names the table, who created it (or that dynalab did not), and how to go
on. ``tables.delete_created_table`` is the one function that deletes on dynalab's own initiative.

Engines differ in what they keep (checked 2026-12-07): AWS and moto keep the ``Tags`` of CreateTable; dynalite 4.0
answers TagResource but ignores CreateTable's ``Tags``, so dynalab tags right after creating there; a restore or an
import takes no tags (RestoreTableFromBackup and ImportTable have no Tags parameter), so dynalab tags the new table
once it is ACTIVE. An engine dynalab does not know (AWS's DynamoDB Local, which has no tagging calls) gets a record
instead, in a table of its own, ``dynalab-ownership``: the table's name, its CreationDateTime (a table deleted and
made again by someone else is not dynalab's), creator and owner.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine import Lab
from dynalab.i18n import tr
from dynalab.models import checks

__all__ = ["CREATOR_TAG", "FAMILIES", "OWNERSHIP_TABLE", "OWNER_TAG", "RECORD_TABLE_ARGS", "Ownership",
           "TableNotOursError", "check_deletable", "creation_tags", "creator_name", "family", "forget", "keeps_records",
           "owned_by", "ownership", "record_creation"]

CREATOR_TAG = "dynalab:creator"
OWNER_TAG = "dynalab:owner"
#: Where an engine that cannot tag keeps dynalab's record of the tables it created.
OWNERSHIP_TABLE = "dynalab-ownership"
#: creator -> its family: creators whose tables one another's resets may delete (they make the same tables).
FAMILIES = {"create_summary_tables": "create_vote_tables", "vote_summary": "create_vote_tables"}
#: Engines whose CreateTable keeps its Tags; dynalite keeps only TagResource's; any other gets a record.
_TAGS_AT_CREATION = ("aws", "moto")
_TAG_AFTER_CREATION = ("dynalite",)


class TableNotOursError(PermissionError):
    """dynalab was asked to delete (reset, replace) a table it did not create for that purpose, or not for this
    connection's owner. The message names the table, who created it, and how to go on."""


@dataclass(frozen=True)
class Ownership:
    """What a table's tags (or dynalab's record) say: the function that created it, and for whom."""

    creator: str
    owner: str


def family(creator: str) -> str:
    return FAMILIES.get(creator, creator)


def _tags(lab: Lab, creator: str) -> list[dict[str, str]]:
    return [{"Key": CREATOR_TAG, "Value": creator}, {"Key": OWNER_TAG, "Value": lab.owner}]


def creation_tags(lab: Lab, creator: str) -> list[dict[str, str]]:
    """The Tags a CreateTable should carry on this engine (none where the engine keeps them another way)."""
    return _tags(lab, creator) if lab.engine in _TAGS_AT_CREATION else []


def _arn(lab: Lab, table_name: str) -> tuple[str, float] | None:
    """(TableArn, CreationDateTime as seconds) of the table, or None if there is none."""
    try:
        table = lab.client.describe_table(TableName=table_name)["Table"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "ResourceNotFoundException":
            return None
        raise
    created = table.get("CreationDateTime")
    return table["TableArn"], created.timestamp() if hasattr(created, "timestamp") else float(created or 0)


def keeps_records(lab: Lab) -> bool:
    """Whether this engine gets dynalab's records (``OWNERSHIP_TABLE``, made with ``RECORD_TABLE_ARGS``) for tags."""
    return lab.engine not in _TAGS_AT_CREATION + _TAG_AFTER_CREATION


#: CreateTable's arguments for the record table of an engine that cannot tag.
RECORD_TABLE_ARGS = {"TableName": OWNERSHIP_TABLE, "BillingMode": "PAY_PER_REQUEST",
                     "KeySchema": [{"AttributeName": "table_name", "KeyType": "HASH"}],
                     "AttributeDefinitions": [{"AttributeName": "table_name", "AttributeType": "S"}]}


def record_creation(lab: Lab, table_name: str, creator: str, *, tagged: bool = False) -> None:
    """Mark ``table_name`` (just created by ``creator``) as dynalab's, for ``lab.owner``. ``tagged``: its CreateTable
    carried ``creation_tags`` (nothing more to do where the engine keeps those). Where the engine gets records, the
    record table must exist (``tables.mark_created`` makes it)."""
    if tagged and lab.engine in _TAGS_AT_CREATION:
        return
    found = _arn(lab, table_name)
    if found is None:
        return
    if lab.engine in _TAGS_AT_CREATION + _TAG_AFTER_CREATION:
        lab.client.tag_resource(ResourceArn=found[0], Tags=_tags(lab, creator))
        return
    lab.client.put_item(TableName=OWNERSHIP_TABLE, Item={
        "table_name": {"S": table_name}, "created": {"N": repr(found[1])}, "creator": {"S": creator},
        "owner": {"S": lab.owner}})


def ownership(lab: Lab, table_name: str) -> Ownership | None:
    """Who created the table, and for whom; None when dynalab did not (no tags, no record), or there is no table."""
    found = _arn(lab, table_name)
    if found is None:
        return None
    if lab.engine in _TAGS_AT_CREATION + _TAG_AFTER_CREATION:
        tags = _tags_of(lab, found[0])
    else:
        try:
            item = lab.client.get_item(TableName=OWNERSHIP_TABLE, Key={"table_name": {"S": table_name}},
                                       ConsistentRead=True).get("Item", {})
        except ClientError as error:
            if error.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
            item = {}
        same_table = item and abs(float(item["created"]["N"]) - found[1]) < 0.001
        tags = {CREATOR_TAG: item["creator"]["S"], OWNER_TAG: item["owner"]["S"]} if same_table else {}
    if CREATOR_TAG not in tags or OWNER_TAG not in tags:
        return None
    return Ownership(tags[CREATOR_TAG], tags[OWNER_TAG])


#: On AWS, tags set by TagResource show a few seconds late [src:tagresource-eventually-consistent]: a table without
#: dynalab's tags is read again after these pauses before it counts as not dynalab's.
AWS_TAG_REREADS_SECONDS = (1.0, 2.0)


def _tags_of(lab: Lab, arn: str) -> dict[str, str]:
    pauses = list(AWS_TAG_REREADS_SECONDS) if lab.is_aws else []
    while True:
        tags = {tag["Key"]: tag["Value"] for tag in lab.client.list_tags_of_resource(ResourceArn=arn).get("Tags", [])}
        if (CREATOR_TAG in tags and OWNER_TAG in tags) or not pauses:
            return tags
        time.sleep(pauses.pop(0))


def forget(lab: Lab, table_name: str) -> None:
    """Drop dynalab's record of a deleted table (where the engine keeps records, not tags)."""
    if lab.engine in _TAGS_AT_CREATION + _TAG_AFTER_CREATION:
        return
    try:
        lab.client.delete_item(TableName=OWNERSHIP_TABLE, Key={"table_name": {"S": table_name}})
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceNotFoundException":
            raise


def owned_by(found: Ownership, owner: str, sweep: bool = False) -> bool:
    """Whether a table's owner is ``owner`` (``sweep``, for ``cleanup``: or one under it, as an instructor's
    ``dynalab-`` sweeps ``dynalab-ana-``; learners' prefixes never nest)."""
    return found.owner == owner or (sweep and found.owner.startswith(owner) and owner.endswith("-"))


def check_deletable(lab: Lab, table_name: str, creators: Iterable[str] | None, action: str) -> None:
    """Raise ``TableNotOursError`` unless ``table_name`` is this connection's (``lab.owner``) and was created by one of
    ``creators``' families (None: by any dynalab function, for anyone under this owner, as ``cleanup`` asks).
    ``action`` says what wanted to delete it (``create_vote_tables(reset=True)``). A table that does not exist passes
    (nothing to delete)."""
    checks.table_name("table_name", table_name)
    found = ownership(lab, table_name)
    if found is None:
        if _arn(lab, table_name) is None:
            return
        raise TableNotOursError(tr(
            "{action}: table {table!r} exists and was not created by dynalab, so dynalab will not delete it. Choose "
            "another name, or delete it yourself (dynalab.delete_table(lab, {table!r})) if it is yours to lose.",
            action=action, table=table_name))
    if not owned_by(found, lab.owner, sweep=creators is None):
        raise TableNotOursError(tr(
            "{action}: table {table!r} was created by {creator} for {owner}, not for this connection ({me}), so "
            "dynalab will not delete it. Choose another name (each kernel on a shared engine gets its own: set "
            "DYNALAB_LEARNER), or delete it yourself (dynalab.delete_table(lab, {table!r})) if it is yours to lose.",
            action=action, table=table_name, creator=found.creator, owner=found.owner, me=lab.owner))
    wanted = sorted({family(creator) for creator in creators}) if creators is not None else None
    if wanted is not None and family(found.creator) not in wanted:
        raise TableNotOursError(tr(
            "{action}: table {table!r} was created by {creator} (its dynalab:creator tag), not by {wanted}, so dynalab "
            "will not delete it for this. Choose another name, or delete it yourself "
            "(dynalab.delete_table(lab, {table!r})) if it is yours to lose.", action=action, table=table_name,
            creator=found.creator, wanted=" or ".join(wanted)))


def creator_name(creator: Any) -> str:
    """A creator's name, checked: what a ``dynalab:creator`` tag holds (a tag value's characters, at most 64)."""
    return checks.text("creator", creator, min_length=1, max_length=64, pattern=r"[A-Za-z0-9_.:]+")
