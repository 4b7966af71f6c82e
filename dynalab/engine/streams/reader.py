"""Reading a stream's shards: list them (``list_shards``), order them by lineage (``lineage_order``), and read
one shard page by page with ``ShardReader``, the one GetRecords loop (its iterator fetched again when it expires).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine import Lab
from dynalab.i18n import tr
from dynalab.models.quotas import GET_RECORDS_MAX_RECORDS

__all__ = ["GET_RECORDS_MAX", "ShardReader", "lineage_order", "list_shards", "sequence_number"]

#: GetRecords returns at most 1,000 records a call (API_streams_GetRecords.html).
GET_RECORDS_MAX = GET_RECORDS_MAX_RECORDS


def sequence_number(record: dict) -> int:
    return int(record["dynamodb"]["SequenceNumber"])


def list_shards(lab: Lab, arn: str) -> list[dict]:
    """Every shard of the stream (DescribeStream, paged with ExclusiveStartShardId)."""
    shards: list[dict] = []
    args: dict[str, Any] = {"StreamArn": arn}
    while True:
        description = lab.streams.describe_stream(**args)["StreamDescription"]
        shards.extend(description.get("Shards", []))
        last = description.get("LastEvaluatedShardId")
        if not last:
            return shards
        args["ExclusiveStartShardId"] = last


def lineage_order(shards: Iterable[dict]) -> list[dict]:
    """Shards ordered so each parent comes before its children (a parent no longer listed counts as done)."""
    shards = list(shards)
    by_id = {shard["ShardId"]: shard for shard in shards}
    ordered: list[dict] = []
    placed: set[str] = set()

    def place(shard: dict, path: tuple[str, ...] = ()) -> None:
        shard_id = shard["ShardId"]
        if shard_id in placed:
            return
        if shard_id in path:
            raise ValueError(tr("shard lineage has a cycle through {shard}", shard=shard_id))
        parent = by_id.get(shard.get("ParentShardId", ""))
        if parent is not None:
            place(parent, path + (shard_id,))
        placed.add(shard_id)
        ordered.append(shard)

    for shard in shards:
        place(shard)
    return ordered


class ShardReader:
    """One shard's records, page by page, as a reader that keeps its place: the one GetRecords loop.

    It starts after sequence number ``after`` (AFTER_SEQUENCE_NUMBER) or, without one, at ``start_at``
    (TRIM_HORIZON or LATEST). ``read()`` returns the page at the current place (GetRecords, at most ``limit``
    records) and reads it again until ``advance()`` moves past it, so a page whose records were not applied is
    read again. An iterator that expired (15 minutes, ExpiredIteratorException) is fetched again from the last
    place advanced past. ``ended`` turns true once a page that closed the shard is advanced past.
    """

    def __init__(self, lab: Lab, arn: str, shard_id: str, *, after: int | None = None,
                 start_at: str = "TRIM_HORIZON", limit: int = GET_RECORDS_MAX) -> None:
        self.lab = lab
        self.stream_arn = arn
        self.shard_id = shard_id
        self.after = after
        self.start_at = start_at
        self.limit = limit
        self.calls = 0  # GetRecords calls answered
        self.ended = False
        self.page_ends_shard = False  # the page last read was the shard's last (NextShardIterator absent)
        self._iterator: str | None = None
        self._next: str | None = None
        self._page: list[dict] = []

    def _fetch_iterator(self) -> str:
        args = {"StreamArn": self.stream_arn, "ShardId": self.shard_id}
        if self.after is not None:
            args.update(ShardIteratorType="AFTER_SEQUENCE_NUMBER", SequenceNumber=str(self.after))
        else:
            args["ShardIteratorType"] = self.start_at
        return self.lab.streams.get_shard_iterator(**args)["ShardIterator"]

    def open(self) -> None:
        """Take the place now (an iterator), without reading: LATEST then means "after this moment"."""
        if self._iterator is None and not self.ended:
            self._iterator = self._fetch_iterator()

    def read(self) -> list[dict]:
        """The records at the current place (an empty list: nothing new yet, or the shard is done)."""
        if self.ended:
            return []
        for _ in range(2):
            if self._iterator is None:
                self._iterator = self._fetch_iterator()
            try:
                page = self.lab.streams.get_records(ShardIterator=self._iterator, Limit=self.limit)
            except ClientError as error:
                if error.response["Error"]["Code"] != "ExpiredIteratorException":
                    raise
                self._iterator = None  # 15 minutes passed: ask again from the place last advanced past
                continue
            self.calls += 1
            self._page = page.get("Records", [])
            self._next = page.get("NextShardIterator")
            self.page_ends_shard = self._next is None
            return self._page
        raise RuntimeError(tr("shard {shard}: a fresh shard iterator expired at once", shard=self.shard_id))

    def advance(self) -> None:
        """Move past the page last read."""
        if self._page:
            self.after = sequence_number(self._page[-1])
        self._iterator, self._page = self._next, []
        self.ended = self.page_ends_shard

    def pages(self) -> Iterator[list[dict]]:
        """Every page from the current place until one comes back empty or the shard ends."""
        while not self.ended:
            records = self.read()
            if not records:
                return
            yield records
            self.advance()
