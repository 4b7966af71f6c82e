"""Replays the robustness pass's hostile calls on the widgets and figures (tests/data/hostile-calls.tsv,
issue 12 item 10): each must now give a result (only where the pass was wrong: ``ACCEPTED``) or a ValueError /
TypeError raised from dynalab's own code whose message names the bad parameter.

The pass wrote its calls in a shorthand, parsed here: ``Name(args) {kwargs}``, ``Name({kwargs})`` (with
``[constructor]`` or ``: what was compared`` notes after it), ``Name.control.value = x`` (a default ``Name``, then
the control set from the kernel), ``Name.method({kwargs})`` (a default ``Name``, then the method) and
``Name(...).method(...)``. Arguments are evaluated in a namespace holding dynalab's names, every widget and figure
module's names and ``nan``/``inf``; ``ok`` is a good StepClock. A parameter the pass left out gets a valid value
from ``BASELINE``; a callable whose first parameter is ``lab`` gets the real one from the ``lab`` fixture.
"""

from __future__ import annotations

import ast
import csv
import importlib
import inspect
import math
import os
import pkgutil
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import dynalab
import dynalab.figures
import dynalab.widgets

ROWS_FILE = Path(os.environ.get("DYNALAB_HOSTILE_CALLS",
                                Path(__file__).resolve().parent.parent / "data" / "hostile-calls.tsv"))
DYNALAB_DIR = Path(dynalab.__file__).resolve().parent
OWNED_ELSEWHERE = ("dynalab.widgets.streams",)  # the streams helper's module (VoteBoard): replayed with its rows

#: calls the pass listed that are right to accept (none so far: every listed call is refused now)
ACCEPTED: set[str] = set()


def _namespace() -> dict[str, Any]:
    names: dict[str, Any] = {name: getattr(dynalab, name) for name in dynalab.__all__}
    for package in (dynalab.widgets, dynalab.figures):
        for module in pkgutil.iter_modules(package.__path__):
            loaded = importlib.import_module(f"{package.__name__}.{module.name}")
            names.update({name: value for name, value in vars(loaded).items() if not name.startswith("_")})
    names.update(nan=math.nan, inf=math.inf, np=np)
    return names


NAMESPACE = _namespace()
OK_CLOCK = NAMESPACE["StepClock"]()  # the rows' ``ok``: a good clock (a valid value, so never the one to blame)


def _is_ours(name: str) -> bool:
    """Does the call's leading name stand for a widget or figure of this helper's modules?"""
    value = NAMESPACE.get(name)
    module = getattr(value, "__module__", "") or ""
    return module.startswith(("dynalab.widgets", "dynalab.figures")) and not module.startswith(OWNED_ELSEWHERE)


def _rows() -> list[dict[str, str]]:
    if not ROWS_FILE.exists():
        return []
    with ROWS_FILE.open(newline="") as file:
        rows = list(csv.DictReader(file, delimiter="\t"))
    return [row for row in rows if _is_ours(row["call"].split("(")[0].split(".")[0].strip())]


ROWS = _rows()


# --- parsing the pass's shorthand ----------------------------------------------------------------------------------


@dataclass
class Step:
    """One call: ``target(*args, **kwargs)`` (``target`` a name, or a method of the object built before)."""

    target: str
    args: list[Any] = field(default_factory=list)
    kwargs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Call:
    build: Step  # the widget or function called first
    then: Step | None = None  # a method called on what ``build`` returned
    control: str | None = None  # ... or a control of it, set from the kernel to ``value``
    value: Any = None


def _splat_dicts(text: str) -> str:
    """``f(a, {'k': 1}, b=2)`` -> ``f(a, **{'k': 1}, b=2)``: the pass wrote keyword arguments as a dict."""
    out, stack, quote = [], [], None
    for char in text:
        if quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "{" and stack and stack[-1] == "(" and "".join(out).rstrip()[-1:] in ("(", ","):
            out.append("**")
        if not quote and char in "([{":
            stack.append(char)
        elif not quote and char in ")]}" and stack:
            stack.pop()
        out.append(char)
    return "".join(out)


def _normalise(text: str) -> str:
    text = text.strip()
    for note in (" [constructor]",):
        text = text.removesuffix(note)
    if text.endswith("}") and ") {" in text:  # "Name(args) {kwargs}"
        head, _, tail = text.rpartition(") {")
        text = f"{head}{', ' if not head.endswith('(') else ''}**{{{tail})"
    if "):" in text:  # "Name(...): what the pass compared"
        text = text[: text.index("):") + 1]
    return _splat_dicts(text)


def _evaluate(node: ast.AST) -> Any:
    return eval(compile(ast.Expression(node), "<hostile call>", "eval"), dict(NAMESPACE, ok=OK_CLOCK))


def _step(target: str, call: ast.Call, parameters: set[str]) -> Step:
    step = Step(target, [_evaluate(arg) for arg in call.args])
    for keyword in call.keywords:
        value = _evaluate(keyword.value)
        if keyword.arg is not None:
            step.kwargs[keyword.arg] = value
        elif isinstance(value, dict) and all(isinstance(k, str) and k in parameters for k in value):
            step.kwargs.update(value)
        else:  # a dict the call takes as a value (self_check({'a': 1}))
            step.args.append(value)
    return step


def _parameters(target: Any) -> set[str]:
    return set(inspect.signature(target).parameters)


def parse(text: str) -> Call:
    text = _normalise(text)
    if ".value" in text and "=" in text.split(".value", 1)[1][:3]:  # "Name.control.value = x"
        left, _, right = text.partition("=")
        name, control, _ = (part.strip() for part in left.split("."))
        return Call(Step(name), control=control, value=_evaluate(ast.parse(right.strip(), mode="eval").body))
    body = ast.parse(text, mode="eval").body
    assert isinstance(body, ast.Call), text
    if isinstance(body.func, ast.Name):
        return Call(_step(body.func.id, body, _parameters(NAMESPACE[body.func.id])))
    method = body.func
    assert isinstance(method, ast.Attribute), text
    if isinstance(method.value, ast.Name):  # "Name.method(...)": a default Name first
        owner = method.value.id
        build = Step(owner)
    else:
        inner = method.value
        assert isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name), text
        owner = inner.func.id
        build = _step(owner, inner, _parameters(NAMESPACE[owner]))
    then = _step(method.attr, body, _parameters(getattr(NAMESPACE[owner], method.attr)))
    return Call(build, then)


# --- replaying -----------------------------------------------------------------------------------------------------

#: valid values for parameters a row leaves out (so the one it names is the only bad one)
BASELINE: dict[str, dict[str, Any]] = {
    "place_keys": {"table_name": "hostile1", "distribution_name": "user_ids", "items": 10, "partitions": 4},
    "load_tested_table": {"name": "hostile2"},
    "run_hot_key_test": {"table_name": "hostile3", "keys": ["a"], "writes_per_second": 1,
                         "clock": OK_CLOCK},
    "Question": {"prompt": "q", "answer": 3, "hint": "h"},
}


def _bind(target: Any, step: Step, lab: Any, *, method: bool = False) -> tuple[inspect.BoundArguments, set[str]]:
    """The arguments the call gets, and the names of those the row chose (the ones an error must name)."""
    signature = inspect.signature(target)
    if method:  # a function looked up on its class: no self here
        signature = signature.replace(parameters=list(signature.parameters.values())[1:])
    names = list(signature.parameters)
    needs_lab = bool(names) and names[0] == "lab"
    given = signature.bind_partial(*([lab] if needs_lab else []), *step.args, **step.kwargs)
    chosen = {name for name in given.arguments if not (needs_lab and name == "lab")}
    for name, value in BASELINE.get(step.target, {}).items():
        given.arguments.setdefault(name, value)
    for name in list(chosen):  # a value equal to the default or the baseline is not what the row made hostile
        value, baseline = given.arguments[name], BASELINE.get(step.target, {})
        for valid in (signature.parameters[name].default, baseline.get(name, inspect.Parameter.empty)):
            try:
                same = valid is not inspect.Parameter.empty and type(value) is type(valid) and bool(value == valid)
            except Exception:
                same = False
            if same:
                chosen.discard(name)
    return given, chosen


def _needs_lab(target: Any) -> bool:
    names = list(inspect.signature(target).parameters)
    return bool(names) and names[0] == "lab"


def prepare(call: Call, lab: Any) -> tuple[Any, set[str]]:
    """The hostile part of the call as a thunk, and the parameter names its error must mention (any one).

    A default widget a control or method row starts from is built here (it is valid); a build the row made
    hostile runs in the thunk."""
    target = NAMESPACE[call.build.target]
    given, chosen = _bind(target, call.build, lab)
    if call.control is not None:
        control = getattr(target(*given.args, **given.kwargs), call.control)
        return (lambda: setattr(control, "value", call.value)), {control._dynalab_parameter}
    if call.then is None:
        return (lambda: target(*given.args, **given.kwargs)), chosen
    bound, then_chosen = _bind(getattr(target, call.then.target), call.then, lab, method=True)
    if not call.build.args and not call.build.kwargs:  # "Name.method(...)": the default Name is valid
        built = target(*given.args, **given.kwargs)
        return (lambda: getattr(built, call.then.target)(*bound.args, **bound.kwargs)), then_chosen
    return (lambda: getattr(target(*given.args, **given.kwargs), call.then.target)(*bound.args, **bound.kwargs)), \
        chosen | then_chosen


def _raised_in_dynalab(error: BaseException) -> bool:
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and Path(frames[-1].filename).resolve().is_relative_to(DYNALAB_DIR)


@pytest.mark.skipif(not ROWS, reason=f"{ROWS_FILE} is not on this machine")
@pytest.mark.parametrize("row", ROWS, ids=[row["call"] for row in ROWS])
def test_a_hostile_call_gets_a_result_or_a_clear_error(row, request):
    call = parse(row["call"])
    lab = request.getfixturevalue("lab") if _needs_lab(NAMESPACE[call.build.target]) else None
    if call.build.target == "run_hot_key_test":  # as in the pass: a table throttled per partition on ``ok``
        name = BASELINE["run_hot_key_test"]["table_name"]
        dynalab.create_table(lab, name, read_capacity_units=100, write_capacity_units=100, reset=True)
        request.addfinalizer(dynalab.enforce_throughput(lab, name, per_partition=True, clock=OK_CLOCK).stop)
    hostile, names = prepare(call, lab)
    if row["call"] in ACCEPTED:
        hostile()
        return
    with pytest.raises((ValueError, TypeError)) as raised:
        result = hostile()
        pytest.fail(f"accepted: {result!r}")
    message = str(raised.value)
    assert _raised_in_dynalab(raised.value), f"raised outside dynalab's code: {raised.value!r}"
    assert any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", message) for name in names), \
        f"{message!r} names none of {sorted(names)}"
    assert len(message) < 600, "one clear message, not a dump"


def test_the_parser_reads_each_shorthand():
    call = parse("AutoscalingExplorer('flash_sale', nan) {}")
    assert call.build.target == "AutoscalingExplorer" and call.build.args[0] == "flash_sale"
    assert math.isnan(call.build.args[1]) and call.build.kwargs == {}
    assert parse("HotPartitionExplorer({'requests': 10})").build.kwargs == {"requests": 10}
    assert parse("LiveThrottlingDemo({'seconds': 0}) [constructor]").build.kwargs == {"seconds": 0}
    assert parse("place_keys('t', 'user_ids', 10) {'partitions': 0}").build.kwargs == {"partitions": 0}
    control = parse("ItemCostExplorer.text_slider.value = 'abc'")
    assert (control.build.target, control.control, control.value) == ("ItemCostExplorer", "text_slider", "abc")
    method = parse("LiveThrottlingDemo.run({'requests_per_second': 'x', 'seconds': 2})")
    assert method.then.kwargs == {"requests_per_second": "x", "seconds": 2} and not method.build.kwargs
    chained = parse("Question(tolerance=-1).check(3)")
    assert chained.build.kwargs == {"tolerance": -1} and chained.then.args == [3]
    assert parse("self_check({'a': 1})").build.args == [{"a": 1}]  # a dict value, not keyword arguments
    mixed = parse("run_hot_key_test(keys=[5], {'writes_per_second': 1}, clock=ok)").build.kwargs
    assert mixed["keys"] == [5] and mixed["writes_per_second"] == 1 and mixed["clock"] is not None
    assert parse("PartitionCalculator(read_capacity_units=50_000): slider vs readout").build.kwargs == {
        "read_capacity_units": 50_000}
