"""Copy tables: the two ways the first source article (2023) weighs for DynamoDB, which has no read replica, and the
two S3 paths DynamoDB has today.

* **By change capture**: a projector copies every change from the source's stream into a copy table that always
  exists (so it can live in infrastructure as code). ``measure_replication_lag`` times write → visible in the copy.
* **By backup and restore**: each day's batch restores today's backup into ``<table>-copy``. RestoreTableFromBackup
  always creates a *new* table [src:restore-creates-new-table], so on the second day it fails with
  TableAlreadyExistsException unless
  yesterday's copy was deleted first: the article's point about why this does not sit well with IaC.
* **Export to S3, then import into a new table** (``copy_by_import``): ExportTableToPointInTime writes DynamoDB JSON
  to S3; ImportTable creates a **new** table from it [src:import-creates-new-table] and consumes no write capacity, so
  the name clashes again on day 2, as with restore.
* **Export to S3, then StartBulkPutItems into the existing copy** (``copy_by_bulk_put``): since 2026 DynamoDB
  "reads items from Amazon S3 and writes them to an existing DynamoDB table" (API_StartBulkPutItems), at up to
  ``MaxWriteRequestUnits`` per second, with optional per-item conditions and a failure report in S3. The article's
  2023 claim that an existing table cannot be bulk-loaded is no longer true. On local engines the operation is
  answered by dynalab's labelled stand-in (``dynalab.fidelity.bulk_put``): moto has none.
"""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine import EngineFeatureMissingError, Lab
from dynalab.engine.streams import StreamProjector
from dynalab.engine.tables import describe_existing_table
from dynalab.i18n import N_, tr
from dynalab.lessons.projections import CopyProjection
from dynalab.models import checks
from dynalab.models.quotas import BULK_PUT_MIN_WRITE_REQUEST_UNITS

__all__ = ["BulkPutReport", "ImportDay", "LagReport", "RestoreDay", "copy_by_bulk_put", "copy_by_change_capture",
           "copy_by_import", "copy_by_restore", "export_to_s3", "measure_replication_lag", "read_bulk_put_report",
           "start_bulk_put", "wait_for_bulk_put", "write_bulk_put_input"]


def copy_by_change_capture(lab: Lab, source_table: str, copy_table: str, *, reset: bool = False,
                           **projector_options: Any) -> StreamProjector:
    """A projector that keeps ``copy_table`` (created with the source's key schema if missing) equal to the
    source, from its stream (NEW_IMAGE or NEW_AND_OLD_IMAGES). ``reset=True`` starts afresh: the copy table (if this
    function created it, for this connection) and the projector's checkpoints are deleted first."""
    from dynalab.engine.streams import refuse_writing_into_source
    from dynalab.engine.tables import ensure_table, table_exists
    from dynalab.lessons.projections import forget

    checks.table_name("source_table", source_table)
    checks.table_name("copy_table", copy_table)
    source_table, copy_table = lab.table_name(source_table), lab.table_name(copy_table)
    # First, before ``reset`` could delete anything: a copy equal to its source would copy itself without end.
    refuse_writing_into_source(lab, source_table, (copy_table,), "copy_by_change_capture")
    describe_existing_table(lab, source_table, "source_table")
    projector_options.setdefault("consumer", f"copy:{source_table}->{copy_table}")
    if reset:
        forget(lab, projector_options["consumer"], copy_table, creator="copy_by_change_capture")

    if not table_exists(lab, copy_table):
        source = lab.client.describe_table(TableName=source_table)["Table"]
        types = {d["AttributeName"]: d["AttributeType"] for d in source["AttributeDefinitions"]}
        keys = {k["KeyType"]: (k["AttributeName"], types[k["AttributeName"]]) for k in source["KeySchema"]}
        ensure_table(lab, copy_table, keys["HASH"], keys.get("RANGE"), creator="copy_by_change_capture")
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
        return (tr("replication lag over {n_samples_seconds} writes: median {value:.0f} ms, p95 {value2:.0f} ms",
                   n_samples_seconds=len(self.samples_seconds), value=self.median_seconds * 1000,
                   value2=self.p95_seconds * 1000))


#: dynalab's bounds on ``measure_replication_lag``: the writes it times (one PutItem each, a pause between) and
#: the time spent writing them (items × interval_seconds)
LAG_MAX_ITEMS = 1_000
LAG_MAX_WRITING_SECONDS = 60


def measure_replication_lag(lab: Lab, projector: StreamProjector, items: list[dict],
                            interval_seconds: float = 0.02, timeout_seconds: float = 60.0) -> LagReport:
    """Write ``items`` (typed, with the source's key) to the projector's source one by one while it runs in the
    background; the lag of each is the time from just before its PutItem to the commit that applied it."""
    checks.instance("projector", projector, StreamProjector, what=tr("a StreamProjector (copy_by_change_capture(...))"))
    checks.sequence_of("items", items, lambda n, v: checks.instance(n, v, dict, what=tr("a typed item (a dict)")),
                       min_length=1, max_length=LAG_MAX_ITEMS)
    interval_seconds = checks.number("interval_seconds", interval_seconds, low=0, high=60, unit="seconds")
    checks.number("len(items) × interval_seconds", len(items) * interval_seconds, high=LAG_MAX_WRITING_SECONDS,
                  unit=N_("seconds of writing; dynalab's limit"))
    timeout_seconds = checks.number("timeout_seconds", timeout_seconds, low=0, high=3600, low_open=True,
                                    unit="seconds")
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
            raise TimeoutError(tr("only {n_items} of {n_items2} writes reached the copy within timeout_seconds = "
                                  "{timeout_seconds} s",
                                  n_items=len(applied.keys() & written.keys()), n_items2=len(items),
                                  timeout_seconds=timeout_seconds))
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
            return tr("day {day}: restored backup {backup_name} into {copy_table}", day=self.day,
                      backup_name=self.backup_name, copy_table=self.copy_table)
        return tr("day {day}: restore FAILED: {error_code}: {message}", day=self.day, error_code=self.error_code,
                  message=self.message)


def copy_by_restore(lab: Lab, source_table: str, copy_table: str, day: int, *,
                    delete_previous_copy: bool = False) -> RestoreDay:
    """One day's batch: CreateBackup of the source, then RestoreTableFromBackup into ``copy_table``.

    Without ``delete_previous_copy`` the second day meets the copy made on the first:
    TableAlreadyExistsException. With it, the batch deletes yesterday's copy first (the workaround that puts a
    table outside IaC's control), and only a copy this function restored for this connection: a table of that name
    made any other way is refused by name (``TableNotOursError``). The copy is tagged as ``copy_by_restore``'s.
    RestoreTableFromBackup only ever creates a new table [src:restore-from-backup-new-table].
    """
    from dynalab.engine.tables import delete_created_table, mark_created, wait_until_active

    checks.table_name("copy_table", copy_table)
    checks.table_name("source_table", source_table)
    source_table, copy_table = lab.table_name(source_table), lab.table_name(copy_table)
    day = _checked_day(day)
    delete_previous_copy = checks.flag("delete_previous_copy", delete_previous_copy)
    describe_existing_table(lab, source_table, "source_table")
    if copy_table == source_table:
        raise ValueError(tr("copy_table {copy_table!r} is the source table: a restore makes a new table, so the copy "
                            "needs a name of its own", copy_table=copy_table))
    if delete_previous_copy:
        delete_created_table(lab, copy_table, creators=("copy_by_restore",),
                             action="copy_by_restore(delete_previous_copy=True)")
    backup_name = f"{source_table}-day{day}"
    backup_arn = lab.client.create_backup(TableName=source_table, BackupName=backup_name)["BackupDetails"]["BackupArn"]
    try:
        lab.client.restore_table_from_backup(TargetTableName=copy_table, BackupArn=backup_arn)
    except ClientError as error:
        return RestoreDay(day, backup_name, copy_table, False, error.response["Error"]["Code"],
                          error.response["Error"].get("Message", ""))
    wait_until_active(lab, copy_table)
    mark_created(lab, copy_table, "copy_by_restore")  # a restore takes no tags: tag the new table now
    return RestoreDay(day, backup_name, copy_table, True)


# ------------------------------------------------------------------------------------------- the S3 paths
def _s3(lab: Lab) -> Any:
    from dynalab.fidelity.bulk_put import BulkPutItems

    plugin = lab.fidelity.find(BulkPutItems)
    if plugin is None:
        raise EngineFeatureMissingError(tr(
            "the S3 paths need the engine's S3: they run on the embedded engine (moto), whose S3 dynalab uses; on AWS "
            "use your own bucket with boto3's s3 client"))
    return plugin.s3


def _ensure_bucket(lab: Lab, bucket: str) -> None:
    s3 = _s3(lab)
    try:
        s3.head_bucket(Bucket=bucket)
    except ClientError:
        s3.create_bucket(Bucket=bucket)


def _poll(describe: Any, done: Any, timeout_seconds: float, what: str) -> dict:
    deadline, delay = time.monotonic() + timeout_seconds, 0.02
    while True:
        answer = describe()
        if done(answer):
            return answer
        if time.monotonic() > deadline:
            raise TimeoutError(tr("{what} did not finish within timeout_seconds = {timeout_seconds} s", what=what,
                                  timeout_seconds=timeout_seconds))
        time.sleep(delay)
        delay = min(delay * 2, 0.5)


def export_to_s3(lab: Lab, table_name: str, bucket: str, prefix: str, *, timeout_seconds: float = 60.0) -> str:
    """ExportTableToPointInTime of ``table_name`` to ``s3://bucket/prefix`` (DynamoDB JSON, gzip; point-in-time
    recovery switched on first, as the export needs); waits for it and returns the prefix its data files are under."""
    _ensure_bucket(lab, bucket)
    lab.client.update_continuous_backups(TableName=table_name,
                                         PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True})
    arn = lab.client.describe_table(TableName=table_name)["Table"]["TableArn"]
    export = lab.client.export_table_to_point_in_time(TableArn=arn, S3Bucket=bucket, S3Prefix=prefix,
                                                      ExportFormat="DYNAMODB_JSON")["ExportDescription"]
    final = _poll(lambda: lab.client.describe_export(ExportArn=export["ExportArn"])["ExportDescription"],
                  lambda d: d["ExportStatus"] != "IN_PROGRESS", timeout_seconds, tr("the export of {table_name}",
                                                                                    table_name=table_name))
    if final["ExportStatus"] != "COMPLETED":
        raise RuntimeError(tr("the export of {table_name} ended {final}: {value}", table_name=table_name,
                              final=final['ExportStatus'], value=final.get('FailureMessage')))
    return f"{prefix.rstrip('/')}/AWSDynamoDB/"


@dataclass
class ImportDay:
    """One day of the export-then-import copy: did ImportTable create the copy, and if not, what it said."""

    day: int
    copy_table: str
    imported: bool
    items: int = 0
    message: str = ""

    def __str__(self) -> str:
        if self.imported:
            return tr("day {day}: ImportTable created {copy_table} with {items} items (no WCU consumed)",
                      day=self.day, copy_table=self.copy_table, items=self.items)
        return tr("day {day}: import FAILED: {message}", day=self.day, message=self.message)


def _checked_day(day: int) -> int:
    """A batch's day number, as every daily copy path takes it (1 to 366)."""
    return checks.number("day", day, low=1, high=366, integer=True, unit=tr("the batch's day number"))


def _check_s3_day(lab: Lab, source_table: str, copy_table: str, day: int, bucket: str,
                  timeout_seconds: float) -> tuple[int, float]:
    """The checks an S3 copy path (export, then import or bulk put) makes before it touches the engine."""
    checks.table_name("copy_table", copy_table)
    describe_existing_table(lab, source_table, "source_table")
    day = _checked_day(day)
    checks.text("bucket", bucket, min_length=3, max_length=63)
    timeout_seconds = checks.number("timeout_seconds", timeout_seconds, low=0, high=3600, low_open=True,
                                    unit="seconds")
    return day, timeout_seconds


def copy_by_import(lab: Lab, source_table: str, copy_table: str, day: int, *, bucket: str = "dynalab-exports",
                   timeout_seconds: float = 60.0) -> ImportDay:
    """One day's batch: export ``source_table`` to S3, then ImportTable into ``copy_table``, a table it creates.

    ImportTable only ever creates a new table (S3DataImport.HowItWorks), so on day 2 the copy made on day 1 is in
    the way, as with restore."""
    day, timeout_seconds = _check_s3_day(lab, source_table, copy_table, day, bucket, timeout_seconds)
    source = lab.client.describe_table(TableName=source_table)["Table"]
    data = export_to_s3(lab, source_table, bucket, f"{source_table}/import-day{day}",
                        timeout_seconds=timeout_seconds)
    try:
        started = lab.client.import_table(
            S3BucketSource={"S3Bucket": bucket, "S3KeyPrefix": data}, InputFormat="DYNAMODB_JSON",
            InputCompressionType="GZIP",
            TableCreationParameters={"TableName": copy_table, "KeySchema": source["KeySchema"],
                                     "AttributeDefinitions": source["AttributeDefinitions"],
                                     "BillingMode": "PAY_PER_REQUEST"})["ImportTableDescription"]
    except ClientError as error:
        return ImportDay(day, copy_table, False, message=f"{error.response['Error']['Code']}: "
                                                          f"{error.response['Error'].get('Message', '')}")
    final = _poll(lambda: lab.client.describe_import(ImportArn=started["ImportArn"])["ImportTableDescription"],
                  lambda d: d["ImportStatus"] not in ("IN_PROGRESS",), timeout_seconds, tr("the import into "
                                                                                           "{copy_table}",
                                                                                           copy_table=copy_table))
    if final["ImportStatus"] != "COMPLETED":
        return ImportDay(day, copy_table, False, message=_import_failure(final))
    from dynalab.engine.tables import mark_created, wait_until_active

    wait_until_active(lab, copy_table)
    mark_created(lab, copy_table, "copy_by_import")  # ImportTable takes no tags: tag the new table now
    return ImportDay(day, copy_table, True, items=int(final.get("ImportedItemCount", 0)))


def _import_failure(description: dict) -> str:
    """The reason an import failed; moto wraps the engine's error JSON in its FailureMessage: unwrap it."""
    import json

    message = str(description.get("FailureMessage", ""))
    if "{" in message:
        try:
            inner = json.loads(message[message.index("{"):])
            return f"{inner['__type'].rsplit('#', 1)[-1]}: {inner.get('message', '')}"
        except (ValueError, KeyError):
            pass
    return f"{description.get('FailureCode', description.get('ImportStatus'))}: {message}"


def write_bulk_put_input(lab: Lab, bucket: str, key: str, items: list[dict], *,
                         condition_expression: str | None = None, expression_attribute_names: dict | None = None,
                         expression_attribute_values: dict | None = None) -> str:
    """Write typed ``items`` to ``s3://bucket/key`` as bulk put input: one ``{"Item": ...}`` line each (the
    DynamoDB JSON that S3 export writes), with the same per-item condition on every line when given."""
    import json

    condition: dict[str, Any] = {}
    if condition_expression:
        condition["ConditionExpression"] = condition_expression
        if expression_attribute_names:
            condition["ExpressionAttributeNames"] = expression_attribute_names
        if expression_attribute_values:
            condition["ExpressionAttributeValues"] = expression_attribute_values
    _ensure_bucket(lab, bucket)
    body = "".join(json.dumps({"Item": item, **condition}) + "\n" for item in items)
    _s3(lab).put_object(Bucket=bucket, Key=key, Body=body.encode())
    return key


@dataclass
class BulkPutReport:
    """What a StartBulkPutItems operation did (DescribeBulkOperation), and where its failure report is."""

    status: str
    processed_items: int
    failed_items: int
    put_bytes: int
    seconds: float
    arn: str = field(repr=False)
    max_write_request_units: int | None = None

    @property
    def stand_in(self) -> bool:
        from dynalab.fidelity.bulk_put import STAND_IN

        return STAND_IN.replace(" ", "-") in self.arn

    def __str__(self) -> str:
        who = tr(" (dynalab's stand-in for StartBulkPutItems)") if self.stand_in else ""
        rate = (tr(", at most {units} WRU/s", units=self.max_write_request_units)
                if self.max_write_request_units else "")
        return (tr("bulk put {status}{who}: {processed_items} items processed, {failed_items} failed (condition "
                   "failures are not counted as failed), {put_bytes:,} B written in {seconds:.2f} s{rate}",
                   status=self.status, who=who, processed_items=self.processed_items, failed_items=self.failed_items,
                   put_bytes=self.put_bytes, seconds=self.seconds, rate=rate))


def start_bulk_put(lab: Lab, table_name: str, bucket: str, prefix: str, *, compression: str = "NONE",
                   output_prefix: str = "bulk-put-reports", max_write_request_units: int | None = None,
                   output_types: tuple[str, ...] = ("ERROR", "CONDITION_CHECK_FAILURE")) -> str:
    """StartBulkPutItems from ``s3://bucket/prefix`` into the existing ``table_name``; returns the operation's ARN."""
    args: dict[str, Any] = {
        "TableName": table_name,
        "InputS3Configuration": {"S3Bucket": bucket, "S3KeyPrefix": prefix, "InputFormat": "DYNAMODB_JSON",
                                 "InputCompressionType": compression},
        "OutputS3Configuration": {"S3Bucket": bucket, "S3KeyPrefix": output_prefix,
                                  "OutputType": list(output_types)},
    }
    if max_write_request_units is not None:
        # here, before botocore checks the same minimum (its ParamValidationError is not one of dynalab's error kinds)
        args["MaxWriteRequestUnits"] = checks.number("max_write_request_units", max_write_request_units,
                                                     low=BULK_PUT_MIN_WRITE_REQUEST_UNITS, integer=True,
                                                     unit="WRU/s")
    return lab.client.start_bulk_put_items(**args)["BulkOperationDescription"]["BulkOperationArn"]


def wait_for_bulk_put(lab: Lab, arn: str, timeout_seconds: float = 120.0) -> BulkPutReport:
    """Poll DescribeBulkOperation until the operation ends; its counts as a ``BulkPutReport``."""
    final = _poll(lambda: lab.client.describe_bulk_operation(BulkOperationArn=arn)["BulkOperationDescription"],
                  lambda d: d["BulkOperationStatus"] not in ("IN_PROGRESS", "CANCELLING"), timeout_seconds,
                  tr("the bulk put"))
    usage = (final.get("BulkOperationUsage") or [{}])[0]
    seconds = (final["EndTime"] - final["StartTime"]).total_seconds() if final.get("EndTime") else 0.0
    return BulkPutReport(final["BulkOperationStatus"], int(final.get("ProcessedItemCount", 0)),
                         int(final.get("FailedItemCount", 0)), int(usage.get("BulkPutBytes", 0)), seconds, arn,
                         final.get("MaxWriteRequestUnits"))


def read_bulk_put_report(lab: Lab, report: BulkPutReport, bucket: str, output_prefix: str = "bulk-put-reports"
                         ) -> dict[str, list[dict]]:
    """The failure report a bulk put wrote to S3: output type → its entries (one dict per item not written)."""
    import json

    s3, base = _s3(lab), f"{output_prefix.rstrip('/')}/{report.arn.rsplit('/', 1)[-1]}"
    manifest = json.loads(s3.get_object(Bucket=bucket, Key=f"{base}/manifest.json")["Body"].read())
    return {entry["OutputType"]: [json.loads(line) for line in
                                  s3.get_object(Bucket=bucket, Key=entry["S3Key"])["Body"].read().decode().splitlines()]
            for entry in manifest["Files"]}


def copy_by_bulk_put(lab: Lab, source_table: str, copy_table: str, day: int, *, bucket: str = "dynalab-exports",
                     max_write_request_units: int | None = None, timeout_seconds: float = 120.0) -> BulkPutReport:
    """One day's batch: export ``source_table`` to S3, then StartBulkPutItems into ``copy_table``, which exists and
    stays (IaC can own it; created here with the source's keys if missing). Items deleted from the source since
    an earlier day stay in the copy: a bulk put only puts."""
    from dynalab.engine.streams import refuse_writing_into_source
    from dynalab.engine.tables import ensure_table, table_exists

    day, timeout_seconds = _check_s3_day(lab, source_table, copy_table, day, bucket, timeout_seconds)
    refuse_writing_into_source(lab, source_table, (copy_table,), "copy_by_bulk_put")
    if not table_exists(lab, copy_table):
        source = lab.client.describe_table(TableName=source_table)["Table"]
        types = {d["AttributeName"]: d["AttributeType"] for d in source["AttributeDefinitions"]}
        keys = {k["KeyType"]: (k["AttributeName"], types[k["AttributeName"]]) for k in source["KeySchema"]}
        ensure_table(lab, copy_table, keys["HASH"], keys.get("RANGE"), creator="copy_by_bulk_put")
    data = export_to_s3(lab, source_table, bucket, f"{source_table}/bulk-day{day}", timeout_seconds=timeout_seconds)
    arn = start_bulk_put(lab, copy_table, bucket, data, compression="GZIP",
                         max_write_request_units=max_write_request_units)
    return wait_for_bulk_put(lab, arn, timeout_seconds)
