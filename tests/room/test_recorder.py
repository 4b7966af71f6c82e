"""The learner's recorder without a room (dynalab.room.recorder): no room set, nothing recorded and no thread;
a room set with a setting missing, one line and the answer kept; never an error in the learner's cell."""

from __future__ import annotations

import threading

import pytest

from dynalab.room import recorder
from dynalab.widgets.self_check import Question

QUESTION = Question("How many?", 3, "count")


@pytest.fixture
def outbox(tmp_path, monkeypatch):
    for name in ("DYNALAB_ROOM", "DYNALAB_ROOM_KEY", "DYNALAB_LEARNER", "DYNALAB_LESSON"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DYNALAB_ROOM_OUTBOX", str(tmp_path / "outbox"))
    recorder._said.clear()
    yield tmp_path / "outbox"
    if recorder._sender is not None:
        recorder._sender.stop()
    recorder._sender = None
    recorder._said.clear()


def senders() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "dynalab-room-recorder" and t.is_alive()]


def test_no_room_set_records_nothing_and_starts_no_thread(outbox):
    before = senders()
    assert QUESTION.check("3").startswith("✓")
    assert not outbox.exists() and senders() == before


@pytest.mark.parametrize(("settings", "named"), [
    ({"DYNALAB_ROOM_KEY": "dll-" + "A" * 43, "DYNALAB_LEARNER": ""}, "DYNALAB_LEARNER"),
    ({"DYNALAB_ROOM_KEY": "dll-" + "A" * 43, "DYNALAB_LEARNER": "   "}, "DYNALAB_LEARNER"),
    ({"DYNALAB_LEARNER": "ana"}, "DYNALAB_ROOM_KEY"),
    ({"DYNALAB_ROOM_KEY": "dli-" + "A" * 43, "DYNALAB_LEARNER": "ana"}, "instructor's key"),
])
def test_a_missing_setting_is_one_line_and_the_answer_waits(outbox, monkeypatch, capsys, settings, named):
    monkeypatch.setenv("DYNALAB_ROOM", "http://127.0.0.1:9")
    for name, value in settings.items():
        monkeypatch.setenv(name, value)
    assert QUESTION.check("3").startswith("✓")
    assert QUESTION.check("4").startswith("✗")
    lines = [line for line in capsys.readouterr().err.splitlines() if line]
    assert len(lines) == 1 and named in lines[0], lines
    assert recorder.pending_answers() == 2  # kept for a kernel whose settings are right


def test_a_bad_room_address_is_one_line(outbox, monkeypatch, capsys):
    monkeypatch.setenv("DYNALAB_ROOM", "room-on-the-left")
    QUESTION.check("3")
    QUESTION.check("3")
    assert capsys.readouterr().err.count("DYNALAB_ROOM must be the room's address") == 1


def test_an_outbox_that_cannot_be_written_never_fails_the_cell(outbox, monkeypatch, capsys):
    blocker = outbox.parent / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DYNALAB_ROOM_OUTBOX", str(blocker))
    monkeypatch.setenv("DYNALAB_ROOM", "http://127.0.0.1:9")
    assert QUESTION.check("3").startswith("✓")
    assert "this answer was not recorded" in capsys.readouterr().err


def test_an_empty_answer_is_not_recorded(outbox, monkeypatch):
    monkeypatch.setenv("DYNALAB_ROOM", "http://127.0.0.1:9")
    QUESTION.check("  ")
    assert not outbox.exists()


def test_the_lesson_is_the_notebooks_name_in_either_edition(monkeypatch):
    monkeypatch.delenv("DYNALAB_LESSON", raising=False)
    monkeypatch.setenv("JPY_SESSION_NAME", "/home/ana/dynalab-lessons-ja/00_start_here.ipynb")
    assert recorder.lesson_name() == "00_start_here"
    monkeypatch.setenv("DYNALAB_LESSON", "04_stream_projection_votes")
    assert recorder.lesson_name() == "04_stream_projection_votes"
    assert recorder.question_id(QUESTION, "00") == recorder.question_id(Question("How many?", 4, "x"), "00")
