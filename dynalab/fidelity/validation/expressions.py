"""A parser for DynamoDB's expressions: condition (and filter, key condition), update and projection.

It reads the grammar of Expressions.OperatorsAndFunctions.html, Expressions.UpdateExpressions.html and
Expressions.ProjectionExpressions.html (read 2026-12) into a small tree of tuples (``Path``, ``Value``, ``Func``,
``Op``), so the checks (``expression_checks``) can answer what DynamoDB answers: a syntax error as DynamoDB words it
(``Syntax error; token: "<EOF>", near: "(pk"``), undefined and unused names and values, reserved words, unknown
functions, operand counts and types. Parsed trees are cached by text: they hold names, not values, so one tree
serves every request that sends the same expression.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

__all__ = ["ExpressionSyntaxError", "Func", "Op", "Path", "Value", "parse_condition", "parse_projection",
           "parse_update"]

_TOKEN = re.compile(r"""\s*(?:
    (?P<name>\#[A-Za-z0-9_]*) | (?P<value>:[A-Za-z0-9_]*) | (?P<ident>[A-Za-z_][A-Za-z0-9_]*) | (?P<number>[0-9]+)
    | (?P<op><>|<=|>=|[=<>()\[\],.+\-]) | (?P<other>\S) )""", re.VERBOSE)
_CONDITION_WORDS = frozenset({"AND", "OR", "NOT", "BETWEEN", "IN"})
_UPDATE_WORDS = frozenset({"SET", "REMOVE", "ADD", "DELETE"})
_COMPARATORS = frozenset({"=", "<>", "<", "<=", ">", ">="})


class Token(NamedTuple):
    kind: str  # name, value, ident, number, op, other, eof
    text: str
    start: int
    end: int


class Path(NamedTuple):
    """A document path: its elements, each ("ident", "a"), ("name", "#n") or ("index", 3)."""

    elements: tuple[tuple[str, object], ...]


class Value(NamedTuple):
    """An expression attribute value (``:v``)."""

    name: str


class Func(NamedTuple):
    """A function call: ``begins_with(a, :v)``, ``size(a)``, and in updates ``if_not_exists``, ``list_append``,
    ``+`` and ``-``."""

    name: str
    args: tuple


class Op(NamedTuple):
    """A condition: ``op`` is a comparator, "between", "in", "and", "or", "not", or in updates a section action
    ("set", "remove", "add", "delete" with ``args`` (path, value))."""

    op: str
    args: tuple
    redundant: bool = False  # written inside a redundant pair of parentheses


class ExpressionSyntaxError(ValueError):
    """An expression DynamoDB cannot parse; ``str()`` is DynamoDB's wording."""

    def __init__(self, token: str, near: str) -> None:
        super().__init__(f'Syntax error; token: "{token}", near: "{near}"')


def tokenize(text: str) -> list[Token]:
    tokens = []
    position = 0
    while True:
        found = _TOKEN.match(text, position)
        if found is None:
            break
        kind = found.lastgroup or "other"
        tokens.append(Token(kind, found.group(kind), found.start(kind), found.end(kind)))
        position = found.end()
    tokens.append(Token("eof", "<EOF>", len(text), len(text)))
    return tokens


class _Parser:
    """Recursive descent with backtracking (the grammar is a PEG); remembers the furthest token it could not take,
    which is the one a syntax error names."""

    def __init__(self, text: str, words: frozenset[str]) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.words = words
        self.pos = 0
        self.furthest = 0

    # ----------------------------------------------------------------------------------------- tokens

    def _fail(self) -> None:
        self.furthest = max(self.furthest, self.pos)

    def _op(self, text: str) -> bool:
        token = self.tokens[self.pos]
        if token.kind == "op" and token.text == text:
            self.pos += 1
            return True
        self._fail()
        return False

    def _word(self, word: str) -> bool:
        token = self.tokens[self.pos]
        if token.kind == "ident" and token.text.upper() == word:
            self.pos += 1
            return True
        self._fail()
        return False

    def _kind(self, kind: str) -> Token | None:
        token = self.tokens[self.pos]
        if token.kind == kind:
            self.pos += 1
            return token
        self._fail()
        return None

    def error(self) -> ExpressionSyntaxError:
        at = min(self.furthest, len(self.tokens) - 1)
        token = self.tokens[at]
        start = self.tokens[at - 1].start if at > 0 else 0
        end = self.tokens[at + 1].end if at + 1 < len(self.tokens) else token.end
        return ExpressionSyntaxError(token.text, self.text[start:end].strip())

    def end(self) -> None:
        if self.tokens[self.pos].kind != "eof":
            self._fail()
            raise self.error()

    # ------------------------------------------------------------------------------------------ paths

    def _identifier(self, path_start: bool) -> tuple[str, object] | None:
        token = self.tokens[self.pos]
        if token.kind == "name":
            self.pos += 1
            return ("name", token.text)
        if token.kind == "ident" and token.text.upper() not in self.words \
                and not (path_start and token.text[0] == "_"):
            self.pos += 1
            return ("ident", token.text)
        self._fail()
        return None

    def path(self, grouped: bool = False) -> Path | None:
        """``a.b[1].#c``; in conditions a path may sit in parentheses (``(a.b).c``)."""
        start = self.pos
        head = self._identifier(path_start=grouped)
        elements: list[tuple[str, object]]
        if head is not None:
            elements = [head]
        elif grouped and self._op("("):
            inner = self.path(grouped)
            if inner is None or not self._op(")"):
                self.pos = start
                return None
            elements = list(inner.elements)
        else:
            self.pos = start
            return None
        while True:
            mark = self.pos
            if self._op("["):
                number = self._kind("number")
                if number is not None and self._op("]"):
                    elements.append(("index", int(number.text)))
                    continue
            elif self._op("."):
                element = self._identifier(path_start=grouped)
                if element is not None:
                    elements.append(element)
                    continue
            self.pos = mark
            return Path(tuple(elements))

    # -------------------------------------------------------------------------------------- operands

    def function(self) -> Func | None:
        start = self.pos
        token = self.tokens[self.pos]
        if token.kind != "ident" or token.text.upper() in self.words:
            self._fail()
            return None
        self.pos += 1
        if not self._op("("):
            self.pos = start
            return None
        args = self.arguments()
        if args is None or not self._op(")"):
            self.pos = start
            return None
        return Func(token.text, tuple(args))

    def arguments(self) -> list | None:
        first = self.operand_parens()
        if first is None:
            return None
        found = [first]
        while True:
            mark = self.pos
            if self._op(","):
                following = self.operand_parens()
                if following is not None:
                    found.append(following)
                    continue
            self.pos = mark
            return found

    def operand(self) -> object | None:
        found = self.function()
        if found is not None:
            return found
        value = self._kind("value")
        if value is not None:
            return Value(value.text)
        return self.path(grouped=self.words is _CONDITION_WORDS)

    def operand_parens(self) -> object | None:
        start = self.pos
        if self._op("(") and self._op("("):
            found = self.operand()
            if found is not None and self._op(")") and self._op(")"):
                return Op("parens", (found,), redundant=True)
        self.pos = start
        if self._op("("):
            found = self.operand()
            if found is not None and self._op(")"):
                return found
        self.pos = start
        return self.operand()


class _Condition(_Parser):
    def __init__(self, text: str) -> None:
        super().__init__(text, _CONDITION_WORDS)

    def parse(self) -> Op | Func:
        found = self.or_()
        if found is None:
            raise self.error()
        self.end()
        return found

    def or_(self) -> object | None:
        left = self.and_()
        if left is None:
            return None
        mark = self.pos
        if self._word("OR"):
            right = self.or_()
            if right is not None:
                return Op("or", (left, right))
        self.pos = mark
        return left

    def and_(self) -> object | None:
        left = self.not_()
        if left is None:
            return None
        mark = self.pos
        if self._word("AND"):
            right = self.and_()
            if right is not None:
                return Op("and", (left, right))
        self.pos = mark
        return left

    def not_(self) -> object | None:
        mark = self.pos
        if self._word("NOT"):
            inner = self.parens()
            if inner is not None:
                return Op("not", (inner,))
        self.pos = mark
        return self.parens()

    def parens(self) -> object | None:
        start = self.pos
        if self._op("(") and self._op("("):
            for inner in (self.or_, self.comparison):
                mark = self.pos
                found = inner()
                if found is not None and self._op(")") and self._op(")"):
                    return Op("parens", (found,), redundant=True)
                self.pos = mark
        self.pos = start
        found = self.comparison()
        if found is not None:
            return found
        self.pos = start
        if self._op("("):
            found = self.or_()
            if found is not None and self._op(")"):
                return found
        self.pos = start
        return None

    def comparison(self) -> object | None:
        start = self.pos
        left = self.operand_parens()
        if left is not None:
            found = self._compare(left)
            if found is not None:
                return found
        self.pos = start
        return self.function()

    def _compare(self, left: object) -> Op | None:
        token = self.tokens[self.pos]
        mark = self.pos
        if token.kind == "op" and token.text in _COMPARATORS:
            self.pos += 1
            right = self.operand_parens()
            if right is not None:
                return Op(token.text, (left, right))
        self.pos = mark
        if self._word("BETWEEN"):
            low = self.operand_parens()
            if low is not None and self._word("AND"):
                high = self.operand_parens()
                if high is not None:
                    return Op("between", (left, low, high))
        self.pos = mark
        if self._word("IN") and self._op("("):
            items = self.arguments()
            if items is not None and self._op(")"):
                return Op("in", (left, *items))
        self.pos = mark
        self._fail()
        return None


class _Update(_Parser):
    def __init__(self, text: str) -> None:
        super().__init__(text, _UPDATE_WORDS)

    def parse(self) -> tuple[tuple[str, tuple[Op, ...]], ...]:
        sections: list[tuple[str, tuple[Op, ...]]] = []
        while self.tokens[self.pos].kind != "eof" or not sections:
            section = self.section()
            if section is None:
                raise self.error()
            sections.append(section)
        return tuple(sections)

    def section(self) -> tuple[str, tuple[Op, ...]] | None:
        for word, item in (("SET", self.set_action), ("REMOVE", self.remove_action), ("ADD", self.add_action),
                           ("DELETE", self.delete_action)):
            mark = self.pos
            if self._word(word):
                first = item()
                if first is None:
                    return None
                found = [first]
                while True:
                    comma = self.pos
                    if self._op(","):
                        following = item()
                        if following is not None:
                            found.append(following)
                            continue
                    self.pos = comma
                    return word, tuple(found)
            self.pos = mark
        return None

    def set_action(self) -> Op | None:
        target = self.path()
        if target is None or not self._op("="):
            return None
        start = self.pos
        if self._op("("):
            value = self.set_value()
            if value is not None and self._op(")"):
                return Op("set", (target, value))
        self.pos = start
        value = self.set_value()
        return Op("set", (target, value)) if value is not None else None

    def set_value(self) -> object | None:
        left = self.operand_parens()
        if left is None:
            return None
        mark = self.pos
        for sign in ("+", "-"):
            if self._op(sign):
                right = self.operand_parens()
                if right is not None:
                    return Func(sign, (left, right))
            self.pos = mark
        return left

    def remove_action(self) -> Op | None:
        target = self.path()
        return Op("remove", (target,)) if target is not None else None

    def add_action(self) -> Op | None:
        return self._path_value("add")

    def delete_action(self) -> Op | None:
        return self._path_value("delete")

    def _path_value(self, op: str) -> Op | None:
        target = self.path()
        value = self._kind("value") if target is not None else None
        return Op(op, (target, Value(value.text))) if value is not None else None


class _Projection(_Parser):
    def __init__(self, text: str) -> None:
        super().__init__(text, frozenset())

    def parse(self) -> tuple[Path, ...]:
        paths = []
        while True:
            found = self.path()
            if found is None:
                raise self.error()
            paths.append(found)
            if not self._op(","):
                break
        self.end()
        return tuple(paths)


@lru_cache(maxsize=4096)
def parse_condition(text: str) -> Op | Func:
    """The tree of a condition, filter or key-condition expression; ExpressionSyntaxError if it has none."""
    return _Condition(text).parse()


@lru_cache(maxsize=4096)
def parse_update(text: str) -> tuple[tuple[str, tuple[Op, ...]], ...]:
    """The sections of an update expression, in order: (SET, REMOVE, ADD or DELETE, its actions)."""
    return _Update(text).parse()


@lru_cache(maxsize=4096)
def parse_projection(text: str) -> tuple[Path, ...]:
    """The paths of a projection expression."""
    return _Projection(text).parse()
