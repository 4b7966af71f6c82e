"""``dynalab.cleanup(lab)`` / ``dynalab cleanup [--yes]``: delete what dynalab created on AWS, and only that.

What dynalab creates carries the connection's prefix (``lab.table_prefix``: ``DYNALAB_AWS_PREFIX``, default
``dynalab-``; the AWS guard refuses any other name), so the prefix is the record: tables, their on-demand backups
(``copy_by_restore`` makes some) and the Lambda event source mappings on their streams; SQS queues, S3 buckets (with
their objects) and Kinesis streams (with their registered consumers) whose names start with it. Nothing else is
touched. A service this account may not list (no permission) is reported, not guessed at. Afterwards it lists what
remains: dynalab's resources still being deleted, and the tables it left alone because they are not its own.

On a local engine the tables go with the engine; ``cleanup`` works there too, on the embedded engine only (an
engine you started yourself may hold tables that are not the lessons').
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from dynalab.engine import Lab, _client_args, _session, check_lab
from dynalab.engine.global_tables import remove_replicas
from dynalab.i18n import N_, tr
from dynalab.models import checks

__all__ = ["CleanupReport", "cleanup"]


@dataclass
class CleanupReport:
    """What ``cleanup`` found and did; each entry reads "kind name"."""

    prefix: str
    created: list[str] = field(default_factory=list)  # dynalab's own, found
    deleted: list[str] = field(default_factory=list)
    remaining: list[str] = field(default_factory=list)  # dynalab's own still there after the deletes
    others: list[str] = field(default_factory=list)  # tables without the prefix: not dynalab's, left alone
    not_checked: list[str] = field(default_factory=list)  # services this account would not let dynalab list

    def summary(self) -> str:
        lines = [tr("dynalab cleanup (prefix {prefix!r}): found {count} resources dynalab created:", prefix=self.prefix,
                    count=len(self.created)) if self.created else
                 tr("dynalab cleanup (prefix {prefix!r}): found {count} resources dynalab created.", prefix=self.prefix,
                    count=len(self.created))]
        lines += [tr("  deleted: {name}", name=name) if name in self.deleted else tr("  found: {name}", name=name)
                  for name in self.created]
        lines.append(tr("remaining that dynalab created: {names}", names=", ".join(self.remaining))
                     if self.remaining else tr("remaining that dynalab created: none"))
        lines.append(tr("tables left alone (not dynalab's): {names}", names=", ".join(self.others))
                     if self.others else tr("tables left alone (not dynalab's): none"))
        lines += [tr("not checked: {name}", name=name) for name in self.not_checked]
        return "\n".join(lines)


def _client(lab: Lab, service: str) -> Any:
    # A plain client on the lab's endpoint and credentials: the fidelity layer is DynamoDB's, not these services'.
    return _session(lab.is_aws).client(service, **_client_args(lab.endpoint_url, lab.is_aws))


def _listing(report: CleanupReport, what: str, lister: Callable[[], list[str]], table: str = "") -> list[str]:
    try:
        return lister()
    except (ClientError, BotoCoreError) as error:
        code = error.response["Error"].get("Code") if isinstance(error, ClientError) else type(error).__name__
        report.not_checked.append(tr("{what} ({code})", what=tr(what, table=table), code=code))
        return []


def _all_tables(lab: Lab) -> list[str]:
    names, start = [], None
    while True:
        page = lab.client.list_tables(**({"ExclusiveStartTableName": start} if start else {}))
        names += page.get("TableNames", [])
        start = page.get("LastEvaluatedTableName")
        if not start:
            return names


def _resources(lab: Lab, report: CleanupReport) -> list[tuple[str, str, Callable[[], None]]]:
    """(kind, name, delete) for everything carrying the prefix, found service by service."""
    prefix = lab.table_prefix
    found: list[tuple[str, str, Callable[[], None]]] = []
    tables = [name for name in _all_tables(lab) if name.startswith(prefix)]
    for table in tables:
        for backup in _listing(report, N_("backups of {table}"), lambda t=table: [
                each["BackupArn"] for each in lab.client.list_backups(TableName=t).get("BackupSummaries", [])],
                table):
            found.append((N_("backup {name}"), backup, lambda arn=backup: lab.client.delete_backup(BackupArn=arn)))
    if lab.is_aws:
        functions = _client(lab, "lambda")
        stream_parts = tuple(f":table/{table}/stream/" for table in tables)
        for uuid, arn in _listing(report, N_("Lambda event source mappings"), lambda: [
                (each["UUID"], each.get("EventSourceArn", ""))
                for page in functions.get_paginator("list_event_source_mappings").paginate()
                for each in page["EventSourceMappings"]]):
            if any(part in arn for part in stream_parts):
                found.append((N_("event source mapping {name}"), f"{uuid} ({arn})",
                              lambda u=uuid: functions.delete_event_source_mapping(UUID=u)))
        queues = _client(lab, "sqs")
        for url in _listing(report, N_("SQS queues"), lambda: queues.list_queues(QueueNamePrefix=prefix).get(
                "QueueUrls", [])):
            found.append((N_("queue {name}"), url, lambda u=url: queues.delete_queue(QueueUrl=u)))
        storage = _client(lab, "s3")

        def empty_and_delete(bucket: str) -> None:
            for page in storage.get_paginator("list_object_versions").paginate(Bucket=bucket):
                doomed = [{"Key": each["Key"], "VersionId": each["VersionId"]}
                          for each in page.get("Versions", []) + page.get("DeleteMarkers", [])]
                if doomed:
                    storage.delete_objects(Bucket=bucket, Delete={"Objects": doomed, "Quiet": True})
            storage.delete_bucket(Bucket=bucket)

        for bucket in _listing(report, N_("S3 buckets"), lambda: [
                each["Name"] for each in storage.list_buckets().get("Buckets", []) if each["Name"].startswith(prefix)]):
            found.append((N_("S3 bucket and its objects {name}"), bucket, lambda b=bucket: empty_and_delete(b)))
        kinesis = _client(lab, "kinesis")
        for stream in _listing(report, N_("Kinesis streams"), lambda: [
                name for page in kinesis.get_paginator("list_streams").paginate() for name in page["StreamNames"]
                if name.startswith(prefix)]):
            # EnforceConsumerDeletion deregisters the stream's consumers with it
            found.append((N_("Kinesis stream and its consumers {name}"), stream,
                          lambda s=stream: kinesis.delete_stream(StreamName=s, EnforceConsumerDeletion=True)))
    # tables last: a mapping or a backup of a table goes first
    # a global table's other replicas go first (DynamoDB refuses DeleteTable of a replica that sourced another)
    found += [(N_("table {name}"), table,
               lambda t=table: (remove_replicas(lab, t), lab.client.delete_table(TableName=t))) for table in tables]
    return found


def cleanup(lab: Lab, *, delete: bool = True, show: bool = True, timeout_seconds: float = 300.0) -> CleanupReport:
    """List what dynalab created on this connection (names with ``lab.table_prefix``) and, with ``delete``, delete
    it; wait for the tables to go, then report what remains. Prints the report unless ``show=False``."""
    check_lab(lab)
    delete = checks.flag("delete", delete)
    show = checks.flag("show", show)
    timeout_seconds = checks.number("timeout_seconds", timeout_seconds, low=0, high=3600, low_open=True,
                                    unit="seconds")
    if not lab.is_aws and not lab.embedded:
        raise ValueError(tr("cleanup works on AWS (DYNALAB_ENDPOINT=aws) or the embedded engine; {url} is "
                            "an engine you started, which may hold tables that are not the lessons': delete them there",
                            url=lab.endpoint_url))
    if not lab.owns_table(lab.table_prefix + "x") or (lab.is_aws and not lab.table_prefix):
        raise ValueError(tr("cleanup needs the connection's prefix, got {prefix!r}", prefix=lab.table_prefix))
    report = CleanupReport(lab.table_prefix)
    found = _resources(lab, report)
    report.created = [tr(kind, name=name) for kind, name, _ in found]
    if delete:
        refused: set[str] = set()
        for kind, name, remove in found:
            try:
                remove()
                report.deleted.append(tr(kind, name=name))
            except ClientError as error:
                if error.response["Error"]["Code"] not in ("ResourceNotFoundException", "NoSuchBucket"):
                    refused.add(name)
                    report.not_checked.append(tr("{entry}: not deleted ({code})", entry=tr(kind, name=name),
                                                 code=error.response['Error']['Code']))
        deadline = time.monotonic() + timeout_seconds
        # wait for the tables whose deletion was accepted (one DynamoDB refused will not go)
        while time.monotonic() < deadline and any(name.startswith(lab.table_prefix) and name not in refused
                                                  for name in _all_tables(lab)):
            time.sleep(0.5)  # DeleteTable returns at once; the table goes when DynamoDB is done with it
    after = _all_tables(lab)
    report.remaining = [tr("table {name}", name=name) for name in after if name.startswith(lab.table_prefix)]
    report.others = [name for name in after if not name.startswith(lab.table_prefix)]
    if show:
        print(report.summary(), flush=True)
    return report
