"""Checkpoints, as the KCL keeps its lease table: one item per (consumer, stream, shard) in a table of its own.

The item holds the last sequence number applied and whether the shard ended, so a reader restarted in another process
resumes from it with AFTER_SEQUENCE_NUMBER; beside it, the shard's lease (``dynalab.engine.streams.leases``), and
under ``<consumer>#dead-letter`` the records a projector set aside.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

from botocore.exceptions import ClientError

from dynalab.engine import Lab
from dynalab.engine.streams.leases import LEASE_SECONDS, Lease, lease_owner_gone
from dynalab.engine.tables import ensure_table, query_pages
from dynalab.i18n import tr
from dynalab.models.quotas import MAX_ITEM_SIZE_BYTES

__all__ = ["DEAD_LETTER_RECORD_MAX_BYTES", "Checkpoint", "CheckpointStore"]

#: A dead letter keeps the whole record only while its item stays this small (the rest of the 400 KB item holds
#: the keys); a larger record is kept without its images.
DEAD_LETTER_RECORD_MAX_BYTES = MAX_ITEM_SIZE_BYTES - 8 * 1024


@dataclass
class Checkpoint:
    """Where a consumer is in one shard: the last sequence number applied (None: nothing yet)."""

    stream_arn: str
    shard_id: str
    sequence_number: int | None = None
    shard_end: bool = False


class CheckpointStore:
    """One item per (consumer, stream, shard) in a table of its own: ``consumer`` (partition key) and
    ``lease_key`` = ``<stream ARN>|<shard id>`` (sort key), as the KCL keeps a lease per shard."""

    def __init__(self, lab: Lab, table_name: str | None = None) -> None:
        self.lab = lab
        self.table_name = table_name or lab.table_name("stream_checkpoints")
        self._ensure_table()

    def _ensure_table(self) -> None:
        ensure_table(self.lab, self.table_name, ("consumer", "S"), ("lease_key", "S"))

    @staticmethod
    def lease_key(arn: str, shard_id: str) -> str:
        return f"{arn}|{shard_id}"

    def _items(self, consumer: str, consistent: bool = True) -> Iterator[dict]:
        """Every item kept under ``consumer`` (a Query, followed page by page)."""
        for page in query_pages(self.lab, self.table_name, ConsistentRead=consistent,
                                KeyConditionExpression="consumer = :c",
                                ExpressionAttributeValues={":c": {"S": consumer}}):
            yield from page["Items"]

    def all(self, consumer: str) -> list[Checkpoint]:
        """Every checkpoint of a consumer, on any stream (strongly consistent Query)."""
        found: list[Checkpoint] = []
        for item in self._items(consumer):
            arn, shard_id = item["lease_key"]["S"].rsplit("|", 1)
            number = item.get("checkpoint", {}).get("N")
            found.append(Checkpoint(arn, shard_id, int(number) if number is not None else None,
                                    item.get("shard_end", {}).get("BOOL", False)))
        return found

    def load(self, consumer: str, arn: str) -> dict[str, Checkpoint]:
        return {c.shard_id: c for c in self.all(consumer) if c.stream_arn == arn}

    def advance_action(self, consumer: str, arn: str, shard_id: str, first: int, last: int,
                       shard_end: bool = False) -> dict:
        """The TransactWriteItems Update that moves the checkpoint to ``last``, only if it is below ``first``."""
        return {"Update": {
            "TableName": self.table_name,
            "Key": {"consumer": {"S": consumer}, "lease_key": {"S": self.lease_key(arn, shard_id)}},
            "UpdateExpression": "SET #cp = :last, shard_end = :end",
            "ConditionExpression": "attribute_not_exists(#cp) OR #cp < :first",
            "ExpressionAttributeNames": {"#cp": "checkpoint"},
            "ExpressionAttributeValues": {":last": {"N": str(last)}, ":first": {"N": str(first)},
                                          ":end": {"BOOL": shard_end}},
        }}

    def save(self, consumer: str, arn: str, shard_id: str, last: int, shard_end: bool = False) -> None:
        """Unconditional save (the naive reader's separate checkpoint write); the lease beside it is kept."""
        self.lab.client.update_item(
            TableName=self.table_name, Key=self._key(consumer, arn, shard_id),
            UpdateExpression="SET #cp = :last, shard_end = :end", ExpressionAttributeNames={"#cp": "checkpoint"},
            ExpressionAttributeValues={":last": {"N": str(last)}, ":end": {"BOOL": shard_end}})

    def _key(self, consumer: str, arn: str, shard_id: str) -> dict:
        return {"consumer": {"S": consumer}, "lease_key": {"S": self.lease_key(arn, shard_id)}}

    # -- leases ---------------------------------------------------------------------------------------------
    def take_lease(self, consumer: str, arn: str, shard_id: str, owner: str,
                   lease_seconds: float = LEASE_SECONDS) -> Lease:
        """Take, renew or take over the shard's lease for ``owner``, or say who holds it.

        One conditional write when the lease is free, the asker's or expired (``lease_expires_at`` past); else a
        strongly consistent read, and a takeover only if the holder is gone, written only if the lease's counter is
        still the one read (as the KCL does), so of two readers taking one lease, one wins."""
        key = self._key(consumer, arn, shard_id)
        now = time.time()
        values = {":me": {"S": owner}, ":exp": {"N": f"{now + lease_seconds:.3f}"}, ":one": {"N": "1"},
                  ":now": {"N": f"{now:.3f}"}}
        update = "SET lease_owner = :me, lease_expires_at = :exp ADD lease_counter :one"
        # The usual case in one conditional write (no read first): the lease is free, ours, or expired.
        try:
            old = self.lab.client.update_item(
                TableName=self.table_name, Key=key, UpdateExpression=update, ExpressionAttributeValues=values,
                ConditionExpression="attribute_not_exists(lease_owner) OR lease_owner = :me OR lease_expires_at < :now",
                ReturnValues="ALL_OLD").get("Attributes", {})
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
        else:
            holder = old.get("lease_owner", {}).get("S")
            taken_from = holder if holder and holder != owner else None
            return Lease(shard_id, True, owner, taken_from, "expired" if taken_from else "",
                         int(old.get("lease_counter", {}).get("N", "0")) + 1,
                         int(old["checkpoint"]["N"]) if "checkpoint" in old else None)
        # Another reader holds a live lease: read it; take it over only if that reader is gone, and only if the
        # lease is still the one read (its counter), so of two readers taking it over, one wins.
        item = self.lab.client.get_item(TableName=self.table_name, Key=key, ConsistentRead=True).get("Item", {})
        holder = item.get("lease_owner", {}).get("S")
        counter = int(item["lease_counter"]["N"]) if "lease_counter" in item else 0
        checkpoint = int(item["checkpoint"]["N"]) if "checkpoint" in item else None
        if not holder or not lease_owner_gone(holder):
            return Lease(shard_id, False, holder or tr("another reader"), counter=counter, checkpoint=checkpoint)
        values = {k: v for k, v in values.items() if k != ":now"}
        values[":counter"] = {"N": str(counter)}
        try:
            self.lab.client.update_item(TableName=self.table_name, Key=key, UpdateExpression=update,
                                        ConditionExpression="lease_counter = :counter",
                                        ExpressionAttributeValues=values)
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return Lease(shard_id, False, tr("another reader"), checkpoint=checkpoint)
        return Lease(shard_id, True, owner, holder, "gone", counter + 1, checkpoint)

    def release_lease(self, consumer: str, arn: str, shard_id: str, owner: str) -> bool:
        """Give the lease up (only if ``owner`` still holds it): another reader may take it at once."""
        try:
            self.lab.client.update_item(
                TableName=self.table_name, Key=self._key(consumer, arn, shard_id),
                UpdateExpression="SET lease_expires_at = :zero REMOVE lease_owner",
                ConditionExpression="lease_owner = :me",
                ExpressionAttributeValues={":me": {"S": owner}, ":zero": {"N": "0"}})
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            return False
        return True

    def lease_owners(self, consumer: str, arn: str) -> dict[str, str]:
        """Who holds each shard's lease now (shard id -> owner; expired leases left out)."""
        now = time.time()
        found = {}
        for item in self._items(consumer):
            item_arn, shard_id = item["lease_key"]["S"].rsplit("|", 1)
            owner = item.get("lease_owner", {}).get("S")
            if item_arn == arn and owner and float(item.get("lease_expires_at", {}).get("N", "0")) >= now:
                found[shard_id] = owner
        return found

    def delete(self, consumer: str, arn: str | None = None) -> int:
        """Forget a consumer's checkpoints (on one stream, or all, and then its dead letters too); return how
        many checkpoints."""
        if arn is None:
            for item in list(self._items(self._dead_letter_consumer(consumer), consistent=False)):
                self.lab.client.delete_item(TableName=self.table_name,
                                            Key={"consumer": item["consumer"], "lease_key": item["lease_key"]})
        gone = 0
        for checkpoint in self.all(consumer):
            if arn is None or checkpoint.stream_arn == arn:
                self.lab.client.delete_item(TableName=self.table_name, Key={
                    "consumer": {"S": consumer},
                    "lease_key": {"S": self.lease_key(checkpoint.stream_arn, checkpoint.shard_id)}})
                gone += 1
        return gone

    # Dead letters (records set aside by on_bad_record="dead_letter") live beside the checkpoints, under the
    # consumer "<consumer>#dead-letter", one item per record.
    @staticmethod
    def _dead_letter_consumer(consumer: str) -> str:
        return f"{consumer}#dead-letter"

    def dead_letter_action(self, consumer: str, arn: str, record: dict, reason: str = "") -> dict:
        """The TransactWriteItems Put that sets a record aside (committed with the batch it was read in). A record
        too large for one item (400 KB) is kept without its images, with its size."""
        text = json.dumps(record, default=str)
        if len(text.encode()) > DEAD_LETTER_RECORD_MAX_BYTES:
            body = record.get("dynamodb", {}) if isinstance(record, dict) else {}
            text = json.dumps({"eventName": record.get("eventName") if isinstance(record, dict) else None,
                               "dynamodb": {"Keys": body.get("Keys"), "SequenceNumber": body.get("SequenceNumber")},
                               "images_left_out_bytes": len(text.encode())}, default=str)[:DEAD_LETTER_RECORD_MAX_BYTES]
        item = {"consumer": {"S": self._dead_letter_consumer(consumer)},
                "lease_key": {"S": f"{arn}|{record['dynamodb']['SequenceNumber']}"},
                "record": {"S": text}}
        if reason:
            item["reason"] = {"S": reason[:1000]}
        return {"Put": {"TableName": self.table_name, "Item": item}}

    def dead_letters(self, consumer: str) -> list[dict]:
        """The records set aside for a consumer (as JSON-decoded dicts)."""
        return [json.loads(item["record"]["S"])
                for item in self._items(self._dead_letter_consumer(consumer), consistent=False)]

