"""What the layer knows of each table: its key schema, key types and secondary indexes, from one DescribeTable.

Validation checks keys against the schema, the old-items reader normalises keys, the meter charges indexes and the
throttle finds a GSI's capacity: all from one ``TableCatalog`` per connection, which asks the engine once per table
(on a client without the layer, so the learner's units never include it) and forgets a table when a call through
the layer creates, deletes, updates or restores it.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any, NamedTuple

from dynalab.models.indexes import SecondaryIndex, indexes_from_description

__all__ = ["TableCatalog", "TableInfo"]

#: Calls after which what is known of a table (or of every table) may be out of date.
FORGET_TABLE = frozenset({"CreateTable", "DeleteTable", "UpdateTable", "RestoreTableFromBackup",
                          "RestoreTableToPointInTime"})
FORGET_ALL = frozenset({"ImportTable"})


class TableInfo(NamedTuple):
    """A table's key attributes (partition key first), its secondary indexes, the types of the attributes its keys
    and its indexes' keys use (``AttributeDefinitions``: name -> "S", "N" or "B") and, for a global table, its
    replicas' Regions (DescribeTable's ``Replicas``; the Region described included)."""

    key_attributes: tuple[str, ...]
    indexes: tuple[SecondaryIndex, ...]
    attribute_types: Mapping[str, str] = {}
    replica_regions: tuple[str, ...] = ()

    @property
    def partition_key(self) -> str:
        return self.key_attributes[0]

    def index(self, name: str | None) -> SecondaryIndex | None:
        return next((index for index in self.indexes if index.name == name), None) if name else None

    @property
    def has_local_index(self) -> bool:
        return any(not index.is_global for index in self.indexes)


def table_info(description: Mapping[str, Any]) -> TableInfo:
    """A ``TableInfo`` from a DescribeTable ``Table`` description."""
    keys, indexes = indexes_from_description(description)
    types = {d["AttributeName"]: d["AttributeType"] for d in description.get("AttributeDefinitions") or ()}
    replicas = tuple(replica["RegionName"] for replica in description.get("Replicas") or ())
    return TableInfo(keys, tuple(indexes), types, replicas)


class TableCatalog:
    """Table descriptions by name, asked of the engine once each (``describe``: a plain, unmetered client's
    ``describe_table``, or None when there is none, as on AWS: then nothing is known)."""

    def __init__(self, client: Any = None) -> None:
        self._client = client
        self._tables: dict[str, TableInfo] = {}
        self._lock = threading.Lock()

    def info(self, table: str) -> TableInfo | None:
        """The table's ``TableInfo``, or None (no such table, no engine to ask, a dead engine)."""
        found = self._tables.get(table)
        if found is not None or self._client is None or not isinstance(table, str) or not table:
            return found
        try:
            found = table_info(self._client.describe_table(TableName=table)["Table"])
        except Exception:  # a missing table, a dead engine: the call itself will say so
            return None
        with self._lock:
            self._tables[table] = found
        return found

    def forget(self, table: str | None) -> None:
        """Forget one table (None: every table)."""
        with self._lock:
            if table is None:
                self._tables.clear()
            else:
                self._tables.pop(table, None)

    def after_call(self, call: Any) -> None:
        """Forget what a control-plane call through the layer may have changed."""
        if call.operation in FORGET_TABLE:
            self.forget(call.request.get("TableName"))
        elif call.operation in FORGET_ALL:
            self.forget(None)
