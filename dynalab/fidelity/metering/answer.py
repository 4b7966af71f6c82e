"""ConsumedCapacity as DynamoDB writes it in an answer (API_ConsumedCapacity.html): TOTAL the sum over a table and
its indexes; INDEXES also ``Table``, ``LocalSecondaryIndexes`` and ``GlobalSecondaryIndexes``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dynalab.fidelity.call import IndexUnits, TableUnits

__all__ = ["capacity_entry", "edit_answer", "reported_units"]

#: Operations whose ConsumedCapacity is a list (one entry per table).
_LISTED = frozenset({"BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems",
                     "BatchExecuteStatement", "ExecuteTransaction"})


def reported_units(consumed: Any) -> dict[str, float]:
    """{table: CapacityUnits} an engine reported, or {}."""
    if not consumed:
        return {}
    entries = consumed if isinstance(consumed, list) else [consumed]
    return {e["TableName"]: float(e["CapacityUnits"]) for e in entries
            if isinstance(e, dict) and "TableName" in e and e.get("CapacityUnits") is not None}


def capacity_entry(table: str, units: float, asked: str, indexes: Mapping[str, IndexUnits]) -> dict[str, Any]:
    """DynamoDB's ConsumedCapacity for one table. ``units`` is what the table's capacity paid (the table and its
    LSIs); an index the call did not touch is not listed."""
    lsi = {name: u.read + u.write for name, u in indexes.items() if not u.is_global and u.read + u.write}
    gsi = {name: u.read + u.write for name, u in indexes.items() if u.is_global and u.read + u.write}
    own = units - sum(lsi.values())
    entry: dict[str, Any] = {"TableName": table, "CapacityUnits": units + sum(gsi.values())}
    if asked == "INDEXES":
        entry["Table"] = {"CapacityUnits": own}
        if lsi:
            entry["LocalSecondaryIndexes"] = {name: {"CapacityUnits": u} for name, u in lsi.items()}
        if gsi:
            entry["GlobalSecondaryIndexes"] = {name: {"CapacityUnits": u} for name, u in gsi.items()}
    return entry


def _add_indexes(entry: dict[str, Any], asked: str, indexes: Mapping[str, IndexUnits]) -> None:
    """Add dynalab's index units to an engine's ConsumedCapacity entry for one table (the engine's are the
    table's own)."""
    extra = {name: u.read + u.write for name, u in indexes.items() if u.read + u.write}
    if not extra:
        return
    own = float(entry.get("CapacityUnits") or 0.0)
    entry["CapacityUnits"] = own + sum(extra.values())
    if asked == "INDEXES":
        entry["Table"] = {"CapacityUnits": own}
        for kind, is_global in (("GlobalSecondaryIndexes", True), ("LocalSecondaryIndexes", False)):
            chosen = {name: {"CapacityUnits": units} for name, units in extra.items()
                      if indexes[name].is_global == is_global}
            if chosen:
                entry[kind] = chosen


def edit_answer(operation: str, parsed: dict[str, Any], asked: str, units: Mapping[str, TableUnits], ok: bool,
                trust_engine: bool) -> None:
    """Put DynamoDB's ConsumedCapacity in the answer when the learner asked for it (and only then): dynalab's units
    on an engine known to fake them; the engine's own elsewhere, with dynalab's index units added (dynalite
    meters no index)."""
    if asked not in ("TOTAL", "INDEXES") or not ok:
        parsed.pop("ConsumedCapacity", None)
        return
    if trust_engine and parsed.get("ConsumedCapacity"):
        reported = parsed["ConsumedCapacity"]
        for entry in reported if isinstance(reported, list) else [reported]:
            table_units = units.get(entry.get("TableName")) if isinstance(entry, dict) else None
            if table_units is not None and table_units.indexes:
                _add_indexes(entry, asked, table_units.indexes)
        return
    entries = [capacity_entry(table, u.read + u.write, asked, u.indexes) for table, u in units.items()]
    if operation in _LISTED:
        parsed["ConsumedCapacity"] = entries
    elif entries:
        parsed["ConsumedCapacity"] = entries[0]
