"""A PartiQL statement as the DynamoDB operation it runs: the layer meters, throttles, validates and guards that.

"Using the SELECT statement can result in a full table scan if an equality or IN condition with a partition key is
not provided in the WHERE clause" (ql-reference.select.html, read 2026-12) [src:partiql-select-scan]: a SELECT with
the whole primary key equal to values is a GetItem; with the partition key equal (or IN a list), a Query per value;
anything else a Scan with the WHERE clause as its filter. INSERT is a PutItem that fails with
DuplicateItemException on an existing key; UPDATE an UpdateItem on an item that must exist; DELETE a DeleteItem;
EXISTS(SELECT ...) in a transaction a ConditionCheck. Names and values become ``#n``/``:v`` placeholders, so a
reserved word in a statement never meets the expression parser's reserved-word rule.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from dynalab.fidelity.catalog import TableInfo
from dynalab.fidelity.partiql.parser import (
    Call,
    Cond,
    Delete,
    Exists,
    Insert,
    Literal,
    Param,
    Path,
    Select,
    StatementError,
    Update,
)

__all__ = ["INCOMPLETE_KEY", "Translator"]

INCOMPLETE_KEY = "Where clause does not contain a mandatory equality on all key attributes"
PARAMETER_COUNT = "Number of parameters in request and statement don't match."
_KEY_OPERATORS = {"=", "<", "<=", ">", ">=", "between"}


class _Placeholders:
    """``#n``/``:v`` placeholders for one request, and the names and values they stand for."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def name(self, name: str) -> str:
        for placeholder, known in self.names.items():
            if known == name:
                return placeholder
        placeholder = f"#n{len(self.names)}"
        self.names[placeholder] = name
        return placeholder

    def path(self, path: Path) -> str:
        text = ""
        for element in path.elements:
            text += f"[{element}]" if isinstance(element, int) else (("." if text else "") + self.name(element))
        return text

    def value(self, value: Any) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = value
        return placeholder

    def attach(self, request: dict[str, Any]) -> dict[str, Any]:
        if self.names:
            request["ExpressionAttributeNames"] = dict(self.names)
        if self.values:
            request["ExpressionAttributeValues"] = dict(self.values)
        return request


def _conjuncts(where: Any) -> list[Any]:
    if isinstance(where, Cond) and where.op == "and":
        return _conjuncts(where.args[0]) + _conjuncts(where.args[1])
    return [where] if where is not None else []


def _both(left: Any, right: Any) -> Any:
    """``left AND right``, where either may be missing."""
    if left is None or right is None:
        return right if left is None else left
    return Cond("and", (left, right))


class Translator:
    """Turns one statement into (operation, request) with the request's Parameters bound, using the table's key
    schema (``info``)."""

    def __init__(self, parameters: Sequence[Any], info: Callable[[str], TableInfo | None]) -> None:
        self.parameters = list(parameters or [])
        self.info = info

    # ------------------------------------------------------------------------------------------ values

    def typed(self, node: Any) -> Any:
        """The typed value a literal, a ``?`` or a collection stands for."""
        if isinstance(node, Literal):
            return node.value
        if isinstance(node, Param):
            if node.index >= len(self.parameters):
                raise StatementError(PARAMETER_COUNT)
            return self.parameters[node.index]
        if isinstance(node, Call) and node.name == "struct":
            return {"M": {key: self.typed(value) for key, value in node.args}}
        if isinstance(node, Call) and node.name == "list":
            return {"L": [self.typed(member) for member in node.args]}
        if isinstance(node, Call) and node.name == "bag":
            members = [self.typed(member) for member in node.args]
            kinds = {next(iter(member)) for member in members}
            if not members or len(kinds) != 1 or next(iter(kinds)) not in ("S", "N", "B"):
                raise StatementError("Unsupported data type in Bag. DynamoDB only supports either numbers or strings "
                                     "in bags" if members else "Empty bags are not supported")
            kind = kinds.pop()
            return {kind + "S": [member[kind] for member in members]}
        raise StatementError(f"Unsupported token in expression: {type(node).__name__}")

    def operand(self, node: Any, marks: _Placeholders) -> str:
        if isinstance(node, Path):
            return marks.path(node)
        if isinstance(node, Call) and node.name in ("+", "-"):
            return f"{self.operand(node.args[0], marks)} {node.name} {self.operand(node.args[1], marks)}"
        if isinstance(node, Call) and node.name not in ("struct", "list", "bag"):
            return f"{node.name}({', '.join(self.operand(arg, marks) for arg in node.args)})"
        return marks.value(self.typed(node))

    def condition(self, node: Any, marks: _Placeholders) -> str:
        """A WHERE clause as a DynamoDB condition expression."""
        if isinstance(node, Call):
            return self.operand(node, marks)
        if node.op in ("and", "or"):
            return f"({self.condition(node.args[0], marks)}) {node.op.upper()} ({self.condition(node.args[1], marks)})"
        if node.op == "not":
            return f"NOT ({self.condition(node.args[0], marks)})"
        if node.op in ("is", "is not"):
            path = self.operand(node.args[0], marks)
            if node.args[1] == "MISSING":
                return f"attribute_{'not_' if node.op == 'is' else ''}exists({path})"
            test = f"attribute_type({path}, {marks.value({'S': 'NULL'})})"
            return test if node.op == "is" else f"NOT {test}"
        parts = [self.operand(arg, marks) for arg in node.args]
        if node.op == "between":
            return f"{parts[0]} BETWEEN {parts[1]} AND {parts[2]}"
        if node.op == "in":
            return f"{parts[0]} IN ({', '.join(parts[1:])})"
        return f"{parts[0]} {node.op} {parts[1]}"

    # -------------------------------------------------------------------------------------------- keys

    def table(self, name: str) -> TableInfo:
        info = self.info(name)
        if info is None:
            raise LookupError(name)
        return info

    def key_equalities(self, where: Any, key_attributes: Sequence[str]) -> tuple[dict[str, Any], list[Any]]:
        """({key attribute: typed value} of the conjuncts ``key = value``, the other conjuncts)."""
        found: dict[str, Any] = {}
        rest: list[Any] = []
        for part in _conjuncts(where):
            name = self._equality_on(part, key_attributes)
            if name is not None and name not in found:
                found[name] = self.typed(part.args[1] if isinstance(part.args[0], Path) else part.args[0])
            else:
                rest.append(part)
        return found, rest

    @staticmethod
    def _equality_on(part: Any, key_attributes: Sequence[str]) -> str | None:
        if not isinstance(part, Cond) or part.op != "=":
            return None
        left, right = part.args
        path, value = (left, right) if isinstance(left, Path) else (right, left)
        if isinstance(path, Path) and len(path.elements) == 1 and path.elements[0] in key_attributes \
                and isinstance(value, Literal | Param):
            return path.elements[0]
        return None

    def full_key(self, where: Any, info: TableInfo) -> tuple[dict[str, Any], Any]:
        """(the item's key, the rest of the WHERE clause) of an UPDATE, DELETE or keyed read."""
        found, rest = self.key_equalities(where, info.key_attributes)
        if len(found) != len(info.key_attributes):
            raise StatementError(INCOMPLETE_KEY)
        condition = None
        for part in rest:
            condition = _both(condition, part)
        return {name: found[name] for name in info.key_attributes}, condition

    # ---------------------------------------------------------------------------------------- statements

    def insert(self, statement: Insert) -> tuple[str, dict]:
        info = self.table(statement.table)
        item = self.typed(statement.item)
        if "M" not in item:
            raise StatementError("Unsupported format in item expression. Please use struct format {...} to express "
                                 "item values for insert statement.")
        marks = _Placeholders()
        request = {"TableName": statement.table, "Item": item["M"],
                   "ConditionExpression": f"attribute_not_exists({marks.name(info.partition_key)})"}
        return "PutItem", marks.attach(request)

    def update(self, statement: Update) -> tuple[str, dict]:
        info = self.table(statement.table)
        key, rest = self.full_key(statement.where, info)
        marks = _Placeholders()
        clauses: dict[str, list[str]] = {"SET": [], "REMOVE": [], "ADD": [], "DELETE": []}
        for verb, path, value in statement.actions:
            target = marks.path(path)
            if verb == "remove":
                clauses["REMOVE"].append(target)
            elif isinstance(value, Call) and value.name in ("set_add", "set_delete"):
                clauses["ADD" if value.name == "set_add" else "DELETE"].append(
                    f"{target} {marks.value(self.typed(value.args[-1]))}")
            else:
                clauses["SET"].append(f"{target} = {self.operand(value, marks)}")
        expression = " ".join(f"{verb} {', '.join(parts)}" for verb, parts in clauses.items() if parts)
        condition = f"attribute_exists({marks.name(info.partition_key)})"
        if rest is not None:
            condition += f" AND ({self.condition(rest, marks)})"
        request = {"TableName": statement.table, "Key": key, "UpdateExpression": expression,
                   "ConditionExpression": condition}
        if statement.returning:
            request["ReturnValues"] = statement.returning
        return "UpdateItem", marks.attach(request)

    def delete(self, statement: Delete) -> tuple[str, dict]:
        if statement.returning not in (None, "ALL_OLD"):
            raise StatementError(f"Invalid returning clause: RETURNING {statement.returning}. Only RETURNING ALL OLD * "
                                 "is allowed in DELETE statements.")
        info = self.table(statement.table)
        key, rest = self.full_key(statement.where, info)
        marks = _Placeholders()
        request: dict[str, Any] = {"TableName": statement.table, "Key": key}
        if rest is not None:
            request["ConditionExpression"] = self.condition(rest, marks)
        if statement.returning:
            request["ReturnValues"] = "ALL_OLD"
        return "DeleteItem", marks.attach(request)

    def exists(self, statement: Exists) -> tuple[str, dict]:
        select = statement.select
        info = self.table(select.table)
        key, rest = self.full_key(select.where, info)
        if rest is None:
            raise StatementError("EXISTS() must contain a single item read with additional condition")
        marks = _Placeholders()
        return "ConditionCheck", marks.attach({"TableName": select.table, "Key": key,
                                               "ConditionExpression": self.condition(rest, marks)})

    def select(self, statement: Select, consistent: bool = False, limit: int | None = None) -> list[tuple[str, dict]]:
        """A SELECT as the reads it runs: a GetItem, a Query per partition-key value, or a Scan."""
        info = self.table(statement.table)
        index = info.index(statement.index) if statement.index else None
        if statement.index and index is None:
            raise StatementError(f"The table does not have the specified index: {statement.index}")
        keys = index.key_attributes if index is not None else info.key_attributes
        base: dict[str, Any] = {"TableName": statement.table}
        if statement.index:
            base["IndexName"] = statement.index
        if consistent:
            base["ConsistentRead"] = True
        if limit is not None:
            base["Limit"] = limit
        partitions, rest = self._partition_values(statement.where, keys[0])
        if not partitions:
            return [("Scan", self._read(base, statement, statement.where))]
        found, others = self.key_equalities(rest, keys[1:]) if len(keys) > 1 else ({}, _conjuncts(rest))
        if index is None and len(found) == len(keys) - 1 and not others and not statement.order:
            return [("GetItem", self._get(base, statement, keys, value, found)) for value in partitions]
        return [("Query", self._query(base, statement, keys, value, rest)) for value in partitions]

    def _partition_values(self, where: Any, partition_key: str) -> tuple[list[Any], Any]:
        """The partition-key values a WHERE clause pins (``pk = v``, ``pk IN [...]``, ``pk = a OR pk = b``), and the
        rest of it; ([], where) when it pins none: a full table scan."""
        rest = None
        values: list[Any] = []
        for part in _conjuncts(where):
            pinned = [] if values else self._pinned(part, partition_key)
            if pinned:
                values = pinned
            else:
                rest = _both(rest, part)
        return values, rest

    def _pinned(self, part: Any, partition_key: str) -> list[Any]:
        if not isinstance(part, Cond):
            return []
        if part.op == "=" and self._equality_on(part, (partition_key,)):
            return [self.typed(part.args[1] if isinstance(part.args[0], Path) else part.args[0])]
        if part.op == "in" and part.args[0] == Path((partition_key,)) \
                and all(isinstance(arg, Literal | Param) for arg in part.args[1:]):
            return [self.typed(arg) for arg in part.args[1:]]
        if part.op == "or":
            left, right = self._pinned(part.args[0], partition_key), self._pinned(part.args[1], partition_key)
            return left + right if left and right else []
        return []

    def _projected(self, request: dict[str, Any], statement: Select, marks: _Placeholders) -> None:
        if statement.projection:
            request["ProjectionExpression"] = ", ".join(marks.path(path) for path in statement.projection)

    def _get(self, base: dict, statement: Select, keys: Sequence[str], partition: Any, found: Mapping) -> dict:
        marks = _Placeholders()
        request = {**{k: v for k, v in base.items() if k != "Limit"}, "Key": {keys[0]: partition, **found}}
        self._projected(request, statement, marks)
        return marks.attach(request)

    def _query(self, base: dict, statement: Select, keys: Sequence[str], partition: Any, rest: Any) -> dict:
        marks = _Placeholders()
        condition = f"{marks.name(keys[0])} = {marks.value(partition)}"
        filters = None
        for part in _conjuncts(rest):
            if len(keys) > 1 and condition.count(" AND ") == 0 and self._on_sort_key(part, keys[1]):
                condition += f" AND {self.condition(part, marks)}"
            else:
                filters = _both(filters, part)
        request: dict[str, Any] = {**base, "KeyConditionExpression": condition}
        if filters is not None:
            request["FilterExpression"] = self.condition(filters, marks)
        if any(descending for _, descending in statement.order):
            request["ScanIndexForward"] = False
        self._projected(request, statement, marks)
        return marks.attach(request)

    @staticmethod
    def _on_sort_key(part: Any, sort_key: str) -> bool:
        if isinstance(part, Cond) and part.op in _KEY_OPERATORS and part.args[0] == Path((sort_key,)):
            return all(isinstance(arg, Literal | Param) for arg in part.args[1:])
        return isinstance(part, Call) and part.name == "begins_with" and part.args[0] == Path((sort_key,)) \
            and isinstance(part.args[1], Literal | Param)

    def _read(self, base: dict, statement: Select, where: Any) -> dict:
        if statement.order:
            raise StatementError("Must have WHERE clause in the statement when using ORDER BY clause." if where is None
                                 else "Must have at least one non-optional hash key condition in WHERE clause when "
                                      "using ORDER BY clause.")
        marks = _Placeholders()
        request = dict(base)
        if where is not None:
            request["FilterExpression"] = self.condition(where, marks)
        self._projected(request, statement, marks)
        return marks.attach(request)
