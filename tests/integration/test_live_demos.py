"""Live demos that take real seconds (issue 29): lesson 2's throttling demo delivers, at its defaults, what the
lesson's text promises, and a run fired from code leaves the controls where the learner finds them; lesson 5's
demos run when their button is pressed (``LiveRun``), each turning throttling on and off around itself."""

from __future__ import annotations

from dynalab.engine.tables import bulk_load, create_table
from dynalab.lessons.live_demos import run_contention, throttled_bulk_load
from dynalab.lessons.projections import mail_batch
from dynalab.widgets.autoscaling import LIVE_RUN_SECONDS, LiveThrottlingDemo, describe_run
from dynalab.widgets.live_run import LiveRun


def test_lesson_2s_demo_at_its_defaults_scales_until_capacity_covers_the_demand(lab, table_name):
    demo = LiveThrottlingDemo(lab, table_name, write_capacity_units=20)  # as lesson 2 makes it
    assert demo.seconds.value == LIVE_RUN_SECONDS
    demo.autoscaling.value = True  # "Now tick auto scaling and press Fire"
    run = demo.run()
    lines = describe_run(run, provisioned=20)
    assert "capacity after auto scaling covers the demand: yes" in lines, lines
    assert len([e for e in run.events if e.kind == "scale-out"]) >= 2, "the text promises several steps"


def test_a_run_fired_from_code_leaves_the_controls_as_they_were(lab, table_name):
    demo = LiveThrottlingDemo(lab, table_name, write_capacity_units=20)
    before = (demo.rate.value, demo.seconds.value, demo.autoscaling.value)
    run = demo.run(requests_per_second=30, seconds=2, autoscaling=False)  # lesson 2's Run All: a short run
    assert (demo.rate.value, demo.seconds.value, demo.autoscaling.value) == before
    assert (run.requests_per_second, run.seconds) == (30, 2)
    assert "requested: 30 writes/s for 2 s" in demo.readout.value


def test_the_throttled_load_runs_when_its_button_is_pressed(lab, table_name):
    users = [{"UserID": f"{n:03d}", "UserName": f"user{n}-san"} for n in range(80)]
    live = LiveRun(lambda: throttled_bulk_load(lab, table_name, users, write_capacity_units=25),
                   button="Load 80 users", seconds=3)
    assert live.result is None and "Press Load 80 users" in live.readout.value  # nothing runs before the press
    live.button.click()
    assert live.result.items_in_table == 80
    assert "the retries re-sent items the table had handed back: yes" in live.readout.value
    assert "nothing lost: yes" in live.readout.value
    assert not live.button.disabled


def test_the_contention_demo_throttles_users_only_under_the_full_scan(lab, table_name):
    users = [{"UserID": f"{n:05d}", "UserName": f"user{n}-san", "Email": f"user{n}@example.com"}
             for n in range(1000)]
    create_table(lab, f"{table_name}-users", ("UserID", "S"), read_capacity_units=2, write_capacity_units=2,
                 stream_view_type="NEW_AND_OLD_IMAGES")
    bulk_load(lab, f"{table_name}-users", users, show_progress=False)
    mail_batch(lab, f"{table_name}-users", f"{table_name}-mail").run_once()
    run = run_contention(lab, f"{table_name}-users", f"{table_name}-mail", [u["UserID"] for u in users])
    assert run.describe()[2:] == ["users throttled while the batch read the mail table: no",
                                  "users throttled during the full-Scan batch: yes"]
