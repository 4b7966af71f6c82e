"""The stream reader against the real engine: iterator types, batch size, checkpoints, background run, bad input."""

from __future__ import annotations

import time

import pytest

from dynalab.engine.streams import (
    BadRecordError,
    CheckpointStore,
    ShardReader,
    StaleCheckpointError,
    StreamNotEnabledError,
    list_shards,
    stream_arn,
)
from dynalab.engine.tables import create_table, delete_table
from dynalab.lessons.projections import (
    create_vote_tables,
    daily_totals,
    mail_batch,
    read_mail_batch,
    read_summary,
    vote_summary,
)


def vote(lab, table: str, user: str, candidate, date: str = "2023-06-01") -> None:
    value = {"S": candidate} if isinstance(candidate, str) else {"N": str(candidate)}
    lab.client.put_item(TableName=table, Item={"UserID": {"S": user}, "vote": value, "Date": {"S": date}})


@pytest.fixture
def tables(lab, table_name):
    return create_vote_tables(lab, f"{table_name}-votes", f"{table_name}-summary", f"{table_name}-daily")


def test_the_articles_vote_table_gives_its_summary_and_daily_totals_are_a_query(lab, tables):
    votes, summary, daily = tables
    for user, candidate, date in (("user1", "A", "2023-06-01"), ("user2", "B", "2023-06-05"),
                                  ("user3", "B", "2023-07-01"), ("user4", "A", "2023-06-20")):
        vote(lab, votes, user, candidate, date)
    projector = vote_summary(lab, votes, summary, daily)
    assert projector.run_once() == 4
    assert read_summary(lab, summary) == {"A": 2, "B": 2}
    vote(lab, votes, "user5", "A", "2023-07-08")  # the article's new record: A goes from 2 to 3
    assert projector.run_once() == 1
    assert read_summary(lab, summary) == {"A": 3, "B": 2}
    assert daily_totals(lab, daily, "A", "2023-07-02", "2023-07-08") == 1  # a week's total: one Query
    assert daily_totals(lab, daily, "A", "2023-06-01", "2023-06-30") == 2


def test_a_shard_reader_reads_a_page_again_until_it_advances(lab, tables):
    votes = tables[0]
    for number in range(5):
        vote(lab, votes, f"u{number}", "A")
    shard, = list_shards(lab, stream_arn(lab, votes))
    reader = ShardReader(lab, stream_arn(lab, votes), shard["ShardId"], limit=2)
    first = reader.read()
    assert len(first) == 2 and reader.read() == first  # not advanced: the same page again
    reader.advance()
    rest = [record for page in reader.pages() for record in page]
    assert [r["dynamodb"]["Keys"]["UserID"]["S"] for r in first + rest] == [f"u{n}" for n in range(5)]
    assert reader.after == int(rest[-1]["dynamodb"]["SequenceNumber"]) and reader.calls >= 4
    arn, past = stream_arn(lab, votes), int(first[-1]["dynamodb"]["SequenceNumber"])
    # AFTER_SEQUENCE_NUMBER: a reader given a place starts past that record
    assert list(ShardReader(lab, arn, shard["ShardId"], after=past).pages()) == [rest]


def test_a_restarted_reader_resumes_after_its_checkpoint_and_batch_size_is_respected(lab, tables):
    votes, summary, daily = tables
    for number in range(7):
        vote(lab, votes, f"u{number}", "A")
    first = vote_summary(lab, votes, summary, daily, batch_size=2)
    assert first.run_once() == 7
    assert first.stats.get_records_calls >= 4  # 7 records, 2 a call
    checkpoint, = CheckpointStore(lab).load(first.consumer, first.stream_arn).values()
    assert checkpoint.sequence_number is not None
    for number in range(7, 10):
        vote(lab, votes, f"u{number}", "B")
    second = vote_summary(lab, votes, summary, daily)  # a new "process": AFTER_SEQUENCE_NUMBER from the engine
    assert second.run_once() == 3
    assert read_summary(lab, summary) == {"A": 7, "B": 3}
    with pytest.raises(ValueError, match="batch_size must be an integer from 1 to 1,000"):
        vote_summary(lab, votes, summary, daily, batch_size=0)


def test_latest_skips_what_was_there_trim_horizon_reads_it(lab, tables, table_name):
    votes, summary, daily = tables
    vote(lab, votes, "old", "A")
    latest = vote_summary(lab, votes, summary, daily, start_at="LATEST")
    assert latest.run_once() == 0
    vote(lab, votes, "new", "B")
    assert latest.run_once() == 1
    assert read_summary(lab, summary) == {"B": 1}
    shards = list_shards(lab, stream_arn(lab, votes))
    assert shards and all("ShardId" in shard for shard in shards)


def test_background_run_keeps_up_and_stops_cleanly(lab, tables):
    votes, summary, daily = tables
    projector = vote_summary(lab, votes, summary, daily, poll_seconds=0.05).start()
    assert projector.running
    for number in range(20):
        vote(lab, votes, f"u{number}", "AB"[number % 2])
    deadline = time.monotonic() + 20
    while read_summary(lab, summary) != {"A": 10, "B": 10} and time.monotonic() < deadline:
        time.sleep(0.05)
    projector.stop()
    assert not projector.running
    assert read_summary(lab, summary) == {"A": 10, "B": 10}


def test_a_record_of_unknown_shape_stops_the_projector_and_nothing_is_lost(lab, tables):
    votes, summary, daily = tables
    vote(lab, votes, "u1", "A")
    vote(lab, votes, "u2", 5)  # a number where a candidate belongs
    vote(lab, votes, "u3", "B")
    projector = vote_summary(lab, votes, summary, daily)
    with pytest.raises(BadRecordError, match="sequence number"):
        projector.run_once()
    assert read_summary(lab, summary) == {"A": 1}  # the record before it applied, none after it
    recovering = vote_summary(lab, votes, summary, daily, on_bad_record="dead_letter")
    assert recovering.run_once() == 1
    assert read_summary(lab, summary) == {"A": 1, "B": 1}
    dead, = recovering.dead_letters()
    assert dead["dynamodb"]["NewImage"]["vote"] == {"N": "5"}


def test_a_table_without_a_stream_or_with_keys_only_is_refused_clearly(lab, table_name):
    create_table(lab, f"{table_name}-plain", ("UserID", "S"))
    with pytest.raises(StreamNotEnabledError, match="enable_stream"):
        vote_summary(lab, f"{table_name}-plain", f"{table_name}-s")
    create_table(lab, f"{table_name}-keys", ("UserID", "S"), stream_view_type="KEYS_ONLY")
    with pytest.raises(StreamNotEnabledError, match="NEW_AND_OLD_IMAGES"):
        vote_summary(lab, f"{table_name}-keys", f"{table_name}-s")


def test_a_checkpoint_for_a_stream_that_no_longer_exists_is_reported_and_rebuild_recovers(lab, tables):
    votes, summary, daily = tables
    vote(lab, votes, "u1", "A")
    vote_summary(lab, votes, summary, daily).run_once()
    # The table is dropped and made again (a new stream), its summary kept; votes land before any projector runs.
    delete_table(lab, votes)
    create_table(lab, votes, ("UserID", "S"), stream_view_type="NEW_AND_OLD_IMAGES")
    vote(lab, votes, "u2", "B")
    vote(lab, votes, "u3", "B")
    projector = vote_summary(lab, votes, summary, daily)
    with pytest.raises(StaleCheckpointError, match="rebuild"):
        projector.run_once()
    assert read_summary(lab, summary) == {"A": 1}  # nothing applied from the new stream meanwhile
    projector.rebuild()  # the documented recovery (writers stopped)
    assert read_summary(lab, summary) == {"B": 2}  # recounted from the table: u1's vote went with the old table
    vote(lab, votes, "u4", "A")
    assert projector.run_once() == 1  # the stream continues after the rebuild point: nothing twice
    assert read_summary(lab, summary) == {"A": 1, "B": 2}


def test_users_feed_a_mail_batch_table_with_only_what_it_needs(lab, table_name):
    users = f"{table_name}-users"
    create_table(lab, users, ("UserID", "S"), stream_view_type="NEW_AND_OLD_IMAGES")
    put = lab.client.put_item
    put(TableName=users, Item={"UserID": {"S": "1"}, "UserName": {"S": "A-san"}, "Email": {"S": "aaa@example.com"},
                               "Address": {"S": "Tokyo"}})
    put(TableName=users, Item={"UserID": {"S": "2"}, "UserName": {"S": "B-san"}, "Email": {"S": "bbb@example.com"}})
    put(TableName=users, Item={"UserID": {"S": "3"}, "UserName": {"S": "C-san"}})  # no Email: no mail
    projector = mail_batch(lab, users, f"{table_name}-mail")
    assert projector.run_once() == 3
    put(TableName=users, Item={"UserID": {"S": "2"}, "UserName": {"S": "B-san"}, "Email": {"S": "b2@example.com"}})
    lab.client.delete_item(TableName=users, Key={"UserID": {"S": "1"}})
    assert projector.run_once() == 2
    mail = read_mail_batch(lab, f"{table_name}-mail")
    assert [(m["UserID"], m["Email"]) for m in mail] == [("2", "b2@example.com")]
    assert set(mail[0]) == {"mail_group", "UserID", "UserName", "Email"}


def test_a_copy_by_change_capture_follows_puts_changes_and_deletes_and_its_lag_is_measured(lab, table_name):
    from dynalab.engine.tables import scan_items
    from dynalab.lessons.copy_tables import copy_by_change_capture, measure_replication_lag

    source = f"{table_name}-src"
    create_table(lab, source, ("UserID", "S"), stream_view_type="NEW_IMAGE")
    for number in range(30):
        lab.client.put_item(TableName=source, Item={"UserID": {"S": f"u{number}"}, "n": {"N": str(number)}})
    lab.client.put_item(TableName=source, Item={"UserID": {"S": "u1"}, "n": {"N": "100"}})
    lab.client.delete_item(TableName=source, Key={"UserID": {"S": "u2"}})
    copy = copy_by_change_capture(lab, source, f"{table_name}-copy")
    assert copy.run_once() == 32
    lag = measure_replication_lag(lab, copy, [{"UserID": {"S": f"lag{n}"}} for n in range(10)],
                                  interval_seconds=0.01)
    assert len(lag.samples_seconds) == 10 and 0 < lag.median_seconds <= lag.p95_seconds < 30
    key = lambda item: item["UserID"]["S"]  # noqa: E731
    assert sorted(scan_items(lab, source, typed=True), key=key) == sorted(
        scan_items(lab, f"{table_name}-copy", typed=True), key=key)


def test_copy_by_restore_fails_on_the_second_day_unless_yesterdays_copy_is_deleted(lab, table_name):
    from dynalab.lessons.copy_tables import copy_by_restore

    source = f"{table_name}-src"
    create_table(lab, source, ("UserID", "S"))
    lab.client.put_item(TableName=source, Item={"UserID": {"S": "u1"}})
    assert copy_by_restore(lab, source, f"{table_name}-copy", 1).restored
    second = copy_by_restore(lab, source, f"{table_name}-copy", 2)
    assert not second.restored and second.error_code == "TableAlreadyExistsException"
    assert copy_by_restore(lab, source, f"{table_name}-copy", 3, delete_previous_copy=True).restored
    assert lab.client.get_item(TableName=f"{table_name}-copy", Key={"UserID": {"S": "u1"}})["Item"]


def test_cost_comparison_is_metered_with_dynamodbs_rules(lab, table_name):
    from dynalab.engine.tables import scan_items
    from dynalab.lessons.cost_comparison import compare_batch_and_stream
    from dynalab.models.capacity import query_read_units
    from dynalab.models.sizing import item_size

    comparison = compare_batch_and_stream(lab, days=3, votes_per_day=40, runs_per_day=2, client_bytes=500,
                                          prefix=table_name[:60])
    votes = scan_items(lab, f"{table_name[:60]}-votes")
    for day in comparison.days:
        # the batch Scans every vote so far: one page, sizes summed then rounded to 4 KB, eventually consistent
        so_far = [vote for vote in votes if vote["Date"] <= f"2023-06-{day.day:02d}"]
        assert day.items_in_table == len(so_far)
        assert day.batch_read_units == query_read_units([item_size(v) for v in so_far], "eventual")
        # the stream: 2 GetRecords a run (the records, then an empty answer), transactional writes (2 WCU an item)
        assert day.stream_read_requests == 2 * 2
        assert day.stream_write_units % 2 == 0 and day.stream_write_units > 0
    assert comparison.days[-1].batch_read_units > comparison.days[0].batch_read_units
    assert len({day.stream_write_units for day in comparison.days}) == 1  # flat: follows the changes


def test_a_full_scan_throttles_users_while_the_mail_table_batch_does_not(lab, table_name):
    import dynalab
    from dynalab.lessons.cost_comparison import scan_contention

    users = [{"UserID": f"{n:05d}", "UserName": f"user{n}-san", "Email": f"user{n}@example.com"}
             for n in range(1500)]
    create_table(lab, f"{table_name}-users", ("UserID", "S"), read_capacity_units=2, write_capacity_units=2,
                 stream_view_type="NEW_AND_OLD_IMAGES")
    dynalab.bulk_load(lab, f"{table_name}-users", users, show_progress=False)
    mail_batch(lab, f"{table_name}-users", f"{table_name}-mail").run_once()
    enforcer = dynalab.enforce_throughput(lab, f"{table_name}-users", burst_seconds=0)
    try:
        ids = [user["UserID"] for user in users]
        quiet = scan_contention(lab, f"{table_name}-users", f"{table_name}-mail", ids, after_batch_seconds=1.0)
        busy = scan_contention(lab, f"{table_name}-users", f"{table_name}-users", ids, after_batch_seconds=1.0)
    finally:
        enforcer.stop()
    assert quiet.throttled_user_reads == 0
    assert busy.throttled_user_reads > 0


def test_bulk_load_keeps_to_25_items_a_call_and_outlasts_throttling(lab, table_name):
    import dynalab
    from dynalab.engine.tables import bulk_load

    create_table(lab, table_name, ("pk", "S"), read_capacity_units=5, write_capacity_units=5)
    enforcer = dynalab.enforce_throughput(lab, table_name, burst_seconds=0)
    try:
        report = bulk_load(lab, table_name, [{"pk": f"k{n:03d}"} for n in range(50)], show_progress=False)
    finally:
        enforcer.stop()
    assert report.items_written == 50
    assert report.batch_calls - report.retried_calls == 2  # 50 items = 2 first calls of 25 each
    assert report.throttled_attempts >= 1  # the second call was refused whole: botocore's policy retried it
    assert lab.client.scan(TableName=table_name, Select="COUNT")["Count"] == 50
