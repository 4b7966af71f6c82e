"""A parser for PartiQL as DynamoDB reads it (ql-reference.select.html, .insert, .update, .delete, ql-functions.html,
ql-operators.html, read 2026-12): SELECT, INSERT, UPDATE, DELETE and, in transactions, EXISTS(SELECT ...).

The tree is tuples (``Select``, ``Insert``, ``Update``, ``Delete``, ``Exists``; in conditions ``Cond``; values
``Literal``, ``Param``, ``Path``, ``Call``), small enough for the translator (``translate``) to turn a statement into
the GetItem, Query, Scan or write it runs. A statement it cannot read raises ``StatementError`` with DynamoDB's
words, "Statement wasn't well formed, can't be processed: ..." (the detail after the colon is dynalab's).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, NamedTuple

__all__ = ["Call", "Cond", "Delete", "Exists", "Insert", "Literal", "Param", "Path", "Select", "StatementError",
           "Update", "parse_statement"]

_TOKEN = re.compile(r"""\s*(?:
    (?P<comment>--[^\n]*|/\*.*?\*/)
    | (?P<string>'(?:[^']|'')*')
    | (?P<quoted>"(?:[^"]|"")*")
    | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
    | (?P<word>[A-Za-z_][A-Za-z0-9_$]*)
    | (?P<op><<|>>|<>|!=|<=|>=|[=<>(),.\[\]{}:*?+\-;])
    | (?P<other>\S))""", re.VERBOSE | re.DOTALL)
NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: "


class StatementError(ValueError):
    """A statement DynamoDB refuses; ``str()`` is DynamoDB's message."""


class Literal(NamedTuple):
    """A typed value written in the statement (``{"S": "a"}``, ``{"N": "1"}``, a struct as ``{"M": ...}``...)."""

    value: Any


class Param(NamedTuple):
    """A ``?``: the ``index``-th of the request's Parameters."""

    index: int


class Path(NamedTuple):
    """A document path: names (str) and list indexes (int)."""

    elements: tuple


class Call(NamedTuple):
    """A function: begins_with, contains, attribute_type, size, list_append, set_add, set_delete, exists."""

    name: str
    args: tuple


class Cond(NamedTuple):
    """A condition: ``op`` is a comparator, "between", "in", "is", "is not", "and", "or" or "not"."""

    op: str
    args: tuple


class Select(NamedTuple):
    projection: tuple[Path, ...] | None  # None: *
    table: str
    index: str | None
    where: Any
    order: tuple[tuple[Path, bool], ...]  # (path, descending)


class Insert(NamedTuple):
    table: str
    item: Any  # a Literal struct, or a Param


class Update(NamedTuple):
    table: str
    actions: tuple[tuple[str, Path, Any], ...]  # ("set", path, value) | ("remove", path, None)
    where: Any
    returning: str | None  # ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW


class Delete(NamedTuple):
    table: str
    where: Any
    returning: str | None


class Exists(NamedTuple):
    select: Select


class _Token(NamedTuple):
    kind: str
    text: str


def _tokenize(text: str) -> tuple[list[_Token], bool]:
    """The statement's tokens, ending with an "eof" token, and whether it holds a comment (comments read nothing,
    but the AWS guard refuses a statement that has one)."""
    found, position, commented = [], 0, False
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        kind = match.lastgroup or "other"
        if kind == "comment":
            commented = True
        else:
            found.append(_Token(kind, match.group(kind)))
    while found and found[-1].text == ";":
        found.pop()
    found.append(_Token("eof", ""))
    return found, commented


_COMPARATORS = {"=": "=", "<>": "<>", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_RETURNING = {("ALL", "OLD"): "ALL_OLD", ("MODIFIED", "OLD"): "UPDATED_OLD", ("ALL", "NEW"): "ALL_NEW",
              ("MODIFIED", "NEW"): "UPDATED_NEW"}


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens, self.commented = _tokenize(text)
        self.at = 0
        self.params = 0

    # ---------------------------------------------------------------------------------------- tokens

    def peek(self, offset: int = 0) -> _Token:
        return self.tokens[min(self.at + offset, len(self.tokens) - 1)]

    def fail(self, detail: str | None = None) -> StatementError:
        token = self.peek()
        return StatementError(NOT_WELL_FORMED + (detail or (f"Unexpected token: {token.text}" if token.text
                                                            else "Unexpected end of statement")))

    def word(self, *words: str) -> bool:
        token = self.peek()
        if token.kind == "word" and token.text.upper() in words:
            self.at += 1
            return True
        return False

    def need_word(self, word: str) -> None:
        if not self.word(word):
            raise self.fail()

    def op(self, text: str) -> bool:
        if self.peek().kind == "op" and self.peek().text == text:
            self.at += 1
            return True
        return False

    def need_op(self, text: str) -> None:
        if not self.op(text):
            raise self.fail()

    def end(self) -> None:
        if self.peek().kind != "eof":
            raise self.fail("Only one operation is allowed in a statement." if self.peek().text.upper() in (
                "SELECT", "INSERT", "UPDATE", "DELETE") else None)

    # ---------------------------------------------------------------------------------------- statements

    def statement(self) -> Any:
        if self.word("SELECT"):
            found = self.select()
        elif self.word("INSERT"):
            found = self.insert()
        elif self.word("UPDATE"):
            found = self.update()
        elif self.word("DELETE"):
            found = self.delete()
        elif self.peek().text.upper() == "EXISTS":
            self.at += 1
            self.need_op("(")
            self.need_word("SELECT")
            found = Exists(self.select())
            self.need_op(")")
        else:
            raise self.fail("Expected data manipulation")
        self.end()
        return found

    def name(self) -> str:
        token = self.peek()
        if token.kind == "quoted":
            self.at += 1
            return token.text[1:-1].replace('""', '"')
        if token.kind == "word":
            self.at += 1
            return token.text
        raise self.fail()

    def source(self) -> tuple[str, str | None]:
        table = self.name()
        index = self.name() if self.op(".") else None
        return table, index

    def select(self) -> Select:
        projection: tuple[Path, ...] | None = None
        if not self.op("*"):
            paths = [self.path()]
            while self.op(","):
                paths.append(self.path())
            projection = tuple(paths)
        self.need_word("FROM")
        table, index = self.source()
        where = self.condition() if self.word("WHERE") else None
        order: list[tuple[Path, bool]] = []
        if self.word("ORDER"):
            self.need_word("BY")
            while True:
                path = self.path()
                descending = self.word("DESC")
                if not descending:
                    self.word("ASC")
                order.append((path, descending))
                if not self.op(","):
                    break
        return Select(projection, table, index, where, tuple(order))

    def insert(self) -> Insert:
        self.need_word("INTO")
        table = self.name()
        if not self.word("VALUE"):
            raise self.fail("Unsupported operation: Inserting multiple items in a single statement is not supported, "
                            "use \"INSERT INTO tableName VALUE item\" instead" if self.word("VALUES") else None)
        item = self.value()
        if self.word("RETURNING"):
            raise StatementError("RETURNING is not supported in INSERT")
        return Insert(table, item)

    def update(self) -> Update:
        table = self.name()
        actions: list[tuple[str, Path, Any]] = []
        while self.peek().text.upper() in ("SET", "REMOVE"):
            verb = self.peek().text.lower()
            self.at += 1
            while True:
                path = self.path()
                if verb == "set":
                    self.need_op("=")
                    actions.append(("set", path, self.operand()))
                else:
                    actions.append(("remove", path, None))
                if not self.op(","):
                    break
        if not actions:
            raise self.fail()
        self.need_word("WHERE")
        where = self.condition()
        return Update(table, tuple(actions), where, self.returning())

    def delete(self) -> Delete:
        self.need_word("FROM")
        table = self.name()
        self.need_word("WHERE")
        where = self.condition()
        return Delete(table, where, self.returning())

    def returning(self) -> str | None:
        if not self.word("RETURNING"):
            return None
        first = self.peek().text.upper()
        self.at += 1
        second = self.peek().text.upper()
        self.at += 1
        if (first, second) not in _RETURNING or not self.op("*"):
            raise StatementError("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause")
        return _RETURNING[(first, second)]

    # ---------------------------------------------------------------------------------------- conditions

    def condition(self) -> Any:
        left = self.conjunction()
        while self.word("OR"):
            left = Cond("or", (left, self.conjunction()))
        return left

    def conjunction(self) -> Any:
        left = self.negation()
        while self.word("AND"):
            left = Cond("and", (left, self.negation()))
        return left

    def negation(self) -> Any:
        if self.word("NOT"):
            return Cond("not", (self.negation(),))
        return self.predicate()

    def predicate(self) -> Any:
        if self.peek().text == "(":
            mark = self.at
            self.at += 1
            try:
                inner = self.condition()
                self.need_op(")")
                if self.peek().kind == "op" and self.peek().text in _COMPARATORS:
                    raise self.fail()
                return inner
            except StatementError:
                self.at = mark
        left = self.operand()
        token = self.peek()
        if token.kind == "op" and token.text in _COMPARATORS:
            self.at += 1
            return Cond(_COMPARATORS[token.text], (left, self.operand()))
        if self.word("BETWEEN"):
            low = self.operand()
            self.need_word("AND")
            return Cond("between", (left, low, self.operand()))
        if self.word("IN"):
            return Cond("in", (left, *self.members()))
        if self.word("IS"):
            negated = self.word("NOT")
            kind = self.peek().text.upper()
            if kind not in ("MISSING", "NULL"):
                raise self.fail()
            self.at += 1
            return Cond("is not" if negated else "is", (left, kind))
        if isinstance(left, Call):
            return left
        raise self.fail()

    def members(self) -> tuple:
        closing = {"(": ")", "[": "]", "<<": ">>"}.get(self.peek().text)
        if closing is None:
            raise StatementError("IN operator must have a left hand argument of type Variable Reference and right "
                                 "hand argument of type Seq with at least one member")
        self.at += 1
        found = [self.operand()]
        while self.op(","):
            found.append(self.operand())
        self.need_op(closing)
        return tuple(found)

    # ----------------------------------------------------------------------------------------- operands

    def path(self) -> Path:
        elements: list[Any] = [self.name()]
        while True:
            if self.op("."):
                elements.append(self.name())
            elif self.op("["):
                token = self.peek()
                if token.kind == "number" and token.text.isdigit():
                    self.at += 1
                    elements.append(int(token.text))
                elif token.kind == "string":
                    self.at += 1
                    elements.append(token.text[1:-1].replace("''", "'"))
                else:
                    raise self.fail()
                self.need_op("]")
            else:
                return Path(tuple(elements))

    def operand(self) -> Any:
        token = self.peek()
        if token.kind == "word" and self.peek(1).text == "(" and token.text.upper() not in (
                "TRUE", "FALSE", "NULL", "MISSING"):
            self.at += 2
            args = [] if self.op(")") else None
            if args is None:
                args = [self.operand()]
                while self.op(","):
                    args.append(self.operand())
                self.need_op(")")
            return Call(token.text.lower(), tuple(args))
        if token.kind in ("word", "quoted") and token.text.upper() not in ("TRUE", "FALSE", "NULL", "MISSING"):
            path = self.path()
            for sign in ("+", "-"):
                if self.op(sign):
                    return Call(sign, (path, self.operand()))
            return path
        return self.value()

    def value(self) -> Any:
        token = self.peek()
        self.at += 1
        if token.kind == "string":
            return Literal({"S": token.text[1:-1].replace("''", "'")})
        if token.kind == "number":
            return Literal({"N": token.text})
        if token.text == "-" and self.peek().kind == "number":
            number = self.peek().text
            self.at += 1
            return Literal({"N": "-" + number})
        if token.text == "?":
            self.params += 1
            return Param(self.params - 1)
        upper = token.text.upper() if token.kind == "word" else ""
        if upper in ("TRUE", "FALSE"):
            return Literal({"BOOL": upper == "TRUE"})
        if upper == "NULL":
            return Literal({"NULL": True})
        if token.text in ("{", "[", "<<"):
            return self.collection(token.text)
        self.at -= 1
        raise self.fail()

    def collection(self, opening: str) -> Any:
        closing = {"{": "}", "[": "]", "<<": ">>"}[opening]
        members: list[Any] = []
        fields: list[tuple[str, Any]] = []
        if not self.op(closing):
            while True:
                if opening == "{":
                    key = self.peek()
                    if key.kind != "string":
                        raise self.fail()
                    self.at += 1
                    self.need_op(":")
                    fields.append((key.text[1:-1].replace("''", "'"), self.value()))
                else:
                    members.append(self.value())
                if not self.op(","):
                    break
            self.need_op(closing)
        if opening == "{":
            return Call("struct", tuple(fields))
        return Call("list" if opening == "[" else "bag", tuple(members))


class Parsed(NamedTuple):
    statement: Any
    parameters: int
    commented: bool = False  # the statement holds a comment (``--`` or ``/* */``)

    @property
    def target(self) -> tuple[str, str | None]:
        """The one table the statement reads or writes, and the index it reads (None: the table itself)."""
        tree = self.statement.select if isinstance(self.statement, Exists) else self.statement
        return tree.table, tree.index if isinstance(tree, Select) else None


@lru_cache(maxsize=2048)
def parse_statement(text: str) -> Parsed:
    """The tree of one PartiQL statement and the number of ``?`` it holds; StatementError if DynamoDB would refuse
    to read it."""
    if not isinstance(text, str) or not text.strip():
        raise StatementError(NOT_WELL_FORMED + "Unexpected end of statement")
    parser = _Parser(text)
    statement = parser.statement()
    return Parsed(statement, parser.params, parser.commented)
