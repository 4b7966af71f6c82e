"""DynamoDB's validation, in DynamoDB's words (``Phase.VALIDATE``): what DynamoDB refuses, the layer refuses before
the request reaches the engine, with DynamoDB's error code and message, so a refused call changes nothing.
"""

from __future__ import annotations

from dynalab.fidelity import aws_error, limits
from dynalab.fidelity.call import Call, Phase
from dynalab.fidelity.validation.indexes import index_problem

__all__ = ["Validation"]


class Validation:
    """The validation phase: the first of DynamoDB's rules a call breaks is answered as DynamoDB answers it."""

    phase = Phase.VALIDATE

    def before_call(self, call: Call) -> None:
        message = self.problem(call)
        if message is not None:
            raise aws_error("ValidationException", message, call.operation)

    @staticmethod
    def problem(call: Call) -> str | None:
        request = call.request
        message = limits.problem(call.operation, request)
        if message is None and call.operation in ("Query", "Scan"):
            message = index_problem(request, call.table_info(request.get("TableName", "")))
        return message
