"""Issue 12 item 11: every public name in ``dynalab.__all__`` driven with hostile values, one parameter at a time.

A call with one hostile value (None, bools, NaN, infinities, -1, huge ints, wrong-typed text, empty containers...)
in place of a valid argument must end in a result, or in one of dynalab's documented errors (ValueError, TypeError
and dynalab's own error classes) raised from a frame inside dynalab/ whose message names the parameter.

Issue 23: whatever it ends in, every call stays within a bound of time and memory (``support_hostile``: 2 s of CPU,
500 MB of peak memory, and a wall-clock bound after which the test stops waiting). Beside the hostile values, each
numeric parameter is driven to costly values that may be *allowed* (tiny intervals, counts up to 10**12, series of
up to a million elements), alone and several together (a rate times a duration): a parameter without an upper bound
fails here. ``MODEL_EXTRAS`` adds the model functions the lessons call by their module (``simulate_batching``...).

Engine-free names run here; the names that need a lab run in tests/integration/test_hostile_inputs_lab.py with the
conftest's real ``lab``. ``COVERED_ELSEWHERE`` names the ones another file drives; ``NOT_YET_COVERED`` the gaps,
each with its reason; ``NOT_CALLABLE_HERE`` the few that are not entry points (results built by dynalab).
"""

from __future__ import annotations

import inspect
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import RUN
from support_hostile import bounded_outcome, clear_error_problem, shown

import dynalab
from dynalab.models import capacity, event_source_mapping, hot_partitions, key_distributions, partitions
from dynalab.models.key_distributions import key_distribution

#: names driven with hostile values by another file (it holds their baselines: live vote tables and streams)
COVERED_ELSEWHERE = {name: "tests/integration/test_hostile_inputs_streams.py" for name in (
    "VoteBoard", "PoisonVoteBoard", "copy_by_bulk_put", "copy_by_import", "measure_replication_lag",
    "create_vote_tables", "StreamProjector", "enable_stream", "EventSourceMapping", "copy_by_change_capture",
    "copy_by_restore", "run_load", "daily_totals", "mail_batch", "read_summary", "tally_votes", "vote_summary")}
COVERED_ELSEWHERE["RoomBoard"] = "tests/integration/test_room.py"  # it needs a running room
#: names no property test drives yet, and why (each has checks of its own; the gap is the test's)
NOT_YET_COVERED: dict[str, str] = {}
#: not entry points a learner calls with values: results and handles that dynalab builds
NOT_CALLABLE_HERE = {
    "Lab": "built by dynalab.connect()",
    "Plan": "built by plan_table (covered) from a checked design",
    "ConsoleMetrics": "built by table_metrics (covered) from the engine's CloudWatch",
    "TopKey": "built by top_keys (covered) from a Contributor Insights report",
    "stop_embedded_engine": "no parameters; stopping the engine mid-suite would only slow the lab tests",
}

_KD = key_distribution("status_codes")

#: valid arguments for each engine-free name's required parameters (the hostile value replaces one of them)
BASELINE: dict[str, dict[str, Any]] = {
    "BatchVsStreamCost": {},
    "get_language": {},
    "global_table_bill": {"writes_per_month": 1000},
    "hidden_check": {},
    "GlobalTableBillExplorer": {},
    "set_language": {"language": "en"},
    "display_width": {"text": "日本語 abc"},
    "pad_to_width": {"text": "日本", "width": 10},
    "truncate_to_width": {"text": "日本語のテキスト", "width": 6},
    "IndexWriteExplorer": {},
    "PlanExplorer": {},
    "Question": {"prompt": "How many?", "answer": 1, "hint": "count"},
    "self_check": {"questions": [dynalab.Question("How many?", 1, "count")]},
    "self_check_for": {"lesson": "03"},
    "verify_self_check": {"lesson": "03"},
    "DecreaseQuota": {},
    "Meter": {},
    "Prices": {},
    "Progress": {"total": 3, "description": "x", "show": False},
    "SecondaryIndex": {"name": "by_x", "key_attributes": ("x",)},
    "TargetTrackingPolicy": {},
    "ThroughputEnforcer": {"table_name": "t-x", "read_capacity_units": 10, "write_capacity_units": 10},
    "attribute_sizes": {"item": {"a": 1}},
    "batch_read_units": {"sizes_bytes": [100, 5000]},
    "batch_write_units": {"sizes_bytes": [100, 5000]},
    "break_even_utilization": {},
    "describe_throttling_reason": {"reason": "TableWriteKeyRangeThroughputExceeded"},
    "compare_costs": {"demand": [1.0, 2.0, 3.0], "provisioned": [4.0, 4.0, 4.0]},
    "estimate_partitions": {"read_capacity_units": 1000, "write_capacity_units": 100},
    "filter_or_index": {"items_read_per_query": 10, "item_size_bytes": 500, "selectivity": 0.1,
                        "queries_per_second": 5, "index_writes_per_second": 1, "index_entry_size_bytes": 100},
    "index_write_units": {"before": None, "after": {"pk": {"S": "a"}, "x": {"S": "b"}},
                          "index": dynalab.SecondaryIndex("by_x", ("x",)), "table_key_attributes": ("pk",)},
    "item_cost": {"size_bytes": 100},
    "item_size": {"item": {"a": 1}},
    "key_distribution": {"name": "status_codes"},
    "load_workload": {"name": "step"},
    "number_size": {"value": 12},
    "partition_count": {"read_capacity_units": 1000, "write_capacity_units": 100},
    "partition_count_per_term": {"read_capacity_units": 1000, "write_capacity_units": 100},
    "partition_index": {"partition_key_value": "a", "partition_count": 4},
    "partition_indices": {"partition_key_values": ["a", "b"], "partition_count": 4},
    "plan_table": {"design": "orders"},
    "put_write_units": {"new_size_bytes": 100},
    "query_read_units": {"sizes_bytes": [100, 5000]},
    "read_units": {"size_bytes": 100},
    "sample_songs": {}, "sample_users": {}, "sample_votes": {},
    "simulate_autoscaling": {"demand": [100.0] * 20},
    "simulate_on_demand": {"demand": [100.0] * 20},
    "simulate_partition_load": {"distribution": _KD, "request_keys": _KD.sample(50), "partition_count": 4,
                                "table_capacity_per_second": 100},
    "split_history": {"states": [(100, 100, 1)]},
    "typed_item_size": {"item": {"a": {"N": "1"}}},
    "workload_names": {},
    "write_units": {"size_bytes": 100},
}


#: the lab tests' tables carry this process's tag (support.RUN): pytest workers sharing one engine keep their own
HOSTILE_LAB = f"hostile-lab-{RUN}-"
PROV = f"{HOSTILE_LAB}prov"

#: valid arguments besides ``lab`` (the hostile value replaces one of them, or ``lab`` itself)
LAB_BASELINE: dict[str, dict[str, Any]] = {
    "bulk_load": {"table_name": PROV, "items": [{"pk": "a", "n": 1}]},
    "cleanup": {"delete": False, "show": False},
    "compare_batch_and_stream": {"days": 1, "votes_per_day": 5, "runs_per_day": 1},
    "compare_index_writes": {"setups": ((0, "ALL"),)},
    "connect": {},
    "create_table": {"name": f"{HOSTILE_LAB}new", "reset": True},
    "create_global_table": {"name": f"hostile-global-{RUN}"},  # SLOW: a table and its replica per call
    "delete_table": {"table_name": f"{HOSTILE_LAB}gone"},
    "enable_contributor_insights": {"table_name": PROV},
    "enable_ttl": {"table_name": PROV},
    "export_metrics": {"table_name": PROV, "path": str(Path(tempfile.gettempdir()) / "dynalab-hostile-export.json")},
    "enforce_throughput": {"table_name": PROV},
    "scan_items": {"table_name": PROV},
    "table_metrics": {"table_name": PROV},
    "throttle_events_by_reason": {"table_name": PROV},
    "throttled_write": {"table_name": PROV, "item": {"pk": {"S": "a"}}},
    "top_keys": {"table_name": PROV},  # the module's lab has Contributor Insights on for it
    "set_replication": {},
    "TtlSweeper": {"table_name": PROV},
    "verify_plan": {"plan": None, "runs": 1},  # SLOW: a plan is built per run
    "wait_until_active": {"table_name": PROV},
    "write_sharding": {"shards": 2, "writes": 10},
}
#: parameters too slow to drive with every hostile value here (their range checks run first; a huge value is
#: refused before any request)
SLOW = {"compare_batch_and_stream", "write_sharding", "compare_index_writes", "verify_plan", "create_global_table"}


def public_callables() -> list[str]:
    names = []
    for name in dynalab.__all__:
        value = getattr(dynalab, name)
        if isinstance(value, type) and issubclass(value, BaseException):
            continue  # an error class: raised, not called
        if callable(value):
            names.append(name)
    return names


def needs_lab(name: str) -> bool:
    return "lab" in inspect.signature(getattr(dynalab, name)).parameters


#: hostile values: the pass's kinds, then anything hypothesis makes of numbers and text
HOSTILE = st.one_of(
    st.sampled_from([None, True, False, math.nan, math.inf, -math.inf, -1, 0, 10**30, -(10**30), 2**63, 1.5,
                     "x", "", "no", "１２", [], {}, (), set(), b"x", [None], {"a": None}, object(),
                     1e-9, 10**7, 10**9]),
    st.integers(), st.floats(), st.text(max_size=5),
)


#: model functions the lessons call by their module (not in ``__all__``), with valid arguments: driven like the rest
MODEL_EXTRAS: dict[str, tuple[Any, dict[str, Any]]] = {
    "simulate_batching": (event_source_mapping.simulate_batching,
                          {"records_per_second": 100, "seconds": 60, "batch_size": 100}),
    "poison_plan": (event_source_mapping.poison_plan,
                    {"batch_size": 10, "poison_index": 5, "bisect": False, "maximum_retry_attempts": -1}),
    "first_page": (capacity.first_page, {"sizes_bytes": [4000, 4000]}),
    "keys_per_partition": (hot_partitions.keys_per_partition, {"partition_key_values": ["a", "b"],
                                                                "partition_count": 4}),
    "key_hashes": (partitions.key_hashes, {"partition_key_values": ["a", "b"]}),
    "rounding_differences": (partitions.rounding_differences, {"read_capacity_units": [1000, 1500],
                                                                "write_capacity_units": [500, 700]}),
    "user_ids": (key_distributions.user_ids, {"users": 1000}),
    "device_ids": (key_distributions.device_ids, {"devices": 1000, "zipf_exponent": 1.2}),
    "creation_dates": (key_distributions.creation_dates, {}),
    "sample": (lambda requests, seed=0: _KD.sample(requests, seed), {"requests": 1000}),
    # a bucket per partition in the 2017 model: 10**9 units made a million of them (16 s, 530 MB)
    "ThroughputEnforcer (2017, per partition)": (dynalab.ThroughputEnforcer, {
        "table_name": "t-x", "read_capacity_units": 10, "write_capacity_units": 10, "per_partition": True,
        "partition_mode": "2017"}),
}


def function_of(name: str) -> Any:
    return MODEL_EXTRAS[name][0] if name in MODEL_EXTRAS else getattr(dynalab, name)


def baseline_of(name: str) -> dict[str, Any]:
    return MODEL_EXTRAS[name][1] if name in MODEL_EXTRAS else BASELINE[name]


def check_call(name: str, baseline: dict[str, Any], parameter: str, value: Any,
               arguments: dict[str, Any] | None = None) -> None:
    """Call ``name`` with ``baseline`` and ``parameter=value`` (or with ``arguments``, several changed): within the
    bounds of time and memory, ending in a result or a clear error naming ``parameter`` (one of those changed)."""
    function = function_of(name)
    arguments = {**baseline, parameter: value} if arguments is None else arguments
    kind, result = bounded_outcome(lambda: function(**arguments), f"{name}({parameter}={shown(value)})")
    if kind == "result":
        return
    problem = clear_error_problem(result, parameter)
    assert problem is None, f"{name}({parameter}={shown(value)}): {problem}"


UNIT_NAMES = sorted(n for n in public_callables() if n not in NOT_YET_COVERED and n not in NOT_CALLABLE_HERE
                    and n not in COVERED_ELSEWHERE and not needs_lab(n) and n not in LAB_BASELINE)


def test_every_public_name_is_covered_or_listed():
    listed = set(BASELINE) | set(LAB_BASELINE) | set(NOT_YET_COVERED) | set(NOT_CALLABLE_HERE) | set(COVERED_ELSEWHERE)
    assert sorted(set(public_callables()) - listed) == []
    assert sorted(set(UNIT_NAMES) - set(BASELINE)) == []
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for name, path in COVERED_ELSEWHERE.items():
        assert f'"{name}"' in (root / path).read_text(), f"{name} is not driven in {path}"


@pytest.mark.parametrize("name", UNIT_NAMES + sorted(MODEL_EXTRAS))
def test_the_baseline_call_works(name):
    assert bounded_outcome(lambda: function_of(name)(**baseline_of(name)), name)[0] == "result"


def named_parameters(name: str) -> list[str]:
    function = function_of(name)
    return [p.name for p in inspect.signature(function).parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]


@pytest.mark.parametrize("name", [n for n in UNIT_NAMES + sorted(MODEL_EXTRAS) if named_parameters(n)])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_hostile_value_gives_a_result_or_a_clear_error(name, data):
    parameter = data.draw(st.sampled_from(named_parameters(name)), label="parameter")
    value = data.draw(HOSTILE, label="value")
    check_call(name, baseline_of(name), parameter, value)


# ------------------------------------------------------------------------- issue 23: costly values that may be allowed
#: tiny positive numbers (poll intervals, durations) and big counts (rates, budgets, partitions, steps)
COSTLY_NUMBERS = (1e-9, 1e-6, 1e-3, 0.25, 10**3, 10**4, 10**5, 3 * 10**5, 10**6, 10**7, 10**8, 10**9, 10**12, 2**53)
#: the lengths a series parameter (demand, sizes, states, keys) is stretched to
COSTLY_LENGTHS = (10**4, 10**5, 10**6)


def default_of(name: str, parameter: str) -> Any:
    baseline = baseline_of(name)
    if parameter in baseline:
        return baseline[parameter]
    return inspect.signature(function_of(name)).parameters[parameter].default


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def costly_count(name: str, parameter: str) -> int:
    """How many costly values ``parameter`` has: numbers for a numeric one (or one that defaults to None, such as
    an optional capacity), long copies of the baseline for a series; none for the rest."""
    default = default_of(name, parameter)
    if isinstance(default, list | tuple) and default:
        return len(COSTLY_LENGTHS)
    return len(COSTLY_NUMBERS) if is_number(default) or default is None else 0


def costly_value(name: str, parameter: str, index: int) -> Any:
    """Costly value number ``index`` of ``parameter`` (a long series is built only when it is drawn)."""
    default = default_of(name, parameter)
    if isinstance(default, list | tuple) and default:
        return list(default) * (COSTLY_LENGTHS[index] // len(default))
    return COSTLY_NUMBERS[index]


def costly_parameters(name: str) -> list[str]:
    return [p for p in named_parameters(name) if costly_count(name, p)]


COSTLY_CASES = [(name, parameter) for name in UNIT_NAMES + sorted(MODEL_EXTRAS)
                for parameter in costly_parameters(name)]


@pytest.mark.parametrize("name, parameter", COSTLY_CASES)
def test_each_numeric_parameter_at_costly_values_stays_within_the_bounds(name, parameter):
    """One parameter at a time, every costly value: allowed and cheap, or refused with a clear error."""
    for index in range(costly_count(name, parameter)):
        check_call(name, baseline_of(name), parameter, costly_value(name, parameter, index))


@pytest.mark.parametrize("name", sorted({name for name, _ in COSTLY_CASES if len(costly_parameters(name)) > 1}))
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_costly_values_together_stay_within_the_bounds(name, data):
    """Several numeric parameters costly at once (a rate times a duration): the product is what is bounded."""
    chosen = data.draw(st.lists(st.sampled_from(costly_parameters(name)), min_size=2, max_size=3, unique=True),
                       label="parameters")
    arguments = dict(baseline_of(name))
    for parameter in chosen:
        index = data.draw(st.integers(0, costly_count(name, parameter) - 1), label=parameter)
        arguments[parameter] = costly_value(name, parameter, index)
    function = function_of(name)
    kind, result = bounded_outcome(lambda: function(**arguments), f"{name}({', '.join(chosen)})")
    if kind == "error":
        problems = [clear_error_problem(result, parameter) for parameter in chosen]
        assert None in problems, f"{name}: {problems[0]}"


def _design(patterns: list[dict] | None = None, indexes: int = 1, **query: Any) -> dict[str, Any]:
    """The orders design (one GSI), its Query pattern changed by ``query``, or its patterns replaced."""
    return {"table": {"name": "orders", "partition_key": "pk", "sort_key": "sk", "size_gb": 12},
            "indexes": [{"name": f"by_customer{n}", "projection": "ALL"} for n in range(indexes)],
            "patterns": patterns or [{"name": "list orders", "operation": "Query", "items": 20, "item_bytes": 500,
                                      "per_second": 50, **query}]}


_PUT = {"operation": "PutItem", "item_bytes": 1500, "per_second": 20}
#: designs at and past the planner's bounds, and the field each must name if refused (a Query of 10**7 items of
#: 400 KB took 28 s: 3.3 million pages each priced on its own)
PLANNER_DESIGNS = {
    "Query 10**7 items of 400 KB": (_design(items=10**7, item_bytes=409_600), "items"),
    "Query 3,000 items of 400 KB": (_design(items=3_000, item_bytes=409_600), "items"),
    "Query 10**7 items of 1 B": (_design(items=10**7, item_bytes=1), "items"),
    "Scan 10**7 items of 400 KB": (_design(items=10**7, item_bytes=409_600, operation="Scan"), "items"),
    "per_second 1e308": (_design(per_second=1e308), "per_second"),
    "100 patterns on 20 indexes": (_design([{**_PUT, "name": f"p{n}", "indexes": [f"by_customer{n % 20}"]}
                                            for n in range(100)], indexes=20), "patterns"),
    "10**5 patterns": (_design([{**_PUT, "name": f"p{n}"} for n in range(10**5)]), "patterns"),
    "10**5 indexes": (_design(indexes=10**5), "indexes"),
}


@pytest.mark.parametrize("what", sorted(PLANNER_DESIGNS))
def test_a_design_at_the_planners_bounds_stays_within_the_bounds(what):
    design, field = PLANNER_DESIGNS[what]
    kind, result = bounded_outcome(lambda: dynalab.plan_table(design), f"plan_table({what})")
    if kind == "error":
        problem = clear_error_problem(result, field)
        assert problem is None, f"plan_table({what}): {problem}"
