"""On real AWS, let dynalab's clients touch only tables dynalab created: those named with its prefix.

A learner who opted into AWS (``DYNALAB_ENDPOINT=aws``) types boto3 calls by hand; one typo must not read, write or
delete a production table. Every request naming a table without the prefix is refused before it is sent.
"""

from __future__ import annotations

from typing import Any

from dynalab.fidelity import aws_error


def tables_named(request: dict) -> set[str]:
    """Every table a DynamoDB request names (single-table calls, batches, transactions, streams by ARN)."""
    names: set[str] = set()
    if isinstance(request.get("TableName"), str):
        names.add(request["TableName"])
    names.update(request.get("RequestItems", {}) or {})
    for action in request.get("TransactItems", []) or []:
        for body in action.values():
            if isinstance(body, dict) and isinstance(body.get("TableName"), str):
                names.add(body["TableName"])
    arn = request.get("StreamArn") or request.get("ResourceArn")
    if isinstance(arn, str) and ":table/" in arn:
        names.add(arn.split(":table/", 1)[1].split("/", 1)[0])
    return names


class AwsTableGuard:
    """Refuses any request that names a table without ``prefix``."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def before_call(self, operation: str, request_dict: dict, context: dict[str, Any]) -> None:
        foreign = sorted(n for n in tables_named(context.get("dynalab_request", {})) if not n.startswith(self.prefix))
        if foreign:
            raise aws_error(
                "DynalabRefused",
                f"dynalab on AWS touches only its own tables (names starting with {self.prefix!r}); "
                f"{operation} names {', '.join(foreign)}. Use lab.table_name('...') for lesson tables.",
                operation,
            )
