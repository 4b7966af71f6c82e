"""DynamoDB's validation, in DynamoDB's words (``Phase.VALIDATE``): what DynamoDB refuses, the layer refuses before
the request reaches the engine, with DynamoDB's error code and message, so a refused call changes nothing and a
learner who tries a mistake sees DynamoDB's answer (moto stores some of these requests, and answers others with
HTTP 500).

The checks run in the order DynamoDB runs them: the size and count limits (``dynalab.fidelity.limits``) and the
API model's constraints (``constraints``); then each operation's own rules (``operations``): attribute values and
names (``values``), expressions (``expressions`` parses them, ``expression_checks`` checks names, values,
functions and operands), then the request against the table's key schema (``keys``, ``reads``); CreateTable's
rules (``tables``); PartiQL statements (``dynalab.fidelity.partiql``). The messages are DynamoDB's, as the
independent engine dynalite reproduces them; ``tests/dynalite/test_validation_differential.py`` sends the same
malformed calls to dynalite and to the embedded engine through this layer and compares the answers.
"""

from __future__ import annotations

from dynalab.fidelity import aws_error, limits
from dynalab.fidelity.call import Call, Phase
from dynalab.fidelity.validation.constraints import constraints_problem
from dynalab.fidelity.validation.operations import CHECKS
from dynalab.fidelity.validation.tables import create_table_problem

__all__ = ["Validation", "problem"]


def problem(call: Call) -> tuple[str, str] | None:
    """(error code, DynamoDB's message) for the first of DynamoDB's rules the call breaks, or None."""
    operation, request = call.operation, call.request
    message = limits.problem(operation, request, call.size_of) or constraints_problem(operation, request, call.model)
    if message is None:
        check = CHECKS.get(operation)
        if check is not None:
            message = check(request, call.table_info)
        elif operation == "CreateTable":
            message = create_table_problem(request)
        elif call.translation is not None:
            return call.translation.problem
    return ("ValidationException", message) if message is not None else None


class Validation:
    """The validation phase: the first of DynamoDB's rules a call breaks is answered as DynamoDB answers it."""

    phase = Phase.VALIDATE

    def before_call(self, call: Call) -> None:
        found = problem(call)
        if found is not None:
            code, message = found
            raise aws_error(code, message, call.operation)
