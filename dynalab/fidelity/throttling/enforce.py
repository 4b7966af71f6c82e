"""Throttle a lab's table from now on (``enforce_throughput``), and find the throttle a table has."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from dynalab.fidelity.throttling.enforcer import ThroughputEnforcer
from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.models.indexes import indexes_from_description

__all__ = ["enforce_throughput", "find_enforcer"]


def enforce_throughput(lab: Any, table_name: str, *, per_partition: bool = False, partition_mode: str = "today",
                       burst_seconds: float = 300.0, initial_burst_seconds: float = 0.0,
                       clock: Callable[[], float] = time.monotonic,
                       monotonic_sort_key: bool = False) -> ThroughputEnforcer:
    """Throttle ``table_name`` at its provisioned throughput from now on; ``.stop()`` ends it.

    Reads the table's throughput (and key, size for partitions, and each GSI's own throughput: a GSI short of
    write capacity throttles the table's writes that touch it) with DescribeTable; follows later UpdateTable
    calls made through the lab (the table's and its GSIs' new rates). ``initial_burst_seconds``: what the burst
    bucket holds at the start (a fresh bucket: nothing banked yet). ``per_partition=True`` adds the partitions'
    limits: ``partition_mode="today"`` (an item cannot pass 3,000 / 1,000 units a second; a partition-key value
    cannot either on a table without a sort key, with an LSI, or whose sort key only grows: say so with
    ``monotonic_sort_key=True`` [src:hot-key-per-item]) or ``"2017"`` (the 2017 model's even split).
    """
    table_name = checks.table_name("table_name", table_name)
    per_partition = checks.flag("per_partition", per_partition)
    if not callable(clock):
        raise checks.ParameterTypeError(tr("clock must be a function returning seconds (time.monotonic), got "
                                           "{clock!r:.60}", clock=clock))
    if not hasattr(lab, "client") or not hasattr(lab, "fidelity"):
        raise checks.ParameterTypeError(tr("lab must be a dynalab Lab (from dynalab.connect()), got {lab!r:.60}",
                                           lab=lab))
    if getattr(lab, "is_aws", False):
        raise ValueError(tr("enforce_throughput simulates DynamoDB's throttling on a local engine; on AWS the real "
                            "service throttles by itself, so it is not added there"))
    monotonic_sort_key = checks.flag("monotonic_sort_key", monotonic_sort_key)
    description = _described(lab, table_name)
    key = next(k["AttributeName"] for k in description["KeySchema"] if k["KeyType"] == "HASH")
    read, write, gsis = _provisioned(description)
    table_keys, indexes = indexes_from_description(description)
    # the collection splits by sort key unless the table has none, has an LSI, or its sort key only grows
    splits = len(table_keys) > 1 and not any(not index.is_global for index in indexes) and not monotonic_sort_key
    enforcer = ThroughputEnforcer(
        table_name, read, write, partition_key=key, per_partition=per_partition, partition_mode=partition_mode,
        burst_seconds=burst_seconds,
        initial_burst_seconds=initial_burst_seconds, size_gb=description.get("TableSizeBytes", 0) / 1024**3,
        clock=clock, global_secondary_indexes=gsis, table_key_attributes=table_keys,
        table_arn=description.get("TableArn", ""), item_collections_split=splits,
    )
    old = find_enforcer(lab, table_name)
    if old is not None:  # a re-run cell: one table, one throttle (two would each take their share of requests)
        old.stop()
    enforcer._layer = lab.fidelity
    lab.fidelity.add(enforcer)
    return enforcer


def _described(lab: Any, table_name: str) -> dict[str, Any]:
    """DescribeTable's ``Table``, or a ValueError saying to create the table first."""
    from botocore.exceptions import ClientError

    try:
        return lab.client.describe_table(TableName=table_name)["Table"]
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceNotFoundException":
            raise
        raise ValueError(tr("table {table!r} does not exist on this engine: create it first "
                            "(dynalab.create_table with read_capacity_units and write_capacity_units)",
                            table=table_name)) from None


def _provisioned(description: dict[str, Any]) -> tuple[float | None, float | None, list]:
    """(RCU, WCU, [(GSI, RCU, WCU)]) a table is provisioned with; (None, None, []) on-demand."""
    mode = (description.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED")
    throughput = description.get("ProvisionedThroughput") or {}
    read = throughput.get("ReadCapacityUnits") or None
    write = throughput.get("WriteCapacityUnits") or None
    if mode == "PAY_PER_REQUEST" or read is None or write is None:
        return None, None, []
    gsis = []  # on a provisioned table each GSI has its own provisioned throughput
    _, indexes = indexes_from_description(description)
    for index, raw in zip([i for i in indexes if i.is_global], description.get("GlobalSecondaryIndexes") or [],
                          strict=True):
        provisioned = raw.get("ProvisionedThroughput") or {}
        if provisioned.get("ReadCapacityUnits") and provisioned.get("WriteCapacityUnits"):
            gsis.append((index, provisioned["ReadCapacityUnits"], provisioned["WriteCapacityUnits"]))
    return read, write, gsis


def find_enforcer(lab: Any, table_name: str) -> ThroughputEnforcer | None:
    """The throttling now enforced on ``table_name`` through this lab, or None."""
    return next((plugin for plugin in lab.fidelity.plugins
                 if isinstance(plugin, ThroughputEnforcer) and plugin.table_name == table_name and plugin.active),
                None)
