"""Global tables in the embedded engine: a WSGI layer in front of moto's server (which has none).

``install(app, lock)`` (from ``_process.main``) wraps moto's application. A request's Region is the one its
signature names, as on AWS, and picks moto's backend for that Region; this layer adds what DynamoDB does there:

* ``UpdateTable(ReplicaUpdates=[{"Create": {"RegionName": ...}}], MultiRegionConsistency=...,
  GlobalTableWitnessUpdates=...)`` makes a table global, adds and removes replicas and the witness, with AWS's
  rules (``dynalab.models.global_tables``); an MREC replica gets a stream (NEW_AND_OLD_IMAGES when the table had
  none), a new replica the table's items. ``CreateTable`` takes no replicas on AWS, so none here.
* ``DescribeTable`` in any replica's Region shows ``Replicas`` (each with its ``ReplicaStatus``),
  ``GlobalTableVersion``, ``MultiRegionConsistency`` and ``GlobalTableWitnesses``; ``TableStatus`` is UPDATING
  while a replica is CREATING (``replica_creation_seconds``).
* Writes replicate (``dynalab.engine._replication``); MRSC refuses transactions, TTL, a write in flight elsewhere
  (ReplicatedWriteConflictException) and, without a quorum, writes and strongly consistent reads (HTTP 500);
  GSI, billing and TTL changes made in one Region reach the others; an MREC replica's stream cannot be disabled;
  DeleteTable of a replica that sourced another in the last 24 hours is refused.

The control endpoint ``/dynalab/global-tables`` (GET: the state; POST a JSON object: ``replication_lag_seconds``,
``round_trip_seconds``, ``replica_creation_seconds``, ``isolated_regions``) is how dynalab, or anyone with an HTTP
client, sets the lag and isolates a Region (``dynalab.engine.global_tables`` calls it). With no global table in the
engine, requests pass through untouched (one header read).
"""

from __future__ import annotations

import copy
import functools
import io
import json
import math
import os
import re
import time
import uuid
import zlib
from collections.abc import Iterable
from typing import Any

from dynalab.engine._replication import (
    SETTING_RANGES,
    Group,
    Replica,
    Replicator,
    capture,
    install_capture,
    publish_replication_latency,
    stop_capture,
)
from dynalab.fidelity.requests import accesses, tables_named
from dynalab.models.global_tables import (
    MRSC_DELETE_PAIR,
    MRSC_TTL,
    GlobalTableRuleError,
    GroupState,
    ReplicaPlan,
    plan_replica_updates,
)
from dynalab.models.quotas import GLOBAL_TABLE_VERSION, REPLICA_SOURCE_DELETE_WAIT_SECONDS

__all__ = ["CONTROL_PATH", "GlobalTablesApp", "install"]

CONTROL_PATH = "/dynalab/global-tables"
_TARGET = "DynamoDB_20120810."
_ERROR = "com.amazonaws.dynamodb.v20120810#"
_WRITES = frozenset({"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems",
                     "ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"})
_TRANSACTIONS = frozenset({"TransactWriteItems", "TransactGetItems", "ExecuteTransaction"})
_REPLICA_PARAMETERS = ("ReplicaUpdates", "GlobalTableWitnessUpdates", "MultiRegionConsistency")
_PARTIQL_TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+"?([A-Za-z0-9_.-]+)"?', re.IGNORECASE)

#: DynamoDB's measured answer to DeleteTable on a replica that sourced a new one within 24 hours
#: (go-to-k/cdkd#1442, 2026) [src:replica-source-24-hours].
SOURCE_REPLICA_DELETE = ("Replica cannot be deleted because it has acted as a source region for new replica(s) being "
                         "added to the table in the last 24 hours.")
#: ReplicatedWriteConflictException: the API reference's description of the exception, with HTTP status 409 (botocore's
#: retry rules for DynamoDB expect it so: the SDKs retry it by themselves) [src:mrsc-write-conflict].
WRITE_CONFLICT = ("The request was rejected because one or more items in the request are being modified by a "
                  "request in another Region.")
MRSC_TRANSACTIONS = ("Global tables configured for multi-Region strong consistency (MRSC) do not support transaction "
                     "operations.")
STREAM_REQUIRED = ("Disabling or changing the stream of a replica is not allowed: streams are enabled on every replica "
                   "of an MREC Global Table and cannot be disabled.")
#: "The table name for each global table must be unique within your AWS account" (V2globaltables_reqs_bestpractices).
ONE_NAME_PER_ACCOUNT = ("The table name for each global table must be unique within your AWS account: {table} is "
                        "already a global table in {regions}.")
MULTI_ACCOUNT = ("GlobalTableSourceArn (a multi-account global table's replica) is not modelled by dynalab's engine: "
                 "it keeps global tables within one account; add replicas with UpdateTable(ReplicaUpdates=...).")
NO_QUORUM = ("Internal server error (dynalab: {region} cannot reach a second Region of this MRSC global table, so it "
             "serves only eventually consistent reads; AWS answers writes and strongly consistent reads there with "
             "an HTTP 500).")


class _Refusal(Exception):
    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status


def install(app: Any, lock: Any) -> GlobalTablesApp:
    """Wrap moto's WSGI application with global tables; ``lock`` is the engine's one lock around moto's operations."""
    install_capture()
    replicator = Replicator(lock)
    replicator.listeners.append(publish_replication_latency)  # CloudWatch's ReplicationLatency, per Region pair
    return GlobalTablesApp(app, replicator)


@functools.cache
def known_regions() -> frozenset[str]:
    """The Regions where DynamoDB is available (botocore's endpoint data, aws partition)."""
    import boto3

    return frozenset(boto3.session.Session().get_available_regions("dynamodb"))


def _region(environ: dict) -> str:
    """The request's Region, found as moto finds it: the host, the user agent, then the signature's scope."""
    host = re.search(r"\.([^.]+)\.amazonaws\.com", environ.get("HTTP_HOST", ""))
    if host:
        return host.group(1)
    agent = re.search(r"region/([a-z]{2}-[a-z]+-\d)", environ.get("HTTP_USER_AGENT", ""))
    if agent:
        return agent.group(1)
    authorization = environ.get("HTTP_AUTHORIZATION", "")
    if "AWS4" in authorization and authorization.count("/") >= 2:
        return authorization.split(",")[0].split("/")[2]
    return "us-east-1"


def _account(environ: dict) -> str:
    """The request's account, as moto finds it (MOTO_ACCOUNT_ID, its header, else the access key's account)."""
    if "MOTO_ACCOUNT_ID" in os.environ:
        return os.environ["MOTO_ACCOUNT_ID"]
    if environ.get("HTTP_X_MOTO_ACCOUNT_ID"):
        return environ["HTTP_X_MOTO_ACCOUNT_ID"]
    from moto.iam.models import get_account_id_from

    key = re.search(r"Credential=(\w+)/", environ.get("HTTP_AUTHORIZATION", ""))
    return get_account_id_from(key.group(1) if key else "AKIAEXAMPLE")


def _statements(operation: str, request: dict) -> list[str]:
    if operation == "ExecuteStatement":
        return [request.get("Statement") or ""]
    listed = request.get("Statements") if operation == "BatchExecuteStatement" else request.get("TransactStatements")
    return [each.get("Statement") or "" for each in listed or [] if isinstance(each, dict)]


def _tables(operation: str, request: dict) -> set[str]:
    if operation in ("ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"):
        return {match for text in _statements(operation, request) for match in _PARTIQL_TABLE.findall(str(text))}
    return tables_named(request)


def _consistent(operation: str, request: dict) -> bool:
    if operation == "BatchGetItem":
        return any(isinstance(spec, dict) and spec.get("ConsistentRead") is True
                   for spec in (request.get("RequestItems") or {}).values())
    return request.get("ConsistentRead") is True


class GlobalTablesApp:
    """moto's WSGI application with global tables in front of it."""

    def __init__(self, app: Any, replicator: Replicator) -> None:
        self.app = app
        self.replicator = replicator
        self.lock = replicator.lock

    # -- WSGI ------------------------------------------------------------------------------------------------------

    def __call__(self, environ: dict, start_response: Any) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == CONTROL_PATH:
            return self._control(environ, start_response)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if not target.startswith(_TARGET):
            return self.app(environ, start_response)
        operation = target[len(_TARGET):]
        if not self.replicator.groups and operation not in ("UpdateTable", "CreateTable"):
            return self.app(environ, start_response)  # no global table: nothing to add
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            request = None
        if not isinstance(request, dict):
            return self.app(environ, start_response)
        try:
            return self._dispatch(operation, request, body, environ, start_response)
        except _Refusal as refusal:
            return _error(start_response, refusal.code, refusal.message, refusal.status)

    def _call(self, environ: dict, body: bytes, target: str | None = None) -> tuple[str, list, bytes]:
        """moto's answer to a request (``target``: another operation on the same signature and Region)."""
        environ = dict(environ, CONTENT_LENGTH=str(len(body)))
        environ["wsgi.input"] = io.BytesIO(body)
        if target is not None:
            environ["HTTP_X_AMZ_TARGET"] = _TARGET + target
        answer: dict[str, Any] = {}
        chunks: list[bytes] = []

        def start(status: str, headers: list, exc_info: Any = None) -> Any:
            answer["status"], answer["headers"] = status, headers
            return chunks.append

        result = self.app(environ, start)
        try:
            chunks.extend(result)
        finally:
            getattr(result, "close", lambda: None)()
        return answer["status"], answer["headers"], b"".join(chunks)

    def _dispatch(self, operation: str, request: dict, body: bytes, environ: dict,
                  start_response: Any) -> Iterable[bytes]:
        region, account = _region(environ), _account(environ)
        if operation == "CreateTable" and request.get("GlobalTableSourceArn"):
            raise _Refusal("ValidationException", MULTI_ACCOUNT)
        if operation == "UpdateTable" and any(name in request for name in _REPLICA_PARAMETERS):
            return self._update_replicas(request, region, account, environ, start_response)
        groups = {name: group for name in _tables(operation, request)
                  if (group := self.replicator.group_of(account, name, region)) is not None}
        if not groups:
            return self.app(environ, start_response)
        handler = {"DescribeTable": self._describe, "DeleteTable": self._delete_table,
                   "UpdateTable": self._update_table, "UpdateTimeToLive": self._update_ttl}.get(operation)
        if handler is not None:
            return handler(request, body, region, groups, environ, start_response)
        strong = [group for group in groups.values() if group.strong]
        if strong and operation in _TRANSACTIONS:
            raise _Refusal("ValidationException", MRSC_TRANSACTIONS)
        if operation in _WRITES:
            return self._write(operation, request, body, region, strong, environ, start_response)
        if strong and _consistent(operation, request):
            with self.lock:
                self._check_quorum(strong, region)
            time.sleep(self.replicator.settings["round_trip_seconds"])  # a strong read asks another Region
        return self.app(environ, start_response)

    # -- data -------------------------------------------------------------------------------------------------------

    def _check_quorum(self, strong: list[Group], region: str) -> None:
        if any(not self.replicator.has_quorum(group, region) for group in strong):
            raise _Refusal("InternalServerError", NO_QUORUM.format(region=region), status=500)

    def _write(self, operation: str, request: dict, body: bytes, region: str, strong: list[Group], environ: dict,
               start_response: Any) -> Iterable[bytes]:
        with self.lock:
            self._check_quorum(strong, region)
            for access in accesses(operation, request):
                group = next((g for g in strong if g.table == access.table), None)
                table = self.replicator.table(group.account, region, group.table) if group else None
                if group is None or table is None or not access.is_write:
                    continue
                key, _ = self.replicator.key_of(table, dict(access.key))
                if self.replicator.conflicting_region(group, region, key) is not None:
                    raise _Refusal("ReplicatedWriteConflictException", WRITE_CONFLICT, status=409)
            capture()
            try:
                status, headers, answer = self._call(environ, body)
            finally:
                changes = stop_capture()
            if status.startswith("200"):
                self.replicator.local_writes(changes)
        if strong and status.startswith("200"):
            time.sleep(self.replicator.settings["round_trip_seconds"])  # acknowledged once another Region has it
        return _respond(start_response, status, headers, answer)

    # -- control plane on a global table ----------------------------------------------------------------------------

    def _describe(self, request: dict, body: bytes, region: str, groups: dict[str, Group], environ: dict,
                  start_response: Any) -> Iterable[bytes]:
        status, headers, answer = self._call(environ, body)
        if status.startswith("200"):
            answer = self._augmented(answer, "Table", groups[request["TableName"]])
        return _respond(start_response, status, headers, answer)

    def _augmented(self, answer: bytes, field: str, group: Group | None) -> bytes:
        description = json.loads(answer)
        if group is not None:
            with self.lock:
                self._describe_group(description[field], group)
        return json.dumps(description).encode()

    @staticmethod
    def _describe_group(table: dict, group: Group, plan: ReplicaPlan | None = None) -> None:
        """Add the group to a table's description; ``plan``: the UpdateTable that just started it (its answer shows
        the replicas it creates as CREATING and the table UPDATING, however fast the engine is)."""
        now = time.monotonic()
        started = set(plan.create) | {plan.witness_create} if plan is not None else set()
        table["Replicas"] = [{"RegionName": region, "ReplicaStatus": "ACTIVE" if now >= replica.active_at
                              and region not in started else "CREATING"} for region, replica in group.replicas.items()]
        table["GlobalTableVersion"] = GLOBAL_TABLE_VERSION
        table["MultiRegionConsistency"] = group.consistency
        if group.witness:
            table["GlobalTableWitnesses"] = [{"RegionName": group.witness, "WitnessStatus": "ACTIVE"
                                              if now >= group.witness_active_at and group.witness not in started
                                              else "CREATING"}]
        if now < group.updating_until or (plan is not None and (plan.create or plan.delete or plan.witness_create
                                                                or plan.witness_delete)):
            table["TableStatus"] = "UPDATING"

    def _delete_table(self, request: dict, body: bytes, region: str, groups: dict[str, Group], environ: dict,
                      start_response: Any) -> Iterable[bytes]:
        group = groups[request["TableName"]]
        with self.lock:
            if group.strong:
                raise _Refusal("ValidationException", MRSC_DELETE_PAIR)
            if time.time() - group.sourced_at.get(region, -math.inf) < REPLICA_SOURCE_DELETE_WAIT_SECONDS:
                raise _Refusal("ValidationException", SOURCE_REPLICA_DELETE)
            status, headers, answer = self._call(environ, body)
            if status.startswith("200"):
                self._leave(group, region)
        return _respond(start_response, status, headers, answer)

    def _leave(self, group: Group, region: str) -> None:
        self.replicator.forget_region(group, region)
        group.replicas.pop(region, None)
        if len(group.replicas) <= 1:  # the one left is a single-Region table again (its stream stays)
            self.replicator.groups.pop((group.account, group.table), None)

    def _update_table(self, request: dict, body: bytes, region: str, groups: dict[str, Group], environ: dict,
                      start_response: Any) -> Iterable[bytes]:
        group = groups[request["TableName"]]
        streams = request.get("StreamSpecification")
        with self.lock:
            if isinstance(streams, dict) and streams.get("StreamEnabled") is False and not group.strong:
                raise _Refusal("ValidationException", STREAM_REQUIRED)
            status, headers, answer = self._call(environ, body)
            if status.startswith("200"):
                # settings always synchronized (HowItWorks "Settings synchronization"): GSIs, capacity mode, writes
                for other in group.replicas:
                    if other != region and self.replicator.table(group.account, other, group.table) is not None:
                        self._backend(group.account, other).update_table(
                            group.table, request.get("AttributeDefinitions"),
                            request.get("GlobalSecondaryIndexUpdates"), request.get("ProvisionedThroughput"),
                            request.get("BillingMode"), None, None, None)
        if status.startswith("200"):
            answer = self._augmented(answer, "TableDescription", group)
        return _respond(start_response, status, headers, answer)

    def _update_ttl(self, request: dict, body: bytes, region: str, groups: dict[str, Group], environ: dict,
                    start_response: Any) -> Iterable[bytes]:
        group = groups[request["TableName"]]
        with self.lock:
            if group.strong:
                raise _Refusal("ValidationException", MRSC_TTL)
            status, headers, answer = self._call(environ, body)
            source = self.replicator.table(group.account, region, group.table)
            if status.startswith("200") and source is not None:
                for other in group.replicas:  # "TTL settings are automatically synchronized for all replicas"
                    table = self.replicator.table(group.account, other, group.table)
                    if other != region and table is not None:
                        table.ttl = copy.deepcopy(source.ttl)
        return _respond(start_response, status, headers, answer)

    @staticmethod
    def _backend(account: str, region: str) -> Any:
        from moto.dynamodb.models import dynamodb_backends

        return dynamodb_backends[account][region]

    # -- replica updates ----------------------------------------------------------------------------------------------

    def _update_replicas(self, request: dict, region: str, account: str, environ: dict,
                         start_response: Any) -> Iterable[bytes]:
        name = request.get("TableName")
        with self.lock:
            table = self.replicator.table(account, region, name) if isinstance(name, str) else None
            if table is None:
                raise _Refusal("ResourceNotFoundException", f"Requested resource not found: Table: {name} not found")
            group = self.replicator.groups.get((account, name))
            if group is not None and region not in group.replicas:  # a same-named table that is not a replica
                raise _Refusal("ValidationException", ONE_NAME_PER_ACCOUNT.format(table=name, regions=", ".join(
                    group.replicas)))
            try:
                plan = plan_replica_updates(self._state(table, group, region, account, request),
                                            _list(request, "ReplicaUpdates"),
                                            _list(request, "GlobalTableWitnessUpdates"),
                                            request.get("MultiRegionConsistency"), known_regions=known_regions())
            except GlobalTableRuleError as error:
                raise _Refusal(error.code, error.message) from None
            others = {key: value for key, value in request.items() if key not in _REPLICA_PARAMETERS}
            if len(others) > 1:  # the same UpdateTable also changes other settings: moto's part first
                status, headers, answer = self._call(environ, json.dumps(others).encode())
                if not status.startswith("200"):
                    return _respond(start_response, status, headers, answer)
            self._apply(plan, table, group, region, account)
            status, headers, answer = self._call(environ, json.dumps({"TableName": name}).encode(), "DescribeTable")
            group = self.replicator.group_of(account, name, region)
            description = json.loads(answer)
            if "Table" in description:
                description = {"TableDescription": description["Table"]}
                if group is not None:
                    self._describe_group(description["TableDescription"], group, plan)
        return _respond(start_response, status, headers, json.dumps(description).encode())

    def _state(self, table: Any, group: Group | None, region: str, account: str, request: dict) -> GroupState:
        wanted = [update.get("Create", {}).get("RegionName") for update in _list(request, "ReplicaUpdates")
                  if isinstance(update, dict) and isinstance(update.get("Create"), dict)]
        taken = frozenset(other for other in wanted if isinstance(other, str) and other in known_regions()
                          and (group is None or other not in group.replicas)
                          and self.replicator.table(account, other, table.name) is not None)
        return GroupState(
            table=table.name, local_region=region,
            replicas=tuple(group.replicas) if group else (), witness=group.witness if group else None,
            consistency=group.consistency if group else None, item_count=len(table),
            has_local_secondary_indexes=bool(table.indexes),
            ttl_enabled=(table.ttl or {}).get("TimeToLiveStatus") in ("ENABLED", "ENABLING"),
            taken_regions=taken)

    def _apply(self, plan: ReplicaPlan, table: Any, group: Group | None, region: str, account: str) -> None:
        """Carry out an allowed plan (under the lock)."""
        now = time.monotonic()
        creation = self.replicator.settings["replica_creation_seconds"]
        if group is None:
            if not plan.create:
                return
            group = Group(account, table.name, plan.consistency, {region: Replica(region, now)})
            self.replicator.groups[(account, table.name)] = group
            if not group.strong and not (table.stream_specification or {}).get("StreamEnabled"):
                # "Streams are therefore enabled by default on all replicas in an MREC global table"
                table.set_stream_specification({"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        for target in plan.create:
            self._create_replica(table, group, target, now + creation)
        if plan.create:
            group.sourced_at[region] = time.time()
        if plan.witness_create:
            group.witness, group.witness_active_at = plan.witness_create, now + creation
        for target in plan.delete:
            backend = self._backend(account, target)
            if table.name in backend.tables:
                backend.delete_table(table.name)
            self._leave(group, target)
        if plan.witness_delete:
            group.witness = None
        if plan.dissolves:
            self.replicator.groups.pop((account, table.name), None)
        elif plan.create or plan.delete or plan.witness_create or plan.witness_delete:
            group.updating_until = now + creation

    def _create_replica(self, source: Any, group: Group, region: str, active_at: float) -> None:
        """A replica in ``region``: the source's schema, indexes, capacity mode, TTL, (MREC) stream and items."""
        streams = copy.deepcopy(source.stream_specification) if not group.strong else None
        if streams is not None and not streams.get("StreamEnabled"):
            streams = None
        replica = self._backend(group.account, region).create_table(
            name=source.name, schema=copy.deepcopy(source.schema), throughput=copy.deepcopy(source.throughput),
            attr=copy.deepcopy(source.attr), global_indexes=[index.describe() for index in source.global_indexes],
            indexes=[index.describe() for index in source.indexes], streams=streams,
            billing_mode=source.billing_mode, sse_specification=None, tags=[], deletion_protection_enabled=False,
            warm_throughput=None)
        replica.ttl = copy.deepcopy(source.ttl)
        group.replicas[region] = Replica(region, active_at)
        for item in source.all_items():  # the initial sync: the new replica starts with the table's items
            attributes = copy.deepcopy(item.to_json()["Attributes"])
            replica.put_item(attributes, overwrite=True)
            key, _ = self.replicator.key_of(source, attributes)
            stamp = group.stamps.get((source.region_name, key)) or self.replicator._stamp()
            group.stamps[(source.region_name, key)] = group.stamps[(region, key)] = stamp

    # -- the control endpoint ----------------------------------------------------------------------------------------

    def _control(self, environ: dict, start_response: Any) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method == "POST":
            try:
                body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
                self._set(json.loads(body or b"{}"))
            except (ValueError, TypeError) as error:
                return _json(start_response, "400 Bad Request", {"message": str(error)})
        elif method != "GET":
            return _json(start_response, "405 Method Not Allowed", {"message": "GET or POST"})
        with self.lock:
            return _json(start_response, "200 OK", self.replicator.state())

    def _set(self, settings: Any) -> None:
        """Apply a POSTed settings object, all or nothing (a bad value names itself and its range)."""
        if not isinstance(settings, dict):
            raise TypeError(f"the body must be a JSON object; got {type(settings).__name__}")
        allowed = [*SETTING_RANGES, "isolated_regions"]
        numbers: dict[str, float] = {}
        for name, value in settings.items():
            if name not in allowed:
                raise ValueError(f"unknown setting {name!r}; the settings are {', '.join(allowed)}")
            if name == "isolated_regions":
                continue
            low, high = SETTING_RANGES[name]
            if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
                raise ValueError(f"{name} must be a number from {low:g} to {high:g} seconds; got {value!r}")
            numbers[name] = float(value)
        isolated = settings.get("isolated_regions")
        if isolated is not None and (not isinstance(isolated, list) or any(
                not isinstance(region, str) or region not in known_regions() for region in isolated)):
            raise ValueError(f"isolated_regions must be a list of AWS Regions (e.g. ['us-west-2']); got {isolated!r}")
        with self.lock:
            self.replicator.settings.update(numbers)
            if isolated is not None:
                self.replicator.set_isolated(set(isolated))


def _list(request: dict, name: str) -> list:
    value = request.get(name)
    return value if isinstance(value, list) else []


def _respond(start_response: Any, status: str, headers: list, body: bytes) -> list[bytes]:
    """Send an answer whose body may have changed: its length and DynamoDB's CRC32 header follow the body."""
    fixed = [(name, value) for name, value in headers if name.lower() not in ("content-length", "x-amz-crc32")]
    fixed.append(("Content-Length", str(len(body))))
    if any(name.lower() == "x-amz-crc32" for name, _ in headers):
        fixed.append(("x-amz-crc32", str(zlib.crc32(body) & 0xFFFFFFFF)))
    start_response(status, fixed)
    return [body]


def _error(start_response: Any, code: str, message: str, status: int = 400) -> list[bytes]:
    body = json.dumps({"__type": _ERROR + code, "message": message}).encode()
    line = {500: "500 Internal Server Error", 409: "409 Conflict"}.get(status, "400 Bad Request")
    return _respond(start_response, line, [("Content-Type", "application/x-amz-json-1.0"),
                                           ("x-amzn-RequestId", str(uuid.uuid4()))], body)


def _json(start_response: Any, status: str, value: Any) -> list[bytes]:
    return _respond(start_response, status, [("Content-Type", "application/json")], json.dumps(value).encode())
