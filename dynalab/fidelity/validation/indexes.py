"""Requests that name a secondary index: the index must exist, and a GSI serves eventually consistent reads only."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dynalab.fidelity.catalog import TableInfo

__all__ = ["GSI_CONSISTENT_READ", "index_problem"]

#: DynamoDB's answer to ConsistentRead=True on a GSI (measured on DynamoDB; moto 5.2.5 and dynalite say the same).
GSI_CONSISTENT_READ = "Consistent reads are not supported on global secondary indexes"


def index_problem(request: Mapping[str, Any], info: TableInfo | None) -> str | None:
    """DynamoDB's message for a Query/Scan of an index the table lacks, or a strongly consistent read of a GSI."""
    name = request.get("IndexName")
    if not name or info is None:
        return None
    index = info.index(name)
    if index is None:
        return f"The table does not have the specified index: {name}"
    if index.is_global and request.get("ConsistentRead"):
        return GSI_CONSISTENT_READ
    return None
