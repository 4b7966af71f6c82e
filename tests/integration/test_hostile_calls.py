"""Replay tests/data/hostile-calls.tsv (issue 12's robustness pass)
for the functions of models/, engine/ (not streams.py), fidelity/, the checks helper's lessons and progress.py.

Each row's call text is rebuilt here (a plain call is evaluated in a namespace of dynalab's names and nan/inf; a
described one, "bulk_load(items=float value)", has its call written out) and must now end in a result the row
lists as accepted, or in a ValueError/TypeError (or dynalab's documented errors) raised from dynalab's own code
naming the parameter. Rows of other owners' functions are listed in ``NOT_MINE`` with the owner.
"""

from __future__ import annotations

import csv
import functools
import inspect
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from support import RUN
from support_hostile import clear_error_problem, outcome

import dynalab
from dynalab.models.autoscaling import TargetTrackingPolicy
from dynalab.models.key_distributions import key_distribution

TSV = Path(__file__).resolve().parents[1] / "data" / "hostile-calls.tsv"
ROWS = list(csv.DictReader(TSV.open(encoding="utf-8"), delimiter="\t"))

#: the result is right: the robustness pass was wrong to flag it (why, per row)
ACCEPT = "accept"

OWNERS = {
    "widgetchecks": ("AutoscalingExplorer", "PartitionCalculator", "LiveThrottlingDemo", "ItemCostExplorer",
                     "HotPartitionExplorer", "VoteBoard", "self_check", "Question", "run_hot_key_test",
                     "place_keys", "load_tested_table", "read_three_ways"),
    "streams": ("vote_summary", "read_summary", "copy_by_change_capture", "StreamProjector", "run_load",
                "copy_by_restore", "measure_replication_lag", "daily_totals", "tally_votes", "create_vote_tables",
                "enable_stream"),
}


def owner_of(call: str) -> str | None:
    for owner, names in OWNERS.items():
        if any(call.startswith(name) for name in names):
            return owner
    return None


class Context:
    """What the described calls need: a lab, a provisioned and an on-demand table, a few items."""

    def __init__(self, lab: Any, prefix: str) -> None:
        self.lab = lab
        self.prov = f"{prefix}-prov"
        self.ondemand = f"{prefix}-od"
        dynalab.create_table(lab, self.prov, ("pk", "S"), read_capacity_units=5, write_capacity_units=5, reset=True)
        dynalab.create_table(lab, self.ondemand, ("pk", "S"), reset=True)
        self.items = [{"pk": f"k{i}", "n": i} for i in range(30)]
        self.new = 0

    def fresh(self) -> str:
        """A new table name (create_table calls make tables)."""
        self.new += 1
        return f"{self.ondemand}-new{self.new}"

    def load(self, items: Any = None, **kwargs: Any) -> Any:
        return dynalab.bulk_load(self.lab, self.prov if "table" not in kwargs else kwargs.pop("table"),
                                 self.items if items is None else items, **kwargs)

    def create(self, *args: Any, **kwargs: Any) -> Any:
        return dynalab.create_table(self.lab, self.fresh(), *args, **kwargs)

    def enforcer(self, **kwargs: Any) -> Any:
        args = {"table_name": "t-x", "read_capacity_units": 10, "write_capacity_units": 10, **kwargs}
        return dynalab.ThroughputEnforcer(args.pop("table_name"), args.pop("read_capacity_units"),
                                          args.pop("write_capacity_units"), **args)


def _typed(value: dict) -> Any:
    return lambda c: dynalab.typed_item_size({"a": value})


def _hashes(values: Any) -> Any:
    return lambda c: dynalab.partition_indices(None, 4, hashes=values)


_DEMAND = [100.0] * 30
_KD = key_distribution("status_codes")

#: call text -> (the call, given the Context; the parameter its error must name, or ACCEPT with why)
DESCRIBED: dict[str, tuple[Any, str]] = {
    "KeyDistribution.sample(1000000000000,)": (lambda c: _KD.sample(10**12), "requests"),
    # the client's and boto3's own refusals, as on AWS: the learner calls boto3 there, not dynalab
    "PutItem Decimal('1e200') via resource": (None, ACCEPT + ": boto3's serializer refuses it, as on AWS"),
    "PutItem N '1e200' via client": (None, ACCEPT + ": the engine's ValidationException, AWS's words"),
    "PutItem empty string set via client": (None, ACCEPT + ": the engine's ValidationException, AWS's words"),
    "PutItem partition key 2049 B": (None, ACCEPT + ": the engine's ValidationException, AWS's words"),
    "PutItem sort key 1025 B": (None, ACCEPT + ": the engine's ValidationException, AWS's words"),
    "UpdateItem growing an item to 500 KB": (None, ACCEPT + ": item 3, the limits layer, on main (its own test)"),
    "bulk_load(items=Decimal 1e200)": (lambda c: c.load([{"pk": "a", "v": Decimal("1e200")}]), "attribute 'v'"),
    "bulk_load(items=NaN)": (lambda c: c.load([{"pk": "a", "v": math.nan}]), "attribute 'v'"),
    "bulk_load(items=duplicate keys in one batch)": (lambda c: c.load([{"pk": "a"}, {"pk": "a"}]), "item 1"),
    "bulk_load(items=empty key)": (lambda c: c.load([{"pk": ""}]), "item 0"),
    "bulk_load(items=float attribute)": (lambda c: c.load([{"pk": "a", "v": 1.5}]), ACCEPT + ": stored as 1.5"),
    "bulk_load(items=float value)": (lambda c: c.load([{"pk": "b", "v": 0.1}]), ACCEPT + ": stored as 0.1"),
    "bulk_load(items=key wrong type N for S)": (lambda c: c.load([{"pk": 5}]), "item 0"),
    "bulk_load(items=missing key)": (lambda c: c.load([{"other": "x"}]), "item 0"),
    "bulk_load(items=partition key over 2048 B)": (lambda c: c.load([{"pk": "x" * 2049}]), "item 0"),
    "bulk_load(table='no-such-table')": (lambda c: c.load(table="no-such-table"), "no-such-table"),
    "bulk_load(table=None)": (lambda c: c.load(table=None), "table_name"),
    "bulk_load(base_delay_seconds='x')": (lambda c: c.load(base_delay_seconds="x"), "base_delay_seconds"),
    "bulk_load(base_delay_seconds=-1)": (lambda c: c.load(base_delay_seconds=-1), "base_delay_seconds"),
    "bulk_load(base_delay_seconds=nan)": (lambda c: c.load(base_delay_seconds=math.nan), "base_delay_seconds"),
    "bulk_load(description=5)": (lambda c: c.load(description=5), "description"),
    "bulk_load(items=empty set)": (lambda c: c.load([{"pk": "a", "s": set()}]), "attribute 's'"),
    "bulk_load(max_attempts=True)": (lambda c: c.load(max_attempts=True), "max_attempts"),
    "bulk_load(show_progress='no')": (lambda c: c.load(show_progress="no"), "show_progress"),
    "bulk_load(items=None)": (lambda c: c.load(items=None) if False else dynalab.bulk_load(c.lab, c.prov, None),
                              "items"),
    "bulk_load(items=[None])": (lambda c: c.load([None]), "items[0]"),
    "bulk_load(items=dict instead of list)": (lambda c: c.load({"pk": "a"}), "items"),
    "bulk_load(items=generator)": (lambda c: c.load(item for item in c.items), ACCEPT + ": a generator is loaded"),
    "bulk_load(items=int)": (lambda c: c.load(5), "items"),
    "bulk_load(items=item over 400 KB)": (lambda c: c.load([{"pk": "big", "v": "x" * 410_000}]), "item 0"),
    "bulk_load(items=str)": (lambda c: c.load("abc"), "items"),
    "bulk_load(max_attempts='3')": (lambda c: c.load(max_attempts="3"), "max_attempts"),
    "bulk_load(max_attempts=1.5)": (lambda c: c.load(max_attempts=1.5), "max_attempts"),
    "bulk_load(max_attempts=nan)": (lambda c: c.load(max_attempts=math.nan), "max_attempts"),
    "connect('http://')": (lambda c: dynalab.connect("http://"), "endpoint"),
    "connect('http://127.0.0.1:99999')": (lambda c: dynalab.connect("http://127.0.0.1:99999"), "endpoint"),
    "connect('http://[::1')": (lambda c: dynalab.connect("http://[::1"), "endpoint"),
    "create_table(**{'BillingMode': 'FOO'})": (lambda c: c.create(BillingMode="FOO"), "BillingMode"),
    "create_table(**{'Foo': 1})": (lambda c: c.create(Foo=1), "Foo"),
    "create_table(**{'KeySchema': []})": (lambda c: c.create(KeySchema=[]), "KeySchema"),
    "create_table(**{'TableName': 'other'})": (lambda c: c.create(TableName="other"), "TableName"),
    "create_table(extra_attribute_definitions=[('a', 'Q')])":
        (lambda c: c.create(extra_attribute_definitions=[("a", "Q")]), "extra_attribute_definitions[0][1]"),
    "create_table(extra_attribute_definitions=[('pk', 'N')])":
        (lambda c: c.create(extra_attribute_definitions=[("pk", "N")]), "extra_attribute_definitions[0]"),
    "create_table(extra_attribute_definitions=[(None, 'S')])":
        (lambda c: c.create(extra_attribute_definitions=[(None, "S")]), "extra_attribute_definitions[0][0]"),
    "create_table(extra_attribute_definitions='ab')":
        (lambda c: c.create(extra_attribute_definitions="ab"), "extra_attribute_definitions"),
    "create_table(extra_attribute_definitions=[('a',)])":
        (lambda c: c.create(extra_attribute_definitions=[("a",)]), "extra_attribute_definitions[0]"),
    "create_table(sort_key same as partition key)": (lambda c: c.create(("pk", "S"), ("pk", "S")), "sort_key"),
    "create_table(sort_key=('pk','N')) conflicting types": (lambda c: c.create(("pk", "S"), ("pk", "N")),
                                                            "sort_key"),
    "delete_table('')": (lambda c: dynalab.delete_table(c.lab, ""), "table_name"),
    "delete_table(5)": (lambda c: dynalab.delete_table(c.lab, 5), "table_name"),
    "delete_table(None)": (lambda c: dynalab.delete_table(c.lab, None), "table_name"),
    "enforce_throughput(5)": (lambda c: dynalab.enforce_throughput(c.lab, 5), "table_name"),
    "enforce_throughput(None)": (lambda c: dynalab.enforce_throughput(c.lab, None), "table_name"),
    "enforce_throughput(fz-prov, {'per_partition': 'no'})":
        (lambda c: dynalab.enforce_throughput(c.lab, c.prov, per_partition="no"), "per_partition"),
    "enforce_throughput(on-demand table)": (lambda c: dynalab.enforce_throughput(c.lab, c.ondemand).stop(),
                                            ACCEPT + ": on-demand has no provisioned rate; the enforcer counts "
                                                     "only (its documented behaviour)"),
    "enforce_throughput(fz-prov, {'clock': 5})": (lambda c: dynalab.enforce_throughput(c.lab, c.prov, clock=5),
                                                  "clock"),
    "enforce_throughput(fz-prov, {'clock': None})":
        (lambda c: dynalab.enforce_throughput(c.lab, c.prov, clock=None), "clock"),
    "scan_items('')": (lambda c: dynalab.scan_items(c.lab, ""), "table_name"),
    "scan_items('no-such-table')": (lambda c: dynalab.scan_items(c.lab, "no-such-table"), "table_name"),
    "scan_items(5)": (lambda c: dynalab.scan_items(c.lab, 5), "table_name"),
    "scan_items(None)": (lambda c: dynalab.scan_items(c.lab, None), "table_name"),
    "scan_items(consistent='yes')": (lambda c: dynalab.scan_items(c.lab, c.prov, consistent="yes"), "consistent"),
    "wait_until_active('')": (lambda c: dynalab.wait_until_active(c.lab, ""), "table_name"),
    "wait_until_active('no-such-table')": (lambda c: dynalab.wait_until_active(c.lab, "no-such-table"),
                                           "table_name"),
    "wait_until_active(5)": (lambda c: dynalab.wait_until_active(c.lab, 5), "table_name"),
    "wait_until_active(None)": (lambda c: dynalab.wait_until_active(c.lab, None), "table_name"),
    "simulate_partition_load(keys=str keys)":
        (lambda c: dynalab.simulate_partition_load(_KD, np.array(["a", "b"]), partition_count=4,
                                                   table_capacity_per_second=100), "request_keys"),
    "simulate_partition_load(None, keys)":
        (lambda c: dynalab.simulate_partition_load(None, _KD.sample(10), partition_count=4,
                                                   table_capacity_per_second=100), "distribution"),
    "simulate_partition_load(keys=None)":
        (lambda c: dynalab.simulate_partition_load(_KD, None, partition_count=4, table_capacity_per_second=100),
         "request_keys"),
    "simulate_partition_load(keys=float index)":
        (lambda c: dynalab.simulate_partition_load(_KD, np.array([0.0, 1.0]), partition_count=4,
                                                   table_capacity_per_second=100), "request_keys"),
    "Meter({'engine': 'oracle'})": (lambda c: dynalab.Meter(engine="oracle"), "engine"),
    "Meter({'engine': None})": (lambda c: dynalab.Meter(engine=None), "engine"),
    "Meter({'log_size': 0})": (lambda c: dynalab.Meter(log_size=0), "log_size"),
    "Progress.advance(-10)": (lambda c: dynalab.Progress(10, "x").advance(-10), "count"),
    "Progress.advance(nan)": (lambda c: dynalab.Progress(10, "x").advance(math.nan), "count"),
    "Progress.advance('abc')": (lambda c: dynalab.Progress(10, "x").advance("abc"), "count"),
    "Progress.advance(None)": (lambda c: dynalab.Progress(10, "x").advance(None), "count"),
    "TargetTrackingPolicy.desired_capacity(-5)": (lambda c: TargetTrackingPolicy().desired_capacity(-5),
                                                  "consumed_per_second"),
    "TargetTrackingPolicy.desired_capacity('abc')": (lambda c: TargetTrackingPolicy().desired_capacity("abc"),
                                                     "consumed_per_second"),
    "TargetTrackingPolicy.desired_capacity(None)": (lambda c: TargetTrackingPolicy().desired_capacity(None),
                                                    "consumed_per_second"),
    "TargetTrackingPolicy.desired_capacity(inf)": (lambda c: TargetTrackingPolicy().desired_capacity(math.inf),
                                                   "consumed_per_second"),
    "TargetTrackingPolicy.desired_capacity(nan)": (lambda c: TargetTrackingPolicy().desired_capacity(math.nan),
                                                   "consumed_per_second"),
    "TargetTrackingPolicy.observe(0, -50, 100)": (lambda c: TargetTrackingPolicy().observe(0, -50, 100),
                                                  "consumed_per_second"),
    "TargetTrackingPolicy.observe(0, 50, -100)": (lambda c: TargetTrackingPolicy().observe(0, 50, -100),
                                                  "provisioned"),
    "TargetTrackingPolicy.observe(0, 50, 0)": (lambda c: TargetTrackingPolicy().observe(0, 50, 0), "provisioned"),
    "TargetTrackingPolicy.observe(0, 50, nan)": (lambda c: TargetTrackingPolicy().observe(0, 50, math.nan),
                                                 "provisioned"),
    "TargetTrackingPolicy.observe(0, nan, 100)": (lambda c: TargetTrackingPolicy().observe(0, math.nan, 100),
                                                  "consumed_per_second"),
    "TargetTrackingPolicy.observe('x', 50, 100)": (lambda c: TargetTrackingPolicy().observe("x", 50, 100),
                                                   "minute"),
    "ThroughputEnforcer(burst True)": (lambda c: c.enforcer(burst_seconds=True), "burst_seconds"),
    "ThroughputEnforcer(rcu -1)": (lambda c: c.enforcer(read_capacity_units=-1), "read_capacity_units"),
    "ThroughputEnforcer(rcu 0 wcu 0)": (lambda c: c.enforcer(read_capacity_units=0, write_capacity_units=0),
                                        "read_capacity_units"),
    "ThroughputEnforcer(rcu inf)": (lambda c: c.enforcer(read_capacity_units=math.inf), "read_capacity_units"),
    "ThroughputEnforcer(rcu nan)": (lambda c: c.enforcer(read_capacity_units=math.nan), "read_capacity_units"),
    "ThroughputEnforcer(size_gb -1)": (lambda c: c.enforcer(size_gb=-1), "size_gb"),
    "ThroughputEnforcer(table None)": (lambda c: c.enforcer(table_name=None), "table_name"),
    "ThroughputEnforcer(clock None)": (lambda c: c.enforcer(clock=None), "clock"),
    "ThroughputEnforcer(rcu str)": (lambda c: c.enforcer(read_capacity_units="x"), "read_capacity_units"),
    "ThroughputEnforcer(size_gb str)": (lambda c: c.enforcer(size_gb="x"), "size_gb"),
    "attribute_sizes(1e-200 (DynamoDB min 1e-130))": (lambda c: dynalab.attribute_sizes({"a": 1e-200}),
                                                      "attribute 'a'"),
    "attribute_sizes(1e200 (DynamoDB max ~9.99e125))": (lambda c: dynalab.attribute_sizes({"a": 1e200}),
                                                        "attribute 'a'"),
    "attribute_sizes(float 1e300)": (lambda c: dynalab.attribute_sizes({"a": 1e300}), "attribute 'a'"),
    "attribute_sizes(np.nan)": (lambda c: dynalab.attribute_sizes({"a": np.nan}), "attribute 'a'"),
    "item_size(1e-200 (DynamoDB min 1e-130))": (lambda c: dynalab.item_size({"a": 1e-200}), "attribute 'a'"),
    "item_size(1e200 (DynamoDB max ~9.99e125))": (lambda c: dynalab.item_size({"a": 1e200}), "attribute 'a'"),
    "item_size(float 1e300)": (lambda c: dynalab.item_size({"a": 1e300}), "attribute 'a'"),
    "item_size(np.nan)": (lambda c: dynalab.item_size({"a": np.nan}), "attribute 'a'"),
    "batch_read_units([1000000000000000000)": (lambda c: dynalab.batch_read_units([10**18]), "sizes_bytes[0]"),
    "batch_write_units([1000000000000000000)": (lambda c: dynalab.batch_write_units([10**18]), "sizes_bytes[0]"),
    "query_read_units([1000000000000000000)": (lambda c: dynalab.query_read_units([10**18]), "sizes_bytes[0]"),
    "compare_costs(provisioned all zero)": (lambda c: dynalab.compare_costs(_DEMAND, [0.0] * 30), "provisioned"),
    "compare_costs(served > provisioned)": (lambda c: dynalab.compare_costs(_DEMAND, [100.0] * 30, [150.0] * 30),
                                            ACCEPT + ": burst capacity serves above the provisioned rate for a "
                                                     "while (burst-adaptive-capacity.html)"),
    "compare_costs(served shorter)": (lambda c: dynalab.compare_costs(_DEMAND, _DEMAND, [100.0] * 10), "served"),
    "compare_costs(demand str)": (lambda c: dynalab.compare_costs("abc", _DEMAND), "demand"),
    "compare_costs(prices None)": (lambda c: dynalab.compare_costs(_DEMAND, _DEMAND, prices=None), "prices"),
    "compare_costs(provisioned str)": (lambda c: dynalab.compare_costs(_DEMAND, "abc"), "provisioned"),
    "simulate_autoscaling(1e308 demand)": (lambda c: dynalab.simulate_autoscaling([1e308] * 5), "demand"),
    "simulate_autoscaling(target=np.float32(70.0))":
        (lambda c: dynalab.simulate_autoscaling(_DEMAND, np.float32(70.0)), ACCEPT + ": a numpy number is a number"),
    "split_history growth 1e18 RCU then 1 (doubling loop)":
        (lambda c: dynalab.split_history([(1, 1, 1), (1e18, 1, 1), (1, 1, 1)]), "read_capacity_units"),
    "typed_item_size(BOOL str)": (_typed({"BOOL": "yes"}), "attribute 'a'"),
    "typed_item_size(N 1e999)": (_typed({"N": "1e999"}), "attribute 'a'"),
    "typed_item_size(N fullwidth digits)": (_typed({"N": "１２"}), "attribute 'a'"),
    "typed_item_size(N with underscore)": (_typed({"N": "1_000"}), "attribute 'a'"),
    "typed_item_size(NULL false)": (_typed({"NULL": False}), "attribute 'a'"),
    "typed_item_size(SS duplicates)": (_typed({"SS": ["x", "x"]}), "attribute 'a'"),
    "typed_item_size(empty SS)": (_typed({"SS": []}), "attribute 'a'"),
    "typed_item_size(L holding int)": (_typed({"L": 5}), "attribute 'a'"),
    "typed_item_size(M holding list)": (_typed({"M": [1]}), "attribute 'a'"),
    "typed_item_size(S None)": (_typed({"S": None}), "attribute 'a'"),
    "typed_item_size(S holding int)": (_typed({"S": 5}), "attribute 'a'"),
    "partition_indices('abc', 4) (a str, iterated per char)": (lambda c: dynalab.partition_indices("abc", 4),
                                                               "partition_key_values"),
    "partition_indices(None, 4, hashes 2-D)": (_hashes(np.array([[1, 2]])), "hashes"),
    "partition_indices(None, 4, hashes float)": (_hashes(np.array([1.5])), "hashes"),
    "partition_indices(None, 4, hashes > 64 bit)": (_hashes([2**70]), "hashes"),
    "partition_indices(None, 4, hashes negative)": (_hashes([-1]), "hashes"),
    "partition_indices(None, 4, hashes str)": (_hashes(["abc"]), "hashes"),
    "key_distribution('user_ids', {'foo': 1})": (lambda c: key_distribution("user_ids", foo=1), "foo"),
    "key_distribution({})": (lambda c: key_distribution({}), "name"),
    "load_workload({})": (lambda c: dynalab.load_workload({}), "name"),
}


_PARTITIONS = {"read_capacity_units": 1000, "write_capacity_units": 100, "size_gb": 1}
DEFAULTS: dict[str, dict[str, Any]] = {"estimate_partitions": _PARTITIONS, "partition_count": _PARTITIONS,
                                       "partition_count_per_term": _PARTITIONS, "Progress": {"description": "x"}}


def _plain_call(call: str) -> tuple[Any, str] | None:
    """A call written as Python (``write_units(409601) [over 400KB item]``): the call, and the parameter its error
    names (the keyword, or the positional parameter's name from the signature)."""
    import inspect

    text = call.split(" [")[0].split(") (")[0]
    text = text if text.endswith(")") else text + ")"
    namespace = {name: getattr(dynalab, name) for name in dynalab.__all__}
    namespace.update(nan=math.nan, inf=math.inf, Decimal=Decimal, np=np)
    for name, defaults in DEFAULTS.items():  # the other arguments, as the pass gave them
        namespace[name] = functools.partial(namespace[name], **defaults)
    try:
        tree = compile(text, "<call>", "eval", flags=0x400)  # ast.PyCF_ONLY_AST
    except SyntaxError:
        return None
    import ast

    node = tree.body
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        return None
    function = namespace.get(node.func.id)
    if function is None:
        return None
    function = function.func if isinstance(function, functools.partial) else function
    if node.keywords and node.keywords[0].arg is not None:
        parameter = node.keywords[0].arg
    elif node.keywords:  # simulate_autoscaling({'autoscaling': 'no'}) style was not Python: handled below
        return None
    else:
        names = list(inspect.signature(function).parameters)
        parameter = names[len(node.args) - 1] if len(node.args) == 1 else "?"
    return (lambda c: eval(text, namespace)), parameter  # noqa: S307 (our own table's text)


def _dict_call(call: str) -> tuple[Any, str] | None:
    """``simulate_autoscaling({'autoscaling': 'no'})``, ``Prices(taken=None)``-like rows whose argument is a dict
    of keyword arguments (the pass's shorthand)."""
    import ast

    name, _, rest = call.partition("(")
    if not rest.startswith("{") or name not in ("simulate_autoscaling", "Meter"):
        return None
    keywords = ast.literal_eval(rest[:-1])
    parameter = next(iter(keywords))
    if name == "simulate_autoscaling":
        # the policy's settings go to TargetTrackingPolicy now (issue 25), the simulator's own to the simulator
        policy_settings = set(inspect.signature(TargetTrackingPolicy).parameters)
        policy = {k: v for k, v in keywords.items() if k in policy_settings}
        rest = {k: v for k, v in keywords.items() if k not in policy_settings}
        return (lambda c: dynalab.simulate_autoscaling(_DEMAND, TargetTrackingPolicy(70, **policy), **rest)), parameter
    return None


#: the positional rows whose parameter is not the first (or whose message names it otherwise)
PARAMETER_OF = {
    "number_size('1_000')": "value", "number_size('1e999999')": "value", "number_size('１２')": "value",
    "number_size(Decimal('1E+200'))": "value", "number_size(False)": "value", "number_size(True)": "value",
    "put_write_units(100, 100, 'no')": "transactional", "put_write_units(500000, 100)": "new_size_bytes",
    "batch_read_units([100]*101) (BatchGetItem max 100 keys)": "sizes_bytes",
    "batch_write_units([100]*26) (BatchWriteItem max 25)": "sizes_bytes",
    "batch_write_units([500_000]) (item over 400KB)": "sizes_bytes[0]",
    "break_even_utilization('write', 'cheap')": "prices", "break_even_utilization('write', None)": "prices",
    "split_history([('c', 1e+18, 1, 1)])": "read_capacity_units",
    "Progress(total=1.5)": "total",
}


def replay(call: str) -> tuple[Any, str] | None:
    if call in DESCRIBED:
        return DESCRIBED[call]
    found = _dict_call(call) or _plain_call(call)
    if found is None:
        return None
    function, parameter = found
    return function, PARAMETER_OF.get(call, parameter)


def verdict(call: str, context: Any) -> tuple[str, str]:
    """("clear", ...), ("accepted", why) or the pass's kinds again ("silent", "deep", "vague"), for the report."""
    function, parameter = replay(call)
    if parameter.startswith(ACCEPT):
        if function is not None:
            kind, value = outcome(lambda: function(context))
            if kind == "error":
                return "error-but-accepted", f"{type(value).__name__}: {value}"
        return "accepted", parameter
    kind, value = outcome(lambda: function(context))
    if kind == "result":
        return "silent", repr(value)[:200]
    problem = clear_error_problem(value, parameter)
    return ("clear", str(value)[:200]) if problem is None else ("unclear", problem)


MINE = [row["call"] for row in ROWS if row["verdict"] != "verdict" and owner_of(row["call"]) is None]


def test_every_row_of_mine_is_replayed():
    assert [call for call in MINE if replay(call) is None] == []


@pytest.fixture(scope="module")
def context(_engine_for_the_session):
    lab = dynalab.connect()
    context = Context(lab, f"hostile-{RUN}")
    yield context
    for table in lab.client.list_tables()["TableNames"]:
        if table.startswith(f"hostile-{RUN}-"):
            lab.client.delete_table(TableName=table)


@pytest.mark.parametrize("call", MINE)
def test_a_hostile_call_ends_in_a_result_or_a_clear_error(call, context):
    kind, detail = verdict(call, context)
    assert kind in ("clear", "accepted"), f"{call}: {kind}: {detail}"


@pytest.mark.parametrize("value", [{"SS": []}, {"N": "1e200"}, {"NULL": False}])
def test_a_raw_client_call_with_a_value_dynamodb_refuses_gets_awss_error(context, value):
    """The fidelity layer sizes items with dynalab's stricter checks, but never answers for the engine: a learner's
    boto3 call gets AWS's ValidationException (a ClientError their code may catch), not a dynalab ValueError."""
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError, match="ValidationException"):
        context.lab.client.put_item(TableName=context.ondemand, Item={"pk": {"S": "raw"}, "v": value})
