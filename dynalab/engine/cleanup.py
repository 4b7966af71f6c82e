"""``dynalab.cleanup(lab)`` / ``dynalab cleanup [--yes]``: delete what dynalab created on AWS, and only that.

What dynalab creates carries the connection's prefix (``lab.table_prefix``: ``DYNALAB_AWS_PREFIX``, default
``dynalab-``; the AWS guard refuses any other name), and every table it creates is also tagged with its creator and
owner (``dynalab.engine.ownership``). Deleted: the prefixed tables tagged as created by dynalab for this owner (the
prefix; an instructor's ``dynalab-`` also sweeps each learner's ``dynalab-<name>-``), their on-demand backups
(``copy_by_restore`` makes some) and the Lambda event source mappings on their streams; SQS queues, S3 buckets (with
their objects) and Kinesis streams (with their registered consumers) whose names start with the prefix. A prefixed
table without those tags (made by other means, or for another owner) is listed as left alone, never deleted. A
service this account may not list (no permission) is reported, not guessed at. Afterwards it lists what remains:
dynalab's resources still being deleted, and the tables it left alone.

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
from dynalab.engine.ownership import TableNotOursError, owned_by, ownership
from dynalab.engine.tables import delete_created_table
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
    #: tables with the prefix that dynalab did not create for this owner (no tags, or another owner's): left alone
    not_created: list[str] = field(default_factory=list)
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
        if self.not_created:
            lines.append(tr("tables with the prefix left alone (not created by dynalab for {owner}): {names}",
                            owner=self.prefix, names=", ".join(self.not_created)))
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
    tables = _own_tables(lab, report)
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
               lambda t=table: (remove_replicas(lab, t), _delete_own(lab, t))) for table in tables]
    return found


def _own_tables(lab: Lab, report: CleanupReport) -> list[str]:
    """The prefixed tables tagged as dynalab's for this owner (or, for an instructor's shorter prefix, for a learner
    under it); the other prefixed ones go to ``not_created``."""
    own = []
    for name in _all_tables(lab):
        if name.startswith(lab.table_prefix):
            found = ownership(lab, name)
            (own if found is not None and owned_by(found, lab.owner, sweep=True) else report.not_created).append(name)
    return own


def _delete_own(lab: Lab, table: str) -> None:
    # the one checked deletion (it reads the tags again: nothing is deleted on a stale listing)
    delete_created_table(lab, table, creators=None, action="cleanup", wait=False)


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
    owned = {name for kind, name, _ in found if kind == N_("table {name}")}
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
            except TableNotOursError as error:  # its tags changed since it was listed
                refused.add(name)
                report.not_checked.append(tr("{entry}: not deleted ({code})", entry=tr(kind, name=name),
                                             code=type(error).__name__))
        deadline = time.monotonic() + timeout_seconds
        # wait for the tables whose deletion was accepted (one DynamoDB refused will not go)
        while time.monotonic() < deadline and (owned - refused) & set(_all_tables(lab)):
            time.sleep(0.5)  # DeleteTable returns at once; the table goes when DynamoDB is done with it
    after = _all_tables(lab)
    report.remaining = [tr("table {name}", name=name) for name in after if name in owned]
    report.others = [name for name in after if not name.startswith(lab.table_prefix)]
    if show:
        print(report.summary(), flush=True)
    return report
