"""The room, end to end (issue 28): a real ``dynalab room serve`` process, learners answering through
``Question.check`` in this process, the board read with the instructor's key. Bad input gives one clear line and
loses nothing: a wrong key, an unreachable room, an empty name, a room restarted mid-workshop."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError
from support import free_port
from support_hostile import clear_error_problem, outcome
from support_room import RoomProcess, wait_for

import dynalab
from dynalab.room import ANSWERS_TABLE, recorder
from dynalab.room.board import read_board
from dynalab.room.clients import room_client, room_lab
from dynalab.room.keys import RoomKeys, personal_key
from dynalab.widgets.self_check import Question

pytestmark = pytest.mark.embedded_only  # the room's own process: not an engine DYNALAB_ENDPOINT names

EASY, HARD = Question("How many?", 3, "count"), Question("Which mode?", "on-demand", "think")


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    running = RoomProcess(tmp_path_factory.mktemp("room") / "state")
    yield running
    running.stop()


@pytest.fixture
def learner(tmp_path, monkeypatch):
    """This process as a learner: an outbox of its own, settings set by the test; the sender stopped after."""
    def be(room: RoomProcess | None, name: str = "ana", key: str | None = None) -> None:
        monkeypatch.setenv("DYNALAB_ROOM", room.url if room else f"http://127.0.0.1:{free_port()}")
        monkeypatch.setenv("DYNALAB_ROOM_KEY", key if key is not None else room.learners_key)
        monkeypatch.setenv("DYNALAB_LEARNER", name)

    monkeypatch.setenv("DYNALAB_ROOM_OUTBOX", str(tmp_path / "outbox"))
    monkeypatch.setenv("DYNALAB_LESSON", "00_start_here")
    recorder._said.clear()
    yield be
    if recorder._sender is not None:
        recorder._sender.stop()
    recorder._sender = None
    recorder._said.clear()


_labs: dict[tuple[str, str], object] = {}


def instructor(room: RoomProcess):
    """The board's Lab for this room (made once: building boto3 clients costs more than reading the board)."""
    key = json.loads((room.state / "room.json").read_text())["instructor_key"]
    if (room.url, key) not in _labs:
        _labs[(room.url, key)] = room_lab(room.url, key)
    return _labs[(room.url, key)]


def row_of(room: RoomProcess, name: str, answered: int):
    lab = instructor(room)

    def found():
        rows = [row for row in read_board(lab).learners if row.learner == name]
        return rows[0] if rows and rows[0].answered == answered else None
    return wait_for(found, 30, f"{name} with {answered} answer(s) on the board")


def test_answers_reach_the_board_once_each_hardest_question_first(room, learner, capsys):
    learner(room, "ana")
    assert HARD.check("provisioned").startswith("✗")
    assert HARD.check("on-demand").startswith("✓")  # again: wrong -> right, one question, two attempts
    assert EASY.check("3").startswith("✓")
    row = row_of(room, "ana", 2)
    assert (row.correct, row.attempts, row.lesson_reached) == (2, 3, "00_start_here")
    learner(room, "ben")
    HARD.check("provisioned")
    EASY.check("3")
    row_of(room, "ben", 2)
    board = read_board(instructor(room))
    assert [q.question for q in board.questions][:2] == ["Which mode?", "How many?"]  # 1 of 2 right, then 2 of 2
    from dynalab.__main__ import main

    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main(["room", "board", "--json", "--state", str(room.state)])
    assert exited.value.code == 0
    rows = {row["learner"]: row for row in json.loads(capsys.readouterr().out)}
    assert (rows["ana"]["answered"], rows["ana"]["correct"], rows["ben"]["correct"]) == (2, 2, 1)


def test_a_learners_key_writes_their_own_answers_and_nothing_else(room):
    ana = room_client(room.url, room.learners_key, "ana")
    refused = {
        "read another's answers": lambda: ana.scan(TableName=ANSWERS_TABLE),
        "read one": lambda: ana.get_item(TableName=ANSWERS_TABLE, Key={"learner": {"S": "ben"},
                                                                        "question_id": {"S": "x"}}),
        "delete the room's table": lambda: ana.delete_table(TableName=ANSWERS_TABLE),
        "write as ben": lambda: ana.put_item(TableName=ANSWERS_TABLE, Item={
            "learner": {"S": "ben"}, "question_id": {"S": "x"}, "lesson": {"S": "00"}, "question": {"S": "q"},
            "correct": {"BOOL": True}, "answered_at": {"S": "2026-01-01T00:00:00.000000Z"}}),
        "list tables": lambda: ana.list_tables(),
    }
    for what, call in refused.items():
        with pytest.raises(ClientError) as caught:
            call()
        assert caught.value.response["Error"]["Code"] == "AccessDeniedException", what
    ben_with_anas_key = room_client(room.url, personal_key(room.learners_key, "ana"), "ben")
    with pytest.raises(ClientError, match="InvalidSignatureException"):
        ben_with_anas_key.put_item(TableName=ANSWERS_TABLE, Item={"learner": {"S": "ben"}})
    stranger = room_client(room.url, RoomKeys.new().learners_key, "ana")
    with pytest.raises(ClientError, match="InvalidSignatureException"):
        stranger.put_item(TableName=ANSWERS_TABLE, Item={"learner": {"S": "ana"}})
    import boto3

    unsigned_kind = boto3.client("dynamodb", endpoint_url=room.url, region_name="us-east-1",
                                 aws_access_key_id="dynalab", aws_secret_access_key="dynalab")
    with pytest.raises(ClientError, match="UnrecognizedClientException"):
        unsigned_kind.list_tables()
    assert instructor(room).client.describe_table(TableName=ANSWERS_TABLE)["Table"]["TableStatus"] == "ACTIVE"


def test_a_wrong_key_is_one_line_and_the_answers_wait_for_the_right_one(room, learner, capsys):
    learner(room, "carla", key=RoomKeys.new().learners_key)
    assert EASY.check("3").startswith("✓")
    wait_for(lambda: "refused DYNALAB_ROOM_KEY" in capsys.readouterr().err, 20, "the wrong key's line")
    HARD.check("on-demand")
    assert recorder.pending_answers() == 2
    learner(room, "carla")  # the right key now: the next answer sends all three
    EASY.check("3")
    wait_for(lambda: recorder.pending_answers() == 0, 30, "the outbox to empty")
    assert row_of(room, "carla", 2).correct == 2


def test_an_unreachable_room_is_one_line_and_a_restarted_room_gets_every_answer(tmp_path, learner, capsys):
    port = free_port()
    room = RoomProcess(tmp_path / "state", port)
    try:
        learner(room, "dan")
        EASY.check("3")
        row_of(room, "dan", 1)
        room.kill()  # mid-workshop, without warning
        assert HARD.check("on-demand").startswith("✓")  # the learner's cell is not slowed or failed
        wait_for(lambda: "cannot reach the room" in capsys.readouterr().err, 20, "the unreachable room's line")
        assert recorder.pending_answers() == 1
        room = RoomProcess(tmp_path / "state", port)  # same folder: same keys, answers replayed
        assert any("Resumed: 1 answer(s)" in line for line in room.lines)
        wait_for(lambda: recorder.pending_answers() == 0, 40, "the queued answer to arrive")
        assert row_of(room, "dan", 2).correct == 2
    finally:
        room.stop()


def test_an_empty_name_is_one_line_and_the_cell_goes_on(room, learner, capsys):
    learner(room, "")
    assert EASY.check("3").startswith("✓")
    assert EASY.check("3").startswith("✓")
    assert capsys.readouterr().err.count("DYNALAB_LEARNER is empty") == 1
    assert recorder.pending_answers() == 2


def test_the_commands_say_what_is_wrong_in_one_line(room, tmp_path, monkeypatch, capsys):
    from dynalab.__main__ import main

    for name in ("DYNALAB_ROOM", "DYNALAB_ROOM_KEY"):
        monkeypatch.delenv(name, raising=False)
    for args, words in [
        (("board", "--state", str(tmp_path / "none")), "no room in"),
        (("serve", "--state", str(tmp_path / "busy"), "--port", str(room.port)), "cannot listen on"),
        (("serve", "--state", str(tmp_path / "far"), "--port", "70000"), "--port must be from 0 to 65535"),
        (("serve", "--state", str(tmp_path / "blank"), "--host", " "), "--host must be"),
    ]:
        with pytest.raises(SystemExit) as exited:
            main(["room", *args])
        assert exited.value.code == 2, args
        lines = [line for line in capsys.readouterr().err.splitlines() if line.strip()]
        assert len(lines) == 1 and words in lines[0], (args, lines)


def test_the_board_widget_shows_the_room_and_names_its_bad_arguments(room, learner):
    """The "RoomBoard" widget on a real room, and each of its parameters given a bad value (tests/test_hostile_inputs.py
    lists it as covered here)."""
    learner(room, "<b>eve</b>")
    EASY.check("3")
    row_of(room, "<b>eve</b>", 1)
    board = dynalab.RoomBoard(state=str(room.state), live=False)
    assert "learner(s)" in board.readout.value and "&lt;b&gt;eve&lt;/b&gt;" in board.table.value
    assert board.figure.data[0].y  # a bar per question
    for parameter, value in [("state", ""), ("state", None), ("refresh_seconds", 0), ("refresh_seconds", "x"),
                             ("live", "yes"), ("state", "no-room-here")]:
        kind, error = outcome(lambda p=parameter, v=value: dynalab.RoomBoard(
            **{"state": str(room.state), "live": False, p: v}))
        assert kind == "error" and clear_error_problem(error, parameter) is None, (parameter, value, error)
