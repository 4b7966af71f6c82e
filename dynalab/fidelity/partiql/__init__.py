"""PartiQL through the pipeline: ExecuteStatement, BatchExecuteStatement and ExecuteTransaction are translated to the
operations they run (``translate``), so the layer validates, meters, throttles and records them like any other call
(a SELECT that quietly scans the table is metered as the Scan it is), and on moto, whose PartiQL is partial, a
stand-in runs them (``stand_in``).

``parser`` reads a statement (the one PartiQL parser of dynalab: the AWS guard reads a statement's table with it,
``dynalab.fidelity.aws_guard.partiql_target``); ``translate`` turns its tree into GetItem, Query, Scan, PutItem,
UpdateItem, DeleteItem, or a transaction's items; each translated request is then checked by the validation
phase's own rules (``dynalab.fidelity.validation.operations``), so an ``UPDATE ... SET pk = 'zz'`` is refused as an
UpdateItem of the key is: "Cannot update attribute pk. This attribute is part of the key".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dynalab.fidelity.call import PARTIQL_OPERATIONS, Run
from dynalab.fidelity.catalog import TableInfo
from dynalab.fidelity.partiql.parser import Exists, Insert, Select, StatementError, parse_statement
from dynalab.fidelity.partiql.translate import PARAMETER_COUNT, Translator

__all__ = ["OPERATIONS", "Statement", "Translation", "translate"]

OPERATIONS = PARTIQL_OPERATIONS
MIXED_TRANSACTION = "ExecuteTransaction API does not support both read and write operations in the same request."
MIXED_BATCH = "BatchExecuteStatement API does not support both read and write operations in the same request."
TRANSACTION_READ_KEY = "Select statements within ExecuteTransaction must specify the primary key in the where clause."
TRANSACTION_INDEX = "Reads on indices are not supported within transactions."
BATCH_READ_KEY = "Select statements within BatchExecuteStatement must specify the primary key in the where clause."
NOT_FOUND = ("ResourceNotFoundException", "Requested resource not found")
#: A statement is at most 8,192 characters (API_ParameterizedStatement.html: Statement, maximum length 8192).
STATEMENT_MAX_LENGTH = 8192
STATEMENT_TOO_LONG = f"Member must have length less than or equal to {STATEMENT_MAX_LENGTH}"
_ACTIONS = {"PutItem": "Put", "UpdateItem": "Update", "DeleteItem": "Delete", "ConditionCheck": "ConditionCheck",
            "GetItem": "Get"}


@dataclass
class Statement:
    """One statement: its table, whether it reads, the operations it runs, or the error DynamoDB answers it with."""

    text: str
    table: str | None = None
    reads: bool = True
    runs: list[Run] = field(default_factory=list)
    problem: tuple[str, str] | None = None


@dataclass
class Translation:
    """A PartiQL call's statements and the DynamoDB operations they run, in order. ``problem``: (code, message) the
    whole call is refused with; ``writes``: the statements write."""

    statements: list[Statement] = field(default_factory=list)
    runs: tuple[Run, ...] = ()
    tables: tuple[str, ...] = ()
    writes: bool = False
    problem: tuple[str, str] | None = None


def _one(text: Any, parameters: Any, info: Callable[[str], TableInfo | None], *, consistent: bool = False,
         limit: int | None = None, in_transaction: bool = False) -> Statement:
    statement = Statement(str(text))
    if isinstance(text, str) and len(text) > STATEMENT_MAX_LENGTH:
        statement.problem = ("ValidationException", STATEMENT_TOO_LONG)
        return statement
    try:
        parsed = parse_statement(text)
        tree = parsed.statement
        statement.table = (tree.select if isinstance(tree, Exists) else tree).table
        statement.reads = isinstance(tree, Select)
        if len(parameters or []) < parsed.parameters:
            raise StatementError(PARAMETER_COUNT)
        translator = Translator(parameters or [], info)
        if isinstance(tree, Select):
            if in_transaction and tree.index:
                raise StatementError(TRANSACTION_INDEX)
            statement.runs = [Run(op, request) for op, request in translator.select(tree, consistent, limit)]
        elif isinstance(tree, Exists):
            statement.runs = [Run(*translator.exists(tree))]
        elif isinstance(tree, Insert):
            statement.runs = [Run(*translator.insert(tree))]
        else:
            statement.runs = [Run(*getattr(translator, type(tree).__name__.lower())(tree))]
    except StatementError as error:
        statement.problem = ("ValidationException", str(error))
    except LookupError:
        statement.problem = NOT_FOUND
    return statement


def _checked(statement: Statement, info: Callable[[str], TableInfo | None]) -> Statement:
    """The statement, with DynamoDB's refusal of the first operation it runs that DynamoDB refuses (its size and
    count limits, then its operation's rules)."""
    from dynalab.fidelity import limits
    from dynalab.fidelity.validation.operations import CHECKS

    for run in statement.runs:
        check = CHECKS.get(run.operation)
        message = limits.problem(run.operation, run.request) or (check(run.request, info) if check else None)
        if message:
            statement.problem = ("ValidationException", message)
            break
    return statement


def _execute_statement(request: Mapping[str, Any], info: Callable) -> Translation:
    statement = _checked(_one(request.get("Statement"), request.get("Parameters"), info,
                              consistent=bool(request.get("ConsistentRead")), limit=request.get("Limit")), info)
    translation = Translation([statement], tables=(statement.table,) if statement.table else (),
                              writes=not statement.reads)
    if statement.problem is not None:
        translation.problem = statement.problem if statement.problem != NOT_FOUND else None
        return translation
    translation.runs = tuple(statement.runs)
    return translation


def _batch(request: Mapping[str, Any], info: Callable) -> Translation:
    statements = []
    for entry in request.get("Statements") or []:
        statement = _checked(_one(entry.get("Statement"), entry.get("Parameters"), info,
                                  consistent=bool(entry.get("ConsistentRead"))), info)
        if statement.problem is None and statement.reads and any(run.operation != "GetItem"
                                                                 for run in statement.runs):
            statement.problem = ("ValidationException", BATCH_READ_KEY)
        statements.append(statement)
    translation = Translation(statements, tables=tuple(dict.fromkeys(s.table for s in statements if s.table)))
    kinds = {statement.reads for statement in statements if statement.table}
    if len(kinds) > 1:
        translation.problem = ("ValidationException", MIXED_BATCH)
        return translation
    translation.writes = kinds == {False}
    translation.runs = tuple(run for statement in statements if statement.problem is None for run in statement.runs)
    return translation


def _transaction(request: Mapping[str, Any], info: Callable) -> Translation:
    statements = [_one(entry.get("Statement"), entry.get("Parameters"), info, in_transaction=True)
                  for entry in request.get("TransactStatements") or []]
    translation = Translation(statements, tables=tuple(dict.fromkeys(s.table for s in statements if s.table)))
    for statement in statements:
        if statement.problem is not None:
            translation.problem = statement.problem if statement.problem != NOT_FOUND else None
            return translation
    if len({statement.reads for statement in statements}) > 1:
        translation.problem = ("ValidationException", MIXED_TRANSACTION)
        return translation
    reads = bool(statements) and statements[0].reads
    items = []
    for statement in statements:
        run = statement.runs[0]
        if reads and (len(statement.runs) != 1 or run.operation != "GetItem"):
            translation.problem = ("ValidationException", TRANSACTION_READ_KEY)
            return translation
        items.append({_ACTIONS[run.operation]: dict(run.request)})
    operation = "TransactGetItems" if reads else "TransactWriteItems"
    run = Run(operation, {"TransactItems": items})
    checked = _checked(Statement("", runs=[run]), info)
    translation.problem = checked.problem
    translation.writes = not reads
    translation.runs = (run,) if checked.problem is None else ()
    return translation


def translate(operation: str, request: Mapping[str, Any],
              info: Callable[[str], TableInfo | None]) -> Translation | None:
    """The translation of a PartiQL call (None for any other operation)."""
    if operation == "ExecuteStatement":
        return _execute_statement(request, info)
    if operation == "BatchExecuteStatement":
        return _batch(request, info)
    if operation == "ExecuteTransaction":
        return _transaction(request, info)
    return None
