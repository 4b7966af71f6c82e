"""The event source mapping's rules: settings and their documented ranges, the on-failure invocation record, tumbling
window bounds, and batching's invocation count and latency."""

from __future__ import annotations

import pytest

from dynalab.models.event_source_mapping import (
    MappingSettings,
    batch_is_full,
    destination_service,
    failure_record,
    lane_for_keys,
    simulate_batching,
    window_bounds,
)
from dynalab.models.quotas import ESM_PAYLOAD_LIMIT_BYTES

START = {"starting_position": "TRIM_HORIZON"}  # required: AWS has no default


def Settings(**settings):  # noqa: N802 - MappingSettings with the required starting position
    return MappingSettings(**{**START, **settings})


def test_defaults_are_awss():
    settings = Settings()
    assert (settings.batch_size, settings.maximum_batching_window_in_seconds, settings.maximum_retry_attempts,
            settings.maximum_record_age_in_seconds, settings.parallelization_factor,
            settings.bisect_batch_on_function_error) == (100, 0, -1, -1, 1, False)
    assert settings.on_failure_destination is None and not settings.report_batch_item_failures


@pytest.mark.parametrize("name, good, bad", [
    ("batch_size", [1, 10_000], [0, 10_001, 2.5, True]),
    ("maximum_batching_window_in_seconds", [0, 300], [-1, 301]),
    ("maximum_retry_attempts", [-1, 0, 10_000], [-2, 10_001]),
    ("maximum_record_age_in_seconds", [-1, 60, 604_800], [0, 59, 604_801]),
    ("parallelization_factor", [1, 10], [0, 11]),
    ("tumbling_window_in_seconds", [0, 900], [-1, 901]),
])
def test_ranges_are_the_documented_ones(name, good, bad):
    for value in good:
        Settings(**{name: value})
    for value in bad:
        with pytest.raises(ValueError, match=name):
            Settings(**{name: value})


def test_other_settings_name_the_allowed_values():
    with pytest.raises(ValueError, match="TRIM_HORIZON, LATEST"):
        MappingSettings(starting_position="AT_TIMESTAMP")
    with pytest.raises(ValueError, match=r"\['ReportBatchItemFailures'\]"):
        Settings(function_response_types=["ReportItems"])
    with pytest.raises(ValueError, match="an SQS queue, an SNS topic or an S3 bucket ARN"):
        Settings(destination_config={"OnFailure": {"Destination": "arn:aws:dynamodb:us-east-1:1:table/x"}})
    with pytest.raises(ValueError, match='"OnFailure"'):
        Settings(destination_config={"OnSuccess": {}})
    with pytest.raises(TypeError, match="batch_size, maximum_batching_window_in_seconds"):
        MappingSettings.from_settings(batchsize=5)
    arn = "arn:aws:sqs:us-east-2:123456789012:dlq"  # the docs' example
    assert Settings(destination_config={"OnFailure": {"Destination": arn}}).on_failure_destination == arn


def test_the_starting_position_is_required_as_on_aws():
    # [src:esm-starting-position-required]: no default; LATEST can miss events while the mapping is made or updated
    with pytest.raises(ValueError, match="starting_position is required .* LATEST can miss"):
        MappingSettings()
    assert MappingSettings(starting_position="LATEST").starting_position == "LATEST"


def test_on_failure_destinations_are_an_sqs_queue_an_sns_topic_or_an_s3_bucket():
    # [src:esm-on-failure-destinations]: "an Amazon SNS topic, Amazon SQS queue, or Amazon S3 bucket"
    for arn, service in (("arn:aws:sqs:us-east-2:123456789012:dlq", "sqs"),
                         ("arn:aws:sns:us-east-1:123456789012:failed-votes", "sns"),
                         ("arn:aws:s3:::failed-votes-bucket", "s3")):
        assert destination_service(arn) == service
        assert Settings(destination_config={"OnFailure": {"Destination": arn}}).on_failure_destination_service \
            == service
    for arn in ("arn:aws:lambda:us-east-1:123456789012:function:f", "arn:aws:events:us-east-1:123456789012:event-bus/b",
                "arn:aws:s3:::X", "not-an-arn"):
        assert destination_service(arn) is None
        with pytest.raises(ValueError, match="must be an SQS queue, an SNS topic or an S3 bucket ARN"):
            Settings(destination_config={"OnFailure": {"Destination": arn}})


def test_lanes_are_chosen_by_the_whole_primary_key():
    # [src:esm-parallelization-per-item]: order is kept per item (partition and sort key), not per partition key
    keys = [{"UserID": {"S": "voter1"}, "Date": {"S": f"2023-06-{day:02d}"}} for day in range(1, 31)]
    lanes = [lane_for_keys(k, 3) for k in keys]
    assert len(set(lanes)) == 3  # one partition key's items spread over the lanes
    assert [lane_for_keys(k, 3) for k in keys] == lanes  # an item always takes the same lane
    assert lane_for_keys(dict(reversed(list(keys[0].items()))), 3) == lanes[0]  # attribute order does not matter
    assert {lane_for_keys(k, 1) for k in keys} == {0}


def test_a_batch_is_cut_at_the_batch_size_or_the_6_mb_payload_limit():
    # [src:esm-batch-6-mb]: Lambda also sends a batch when it reaches the payload limit of 6 MB
    assert ESM_PAYLOAD_LIMIT_BYTES == 6 * 1024 * 1024
    megabyte = 1024 * 1024
    assert not batch_is_full(5, 5 * megabyte, megabyte, 100)  # exactly 6 MB still fits
    assert batch_is_full(5, 5 * megabyte + 1, megabyte, 100)  # one byte more does not
    assert not batch_is_full(0, 0, 7 * megabyte, 100)  # a record alone is always sent
    assert batch_is_full(100, 100, 1, 100)


def test_retries_left():
    assert Settings(maximum_retry_attempts=-1).retries_left(10**6)
    assert Settings(maximum_retry_attempts=2).retries_left(1)
    assert not Settings(maximum_retry_attempts=2).retries_left(2)


def test_the_failure_record_has_the_docs_shape():
    # services-dynamodb-errors.html's example: one record, shard and stream named, RetryAttemptsExhausted.
    records = [{"dynamodb": {"SequenceNumber": "800000000003126276362", "ApproximateCreationDateTime": 1573690399.0}}]
    record = failure_record(function_arn="arn:aws:lambda:us-east-2:123456789012:function:myfunction",
                            condition="RetryAttemptsExhausted", invoke_count=1,
                            shard_id="shardId-00000001573689847184-864758bb",
                            stream_arn="arn:aws:dynamodb:us-east-2:123456789012:table/mytable/stream/x",
                            records=records, request_id="316aa6d0", timestamp=1573690429.717)
    assert set(record) == {"requestContext", "responseContext", "version", "timestamp", "DDBStreamBatchInfo"}
    info = record["DDBStreamBatchInfo"]
    assert info["startSequenceNumber"] == info["endSequenceNumber"] == "800000000003126276362"
    assert info["batchSize"] == 1 and info["approximateArrivalOfFirstRecord"] == "2019-11-14T00:13:19Z"
    assert record["timestamp"] == "2019-11-14T00:13:49.717Z"
    assert record["requestContext"]["condition"] == "RetryAttemptsExhausted"
    assert record["responseContext"] == {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"}


def test_windows_align_to_their_length():
    assert window_bounds(1596128430.0, 300) == (1596128400.0, 1596128700.0)  # 17:00:30 → [17:00, 17:05)
    assert window_bounds(120.0, 60) == (120.0, 180.0)
    with pytest.raises(ValueError):
        window_bounds(1.0, 0)


def test_batching_trades_invocations_for_latency():
    eager = simulate_batching(40, 10, batch_size=100)  # window 0: every poll (4 a second) invokes with what it has
    # 41: the poll at t = 0 holds the first record alone, then each of the 40 polls holds 10 records
    assert eager.records == 400 and eager.invocations == 41 and eager.max_latency_seconds <= 0.25
    patient = simulate_batching(40, 10, batch_size=100, window_seconds=5)
    assert patient.invocations == 4  # full batches of 100 every 2.5 s
    assert patient.mean_latency_seconds > eager.mean_latency_seconds
    slow = simulate_batching(1, 20, batch_size=100, window_seconds=10)  # the window, not the size, closes batches
    assert slow.invocations == 2 and 9 <= slow.max_latency_seconds <= 10.5
    assert patient.invocation_cost(0.20) == pytest.approx(4 * 0.2e-6)


def test_a_poison_record_by_the_rules():
    from dynalab.models.event_source_mapping import poison_plan

    plain = poison_plan(10, 5, bisect=False, maximum_retry_attempts=2)
    assert (plain.invocations, plain.discarded, plain.delivered, plain.blocked) == (3, 10, 0, False)
    split = poison_plan(10, 5, bisect=True, maximum_retry_attempts=2)
    # 10 → [0,5) ok, [5,10) fails → [5,7) fails → [5,6) fails, retried twice, discarded; [6,7) ok; [7,10) ok
    assert (split.discarded, split.delivered, split.blocked) == (1, 9, False)
    # the batch; its halves [0,5) [5,10); [5,7) [7,10); [5,6) [6,7); the poison's 2 retries
    assert split.invocations == 1 + 2 + 2 + 2 + 2
    assert poison_plan(10, 5, bisect=True, maximum_retry_attempts=-1).blocked
    with pytest.raises(ValueError, match="poison_index"):
        poison_plan(10, 10, bisect=True, maximum_retry_attempts=2)
