"""A Lambda event source mapping on the real engine's stream: poison records, bisect, the on-failure queue, partial
batch responses, parallelization, filters, tumbling windows, TTL deletes, bad settings."""

from __future__ import annotations

import json

import pytest

from dynalab.engine.tables import create_table
from dynalab.lessons.event_source_mapping import EventSourceMapping
from dynalab.lessons.ttl import TtlSweeper, enable_ttl


@pytest.fixture
def table(lab, table_name):
    create_table(lab, table_name, ("pk", "S"), stream_view_type="NEW_AND_OLD_IMAGES")
    return table_name


@pytest.fixture
def queue_arn(lab, table_name):
    sqs = lab.new_client("sqs")
    url = sqs.create_queue(QueueName=f"dlq-{abs(hash(table_name)) % 10**9}")["QueueUrl"]
    return sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


def put(lab, table, n: int, **extra) -> None:
    item = {"pk": {"S": f"item-{n:03d}"}, "n": {"N": str(n)}}
    item.update(extra)
    lab.client.put_item(TableName=table, Item=item)


def number(record: dict) -> int:
    return int(record["dynamodb"]["NewImage"]["n"]["N"])


def seq(record: dict) -> int:
    return int(record["dynamodb"]["SequenceNumber"])


def poison_run(lab, table, queue_arn, bisect: bool):
    for n in range(100):
        put(lab, table, n)
    seen: list[dict] = []

    def handler(event, context):
        if any(number(r) == 42 for r in event["Records"]):
            raise ValueError("poison vote")
        seen.extend(event["Records"])

    mapping = EventSourceMapping(lab, table, handler,
                                 starting_position="TRIM_HORIZON", function_name=f"poison-{bisect}", batch_size=10,
                                 bisect_batch_on_function_error=bisect, maximum_retry_attempts=2,
                                 destination_config={"OnFailure": {"Destination": queue_arn}})
    report = mapping.run_until_idle()
    return mapping, report, seen, mapping.received_failure_records()


@pytest.mark.parametrize("bisect", [True, False])
def test_a_poison_record_among_100_goes_to_the_queue_and_the_shard_moves_on(lab, table, queue_arn, bisect):
    mapping, report, seen, failures = poison_run(lab, table, queue_arn, bisect)
    assert not report.blocked and mapping.pending_records() == 0  # the shard moved on past it
    assert failures and all(f["requestContext"]["condition"] == "RetryAttemptsExhausted" for f in failures)
    ranges = [(int(f["DDBStreamBatchInfo"]["startSequenceNumber"]), int(f["DDBStreamBatchInfo"]["endSequenceNumber"]))
              for f in failures]
    all_seqs = {}
    for record in seen:
        all_seqs[number(record)] = seq(record)
    delivered = set(all_seqs)
    # Every record reached the handler or lies in a failure record's range.
    first = min(all_seqs.values()) - min(all_seqs)  # sequence numbers are consecutive here: n ↔ first + n
    for n in range(100):
        s = first + n
        assert n in delivered or any(a <= s <= b for a, b in ranges), n
    assert any(a <= first + 42 <= b for a, b in ranges)  # the poison record is in one
    discarded = sum(b - a + 1 for a, b in ranges)
    assert sum(f["DDBStreamBatchInfo"]["batchSize"] for f in failures) == discarded
    from dynalab.models.event_source_mapping import poison_plan

    plan = poison_plan(10, 2, bisect=bisect, maximum_retry_attempts=2)  # 42 is the third record of batch 40..49
    in_batch = [i for i in report.invocations if first + 40 <= int(i.first_sequence_number) <= first + 49]
    assert len(in_batch) == plan.invocations and discarded == plan.discarded  # the runner follows the rules
    if bisect:
        assert discarded <= 2 and 42 not in delivered and len(delivered) == 99
        assert any(i.action == "bisect" for i in report.invocations)
        assert not any(i.action == "retry" and i.batch_size > 1 for i in report.invocations)  # splits aren't retries
    else:
        assert discarded == 10 and len(delivered) == 90
        tries = [i for i in report.invocations if i.first_sequence_number == str(first + 40)]
        assert [i.retry for i in tries] == [0, 1, 2] and tries[-1].action == "discard"
    info = failures[0]["DDBStreamBatchInfo"]
    assert info["streamArn"] == mapping.stream_arn and info["shardId"].startswith("shardId-")


def test_the_shard_waits_behind_a_failing_batch_with_unlimited_retries(lab, table):
    for n in range(30):
        put(lab, table, n)
    seen: list[int] = []

    def handler(event, context):
        if any(number(r) == 12 for r in event["Records"]):
            raise RuntimeError("poison")
        seen.extend(number(r) for r in event["Records"])

    mapping = EventSourceMapping(lab, table, handler, starting_position="TRIM_HORIZON",
                                 batch_size=10, function_name="blocked")
    report = mapping.run_until_idle(max_invocations=20)
    assert seen == list(range(10)) and report.blocked  # records 20..29 wait behind the batch 10..19
    assert [i.retry for i in report.invocations[1:4]] == [0, 1, 2]
    mapping.advance_clock(24 * 3600 + 1)  # a day later the records expire (the stream keeps them 24 hours)...
    for n in range(30, 33):
        put(lab, table, n)  # (written now: young on the mapping's clock? no: the clock is a day ahead)
    report = mapping.run_until_idle()
    assert not report.blocked and mapping.pending_records() == 0
    assert {f["requestContext"]["condition"] for f in report.failure_records} == {"RecordAgeExceeded"}
    # ... the batch that blocked the shard and the 10 behind it are discarded, nothing of them reaches the handler
    assert sum(f["DDBStreamBatchInfo"]["batchSize"] for f in report.failure_records) >= 20
    assert not any(n in seen for n in range(10, 30))


def test_a_partial_batch_response_retries_from_the_failed_record_only(lab, table):
    for n in range(10):
        put(lab, table, n)
    calls: list[list[int]] = []

    def handler(event, context):
        numbers = [number(r) for r in event["Records"]]
        calls.append(numbers)
        if len(calls) == 1:
            return {"batchItemFailures": [{"itemIdentifier": event["Records"][5]["dynamodb"]["SequenceNumber"]}]}
        return {"batchItemFailures": []}

    mapping = EventSourceMapping(lab, table, handler, starting_position="TRIM_HORIZON",
                                 batch_size=10, function_name="partial",
                                 function_response_types=["ReportBatchItemFailures"])
    report = mapping.run_until_idle()
    assert calls == [list(range(10)), list(range(5, 10))]
    counts = {n: sum(n in c for c in calls) for n in range(10)}
    assert all(counts[n] == 1 for n in range(5)) and all(counts[n] == 2 for n in range(5, 10))
    assert [i.outcome for i in report.invocations] == ["partial", "success"] and report.records_delivered == 10


def test_a_bad_item_identifier_fails_the_whole_batch(lab, table):
    put(lab, table, 1)
    calls = []

    def handler(event, context):
        calls.append(len(event["Records"]))
        return {"batchItemFailures": [{"itemIdentifier": ""}]} if len(calls) == 1 else None

    mapping = EventSourceMapping(lab, table, handler, starting_position="TRIM_HORIZON", function_name="badid",
                                 function_response_types=["ReportBatchItemFailures"])
    report = mapping.run_until_idle()
    assert [i.outcome for i in report.invocations] == ["error", "success"]


def test_the_event_is_lambdas_dynamodb_streams_event(lab, table):
    put(lab, table, 7)
    lab.client.delete_item(TableName=table, Key={"pk": {"S": "item-007"}})
    events, contexts = [], []
    mapping = EventSourceMapping(lab, table, lambda e, c: (events.append(e), contexts.append(c)) and None,
                                 starting_position="TRIM_HORIZON", function_name="shape")
    mapping.run_until_idle()
    records = events[0]["Records"]
    assert [r["eventName"] for r in records] == ["INSERT", "REMOVE"]
    for record in records:
        assert {"eventID", "eventName", "eventVersion", "eventSource", "awsRegion", "eventSourceARN",
                "dynamodb"} <= set(record)
        assert record["eventSource"] == "aws:dynamodb" and record["eventSourceARN"] == mapping.stream_arn
        body = record["dynamodb"]
        assert {"Keys", "SequenceNumber", "SizeBytes", "StreamViewType", "ApproximateCreationDateTime"} <= set(body)
        assert isinstance(body["ApproximateCreationDateTime"], float)
        json.dumps(record)  # plain JSON, as Lambda hands it over
    assert "NewImage" in records[0]["dynamodb"] and "OldImage" in records[1]["dynamodb"]
    assert "userIdentity" not in records[1]  # a user's delete
    assert contexts[0].function_name == "shape" and contexts[0].invoked_function_arn.endswith(":function:shape")


def test_parallelization_keeps_order_per_item_not_per_partition_key(lab, table_name):
    # [src:esm-parallelization-per-item]: "in-order processing at the item (partition and sort key) level"
    create_table(lab, table_name, ("pk", "S"), sort_key=("day", "N"), stream_view_type="NEW_AND_OLD_IMAGES")
    for n in range(60):  # one partition key, 6 items (sort keys), each written 10 times
        lab.client.put_item(TableName=table_name, Item={"pk": {"S": "voter-1"}, "day": {"N": str(n % 6)},
                                                        "n": {"N": str(n)}})
    seen: dict[str, list[int]] = {}
    lanes: dict[str, set[int]] = {}

    def handler(event, context):
        for record in event["Records"]:
            seen.setdefault(record["dynamodb"]["Keys"]["day"]["N"], []).append(number(record))

    mapping = EventSourceMapping(lab, table_name, handler, starting_position="TRIM_HORIZON", batch_size=5,
                                 parallelization_factor=3, function_name="par")
    report = mapping.run_until_idle()
    assert sum(map(len, seen.values())) == 60 and len(seen) == 6
    for item, numbers in seen.items():
        assert numbers == sorted(numbers), item  # each item in order
    for invocation in report.invocations:
        lanes.setdefault("voter-1", set()).add(invocation.lane)
    assert len(lanes["voter-1"]) > 1  # the one partition key's items ran in several lanes


def test_filters_drop_records_and_a_ttl_filter_keeps_only_the_sweepers_deletes(lab, table):
    enable_ttl(lab, table, "expires_at")
    for n in range(4):
        put(lab, table, n, expires_at={"N": "1000"})  # long expired
    put(lab, table, 9)
    lab.client.delete_item(TableName=table, Key={"pk": {"S": "item-009"}})  # a user's delete
    assert TtlSweeper(lab, table).sweep() == 4
    ttl_only = {"Filters": [{"Pattern": json.dumps(
        {"userIdentity": {"type": ["Service"], "principalId": ["dynamodb.amazonaws.com"]}})}]}
    got = []
    mapping = EventSourceMapping(lab, table, lambda e, c: got.extend(e["Records"]),
                                 starting_position="TRIM_HORIZON", function_name="ttl",
                                 filter_criteria=ttl_only)
    report = mapping.run_until_idle()
    assert [r["eventName"] for r in got] == ["REMOVE"] * 4
    assert all(r["userIdentity"] == {"type": "Service", "principalId": "dynamodb.amazonaws.com"} for r in got)
    assert report.records_filtered == 6 and mapping.pending_records() == 0


def test_a_tumbling_window_passes_state_and_ends_with_a_final_invocation(lab, table):
    for n in range(7):
        put(lab, table, n)
    calls = []

    def handler(event, context):
        calls.append(event)
        state = dict(event["state"])
        state["count"] = state.get("count", 0) + len(event["Records"])
        return {"state": state}

    mapping = EventSourceMapping(lab, table, handler, starting_position="TRIM_HORIZON",
                                 batch_size=3, tumbling_window_in_seconds=900,
                                 function_name="window")
    mapping.run_until_idle()
    finals = [c for c in calls if c["isFinalInvokeForWindow"]]
    assert finals and finals[-1]["Records"] == []
    assert sum(c["state"].get("count", 0) for c in finals) == 7
    assert all(c["window"]["start"].endswith("Z") and c["shardId"] for c in calls)


def test_a_restarted_mapping_resumes_from_its_checkpoint(lab, table):
    for n in range(5):
        put(lab, table, n)
    first = []
    EventSourceMapping(lab, table, lambda e, c: first.extend(map(number, e["Records"])),
                       starting_position="TRIM_HORIZON", function_name="resume").run_until_idle()
    for n in range(5, 8):
        put(lab, table, n)
    second = []
    EventSourceMapping(lab, table, lambda e, c: second.extend(map(number, e["Records"])),
                       starting_position="TRIM_HORIZON", function_name="resume").run_until_idle()
    assert first == [0, 1, 2, 3, 4] and second == [5, 6, 7]


def test_background_run_and_a_dead_thread_is_not_running(lab, table):
    got = []
    mapping = EventSourceMapping(lab, table, lambda e, c: got.extend(e["Records"]), function_name="bg",
                                 starting_position="LATEST").start()
    put(lab, table, 1)
    import time

    deadline = time.monotonic() + 10
    while not got and time.monotonic() < deadline:
        time.sleep(0.05)
    mapping.stop()
    assert len(got) == 1 and not mapping.running and mapping.state() == "idle"


@pytest.mark.parametrize("settings, words", [
    ({"batch_size": 0}, "batch_size must be an integer from 1 to 10,000"),
    ({"parallelization_factor": 11}, "parallelization_factor must be an integer from 1 to 10"),
    ({"starting_position": "AT_TIMESTAMP"}, "starting_position must be one of TRIM_HORIZON, LATEST"),
    ({"starting_position": None}, "starting_position is required"),
    ({"destination_config": {"OnFailure": {"Destination": "arn:aws:lambda:us-east-1:123456789012:function:f"}}},
     "must be an SQS queue, an SNS topic or an S3 bucket ARN"),
    ({"maximum_record_age_in_seconds": 30}, "-1 (no limit) or an integer from 60 to 604,800"),
    ({"batch_sise": 10}, "unknown event source mapping setting(s) batch_sise"),
], ids=["batch0", "parallel11", "position", "no-position", "lambda", "age30", "typo"])
def test_bad_settings_give_one_clear_error(lab, table, settings, words):
    with pytest.raises((ValueError, TypeError)) as raised:
        EventSourceMapping(lab, table, lambda e, c: None, **{"starting_position": "TRIM_HORIZON", **settings})
    assert words in str(raised.value)


@pytest.mark.parametrize("arn", ["arn:aws:sqs:us-east-1:123456789012:no-such-queue",
                                 "arn:aws:sns:us-east-1:123456789012:no-such-topic", "arn:aws:s3:::no-such-bucket"],
                         ids=["sqs", "sns", "s3"])
def test_a_destination_that_does_not_exist_is_refused(lab, table, arn):
    with pytest.raises(ValueError, match="does not exist on this engine"):
        EventSourceMapping(lab, table, lambda e, c: None, starting_position="TRIM_HORIZON",
                           destination_config={"OnFailure": {"Destination": arn}})


def test_failure_records_reach_an_sns_topic_and_an_s3_bucket(lab, table, table_name):
    # [src:esm-on-failure-destinations]: an SNS topic or an S3 bucket, as well as an SQS queue
    for n in range(3):
        put(lab, table, n)
    sns, sqs, s3 = lab.new_client("sns"), lab.new_client("sqs"), lab.new_client("s3")
    suffix = abs(hash(table_name)) % 10**9
    topic = sns.create_topic(Name=f"failed-{suffix}")["TopicArn"]
    inbox = sqs.create_queue(QueueName=f"inbox-{suffix}")["QueueUrl"]
    inbox_arn = sqs.get_queue_attributes(QueueUrl=inbox, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=inbox_arn, Attributes={"RawMessageDelivery": "true"})
    bucket = f"failed-{suffix}"
    s3.create_bucket(Bucket=bucket)

    def fail(event, context):
        raise ValueError("always")

    for name, arn in (("to-sns", topic), ("to-s3", f"arn:aws:s3:::{bucket}")):
        mapping = EventSourceMapping(lab, table, fail, starting_position="TRIM_HORIZON", function_name=name,
                                     maximum_retry_attempts=0, destination_config={"OnFailure": {"Destination": arn}})
        report = mapping.run_until_idle()
        assert len(report.failure_records) == 1 and mapping.received_failure_records() == []
    delivered = sqs.receive_message(QueueUrl=inbox, MaxNumberOfMessages=10).get("Messages", [])
    assert [json.loads(m["Body"])["DDBStreamBatchInfo"]["batchSize"] for m in delivered] == [3]
    objects = s3.list_objects_v2(Bucket=bucket)["Contents"]
    assert len(objects) == 1 and objects[0]["Key"].startswith("aws/lambda/to-s3/")
    stored = json.loads(s3.get_object(Bucket=bucket, Key=objects[0]["Key"])["Body"].read())
    assert stored["requestContext"]["condition"] == "RetryAttemptsExhausted"


def test_the_vote_summary_handler_counts_each_vote_once_under_retries_and_the_naive_one_does_not(lab, table_name):
    from dynalab.lessons.lambda_triggers import vote_summary_handler
    from dynalab.lessons.projections import create_vote_tables, read_summary

    votes, summary, daily = create_vote_tables(lab, f"{table_name}-v", f"{table_name}-s", f"{table_name}-d")
    naive_summary = f"{table_name}-n"
    for n in range(8):
        lab.client.put_item(TableName=votes, Item={"UserID": {"S": f"u{n}"}, "vote": {"S": "AB"[n % 2]},
                                                   "Date": {"S": "2023-07-08"}})
    once: set[int] = set()

    def timeout_once(event):  # the first time each batch is seen, time out after the writes committed
        first = event["Records"][0]["dynamodb"]["SequenceNumber"]
        if first in once:
            return False
        once.add(first)
        return True

    for target, idempotent in ((summary, True), (naive_summary, False)):
        once.clear()
        handler = vote_summary_handler(lab, target, f"{target}-daily", idempotent=idempotent,
                                       fail_after_commit=timeout_once)
        mapping = EventSourceMapping(lab, votes, handler, starting_position="TRIM_HORIZON",
                                     batch_size=4, function_name=f"votes-{idempotent}")
        report = mapping.run_until_idle()
        assert [i.outcome for i in report.invocations] == ["error", "success", "error", "success"]
    assert read_summary(lab, summary) == {"A": 4, "B": 4}
    assert read_summary(lab, naive_summary) == {"A": 8, "B": 8}  # every vote counted twice


def test_the_poison_board_blocks_then_isolates_the_poison_vote(lab, table_name, queue_arn):
    from dynalab.lessons.projections import create_vote_tables
    from dynalab.widgets.lambda_triggers import PoisonVoteBoard

    votes, summary, daily = create_vote_tables(lab, f"{table_name}-v", f"{table_name}-s", f"{table_name}-d")
    board = PoisonVoteBoard(lab, votes, summary, daily, queue_arn)
    board.vote()
    assert "summary table: A 3, B 4, C 3" in board.readout_text()
    board.poison()
    assert "shard blocked: yes" in board.readout_text()
    board.configure(bisect=True, retries=2, destination=True)
    board.run()
    text = board.readout_text()
    assert "shard blocked: no" in text and "records discarded by this mapping: 1 " in text
    assert "summary table: A 6, B 6, C 7" in text  # nine of the ten new votes: the poison one (a B) is not
    assert len(board.mapping.received_failure_records()) == 1


def test_a_batching_window_gathers_records_and_run_until_idle_moves_the_clock_instead_of_waiting(lab, table):
    for n in range(30):
        put(lab, table, n)
    batches = []
    mapping = EventSourceMapping(lab, table, lambda e, c: batches.append(e["Records"]),
                                 starting_position="TRIM_HORIZON", function_name="window5",
                                 batch_size=100, maximum_batching_window_in_seconds=5)
    report = mapping.run_until_idle()
    assert [len(b) for b in batches] == [30]
    first_written = batches[0][0]["dynamodb"]["ApproximateCreationDateTime"]
    assert report.invocations[0].invoked_at - first_written >= 5  # the window passed, on the mapping's clock
