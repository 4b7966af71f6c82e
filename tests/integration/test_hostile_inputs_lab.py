"""Issue 12 item 11, the names that need a lab: each driven with hostile values against the real engine
(the engine-free names and the rules: tests/test_hostile_inputs.py)."""

from __future__ import annotations

import itertools
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
from test_hostile_inputs import HOSTILE_LAB, LAB_BASELINE, PROV, SLOW  # noqa: E402

import dynalab
from dynalab.lessons.planner import read_design


@pytest.fixture(scope="module")
def prepared(_engine_for_the_session):
    lab = dynalab.connect()
    dynalab.create_table(lab, PROV, ("pk", "S"), read_capacity_units=50, write_capacity_units=50, reset=True)
    dynalab.enable_contributor_insights(lab, PROV)  # top_keys reads its rules
    yield lab
    for table in lab.client.list_tables()["TableNames"]:
        if table.startswith(HOSTILE_LAB):
            lab.client.delete_table(TableName=table)


_fresh = itertools.count()


def _call(lab: Any, name: str, parameter: str, value: Any) -> None:
    if name == "cleanup" and not (lab.embedded or lab.is_aws):
        pytest.skip("cleanup refuses an engine you started (it may hold tables that are not the lessons'), "
                    "whatever the other arguments: its baseline call is refused there")
    baseline = dict(LAB_BASELINE[name])
    if "lab" in parameters_of(name):
        baseline["lab"] = lab
    if name == "create_table" and parameter != "name":
        # a fresh table each call: a hostile creator ("no") would otherwise tag the baseline's table as another
        # function's, and the next call's reset=True would rightly refuse it, naming reset, not its own parameter
        baseline["name"] = f"{baseline['name']}-{next(_fresh)}"
    if name == "verify_plan":
        # the orders design under this process's name: test_plan_verify.py verifies "orders" itself, maybe at once
        # in another worker on the same engine
        design = read_design("orders")
        baseline["plan"] = dynalab.plan_table({**design, "table": {**design["table"], "name": f"orders-{RUN}"}})
    if name in ENGINE_FEATURES and not lab.embedded:
        try:  # the baseline call itself: an engine without the feature refuses every call, whatever the argument
            getattr(dynalab, name)(**baseline)
        except dynalab.EngineFeatureMissingError as missing:
            pytest.skip(f"{name} needs dynalab's own engine: {missing}")
    check_hostile_call(name, {**baseline, parameter: value}, parameter, value)


#: functions that need a feature of dynalab's own engine (global tables' replication settings)
ENGINE_FEATURES = {"set_replication"}


HOSTILE = st.sampled_from(HOSTILE_VALUES)


@pytest.mark.parametrize("name", sorted(set(LAB_BASELINE) - SLOW))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_hostile_value_gives_a_result_or_a_clear_error(name, prepared, data):
    parameter = data.draw(st.sampled_from(parameters_of(name)), label="parameter")
    value = data.draw(HOSTILE, label="value")
    if name == "cleanup" and parameter == "delete" and value is True:
        return  # a real cleanup: it would delete the other calls' table (its own test covers it)
    _call(prepared, name, parameter, value)


@pytest.mark.parametrize("name", sorted(SLOW))
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_slow_scenario_refuses_a_hostile_value_before_its_work(name, prepared, data):
    """The lesson scenarios run for seconds when their input is valid: few examples, values mostly refused."""
    parameter = data.draw(st.sampled_from(parameters_of(name)), label="parameter")
    value = data.draw(st.sampled_from([None, True, float("nan"), -1, 10**30, "x", [], object()]), label="value")
    _call(prepared, name, parameter, value)


#: issue 23: values each parameter's own range allows but whose product (or pace) has no end in sight, each with the
#: parameter its error must name; refused at once, before any work (the old code ran them for hours, or spun)
COSTLY_LAB_CALLS: dict[str, tuple[str, dict[str, Any], str]] = {
    "a year of 100,000 votes a day": ("compare_batch_and_stream", {"days": 365, "votes_per_day": 100_000},
                                      "votes_per_day"),
    "96 batch runs a day for a year": ("compare_batch_and_stream", {"days": 365, "votes_per_day": 1,
                                                                     "runs_per_day": 96}, "runs_per_day"),
    "5,000 votes of 100 KB": ("compare_batch_and_stream", {"days": 1, "votes_per_day": 5_000,
                                                            "client_bytes": 100_000}, "client_bytes"),
    "a backoff doubling from 10 s over 20 attempts": ("bulk_load", {"table_name": PROV, "items": [{"pk": "a"}],
                                                                    "max_attempts": 20, "base_delay_seconds": 10},
                                                      "base_delay_seconds"),
    "a sweeper every nanosecond": ("TtlSweeper", {"table_name": PROV, "interval_seconds": 1e-9}, "interval_seconds"),
}


@pytest.mark.parametrize("what", sorted(COSTLY_LAB_CALLS))
def test_a_costly_combination_is_refused_before_its_work(what, prepared):
    name, arguments, parameter = COSTLY_LAB_CALLS[what]
    arguments = {"lab": prepared, **arguments} if "lab" in parameters_of(name) else arguments
    kind, result = bounded_outcome(lambda: getattr(dynalab, name)(**arguments), what, LAB_WALL_SECONDS_MAX)
    if kind == "result" and hasattr(result, "stop"):
        result.stop()
    assert kind == "error", f"{what}: accepted"
    assert clear_error_problem(result, parameter) is None, f"{what}: {clear_error_problem(result, parameter)}"
