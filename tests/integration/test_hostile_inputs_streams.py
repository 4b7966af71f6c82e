"""Issue 12 item 11 for the streams helper's public names (projectors, copy tables, the load generator, the event
source mapping): each driven with hostile values against the real engine gives a result or a clear error (of
dynalab's documented kinds, raised in dynalab, naming the parameter). The lead may fold these baselines into
tests/integration/test_hostile_inputs_lab.py."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import RUN
from support_hostile import (
    HOSTILE_VALUES,
    LAB_WALL_SECONDS_MAX,
    bounded_outcome,
    check_hostile_call,
    clear_error_problem,
    parameters_of,
)

import dynalab
from dynalab.lessons.projections import VoteSummaryProjection

#: this process's tables (support.RUN): on an engine other pytest workers share, none of theirs
H = f"hostile-s-{RUN}-"
V, S, D = f"{H}votes", f"{H}summary", f"{H}daily"
U, M, C = f"{H}users", f"{H}mail", f"{H}copy"
P = f"{H}prov"
Q = f"{H}dlq"


@pytest.fixture(scope="module")
def prepared(_engine_for_the_session):
    lab = dynalab.connect()
    dynalab.create_vote_tables(lab, V, S, D, reset=True)
    dynalab.create_table(lab, U, ("UserID", "S"), stream_view_type="NEW_AND_OLD_IMAGES", reset=True)
    dynalab.create_table(lab, P, ("pk", "S"), reset=True)
    for number in range(5):
        lab.client.put_item(TableName=U, Item={"UserID": {"S": f"u{number}"}, "Email": {"S": f"u{number}@example.com"}})
    sqs = lab.new_client("sqs")
    url = sqs.create_queue(QueueName=Q)["QueueUrl"]
    lab.queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    lab.copy_projector = dynalab.copy_by_change_capture(lab, U, f"{H}lagcopy")
    yield lab
    for table in lab.client.list_tables()["TableNames"]:
        if table.startswith(H):
            lab.client.delete_table(TableName=table)


def baselines(lab: Any) -> dict[str, dict[str, Any]]:
    return {
        "vote_summary": {"votes_table": V, "summary_table": S, "daily_table": D},
        "StreamProjector": {"source_table": V, "projection": VoteSummaryProjection(S, D)},
        "enable_stream": {"table_name": V},
        "EventSourceMapping": {"table_name": V, "handler": lambda event, context: None,
                               "starting_position": "TRIM_HORIZON"},
        "daily_totals": {"daily_table": D, "vote": "A", "first_date": "2023-01-01", "last_date": "2023-01-02"},
        "read_summary": {"summary_table": S},
        "tally_votes": {"votes_table": V},
        "mail_batch": {"users_table": U, "mail_table": M},
        "copy_by_change_capture": {"source_table": U, "copy_table": C},
        "copy_by_restore": {"source_table": U, "copy_table": f"{H}restored", "day": 1,
                            "delete_previous_copy": True},
        "run_load": {"table_name": P, "requests_per_second": 20, "seconds": 1},
    }


def slow_baselines(lab: Any) -> dict[str, dict[str, Any]]:
    """Names whose valid call builds tables, S3 objects or threads: fewer examples each (the gaps issue 12 listed)."""
    return {
        "VoteBoard": {"votes_table": V, "summary_table": S, "daily_table": D, "live": False},
        "PoisonVoteBoard": {"votes_table": V, "summary_table": S, "daily_table": D,
                            "queue_arn": lab.queue_arn if lab else ""},
        "copy_by_bulk_put": {"source_table": U, "copy_table": P, "day": 1, "bucket": f"hostile-s-{RUN}-bucket"},
        "copy_by_import": {"source_table": U, "copy_table": f"{H}imported", "day": 1,
                           "bucket": f"hostile-s-{RUN}-bucket"},
        "measure_replication_lag": {"projector": lab.copy_projector if lab else None,
                                    "items": [{"UserID": {"S": "lag"}}], "interval_seconds": 0.01,
                                    "timeout_seconds": 10},
        "create_vote_tables": {"votes": V, "summary": S, "daily": D, "reset": False},
    }


NAMES = sorted(baselines(None))
SLOW_NAMES = sorted(slow_baselines(None))
HOSTILE = st.sampled_from(HOSTILE_VALUES)


def drive(name: str, lab: Any, baseline: dict[str, Any], data: Any) -> None:
    """One hostile value for one of ``name``'s parameters (not ``lab``), the others from ``baseline``."""
    parameter = data.draw(st.sampled_from(parameters_of(name, skip=("lab",))), label="parameter")
    value = data.draw(HOSTILE, label="value")
    check_hostile_call(name, {"lab": lab, **baseline, parameter: value}, parameter, value)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_hostile_value_gives_a_result_or_a_clear_error(name, prepared, data):
    drive(name, prepared, baselines(prepared)[name], data)


@pytest.mark.parametrize("name", SLOW_NAMES)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_hostile_value_to_a_table_building_name_gives_a_result_or_a_clear_error(name, prepared, data):
    drive(name, prepared, slow_baselines(prepared)[name], data)


def costly_stream_calls(lab: Any) -> dict[str, tuple[str, dict[str, Any], str]]:
    """Issue 23: values with no end in sight (a spinning poll, hours of writes, a handler that never returns),
    each with the parameter its error must name: refused at once."""
    return {
        "a projector polling every nanosecond": ("vote_summary", {"votes_table": V, "summary_table": S,
                                                                 "daily_table": D, "poll_seconds": 1e-9},
                                                 "poll_seconds"),
        "2,000 writes a minute apart": ("measure_replication_lag", {
            "projector": lab.copy_projector if lab else None, "items": [{"UserID": {"S": "lag"}}] * 2_000,
            "interval_seconds": 60}, "items"),
        "60 writes a minute apart": ("measure_replication_lag", {
            "projector": lab.copy_projector if lab else None, "items": [{"UserID": {"S": "lag"}}] * 60,
            "interval_seconds": 60}, "interval_seconds"),
        "a function timeout past Lambda's 900 s": ("EventSourceMapping", {
            "table_name": V, "handler": lambda event, context: None, "function_timeout_seconds": 901},
            "function_timeout_seconds"),
    }


@pytest.mark.parametrize("what", sorted(costly_stream_calls(None)))
def test_a_costly_value_is_refused_before_its_work(what, prepared):
    name, arguments, parameter = costly_stream_calls(prepared)[what]
    kind, result = bounded_outcome(lambda: getattr(dynalab, name)(lab=prepared, **arguments), what,
                                   LAB_WALL_SECONDS_MAX)
    if kind == "result" and hasattr(result, "stop"):
        result.stop()
    assert kind == "error", f"{what}: accepted"
    assert clear_error_problem(result, parameter) is None, f"{what}: {clear_error_problem(result, parameter)}"


def test_a_handler_that_sleeps_does_not_hold_the_mapping(prepared):
    """Issue 23: a handler that sleeps 20 s held EventSourceMapping's run (and its stop) for 20 s; with the
    function's timeout it is abandoned after 1 s."""
    release = threading.Event()
    prepared.client.put_item(TableName=V, Item={"UserID": {"S": "sleepy"}, "vote": {"S": "A"},
                                                "Date": {"S": "2023-01-01"}})
    mapping = dynalab.EventSourceMapping(prepared, V, lambda event, context: release.wait(20),
                                         starting_position="TRIM_HORIZON", function_name="hostile-sleeper",
                                         function_timeout_seconds=1)
    try:
        kind, report = bounded_outcome(lambda: mapping.run_until_idle(max_invocations=1), "a sleeping handler",
                                       wall_seconds_max=10)
        assert kind == "result" and report.invocations[0].timed_out
    finally:
        release.set()
