"""A lesson deletes only what it created, and says so (issue 23, part 3), on a real engine.

Every table dynalab creates is tagged ``dynalab:creator`` / ``dynalab:owner``; ``reset=True`` and
``delete_previous_copy=True`` delete a table only if the same family of functions created it for this connection.
Two kernels on one ``dynalab serve`` engine get tables of their own names. A projector or event source mapping whose
source table is deleted, or made again, stops with a readout that says so, and a new one starts cleanly."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time

import pytest
from support import free_port

import dynalab
from dynalab.engine.ownership import CREATOR_TAG, OWNER_TAG, TableNotOursError, ownership
from dynalab.engine.tables import create_table, delete_table, scan_items, table_exists
from dynalab.lessons.copy_tables import copy_by_change_capture, copy_by_restore
from dynalab.lessons.event_source_mapping import EventSourceMapping
from dynalab.lessons.projections import create_vote_tables, mail_batch, read_summary, vote_summary


def vote(lab, table: str, user: str, candidate: str) -> None:
    lab.client.put_item(TableName=table, Item={"UserID": {"S": user}, "vote": {"S": candidate},
                                               "Date": {"S": "2023-06-01"}})


def until(condition, seconds: float = 20.0):
    """Poll ``condition`` until it is truthy (returned) or ``seconds`` pass (then its last value)."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def _unrelated(lab, name: str, items: int, by_dynalab: bool) -> None:
    """A table that is not a copy: made by the learner's own create_table, or by plain boto3."""
    if by_dynalab:
        create_table(lab, name, ("pk", "S"))
    else:
        lab.client.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                                BillingMode="PAY_PER_REQUEST")
    for n in range(items):
        lab.client.put_item(TableName=name, Item={"pk": {"S": f"k{n}"}})


def test_created_tables_carry_their_creator_and_owner(lab, table_name):
    votes, summary, _ = create_vote_tables(lab, f"{table_name}-v", f"{table_name}-s", f"{table_name}-d")
    assert ownership(lab, votes).creator == "create_vote_tables"
    assert ownership(lab, summary).creator == "create_summary_tables"
    assert ownership(lab, votes).owner == lab.owner != ""
    arn = lab.client.describe_table(TableName=votes)["Table"]["TableArn"]
    tags = {t["Key"] for t in lab.client.list_tags_of_resource(ResourceArn=arn)["Tags"]}
    assert {CREATOR_TAG, OWNER_TAG} <= tags
    with pytest.raises(ValueError, match="dynalab:owner"):
        create_table(lab, f"{table_name}-spoof", Tags=[{"Key": OWNER_TAG, "Value": "me"}])


@pytest.mark.parametrize("by_dynalab", [True, False], ids=["made-by-create_table", "made-by-boto3"])
def test_copy_by_restore_refuses_to_delete_an_unrelated_table_named_as_the_copy(lab, table_name, by_dynalab):
    source, copy = f"{table_name}-main", f"{table_name}-num"
    create_table(lab, source, ("pk", "S"))
    lab.client.put_item(TableName=source, Item={"pk": {"S": "a"}})
    _unrelated(lab, copy, 51, by_dynalab)
    with pytest.raises(TableNotOursError, match=f"'{copy}'.*(create_table \\(its dynalab:creator tag\\), not "
                                                 "by copy_by_restore|not created by dynalab)"):
        copy_by_restore(lab, source, copy, 1, delete_previous_copy=True)
    assert len(scan_items(lab, copy)) == 51
    # its own copy, yesterday's, it does replace
    delete_table(lab, copy)
    assert copy_by_restore(lab, source, copy, 1).restored
    assert ownership(lab, copy).creator == "copy_by_restore"
    assert copy_by_restore(lab, source, copy, 2, delete_previous_copy=True).restored


def test_a_reset_of_a_table_another_function_or_boto3_made_is_refused(lab, table_name):
    users = f"{table_name}-users"
    create_table(lab, users, ("UserID", "S"), stream_view_type="NEW_AND_OLD_IMAGES")
    _unrelated(lab, f"{table_name}-mail", 3, by_dynalab=True)
    with pytest.raises(TableNotOursError,
                       match=r"created by create_table \(its dynalab:creator tag\), not by mail_batch"):
        mail_batch(lab, users, f"{table_name}-mail", reset=True)
    _unrelated(lab, f"{table_name}-copy", 3, by_dynalab=False)
    with pytest.raises(TableNotOursError, match="not created by dynalab"):
        copy_by_change_capture(lab, users, f"{table_name}-copy", reset=True)
    restored = f"{table_name}-restored"
    copy_by_restore(lab, users, restored, 1)
    with pytest.raises(TableNotOursError,
                       match=r"created by copy_by_restore \(its dynalab:creator tag\), not by create_vote_tables"):
        create_vote_tables(lab, restored, f"{table_name}-s", f"{table_name}-d", reset=True)
    assert len(scan_items(lab, f"{table_name}-mail")) == 3 and len(scan_items(lab, f"{table_name}-copy")) == 3
    assert table_exists(lab, restored)
    # each function's own tables it does reset
    mail_batch(lab, users, f"{table_name}-own-mail", reset=True)
    mail_batch(lab, users, f"{table_name}-own-mail", reset=True)
    create_vote_tables(lab, f"{table_name}-v", f"{table_name}-s", f"{table_name}-d", reset=True)
    create_vote_tables(lab, f"{table_name}-v", f"{table_name}-s", f"{table_name}-d", reset=True)


def test_another_process_on_the_same_engine_may_not_reset_this_ones_tables(lab, table_name):
    """An engine that does not say it is shared (another kernel's, or one you started): same names, so the second
    kernel's reset is refused by owner, and says how to get names of its own."""
    votes, summary, daily = create_vote_tables(lab, f"{table_name}-v", f"{table_name}-s", f"{table_name}-d")
    vote(lab, votes, "u1", "A")
    script = textwrap.dedent(f"""
        import dynalab
        try:
            dynalab.create_vote_tables(dynalab.connect(), {votes!r}, {summary!r}, {daily!r}, reset=True)
        except PermissionError as error:
            print("REFUSED", error)
    """)
    env = {key: value for key, value in os.environ.items() if key != "DYNALAB_LEARNER"}
    env["DYNALAB_ENDPOINT"] = lab.endpoint_url
    shown = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert shown.stdout.startswith("REFUSED"), shown.stderr[-2000:]
    assert "not for this connection" in shown.stdout and "DYNALAB_LEARNER" in shown.stdout
    assert len(scan_items(lab, votes)) == 1


def test_a_projector_stops_when_its_source_is_deleted_and_a_new_one_runs(lab, table_name):
    names = (f"{table_name}-v", f"{table_name}-s", f"{table_name}-d")
    votes, summary, daily = create_vote_tables(lab, *names)
    running = vote_summary(lab, votes, summary, daily, poll_seconds=0.05).start()
    try:
        vote(lab, votes, "u1", "A")
        assert until(lambda: read_summary(lab, summary) == {"A": 1})
        delete_table(lab, votes)
        state = until(lambda: running.state() if not running.running else "", 20)
        assert state.startswith("stopped (SourceTableChangedError") and "was deleted" in state, state
    finally:
        with pytest.raises(dynalab.engine.streams.SourceTableChangedError):
            running.stop()
    votes, summary, daily = create_vote_tables(lab, *names, reset=True)
    fresh = vote_summary(lab, votes, summary, daily)
    vote(lab, votes, "u2", "B")
    assert fresh.run_once() == 1  # no StaleCheckpointError, nothing of the old table
    assert read_summary(lab, summary) == {"B": 1}


def test_a_lesson_rerun_stops_the_old_projector_and_the_new_one_counts_exactly(lab, table_name):
    names = (f"{table_name}-v", f"{table_name}-s", f"{table_name}-d")
    votes, summary, daily = create_vote_tables(lab, *names)
    old = vote_summary(lab, votes, summary, daily, poll_seconds=0.05).start()
    for n in range(3):
        vote(lab, votes, f"u{n}", "A")
    assert until(lambda: read_summary(lab, summary) == {"A": 3})
    votes, summary, daily = create_vote_tables(lab, *names, reset=True)  # lesson 4's first cell, run again
    state = until(lambda: old.state() if not old.running else "", 20)
    assert "SourceTableChangedError" in state and ("made again" in state or "was deleted" in state), state
    new = vote_summary(lab, votes, summary, daily)
    vote(lab, votes, "x", "B")
    new.wait_until_caught_up()
    assert read_summary(lab, summary) == {"B": 1}
    assert old.error is not None


def test_an_event_source_mapping_stops_when_its_table_is_deleted(lab, table_name):
    table = f"{table_name}-esm"
    create_table(lab, table, ("pk", "S"), stream_view_type="NEW_AND_OLD_IMAGES")
    seen: list = []
    mapping = EventSourceMapping(lab, table, lambda event, context: seen.extend(event["Records"]),
                                 starting_position="TRIM_HORIZON").start()
    try:
        lab.client.put_item(TableName=table, Item={"pk": {"S": "a"}})
        assert until(lambda: len(seen) == 1)
        delete_table(lab, table)
        state = until(lambda: mapping.state() if not mapping.running else "", 20)
        assert "SourceTableChangedError" in state and "the event source mapping stopped" in state, state
    finally:
        with pytest.raises(dynalab.engine.streams.SourceTableChangedError):
            mapping.stop()


@pytest.fixture
def shared_engine():
    """``dynalab serve`` on a free port, as a workshop machine runs it for several kernels."""
    port, found = free_port(), None
    server = subprocess.Popen([sys.executable, "-m", "dynalab", "serve", "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = server.stdout.readline()  # printed once the engine answers
        found = re.search(r"http://127\.0\.0\.1:\d+", line)
        assert found, line
        yield found.group()
    finally:
        server.terminate()
        server.wait(timeout=20)
        server.stdout.close()
        if found:
            dynalab.engine._labs.pop(found.group(), None)


@pytest.mark.embedded_only  # on `dynalab serve`'s engine, started here: DYNALAB_ENDPOINT's engine plays no part
def test_two_kernels_on_one_shared_engine_keep_their_own_tables_and_projector(shared_engine):
    kernel_a = dynalab.connect(shared_engine)
    assert kernel_a.table_prefix == f"{kernel_a.owner}-"
    votes, summary, daily = create_vote_tables(kernel_a, reset=True)  # lesson 4's first cell
    assert votes == f"{kernel_a.owner}-votes"
    projector = vote_summary(kernel_a, votes, summary, daily, poll_seconds=0.05).start()
    try:
        for n in range(4):
            vote(kernel_a, votes, f"a{n}", "A")
        assert until(lambda: read_summary(kernel_a, summary) == {"A": 4})
        # kernel B: another process, the same cell, then a vote of its own
        script = textwrap.dedent("""
            import dynalab
            lab = dynalab.connect()
            votes, summary, daily = dynalab.create_vote_tables(lab, reset=True)
            lab.client.put_item(TableName=votes, Item={"UserID": {"S": "b"}, "vote": {"S": "B"},
                                                       "Date": {"S": "2023-06-01"}})
            dynalab.vote_summary(lab, votes, summary, daily).run_once()
            print("B", votes, dynalab.read_summary(lab, summary))
        """)
        env = {key: value for key, value in os.environ.items() if key != "DYNALAB_LEARNER"}
        env["DYNALAB_ENDPOINT"] = shared_engine
        shown = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
        assert shown.returncode == 0, shown.stderr[-2000:]
        b_votes = shown.stdout.split()[1]
        assert b_votes.endswith("-votes") and b_votes != votes and "{'B': 1}" in shown.stdout
        # kernel A's tables, items and projector are intact: it still runs, and counts A's next vote
        assert len(scan_items(kernel_a, votes)) == 4 and read_summary(kernel_a, summary) == {"A": 4}
        vote(kernel_a, votes, "a9", "C")
        assert until(lambda: read_summary(kernel_a, summary) == {"A": 4, "C": 1})
        assert projector.running and projector.state() == "running"
    finally:
        projector.stop()


def test_an_engine_that_cannot_tag_gets_a_record_bound_to_the_tables_creation(lab, table_name):
    """On an engine dynalab does not know (AWS's DynamoDB Local has no tagging calls) the ownership is a record in
    dynalab-ownership; a table of the same name deleted and made again by someone else is not dynalab's."""
    from dynalab.engine import _make_lab
    from dynalab.engine.ownership import OWNERSHIP_TABLE

    other = _make_lab(lab.endpoint_url, "other", embedded=False)
    try:
        name = create_table(other, f"{table_name}-rec").name
        assert ownership(other, name).creator == "create_table"
        create_table(other, name, reset=True)  # its own: reset
        lab.client.delete_table(TableName=name)
        lab.client.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                                BillingMode="PAY_PER_REQUEST")
        assert ownership(other, name) is None
        with pytest.raises(TableNotOursError, match="not created by dynalab"):
            create_table(other, name, reset=True)
    finally:
        lab.client.delete_table(TableName=OWNERSHIP_TABLE)
