"""Issue 23 part 6: a handler that runs past the function's timeout is abandoned, as Lambda stops it: a function
error, retried and bisected like any other, said so in the readout; its late result goes nowhere."""

from __future__ import annotations

import threading
import time

import pytest

from dynalab.engine.tables import create_table
from dynalab.lessons import lambda_function
from dynalab.lessons.event_source_mapping import EventSourceMapping

#: how long the slow handler sleeps: far past the 1 s timeout, so a mapping that waited for it cannot pass
SLEEP_SECONDS = 30


@pytest.fixture
def table(lab, table_name):
    create_table(lab, table_name, ("pk", "S"), stream_view_type="NEW_AND_OLD_IMAGES")
    for n in range(4):
        lab.client.put_item(TableName=table_name, Item={"pk": {"S": f"item-{n}"}, "n": {"N": str(n)}})
    return table_name


@pytest.fixture
def release():
    """Set at the end of the test: the abandoned handlers stop sleeping and their threads end."""
    event = threading.Event()
    yield event
    event.set()


def slow_on(number: int, release: threading.Event, seen: list, late: list):
    def handler(event, context):
        numbers = [int(r["dynamodb"]["NewImage"]["n"]["N"]) for r in event["Records"]]
        if number in numbers:
            assert 0 < context.get_remaining_time_in_millis() <= 1000  # the context counts down the timeout
            release.wait(SLEEP_SECONDS)
            late.append(numbers)  # returns after the mapping gave up on it: nothing may come of it
            return None
        seen.extend(numbers)
        return None
    return handler


def test_a_handler_past_its_timeout_is_abandoned_bisected_retried_and_discarded(lab, table, release):
    seen: list[int] = []
    late: list[list[int]] = []
    mapping = EventSourceMapping(lab, table, slow_on(2, release, seen, late),
                                 starting_position="TRIM_HORIZON", function_name="timeout-bisect",
                                 function_timeout_seconds=1, batch_size=4, bisect_batch_on_function_error=True,
                                 maximum_retry_attempts=1)
    started = time.monotonic()
    report = mapping.run_until_idle()
    assert time.monotonic() - started < SLEEP_SECONDS  # the mapping did not wait for the sleeping handler
    timed_out = [i for i in report.invocations if i.timed_out]
    # 4 records: [0..3] times out, bisect; [0,1] succeeds; [2,3] times out, bisect; [2] times out, retried once, then
    # discarded; [3] succeeds. Each timed-out call is a function error with Lambda's words.
    assert [(i.batch_size, i.action) for i in timed_out] == [(4, "bisect"), (2, "bisect"), (1, "retry"),
                                                             (1, "discard")]
    assert all(i.outcome == "error" and i.error == "Task timed out after 1.00 seconds" for i in timed_out)
    assert sorted(seen) == [0, 1, 3] and not report.blocked and mapping.pending_records() == 0
    assert [f["DDBStreamBatchInfo"]["batchSize"] for f in report.failure_records] == [1]
    assert "4 timed out (Task timed out after 1.00 seconds) and were abandoned" in report.describe()
    release.set()  # the abandoned calls return now: their results are ignored
    deadline = time.monotonic() + 10
    while len(late) < len(timed_out) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(late) == len(timed_out)
    assert len(mapping.invocations) == len(report.invocations) and sorted(seen) == [0, 1, 3]


def test_with_unlimited_retries_the_shard_waits_behind_a_timed_out_batch(lab, table, release):
    seen: list[int] = []
    mapping = EventSourceMapping(lab, table, slow_on(0, release, seen, []),
                                 starting_position="TRIM_HORIZON", function_name="timeout-block",
                                 function_timeout_seconds=1, batch_size=10)
    report = mapping.run_until_idle(max_invocations=2)
    assert [(i.outcome, i.action, i.timed_out) for i in report.invocations] == [("error", "retry", True)] * 2
    assert seen == [] and report.blocked  # the whole batch waits, as behind any failing batch


def test_too_many_abandoned_calls_stop_the_mapping_instead_of_piling_up_threads(lab, table, release, monkeypatch):
    monkeypatch.setattr(lambda_function, "MAX_ABANDONED_HANDLERS", 2)  # 16 by default: 2 keeps the test at 2 s
    mapping = EventSourceMapping(lab, table, slow_on(0, release, [], []),
                                 starting_position="TRIM_HORIZON", function_name="timeout-pile",
                                 function_timeout_seconds=1, batch_size=10)
    with pytest.raises(RuntimeError, match="2 calls of the handler are still running past their timeout"):
        mapping.run_until_idle(max_invocations=3)
    assert len(mapping.invocations) == 2


@pytest.mark.parametrize("value", [0, 901, 1.5, None, True])
def test_the_timeout_is_lambdas_range(lab, table, value):
    with pytest.raises(ValueError, match=r"function_timeout_seconds must be an integer from 1 to 900"):
        EventSourceMapping(lab, table, lambda event, context: None, starting_position="TRIM_HORIZON",
                           function_timeout_seconds=value)
