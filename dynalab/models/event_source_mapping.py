"""A Lambda event source mapping on a DynamoDB stream, as rules: its settings, the failure record it sends, the
tumbling windows it cuts, and what batching costs in invocations and latency. Pure (no I/O).

Sources (read 2026-12): services-ddb-params.html (the parameter table), API_CreateEventSourceMapping.html (the
ranges), with-ddb.html / services-dynamodb-errors.html (retries, bisect, the on-failure invocation record),
services-ddb-batchfailurereporting.html (partial batch responses), services-ddb-windows.html (tumbling windows).
The numbers live in ``dynalab.models.quotas``. ``dynalab.lessons.event_source_mapping`` runs a mapping on an engine.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

from dynalab.i18n import N_, tr
from dynalab.models import checks
from dynalab.models.event_filters import parse_filter_criteria
from dynalab.models.quotas import (
    ESM_BATCH_SIZE_DEFAULT,
    ESM_BATCH_SIZE_RANGE,
    ESM_FUNCTION_RESPONSE_TYPES,
    ESM_MAXIMUM_BATCHING_WINDOW_SECONDS_RANGE,
    ESM_MAXIMUM_RECORD_AGE_SECONDS_RANGE,
    ESM_MAXIMUM_RETRY_ATTEMPTS_RANGE,
    ESM_ON_FAILURE_DESTINATION_SERVICES,
    ESM_PARALLELIZATION_FACTOR_RANGE,
    ESM_PAYLOAD_LIMIT_BYTES,
    ESM_POLLS_PER_SECOND,
    ESM_STARTING_POSITIONS,
    ESM_TUMBLING_WINDOW_SECONDS_RANGE,
)

__all__ = [
    "MAX_POISON_INVOCATIONS",
    "MAX_SIMULATED_POLLS",
    "MAX_SIMULATED_RECORDS",
    "BatchingResult",
    "MappingSettings",
    "PoisonPlan",
    "batch_is_full",
    "destination_service",
    "failure_record",
    "lane_for_keys",
    "poison_plan",
    "simulate_batching",
    "window_bounds",
]

#: An SQS queue ARN: arn:<partition>:sqs:<region>:<account>:<queue name>.
SQS_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}(\.fifo)?$")
#: An SNS topic ARN: arn:<partition>:sns:<region>:<account>:<topic name>.
SNS_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$")
#: An S3 bucket ARN: arn:<partition>:s3:::<bucket name> (no Region, no account).
S3_ARN = re.compile(r"^arn:aws[a-zA-Z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_DESTINATION_ARNS = {"sqs": SQS_ARN, "sns": SNS_ARN, "s3": S3_ARN}


def destination_service(arn: str) -> str | None:
    """"sqs", "sns" or "s3" for an on-failure destination a stream mapping may use, else None. A DynamoDB stream
    mapping keeps its failure records in "an Amazon SNS topic, Amazon SQS queue, or Amazon S3 bucket"
    [src:esm-on-failure-destinations]."""
    return next((service for service in ESM_ON_FAILURE_DESTINATION_SERVICES
                 if isinstance(arn, str) and _DESTINATION_ARNS[service].match(arn)), None)


def lane_for_keys(keys: Mapping[str, Any], parallelization_factor: int) -> int:
    """The lane (0 to factor - 1) a record goes to: chosen by the item's **whole primary key** (partition and sort
    key), so each item's records keep their order while one partition key's items may run in different lanes:
    "in-order processing at the item (partition and sort key) level" [src:esm-parallelization-per-item]."""
    if parallelization_factor == 1:
        return 0
    text = json.dumps(dict(keys), sort_keys=True)
    return zlib.crc32(text.encode()) % parallelization_factor


def batch_is_full(records: int, size_bytes: int, next_record_bytes: int, batch_size: int) -> bool:
    """Does a batch of ``records`` (``size_bytes`` so far) stop before the next record? At ``batch_size`` records,
    or when the next one would take it past the 6 MB payload limit [src:esm-batch-6-mb] (a first record always
    goes in)."""
    return records >= batch_size or (records > 0 and size_bytes + next_record_bytes > ESM_PAYLOAD_LIMIT_BYTES)


def _integer(name: str, value: Any, allowed: tuple[int, int], unlimited: bool = False) -> int:
    low, high = allowed
    ok = isinstance(value, int) and not isinstance(value, bool) and (low <= value <= high or
                                                                     (unlimited and value == -1))
    if not ok:
        if unlimited:
            raise ValueError(tr("{name} must be -1 (no limit) or an integer from {low:,} to {high:,}, got {value!r}",
                                name=name, low=low, high=high, value=value))
        raise ValueError(tr("{name} must be an integer from {low:,} to {high:,}, got {value!r}",
                            name=name, low=low, high=high, value=value))
    return value


@dataclass(frozen=True)
class MappingSettings:
    """AWS's event source mapping parameters for DynamoDB Streams, in snake_case, with AWS's defaults.

    ``MappingSettings(**settings)`` checks each one and raises ValueError/TypeError naming the allowed values.
    ``starting_position`` has no default: AWS requires it for a stream [src:esm-starting-position-required].
    Not enforced: the API reference's "when BatchSize > 10, MaximumBatchingWindowInSeconds must be at least 1",
    which AWS's own stream defaults (100 and 0) contradict.
    """

    batch_size: int = ESM_BATCH_SIZE_DEFAULT
    maximum_batching_window_in_seconds: int = 0
    #: Required, as on AWS (no default) [src:esm-starting-position-required]: None is refused.
    starting_position: str | None = None
    maximum_retry_attempts: int = -1
    maximum_record_age_in_seconds: int = -1
    bisect_batch_on_function_error: bool = False
    destination_config: Mapping[str, Any] | None = None
    function_response_types: Sequence[str] = ()
    parallelization_factor: int = 1
    filter_criteria: Mapping[str, Any] | None = None
    tumbling_window_in_seconds: int = 0

    def __post_init__(self) -> None:
        _integer("batch_size", self.batch_size, ESM_BATCH_SIZE_RANGE)
        _integer("maximum_batching_window_in_seconds", self.maximum_batching_window_in_seconds,
                 ESM_MAXIMUM_BATCHING_WINDOW_SECONDS_RANGE)
        if self.starting_position is None:
            raise ValueError(tr("starting_position is required for a DynamoDB stream (AWS has no default): "
                                "{choices}; LATEST can miss records written while the mapping is being created or "
                                "updated, TRIM_HORIZON misses none", choices=", ".join(ESM_STARTING_POSITIONS)))
        if self.starting_position not in ESM_STARTING_POSITIONS:
            raise ValueError(tr("starting_position must be one of {choices} for a DynamoDB stream (AT_TIMESTAMP is "
                                "Kinesis only), got {starting_position!r}",
                                choices=", ".join(ESM_STARTING_POSITIONS), starting_position=self.starting_position))
        _integer("maximum_retry_attempts", self.maximum_retry_attempts, ESM_MAXIMUM_RETRY_ATTEMPTS_RANGE, True)
        _integer("maximum_record_age_in_seconds", self.maximum_record_age_in_seconds,
                 ESM_MAXIMUM_RECORD_AGE_SECONDS_RANGE, True)
        if not isinstance(self.bisect_batch_on_function_error, bool):
            raise TypeError(tr("bisect_batch_on_function_error must be True or False, got "
                               "{bisect_batch_on_function_error!r}",
                               bisect_batch_on_function_error=self.bisect_batch_on_function_error))
        _integer("parallelization_factor", self.parallelization_factor, ESM_PARALLELIZATION_FACTOR_RANGE)
        _integer("tumbling_window_in_seconds", self.tumbling_window_in_seconds, ESM_TUMBLING_WINDOW_SECONDS_RANGE)
        types = self.function_response_types
        if isinstance(types, str) or not isinstance(types, Sequence) or \
                any(t not in ESM_FUNCTION_RESPONSE_TYPES for t in types) or len(types) > 1:
            raise ValueError(tr("function_response_types must be [] or {allowed}, got {types!r}",
                                allowed=list(ESM_FUNCTION_RESPONSE_TYPES), types=types))
        object.__setattr__(self, "function_response_types", tuple(types))
        self.on_failure_destination  # noqa: B018 - checks the shape
        parse_filter_criteria(self.filter_criteria)

    @classmethod
    def from_settings(cls, **settings: Any) -> MappingSettings:
        """Like ``MappingSettings(**settings)``, with an unknown name answered by the list of known ones."""
        known = [f.name for f in fields(cls)]
        unknown = sorted(set(settings) - set(known))
        if unknown:
            raise TypeError(tr("unknown event source mapping setting(s) {unknown}; the DynamoDB Streams settings are "
                               "{known} (AWS's names in snake_case)", unknown=", ".join(unknown),
                               known=", ".join(known)))
        return cls(**settings)

    @property
    def on_failure_destination(self) -> str | None:
        """The ARN of ``{"OnFailure": {"Destination": arn}}``: an SQS queue, an SNS topic or an S3 bucket
        [src:esm-on-failure-destinations] (None: discarded batches go nowhere)."""
        config = self.destination_config
        if config is None or config == {}:
            return None
        arn = config.get("OnFailure", {}).get("Destination") if isinstance(config, Mapping) else None
        if not isinstance(config, Mapping) or set(config) != {"OnFailure"} or not isinstance(arn, str):
            raise ValueError(tr('destination_config must be {{"OnFailure": {{"Destination": "<SQS queue, SNS topic or '
                                'S3 bucket ARN>"}}}}, got {config!r}', config=config))
        if destination_service(arn) is None:
            kind = arn.split(":")[2] if arn.count(":") >= 5 else tr("not an ARN")
            raise ValueError(tr("the on-failure destination of a DynamoDB stream mapping must be an SQS queue, an SNS "
                                "topic or an S3 bucket ARN (arn:aws:sqs:<region>:<account>:<queue>, "
                                "arn:aws:sns:<region>:<account>:<topic>, arn:aws:s3:::<bucket>); got {arn!r} ({kind})",
                                arn=arn, kind=kind))
        return arn

    @property
    def on_failure_destination_service(self) -> str | None:
        """"sqs", "sns" or "s3": the service of the on-failure destination (None: none)."""
        arn = self.on_failure_destination
        return None if arn is None else destination_service(arn)

    @property
    def report_batch_item_failures(self) -> bool:
        return "ReportBatchItemFailures" in self.function_response_types

    def retries_left(self, retries_done: int) -> bool:
        return self.maximum_retry_attempts == -1 or retries_done < self.maximum_retry_attempts


def iso_time(epoch_seconds: float) -> str:
    """The UTC ISO-8601 text AWS puts in invocation records and windows (e.g. 2019-11-14T00:13:19Z)."""
    text = datetime.fromtimestamp(epoch_seconds, UTC).isoformat(timespec="milliseconds")
    return text.replace("+00:00", "Z")


def failure_record(*, function_arn: str, condition: str, invoke_count: int, shard_id: str, stream_arn: str,
                   records: Sequence[Mapping[str, Any]], request_id: str, timestamp: float) -> dict:
    """The invocation record Lambda sends to the on-failure destination for a discarded batch
    (services-dynamodb-errors.html's example): the records themselves are not in it, only where they are.

    ``condition``: "RetryAttemptsExhausted" or "RecordAgeExceeded".
    """
    if not records:
        raise ValueError(tr("a failure record describes at least one record"))
    first, last = records[0]["dynamodb"], records[-1]["dynamodb"]
    return {
        "requestContext": {"requestId": request_id, "functionArn": function_arn, "condition": condition,
                           "approximateInvokeCount": invoke_count},
        "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
        "version": "1.0",
        "timestamp": iso_time(timestamp),
        "DDBStreamBatchInfo": {
            "shardId": shard_id,
            "startSequenceNumber": first["SequenceNumber"],
            "endSequenceNumber": last["SequenceNumber"],
            "approximateArrivalOfFirstRecord": iso_time(first["ApproximateCreationDateTime"]).replace(".000", ""),
            "approximateArrivalOfLastRecord": iso_time(last["ApproximateCreationDateTime"]).replace(".000", ""),
            "batchSize": len(records),
            "streamArn": stream_arn,
        },
    }


def window_bounds(epoch_seconds: float, window_seconds: int) -> tuple[float, float]:
    """The tumbling window a record falls in: [start, end), aligned to multiples of the window length
    (Lambda uses the record's approximate creation time for the boundaries)."""
    if not isinstance(window_seconds, int) or window_seconds <= 0:
        raise ValueError(tr("window_seconds must be a positive integer, got {window_seconds!r}",
                            window_seconds=window_seconds))
    start = math.floor(epoch_seconds / window_seconds) * window_seconds
    return float(start), float(start + window_seconds)


# ------------------------------------------------------------------------------------ batching: count and latency
@dataclass(frozen=True)
class BatchingResult:
    """What a batch size and batching window do to a steady stream of records (a model, not a measurement)."""

    batch_size: int
    window_seconds: int
    records: int
    invocations: int
    mean_latency_seconds: float  # record written → its batch invoked
    max_latency_seconds: float

    def invocation_cost(self, price_per_million_requests: float) -> float:
        return self.invocations * price_per_million_requests / 1_000_000


def simulate_batching(records_per_second: float, seconds: float, batch_size: int,
                      window_seconds: int = 0, poll_seconds: float = 1 / ESM_POLLS_PER_SECOND) -> BatchingResult:
    """Records written evenly at ``records_per_second`` for ``seconds``; Lambda polls every ``poll_seconds`` and
    invokes when it holds ``batch_size`` records, when the batching window (counted from the first record it holds)
    has passed, or (window 0) at once with what one poll found. The handler is taken to take no time.

    The simulation steps through every record and every poll, so both are bounded (dynalab's own limits, not AWS's):
    ``records_per_second × seconds`` at most ``MAX_SIMULATED_RECORDS`` and ``(seconds + window_seconds) /
    poll_seconds`` at most ``MAX_SIMULATED_POLLS``."""
    batch_size = checks.number("batch_size", batch_size, low=ESM_BATCH_SIZE_RANGE[0], high=ESM_BATCH_SIZE_RANGE[1],
                               integer=True)
    window_seconds = checks.number("window_seconds", window_seconds, low=ESM_MAXIMUM_BATCHING_WINDOW_SECONDS_RANGE[0],
                                   high=ESM_MAXIMUM_BATCHING_WINDOW_SECONDS_RANGE[1], integer=True,
                                   unit=N_("seconds, maximum_batching_window_in_seconds"))
    records_per_second, seconds, poll_seconds = _batching_inputs(records_per_second, seconds, window_seconds,
                                                                 poll_seconds)
    count = int(records_per_second * seconds)
    arrivals = [n / records_per_second for n in range(count)]
    latencies: list[float] = []
    invocations = 0
    held: list[float] = []
    first = 0  # held[first:] are the records held (a pointer: slicing the list per batch was quadratic)
    polls = math.ceil((seconds + window_seconds) / poll_seconds) + 2
    next_record = 0
    for poll in range(polls + 1):
        now = poll * poll_seconds
        while next_record < count and arrivals[next_record] <= now:
            held.append(arrivals[next_record])
            next_record += 1
        while len(held) - first >= batch_size or (len(held) > first and (
                window_seconds == 0 or now - held[first] >= window_seconds or next_record == count and poll == polls)):
            batch = held[first:first + batch_size]
            first += len(batch)
            invocations += 1
            latencies += [now - t for t in batch]
        if first == len(held):
            held, first = [], 0
    return BatchingResult(batch_size, window_seconds, count, invocations,
                          sum(latencies) / len(latencies) if latencies else 0.0, max(latencies, default=0.0))


#: dynalab's own bounds on ``simulate_batching`` (not AWS limits): it steps through every record and every poll in
#: Python (a million of each took 0.6 s of CPU and 65 MB); 200,000 records is 30 times the stream lesson 7 draws
#: (100 a second for a minute: 6,000 records and 360 polls).
MAX_SIMULATED_RECORDS = 200_000
MAX_SIMULATED_POLLS = 200_000
#: ``seconds`` at most a day, ``records_per_second`` at most ``MAX_SIMULATED_RECORDS`` (dynalab's bounds)
MAX_SIMULATED_SECONDS = 86_400


def _batching_inputs(records_per_second: Any, seconds: Any, window_seconds: int,
                     poll_seconds: Any) -> tuple[float, float, float]:
    """``simulate_batching``'s rate, duration and poll interval, checked one by one and then as the counts of
    records and polls they make (both bounded: see ``MAX_SIMULATED_RECORDS``)."""
    limit = N_("dynalab's simulation limit")
    rate = checks.number("records_per_second", records_per_second, low=0, low_open=True,
                         high=MAX_SIMULATED_RECORDS)
    seconds = checks.number("seconds", seconds, low=0, low_open=True, high=MAX_SIMULATED_SECONDS, unit=N_("seconds"))
    poll_seconds = checks.number("poll_seconds", poll_seconds, low=0, low_open=True, high=MAX_SIMULATED_SECONDS,
                                 unit=N_("seconds"))
    checks.number("records_per_second × seconds", rate * seconds, high=MAX_SIMULATED_RECORDS, unit=limit)
    checks.number("(seconds + window_seconds) / poll_seconds", (seconds + window_seconds) / poll_seconds,
                  high=MAX_SIMULATED_POLLS, unit=limit)
    return float(rate), float(seconds), float(poll_seconds)


# ---------------------------------------------------------------------------------- a poison record, by the rules
#: dynalab's bound on ``poison_plan``'s ``retry_budget`` (not an AWS limit): the most invocations it follows, one
#: loop step each (about 0.1 s for 100,000). AWS's own retry limit, 10,000, stays well inside it.
MAX_POISON_INVOCATIONS = 100_000


@dataclass(frozen=True)
class PoisonPlan:
    """What the failure rules do to one batch holding one record that always fails (the handler raises)."""

    invocations: int  # handler calls until the mapping moves on (the retry budget when blocked)
    discarded: int  # records sent to the on-failure destination (or dropped without one)
    delivered: int  # records of the batch that reached the handler in a successful invocation
    blocked: bool  # maximum_retry_attempts = -1: the shard waits until the records expire


def poison_plan(batch_size: int, poison_index: int, *, bisect: bool, maximum_retry_attempts: int,
                retry_budget: int = 40) -> PoisonPlan:
    """Follow Lambda's rules (with-ddb.html, services-dynamodb-errors.html) for a batch of ``batch_size`` records
    whose record ``poison_index`` always fails: a failing batch is bisected if it can be (a split is not a retry),
    else retried while retries are left, else discarded. With -1 retries the shard is blocked: counted up to
    ``retry_budget`` invocations (at most ``MAX_POISON_INVOCATIONS``, dynalab's bound: each is a step of the
    loop)."""
    MappingSettings(batch_size=batch_size, maximum_retry_attempts=maximum_retry_attempts,
                    starting_position="TRIM_HORIZON")  # only the ranges are checked here
    if not isinstance(poison_index, int) or not 0 <= poison_index < batch_size:
        raise ValueError(tr("poison_index must be from 0 to batch_size - 1 = {last}, got {poison_index!r}",
                            last=batch_size - 1, poison_index=poison_index))
    checks.flag("bisect", bisect)
    checks.number("retry_budget", retry_budget, low=1, high=MAX_POISON_INVOCATIONS, integer=True,
                  unit=N_("dynalab's simulation limit"))
    work = [(0, batch_size, 0)]  # (first, end, retries done), in stream order
    invocations = discarded = delivered = 0
    while work:
        first, end, retries = work.pop(0)
        invocations += 1
        if not first <= poison_index < end:
            delivered += end - first
        elif bisect and end - first > 1:
            middle = first + (end - first) // 2
            work[0:0] = [(first, middle, retries), (middle, end, retries)]
        elif maximum_retry_attempts == -1 or retries < maximum_retry_attempts:
            if invocations >= retry_budget:
                return PoisonPlan(invocations, discarded, delivered, True)
            work.insert(0, (first, end, retries + 1))
        else:
            discarded += end - first
    return PoisonPlan(invocations, discarded, delivered, False)
