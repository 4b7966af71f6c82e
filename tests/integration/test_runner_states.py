"""Issue 12 item 7: background runners (the projector, the VoteBoard, the load generator, the event source mapping)
report their own death: a readout never says "running" for a thread that ended or an engine that is gone, and
absurd settings (infinite or NaN intervals and rates, negative values) are refused with the allowed range."""

from __future__ import annotations

import math
import threading
import time

import pytest

from dynalab.engine import connect, start_embedded_engine
from dynalab.engine.tables import create_table
from dynalab.lessons.event_source_mapping import EventSourceMapping
from dynalab.lessons.load_generator import LoadRunError, run_load
from dynalab.lessons.projections import create_vote_tables, vote_summary


@pytest.fixture
def tables(lab, table_name):
    return create_vote_tables(lab, f"{table_name}-votes", f"{table_name}-summary", f"{table_name}-daily")


@pytest.fixture
def doomed_lab():
    """A lab on an engine of its own, which the test kills."""
    engine = start_embedded_engine()
    try:
        yield connect(engine.endpoint_url), engine
    finally:
        engine.stop()


def wait_for(condition, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def bad_vote(lab, votes: str) -> None:
    lab.client.put_item(TableName=votes, Item={"UserID": {"S": "bad"}, "vote": {"S": "A"}, "Date": {"S": "soon"}})


# -------------------------------------------------------------------------------------------------- projector
@pytest.mark.parametrize("options, words", [
    ({"poll_seconds": math.inf}, "poll_seconds must be a finite number > 0 and <="),
    ({"poll_seconds": math.nan}, "poll_seconds must be a finite number"),
    ({"poll_seconds": -1}, "poll_seconds must be a finite number > 0 and <="),
    ({"poll_seconds": "0.1"}, "poll_seconds must be a finite number"),
    ({"lease_seconds": 0}, "lease_seconds must be a finite number > 0 and <="),
    ({"lease_seconds": 1e9}, "lease_seconds must be a finite number > 0 and <="),
    ({"batch_size": True}, "batch_size must be an integer from 1 to 1,000"),
    ({"exactly_once": "no"}, "exactly_once must be True or False"),
    ({"reader_name": "a@b/c"}, "reader_name must be text"),
], ids=["inf", "nan", "negative", "text", "lease0", "lease-huge", "bool", "flag", "name"])
def test_a_projector_refuses_absurd_settings_with_the_allowed_range(lab, tables, options, words):
    votes, summary, daily = tables
    with pytest.raises((ValueError, TypeError)) as raised:
        vote_summary(lab, votes, summary, daily, **options)
    assert words in str(raised.value)


def test_a_projector_whose_thread_died_says_stopped_and_why(lab, tables):
    votes, summary, daily = tables
    projector = vote_summary(lab, votes, summary, daily, poll_seconds=0.05).start()
    assert projector.state() == "running"
    bad_vote(lab, votes)
    assert wait_for(lambda: not projector.running)
    assert projector.state().startswith("stopped (BadRecordError: a vote needs a Date string")
    with pytest.raises(Exception, match="Date"):
        projector.stop()


@pytest.mark.embedded_only
def test_a_projector_on_an_engine_that_died_never_says_running(doomed_lab):
    lab, engine = doomed_lab
    votes, summary, daily = create_vote_tables(lab, "votes", "summary", "daily")
    projector = vote_summary(lab, votes, summary, daily, poll_seconds=0.05).start()
    assert projector.state() == "running"
    engine.process.kill()
    engine.process.wait(timeout=10)
    state = projector.state()
    assert not state.startswith("running"), state
    assert state.startswith(("stalled: the engine at", "stopped ("))
    assert wait_for(lambda: not projector.running, 60)
    assert projector.state().startswith("stopped (")
    projector.error = None  # the engine is gone: nothing to re-raise in this test


# --------------------------------------------------------------------------------------------------- VoteBoard
def test_the_vote_board_readout_says_when_its_projector_died(lab, tables):
    from dynalab.widgets.streams import VoteBoard

    votes, summary, daily = tables
    board = VoteBoard(lab, votes, summary, daily)
    try:
        board.vote("A")
        board.sync()
        assert board.readout_text().endswith("projector: running")
        bad_vote(lab, votes)
        assert wait_for(lambda: not board.projector.running)
        board.update()
        assert "projector: stopped (BadRecordError" in board.readout.value
        assert "running" not in board.readout_text()
    finally:
        board.projector.error = None
        board.stop()


@pytest.mark.parametrize("options, words", [
    ({"date": "2023/07/08"}, "date must be text matching"),
    ({"live": "no"}, "live must be True or False"),
    ({"candidates": ()}, "candidates must be a list of"),
    ({"candidates": ("A", "A")}, "candidates must differ"),
], ids=["date", "live", "none", "twice"])
def test_the_vote_board_refuses_bad_settings(lab, tables, options, words):
    from dynalab.widgets.streams import VoteBoard

    with pytest.raises((ValueError, TypeError)) as raised:
        VoteBoard(lab, *tables, **options)
    assert words in str(raised.value)


# ---------------------------------------------------------------------------------------------- load generator
@pytest.mark.parametrize("options, words", [
    ({"requests_per_second": math.nan}, "requests_per_second must be a finite number > 0 and <="),
    ({"requests_per_second": math.inf}, "requests_per_second must be a finite number > 0 and <="),
    ({"requests_per_second": -5}, "requests_per_second must be a finite number > 0 and <="),
    ({"requests_per_second": True}, "requests_per_second must be a finite number"),
    ({"seconds": 1.5}, "seconds must be an integer from 1 to 120"),
    ({"seconds": 0}, "seconds must be an integer from 1 to 120"),
    ({"workers": 0}, "workers must be an integer from 1 to 256"),
    ({"operation": "delete"}, "operation must be one of 'write', 'read'"),
], ids=["nan", "inf", "negative", "bool", "float-seconds", "zero-seconds", "workers", "operation"])
def test_the_load_generator_refuses_absurd_rates(lab, table_name, options, words):
    create_table(lab, table_name, ("pk", "S"))
    arguments = {"requests_per_second": 10, "seconds": 1, **options}
    with pytest.raises((ValueError, TypeError)) as raised:
        run_load(lab, table_name, **arguments)
    assert words in str(raised.value)


@pytest.mark.embedded_only
def test_the_load_generator_stops_and_says_so_when_the_engine_dies(doomed_lab):
    lab, engine = doomed_lab
    create_table(lab, "load", ("pk", "S"))
    threading.Timer(0.6, engine.process.kill).start()
    started = time.monotonic()
    with pytest.raises(LoadRunError) as raised:
        run_load(lab, "load", 50, 20)
    assert time.monotonic() - started < 20  # it stopped early instead of sending into the void for 20 s
    message = str(raised.value)
    assert "run_load on load stopped in second" in message and "Is the engine still running?" in message
    assert raised.value.run.served > 0


# ------------------------------------------------------------------------------------- event source mapping
@pytest.mark.embedded_only
def test_a_mapping_whose_thread_died_or_whose_engine_died_never_says_running(doomed_lab):
    lab, engine = doomed_lab
    create_table(lab, "esm", ("pk", "S"), stream_view_type="NEW_AND_OLD_IMAGES")
    mapping = EventSourceMapping(lab, "esm", lambda e, c: None, starting_position="TRIM_HORIZON",
                                 function_name="doomed").start()
    assert mapping.state() == "running"
    engine.process.kill()
    engine.process.wait(timeout=10)
    assert not mapping.state().startswith("running")
    assert wait_for(lambda: not mapping.running, 60)
    assert mapping.state().startswith("stopped (")
    mapping.error = None


@pytest.mark.parametrize("options, words", [
    ({"lease_seconds": math.inf}, "lease_seconds must be a finite number > 0 and <="),
    ({"function_name": "no spaces please"}, "function_name must be text"),
], ids=["lease", "name"])
def test_a_mapping_refuses_bad_lease_settings(lab, table_name, options, words):
    create_table(lab, table_name, ("pk", "S"), stream_view_type="NEW_AND_OLD_IMAGES")
    with pytest.raises((ValueError, TypeError)) as raised:
        EventSourceMapping(lab, table_name, lambda e, c: None, **options)
    assert words in str(raised.value)
