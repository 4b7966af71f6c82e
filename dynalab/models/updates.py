"""The item an UpdateItem produces: an UpdateExpression applied to the item before it, on typed (wire) items.

DynamoDB checks its 400 KB item limit on the item an update *produces* (ServiceQuotas.html), and an index charge
or an item collection depends on it too, but the request only carries the change. ``apply_update`` computes the
result, before anything is sent, from the old item and the request's ``UpdateExpression``,
``ExpressionAttributeNames`` and ``ExpressionAttributeValues`` (Expressions.UpdateExpressions.html):

* ``SET path = operand [+|- operand]``, with operands ``:value``, a path, ``if_not_exists(path, operand)`` and
  ``list_append(operand, operand)``;
* ``REMOVE path``; ``ADD path :value`` (a number added, or set elements joined); ``DELETE path :set``;
* paths with nested map keys (``a.b``), list indexes (``a[2]``) and ``#name`` placeholders.

It does not evaluate conditions or validate types the way DynamoDB does: an expression it cannot apply raises
``UpdateNotApplied``, and the caller falls back on what it knew before (the engine still validates the call).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from dynalab.i18n import tr

__all__ = ["UpdateNotApplied", "apply_update", "produced_item"]

_TOKEN = re.compile(r"\s*(#?[A-Za-z_][A-Za-z0-9_]*|:[A-Za-z0-9_]+|\d+|[\[\].,()=+\-])")
_CLAUSES = ("SET", "REMOVE", "ADD", "DELETE")


class UpdateNotApplied(ValueError):
    """The expression uses something ``apply_update`` does not model (the engine will judge it)."""


def apply_update(item: Mapping[str, Any] | None, update_expression: str,
                 names: Mapping[str, str] | None = None, values: Mapping[str, Any] | None = None,
                 key: Mapping[str, Any] | None = None) -> dict:
    """The typed item ``update_expression`` leaves, starting from ``item`` (None: a new item made of ``key``)."""
    if not isinstance(update_expression, str) or not update_expression.strip():
        raise UpdateNotApplied(tr("update_expression must be a non-empty string; got {update_expression!r}",
                                  update_expression=update_expression))
    result = copy.deepcopy(dict(item)) if item else dict(copy.deepcopy(dict(key or {})))
    parser = _Parser(update_expression, names or {}, values or {})
    for clause, actions in parser.clauses():
        for action in actions:
            _apply(result, clause, action)
    return result


def produced_item(old_item: Mapping[str, Any] | None, spec: Mapping[str, Any]) -> dict | None:
    """The item an Update request (UpdateItem, or a transaction's Update: ``spec``) produces from ``old_item``, or
    None when it cannot be computed here (legacy AttributeUpdates, or an expression this model does not cover)."""
    if not spec.get("UpdateExpression"):
        return None
    try:
        return apply_update(old_item, spec["UpdateExpression"], spec.get("ExpressionAttributeNames"),
                            spec.get("ExpressionAttributeValues"), key=spec.get("Key"))
    except (UpdateNotApplied, TypeError, KeyError, AttributeError):
        return None


class _Parser:
    def __init__(self, text: str, names: Mapping[str, str], values: Mapping[str, Any]) -> None:
        self.tokens = []
        position = 0
        while position < len(text):
            if text[position:].strip() == "":
                break
            match = _TOKEN.match(text, position)
            if match is None:
                raise UpdateNotApplied(tr("cannot read the update expression at {text!r}",
                                          text=text[position:position + 20]))
            self.tokens.append(match.group(1))
            position = match.end()
        self.at = 0
        self.names = names
        self.values = values

    def peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise UpdateNotApplied(tr("expected {expected} in the update expression, got {token!r}",
                                      expected=expected or tr("more"), token=token))
        self.at += 1
        return token

    def clauses(self) -> list[tuple[str, list]]:
        found = []
        while self.peek() is not None:
            clause = self.take().upper()
            if clause not in _CLAUSES:
                raise UpdateNotApplied(tr("unknown clause {clause!r}", clause=clause))
            actions = [self.action(clause)]
            while self.peek() == ",":
                self.take(",")
                actions.append(self.action(clause))
            found.append((clause, actions))
        return found

    def action(self, clause: str) -> tuple:
        path = self.path()
        if clause == "REMOVE":
            return (path,)
        if clause in ("ADD", "DELETE"):
            return path, self.operand()
        self.take("=")
        left = self.operand()
        if self.peek() in ("+", "-"):
            sign = self.take()
            return path, ("arith", sign, left, self.operand())
        return path, left

    def path(self) -> list:
        parts: list = [self.name(self.take())]
        while self.peek() in (".", "["):
            if self.take() == ".":
                parts.append(self.name(self.take()))
            else:
                parts.append(int(self.take()))
                self.take("]")
        return parts

    def name(self, token: str) -> str:
        if token.startswith("#"):
            if token not in self.names:
                raise UpdateNotApplied(tr("no ExpressionAttributeNames entry for {token}", token=token))
            return self.names[token]
        if token.startswith(":") or token.isdigit():
            raise UpdateNotApplied(tr("expected an attribute name, got {token!r}", token=token))
        return token

    def operand(self) -> tuple:
        token = self.peek()
        if token is not None and token.startswith(":"):
            self.take()
            if token not in self.values:
                raise UpdateNotApplied(tr("no ExpressionAttributeValues entry for {token}", token=token))
            return ("value", self.values[token])
        if token is not None and token.lower() in ("if_not_exists", "list_append") and \
                self.at + 1 < len(self.tokens) and self.tokens[self.at + 1] == "(":
            function = self.take().lower()
            self.take("(")
            first = ("path", self.path()) if function == "if_not_exists" else self.operand()
            self.take(",")
            second = self.operand()
            self.take(")")
            return (function, first, second)
        return ("path", self.path())


def _get(item: Mapping[str, Any], path: list) -> Any:
    current: Any = {"M": item}
    for part in path:
        if isinstance(part, int):
            inner = current.get("L") if isinstance(current, Mapping) else None
            if inner is None or part >= len(inner):
                return None
            current = inner[part]
        else:
            inner = current.get("M") if isinstance(current, Mapping) else None
            if inner is None or part not in inner:
                return None
            current = inner[part]
    return current


def _parent(item: dict, path: list) -> tuple[Any, Any]:
    """(the container holding the path's last step, that step); raises when the path's parent is missing."""
    container: Any = item
    for part in path[:-1]:
        value = container[part] if isinstance(part, int) or part in container else None
        if isinstance(value, Mapping) and "M" in value:
            container = value["M"]
        elif isinstance(value, Mapping) and "L" in value:
            container = value["L"]
        else:
            raise UpdateNotApplied(tr("the document path {path!r} does not exist in the item", path=path))
    return container, path[-1]


def _set(item: dict, path: list, value: Any) -> None:
    container, last = _parent(item, path)
    if isinstance(last, int):
        if not isinstance(container, list):
            raise UpdateNotApplied(tr("{path!r} indexes something that is not a list", path=path))
        if last >= len(container):
            container.append(value)  # DynamoDB appends past the end
        else:
            container[last] = value
    else:
        container[last] = value


def _remove(item: dict, path: list) -> None:
    try:
        container, last = _parent(item, path)
    except UpdateNotApplied:
        return
    if isinstance(last, int):
        if isinstance(container, list) and last < len(container):
            del container[last]
    elif isinstance(container, dict):
        container.pop(last, None)


def _number(value: Any) -> Decimal:
    if not isinstance(value, Mapping) or "N" not in value:
        raise UpdateNotApplied(tr("arithmetic on a value that is not a number"))
    try:
        return Decimal(str(value["N"]))
    except InvalidOperation:
        raise UpdateNotApplied(tr("not a number: {value!r}", value=value["N"])) from None


def _number_value(number: Decimal) -> dict:
    text = format(number.normalize(), "f") if number != 0 else "0"
    return {"N": text}


def _evaluate(item: Mapping[str, Any], operand: tuple) -> Any:
    kind = operand[0]
    if kind == "value":
        return copy.deepcopy(operand[1])
    if kind == "path":
        value = _get(item, operand[1])
        if value is None:
            raise UpdateNotApplied(tr("the document path {path!r} does not exist in the item", path=operand[1]))
        return copy.deepcopy(value)
    if kind == "if_not_exists":
        value = _get(item, operand[1][1])
        return copy.deepcopy(value) if value is not None else _evaluate(item, operand[2])
    if kind == "list_append":
        first, second = _evaluate(item, operand[1]), _evaluate(item, operand[2])
        if "L" not in first or "L" not in second:
            raise UpdateNotApplied(tr("list_append of a value that is not a list"))
        return {"L": first["L"] + second["L"]}
    if kind == "arith":
        _, sign, left, right = operand
        a, b = _number(_evaluate(item, left)), _number(_evaluate(item, right))
        return _number_value(a + b if sign == "+" else a - b)
    raise UpdateNotApplied(tr("unknown operand {kind!r}", kind=kind))


def _apply(item: dict, clause: str, action: tuple) -> None:
    path = action[0]
    if clause == "SET":
        _set(item, path, _evaluate(item, action[1]))
    elif clause == "REMOVE":
        _remove(item, path)
    else:
        value = _evaluate(item, action[1])
        current = _get(item, path)
        ((kind, inner),) = value.items()
        if clause == "ADD" and kind == "N":
            _set(item, path, _number_value(_number(value) + (_number(current) if current is not None else 0)))
        elif kind in ("SS", "NS", "BS"):
            existing = list((current or {}).get(kind, []))
            if clause == "ADD":
                merged = existing + [v for v in inner if v not in existing]
                _set(item, path, {kind: merged})
            else:
                kept = [v for v in existing if v not in inner]
                if kept:
                    _set(item, path, {kind: kept})
                else:
                    _remove(item, path)
        else:
            raise UpdateNotApplied(tr("{clause} takes a number or a set, got {kind}", clause=clause, kind=kind))
