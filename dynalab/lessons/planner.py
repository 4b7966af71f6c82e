"""The capstone's I/O side: read a design file, and prove a plan on an engine (``plan.verify(lab)``).

``plan_table(design)`` plans a design dict, or a YAML / JSON file with the same content, with the pure planner
(``dynalab.models.planner``) and returns a ``Plan``: the pure ``TablePlan`` plus ``verify(lab)``, which

* creates the design's table and GSIs on the lab's engine (on-demand: metering does not depend on the mode; the
  name is ``plan-<table>`` with the lab's visible prefix on AWS, ``dynalab-``), afresh for each pattern so a Scan
  reads only its own items;
* writes items of exactly the planned sizes (``dynalab.models.sizing`` counts the bytes; keys sized to the
  design's ``key_bytes``, a padding attribute ``d`` for the rest, an INCLUDE index's attribute ``p_<index>`` of
  ``projected_bytes``), then runs the pattern a few times with ``ReturnConsumedCapacity="INDEXES"``;
* reports, per pattern, the units metered per request (the engine's answer, which the lab's meter fills in on
  engines that fake them) beside the planned units, for the table and each index. Any difference is shown.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from dynalab.engine import Lab, check_lab
from dynalab.engine.tables import (
    batch_get_answers,
    batch_write,
    bulk_load,
    create_table,
    delete_created_table,
    query_pages,
    scan_pages,
)
from dynalab.i18n import N_, given, tr
from dynalab.lessons.sample_data import course_root
from dynalab.models import checks as validate
from dynalab.models.planner import IndexDesign, PatternPlan, PatternRequest, TablePlan, plan_design
from dynalab.models.pricing import DEFAULT_PRICES, Prices
from dynalab.models.sizing import item_size

__all__ = ["PatternCheck", "Plan", "Verification", "example_design_path", "plan_table", "read_design",
           "verify_plan"]

_SUFFIXES = (".yaml", ".yml", ".json")
#: verify writes every item a request reads: patterns reading more items, or more bytes, than these are left to
#: the unit rules (and said so); 5,000 items of 400 KB would put 2 GB in the engine
VERIFY_MAX_ITEMS = 5_000
VERIFY_MAX_BYTES = 32 * 2**20
#: dynalab's bound on the runs of one verification (patterns × runs): each run is a request, or a table and a load
VERIFY_MAX_RUNS = 200
_PAD = "d"
#: every request of a verification asks for its units, per index
_ASKED = {"ReturnConsumedCapacity": "INDEXES"}


def _projected(index: IndexDesign) -> str:
    """The attribute an INCLUDE index projects (one per index, so two INCLUDE indexes keep their own sizes)."""
    return f"p_{index.name}"


def _data_dir() -> Path:
    """The course's data folder (in a clone or in the installed package)."""
    return Path(str(course_root().joinpath("data")))


def example_design_path(name: str = "orders") -> Path:
    """``data/designs/<name>.yaml``, the bundled example design(s)."""
    return _data_dir() / "designs" / f"{name}.yaml"


class DesignNotFoundError(FileNotFoundError, ValueError):
    """No design file by that name: a FileNotFoundError, and a ValueError (a bad ``design`` argument)."""


def read_design(path: str | os.PathLike) -> dict[str, Any]:
    """A design read from a YAML (.yaml, .yml) or JSON (.json) file; a bare name such as ``"orders"`` or
    ``"designs/orders.yaml"`` that is not a file here is looked up in the repository's ``data/`` folder."""
    given, data = Path(path), _data_dir()
    candidates = [given, data / given, data / "designs" / given, data / "designs" / f"{given}.yaml"]
    found = next((candidate for candidate in candidates if candidate.is_file()), None)
    if found is None:
        raise DesignNotFoundError(tr("design: design file {value!r} not found (looked in {value2} and {data})",
                                     value=str(path), value2=os.getcwd(), data=data))
    if found.suffix.lower() not in _SUFFIXES:
        raise ValueError(tr("design file {found}: the name must end in {suffixes_list}; got {suffix!r}", found=found,
                            suffixes_list=', '.join(_SUFFIXES), suffix=found.suffix))
    import yaml  # pyyaml, a runtime dependency

    text = found.read_text(encoding="utf-8")
    try:
        design = json.loads(text) if found.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as error:  # json.JSONDecodeError is a ValueError
        raise ValueError(tr("design file {found} is not valid {value}: {error}", found=found,
                            value=found.suffix[1:].upper(), error=error)) from None
    if not isinstance(design, dict):
        raise ValueError(tr("design file {found} must hold a mapping with table, indexes and patterns; got {kind}",
                            found=found, kind=type(design).__name__))
    return design


class Plan(TablePlan):
    """A ``TablePlan`` (pure) that can also prove itself on an engine: ``plan.verify(lab)``."""

    def verify(self, lab: Lab, runs: int = 3) -> Verification:
        """Run every pattern ``runs`` times on ``lab``'s engine; metered units beside planned, per pattern."""
        return verify_plan(lab, self, runs)


def plan_table(design: Mapping[str, Any] | str | os.PathLike, prices: Prices = DEFAULT_PRICES) -> Plan:
    """Plan a design (a dict, or the path of a YAML or JSON file with the same content): per pattern and in total
    the read and write units per second, RCU/WCU, partitions (2017 model) and hot keys, the monthly bill in each
    mode (``monthly_cost("provisioned")``, ``monthly_cost("on-demand")``). See ``dynalab.models.planner``."""
    if isinstance(design, str | os.PathLike):
        design = read_design(design)
    pure = plan_design(design, prices)
    return Plan(**{f.name: getattr(pure, f.name) for f in fields(pure) if f.init})


# ------------------------------------------------------------------------------------------------ verify


@dataclass(frozen=True)
class PatternCheck:
    """One pattern on the engine: planned and metered units per request, for the table and each index."""

    pattern: str
    operation: str
    kind: str  # "read" or "write"
    runs: int
    planned: dict[str, float]  # {"table": units, index name: units} per request
    metered: list[dict[str, float]]  # one {"table": ..., index: ...} per run
    note: str = ""

    @property
    def ran(self) -> bool:
        return bool(self.metered)

    @property
    def metered_mean(self) -> dict[str, float]:
        if not self.metered:
            return {}
        names = set(self.planned) | {name for run in self.metered for name in run}
        return {name: sum(run.get(name, 0.0) for run in self.metered) / len(self.metered) for name in sorted(names)}

    @property
    def differences(self) -> dict[str, tuple[float, list[float]]]:
        """{where: (planned, metered per run)} wherever any run differs from the plan."""
        names = set(self.planned) | {name for run in self.metered for name in run}
        return {name: (self.planned.get(name, 0.0), [run.get(name, 0.0) for run in self.metered])
                for name in sorted(names)
                if any(abs(run.get(name, 0.0) - self.planned.get(name, 0.0)) > 1e-9 for run in self.metered)}

    @property
    def agrees(self) -> bool:
        return not self.differences

    def describe(self) -> str:
        unit = "RCU" if self.kind == "read" else "WCU"
        if not self.ran:
            return tr("{pattern} ({operation}): not run ({note})", pattern=given(self.pattern),
                      operation=self.operation, note=self.note)
        parts = []
        for name in sorted(set(self.planned) | set(self.metered_mean), key=lambda n: (n != "table", n)):
            planned, metered = self.planned.get(name, 0.0), self.metered_mean.get(name, 0.0)
            if name == "table" and not planned and not metered and len(self.planned) > 1:
                continue  # an index read: the table itself is not charged
            parts.append(tr("table planned {planned:g}, metered {metered:g}", planned=planned, metered=metered)
                         if name == "table" else
                         tr("index {name} planned {planned:g}, metered {metered:g}", name=name, planned=planned,
                            metered=metered))
        verdict = tr("agree") if self.agrees else tr("DIFFER: {differences}", differences="; ".join(
            tr("{name} planned {planned:g}, metered {metered}", name=name, planned=planned,
               metered=', '.join(f'{m:g}' for m in metered))
            for name, (planned, metered) in self.differences.items()))
        return tr("{pattern} ({operation}, {runs} runs): {parts} {unit} per request -> {verdict}{note}",
                  pattern=given(self.pattern), operation=self.operation, runs=self.runs, parts='; '.join(parts),
                  unit=unit, verdict=verdict, note=f' ({self.note})' if self.note else '')


@dataclass(frozen=True)
class Verification:
    """What ``plan.verify(lab)`` found: one ``PatternCheck`` per pattern."""

    table_name: str
    engine: str
    checks: list[PatternCheck] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        """Metered = planned for every pattern that ran (``not_run`` lists the others)."""
        return all(check.agrees for check in self.checks if check.ran)

    @property
    def not_run(self) -> list[str]:
        return [check.pattern for check in self.checks if not check.ran]

    def rows(self) -> list[dict[str, Any]]:
        return [{"pattern": c.pattern, "operation": c.operation, "planned": c.planned, "metered": c.metered_mean,
                 "agrees": c.agrees} for c in self.checks]

    def describe(self) -> str:
        lines = [check.describe() for check in self.checks]
        if self.not_run:
            verdict = (tr("metered = planned for every pattern that ran ({count} not run)", count=len(self.not_run))
                       if self.agrees else
                       tr("some patterns DIFFER (above) that ran ({count} not run)", count=len(self.not_run)))
        else:
            verdict = tr("metered = planned for every pattern") if self.agrees else tr("some patterns DIFFER (above)")
        lines.append(tr("on {engine}, table {table}: {verdict}", engine=self.engine, table=self.table_name,
                        verdict=verdict))
        return "\n".join(lines)


def _fill(stem: str, length: int, what: str) -> str:
    if length < len(stem):
        raise ValueError(tr("{what} is too small to hold a distinct key value ({length} bytes for {stem!r}); give the "
                            "design a larger key_bytes", what=what, length=length, stem=stem))
    return stem + "#" * (length - len(stem))


class _Items:
    """Items of exact sizes for one plan: table keys of ``key_bytes``, index keys of each index's ``key_bytes``,
    the INCLUDE attribute, and padding."""

    def __init__(self, plan: TablePlan) -> None:
        self.plan = plan
        self.table = plan.table

    def keys(self, group: int, number: int) -> dict[str, str]:
        table = self.table
        names = len(table.partition_key.encode()) + (len(table.sort_key.encode()) if table.sort_key else 0)
        room = table.key_bytes - names
        what = tr("table key_bytes ({key_bytes})", key_bytes=table.key_bytes)
        if table.sort_key is None:
            return {table.partition_key: _fill(f"p{group}-{number}", room, what)}
        sort_room = room // 2
        return {table.partition_key: _fill(f"p{group}", room - sort_room, what),
                table.sort_key: _fill(f"s{number}", sort_room, what)}

    def index_keys(self, index: IndexDesign, value: str) -> dict[str, str]:
        names = len(index.partition_key.encode()) + (len(index.sort_key.encode()) if index.sort_key else 0)
        room = index.key_bytes - names
        what = tr("index {name} key_bytes ({key_bytes})", name=index.name, key_bytes=index.key_bytes)
        if index.sort_key is None:
            return {index.partition_key: _fill(value, room, what)}
        sort_room = room // 2
        return {index.partition_key: _fill(value, room - sort_room, what),
                index.sort_key: _fill("s", sort_room, what)}

    def item(self, size_bytes: int, group: int, number: int, indexes: Mapping[str, str] | None = None) -> dict:
        """An item of exactly ``size_bytes``, in the indexes named in ``indexes`` (index name -> key value)."""
        item: dict[str, Any] = self.keys(group, number)
        by_name = {index.name: index for index in self.plan.indexes}
        for name, value in (indexes or {}).items():
            index = by_name[name]
            item.update(self.index_keys(index, value))
            if index.projection == "INCLUDE" and index.projected_bytes:
                name_bytes = len(_projected(index).encode())
                if index.projected_bytes < name_bytes:
                    raise ValueError(tr("index {name}: projected_bytes ({projected_bytes}) is too small for verify's "
                                        "attribute {value!r}; give at least {name_bytes}", name=index.name,
                                        projected_bytes=index.projected_bytes, value=_projected(index),
                                        name_bytes=name_bytes))
                item[_projected(index)] = "x" * (index.projected_bytes - name_bytes)
        left = size_bytes - item_size(item)
        if left == 0:
            return item
        if left < len(_PAD):
            raise ValueError(tr("an item of {size_bytes} B cannot hold its keys and index attributes ({value} B) plus "
                                "padding; give a larger item size", size_bytes=size_bytes, value=item_size(item)))
        item[_PAD] = "x" * (left - len(_PAD))
        assert item_size(item) == size_bytes
        return item


def _create(lab: Lab, name: str, plan: TablePlan) -> None:
    table = plan.table
    definitions = []
    gsis = []
    for index in plan.indexes:
        schema = [{"AttributeName": index.partition_key, "KeyType": "HASH"}]
        definitions.append((index.partition_key, "S"))
        if index.sort_key:
            schema.append({"AttributeName": index.sort_key, "KeyType": "RANGE"})
            definitions.append((index.sort_key, "S"))
        projection: dict[str, Any] = {"ProjectionType": index.projection}
        if index.projection == "INCLUDE":
            projection["NonKeyAttributes"] = [_projected(index)]
        gsis.append({"IndexName": index.name, "KeySchema": schema, "Projection": projection})
    keys = {table.partition_key, table.sort_key}
    definitions = list(dict.fromkeys(d for d in definitions if d[0] not in keys))
    extra: dict[str, Any] = {"GlobalSecondaryIndexes": gsis} if gsis else {}
    create_table(lab, name, (table.partition_key, "S"), (table.sort_key, "S") if table.sort_key else None,
                 extra_attribute_definitions=definitions, reset=True, creator="verify_plan",
                 **extra)  # verify's own table, afresh


def _consumed(answer: Mapping[str, Any], table_name: str) -> dict[str, float]:
    """{"table": units, index: units} from an answer's ConsumedCapacity (one entry or a list), for one table."""
    entries = answer.get("ConsumedCapacity") or []
    units: dict[str, float] = {}
    for entry in entries if isinstance(entries, list) else [entries]:
        if entry.get("TableName") != table_name:
            continue
        parts = 0.0
        for group in ("GlobalSecondaryIndexes", "LocalSecondaryIndexes"):
            for index, value in (entry.get(group) or {}).items():
                units[index] = units.get(index, 0.0) + float(value.get("CapacityUnits", 0.0))
                parts += float(value.get("CapacityUnits", 0.0))
        table_units = (entry.get("Table") or {}).get("CapacityUnits")
        if table_units is None:  # no breakdown: what is not an index's is the table's
            table_units = float(entry.get("CapacityUnits", 0.0)) - parts
        units["table"] = units.get("table", 0.0) + float(table_units)
    return units


def _add(total: dict[str, float], more: Mapping[str, float]) -> None:
    for name, value in more.items():
        total[name] = total.get(name, 0.0) + value


def _typed(item: Mapping[str, str]) -> dict[str, dict[str, str]]:
    return {name: {"S": value} for name, value in item.items()}


def _summed(answers: Iterable[Mapping[str, Any]], table_name: str) -> dict[str, float]:
    """The units of every answer (the pages of a Query, the calls of a batch), added up."""
    total: dict[str, float] = {}
    for answer in answers:
        _add(total, _consumed(answer, table_name))
    return total


def _run(lab: Lab, name: str, plan: TablePlan, pattern: PatternPlan, run: int, items: _Items) -> dict[str, float]:
    """Set up what one request of ``pattern`` needs (unmeasured), make the request, return its consumed units."""
    if pattern.kind == "read":
        return _read(lab, name, plan, pattern.operation, pattern.request, run, items)
    return _WRITES[pattern.operation](lab, name, pattern.request, run, items)


def _read(lab: Lab, name: str, plan: TablePlan, operation: str, request: PatternRequest, run: int,
          items: _Items) -> dict[str, float]:
    """Store the items a read reads (of the planned size, in the index it reads), then read them once."""
    group, index = 1000 + run, request.index
    stored = [items.item(request.item_bytes or 0, group, n, {index: f"q{run}"} if index else None)
              for n in range(request.items)]
    bulk_load(lab, name, stored, show_progress=False)
    keys = [_typed(items.keys(group, n)) for n in range(request.items)]
    strong = request.consistency == "strong"
    if operation == "GetItem":
        return _consumed(lab.client.get_item(TableName=name, Key=keys[0], ConsistentRead=strong, **_ASKED), name)
    if operation == "BatchGetItem":
        return _summed(batch_get_answers(lab, name, keys, consistent_read=strong, **_ASKED), name)
    if operation == "TransactGetItems":
        return _consumed(lab.client.transact_get_items(
            TransactItems=[{"Get": {"TableName": name, "Key": key}} for key in keys], **_ASKED), name)
    args: dict[str, Any] = dict(_ASKED)
    if strong:
        args["ConsistentRead"] = True
    if index:
        args["IndexName"] = index
    if operation == "Scan":
        return _summed(scan_pages(lab, name, **args), name)  # every page (each is rounded on its own)
    by_name = {i.name: i for i in plan.indexes}
    key_name = by_name[index].partition_key if index else plan.table.partition_key
    value = (items.index_keys(by_name[index], f"q{run}") if index else items.keys(group, 0))[key_name]
    return _summed(query_pages(lab, name, KeyConditionExpression="#k = :v", ExpressionAttributeNames={"#k": key_name},
                               ExpressionAttributeValues={":v": {"S": value}}, **args), name)


def _put_or_update(lab: Lab, name: str, request: PatternRequest, run: int, items: _Items,
                   operation: str) -> dict[str, float]:
    """A PutItem or an UpdateItem of an item of the planned size (over the item it replaces, if the plan has one)."""
    before_indexes = {index: f"i{run}" for index in request.indexes}
    after_indexes = ({index: f"j{run}" for index in request.indexes} if request.changes_index_key
                     else before_indexes)
    if request.before_bytes is not None:
        lab.client.put_item(TableName=name, Item=_typed(items.item(request.before_bytes, run, 0, before_indexes)))
    after = items.item(request.written_bytes, run, 0, after_indexes)
    if operation == "PutItem":
        return _consumed(lab.client.put_item(TableName=name, Item=_typed(after), **_ASKED), name)
    before = items.item(request.before_bytes or 0, run, 0, before_indexes)
    return _consumed(lab.client.update_item(TableName=name, **_update(items.keys(run, 0), before, after),
                                            **_ASKED), name)


def _update(key: Mapping[str, str], before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """UpdateItem's arguments that turn ``before`` into ``after`` (SET what ``after`` holds, REMOVE what it lost)."""
    values = {f":a{n}": {"S": value} for n, (attribute, value) in enumerate(after.items()) if attribute not in key}
    names = {f"#a{n}": attribute for n, attribute in enumerate(after) if attribute not in key}
    sets = ", ".join(f"#a{n} = :a{n}" for n in range(len(after)) if f"#a{n}" in names)
    gone = [attribute for attribute in before if attribute not in after]
    for n, attribute in enumerate(gone):
        names[f"#r{n}"] = attribute
    expression = (f"SET {sets}" if sets else "") + (
        " REMOVE " + ", ".join(f"#r{n}" for n in range(len(gone))) if gone else "")
    return {"Key": _typed(key), "UpdateExpression": expression.strip(), "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values}


def _delete(lab: Lab, name: str, request: PatternRequest, run: int, items: _Items) -> dict[str, float]:
    touched = {index: f"i{run}" for index in request.indexes}
    lab.client.put_item(TableName=name, Item=_typed(items.item(request.item_bytes or 0, run, 0, touched)))
    return _consumed(lab.client.delete_item(TableName=name, Key=_typed(items.keys(run, 0)), **_ASKED), name)


def _new_items(request: PatternRequest, run: int, items: _Items) -> list[dict[str, Any]]:
    touched = {index: f"i{run}" for index in request.indexes}
    return [items.item(request.item_bytes or 0, run, n, touched) for n in range(request.items)]


def _batch_write(lab: Lab, name: str, request: PatternRequest, run: int, items: _Items) -> dict[str, float]:
    """New items through the one batch writer (UnprocessedItems resent), every call's units added up."""
    writes = [(name, {"PutRequest": {"Item": _typed(item)}}) for item in _new_items(request, run, items)]
    report = batch_write(lab, writes, return_consumed_capacity="INDEXES")
    return _consumed({"ConsumedCapacity": report.consumed_capacity}, name)


def _transact_write(lab: Lab, name: str, request: PatternRequest, run: int, items: _Items) -> dict[str, float]:
    answer = lab.client.transact_write_items(
        TransactItems=[{"Put": {"TableName": name, "Item": _typed(item)}} for item in _new_items(request, run, items)],
        **_ASKED)
    return _consumed(answer, name)


#: each write operation's request on the engine
_WRITES: dict[str, Callable[[Lab, str, PatternRequest, int, _Items], dict[str, float]]] = {
    "PutItem": lambda lab, name, request, run, items: _put_or_update(lab, name, request, run, items, "PutItem"),
    "UpdateItem": lambda lab, name, request, run, items: _put_or_update(lab, name, request, run, items, "UpdateItem"),
    "DeleteItem": _delete,
    "BatchWriteItem": _batch_write,
    "TransactWriteItems": _transact_write,
}


def _planned(pattern: PatternPlan) -> dict[str, float]:
    planned = {"table": pattern.table_read_units if pattern.kind == "read" else pattern.table_write_units}
    planned.update(pattern.index_read_units if pattern.kind == "read" else pattern.index_write_units)
    return planned


def verify_plan(lab: Lab, plan: TablePlan, runs: int = 3, *, keep_table: bool = False) -> Verification:
    """Create the plan's table and indexes on ``lab``'s engine, run each pattern ``runs`` times with items of the
    planned sizes, and report the units metered per request beside the planned ones (``Verification``)."""
    check_lab(lab)
    if not isinstance(plan, TablePlan):
        raise TypeError(tr("plan must be a plan from dynalab.plan_table, got {kind}", kind=type(plan).__name__))
    validate.number("runs", runs, low=1, high=20, integer=True)
    validate.number("len(plan.patterns) × runs", len(plan.patterns) * runs, high=VERIFY_MAX_RUNS, integer=True,
                    unit=N_("dynalab's limit"))
    name = lab.table_name(f"plan-{plan.table.name}")
    items = _Items(plan)
    checks = []
    try:
        for pattern in plan.patterns:
            count = pattern.request.items
            if count > VERIFY_MAX_ITEMS or count * (pattern.request.item_bytes or 0) > VERIFY_MAX_BYTES:
                checks.append(PatternCheck(pattern.name, pattern.operation, pattern.kind, 0, _planned(pattern), [],
                                           tr("it reads {items:,} items a request; verify writes at most {most:,} "
                                              "items and {megabytes} MB", items=count, most=VERIFY_MAX_ITEMS,
                                              megabytes=VERIFY_MAX_BYTES // 2**20)))
                continue
            metered = []
            for run in range(runs):
                if run == 0 or pattern.operation == "Scan":
                    _create(lab, name, plan)  # afresh: a Scan reads only the items of its own run
                metered.append(_run(lab, name, plan, pattern, run, items))
            planned = _planned(pattern)
            silent = [index for index in planned if index != "table" and not any(index in m for m in metered)]
            note = (tr("the engine's answer reports no units for index {names}", names=', '.join(silent))
                    if silent else "")
            checks.append(PatternCheck(pattern.name, pattern.operation, pattern.kind, runs, planned, metered, note))
    finally:
        if not keep_table:
            delete_created_table(lab, name, creators=("verify_plan",), action="verify_plan")
    return Verification(name, lab.describe(), checks)
