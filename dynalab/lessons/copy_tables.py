"""Copy tables, the two ways the first source article weighs for DynamoDB, which has no read replica.

* **By change capture**: a projector copies every change from the source's stream into a copy table that always
  exists (so it can live in infrastructure as code). ``measure_replication_lag`` times write → visible in the copy.
* **By backup and restore**: each day's batch restores today's backup into ``<table>-copy``. RestoreTableFromBackup
  always creates a *new* table, so on the second day it fails with TableAlreadyExistsException unless
  yesterday's copy was deleted first: the article's point about why this does not sit well with IaC.
"""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine import Lab
from dynalab.engine.streams import StreamProjector
from dynalab.lessons.projections import CopyProjection

__all__ = ["LagReport", "RestoreDay", "copy_by_change_capture", "copy_by_restore", "measure_replication_lag"]


def copy_by_change_capture(lab: Lab, source_table: str, copy_table: str, *, reset: bool = False,
                           **projector_options: Any) -> StreamProjector:
    """A projector that keeps ``copy_table`` (created with the source's key schema if missing) equal to the
    source, from its stream (NEW_IMAGE or NEW_AND_OLD_IMAGES). ``reset=True`` starts afresh: the copy table and
    the projector's checkpoints are deleted first."""
    from dynalab.engine.streams import refuse_writing_into_source
    from dynalab.engine.tables import ensure_table, table_exists
    from dynalab.lessons.projections import forget

    # First, before ``reset`` could delete anything: a copy equal to its source would copy itself without end.
    refuse_writing_into_source(lab, source_table, (copy_table,), "copy_by_change_capture")
    projector_options.setdefault("consumer", f"copy:{source_table}->{copy_table}")
    if reset:
        forget(lab, projector_options["consumer"], copy_table)

    if not table_exists(lab, copy_table):
        source = lab.client.describe_table(TableName=source_table)["Table"]
        types = {d["AttributeName"]: d["AttributeType"] for d in source["AttributeDefinitions"]}
        keys = {k["KeyType"]: (k["AttributeName"], types[k["AttributeName"]]) for k in source["KeySchema"]}
        ensure_table(lab, copy_table, keys["HASH"], keys.get("RANGE"))
    return StreamProjector(lab, source_table, CopyProjection(copy_table), **projector_options)


@dataclass
class LagReport:
    """Replication lag, write → applied to the copy, in seconds (one sample per write)."""

    samples_seconds: list[float] = field(repr=False)

    @property
    def median_seconds(self) -> float:
        return statistics.median(self.samples_seconds)

    @property
    def p95_seconds(self) -> float:
        ordered = sorted(self.samples_seconds)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    def __str__(self) -> str:
        return (f"replication lag over {len(self.samples_seconds)} writes: median {self.median_seconds * 1000:.0f} ms, "
                f"p95 {self.p95_seconds * 1000:.0f} ms")


def measure_replication_lag(lab: Lab, projector: StreamProjector, items: list[dict],
                            interval_seconds: float = 0.02, timeout_seconds: float = 60.0) -> LagReport:
    """Write ``items`` (typed, with the source's key) to the projector's source one by one while it runs in the
    background; the lag of each is the time from just before its PutItem to the commit that applied it."""
    if not items:
        raise ValueError("measure_replication_lag needs at least one item to write")
    keys = [k["AttributeName"] for k in
            lab.client.describe_table(TableName=projector.source_table)["Table"]["KeySchema"]]
    written: dict[str, float] = {}
    applied: dict[str, float] = {}
    done = threading.Event()
    previous = projector.on_commit

    def key_of(image: dict) -> str:
        return repr([image[k] for k in keys])

    def on_commit(records: list[dict]) -> None:
        now = time.perf_counter()
        for record in records:
            applied.setdefault(key_of(record["dynamodb"]["Keys"]), now)
        if len(applied.keys() & written.keys()) >= len(items):
            done.set()
        if previous is not None:
            previous(records)

    projector.on_commit = on_commit
    was_running = projector.running
    projector.start()
    try:
        for item in items:
            written[key_of(item)] = time.perf_counter()
            lab.client.put_item(TableName=projector.source_table, Item=item)
            time.sleep(interval_seconds)
        if not done.wait(timeout_seconds):
            raise TimeoutError(f"only {len(applied.keys() & written.keys())} of {len(items)} writes reached the "
                               f"copy within {timeout_seconds} s")
    finally:
        projector.on_commit = previous
        if not was_running:
            projector.stop()
    return LagReport([applied[key] - written[key] for key in written])


@dataclass
class RestoreDay:
    """One day of the copy-by-restore batch: did the restore work, and if not, DynamoDB's error."""

    day: int
    backup_name: str
    copy_table: str
    restored: bool
    error_code: str = ""
    message: str = ""

    def __str__(self) -> str:
        if self.restored:
            return f"day {self.day}: restored backup {self.backup_name} into {self.copy_table}"
        return f"day {self.day}: restore FAILED: {self.error_code}: {self.message}"


def copy_by_restore(lab: Lab, source_table: str, copy_table: str, day: int, *,
                    delete_previous_copy: bool = False) -> RestoreDay:
    """One day's batch: CreateBackup of the source, then RestoreTableFromBackup into ``copy_table``.

    Without ``delete_previous_copy`` the second day meets the copy made on the first:
    TableAlreadyExistsException. With it, the batch deletes yesterday's copy first (the workaround that puts a
    table outside IaC's control).
    """
    from dynalab.engine.tables import delete_table, wait_until_active

    if delete_previous_copy:
        delete_table(lab, copy_table)
    backup_name = f"{source_table}-day{day}"
    backup_arn = lab.client.create_backup(TableName=source_table, BackupName=backup_name)["BackupDetails"]["BackupArn"]
    try:
        lab.client.restore_table_from_backup(TargetTableName=copy_table, BackupArn=backup_arn)
    except ClientError as error:
        return RestoreDay(day, backup_name, copy_table, False, error.response["Error"]["Code"],
                          error.response["Error"].get("Message", ""))
    wait_until_active(lab, copy_table)
    return RestoreDay(day, backup_name, copy_table, True)
