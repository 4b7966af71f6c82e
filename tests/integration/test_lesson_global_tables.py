"""Lesson 9's scenarios on the embedded engine: a global table, a write watched as it arrives, a race in each mode, a
strong read across Regions, the isolation drill, the units metered per Region, the board widget.

The embedded engine's own feature (an outside plain moto has no replication): ``make test-external`` skips it.
"""

from __future__ import annotations

import pytest

import dynalab
from dynalab.engine._replication import DEFAULT_SETTINGS
from dynalab.lessons.global_tables import (
    isolation_drill,
    race,
    read_after_write,
    replicated_write_units,
    set_replication_lag,
    watch_arrival,
)
from dynalab.widgets.global_tables import ReplicationBoard

pytestmark = pytest.mark.embedded_only
EAST, WEST, OHIO = "us-east-1", "us-west-2", "us-east-2"


@pytest.fixture(autouse=True)
def defaults(lab):
    dynalab.set_replication(lab, **DEFAULT_SETTINGS, isolated_regions=[])
    yield
    dynalab.set_replication(lab, **DEFAULT_SETTINGS, isolated_regions=[])


def test_mrec_a_write_arrives_the_later_writer_wins_and_each_region_is_charged(lab, table_name):
    table = dynalab.create_global_table(lab, table_name, [EAST, WEST])
    arrival = watch_arrival(table, "k", "hello", EAST, WEST)
    assert arrival.lag_seconds is not None and arrival.arrived > arrival.written
    result = race(table, "item")
    assert [write.ok for write in result.writes] == [True, True]
    assert result.converged and set(result.final.values()) == {WEST}  # the second write is the last writer
    assert replicated_write_units(table) == {EAST: 3.0, WEST: 3.0}  # 3 small writes, each charged in both Regions
    again = dynalab.create_global_table(lab, table_name, [EAST, WEST])  # a second run starts afresh
    assert again.reads("k") == {EAST: None, WEST: None}


def test_mrsc_refuses_one_writer_and_reads_the_latest_everywhere(lab, table_name):
    table = dynalab.create_global_table(lab, table_name, [EAST, WEST], consistency="STRONG", witness=OHIO)
    result = race(table, "item")
    assert [write.error_code for write in result.refused] == ["ReplicatedWriteConflictException"]
    accepted = next(write for write in result.writes if write.ok)
    assert set(result.final.values()) == {accepted.value}
    seen = read_after_write(table, "fresh", "v1", EAST, WEST)
    assert seen.strong_is_latest and seen.eventual == "v1"


def test_mrec_a_strong_read_elsewhere_is_stale_until_the_write_arrives(lab, table_name):
    table = dynalab.create_global_table(lab, table_name, [EAST, WEST])
    set_replication_lag(lab, 3.0)
    seen = read_after_write(table, "fresh", "v1", EAST, WEST)
    assert seen.write.ok and seen.strong is None and not seen.strong_is_latest


def test_the_isolation_drill_tells_each_mode_apart(lab, table_name):
    mrec = dynalab.create_global_table(lab, table_name, [EAST, WEST])
    steps = [step.outcome for step in isolation_drill(mrec, WEST)]
    assert steps == ["accepted", "accepted", WEST, EAST, "read served", f"{EAST}, {WEST}", f"{EAST}, {WEST}"]
    mrsc = dynalab.create_global_table(lab, table_name + "-s", [EAST, WEST], consistency="STRONG", witness=OHIO)
    steps = [step.outcome for step in isolation_drill(mrsc, WEST)]
    assert steps == ["InternalServerError", "accepted", "none", EAST, "InternalServerError", EAST, EAST]
    assert dynalab.engine.global_tables.replication_settings(lab).isolated_regions == ()  # healed afterwards


def test_the_board_draws_each_note_and_its_lag(lab, table_name):
    table = dynalab.create_global_table(lab, table_name, [EAST, WEST])
    board = ReplicationBoard(table)
    assert "nothing written yet" in board.readout.value
    board.lag.value = 0.2
    assert set_replication_lag(lab) == pytest.approx(0.2)
    arrival = board.write("hi")
    assert arrival.watch_region == WEST and "&#x27;hi&#x27; written in us-east-1" in board.readout.value
    assert len(board.figure.layout.annotations) == 1


@pytest.mark.parametrize(("arguments", "named"), [({"regions": [EAST]}, "regions"),
                                                  ({"regions": [EAST, EAST]}, "regions"),
                                                  ({"regions": [EAST, "moon-1"]}, "regions"),
                                                  ({"consistency": "LINEARIZABLE"}, "consistency"),
                                                  ({"witness": "atlantis-1"}, "witness"),
                                                  ({"name": "no spaces"}, "name")])
def test_bad_arguments_are_named_before_any_table_is_made(lab, table_name, arguments, named):
    with pytest.raises(ValueError, match=named):
        dynalab.create_global_table(lab, **{"name": table_name, **arguments})
