"""On real AWS, let dynalab's clients touch only tables dynalab created: those named with its prefix.

A learner who opted into AWS (``DYNALAB_ENDPOINT=aws``) types boto3 calls by hand; one typo must not read, write or
delete a production table. Every request naming a table without the prefix is refused before it is sent.
"""

from __future__ import annotations

from typing import Any

from dynalab.fidelity import aws_error
from dynalab.fidelity.requests import tables_named
from dynalab.i18n import tr

__all__ = ["AwsTableGuard", "tables_named"]


class AwsTableGuard:
    """Refuses any request that names a table without ``prefix``."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def before_call(self, operation: str, request_dict: dict, context: dict[str, Any]) -> None:
        foreign = sorted(n for n in tables_named(context.get("dynalab_request", {})) if not n.startswith(self.prefix))
        if foreign:
            raise aws_error(
                "DynalabRefused",
                tr("dynalab on AWS touches only its own tables (names starting with {prefix!r}); "
                   "{operation} names {tables}. Use lab.table_name('...') for lesson tables.", prefix=self.prefix,
                   operation=operation, tables=', '.join(foreign)),
                operation,
            )
