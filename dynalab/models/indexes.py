"""What a write costs a secondary index: index entries, their sizes, and the write units each index pays.

The rules ([src:gsi-index-write-rules], [src:sparse-indexes], [src:gsi-storage-billed],
[src:lsi-strong-reads-table-capacity]):

* An **index entry** holds the table's key attributes and the index's key attributes, plus, by the index's
  projection: **KEYS_ONLY** nothing more; **INCLUDE** the named non-key attributes (those the item has); **ALL**
  every attribute of the item (the entry is the whole item).
* An item that lacks one of the index's key attributes is **not in the index** (a *sparse* index): writing it
  costs the index nothing.
* Index writes count in 1 KB blocks of the entry's size (``dynalab.models.capacity``): "an index entry larger than
  1 KB costs more", so projecting fewer attributes cuts the cost. For one table write an index pays:
  - **nothing** when the item is in the index neither before nor after, or its entry does not change;
  - **one write** (a put) when the item enters the index (a new item, or an update that defines the index key),
    or its entry changes while its index key stays (an update of a projected attribute);
  - **one write** (a delete) when the item leaves the index (deleted, or its indexed attribute removed: "one write
    is required to delete the old item projection from the index");
  - **two writes** (a delete of the old entry and a put of the new one) when an indexed key attribute changes.
* A GSI pays from its own provisioned write capacity; an LSI's writes are charged to the table's capacity.
  The same per-write rules apply to both.
* A GSI's key may have **several attributes**: up to 4 for its partition key and up to 4 for its sort key
  (multi-attribute keys, Nov 2025 [src:gsi-multi-attribute-keys]); an item is in the index only if it has every one
  of them. An LSI keeps the table's partition key and one sort key of its own.
* The guide states no transactional rate for index writes: ``index_write_units`` charges the standard rate
  (dynalab's model, stated as such).

Items come in the two shapes ``dynalab.models.sizing`` knows: typed (wire) items ``{"pk": {"S": "a"}}`` by default,
or plain Python items with ``typed=False``. ``entry_size_bytes`` works from byte counts alone, for planners.

Example (pinned in tests/models/test_indexes.py): a 2,500 B PutItem into a table with one ALL-projection GSI
costs the table 3 WCU and the index 3 WCU.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from dynalab.i18n import N_, tr
from dynalab.models import checks
from dynalab.models.capacity import write_units
from dynalab.models.quotas import GSI_MAX_PARTITION_KEY_ATTRIBUTES, GSI_MAX_SORT_KEY_ATTRIBUTES
from dynalab.models.sizing import item_size, typed_item_size

__all__ = [
    "PROJECTION_TYPES",
    "SecondaryIndex",
    "entry_size_bytes",
    "index_entry",
    "index_entry_size",
    "index_write_units",
    "indexes_from_description",
    "write_units_by_index",
]

#: DynamoDB's projection types (API_Projection.html).
PROJECTION_TYPES = ("KEYS_ONLY", "INCLUDE", "ALL")

Item = Mapping[str, Any]


def _checked_projection(projection_type: Any) -> str:
    if projection_type not in PROJECTION_TYPES:
        raise ValueError(tr("projection_type must be one of {choices}; got {projection_type!r}",
                            choices=", ".join(PROJECTION_TYPES), projection_type=projection_type))
    return projection_type


@dataclass(frozen=True)
class SecondaryIndex:
    """One secondary index of a table, as DynamoDB's CreateTable/DescribeTable describe it.

    ``key_attributes``: the index's partition-key attributes, then its sort-key attributes; the first
    ``partition_key_count`` of them form the partition key (a GSI: 1 to 4 partition-key and 0 to 4 sort-key attributes,
    multi-attribute keys [src:gsi-multi-attribute-keys]; an LSI: the table's partition key and one sort key).
    ``non_key_attributes``: the attributes an INCLUDE projection adds. ``is_global``: a GSI (own capacity) or an LSI
    (the table's capacity).
    """

    name: str
    key_attributes: tuple[str, ...]
    projection_type: str = "ALL"
    non_key_attributes: tuple[str, ...] = ()
    is_global: bool = True
    partition_key_count: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(tr("name must be the index's name (a non-empty string); got {name!r}", name=self.name))
        allowed = tr("the index's partition-key attributes, then its sort-key attributes (a GSI: 1 to {pk} and 0 to "
                     "{sk}; an LSI: 2)", pk=GSI_MAX_PARTITION_KEY_ATTRIBUTES, sk=GSI_MAX_SORT_KEY_ATTRIBUTES)
        if isinstance(self.key_attributes, str) or not isinstance(self.key_attributes, list | tuple):
            raise TypeError(tr("key_attributes must be {allowed}; got {key_attributes!r:.60}", allowed=allowed,
                               key_attributes=self.key_attributes))
        keys = tuple(self.key_attributes)
        if not keys or not all(isinstance(k, str) and k for k in keys) or len(set(keys)) != len(keys):
            raise ValueError(tr("key_attributes must be {allowed}, distinct names; got {key_attributes!r}",
                                allowed=allowed, key_attributes=self.key_attributes))
        object.__setattr__(self, "key_attributes", keys)
        if not isinstance(self.is_global, bool):
            raise TypeError(tr("is_global must be True or False; got {is_global!r:.60}", is_global=self.is_global))
        count = self.partition_key_count
        if isinstance(count, bool) or not isinstance(count, int):
            raise TypeError(tr("partition_key_count must be how many of key_attributes form the partition key (an "
                               "int); got {partition_key_count!r:.60}", partition_key_count=count))
        sort_count = len(keys) - count
        if self.is_global:
            fits = 1 <= count <= GSI_MAX_PARTITION_KEY_ATTRIBUTES and 0 <= sort_count <= GSI_MAX_SORT_KEY_ATTRIBUTES
        else:
            fits = count == 1 and sort_count == 1
        if not fits:
            kind = tr("a GSI's (is_global=True)") if self.is_global else tr("an LSI's (is_global=False)")
            raise ValueError(tr("{kind} key has {count!r} partition-key (partition_key_count) and {sort_count} "
                                "sort-key attribute(s); allowed: {allowed}", kind=kind, count=count,
                                sort_count=max(sort_count, 0), allowed=allowed))
        _checked_projection(self.projection_type)
        if isinstance(self.non_key_attributes, str) or not isinstance(self.non_key_attributes, list | tuple) \
                or not all(isinstance(name, str) and name for name in self.non_key_attributes):
            raise TypeError(tr("non_key_attributes must be a tuple of attribute names; got {non_key_attributes!r:.60}",
                               non_key_attributes=self.non_key_attributes))
        extra = tuple(self.non_key_attributes)
        if extra and self.projection_type != "INCLUDE":
            raise ValueError(tr("non_key_attributes apply to projection_type 'INCLUDE' only; got {extra!r} with "
                                "{projection_type!r}", extra=extra, projection_type=self.projection_type))
        object.__setattr__(self, "non_key_attributes", extra)

    @property
    def partition_key_attributes(self) -> tuple[str, ...]:
        return self.key_attributes[:self.partition_key_count]

    @property
    def sort_key_attributes(self) -> tuple[str, ...]:
        return self.key_attributes[self.partition_key_count:]

    def describe(self) -> str:
        """The index's key in words: "by-x (GSI): partition key (a, b), sort key (c)"."""
        sort = (tr(", sort key ({names})", names=", ".join(self.sort_key_attributes)) if self.sort_key_attributes
                else "")
        return tr("{name} ({kind}): partition key ({names}){sort}, projection {projection}", name=self.name,
                  kind="GSI" if self.is_global else "LSI", names=", ".join(self.partition_key_attributes), sort=sort,
                  projection=self.projection_type)

    @classmethod
    def from_description(cls, description: Mapping[str, Any], *, is_global: bool) -> SecondaryIndex:
        """From one entry of DescribeTable's ``GlobalSecondaryIndexes`` or ``LocalSecondaryIndexes``: a KeySchema of
        HASH then RANGE elements, several of each for a multi-attribute GSI key (their order kept)."""
        schema = description["KeySchema"]
        hashes = [part["AttributeName"] for part in schema if part["KeyType"] == "HASH"]
        ranges = [part["AttributeName"] for part in schema if part["KeyType"] == "RANGE"]
        projection = description.get("Projection") or {}
        kind = projection.get("ProjectionType", "ALL")
        return cls(
            name=description["IndexName"],
            key_attributes=tuple(hashes + ranges),
            projection_type=kind,
            non_key_attributes=tuple(projection.get("NonKeyAttributes") or ()) if kind == "INCLUDE" else (),
            is_global=is_global,
            partition_key_count=len(hashes),
        )


def indexes_from_description(table: Mapping[str, Any]) -> tuple[tuple[str, ...], list[SecondaryIndex]]:
    """(the table's key attributes, its secondary indexes) from a DescribeTable ``Table`` description."""
    schema = sorted(table["KeySchema"], key=lambda part: part["KeyType"] != "HASH")
    indexes = [SecondaryIndex.from_description(d, is_global=True) for d in table.get("GlobalSecondaryIndexes") or ()]
    indexes += [SecondaryIndex.from_description(d, is_global=False)
                for d in table.get("LocalSecondaryIndexes") or ()]
    return tuple(part["AttributeName"] for part in schema), indexes


def index_entry(item: Item | None, index: SecondaryIndex, table_key_attributes: Sequence[str], *,
                name: str = "item") -> dict | None:
    """The entry ``item`` has in ``index`` (the attributes the index stores), or None when the item has none:
    no item, or an item without one of the index's key attributes (a sparse index)."""
    if item is not None and not isinstance(item, Mapping):
        raise TypeError(tr("{name}: the item must be a dict of attribute name -> value (or None), got {type}",
                           name=name, type=type(item).__name__))
    if not isinstance(index, SecondaryIndex):
        raise TypeError(tr("index must be a SecondaryIndex, got {type}", type=type(index).__name__))
    if isinstance(table_key_attributes, str) or not isinstance(table_key_attributes, list | tuple) \
            or not all(isinstance(k, str) for k in table_key_attributes):
        raise TypeError(tr("table_key_attributes must be a sequence of attribute names (partition key first), got "
                           "{table_key_attributes!r}", table_key_attributes=table_key_attributes))
    if not item or any(name not in item for name in index.key_attributes):
        return None
    if index.projection_type == "ALL":
        return dict(item)
    kept = set(table_key_attributes) | set(index.key_attributes) | set(index.non_key_attributes)
    return {name: value for name, value in item.items() if name in kept}


def index_entry_size(item: Item | None, index: SecondaryIndex, table_key_attributes: Sequence[str], *,
                     typed: bool = True) -> int | None:
    """Bytes of ``item``'s entry in ``index`` (DynamoDB's size rule), or None when the item is not in the index."""
    entry = index_entry(item, index, table_key_attributes)
    if entry is None:
        return None
    return typed_item_size(entry) if typed else item_size(entry)


def entry_size_bytes(projection_type: str, *, item_bytes: int, key_bytes: int, projected_bytes: int = 0) -> int:
    """An index entry's size from byte counts alone (for planners that know sizes, not items).

    ``key_bytes``: the table's and the index's key attributes (names and values) in the item; ``projected_bytes``:
    the INCLUDE projection's non-key attributes the item has. ALL: the whole item; KEYS_ONLY: the keys; INCLUDE:
    the keys and the projected attributes (never more than the item).
    """
    kind = _checked_projection(projection_type)
    for name, value in (("item_bytes", item_bytes), ("key_bytes", key_bytes), ("projected_bytes", projected_bytes)):
        checks.number(name, value, low=0, integer=True, unit=N_("bytes"))
    if key_bytes > item_bytes:
        raise ValueError(tr("key_bytes ({key_bytes}) cannot exceed item_bytes ({item_bytes}): the keys are in the "
                            "item", key_bytes=key_bytes, item_bytes=item_bytes))
    if kind == "ALL":
        return item_bytes
    if kind == "KEYS_ONLY":
        return key_bytes
    return min(item_bytes, key_bytes + projected_bytes)


def _normal(value: Any) -> Any:
    """A typed value in a form where equal DynamoDB values compare equal (numbers "1" and "1.0")."""
    if isinstance(value, Mapping) and len(value) == 1 and "N" in value:
        try:
            return ("N", Decimal(str(value["N"])).normalize())
        except (InvalidOperation, ValueError):
            return value
    if isinstance(value, Mapping) and len(value) == 1 and ("SS" in value or "NS" in value or "BS" in value):
        ((kind, inner),) = value.items()
        return (kind, frozenset(str(v) for v in inner))
    return value


def _same(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return a.keys() == b.keys() and all(_normal(a[k]) == _normal(b[k]) for k in a)


def index_write_units(before: Item | None, after: Item | None, index: SecondaryIndex,
                      table_key_attributes: Sequence[str], *, typed: bool = True) -> float:
    """Write units ``index`` pays for one table write that turns ``before`` into ``after`` (None: no item).

    0 if the item is in the index neither before nor after, or its entry is unchanged; a put (the new entry's
    1 KB blocks) when it enters; a delete (the old entry's blocks) when it leaves; both when an index key
    attribute changes; one write of the larger entry when only projected attributes change.
    """
    old = index_entry(before, index, table_key_attributes, name="before")
    new = index_entry(after, index, table_key_attributes, name="after")
    if not isinstance(typed, bool):
        raise TypeError(tr("typed must be True or False; got {typed!r:.60}", typed=typed))
    measure = typed_item_size if typed else item_size

    def size(entry: Mapping[str, Any]) -> int:
        try:
            return measure(entry)
        except (TypeError, ValueError) as error:
            which = "before" if entry is old else "after"
            raise type(error)(f"{which}: {error}") from None
    if old is None and new is None:
        return 0.0
    if old is None:
        return write_units(size(new))
    if new is None:
        return write_units(size(old))
    keys_changed = any(_normal(old[k]) != _normal(new[k]) for k in index.key_attributes)
    if keys_changed:
        return write_units(size(old)) + write_units(size(new))
    if _same(old, new):
        return 0.0
    return write_units(max(size(old), size(new)))


def write_units_by_index(before: Item | None, after: Item | None, indexes: Iterable[SecondaryIndex],
                         table_key_attributes: Sequence[str], *, typed: bool = True) -> dict[str, float]:
    """{index name: write units} for one table write, over every index of the table (0 for those untouched).
    The write's index total is ``sum(...values())``; GSIs and LSIs are told apart by ``SecondaryIndex.is_global``."""
    return {index.name: index_write_units(before, after, index, table_key_attributes, typed=typed)
            for index in indexes}
