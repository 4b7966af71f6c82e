"""Every lesson widget in Japanese mode (issue 18): built after ``dynalab.set_language("ja")``, what a learner reads
(control descriptions, button labels, placeholders, option labels, tooltips, HTML and label values, the readouts
after the widget is driven, the figures' titles, axis titles, legends, annotations and hover templates) holds no
English prose; built in English mode, the same widgets show the English texts they always did.

Widgets that need an engine use the ``lab`` fixture. The texts the widgets show from models, lessons and the engine
(a model's ``describe()``, the workloads' and key distributions' labels, the projector's state) are checked too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from figures.figure_texts import learner_texts_of_figure
from support_i18n import english_runs, has_japanese

import dynalab

PLOTLY = "application/vnd.plotly.v1+json"

def learner_texts(widget: Any) -> list[str]:
    """What a learner reads in an ipywidgets tree: descriptions, tooltips, placeholders, option labels, the values
    of HTML and Label widgets, and the figures an Output shows."""
    import ipywidgets as widgets

    texts: list[str] = []
    for name in ("description", "tooltip", "placeholder"):
        value = getattr(widget, name, None)
        if isinstance(value, str):
            texts.append(value)
    texts.extend(getattr(widget, "_options_labels", ()) or ())
    texts.extend(getattr(widget, "tooltips", ()) or ())
    if isinstance(widget, widgets.HTML | widgets.HTMLMath | widgets.Label):
        texts.append(html.unescape(re.sub(r"<[^>]+>", " ", widget.value)))
    if isinstance(widget, widgets.Output):
        for output in widget.outputs:
            figure = output.get("data", {}).get(PLOTLY)
            if figure:
                texts += learner_texts_of_figure(figure)
    for child in getattr(widget, "children", ()):
        texts += learner_texts(child)
    return [text.strip() for text in texts if text.strip()]


def english_prose(texts: list[str]) -> list[tuple[str, list[str]]]:
    """(text, its English runs) for every text that still holds English prose."""
    found = [(text, english_runs(text)) for text in texts]
    return [(text, runs) for text, runs in found if runs]


# --- the lesson widgets, built and driven as the lessons do --------------------------------------------------------


@dataclass(frozen=True)
class Build:
    """How to build one lesson widget and drive it (each driving step may change what its readouts show)."""

    build: Callable[[Any, str], Any]  # (lab or None, a table name of this test) -> the widget
    steps: tuple[Callable[[Any], Any], ...] = ()
    needs_lab: bool = False


def _question_form() -> Any:
    # A lesson writes its own prompts, hints and explanations (in Japanese in notebooks/ja), in the language it
    # sets: only dynalab's own words (the title, the box, the button, the verdicts) are under test.
    from dynalab.models.capacity import read_units

    words = QUESTION_WORDS[dynalab.get_language()]
    questions = [dynalab.Question(words[0], answer=lambda: read_units(16 * 1024, "strong"), hint=words[1],
                                  explanation=words[2]),
                 dynalab.Question(words[3], answer="WCU", hint=words[4])]
    return dynalab.self_check(questions)


QUESTION_WORDS = {
    "ja": ("16 KB の項目を強力な整合性で読むと何 RCU ですか？", "4 KB ごとに 1 RCU です", "16 ÷ 4 = 4 です。",
           "書き込みの単位は？", "書き込みキャパシティユニットです"),
    "en": ("How many RCU does a strongly consistent read of 16 KB take?", "one RCU per 4 KB", "16 / 4 = 4.",
           "What is the unit of writes?", "write capacity units"),
}


def _answer(form: Any, number: int, answer: str) -> None:
    row = form.children[1 + 3 * number + 1]  # the title, then (prompt, box and button, verdict) per question
    box, button = row.children
    box.value = answer
    button.click()


def _vote_tables(lab: Any, name: str) -> tuple[str, str, str]:
    return dynalab.create_vote_tables(lab, f"{name}-v", f"{name}-s", f"{name}-d", reset=True)


def _poison_board(lab: Any, name: str) -> Any:
    sqs = lab.new_client("sqs")
    url = sqs.create_queue(QueueName=f"{name[:60]}-q")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return dynalab.PoisonVoteBoard(lab, *_vote_tables(lab, name), arn)


def _vote_board(lab: Any, name: str) -> Any:
    from dynalab.widgets.streams import VoteBoard

    return VoteBoard(lab, *_vote_tables(lab, name), live=False)


def _stopped(board: Any) -> Any:
    board.sync()
    board.stop()
    return board


def _builders() -> dict[str, Build]:
    from dynalab.widgets.autoscaling import AutoscalingExplorer, LiveThrottlingDemo
    from dynalab.widgets.capacity import ItemCostExplorer
    from dynalab.widgets.indexes import IndexWriteExplorer
    from dynalab.widgets.partitions import HotPartitionExplorer, PartitionCalculator
    from dynalab.widgets.planner import PlanExplorer

    return {
        "ItemCostExplorer": Build(lambda lab, name: ItemCostExplorer(lab, name), (
            lambda w: w.write_and_read(), lambda w: setattr(w.kind, "value", "japanese"),
            lambda w: setattr(w.text_slider, "value", 200_000)), needs_lab=True),
        "AutoscalingExplorer": Build(lambda lab, name: AutoscalingExplorer(), (
            lambda w: setattr(w.slider, "value", 40), lambda w: setattr(w.picker, "value", "spaced_spikes"))),
        "LiveThrottlingDemo": Build(lambda lab, name: LiveThrottlingDemo(lab, name, write_capacity_units=20), (
            lambda w: w.run(requests_per_second=40, seconds=2),), needs_lab=True),
        "PartitionCalculator": Build(lambda lab, name: PartitionCalculator(), (
            lambda w: setattr(w.rcu_slider, "value", 12_000),)),
        "HotPartitionExplorer": Build(lambda lab, name: HotPartitionExplorer(
            read_capacity_units=5000, partitions=24, requests=100_000, duration_seconds=25), (
            lambda w: setattr(w.picker, "value", "status_codes"), lambda w: setattr(w.mode, "value", "2017"))),
        "VoteBoard": Build(_vote_board, (lambda w: w.vote("A"), _stopped, lambda w: w.crash(), lambda w: w.vote("B"),
                                         lambda w: w.sync(), lambda w: w.restart(), _stopped), needs_lab=True),
        "IndexWriteExplorer": Build(lambda lab, name: IndexWriteExplorer(lab, table_name=name), (
            lambda w: setattr(w.index_slider, "value", 2), lambda w: w.write_on_engine(),
            lambda w: setattr(w.index_slider, "value", 0)), needs_lab=True),
        "PoisonVoteBoard": Build(_poison_board, (lambda w: w.vote(), lambda w: w.poison(),
                                                 lambda w: w.configure(bisect=True, destination=True, retries=0),
                                                 lambda w: w.poison()), needs_lab=True),
        "PlanExplorer": Build(lambda lab, name: PlanExplorer("orders"), (
            lambda w: w.set_rate("place order", 300),)),
        "self_check": Build(lambda lab, name: _question_form(), (
            lambda w: _answer(w, 0, "4"), lambda w: _answer(w, 1, "RCU"), lambda w: _answer(w, 1, ""))),
    }


BUILDERS = _builders()


def shown_while_driven(name: str, request: pytest.FixtureRequest, table_name: str) -> Iterator[list[str]]:
    """The learner's texts of widget ``name``: once built, then after each driving step."""
    build = BUILDERS[name]
    lab = request.getfixturevalue("lab") if build.needs_lab else None
    widget = build.build(lab, table_name)
    try:
        yield learner_texts(getattr(widget, "container", widget))
        for step in build.steps:
            step(widget)
            yield learner_texts(getattr(widget, "container", widget))
    finally:
        if hasattr(widget, "projector"):
            widget.projector.stop()


@pytest.fixture
def japanese():
    dynalab.set_language("ja")
    yield
    dynalab.set_language("en")


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_lesson_widget_built_in_japanese_mode_shows_no_english_prose(name, japanese, request, table_name):
    seen = 0
    for texts in shown_while_driven(name, request, table_name):
        assert any(has_japanese(text) for text in texts), f"{name} shows no Japanese at all: {texts[:5]}"
        english = english_prose(texts)
        assert not english, f"{name} shows English prose in Japanese mode: {english[:5]}"
        seen += 1
    assert seen == 1 + len(BUILDERS[name].steps)


#: per widget, texts its English edition must show exactly as before (the browser tests find controls by them)
ENGLISH_TEXTS = {
    "ItemCostExplorer": ["text length (characters)", "number attributes", "text", "ASCII text (1 byte a character)",
                         "Japanese text (3 bytes a character)", "Write and read it on the engine"],
    "AutoscalingExplorer": ["target %", "workload", "burst capacity (300 s)", "delay (min)",
                            "demand (requested units/s)", "provisioned capacity", "capacity units per second"],
    "LiveThrottlingDemo": ["writes/s", "seconds", "auto scaling (1 s = 1 min)", "Fire", "Press Fire.",
                           "served calls", "Served vs throttled, second by second"],
    "PartitionCalculator": ["read capacity units", "write capacity units", "table size (GB)", "RCU per partition",
                            "3,000 RCU per partition (today too)"],
    "HotPartitionExplorer": ["partition key", "capacity", "today", "2017 model", "served", "throttled"],
    "VoteBoard": ["Vote A", "Vote B", "Crash the projector", "Restart the projector",
                  "vote-summary table (vote → num)"],
    "IndexWriteExplorer": ["item size (bytes)", "global secondary indexes", "projection", "Write it on the engine",
                           "What one write costs: the table and each index"],
    "PoisonVoteBoard": ["bisect on error", "SQS on-failure destination", "retry attempts", "batch size", "Vote",
                        "Poison vote", "-1 (until the records expire)"],
    "PlanExplorer": ["pattern", "requests/s", "target %", "units per pattern", "on-demand"],
    "self_check": ["Self-check", "your answer", "Check"],
}

#: per widget, a pattern each state's English readouts match (the wording the notebooks and browser tests read)
ENGLISH_READOUTS = {
    "ItemCostExplorer": r"[\d,]+ B (→ read: [\d.]+ RCU strongly consistent, [\d.]+ eventually consistent, [\d.]+ "
                        r"transactional; write: [\d.]+ WCU, [\d.]+ transactional\.|: over DynamoDB's item limit of "
                        r"409,600 B \(400 KB\)\. A write is refused with ValidationException: Item size has exceeded "
                        r"the maximum allowed size\.)",
    "AutoscalingExplorer": r"target \d+ %, new capacity 5 min after each alarm: \d+ scale-out\(s\), \d+ scale-in\(s\)"
                           r"(, \d+ decrease\(s\) refused)?; throttled [\d,]+ units \([\d.]+ % of demand\); average "
                           r"utilisation [\d.]+ % \(break-even [\d.]+ %\)\. Cost over [\d.]+ h: provisioned with auto "
                           r"scaling \$[\d,.]+, provisioned fixed at \d+ \$[\d,.]+, on-demand \$[\d,.]+\.",
    "LiveThrottlingDemo": r"Press Fire\.|requested: 40 writes/s for 2 s on 20 WCU throttled: (yes|no); boto3 "
                          r"retried: (yes|no) served within 10% of the provisioned rate: (yes|no)",
    "PartitionCalculator": r"2017 model: ",
    "HotPartitionExplorer": r"[\d,]+ distinct keys; the busiest, '[^']+', gets [\d.]+% of requests\. ",
    "VoteBoard": r"summary table: A \d+, B \d+, C \d+ \| vote table holds: A \d+, B \d+, C \d+ \| projector: ",
    "IndexWriteExplorer": r"A new 2,500 B item, (no GSI|\d GSIs? projecting ALL): table [\d.]+( \+ gsi\d [\d.]+)* = "
                          r"[\d.]+ WCU a write \(the model the meter charges\)",
    "PoisonVoteBoard": r"summary table: A \d+, B \d+, C \d+ \| poison votes written: \d+ \| shard blocked: (yes|no) \| "
                       r"records discarded by this mapping: \d+ \| last run: ",
    "PlanExplorer": r"with auto scaling at a 70 % target: [\d,]+ RCU and [\d,]+ WCU held, \$[\d,.]+ a month",
    "self_check": r"^(✓ Correct: 4\. 16 / 4 = 4\.|✗ Not quite \(RCU\)\. Hint: write capacity units|"
                  r"Type an answer first\.)$",
}


def _readouts(widget: Any) -> list[str]:
    import ipywidgets as widgets

    found = [html.unescape(re.sub(r"<[^>]+>", " ", widget.value))] if isinstance(widget, widgets.HTML) else []
    for child in getattr(widget, "children", ()):
        found += _readouts(child)
    return found


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_the_same_widget_in_english_mode_shows_the_english_texts(name, request, table_name):
    assert dynalab.get_language() == "en"
    build = BUILDERS[name]
    lab = request.getfixturevalue("lab") if build.needs_lab else None
    widget = build.build(lab, table_name)
    try:
        states = [learner_texts(getattr(widget, "container", widget))]
        readouts = _readouts(getattr(widget, "container", widget))
        for step in build.steps:
            step(widget)
            states.append(learner_texts(getattr(widget, "container", widget)))
            readouts += _readouts(getattr(widget, "container", widget))
    finally:
        if hasattr(widget, "projector"):
            widget.projector.stop()
    shown = {text for texts in states for text in texts}
    missing = [text for text in ENGLISH_TEXTS[name] if text not in shown]
    assert not missing, f"{name} no longer shows {missing}"
    japanese = sorted(text for text in shown if has_japanese(text))
    assert not japanese, f"{name} shows Japanese in English mode: {japanese[:5]}"
    pattern = re.compile(ENGLISH_READOUTS[name])
    assert any(pattern.search(" ".join(text.split())) for text in readouts), (
        f"no readout of {name} reads as before: {readouts}")


# --- the live demos' readouts and the widgets' own errors ----------------------------------------------------------


def _live_demos(lab: Any, name: str) -> list[tuple[str, list[str]]]:
    """(what, the texts it shows) for each live demo a lesson prints: its describe() and its figure."""
    from dynalab.figures.capacity import read_patterns_figure
    from dynalab.figures.partitions import placement_figure
    from dynalab.lessons.capacity import first_page_live, read_three_ways
    from dynalab.lessons.partitions import load_tested_table, place_keys, run_hot_key_test
    from dynalab.models.clock import StepClock
    from dynalab.widgets.autoscaling import LiveThrottlingDemo, describe_run

    shown = []
    reads = read_three_ways(lab, f"{name}-reads", item_count=3)
    shown.append(("read_three_ways", [reads.describe(),
                                       *learner_texts_of_figure(read_patterns_figure(reads).to_dict())]))
    shown.append(("first_page_live", [first_page_live(lab, f"{name}-page", item_count=3, item_bytes=1000).describe()]))
    dynalab.create_table(lab, f"{name}-keys", sort_key=("sk", "N"), reset=True)
    placed = place_keys(lab, f"{name}-keys", "status_codes", 40, partitions=4)
    shown.append(("place_keys", [placed.describe(), *learner_texts_of_figure(placement_figure(placed).to_dict())]))
    for mode in ("2017", "today"):
        table = load_tested_table(lab, f"{name}-hot-{mode}", created=(100, 100), load_test=(400, 200),
                                  partition_mode=mode)
        try:
            test = run_hot_key_test(lab, table.table_name, ["a"] * 30 + ["b"] * 5, writes_per_second=400,
                                    clock=table.clock)
        finally:
            table.throttling.stop()
        shown.append((f"run_hot_key_test ({mode})", [test.describe()]))
    demo = LiveThrottlingDemo(lab, f"{name}-live", write_capacity_units=10)
    run = demo.run(requests_per_second=30, seconds=2, autoscaling=True)
    shown.append(("describe_run (auto scaling)", describe_run(run, 10)))
    assert StepClock  # the hot-key test runs on the table's own step clock
    return shown


def test_the_live_demos_read_in_japanese(japanese, lab, table_name):
    for what, texts in _live_demos(lab, table_name[:100]):
        assert any(has_japanese(text) for text in texts), f"{what}: {texts}"
        assert not english_prose(texts), f"{what} shows English prose in Japanese mode: {english_prose(texts)}"


def test_the_widgets_errors_are_japanese(japanese, lab):
    from dynalab.lessons.partitions import place_keys
    from dynalab.widgets.autoscaling import AutoscalingExplorer, describe_run
    from dynalab.widgets.capacity import ItemCostExplorer
    from dynalab.widgets.indexes import IndexWriteExplorer
    from dynalab.widgets.planner import PlanExplorer
    from dynalab.widgets.streams import VoteBoard

    calls = {
        "a control set from the kernel": (lambda: setattr(AutoscalingExplorer().slider, "value", 95),
                                          "target_utilization"),
        "no lab (capacity)": (lambda: ItemCostExplorer().write_and_read(), "lab"),
        "no lab (indexes)": (lambda: IndexWriteExplorer().write_on_engine(), "lab"),
        "not a run": (lambda: describe_run(5, 10), "run"),
        "not a design": (lambda: PlanExplorer(design=5), "design"),
        "the same candidate twice": (lambda: VoteBoard(lab, "votes-x", "summary-x", "daily-x", candidates=("A", "A")),
                                     "candidates"),
        "no such table": (lambda: place_keys(lab, "no-such-table-here", "user_ids", 5, partitions=2), "table_name"),
        "no answer": (lambda: dynalab.Question("問い", None, "ヒント"), "answer"),
    }
    for what, (call, parameter) in calls.items():
        with pytest.raises((ValueError, TypeError)) as raised:
            call()
        message = str(raised.value)
        assert parameter in message and has_japanese(message), f"{what}: {message}"
        assert not english_runs(message), f"{what}: {message}"
    check = dynalab.Question("16 KB は何 RCU？", answer=4, hint="4 KB ごとに 1 RCU")
    assert check.check("4").startswith("✓ 正解です")
    assert check.check("5") == "✗ 不正解です: 5。ヒント: 4 KB ごとに 1 RCU"
    assert check.check(" ") == "先に答えを入力してください。"
