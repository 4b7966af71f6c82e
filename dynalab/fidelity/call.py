"""The typed record of one call through the fidelity layer, and the phases that fill it in.

The layer builds one ``Call`` per boto3 call and hands it to each plugin in a fixed order (``Phase``): what a
plugin learns it writes on the record, in a field named for it, and the plugins after it read that field. No
plugin reads another one's state any other way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from dynalab.fidelity.requests import Access, accesses
from dynalab.models.sizing import typed_item_size

if TYPE_CHECKING:  # only for annotations
    from dynalab.fidelity.catalog import TableCatalog, TableInfo

__all__ = ["PARTIQL_OPERATIONS", "Call", "IndexUnits", "ItemImages", "Phase", "Run", "TableUnits", "Throttle"]

#: The operations that take PartiQL statements (``dynalab.fidelity.partiql`` translates them).
PARTIQL_OPERATIONS = frozenset({"ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"})


class Phase(IntEnum):
    """The order plugins run in, within each hook (before the call, each HTTP attempt, after the call). The AWS guard
    is no phase: it runs before the layer, outside any switch of it (``dynalab.fidelity.aws_guard``)."""

    #: Refuse what DynamoDB refuses, in DynamoDB's words, before anything is sent or read.
    VALIDATE = 1
    #: Read (or ask the engine to return) the items a write replaces: the one reader every later phase uses.
    OLD_ITEMS = 2
    #: Refuse what DynamoDB refuses because of what is stored (an update past 400 KB, an item collection past 10 GB).
    STORED = 3
    #: Count the capacity units the call consumes (and a global table's replicated write units, per Region).
    METER = 4
    #: Admit or throttle the call at the table's (and its indexes') provisioned throughput.
    THROTTLE = 5
    #: Answer, in place of the engine, the operations it lacks (StartBulkPutItems, PartiQL, Contributor Insights).
    STAND_IN = 6
    #: Record the finished call (the metrics recorder: CloudWatch's metrics).
    RECORD = 7


class Run(NamedTuple):
    """One DynamoDB operation a call runs: the call itself, or what a PartiQL statement translates to."""

    operation: str
    request: Mapping[str, Any]


class IndexUnits(NamedTuple):
    """Units one call charged one index (``is_global``: a GSI, paid from its own capacity; else an LSI)."""

    read: float
    write: float
    is_global: bool


@dataclass
class TableUnits:
    """The units one call consumed on one table, in one Region.

    ``read``/``write``: what the table's own capacity paid (its LSIs' writes included, as DynamoDB charges them);
    ``indexes``: each secondary index the call touched. ``region`` is the Region that paid ("": the client's own):
    a global table's replicated write is charged again in each replica's Region (``Call.replicated_units``).
    """

    read: float = 0.0
    write: float = 0.0
    indexes: dict[str, IndexUnits] = field(default_factory=dict)
    region: str = ""

    def index_units(self, index_name: str) -> IndexUnits | None:
        return self.indexes.get(index_name)


class Throttle(NamedTuple):
    """One throttled HTTP attempt: DynamoDB's ThrottlingReason (API_ThrottlingReason.html) and what it names; or a
    batch served in part (``whole_request`` False: its items handed back are throttle events, not a throttled
    request). ``events``: the throttled events in it (one per item of a batch or transaction, one for a Query or
    Scan); ``keys``: the typed keys it named (a Query's partition-key value), for Contributor Insights."""

    table: str
    index: str | None
    reason: str
    resource: str
    events: int = 1
    whole_request: bool = True
    keys: tuple[Mapping[str, Any], ...] = ()


_UNSET: Any = object()


@dataclass
class ItemImages:
    """What the old-items phase learned about the items a write replaces and leaves (``Phase.OLD_ITEMS``).

    Single-item writes: ``old_item``/``old_size`` (``old_known``: known at all; None: no item there),
    ``new_item``/``new_size`` after the call. Batches and transactions: ``old_items`` and ``new_items``,
    {table: {key: item or None}} by normalised key, and ``old_by_access`` in request order.
    """

    indexed: bool = False
    old_known: bool = False
    old_item: dict | None = None
    old_item_read: bool = False  # the whole old item (not only its size) is in ``old_item``
    old_size: int | None = None
    new_item: dict | None = None
    new_size: int | None = None
    old_items: dict[str, dict[tuple, dict | None]] = field(default_factory=dict)
    old_by_access: list[dict | None] | None = None
    new_items: dict[str, dict[tuple, dict | None]] = field(default_factory=dict)
    #: sizes remembered (not read) of a batch's or transaction's old items: (table, key) -> bytes
    old_sizes: dict[tuple[str, tuple], int] = field(default_factory=dict)
    cache_key: tuple | None = None
    strip_attributes: bool = False
    strip_failure_item: bool = False


@dataclass(eq=False)
class Call:
    """One call through the layer: its request, what each phase learned, and how it ended.

    Filled in by the phases in order: ``request`` (typed, as DynamoDB receives it; a plugin that changes it calls
    ``changed()``), ``runs`` (the operations it runs: a PartiQL statement's translation), ``images`` (the old-items
    phase), ``units`` (the meter, per table; ``replicated_units`` per replica Region), ``admissions`` and
    ``throttles`` (the throttle), ``status_code``/``parsed``/``item_counts`` (after the call).
    """

    operation: str
    request: dict[str, Any]
    engine: str = "moto"
    catalog: TableCatalog | None = None
    #: botocore's model of the operation (its input shape's constraints: ``validation.constraints``)
    model: Any = None
    #: turns a PartiQL call into the operations it runs (``dynalab.fidelity.partiql.translate``), or None
    translator: Callable[..., Any] | None = None
    #: what the learner asked for before any plugin changed the request (ReturnConsumedCapacity, ReturnValues)
    asked_capacity: str = "NONE"
    #: the AWS Region the client signs for ("": unknown): a global table's replicated writes are charged per Region
    region: str = ""
    body_changed: bool = False
    images: ItemImages = field(default_factory=ItemImages)
    units: dict[str, TableUnits] = field(default_factory=dict)
    replicated_units: dict[str, dict[str, TableUnits]] = field(default_factory=dict)
    #: the throttle's admission per table (its own typed record: ``dynalab.fidelity.throttling``)
    admissions: dict[str, Any] = field(default_factory=dict)
    throttles: list[Throttle] = field(default_factory=list)
    #: what a stand-in answered per run, in the API's shape (a PartiQL SELECT's Query answer...)
    run_answers: list[dict] | None = None
    #: item-collection sizes the stored-limits phase projected, to keep once the write is done
    collections: tuple[dict[tuple, int], set[tuple]] | None = None
    attempts: int = 0
    status_code: int = 0
    parsed: dict[str, Any] = field(default_factory=dict)
    item_counts: dict[str, int] = field(default_factory=dict)
    _sizes: dict[int, tuple[Any, int]] = field(default_factory=dict)
    _runs: tuple[Run, ...] | None = None
    _accesses: list[Access] | None = None
    _translation: Any = _UNSET

    # ---------------------------------------------------------------------------------- what it runs

    @property
    def translation(self) -> Any:
        """A PartiQL call's statements translated to the operations they run (``dynalab.fidelity.partiql
        .Translation``), or None for any other call."""
        if self._translation is _UNSET:
            self._translation = self.translator(self.operation, self.request, self.table_info) \
                if self.translator is not None and self.operation in PARTIQL_OPERATIONS else None
        return self._translation

    @property
    def runs(self) -> tuple[Run, ...]:
        """The DynamoDB operations this call runs, in order: the call itself, or a PartiQL statement's translation
        (empty when a statement could not be translated: the validation phase refuses it)."""
        if self._runs is None:
            translation = self.translation
            self._runs = (Run(self.operation, self.request),) if translation is None else translation.runs
        return self._runs

    @property
    def accesses(self) -> list[Access]:
        """Every item access of the call's runs, in order (``dynalab.fidelity.requests``)."""
        if self._accesses is None:
            found: list[Access] = []
            for run in self.runs:
                found.extend(accesses(run.operation, run.request))
            self._accesses = found
        return self._accesses

    def size_of(self, item: Mapping[str, Any] | None) -> int | None:
        """An item's size by DynamoDB's rule (``dynalab.models.sizing``), worked out once per item per call (the
        validation, the old-items phase and the meter all need the size of the same 400 KB item); None for none."""
        if not item:
            return None
        known = self._sizes.get(id(item))
        if known is None or known[0] is not item:
            known = self._sizes[id(item)] = (item, typed_item_size(item))
        return known[1]

    def table_info(self, table: str) -> TableInfo | None:
        """A table's key schema, key types and indexes (one unmetered DescribeTable, cached), or None."""
        return self.catalog.info(table) if self.catalog is not None and table else None

    @property
    def ok(self) -> bool:
        return 0 < self.status_code < 300

    @property
    def error_code(self) -> str | None:
        if self.ok:
            return None
        return (self.parsed.get("Error") or {}).get("Code")

    # -------------------------------------------------------------------------------- changing it

    def changed(self) -> None:
        """A plugin changed ``request``: the layer sends the changed body."""
        self.body_changed = True
        self._accesses = None

    def body(self) -> bytes:
        return json.dumps(self.request).encode()
