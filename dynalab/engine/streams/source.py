"""A stream's source table: its stream (``stream_arn``, ``enable_stream``, ``stream_view_type``), and the check
that it still has the stream a reader reads (``SourceWatch``).

A table deleted, or deleted and made again (a new stream), stops a reader with ``SourceTableChangedError`` saying so
(a deleted table's stream is only DISABLED, readable for 24 h and then gone: [src:deletetable-stream-disabled]),
never "running" over a dead stream. ``refuse_writing_into_source`` refuses a projection that would write into the
table whose stream it reads.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import UTC, datetime

from botocore.exceptions import ClientError

from dynalab.engine import Lab
from dynalab.engine.streams.errors import SourceTableChangedError, StreamNotEnabledError
from dynalab.engine.tables import describe_existing_table, wait_until_active
from dynalab.i18n import tr
from dynalab.models import checks

__all__ = ["SOURCE_CHECK_SECONDS", "SourceWatch", "enable_stream", "refuse_writing_into_source", "stream_arn",
           "stream_created_before", "stream_view_type"]

#: How often a stream reader checks that its source table still has the stream it reads (one DescribeTable).
SOURCE_CHECK_SECONDS = 0.2


def stream_arn(lab: Lab, table_name: str) -> str:
    """The table's current stream ARN, or StreamNotEnabledError saying how to turn the stream on."""
    try:
        table = lab.client.describe_table(TableName=table_name)["Table"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "ResourceNotFoundException":
            raise StreamNotEnabledError(tr("table {table!r} does not exist, so it has no stream",
                                           table=table_name)) from None
        raise
    spec = table.get("StreamSpecification") or {}
    arn = table.get("LatestStreamArn")
    if not spec.get("StreamEnabled") or not arn:
        raise StreamNotEnabledError(tr(
            "table {table!r} has no stream enabled. Turn it on with "
            "dynalab.enable_stream(lab, {table!r}) (UpdateTable StreamSpecification "
            "StreamViewType=NEW_AND_OLD_IMAGES); only changes made after that are captured.", table=table_name))
    return arn


def stream_created_before(arn: str, table: dict) -> bool:
    """Whether a stream (by its ARN's label, the time it was made) is older than the table described: the stream of
    an earlier table of that name, deleted since. Compared to the millisecond, as DynamoDB gives CreationDateTime."""
    label = arn.rsplit("/stream/", 1)[-1] if "/stream/" in arn else ""
    created = table.get("CreationDateTime")
    try:
        made = datetime.fromisoformat(label)
    except ValueError:
        return False
    if not isinstance(created, datetime):
        return False
    made = made if made.tzinfo else made.replace(tzinfo=UTC)
    return int(made.timestamp() * 1000) < int(created.timestamp() * 1000)


class SourceWatch:
    """A reader's check that its source table still has the stream it reads: ``check()`` (at most every
    ``every_seconds``, or at once with ``force``) raises ``SourceTableChangedError`` once the table is gone or
    streams to another ARN, naming ``reader`` ("the projector", "the event source mapping")."""

    def __init__(self, lab: Lab, table_name: str, arn: str, reader: str,
                 every_seconds: float = SOURCE_CHECK_SECONDS) -> None:
        self.lab, self.table_name, self.arn, self.reader = lab, table_name, arn, reader
        self.every_seconds = every_seconds
        self._checked_at = -float("inf")

    def check(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._checked_at < self.every_seconds:
            return
        self._checked_at = now
        try:
            table = self.lab.client.describe_table(TableName=self.table_name)["Table"]
        except ClientError as error:
            if error.response["Error"]["Code"] != "ResourceNotFoundException":
                raise
            raise SourceTableChangedError(tr(
                "{reader} stopped: its source table {table!r} was deleted, and the stream it read ({arn}) with it. "
                "Once the table exists again, start a new one: it reads the new table's stream.",
                reader=self.reader, table=self.table_name, arn=self.arn)) from None
        latest = table.get("LatestStreamArn")
        if latest != self.arn:
            raise SourceTableChangedError(tr(
                "{reader} stopped: its source table {table!r} was deleted and made again (or its stream turned off "
                "and on): it now streams to {latest}, not to {arn}, the stream this one read. Start a new one: it "
                "reads the new stream.", reader=self.reader, table=self.table_name, latest=latest or "-",
                arn=self.arn))

    def on_error(self, error: ClientError) -> None:
        """After a ResourceNotFoundException from the stream: say why, if the source is the reason."""
        if error.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            self.check(force=True)


def stream_view_type(lab: Lab, table_name: str) -> str:
    table = lab.client.describe_table(TableName=table_name)["Table"]
    return (table.get("StreamSpecification") or {}).get("StreamViewType", "")


def enable_stream(lab: Lab, table_name: str, view_type: str = "NEW_AND_OLD_IMAGES") -> str:
    """Turn the table's stream on (UpdateTable) and return its ARN. Changes made before this are not in it. A
    stream already on with this view type is kept (its ARN returned); with another one, a clear error. The view
    type says what each record carries [src:stream-view-types]."""
    view_type = checks.choice("view_type", view_type, ("NEW_AND_OLD_IMAGES", "NEW_IMAGE", "OLD_IMAGE", "KEYS_ONLY"))
    spec = describe_existing_table(lab, table_name).get("StreamSpecification") or {}
    if spec.get("StreamEnabled"):
        if spec.get("StreamViewType") == view_type:
            return stream_arn(lab, table_name)
        raise ValueError(tr("table {table!r} already streams {current} records; a stream's "
                            "view type cannot be changed to {view_type}: disable the stream first "
                            "(UpdateTable StreamEnabled=False), then enable it again",
                            table=table_name, current=spec.get('StreamViewType'), view_type=view_type))
    lab.client.update_table(TableName=table_name,
                            StreamSpecification={"StreamEnabled": True, "StreamViewType": view_type})
    wait_until_active(lab, table_name)
    return stream_arn(lab, table_name)


def refuse_writing_into_source(lab: Lab, source_table: str, target_tables: Iterable[str], what: str) -> None:
    """Refuse at once a projection that would write into the table whose stream it reads.

    Each of its writes would come back on the stream as a new record and be written again, without end (measured:
    5 items became 960 writes in 6 s). Called before anything is created, reset or deleted."""
    def full(name: str) -> str:
        try:
            return lab.table_name(name)
        except ValueError:
            return str(name)

    clash = sorted({str(t) for t in target_tables if full(t) == full(source_table)})
    if clash:
        raise ValueError(tr(
            "{what}: the target table {target!r} is the table it reads (source_table {source!r}). "
            "Every write into it would come back on its stream and be written again, without end. "
            "Choose a target table other than the source.", what=what, target=clash[0], source=source_table))
