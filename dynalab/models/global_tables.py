"""Global tables (version 2019.11.21): what a replica update is allowed to do, what a write costs in each Region,
and the monthly bill of a table replicated across Regions. Pure rules: the engine (``dynalab.engine._global_tables``)
applies them, the meter (``dynalab.fidelity.metering``) charges by them, lesson 9 prices with them.

Sources (each a row of ``docs/sources.md``): V2globaltables_HowItWorks.html (modes, MRSC's rules), the global tables
design guide (bp-global-table-design.html: quorum, isolation), global-tables-billing.html (rWRU/rWCU per replica,
the witness costs nothing), the UpdateTable API reference and botocore's model (ReplicaUpdates,
MultiRegionConsistency, GlobalTableWitnessUpdates).

DynamoDB's exact error texts were found for two refusals (the local Region, and DeleteTable within 24 hours of
sourcing a replica: both measured on DynamoDB by others). For the other refusals no stored source gives DynamoDB's
text: the error code is ValidationException and the message is the documentation's own sentence for the rule.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from dynalab.i18n import N_, tr
from dynalab.models import checks
from dynalab.models.capacity import write_units
from dynalab.models.pricing import DEFAULT_PRICES, Prices
from dynalab.models.quotas import MRSC_MAX_WITNESSES, MRSC_REGION_COUNT, MRSC_REGION_SETS

__all__ = [
    "CONSISTENCY_MODES",
    "GlobalTableBill",
    "GlobalTableRuleError",
    "GroupState",
    "ReplicaPlan",
    "global_table_bill",
    "mrsc_region_set",
    "plan_replica_updates",
    "replicated_write_units",
]

#: MultiRegionConsistency: EVENTUAL (MREC, the default) or STRONG (MRSC) [src:global-tables-consistency-modes].
CONSISTENCY_MODES = ("EVENTUAL", "STRONG")

# ---- DynamoDB's words (see the module docstring for which are measured and which are the documentation's) ------
#: Measured on DynamoDB (scylladb test_global_tables.py, 2026) [src:replica-local-region].
LOCAL_REGION = ("Cannot add or delete the local region through ReplicaUpdates. Use CreateTable, DeleteTable, or "
                "UpdateTable as required.")
#: Measured on DynamoDB for an Update action (serverless-create-global-dynamodb-table#44, 2021).
LOCAL_REGION_UPDATE = ("Cannot add, delete, or update the local region through ReplicaUpdates. Use CreateTable, "
                       "DeleteTable, or UpdateTable as required.")
CONSISTENCY_WITHOUT_CREATE = ("MultiRegionConsistency is only valid when you create a global table by specifying "
                              "one or more Create actions in the ReplicaUpdates action list.")
MODE_FIXED = "You cannot change a global table's consistency mode after creation."
MRSC_NOT_EMPTY = ("Converting a single-Region table to a MRSC global table with existing items is not supported. "
                  "The table has {items} items.")
MRSC_THREE_REGIONS = ("A MRSC global table must be deployed in exactly three Regions: three replicas, or two "
                      "replicas and one witness. This request gives {count}: {regions}.")
MRSC_NO_ADDITIONS = "You cannot add additional replicas to an existing MRSC global table."
MRSC_WITNESS_AT_CREATION = ("Specifies a witness Region to be added to a new MRSC global table. The witness must be "
                            "added when creating the MRSC global table.")
MRSC_DELETE_PAIR = ("You cannot delete a single replica or a witness from a MRSC global table. You can delete two "
                    "replicas or delete one replica and a witness from a MRSC global table, converting the "
                    "remaining replica to a single-Region DynamoDB table.")
MRSC_REGION_SET = ("MRSC global tables cannot span Region sets (US: {us}; EU: {eu}; AP: {ap}); got {regions}.")
MRSC_LSI = "Local secondary indexes (LSIs) are not supported for MRSC global tables."
MRSC_TTL = "Time to Live (TTL) is not supported for MRSC global tables."
WITNESS_NOT_A_REPLICA = "A witness is located in a different Region than the replicas; {region} is a replica."
ONE_WITNESS = "You can create or delete only one witness per UpdateTable operation."
ONE_REPLICA_PER_REGION = ("Each global table can have only one replica per AWS Region: {region} already has a "
                          "replica of {table}.")
NOT_A_REPLICA = "{region} has no replica of {table}."
NOT_A_WITNESS = "{region} is not the witness of {table}."
TABLE_IN_REGION = ("Table already exists: {table} in {region}. A new replica is created by DynamoDB, in a Region "
                   "with no table of that name.")
UNKNOWN_REGION = "{region!r} is not an AWS Region where DynamoDB is available."
ONE_ACTION = ("Each element of {parameter} must have exactly one of {actions}; got {given}.")
DISASSOCIATE = ("Disassociate (a multi-account global table's replica) is not modelled by dynalab's engine: it "
                "keeps global tables within one account.")
BAD_CONSISTENCY = ("1 validation error detected: Value '{value}' at 'multiRegionConsistency' failed to satisfy "
                   "constraint: Member must satisfy enum value set: [EVENTUAL, STRONG]")


class GlobalTableRuleError(ValueError):
    """A replica update DynamoDB refuses: ``code`` (the error code) and ``message`` (its text)."""

    def __init__(self, message: str, code: str = "ValidationException") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class GroupState:
    """What the rules need to know of a table before a replica update, in the Region the request names.

    ``replicas``: its replica Regions (the local one included), empty for a single-Region table; ``witness``: the
    witness Region of an MRSC table; ``consistency``: "EVENTUAL" or "STRONG" for a global table, else None.
    ``taken_regions``: Regions where a table of that name exists that is not one of its replicas.
    """

    table: str
    local_region: str
    replicas: tuple[str, ...] = ()
    witness: str | None = None
    consistency: str | None = None
    item_count: int = 0
    has_local_secondary_indexes: bool = False
    ttl_enabled: bool = False
    taken_regions: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_global(self) -> bool:
        return len(self.replicas) > 1


@dataclass(frozen=True)
class ReplicaPlan:
    """What an allowed replica update does: replicas to create and delete, the witness to add or remove, and the
    group after it (``replicas`` empty: the table is single-Region again)."""

    create: tuple[str, ...]
    delete: tuple[str, ...]
    witness_create: str | None
    witness_delete: str | None
    consistency: str
    replicas: tuple[str, ...]
    witness: str | None

    @property
    def dissolves(self) -> bool:
        return len(self.replicas) <= 1


def mrsc_region_set(region: str) -> str | None:
    """The MRSC Region set ("US", "EU" or "AP") a Region belongs to, or None [src:mrsc-region-sets]."""
    return next((name for name, regions in MRSC_REGION_SETS.items() if region in regions), None)


def _one_action(parameter: str, element: Any, actions: Sequence[str]) -> tuple[str, str]:
    """(action, RegionName) of one ReplicationGroupUpdate / GlobalTableWitnessGroupUpdate."""
    given = sorted(element) if isinstance(element, Mapping) else element
    chosen = [name for name in actions if isinstance(element, Mapping) and name in element]
    if len(chosen) != 1 or not isinstance(element, Mapping) or len(element) != 1:
        raise GlobalTableRuleError(ONE_ACTION.format(parameter=parameter, actions=", ".join(actions), given=given))
    body = element[chosen[0]]
    region = body.get("RegionName") if isinstance(body, Mapping) else None
    if not isinstance(region, str) or not region:
        raise GlobalTableRuleError(f"1 validation error detected: Value null at '{parameter}.member.{chosen[0]}."
                                   "regionName' failed to satisfy constraint: Member must not be null")
    return chosen[0], region


def _parse(state: GroupState, replica_updates: Sequence[Any], witness_updates: Sequence[Any],
           known_regions: Collection[str]) -> tuple[list[str], list[str], list[str], list[tuple[str, str]]]:
    creates: list[str] = []
    deletes: list[str] = []
    updates: list[str] = []
    for element in replica_updates:
        action, region = _one_action("replicaUpdates", element, ("Create", "Update", "Delete", "Disassociate"))
        if action == "Disassociate":
            raise GlobalTableRuleError(DISASSOCIATE)
        if region not in known_regions:
            raise GlobalTableRuleError(UNKNOWN_REGION.format(region=region))
        if region == state.local_region:
            raise GlobalTableRuleError(LOCAL_REGION_UPDATE if action == "Update" else LOCAL_REGION)
        if region in creates + deletes + updates:
            raise GlobalTableRuleError(ONE_REPLICA_PER_REGION.format(region=region, table=state.table))
        {"Create": creates, "Delete": deletes, "Update": updates}[action].append(region)
    if len(witness_updates) > MRSC_MAX_WITNESSES:
        raise GlobalTableRuleError(ONE_WITNESS)
    witnesses = [_one_action("globalTableWitnessUpdates", element, ("Create", "Delete")) for element in witness_updates]
    for _, region in witnesses:
        if region not in known_regions:
            raise GlobalTableRuleError(UNKNOWN_REGION.format(region=region))
    return creates, deletes, updates, witnesses


def plan_replica_updates(state: GroupState, replica_updates: Sequence[Any] = (), witness_updates: Sequence[Any] = (),
                         multi_region_consistency: str | None = None, *,
                         known_regions: Collection[str]) -> ReplicaPlan:
    """The effect of ``UpdateTable(ReplicaUpdates=..., GlobalTableWitnessUpdates=..., MultiRegionConsistency=...)``
    on a table in ``state``, or the ``GlobalTableRuleError`` DynamoDB answers (nothing changes then).

    MREC [src:global-tables-consistency-modes]: add replicas to any table, in any Region; remove them. MRSC
    [src:mrsc-three-regions] [src:mrsc-empty-table]: created once, on an empty table without LSIs or TTL, in exactly
    three Regions of one Region set; replicas cannot be added later, and only two replicas, or a replica and the
    witness, can be deleted together. The mode is fixed after creation.
    """
    if multi_region_consistency is not None and multi_region_consistency not in CONSISTENCY_MODES:
        raise GlobalTableRuleError(BAD_CONSISTENCY.format(value=multi_region_consistency))
    creates, deletes, updates, witnesses = _parse(state, list(replica_updates), list(witness_updates), known_regions)
    if multi_region_consistency is not None:
        if not creates:
            raise GlobalTableRuleError(CONSISTENCY_WITHOUT_CREATE)
        if state.is_global and multi_region_consistency != state.consistency:
            raise GlobalTableRuleError(MODE_FIXED)
    for region in creates:
        if region in state.replicas:
            raise GlobalTableRuleError(ONE_REPLICA_PER_REGION.format(region=region, table=state.table))
        if region in state.taken_regions:
            raise GlobalTableRuleError(TABLE_IN_REGION.format(table=state.table, region=region))
    for region in deletes + updates:
        if region not in state.replicas:
            raise GlobalTableRuleError(NOT_A_REPLICA.format(region=region, table=state.table))
    consistency = state.consistency if state.is_global else (multi_region_consistency or "EVENTUAL")
    if consistency == "STRONG":
        return _plan_strong(state, creates, deletes, witnesses)
    if witnesses:  # a witness belongs to a new MRSC table only
        raise GlobalTableRuleError(MRSC_WITNESS_AT_CREATION)
    replicas = [region for region in (state.replicas or (state.local_region,)) if region not in deletes] + creates
    return ReplicaPlan(tuple(creates), tuple(deletes), None, None, "EVENTUAL",
                       tuple(replicas) if len(replicas) > 1 else (), None)


def _plan_strong(state: GroupState, creates: list[str], deletes: list[str],
                 witnesses: list[tuple[str, str]]) -> ReplicaPlan:
    witness_create = next((region for action, region in witnesses if action == "Create"), None)
    witness_delete = next((region for action, region in witnesses if action == "Delete"), None)
    if not state.is_global:
        if not creates:  # a witness or a delete on a single-Region table, with no table being made global
            raise GlobalTableRuleError(MRSC_WITNESS_AT_CREATION if witnesses else CONSISTENCY_WITHOUT_CREATE)
        if witness_delete is not None:
            raise GlobalTableRuleError(NOT_A_WITNESS.format(region=witness_delete, table=state.table))
        if state.item_count:
            raise GlobalTableRuleError(MRSC_NOT_EMPTY.format(items=state.item_count))
        if state.has_local_secondary_indexes:
            raise GlobalTableRuleError(MRSC_LSI)
        if state.ttl_enabled:
            raise GlobalTableRuleError(MRSC_TTL)
        regions = [state.local_region, *creates, *([witness_create] if witness_create else [])]
        if witness_create in (state.local_region, *creates):
            raise GlobalTableRuleError(WITNESS_NOT_A_REPLICA.format(region=witness_create))
        if len(regions) != MRSC_REGION_COUNT:
            raise GlobalTableRuleError(MRSC_THREE_REGIONS.format(count=len(regions), regions=", ".join(regions)))
        if len({mrsc_region_set(region) for region in regions}) != 1 or mrsc_region_set(regions[0]) is None:
            raise GlobalTableRuleError(MRSC_REGION_SET.format(
                us=", ".join(MRSC_REGION_SETS["US"]), eu=", ".join(MRSC_REGION_SETS["EU"]),
                ap=", ".join(MRSC_REGION_SETS["AP"]), regions=", ".join(regions)))
        return ReplicaPlan(tuple(creates), (), witness_create, None, "STRONG",
                           (state.local_region, *creates), witness_create)
    if creates or witness_create:
        raise GlobalTableRuleError(MRSC_NO_ADDITIONS)
    if witness_delete is not None and witness_delete != state.witness:
        raise GlobalTableRuleError(NOT_A_WITNESS.format(region=witness_delete, table=state.table))
    if not deletes and witness_delete is None:  # replica Update actions only: nothing changes
        return ReplicaPlan((), (), None, None, "STRONG", state.replicas, state.witness)
    removed = len(deletes) + (1 if witness_delete else 0)
    if removed != MRSC_REGION_COUNT - 1:
        raise GlobalTableRuleError(MRSC_DELETE_PAIR)
    return ReplicaPlan((), tuple(deletes), None, witness_delete, "STRONG", (), None)


# ---- what a write costs, per Region -------------------------------------------------------------------------------

def replicated_write_units(write_units_charged: float, replica_regions: Sequence[str]) -> dict[str, float]:
    """The replicated write units (rWRU on-demand, rWCU provisioned) one write to a global table charges in each
    Region: "one rWRU per replica table is charged for each write up to 1KB", in every Region holding a replica,
    the one written in included [src:rwru-per-replica]. A witness is charged nothing [src:witness-no-cost].

    ``write_units_charged`` is what the write consumes in its own Region (its size rule is the single-Region one:
    ``dynalab.models.charges``); a GSI's units are not replicated units and stay out of it.
    """
    units = checks.number("write_units_charged", write_units_charged, low=0)
    regions = checks.sequence_of("replica_regions", replica_regions,
                                 lambda name, value: checks.text(name, value, min_length=1), min_length=1)
    return {region: float(units) for region in dict.fromkeys(regions)}


# ---- the monthly bill ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GlobalTableBill:
    """A month of a table in on-demand mode, dollars, in ``replica_tables`` Regions (1: a single-Region table).

    Writes: WRU in one Region, else rWRU in every replica's Region (same price [src:rwru-priced-as-wru]); reads where
    they are made (the same total, spread over Regions); storage in every replica's Region; data transfer for each
    replicated write to each other replica [src:global-tables-transfer]. A witness costs nothing.
    """

    replica_tables: int
    witness: bool
    write_request_units: float  # in all Regions together (rWRU when replicated)
    write_dollars: float
    read_dollars: float
    storage_dollars: float
    transfer_gb: float
    transfer_dollars: float

    @property
    def total_dollars(self) -> float:
        return self.write_dollars + self.read_dollars + self.storage_dollars + self.transfer_dollars

    def lines(self) -> dict[str, float]:
        """Line item -> dollars (English keys, as in the billing page's words)."""
        return {"writes": self.write_dollars, "reads": self.read_dollars, "storage": self.storage_dollars,
                "data transfer": self.transfer_dollars}


def global_table_bill(*, writes_per_month: float, item_size_bytes: int = 1024, reads_per_month: float = 0.0,
                      read_request_units_per_read: float = 0.5, storage_gb: float = 0.0, replica_tables: int = 1,
                      witness: bool = False, prices: Prices = DEFAULT_PRICES) -> GlobalTableBill:
    """The on-demand bill of a month: ``writes_per_month`` writes of ``item_size_bytes`` each (standard writes:
    1 WRU per 1 KB), ``reads_per_month`` reads of ``read_request_units_per_read`` RRU each (0.5: eventually
    consistent, up to 4 KB), ``storage_gb`` of data (before any free tier), in ``replica_tables`` Regions (1 to 20),
    with an MRSC ``witness`` or not.
    """
    writes = checks.number("writes_per_month", writes_per_month, low=0, high=1e15)
    size = checks.size_bytes("item_size_bytes", item_size_bytes, low=1)
    reads = checks.number("reads_per_month", reads_per_month, low=0, high=1e15)
    per_read = checks.number("read_request_units_per_read", read_request_units_per_read, low=0, high=1e6)
    storage = checks.number("storage_gb", storage_gb, low=0, high=1e9, unit="GB")
    tables = checks.number("replica_tables", replica_tables, low=1, high=20, integer=True)
    has_witness = checks.flag("witness", witness)
    prices = checks.instance("prices", prices, Prices, what=N_("a Prices (dynalab.Prices or DEFAULT_PRICES)"))
    if has_witness and tables != MRSC_REGION_COUNT - MRSC_MAX_WITNESSES:
        raise ValueError(tr("witness: an MRSC table with a witness has {replicas} replica tables; got "
                            "replica_tables={tables}", replicas=MRSC_REGION_COUNT - MRSC_MAX_WITNESSES,
                            tables=tables))
    units_per_write = write_units(size)
    # one rWRU per replica table for each write [src:rwru-per-replica]: the units of a write, in every Region
    units = sum(replicated_write_units(units_per_write, [str(n) for n in range(tables)]).values()) * writes
    transfer_gb = writes * size * (tables - 1) / 1024**3
    return GlobalTableBill(
        replica_tables=tables, witness=has_witness, write_request_units=units,
        write_dollars=units * (prices.request_unit("write") if tables == 1 else prices.replicated_write_request_unit),
        read_dollars=reads * per_read * prices.request_unit("read"),
        storage_dollars=storage * tables * prices.storage_gb_month,
        transfer_gb=transfer_gb, transfer_dollars=transfer_gb * prices.inter_region_transfer_per_gb,
    )

