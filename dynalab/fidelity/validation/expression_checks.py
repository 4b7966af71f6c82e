"""What DynamoDB answers about a request's expressions once they parse (``expressions``): names and values used but
not defined, defined but not used, reserved words, unknown functions, operand counts and types, overlapping update
paths, and the shape of a key condition. The wording is DynamoDB's, as dynalite reproduces it
(``node_modules/dynalite/db/*Parser.pegjs``, ``validations/index.js``); where several problems meet in one
expression, the one reported is the one DynamoDB reports first (dynalite's order of checks).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from dynalab.fidelity.validation.expressions import (
    ExpressionSyntaxError,
    Func,
    Op,
    Path,
    Value,
    parse_condition,
    parse_projection,
    parse_update,
)
from dynalab.fidelity.validation.reserved_words import is_reserved
from dynalab.fidelity.validation.values import value_problem

__all__ = ["KeyCondition", "Parsed", "expressions_problem", "parameters_problem"]

_NAME_KEY = re.compile(r"#[0-9a-zA-Z_]+")
_VALUE_KEY = re.compile(r":[0-9a-zA-Z_]+")
_CONDITION_FUNCTIONS = {"attribute_exists": 1, "attribute_not_exists": 1, "attribute_type": 2, "begins_with": 2,
                        "contains": 2, "size": 1}
_UPDATE_FUNCTIONS = {"if_not_exists": 2, "list_append": 2, "+": 2, "-": 2}
_TYPE_NAMES = ("S", "N", "B", "NULL", "SS", "BOOL", "L", "BS", "NS", "M")
_OPERAND_WORDS = {"S": "STRING", "N": "NUMBER", "B": "BINARY", "NULL": "NULL", "BOOL": "BOOLEAN", "L": "LIST",
                  "M": "MAP"}
_CONDITION_ORDER = ("parens", "unknownFunction", "misusedFunction", "reserved", "attrNameVal", "operand",
                    "distinct", "function")
_UPDATE_ORDER = ("reserved", "unknownFunction", "section", "attrName", "attrVal", "pathOverlap", "pathConflict",
                 "operand", "function")
_PROJECTION_ORDER = ("reserved", "attrNameVal", "pathOverlap", "pathConflict")
#: The request parameters that hold expressions, in the order DynamoDB checks them.
EXPRESSIONS = ("UpdateExpression", "ConditionExpression", "KeyConditionExpression", "FilterExpression",
               "ProjectionExpression")


class KeyCondition(NamedTuple):
    """One key condition: the attribute, DynamoDB's comparison operator (EQ, LT, BETWEEN, BEGINS_WITH...) and its
    values."""

    attribute: str
    operator: str
    values: tuple


class Parsed(NamedTuple):
    """What a request's expressions name: the key conditions, the top-level attributes a filter reads, and those
    read or written through a nested path (``a.b``, ``a[0]``)."""

    key_conditions: tuple[KeyCondition, ...] = ()
    filter_heads: frozenset[str] = frozenset()
    nested_heads: dict[str, frozenset[str]] = {}
    update_targets: tuple[tuple[tuple, str | None], ...] = ()


def _path_text(elements: Sequence[Any]) -> str:
    return "[" + ", ".join(f"[{e}]" if isinstance(e, int) else str(e) for e in elements) + "]"


def _type_of(value: Any) -> str | None:
    if isinstance(value, Mapping):
        for kind in ("S", "N", "B", "NULL", "BOOL", "SS", "NS", "BS", "L", "M"):
            if kind in value:
                return kind
    return None


_WITH_EXPRESSIONS = (*EXPRESSIONS, "ExpressionAttributeNames", "ExpressionAttributeValues")
_NOTHING_PARSED = Parsed()


class _Walk:
    """One expression's checks: the first problem of each kind, and what it used."""

    def __init__(self, names: Mapping[str, str], values: Mapping[str, Any], unused: set[str],
                 split_undefined: bool = False) -> None:
        self.names, self.values, self.unused = names, values, unused
        self.errors: dict[str, str] = {}
        self.split = split_undefined  # update expressions report undefined names and values apart
        self.heads: set[str] = set()
        self.nested: set[str] = set()

    def error(self, kind: str, message: str) -> None:
        self.errors.setdefault(kind, message)

    def first(self, order: Sequence[str]) -> str | None:
        return next((self.errors[kind] for kind in order if kind in self.errors), None)

    # ------------------------------------------------------------------------------------------ leaves

    def path(self, path: Path, reserved: bool = True) -> tuple:
        resolved: list[Any] = []
        for kind, element in path.elements:
            if kind == "name":
                category = "attrName" if self.split else "attrNameVal"
                if element not in self.names:
                    if category not in self.errors and "attrNameVal" not in self.errors:
                        self.error(category, "An expression attribute name used in the document path is not "
                                             f"defined; attribute name: {element}")
                    resolved.append(None)
                    continue
                self.unused.discard(element)
                resolved.append(self.names[element])
            else:
                if kind == "ident" and reserved and is_reserved(element):
                    self.error("reserved", f"Attribute name is a reserved keyword; reserved keyword: {element}")
                resolved.append(element)
        if resolved and isinstance(resolved[0], str):
            self.heads.add(resolved[0])
            if len(resolved) > 1:
                self.nested.add(resolved[0])
        return tuple(resolved)

    def value(self, value: Value) -> Any:
        category = "attrVal" if self.split else "attrNameVal"
        if value.name not in self.values:
            if category not in self.errors and "attrNameVal" not in self.errors:
                self.error(category, "An expression attribute value used in expression is not defined; attribute "
                                     f"value: {value.name}")
            return None
        self.unused.discard(value.name)
        return self.values[value.name]


class _ConditionWalk(_Walk):
    """dynalite's condition checks (conditionParser.pegjs), applied to a parsed tree."""

    def operand(self, node: Any) -> tuple[str, Any]:
        """("path", elements) | ("value", typed value) | ("function", (name, result type))."""
        if isinstance(node, Op) and node.op == "parens":
            self.error("parens", "The expression has redundant parentheses;")
            return self.operand(node.args[0])
        if isinstance(node, Path):
            return "path", self.path(node)
        if isinstance(node, Value):
            return "value", self.value(node)
        return "function", (node.name, self.function(node))

    def function(self, node: Func) -> str | None:
        args = [self.operand(arg) for arg in node.args]
        self.misused(args)
        count = _CONDITION_FUNCTIONS.get(node.name)
        if count is None:
            self.error("unknownFunction", f"Invalid function name; function: {node.name}")
            return None
        if count != len(args):
            self.error("operand", "Incorrect number of operands for operator or function; operator or function: "
                                  f"{node.name}, number of operands: {len(args)}")
            return None
        self.distinct(node.name, args)
        return self.function_type(node.name, args)

    def function_type(self, name: str, args: list[tuple[str, Any]]) -> str | None:
        def kind(arg: tuple[str, Any]) -> str | None:
            return arg[1][1] if arg[0] == "function" else _type_of(arg[1]) if arg[0] == "value" else None

        if name in ("attribute_exists", "attribute_not_exists"):
            if args[0][0] != "path":
                self.error("function", f"Operator or function requires a document path; operator or function: {name}")
            return "BOOL"
        if name == "begins_with":
            for arg in args:
                found = kind(arg)
                if found and found not in ("S", "B"):
                    self.error("function", "Incorrect operand type for operator or function; operator or function: "
                                           f"begins_with, operand type: {found}")
                    break
            return "BOOL"
        if name == "attribute_type":
            found = kind(args[1])
            if found != "S":
                self.error("function", "Incorrect operand type for operator or function; operator or function: "
                                       f"attribute_type, operand type: {found or '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}'}")
            elif args[1][1]["S"] not in _TYPE_NAMES:
                self.error("function", f"Invalid attribute type name found; type: {args[1][1]['S']}, valid types: "
                                       "{B,NULL,SS,BOOL,L,BS,N,NS,S,M}")
            return "BOOL"
        if name == "size":
            found = kind(args[0])
            if found in ("N", "BOOL", "NULL"):
                self.error("function", f"Incorrect operand type for operator or function; operator or function: "
                                       f"size, operand type: {found}")
            return "N"
        return "BOOL"  # contains

    def misused(self, args: list[tuple[str, Any]]) -> None:
        for arg in args:
            if arg[0] == "function" and arg[1][0] != "size":
                self.error("misusedFunction", "The function is not allowed to be used this way in an expression; "
                                              f"function: {arg[1][0]}")
                return

    def distinct(self, name: str, args: list[tuple[str, Any]]) -> None:
        if len(args) == 2 and args[0][0] == args[1][0] == "path" and args[0][1] == args[1][1]:
            self.error("distinct", "The first operand must be distinct from the remaining operands for this operator "
                                   f"or function; operator: {name}, first operand: {_path_text(args[0][1])}")

    def condition(self, node: Any) -> None:
        if isinstance(node, Func):
            if node.name == "size":
                self.function(node)
                self.error("misusedFunction", "The function is not allowed to be used this way in an expression; "
                                              "function: size")
            else:
                self.function(node)
            return
        if node.op == "parens":
            self.error("parens", "The expression has redundant parentheses;")
            self.condition(node.args[0])
        elif node.op in ("and", "or", "not"):
            for arg in node.args:
                self.condition(arg)
        else:
            args = [self.operand(arg) for arg in node.args]
            self.misused(args)
            if node.op == "between":
                self.between(args[1], args[2])
            elif node.op != "in":
                self.distinct(node.op, args)

    def between(self, low: tuple[str, Any], high: tuple[str, Any]) -> None:
        if low[0] != "value" or high[0] != "value" or low[1] is None or high[1] is None:
            return
        first, second = _type_of(low[1]), _type_of(high[1])
        if not first or not second:
            return
        bounds = (f"lower bound operand: AttributeValue: {{{first}:{low[1][first]}}}, upper bound operand: "
                  f"AttributeValue: {{{second}:{high[1][second]}}}")
        if first != second:
            self.error("function", f"The BETWEEN operator requires same data type for lower and upper bounds; {bounds}")
        elif _greater(low[1][first], high[1][second], first):
            self.error("function", "The BETWEEN operator requires upper bound to be greater than or equal to lower "
                                   f"bound; {bounds}")


def _greater(low: Any, high: Any, kind: str) -> bool:
    if kind == "N":
        try:
            return Decimal(low) > Decimal(high)
        except ArithmeticError:
            return False
    if kind in ("S", "B"):
        return low > high if kind == "S" else str(low) > str(high)
    return False


class _UpdateWalk(_Walk):
    """dynalite's update-expression checks (updateParser.pegjs)."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args, split_undefined=True)
        self.targets: list[tuple] = []
        #: each action's target path and the type it writes (None: not known before the item is read)
        self.typed_targets: list[tuple[tuple, str | None]] = []

    def sections(self, sections: tuple) -> None:
        seen: set[str] = set()
        for word, actions in sections:
            for action in actions:
                self.action(action)
            if word in seen:
                self.error("section", f'The "{word}" section can only be used once in an update expression;')
            seen.add(word)

    def action(self, action: Op) -> None:
        target = self.path(action.args[0])
        self.check_target(target)
        found: str | None = None
        if action.op == "set":
            found = self.set_value(action.args[1])
        elif action.op in ("add", "delete"):
            found = _type_of(self.value(action.args[1]))
            word = _OPERAND_WORDS.get(found or "")
            if word and not (action.op == "add" and found == "N"):
                self.error("operand", "Incorrect operand type for operator or function; operator: "
                                      f"{action.op.upper()}, operand type: {word}")
        self.typed_targets.append((target, found))

    def check_target(self, target: tuple) -> None:
        if any(element is None for element in target):
            return
        for earlier in self.targets:
            for a, b in zip(earlier, target, strict=False):
                if type(a) is not type(b):
                    self.error("pathConflict", "Two document paths conflict with each other; must remove or rewrite "
                                               f"one of these paths; path one: {_path_text(earlier)}, path two: "
                                               f"{_path_text(target)}")
                    break
                if a != b:
                    break
            else:
                self.error("pathOverlap", "Two document paths overlap with each other; must remove or rewrite one of "
                                          f"these paths; path one: {_path_text(earlier)}, path two: "
                                          f"{_path_text(target)}")
        self.targets.append(target)

    def set_value(self, node: Any) -> str | None:
        """The type a SET value has (None: not known before the item is read)."""
        if isinstance(node, Path):
            self.path(node)
            return None
        if isinstance(node, Value):
            return _type_of(self.value(node))
        return self.function(node)

    def operand(self, node: Any) -> tuple[str, Any]:
        if isinstance(node, Path):
            return "path", self.path(node)
        if isinstance(node, Value):
            return "value", self.value(node)
        return "function", self.function(node)

    def function(self, node: Func) -> str | None:
        args = [self.operand(arg) for arg in node.args]
        count = _UPDATE_FUNCTIONS.get(node.name)
        if count is None:
            self.error("unknownFunction", f"Invalid function name; function: {node.name}")
            return None
        if count != len(args):
            self.error("function", "Incorrect number of operands for operator or function; operator or function: "
                                   f"{node.name}, number of operands: {len(args)}")
            return None
        if node.name == "if_not_exists":
            if args[0][0] != "path":
                self.error("function", "Operator or function requires a document path; operator or function: "
                                       "if_not_exists")
            return _type_of(args[1][1]) if args[1][0] == "value" else args[1][1] if args[1][0] == "function" else None
        wanted = "L" if node.name == "list_append" else "N"
        for kind, found in args:
            immediate = _type_of(found) if kind == "value" else None
            if immediate and immediate != wanted:
                self.error("function", "Incorrect operand type for operator or function; operator or function: "
                                       f"{node.name}, operand type: {immediate}")
                break
        return wanted


def _key_operator_problem(node: Any) -> str | None:
    """DynamoDB's message for an operator or function a KeyConditionExpression may not hold (or one whose first
    operand must be the key attribute and is not), or None."""
    if isinstance(node, Op) and node.op in ("or", "not", "in", "<>"):
        return f"Invalid operator used in KeyConditionExpression: {node.op.upper()}"
    if isinstance(node, Func) and node.name in ("attribute_exists", "attribute_not_exists", "attribute_type",
                                                "contains"):
        return f"Invalid operator used in KeyConditionExpression: {node.name}"
    if isinstance(node, Func) and node.name == "size":
        return "KeyConditionExpressions cannot contain nested operations"
    name = node.name if isinstance(node, Func) else node.op
    if name in ("between", "begins_with") and not isinstance(node.args[0], Path):
        return (f"Invalid condition in KeyConditionExpression: {name.upper() if name == 'between' else name} "
                "operator must have the key attribute as its first operand")
    return None


def _key_attribute(node: Any, visit: Callable[[Any], str | None]) -> tuple[Any, int] | str:
    """The one key attribute a condition names and its operand position, or DynamoDB's message."""
    attribute, position = None, 0
    for index, arg in enumerate(node.args):
        if isinstance(arg, Path):
            if attribute is not None:
                return "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"
            if len(arg.elements) > 1:
                return "KeyConditionExpressions cannot have conditions on nested attributes"
            attribute, position = arg.elements[0], index
        elif isinstance(arg, Func):
            message = visit(arg)
            if message:
                return message
    if attribute is None:
        return "Invalid condition in KeyConditionExpression: No key attribute specified"
    return attribute, position


def _key_conditions(tree: Any, names: Mapping[str, str],
                    values: Mapping[str, Any]) -> tuple[KeyCondition, ...] | str:
    """dynalite's convertKeyCondition: the key conditions of a KeyConditionExpression, or DynamoDB's message."""
    found: dict[str, KeyCondition] = {}

    def visit(node: Any) -> str | None:
        if isinstance(node, Op) and node.op == "parens":
            return visit(node.args[0])
        problem = _key_operator_problem(node)
        if problem:
            return problem
        name = node.name if isinstance(node, Func) else node.op
        if name == "and":
            return visit(node.args[0]) or visit(node.args[1])
        named = _key_attribute(node, visit)
        if isinstance(named, str):
            return named
        attribute, position = named
        name_of = attribute[1] if attribute[0] == "ident" else names.get(attribute[1], attribute[1])
        if name_of in found:
            return "KeyConditionExpressions must only contain one condition per key"
        operator = {"=": "EQ", "<": "LT", "<=": "LE", ">": "GT", ">=": "GE", "between": "BETWEEN",
                    "begins_with": "BEGINS_WITH"}[name]
        if position != 0:
            operator = {"LT": "GT", "LE": "GE", "GT": "LT", "GE": "LE"}.get(operator, operator)
        operands = tuple(values.get(arg.name) for i, arg in enumerate(node.args) if i != position and
                         isinstance(arg, Value))
        found[name_of] = KeyCondition(name_of, operator, operands)
        return None

    message = visit(tree)
    return message if message else tuple(found.values())



def _map_problem(request: Mapping[str, Any]) -> str | None:
    names = request.get("ExpressionAttributeNames")
    if names is not None:
        if not names:
            return "ExpressionAttributeNames must not be empty"
        for key in names:
            if not _NAME_KEY.fullmatch(key):
                return f'ExpressionAttributeNames contains invalid key: Syntax error; key: "{key}"'
    values = request.get("ExpressionAttributeValues")
    if values is not None:
        if not values:
            return "ExpressionAttributeValues must not be empty"
        for key in values:
            if not _VALUE_KEY.fullmatch(key):
                return f'ExpressionAttributeValues contains invalid key: Syntax error; key: "{key}"'
        for key, value in values.items():
            message = value_problem(value)
            if message:
                return f"ExpressionAttributeValues contains invalid value: {message} for key {key}"
    return None


def parameters_problem(request: Mapping[str, Any], expressions: Sequence[str],
                       legacy: Sequence[str]) -> str | None:
    """dynalite's validateExpressionParams: expression and non-expression parameters are not mixed, and names and
    values come only with expressions."""
    used = [name for name in expressions if request.get(name) is not None]
    if used:
        others = [name for name in legacy if request.get(name) is not None
                  and not (name == "KeyConditions" and request.get("KeyConditionExpression") is None)]
        if others:
            return ("Can not use both expression and non-expression parameters in the same request: Non-expression "
                    f"parameters: {{{', '.join(others)}}} Expression parameters: {{{', '.join(used)}}}")
    if request.get("ExpressionAttributeNames") is not None and not used:
        return "ExpressionAttributeNames can only be specified when using expressions"
    with_values = [name for name in expressions if name != "ProjectionExpression"]
    if with_values and request.get("ExpressionAttributeValues") is not None \
            and all(request.get(name) is None for name in with_values):
        return (f"ExpressionAttributeValues can only be specified when using expressions: {' and '.join(with_values)} "
                f"{'are' if len(with_values) > 1 else 'is'} null")
    return None


def expressions_problem(request: Mapping[str, Any]) -> str | Parsed:
    """dynalite's validateExpressions for one request (or one transaction action): DynamoDB's message for the first
    problem, or what the expressions name (``Parsed``)."""
    if not any(name in request for name in _WITH_EXPRESSIONS):
        return _NOTHING_PARSED  # most calls: no expression at all
    message = _map_problem(request)
    if message:
        return message
    names = request.get("ExpressionAttributeNames") or {}
    values = request.get("ExpressionAttributeValues") or {}
    unused_names, unused_values = set(names), set(values)
    unused = unused_names | unused_values
    parsed: dict[str, Any] = {}
    for parameter in EXPRESSIONS:
        text = request.get(parameter)
        if text is None:
            continue
        result = _one_expression(parameter, text, names, values, unused)
        if isinstance(result, str):
            return f"Invalid {parameter}: {result}"
        parsed[parameter] = result
    left_names = sorted(unused & unused_names, key=list(names).index)
    if left_names:
        return f"Value provided in ExpressionAttributeNames unused in expressions: keys: {{{', '.join(left_names)}}}"
    left_values = sorted(unused & unused_values, key=list(values).index)
    if left_values:
        return f"Value provided in ExpressionAttributeValues unused in expressions: keys: {{{', '.join(left_values)}}}"
    return _parsed(parsed, names, values)


def _one_expression(parameter: str, text: Any, names: Mapping[str, str], values: Mapping[str, Any],
                    unused: set[str]) -> Any:
    """The checked walk of one expression, or DynamoDB's message (without the "Invalid ..." prefix)."""
    if not isinstance(text, str):
        return None
    if text == "":
        return "The expression can not be empty;"
    try:
        if parameter == "UpdateExpression":
            walk: _Walk = _UpdateWalk(names, values, unused)
            walk.sections(parse_update(text))
            return walk.first(_UPDATE_ORDER) or walk
        if parameter == "ProjectionExpression":
            walk = _Walk(names, values, unused)
            paths = [walk.path(path) for path in parse_projection(text)]
            for index, path in enumerate(paths):
                _ProjectionPaths.check(walk, paths[:index], path)
            return walk.first(_PROJECTION_ORDER) or walk
        tree = parse_condition(text)
    except ExpressionSyntaxError as error:
        return str(error)
    walk = _ConditionWalk(names, values, unused)
    walk.condition(tree)
    return walk.first(_CONDITION_ORDER) or (walk, tree)


class _ProjectionPaths:
    @staticmethod
    def check(walk: _Walk, earlier_paths: list[tuple], path: tuple) -> None:
        if any(element is None for element in path):
            return
        for earlier in earlier_paths:
            for a, b in zip(earlier, path, strict=False):
                if type(a) is not type(b):
                    walk.error("pathConflict", "Two document paths conflict with each other; must remove or rewrite "
                                               f"one of these paths; path one: {_path_text(earlier)}, path two: "
                                               f"{_path_text(path)}")
                    return
                if a != b:
                    break
            else:
                walk.error("pathOverlap", "Two document paths overlap with each other; must remove or rewrite one of "
                                          f"these paths; path one: {_path_text(earlier)}, path two: {_path_text(path)}")
                return


def _parsed(parsed: Mapping[str, Any], names: Mapping[str, str], values: Mapping[str, Any]) -> Parsed | str:
    nested: dict[str, frozenset[str]] = {}
    key_conditions: tuple[KeyCondition, ...] = ()
    filter_heads: frozenset[str] = frozenset()
    targets: tuple = ()
    for parameter, result in parsed.items():
        walk = result[0] if isinstance(result, tuple) else result
        if walk is None:
            continue
        nested[parameter] = frozenset(walk.nested)
        if parameter == "FilterExpression":
            filter_heads = frozenset(walk.heads)
        if parameter == "UpdateExpression":
            targets = tuple(walk.typed_targets)
        if parameter == "KeyConditionExpression":
            conditions = _key_conditions(result[1], names, values)
            if isinstance(conditions, str):
                return conditions
            key_conditions = conditions
    return Parsed(key_conditions, filter_heads, nested, targets)
