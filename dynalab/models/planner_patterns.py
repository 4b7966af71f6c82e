"""The planner's input: a table design (keys, indexes, access patterns) validated, and each pattern's units per request.

``parse_design(design)`` checks a design dict field by field (a bad field is a ValueError naming the table, index or
pattern, the field and the allowed values) and returns the table, its indexes and one ``PatternPlan`` per pattern:
its typed ``PatternRequest`` (what one request reads or writes) and the units it costs the table and each index,
with the arithmetic in words. Every rule comes from the course's models (``dynalab.models.capacity``,
``dynalab.models.indexes``); ``dynalab.models.planner`` turns these into the plan (capacity, partitions, the bill).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dynalab.i18n import N_, tr
from dynalab.models.capacity import (
    CONSISTENCIES,
    delete_write_units,
    page_read_units,
    put_write_units,
    read_blocks,
    read_units,
    write_blocks,
    write_units,
)
from dynalab.models.indexes import PROJECTION_TYPES, entry_size_bytes
from dynalab.models.quotas import (
    BATCH_GET_MAX_KEYS,
    BATCH_WRITE_MAX_REQUESTS,
    GLOBAL_SECONDARY_INDEXES_PER_TABLE,
    MAX_ITEM_SIZE_BYTES,
    MODEL_MAX_SIZE_GB,
    PAGE_LIMIT_BYTES,
    TABLE_NAME_LENGTHS,
    TABLE_NAME_PATTERN,
    TRANSACTION_MAX_ACTIONS,
)

__all__ = [
    "DEFAULT_INDEX_KEY_BYTES",
    "DEFAULT_TABLE_KEY_BYTES",
    "OPERATIONS",
    "PROJECTIONS",
    "IndexDesign",
    "PatternPlan",
    "PatternRequest",
    "TableDesign",
    "parse_design",
]

#: operation -> "read" or "write"
OPERATIONS: dict[str, str] = {
    "GetItem": "read", "Query": "read", "Scan": "read", "BatchGetItem": "read", "TransactGetItems": "read",
    "PutItem": "write", "UpdateItem": "write", "DeleteItem": "write", "BatchWriteItem": "write",
    "TransactWriteItems": "write",
}
PROJECTIONS = PROJECTION_TYPES

#: Defaults a design may leave out (shown by ``TablePlan.describe``): the bytes of the table's key attributes and
#: of an index's key attributes (names + values), used for KEYS_ONLY and INCLUDE entries and for verify's items.
DEFAULT_TABLE_KEY_BYTES = 32
DEFAULT_INDEX_KEY_BYTES = 24

#: dynalab's bounds on a design (the planner's own, not AWS limits): the items a planned Query or Scan reads per
#: request, the 1 MB pages they fill (each page is priced on its own: 10**7 items of 400 KB, 3.3 million pages,
#: took 28 s), the patterns of one design and their rates (a billion requests a second)
MAX_QUERY_ITEMS = 10_000_000
MAX_QUERY_PAGES = 1_000
MAX_PATTERNS = 100
MAX_REQUESTS_PER_SECOND = 10**9

_TABLE_FIELDS = ("name", "partition_key", "sort_key", "size_gb", "key_bytes")
_INDEX_FIELDS = ("name", "projection", "partition_key", "sort_key", "key_bytes", "projected_bytes", "keys", "size_gb")
_TOP_FIELDS = ("table", "indexes", "patterns")
#: fields each operation takes besides name, operation, per_second and keys
_PATTERN_FIELDS: dict[str, tuple[str, ...]] = {
    "GetItem": ("item_bytes", "consistency"),
    "Query": ("items", "item_bytes", "consistency", "index"),
    "Scan": ("items", "item_bytes", "consistency", "index"),
    "BatchGetItem": ("items", "item_bytes", "consistency"),
    "TransactGetItems": ("items", "item_bytes", "consistency"),
    "PutItem": ("item_bytes", "before_bytes", "indexes", "changes_index_key"),
    "UpdateItem": ("before_bytes", "after_bytes", "indexes", "changes_index_key"),
    "DeleteItem": ("item_bytes", "indexes"),
    "BatchWriteItem": ("items", "item_bytes", "indexes"),
    "TransactWriteItems": ("items", "item_bytes", "indexes"),
}
_COMMON_FIELDS = ("name", "operation", "per_second", "keys")
#: the most items one request of each operation may carry (ServiceQuotas.html, transaction-apis.html)
_MAX_ITEMS = {"BatchGetItem": BATCH_GET_MAX_KEYS, "BatchWriteItem": BATCH_WRITE_MAX_REQUESTS,
              "TransactGetItems": TRANSACTION_MAX_ACTIONS, "TransactWriteItems": TRANSACTION_MAX_ACTIONS}



# ----------------------------------------------------------------------------------------------- validation


def _fail(where: str, message: str) -> ValueError:
    return ValueError(f"{where}: {message}")


def _fields(where: str, spec: Any, allowed: Sequence[str], required: Sequence[str] = ()) -> Mapping[str, Any]:
    if not isinstance(spec, Mapping):
        raise _fail(where, tr("must be a mapping of {choices}; got {type} {spec!r:.60}",
                              choices=", ".join(allowed), type=type(spec).__name__, spec=spec))
    unknown = [name for name in spec if name not in allowed]
    if unknown:
        raise _fail(where, tr("unknown field(s) {choices}; allowed: {allowed}",
                              choices=", ".join(map(repr, unknown)), allowed=', '.join(allowed)))
    missing = [name for name in required if name not in spec]
    if missing:
        raise _fail(where, tr("missing field(s) {choices}", choices=", ".join(missing)))
    return spec


def _name(where: str, field_name: str, value: Any) -> str:
    low, high = TABLE_NAME_LENGTHS
    if not isinstance(value, str) or not low <= len(value) <= high or not re.fullmatch(TABLE_NAME_PATTERN, value):
        raise _fail(where, tr("{field_name} must be {low} to {high} characters of a-z, A-Z, 0-9, '_', '-' and '.'; "
                              "got {value!r}", field_name=field_name, low=low, high=high, value=value))
    return value


def _attribute(where: str, field_name: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise _fail(where, tr("{field_name} must be a non-empty attribute name; got {value!r}",
                              field_name=field_name, value=value))
    return value


def _integer(where: str, field_name: str, value: Any, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < low \
            or (high is not None and value > high):
        allowed = (tr("from {low} to {high}", low=f"{low:,}", high=f"{high:,}") if high is not None
                   else tr(">= {low}", low=f"{low:,}"))
        raise _fail(where, tr("{field_name} must be a whole number {allowed}; got {value!r}",
                              field_name=field_name, allowed=allowed, value=value))
    return int(value)


def _number(where: str, field_name: str, value: Any, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating) \
            or not math.isfinite(float(value)) or not 0 <= float(value) <= high:
        raise _fail(where, tr("{field_name} must be a finite number from 0 to {high:,}; got {value!r}",
                              field_name=field_name, high=high, value=value))
    return float(value)


def _bytes(where: str, field_name: str, value: Any) -> int:
    return _integer(where, field_name, value, 1, MAX_ITEM_SIZE_BYTES)


# ---------------------------------------------------------------------------------------------- the design


@dataclass(frozen=True)
class TableDesign:
    name: str
    partition_key: str
    sort_key: str | None
    size_gb: float
    key_bytes: int  # the table's key attributes, names + values


@dataclass(frozen=True)
class IndexDesign:
    """A global secondary index: its projection, its key attributes and (INCLUDE) the projected bytes."""

    name: str
    projection: str
    partition_key: str
    sort_key: str | None
    key_bytes: int  # the index's key attributes, names + values
    projected_bytes: int  # INCLUDE: the non-key attributes projected (0 for ALL and KEYS_ONLY)
    keys: int  # distinct values of the index partition key the writes spread over (1: the worst case)
    size_gb: float | None = None  # the index's storage, if the design gives it (else estimated by the plan)

    def entry_bytes(self, item_bytes: int, table_key_bytes: int) -> int:
        """The size of this index's entry for a table item of ``item_bytes`` (``dynalab.models.indexes``)."""
        return entry_size_bytes(self.projection, item_bytes=item_bytes, key_bytes=table_key_bytes + self.key_bytes,
                                projected_bytes=self.projected_bytes)


def _table(spec: Any) -> TableDesign:
    where = tr("table")
    spec = _fields(where, spec, _TABLE_FIELDS, ("name", "partition_key"))
    sort_key = spec.get("sort_key")
    return TableDesign(
        name=_name(where, "name", spec["name"]),
        partition_key=_attribute(where, "partition_key", spec["partition_key"]),
        sort_key=None if sort_key is None else _attribute(where, "sort_key", sort_key),
        size_gb=_number(where, "size_gb", spec.get("size_gb", 0), MODEL_MAX_SIZE_GB),
        key_bytes=_bytes(where, "key_bytes", spec.get("key_bytes", DEFAULT_TABLE_KEY_BYTES)),
    )


def _index(spec: Any, number: int) -> IndexDesign:
    name = spec.get("name") if isinstance(spec, Mapping) else None
    where = tr("index {name!r}", name=name) if isinstance(name, str) else f"indexes[{number}]"
    spec = _fields(where, spec, _INDEX_FIELDS, ("name", "projection"))
    projection = spec["projection"]
    if projection not in PROJECTIONS:
        raise _fail(where, tr("projection must be one of {choices}; got {projection!r}",
                              choices=", ".join(PROJECTIONS), projection=projection))
    if projection == "INCLUDE" and "projected_bytes" not in spec:
        raise _fail(where, tr("an INCLUDE projection needs projected_bytes (the bytes of the attributes it projects)"))
    if projection != "INCLUDE" and "projected_bytes" in spec:
        raise _fail(where, tr("projected_bytes is for INCLUDE projections only; this one is {projection}",
                              projection=projection))
    sort_key = spec.get("sort_key")
    return IndexDesign(
        name=_name(where, "name", spec["name"]),
        projection=projection,
        partition_key=_attribute(where, "partition_key", spec.get("partition_key", f"{spec['name']}_pk")),
        sort_key=None if sort_key is None else _attribute(where, "sort_key", sort_key),
        key_bytes=_bytes(where, "key_bytes", spec.get("key_bytes", DEFAULT_INDEX_KEY_BYTES)),
        projected_bytes=(_integer(where, "projected_bytes", spec["projected_bytes"], 0, MAX_ITEM_SIZE_BYTES)
                         if projection == "INCLUDE" else 0),
        keys=_integer(where, "keys", spec.get("keys", 1), 1),
        size_gb=(None if spec.get("size_gb") is None
                 else _number(where, "size_gb", spec["size_gb"], MODEL_MAX_SIZE_GB)),
    )



@dataclass(frozen=True)
class PatternRequest:
    """What one request of a pattern reads or writes: the design's fields for its operation, validated (sizes in
    bytes). A field the operation does not take keeps its default."""

    item_bytes: int | None = None  # the item a read, a PutItem, a DeleteItem or a batch item holds
    consistency: str | None = None  # reads: "strong", "eventual" or "transactional"
    items: int = 1  # the items one request reads or writes (Query, Scan, batches, transactions)
    index: str | None = None  # a Query or Scan of this index
    read_bytes: int | None = None  # a Query or Scan: each entry it reads (an index entry's size on an index)
    before_bytes: int | None = None  # an UpdateItem's item before, or the item a PutItem replaces
    after_bytes: int | None = None  # an UpdateItem's item after
    indexes: tuple[str, ...] = ()  # the GSIs a write touches
    changes_index_key: bool = False  # the write changes those indexes' key (a delete and a put of the entry)

    @property
    def written_bytes(self) -> int:
        """The size of the item the request leaves stored (0 for a read that names none)."""
        return self.item_bytes or self.after_bytes or 0


# ------------------------------------------------------------------------------------------ the patterns


@dataclass(frozen=True)
class PatternPlan:
    """One access pattern's units: per request and per second, on the table and on each index."""

    name: str
    operation: str
    per_second: float
    keys: int  # distinct partition-key values the requests spread over (1: the worst case, one key)
    request: PatternRequest  # what one request reads or writes
    table_read_units: float  # per request
    table_write_units: float  # per request
    index_read_units: Mapping[str, float]  # per request, a Query/Scan on an index
    index_write_units: Mapping[str, float]  # per request, each GSI the write touches
    how: str  # the arithmetic, in words

    @property
    def kind(self) -> str:
        return OPERATIONS[self.operation]

    @property
    def read_units_per_request(self) -> float:
        return self.table_read_units + sum(self.index_read_units.values())

    @property
    def write_units_per_request(self) -> float:
        return self.table_write_units + sum(self.index_write_units.values())

    @property
    def read_units_per_second(self) -> float:
        return self.read_units_per_request * self.per_second

    @property
    def write_units_per_second(self) -> float:
        return self.write_units_per_request * self.per_second



def _pages(items: int, item_bytes: int) -> list[int]:
    """Bytes of each 1 MB page a Query/Scan reads over ``items`` items of ``item_bytes`` (capacity.first_page's
    rule: a page takes items until it holds 1 MB, the crossing item included). No items: one empty page."""
    per_page = math.ceil(PAGE_LIMIT_BYTES / item_bytes)
    full, rest = divmod(items, per_page)
    pages = [per_page * item_bytes] * full
    if rest or not pages:
        pages.append(rest * item_bytes)
    return pages


#: a read's consistency as the plan's arithmetic shows it ("x 0.5 (eventual)"): the same words in English, the term
#: sheet's in Japanese
CONSISTENCY_LABELS = {"strong": N_("strong"), "eventual": N_("eventual"), "transactional": N_("transactional")}


def _consistency(where: str, spec: Mapping[str, Any], operation: str, index: str | None) -> str:
    if operation == "TransactGetItems":
        allowed: tuple[str, ...] = ("transactional",)
    elif index is not None:
        allowed = ("eventual",)  # a GSI serves eventually consistent reads only (GSI.html)
    else:
        allowed = ("strong", "eventual")
    default = allowed[0] if operation == "TransactGetItems" else "eventual"  # GetItem/Query/Scan default: eventual
    value = spec.get("consistency", default)
    if value not in allowed:
        extra = tr(" (a global secondary index serves eventually consistent reads only)") if index is not None else ""
        raise _fail(where, tr("consistency must be one of {choices} for {operation}{extra}; got {value!r}",
                              choices=", ".join(allowed), operation=operation, extra=extra, value=value))
    return value


def _pattern(spec: Any, number: int, table: TableDesign, indexes: dict[str, IndexDesign]) -> PatternPlan:
    """One pattern of the design: validated, with its units per request (and the arithmetic, in words)."""
    name = spec.get("name") if isinstance(spec, Mapping) else None
    where = tr("pattern {name!r}", name=name) if isinstance(name, str) and name else f"patterns[{number}]"
    if not isinstance(spec, Mapping):
        raise _fail(where, tr("must be a mapping with name, operation, per_second, ...; got {spec!r:.60}", spec=spec))
    operation = spec.get("operation")
    if operation not in OPERATIONS:
        raise _fail(where, tr("operation must be one of {choices}; got {operation!r}",
                              choices=", ".join(OPERATIONS), operation=operation))
    if OPERATIONS[operation] == "write" and "consistency" in spec:
        raise _fail(where, tr("consistency is for reads; {operation} is a write", operation=operation))
    spec = _fields(where, spec, _COMMON_FIELDS + _PATTERN_FIELDS[operation], ("name", "operation", "per_second"))
    if not isinstance(name, str) or not name.strip():
        raise _fail(where, tr("name must be non-empty text; got {name!r}", name=name))
    per_second = _number(where, "per_second", spec["per_second"], MAX_REQUESTS_PER_SECOND)
    keys = _integer(where, "keys", spec.get("keys", 1), 1)
    request: dict[str, Any] = {}  # the PatternRequest's fields this operation takes
    table_read = table_write = 0.0
    index_read: dict[str, float] = {}
    index_write: dict[str, float] = {}
    kind = OPERATIONS[operation]
    count = 1

    if kind == "read":
        index = spec.get("index")
        if index is not None and index not in indexes:
            raise _fail(where, tr("index must be one of the design's indexes ({value}); got {index!r}",
                                  value=", ".join(indexes) or tr("none"), index=index))
        consistency = _consistency(where, spec, operation, index)
        item_bytes = _bytes(where, "item_bytes", spec.get("item_bytes"))
        request.update(item_bytes=item_bytes, consistency=consistency)
        if operation in ("Query", "Scan"):
            count = _integer(where, "items", spec.get("items"), 0, MAX_QUERY_ITEMS)
            if operation == "Query" and index is None and table.sort_key is None and count > 1:
                raise _fail(where, tr("items must be 0 or 1 for a Query on a table without a sort key (one item per "
                                      "partition key); got {count}", count=count))
            # an index read reads index entries: their size comes from the projection
            read_bytes = indexes[index].entry_bytes(item_bytes, table.key_bytes) if index else item_bytes
            most = MAX_QUERY_PAGES * math.ceil(PAGE_LIMIT_BYTES / read_bytes)
            if count > most:
                raise _fail(where, tr("items must be at most {most:,} for entries of {read_bytes:,} B (dynalab's "
                                      "planner follows at most {pages:,} pages of 1 MB a request); got {count:,}",
                                      most=most, read_bytes=read_bytes, pages=MAX_QUERY_PAGES, count=count))
            pages = _pages(count, read_bytes)
            units = sum(page_read_units(page, consistency) for page in pages)
            request.update(items=count, index=index, read_bytes=read_bytes)
            paged = tr(" in {count} pages of at most 1 MB,", count=len(pages)) if len(pages) > 1 else ""
            blocks = sum(read_blocks(page) for page in pages)
            how = (tr("{count} x {read_bytes:,} B = {total:,} B summed,{paged} rounded up to {blocks} x 4 KB x "
                      "{factor:g} ({consistency}) = {units:g} RCU per request",
                      count=count, read_bytes=read_bytes, total=count * read_bytes, paged=paged, blocks=blocks,
                      factor=CONSISTENCIES[consistency], consistency=tr(CONSISTENCY_LABELS[consistency]),
                      units=units)
                   + (tr(" (on index {index})", index=index) if index else ""))
        else:
            if operation != "GetItem":
                count = _integer(where, "items", spec.get("items"), 1, _MAX_ITEMS[operation])
                request["items"] = count
            each = read_units(item_bytes, consistency)
            units = count * each
            fields = dict(item_bytes=item_bytes, blocks=read_blocks(item_bytes), factor=CONSISTENCIES[consistency],
                          consistency=tr(CONSISTENCY_LABELS[consistency]), units=units)
            if operation == "GetItem":
                how = tr("{item_bytes:,} B rounded up to {blocks} x 4 KB x {factor:g} ({consistency}) = {units:g} RCU "
                         "per request", **fields)
            else:
                how = tr("{count} x {item_bytes:,} B rounded up to {blocks} x 4 KB x {factor:g} ({consistency}) each "
                         "= {units:g} RCU per request", count=count, **fields)
        if index:
            index_read[index] = units
        else:
            table_read = units
        how += tr("; x {per_second:g}/s = {total:,.2f} RCU/s", per_second=per_second, total=units * per_second)
    else:
        touched = spec.get("indexes", [])
        if isinstance(touched, str) or not isinstance(touched, Sequence) or any(t not in indexes for t in touched) \
                or len(set(touched)) != len(touched):
            raise _fail(where, tr("indexes must be a list of distinct names among the design's indexes ({value}); "
                                  "got {touched!r}", value=", ".join(indexes) or tr("none"), touched=touched))
        changes_key = spec.get("changes_index_key", False)
        if not isinstance(changes_key, bool):
            raise _fail(where, tr("changes_index_key must be true or false; got {changes_key!r}",
                                  changes_key=changes_key))
        if changes_key and not touched:
            raise _fail(where, tr("changes_index_key needs the indexes whose key the write changes"))
        if changes_key and operation not in ("PutItem", "UpdateItem"):
            raise _fail(where, tr("changes_index_key is for PutItem and UpdateItem; got {operation}",
                                  operation=operation))
        if changes_key and operation == "PutItem" and "before_bytes" not in spec:
            raise _fail(where, tr("changes_index_key on a PutItem needs before_bytes (the item it replaces)"))
        transactional = operation == "TransactWriteItems"
        if operation == "UpdateItem":
            before = _bytes(where, "before_bytes", spec.get("before_bytes"))
            after = _bytes(where, "after_bytes", spec.get("after_bytes"))
            request.update(before_bytes=before, after_bytes=after)
            table_write = put_write_units(after, before)
            how = (tr("the larger of {before:,} B and {after:,} B: {blocks} x 1 KB = {table_write:g} WCU",
                      before=before, after=after, blocks=write_blocks(max(before, after)),
                      table_write=table_write))
            sizes = (before, after)
        else:
            item_bytes = _bytes(where, "item_bytes", spec.get("item_bytes"))
            request["item_bytes"] = item_bytes
            sizes = (item_bytes,)
            if operation == "PutItem":
                before = spec.get("before_bytes")
                before = None if before is None else _bytes(where, "before_bytes", before)
                if before is not None:
                    request["before_bytes"] = before
                    sizes = (before, item_bytes)
                table_write = put_write_units(item_bytes, before)
                fields = dict(item_bytes=item_bytes, blocks=write_blocks(max(item_bytes, before or 0)),
                              table_write=table_write)
                if before:
                    how = tr("{item_bytes:,} B replacing {before:,} B (the larger counts): {blocks} x 1 KB = "
                             "{table_write:g} WCU", before=before, **fields)
                else:
                    how = tr("{item_bytes:,} B: {blocks} x 1 KB = {table_write:g} WCU", **fields)
            elif operation == "DeleteItem":
                table_write = delete_write_units(item_bytes)
                how = tr("deleting {item_bytes:,} B: {blocks} x 1 KB = {table_write:g} WCU",
                         item_bytes=item_bytes, blocks=write_blocks(item_bytes), table_write=table_write)
            else:
                count = _integer(where, "items", spec.get("items"), 1, _MAX_ITEMS[operation])
                request["items"] = count
                table_write = count * write_units(item_bytes, transactional)
                fields = dict(count=count, item_bytes=item_bytes, blocks=write_blocks(item_bytes),
                              table_write=table_write)
                if transactional:
                    how = tr("{count} x {item_bytes:,} B: {blocks} x 1 KB x 2 (transactional) each = {table_write:g} "
                             "WCU", **fields)
                else:
                    how = tr("{count} x {item_bytes:,} B: {blocks} x 1 KB each = {table_write:g} WCU", **fields)
        request.update(indexes=tuple(touched), changes_index_key=changes_key)
        for index_name in touched:
            index = indexes[index_name]
            entries = [index.entry_bytes(size, table.key_bytes) for size in sizes]
            if changes_key:  # a changed index key: delete the old entry, put the new one (GSI.html)
                each = write_units(entries[0]) + write_units(entries[-1])
                said = tr("delete {old:,} B + put {new:,} B entries", old=entries[0], new=entries[-1])
            else:  # a put, a delete, or an entry updated in place: one write of the larger entry
                each = write_units(max(entries))
                said = tr("{size:,} B entry", size=max(entries))
            units = count * each
            index_write[index_name] = units
            how += (tr(" + index {index_name} ({projection}): ", index_name=index_name, projection=index.projection)
                    + (f"{count} x " if count > 1 else "") + f"{said} = {units:g} WCU")
        total = table_write + sum(index_write.values())
        how += tr("; {total:g} WCU per request x {per_second:g}/s = {rate:,.2f} WCU/s",
                  total=total, per_second=per_second, rate=total * per_second)
    return PatternPlan(name, operation, per_second, keys, PatternRequest(**request), table_read, table_write,
                       index_read, index_write, how)


def parse_design(design: Mapping[str, Any]) -> tuple[TableDesign, tuple[IndexDesign, ...], tuple[PatternPlan, ...]]:
    """The design's table, indexes and patterns, each validated (see ``dynalab.models.planner``'s docstring for the
    design). A bad field is a ValueError naming the table, index or pattern, the field and the allowed values."""
    design = _fields(tr("design"), design, _TOP_FIELDS, ("table", "patterns"))
    table = _table(design["table"])
    raw_indexes = design.get("indexes") or []
    if not isinstance(raw_indexes, Sequence) or isinstance(raw_indexes, str) \
            or len(raw_indexes) > GLOBAL_SECONDARY_INDEXES_PER_TABLE:
        raise _fail(tr("design"), tr("indexes must be a list of at most {most} index mappings (DynamoDB's quota of "
                                     "global secondary indexes per table); got {raw_indexes!r:.60}",
                                     most=GLOBAL_SECONDARY_INDEXES_PER_TABLE, raw_indexes=raw_indexes))
    indexes: dict[str, IndexDesign] = {}
    for number, spec in enumerate(raw_indexes):
        index = _index(spec, number)
        if index.name in indexes:
            raise _fail(tr("index {name!r}", name=index.name), tr("index names must be unique in a table"))
        indexes[index.name] = index
    raw_patterns = design["patterns"]
    if not isinstance(raw_patterns, Sequence) or isinstance(raw_patterns, str) or not 1 <= len(raw_patterns) \
            <= MAX_PATTERNS:
        raise _fail(tr("design"), tr("patterns must be a list of 1 to {most} access patterns (dynalab's planner "
                                     "limit); got {raw_patterns!r:.60}", most=MAX_PATTERNS, raw_patterns=raw_patterns))
    patterns = [_pattern(spec, number, table, indexes) for number, spec in enumerate(raw_patterns)]
    names = [p.name for p in patterns]
    for name in names:
        if names.count(name) > 1:
            raise _fail(tr("pattern {name!r}", name=name), tr("pattern names must be unique"))
    return table, tuple(indexes.values()), tuple(patterns)
