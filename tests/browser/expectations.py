"""What each lesson's main widgets must show after the browser test moves them, computed from dynalab's models.

``EXPECTATIONS[lesson stem]`` lists one ``Expectation`` per main control (``dynalab-main-control``), in page order,
for both editions. For a Japanese lesson the test hands ``expected`` a Move whose labels and options are turned back
into dynalab's English templates (``english()``, the catalog read backwards), calls it with dynalab in Japanese (a
model's ``describe()`` then answers in Japanese), and compares a Japanese piece as it is and an English piece (one
typed here) by its numbers (``same_numbers``); the readout must show Japanese.
Its ``expected(move)`` takes the ``Move`` the test made and returns the text (or the texts) the widget's
``dynalab-main-readout`` must then contain. The numbers come from dynalab's models here, in the test process,
never typed: a readout that disagrees with the model, or a widget that did not redraw, fails. A widget whose control
takes effect only through a button (a live load run) names it in ``then_click``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Move:
    kind: str  # "slider" | "dropdown" | "toggle" | "button"
    before: str  # what the control showed before the move (slider readout, selected option, button label)
    after: str  # ... and after it
    settings: dict[str, str] = field(default_factory=dict)  # every labelled control of that widget: label -> value
    readout_before: str = ""  # what the widget's readout showed before the move


@dataclass(frozen=True)
class Expectation:
    expected: Callable[[Move], str | list[str]]
    then_click: str | None = None  # the label of a button to press after the move
    busy_text: str | None = None  # what the readout shows while it works (not yet the answer)
    timeout_ms: int = 10_000
    minimize: tuple[str, ...] = ()  # labels of sliders of that widget to set to their minimum first (Home key)
    known_issue: str | None = None  # a lesson bug reported but not fixed yet: the test xfails (only) if it bites


def number(text: str) -> float:
    """A number as a widget shows it ("12,100", "45", "0.5")."""
    return float(text.replace(",", "").split()[0])


# --- the Japanese edition ------------------------------------------------------------------------------------------

_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff00-\uffef]")
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


def has_japanese(text: str) -> bool:
    return bool(_JAPANESE.search(text))


@functools.cache
def _backwards() -> list[tuple[str, str]]:
    """(Japanese, English) for every catalog entry without fields, longest Japanese first."""
    from dynalab.i18n import catalog, fields_of

    pairs = {ja: en for en, ja in catalog("ja").items() if not fields_of(en) and has_japanese(ja)}
    return sorted(pairs.items(), key=lambda pair: -len(pair[0]))


def english(text: str) -> str:
    """A label or option a Japanese lesson shows, in dynalab's English words: the whole text if the catalog has it,
    else each translated phrase in it (so "label (verdict)" built from two entries comes back as both)."""
    for japanese, template in _backwards():
        if text == japanese:
            return template
    for japanese, template in _backwards():
        if japanese in text:
            text = text.replace(japanese, template)
    return text


def same_numbers(piece: str, shown: str) -> list[str]:
    """The numbers of ``piece`` that ``shown`` lacks (none: they agree, whatever the language around them)."""
    return [value for value in _NUMBER.findall(piece) if value not in shown]


# --- 01 capacity units ---------------------------------------------------------------------------------------------

def _item_cost_explorer(move: Move) -> list[str]:
    from dynalab.models.capacity import item_cost
    from dynalab.models.sizing import MAX_ITEM_SIZE_BYTES, item_size
    from dynalab.widgets.capacity import TEXT_KINDS

    character = next(char for label, char in TEXT_KINDS.values() if label == move.settings["text"])
    # The item the controls describe: a key, the text, and n01..nN four- or five-digit numbers.
    item = {"pk": "item#1", "text": character * int(number(move.after))}
    for n in range(1, int(number(move.settings["number attributes"])) + 1):
        item[f"n{n:02d}"] = 1000 * n + 7
    size = item_size(item)
    if size > MAX_ITEM_SIZE_BYTES:
        return [f"{size:,} B", "over DynamoDB's item limit"]
    cost = item_cost(size)
    return [f"{size:,} B", f"read: {cost.strong_read_units:g} RCU strongly consistent",
            f"{cost.eventual_read_units:g} eventually consistent", f"write: {cost.write_units:g} WCU"]


# --- 02 capacity modes and auto scaling ----------------------------------------------------------------------------

def _autoscaling_explorer(move: Move) -> str:
    from dynalab.lessons.workloads import WORKLOADS, load_workload
    from dynalab.models.autoscaling import TargetTrackingPolicy, simulate_autoscaling
    from dynalab.models.pricing import compare_costs
    from dynalab.widgets.autoscaling import DEFAULT_DELAY_MINUTES, DELAY_LABEL, describe_costs, split_delay

    names = {text: name for name, text in WORKLOADS.items()}  # the picker shows words; the name is its value
    assert move.settings["workload"] in names, f"the picker shows {move.settings['workload']!r}, not a workload's words"
    workload = load_workload(names[move.settings["workload"]])
    burst = move.settings.get("burst capacity (300 s)", "true") == "true"
    delay = int(number(move.settings.get(DELAY_LABEL, str(DEFAULT_DELAY_MINUTES))))
    policy = TargetTrackingPolicy(int(number(move.after)), **split_delay(delay))
    result = simulate_autoscaling(workload.demand, policy, burst_seconds=300 if burst else 0)
    return describe_costs(result, compare_costs(workload.demand, result.provisioned, result.served))


def _live_throttling(move: Move) -> str:
    # The live run's first robust line: what was asked of the engine (the table has 20 WCU in the lesson).
    return f"requested: {number(move.after):g} writes/s for {int(number(move.settings['seconds']))} s on"


# --- 03 partitions -------------------------------------------------------------------------------------------------

def _partition_calculator(move: Move) -> str:
    from dynalab.models.partitions import estimate_partitions

    estimate = estimate_partitions(int(number(move.after)), int(number(move.settings["write capacity units"])),
                                   int(number(move.settings["table size (GB)"])))
    return estimate.describe()


def _hot_partition_explorer(move: Move) -> str:
    from dynalab.models.key_distributions import CARDINALITY_TABLE, key_distribution

    names = {f"{label} ({verdict})": name for label, verdict, name in CARDINALITY_TABLE}
    assert move.after in names, f"the picker shows {move.after!r}, not one of {sorted(names)}"
    return f"{key_distribution(names[move.after]).cardinality:,} distinct keys"


# --- 04 stream projection: votes ----------------------------------------------------------------------------------

def _vote_board(move: Move) -> str:
    # "Vote A" puts one new voter's item in the vote table: the table's count for A goes up by exactly one.
    # The readout: "summary table: A 3, B 1 | vote table holds: A 3, B 1 | projector: running" (a Japanese lesson's
    # has its own words around the same " | " parts and counts).
    candidate = move.after.removeprefix("Vote ").strip()
    found = re.search(rf"vote table holds: .*?\b{re.escape(candidate)} (\d+)", move.readout_before)
    if found is None and has_japanese(move.readout_before):
        named = {name for name, _ in re.findall(r"(\w+) (\d+)", move.readout_before) if not has_japanese(name)}
        candidate = max((name for name in named if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", move.after)),
                        key=len, default=candidate)
        parts = move.readout_before.split("|")
        found = re.search(rf"(?<!\w){re.escape(candidate)} (\d+)", parts[1]) if len(parts) >= 2 else None
    assert found, f"the board's readout before the vote does not give the vote table's count: {move.readout_before!r}"
    return f"{candidate} {int(found.group(1)) + 1}"


# --- 06 secondary indexes -----------------------------------------------------------------------------------------

def _index_write_explorer(move: Move) -> list[str]:
    from dynalab.widgets.indexes import modelled_write

    size = int(number(move.after))
    count = int(number(move.settings["global secondary indexes"]))
    table, by_index = modelled_write(size, count, move.settings["projection"])
    return [f"A new {size:,} B item", f"table {table:g}", f"= {table + sum(by_index.values()):g} WCU a write"]
# --- 07 Lambda triggers ----------------------------------------------------------------------------------------

def _poison_vote_board(move: Move) -> list[str]:
    # "Poison vote" writes ten votes, the sixth one poison, and runs the mapping with the board's settings: one more
    # poison vote, and the rules (poison_plan) say whether the shard is now blocked.
    import re

    from dynalab.models.event_source_mapping import poison_plan

    # the count's label in either edition (a Japanese readout is compared by its numbers: same_numbers)
    found = re.search(r"(?:poison votes written|書き込んだポイズン票): (\d+)", move.readout_before)
    assert found, f"the board's readout before the press gives no poison count: {move.readout_before!r}"
    retries = int(move.settings["retry attempts"].split()[0])
    plan = poison_plan(int(number(move.settings["batch size"])), 5 % int(number(move.settings["batch size"])),
                       bisect=move.settings["bisect on error"] == "true", maximum_retry_attempts=retries,
                       retry_budget=20)
    return [f"poison votes written: {int(found.group(1)) + 1}", f"shard blocked: {'yes' if plan.blocked else 'no'}"]


# --- 08 plan a table -----------------------------------------------------------------------------------------------

def _plan_explorer(move: Move) -> list[str]:
    # The notebook's explorer plans data/designs/orders.yaml; the kernel-side cell set "place order" to 300/s and the
    # test then moved the selected pattern's rate: the design with that one rate, planned here.
    from dynalab.lessons.planner import plan_table, read_design
    from dynalab.widgets.planner import describe_plan

    design = read_design("orders")
    pattern = next(p for p in design["patterns"] if p["name"] == move.settings["pattern"])
    pattern["per_second"] = int(number(move.after))
    lines = describe_plan(plan_table(design), int(number(move.settings["target %"])))
    return [line for line in lines if line.startswith(("total:", "a month", "with auto scaling"))]


def _cloudwatch_replay(move: Move) -> str:
    # Lesson 2's explorer replaying the bundled CloudWatch export (writes), at the target the test moved to.
    from dynalab.lessons.sample_data import course_file
    from dynalab.lessons.workloads import load_workload
    from dynalab.models.autoscaling import simulate_autoscaling
    from dynalab.models.pricing import compare_costs
    from dynalab.widgets.autoscaling import describe_costs

    assert "orders_get_metric_data.json" in move.settings["workload"], move.settings["workload"]  # the export's name
    workload = load_workload(course_file("data/cloudwatch/orders_get_metric_data.json"),
                             metric="ConsumedWriteCapacityUnits")
    burst = move.settings.get("burst capacity (300 s)", "true") == "true"
    result = simulate_autoscaling(workload.demand, int(number(move.after)), burst_seconds=300 if burst else 0)
    return describe_costs(result, compare_costs(workload.demand, result.provisioned, result.served))


# --- 09 global tables ---------------------------------------------------------------------------------------------

def _bill_explorer(move: Move) -> list[str]:
    # The month of the default traffic at the writes per second the test moved to, in the setup the widget shows,
    # beside a single-Region table: the widget's own lines, from the models' bill.
    from dynalab.widgets.global_tables import describe_bills, monthly_bills

    return describe_bills(monthly_bills(move.settings["setup"], int(number(move.after))))


EXPECTATIONS: dict[str, list[Expectation]] = {
    "00_start_here": [],  # no main widget: its self-check form is driven instead
    "05_batch_vs_stream": [],  # no main widget (yet): its self-check form is driven instead
    "01_capacity_units": [Expectation(_item_cost_explorer)],
    "02_capacity_modes_autoscaling": [
        Expectation(_autoscaling_explorer),
        Expectation(_live_throttling, then_click="Fire", busy_text="running", timeout_ms=40_000,
                    minimize=("seconds",)),
    ],
    "03_partitions": [Expectation(_partition_calculator), Expectation(_hot_partition_explorer)],
    "04_stream_projection_votes": [Expectation(_vote_board)],
    "06_secondary_indexes": [Expectation(_index_write_explorer)],
    "07_lambda_triggers": [Expectation(_poison_vote_board, timeout_ms=30_000)],
    "08_plan_a_table": [Expectation(_plan_explorer), Expectation(_cloudwatch_replay)],
    "09_global_tables": [Expectation(_bill_explorer)],
}
