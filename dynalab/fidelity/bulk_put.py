"""dynalab's STAND-IN for DynamoDB's StartBulkPutItems / DescribeBulkOperation on local engines (moto has neither).

DynamoDB (2026 [src:bulk-put-existing-table]) "reads items from Amazon S3 and writes them to an existing DynamoDB
table": an asynchronous operation that reads DynamoDB JSON (or Ion) objects under an S3 prefix,
writes each item at up to ``MaxWriteRequestUnits`` write request units per second (at least 1,024), honours an
optional condition per item, and reports the items it did not write to an S3 output (``OutputType`` ``ERROR``:
malformed input, a missing or mistyped key, an item over 400 KB; ``CONDITION_CHECK_FAILURE``: the attempted item
and the existing one [src:bulk-put-output-types]). ``DescribeBulkOperation`` gives its status and counts. moto 5.2.5
implements none of it,
so this plugin answers the two operations itself (``before_send``) on a local engine, reading and writing the
engine's own S3 (moto serves S3 on the same endpoint). Everything it answers is labelled
``"dynalab stand-in"`` in the ARN; on AWS the request goes to DynamoDB.

What is DynamoDB's here: the request and response shapes (botocore 1.44's service model), the statuses and counts
(FailedItemCount excludes condition failures; COMPLETED_WITH_ERRORS only for ERROR items), the 1,024 minimum.
What is dynalab's reading, not checked against the service: the input line shape (one JSON object a line:
``{"Item": {...}}``, as S3 import and export write it, optionally with ``ConditionExpression``,
``ExpressionAttributeNames``, ``ExpressionAttributeValues`` beside ``Item``), and the report's key layout
(``<prefix>/<operation id>/ERROR/part-00000.json``, ``.../CONDITION_CHECK_FAILURE/part-00000.json``, and a
``manifest.json``), one JSON object a line. Only ``InputFormat`` DYNAMODB_JSON and compression NONE or GZIP are
served here; the rest is refused clearly. Writes are not metered (AWS bills bulk put by the bytes it writes:
``BulkOperationUsage``), and they go to the engine directly, so throttling does not apply to them.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from botocore.awsrequest import AWSResponse

from dynalab.fidelity import _RawResponse, error_response
from dynalab.fidelity.call import Call, Phase
from dynalab.i18n import tr
from dynalab.models.capacity import write_units
from dynalab.models.quotas import (
    BATCH_WRITE_MAX_REQUESTS,
    BULK_PUT_MIN_WRITE_REQUEST_UNITS,
    BULK_PUT_PERFORMANCE_TIERS,
    MAX_ITEM_SIZE_BYTES,
)
from dynalab.models.sizing import typed_item_size
from dynalab.models.token_bucket import TokenBucket

__all__ = ["STAND_IN", "BulkPutItems"]

STAND_IN = "dynalab stand-in"
_OPERATIONS = frozenset({"StartBulkPutItems", "DescribeBulkOperation"})
_OUTPUT_TYPES = ("ERROR", "CONDITION_CHECK_FAILURE")
_ACCOUNT = "123456789012"
_REGION = "us-east-1"


def _ok(body: dict) -> AWSResponse:
    headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "dynalab-bulk-put"}
    return AWSResponse("", 200, headers, _RawResponse(json.dumps(body, default=_json_default).encode()))


def _refuse(code: str, message: str) -> tuple[AWSResponse, list]:
    return error_response(code, message), []


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.timestamp()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


class _Operation:
    def __init__(self, arn: str, request: dict) -> None:
        self.arn = arn
        self.request = request
        self.status = "IN_PROGRESS"
        self.start_time = dt.datetime.now(dt.UTC)
        self.end_time: dt.datetime | None = None
        self.processed_items = 0
        self.failed_items = 0
        self.condition_failures = 0
        self.processed_bytes = 0
        self.total_bytes: int | None = None
        self.put_bytes = 0
        self.failure: tuple[str, str] | None = None
        self.done = threading.Event()
        self.original: dict = request
        self.key_schema: list[tuple[str, str]] = []

    def describe(self) -> dict:
        table = self.request["TableName"]
        description: dict[str, Any] = {
            "BulkOperationArn": self.arn, "BulkOperationStatus": self.status,
            "TableDetails": [{"TableName": table}],
            "InputS3Configuration": self.request["InputS3Configuration"],
            "OutputS3Configuration": self.request["OutputS3Configuration"],
            "StartTime": self.start_time, "ProcessedItemCount": self.processed_items,
            "ProcessedInputBytes": self.processed_bytes, "FailedItemCount": self.failed_items,
            "PerformanceTier": self.request.get("PerformanceTier", "STANDARD"),
            "BulkOperationUsage": [{"TableName": table, "BulkPutBytes": self.put_bytes,
                                    "Table": {"BulkPutBytes": self.put_bytes}}],
        }
        for name, value in (("ClientToken", self.request.get("ClientToken")),
                            ("MaxWriteRequestUnits", self.request.get("MaxWriteRequestUnits")),
                            ("TotalInputBytes", self.total_bytes), ("EndTime", self.end_time)):
            if value is not None:
                description[name] = value
        if self.failure is not None:
            description["FailureCode"], description["FailureMessage"] = self.failure
        return description


class BulkPutItems:
    """The fidelity plugin answering StartBulkPutItems and DescribeBulkOperation (see the module docstring).

    ``dynamodb`` is a client to the engine *without* the fidelity layer (the stand-in's own writes), ``s3`` a
    callable returning an S3 client to the engine's S3 (made on first use: most lessons never need it)."""

    phase = Phase.STAND_IN
    #: the only operations its ``before_send`` answers (see FidelityLayer._before_send)
    before_send_operations = _OPERATIONS

    def __init__(self, dynamodb: Any, s3: Callable[[], Any], *, sleep: Callable[[float], None] = time.sleep) -> None:
        self._dynamodb = dynamodb
        self._s3_factory = s3
        self._s3: Any = None
        self._sleep = sleep
        self._operations: dict[str, _Operation] = {}
        self._by_token: dict[str, _Operation] = {}
        self._lock = threading.Lock()

    @property
    def s3(self) -> Any:
        if self._s3 is None:
            self._s3 = self._s3_factory()
        return self._s3

    # -- the plugin hook ---------------------------------------------------------------------------------------
    def before_send(self, call: Call) -> AWSResponse | None:
        operation, body = call.operation, call.request
        if operation == "StartBulkPutItems":
            return self._start(body)
        if operation == "DescribeBulkOperation":
            found = self._operations.get(str(body.get("BulkOperationArn", "")))
            if found is None:
                return error_response("ResourceNotFoundException",
                                      f"Bulk operation not found: {body.get('BulkOperationArn')!r}")
            return _ok({"BulkOperationDescription": found.describe()})
        return None

    def wait(self, arn: str, timeout_seconds: float = 60.0) -> bool:
        """Block until the operation ends (True) or ``timeout_seconds`` pass (False). A dynalab convenience."""
        found = self._operations.get(arn)
        return found is not None and found.done.wait(timeout_seconds)

    # -- StartBulkPutItems -------------------------------------------------------------------------------------
    def _start(self, request: dict) -> AWSResponse:
        problem, key_schema = self._validate(request)
        if problem is not None:
            return problem
        token = request.get("ClientToken")
        with self._lock:
            if token and token in self._by_token:
                earlier = self._by_token[token]
                if earlier.original != request:
                    return error_response("IdempotentParameterMismatchException",
                                          "ClientToken was used before with different parameters")
                return _ok({"BulkOperationDescription": earlier.describe()})
            table = request["TableName"].rsplit("/", 1)[-1]
            arn = (f"arn:aws:dynamodb:{_REGION}:{_ACCOUNT}:table/{table}/bulk-operation/"
                   f"{uuid.uuid4()}-{STAND_IN.replace(' ', '-')}")
            found = _Operation(arn, {**request, "TableName": table})
            found.original, found.key_schema = request, key_schema
            self._operations[arn] = found
            if token:
                self._by_token[token] = found
        threading.Thread(target=self._run, args=(found,), name="dynalab-bulk-put", daemon=True).start()
        return _ok({"BulkOperationDescription": found.describe()})

    def _validate(self, request: dict) -> tuple[AWSResponse | None, list[tuple[str, str]]]:
        source = request.get("InputS3Configuration") or {}
        output = request.get("OutputS3Configuration") or {}
        if source.get("InputFormat") != "DYNAMODB_JSON":
            return _refuse("ValidationException", tr("{stand_in}: only InputFormat DYNAMODB_JSON is served "
                                                     "locally, got {format!r} (Ion needs the real service)",
                                                     stand_in=STAND_IN, format=source.get('InputFormat')))
        if source.get("InputCompressionType", "NONE") not in ("NONE", "GZIP"):
            return _refuse("ValidationException", tr("{stand_in}: InputCompressionType must be NONE or GZIP "
                                                     "locally, got {compression!r}", stand_in=STAND_IN,
                                                     compression=source.get('InputCompressionType')))
        units = request.get("MaxWriteRequestUnits")
        if units is not None and (not isinstance(units, int) or units < BULK_PUT_MIN_WRITE_REQUEST_UNITS):
            return _refuse("ValidationException", "1 validation error detected: Value at "
                                  f"'maxWriteRequestUnits' failed to satisfy constraint: Member must have value "
                                  f"greater than or equal to {BULK_PUT_MIN_WRITE_REQUEST_UNITS}")
        tier = request.get("PerformanceTier", "STANDARD")
        if tier not in BULK_PUT_PERFORMANCE_TIERS:  # two tiers at different prices [src:bulk-put-performance-tiers]
            return _refuse("ValidationException", f"1 validation error detected: Value '{tier}' at 'performanceTier' "
                                  f"failed to satisfy constraint: Member must satisfy enum value set: "
                                  f"[{', '.join(BULK_PUT_PERFORMANCE_TIERS)}]")
        kinds = output.get("OutputType") or []
        if not kinds or any(kind not in _OUTPUT_TYPES for kind in kinds):
            return _refuse("ValidationException", f"OutputType must hold one or both of "
                                  f"{', '.join(_OUTPUT_TYPES)}, got {kinds!r}")
        table = str(request.get("TableName", "")).rsplit("/", 1)[-1]
        try:
            description = self._dynamodb.describe_table(TableName=table)["Table"]
        except Exception:  # noqa: BLE001  (the engine's own error: the table does not exist)
            return _refuse("ResourceNotFoundException", tr("Requested resource not found: Table: {table} "
                                  "not found (StartBulkPutItems writes to an existing table only)", table=table))
        types = {d["AttributeName"]: d["AttributeType"] for d in description["AttributeDefinitions"]}
        return None, [(k["AttributeName"], types[k["AttributeName"]]) for k in description["KeySchema"]]

    # -- the asynchronous work ---------------------------------------------------------------------------------
    def _run(self, found: _Operation) -> None:
        request = found.request
        reports: dict[str, list[dict]] = {kind: [] for kind in request["OutputS3Configuration"]["OutputType"]}
        try:
            objects = self._input_objects(request["InputS3Configuration"])
            found.total_bytes = sum(size for _, size in objects)
            rate = request.get("MaxWriteRequestUnits")
            bucket = TokenBucket(rate=float(rate), capacity=float(rate), balance=float(rate)) if rate else None
            last = time.monotonic()
            for key, _ in objects:
                raw = self.s3.get_object(Bucket=request["InputS3Configuration"]["S3Bucket"], Key=key)["Body"].read()
                found.processed_bytes += len(raw)
                if request["InputS3Configuration"].get("InputCompressionType") == "GZIP":
                    raw = gzip.decompress(raw)
                pending: list[tuple[dict, dict, int]] = []  # unconditional items go 25 to a BatchWriteItem
                for number, line in enumerate(raw.decode("utf-8").splitlines(), start=1):
                    if line.strip():
                        last = self._put_one(found, key, number, line, reports, bucket, last, pending)
                self._flush(found, reports, pending)
            status, failure = ("COMPLETED_WITH_ERRORS" if found.failed_items else "COMPLETED"), None
        except Exception as error:  # noqa: BLE001  (the operation fails as a whole, with the reason)
            status, failure = "FAILED", (type(error).__name__, str(error))
        try:  # the report first: a reader who sees the final status finds it in S3
            self._write_reports(found, reports)
        except Exception as error:  # noqa: BLE001
            status, failure = "FAILED", ("OutputWriteFailed", str(error))
        found.failure = failure
        found.end_time = dt.datetime.now(dt.UTC)
        found.status = status
        found.done.set()

    def _pace(self, bucket: TokenBucket | None, last: float, size_bytes: int) -> float:
        """Hold the write rate at MaxWriteRequestUnits per second (1 write request unit per 1 KB of item)."""
        if bucket is None:
            return last
        units = float(write_units(size_bytes))
        while True:
            now = time.monotonic()
            bucket.refill(now - last)
            last = now
            if bucket.try_take(units):
                return last
            self._sleep(max(0.001, (units - bucket.balance) / bucket.rate))

    def _input_objects(self, source: dict) -> list[tuple[str, int]]:
        found, args = [], {"Bucket": source["S3Bucket"], "Prefix": source.get("S3KeyPrefix", "")}
        while True:
            page = self.s3.list_objects_v2(**args)
            found += [(o["Key"], o["Size"]) for o in page.get("Contents", []) if not o["Key"].endswith("/")]
            if not page.get("IsTruncated"):
                return sorted(found)
            args["ContinuationToken"] = page["NextContinuationToken"]

    def _put_one(self, found: _Operation, key: str, number: int, line: str, reports: dict[str, list[dict]],
                 bucket: TokenBucket | None, last: float, pending: list[tuple[dict, dict, int]]) -> float:
        """Write one input line; returns the pacing clock. Failures go to the report, never raise."""
        found.processed_items += 1
        where = {"S3Key": key, "LineNumber": number}
        try:
            record = json.loads(line)
            item = record["Item"]
            size = typed_item_size(item)
        except (ValueError, KeyError, TypeError) as error:
            self._failed(found, reports, {**where, "ErrorCode": "ValidationException",
                                          "ErrorMessage": f"malformed input record: {error}", "Input": line})
            return last
        for name, kind in found.key_schema:
            if name not in item or kind not in item[name]:
                self._failed(found, reports, {
                    **where, "ErrorCode": "ValidationException", "Item": item,
                    "ErrorMessage": f"One or more parameter values were invalid: Missing the key {name} (type {kind}) "
                                    "in the item"})
                return last
        if size > MAX_ITEM_SIZE_BYTES:
            self._failed(found, reports, {**where, "ErrorCode": "ValidationException", "Item": item,
                                          "ErrorMessage": "Item size has exceeded the maximum allowed size"})
            return last
        last = self._pace(bucket, last, size)
        if "ConditionExpression" not in record:
            pending.append((where, item, size))  # written in order: a conditional item flushes the batch first
            if len(pending) == BATCH_WRITE_MAX_REQUESTS:
                self._flush(found, reports, pending)
            return last
        self._flush(found, reports, pending)
        args: dict[str, Any] = {"TableName": found.request["TableName"], "Item": item}
        for name in ("ConditionExpression", "ExpressionAttributeNames", "ExpressionAttributeValues"):
            if name in record:
                args[name] = record[name]
        args["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
        try:
            self._dynamodb.put_item(**args)
        except Exception as error:  # noqa: BLE001  (botocore's ClientError: sorted by its code below)
            code = getattr(error, "response", {}).get("Error", {}).get("Code", type(error).__name__)
            if code == "ConditionalCheckFailedException":
                found.condition_failures += 1  # not a failure of the operation (FailedItemCount excludes it)
                if "CONDITION_CHECK_FAILURE" in reports:
                    existing = getattr(error, "response", {}).get("Item")
                    reports["CONDITION_CHECK_FAILURE"].append(
                        {**where, "Item": item, **({"ExistingItem": existing} if existing else {})})
                return last
            message = getattr(error, "response", {}).get("Error", {}).get("Message", str(error))
            self._failed(found, reports, {**where, "ErrorCode": code, "ErrorMessage": message, "Item": item})
            return last
        found.put_bytes += size
        return last

    def _flush(self, found: _Operation, reports: dict[str, list[dict]], pending: list[tuple[dict, dict, int]]) -> None:
        """Write the pending unconditional items with BatchWriteItem; an item the batch refuses is tried alone so
        the report names it (a duplicate key in one batch, say)."""
        if not pending:
            return
        batch, table = list(pending), found.request["TableName"]
        pending.clear()
        requests = [{"PutRequest": {"Item": item}} for _, item, _ in batch]
        try:
            while requests:
                answer = self._dynamodb.batch_write_item(RequestItems={table: requests})
                requests = answer.get("UnprocessedItems", {}).get(table, [])
        except Exception:  # noqa: BLE001  (refused whole: one by one, so each failure is reported on its own)
            for where, item, size in batch:
                try:
                    self._dynamodb.put_item(TableName=table, Item=item)
                except Exception as error:  # noqa: BLE001
                    response = getattr(error, "response", {}).get("Error", {})
                    self._failed(found, reports, {**where, "ErrorCode": response.get("Code", type(error).__name__),
                                                  "ErrorMessage": response.get("Message", str(error)), "Item": item})
                else:
                    found.put_bytes += size
            return
        found.put_bytes += sum(size for _, _, size in batch)

    @staticmethod
    def _failed(found: _Operation, reports: dict[str, list[dict]], entry: dict) -> None:
        found.failed_items += 1
        if "ERROR" in reports:
            reports["ERROR"].append(entry)

    def _write_reports(self, found: _Operation, reports: dict[str, list[dict]]) -> None:
        output = found.request["OutputS3Configuration"]
        bucket = output.get("S3Bucket") or found.request["InputS3Configuration"]["S3Bucket"]
        base = f"{output.get('S3KeyPrefix', '').rstrip('/')}/{found.arn.rsplit('/', 1)[-1]}".lstrip("/")
        files = []
        for kind, entries in reports.items():
            if entries:
                key = f"{base}/{kind}/part-00000.json"
                self.s3.put_object(Bucket=bucket, Key=key,
                                   Body="".join(json.dumps(entry) + "\n" for entry in entries).encode())
                files.append({"OutputType": kind, "S3Key": key, "ItemCount": len(entries)})
        manifest = {"BulkOperationArn": found.arn, "Note": f"written by the {STAND_IN} (report layout: dynalab's)",
                    "ProcessedItemCount": found.processed_items, "FailedItemCount": found.failed_items,
                    "ConditionCheckFailureCount": found.condition_failures, "Files": files}
        self.s3.put_object(Bucket=bucket, Key=f"{base}/manifest.json", Body=json.dumps(manifest).encode())
