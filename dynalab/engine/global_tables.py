"""The embedded engine's replication settings, from a notebook: the MREC lag, the MRSC round trip, isolated Regions.

Global tables themselves need nothing from dynalab: create and use them with DynamoDB's own API
(``UpdateTable(ReplicaUpdates=...)``, a client per Region: ``lab.in_region("us-west-2")``), and every client's writes
replicate inside the engine (``dynalab.engine._global_tables``). What AWS decides by itself (how long replication
takes, how far apart the Regions are, whether a Region is reachable) is a setting of dynalab's engine, read and set
here through its control endpoint (``GET``/``POST`` ``<endpoint>/dynalab/global-tables``, JSON; any HTTP client can
use it too). On AWS none of these is a setting: the lag is typically under a second, and a Region is isolated with
an AWS FIS experiment (``aws:dynamodb:global-table-pause-replication``).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dynalab.engine import EngineFeatureMissingError, Lab, check_lab, check_region
from dynalab.engine._replication import SETTING_RANGES
from dynalab.i18n import tr
from dynalab.models import checks

__all__ = ["ReplicationSettings", "heal_region", "isolate_region", "remove_replicas", "replication_settings",
           "set_replication"]

CONTROL_PATH = "/dynalab/global-tables"  # the same path as dynalab.engine._global_tables.CONTROL_PATH


@dataclass(frozen=True)
class ReplicationSettings:
    """What the engine does with global tables now, and the latest replication latencies it measured."""

    replication_lag_seconds: float
    round_trip_seconds: float
    replica_creation_seconds: float
    isolated_regions: tuple[str, ...]
    global_tables: tuple[dict[str, Any], ...]
    #: the last replicated writes (MREC): table, source_region, receiving_region, milliseconds, at (epoch seconds)
    replication_latency: tuple[dict[str, Any], ...]

    def latencies_ms(self, table: str | None = None, receiving_region: str | None = None) -> list[float]:
        """The measured replication latencies, milliseconds (CloudWatch's ReplicationLatency, per Region pair)."""
        return [sample["milliseconds"] for sample in self.replication_latency
                if (table is None or sample["table"] == table)
                and (receiving_region is None or sample["receiving_region"] == receiving_region)]


def _endpoint(lab: Lab) -> str:
    lab = check_lab(lab)
    if lab.is_aws:
        raise ValueError(tr("replication settings are dynalab's engine's: on AWS, DynamoDB replicates typically "
                            "within a second, and a Region is isolated with an AWS FIS experiment "
                            "(aws:dynamodb:global-table-pause-replication)"))
    return (lab.endpoint_url or "").rstrip("/") + CONTROL_PATH


def _exchange(lab: Lab, body: dict[str, Any] | None = None) -> ReplicationSettings:
    url = _endpoint(lab)
    request = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(),
                                     method="GET" if body is None else "POST",
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            state = json.loads(reply.read())
    except urllib.error.HTTPError as error:
        message = _message(error)
        if error.code == 400 and message:
            raise ValueError(message) from None
        raise EngineFeatureMissingError(_no_global_tables(lab)) from None
    except (OSError, ValueError):
        raise EngineFeatureMissingError(_no_global_tables(lab)) from None
    if not isinstance(state, dict) or "settings" not in state:
        raise EngineFeatureMissingError(_no_global_tables(lab))
    settings = state["settings"]
    return ReplicationSettings(
        replication_lag_seconds=float(settings["replication_lag_seconds"]),
        round_trip_seconds=float(settings["round_trip_seconds"]),
        replica_creation_seconds=float(settings["replica_creation_seconds"]),
        isolated_regions=tuple(state.get("isolated_regions") or ()),
        global_tables=tuple(state.get("global_tables") or ()),
        replication_latency=tuple(state.get("replication_latency") or ()))


def _message(error: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(error.read()).get("message") or "")
    except (OSError, ValueError, AttributeError):
        return ""


def _no_global_tables(lab: Lab) -> str:
    return tr("the engine at {url} has no replication settings: global tables are dynalab's own engine's (the "
              "embedded one, or `python -m dynalab serve`)", url=lab.endpoint_url)


def replication_settings(lab: Lab) -> ReplicationSettings:
    """The engine's replication settings, its isolated Regions, its global tables and the latest latencies."""
    return _exchange(lab)


def set_replication(lab: Lab, *, replication_lag_seconds: float | None = None, round_trip_seconds: float | None = None,
                    replica_creation_seconds: float | None = None,
                    isolated_regions: Sequence[str] | None = None) -> ReplicationSettings:
    """Change the engine's replication settings (None leaves one as it is); all or none.

    ``replication_lag_seconds`` (0 to 30; default 0.5): how long an MREC write takes to reach the other replicas
    (± 20 % per item). ``round_trip_seconds`` (0 to 2; default 0.05): what an MRSC write or strongly consistent read
    waits for another Region. ``replica_creation_seconds`` (0 to 30; default 0.3): how long a new replica is
    CREATING. ``isolated_regions``: the Regions cut off from the others (an empty list heals every Region).
    """
    body: dict[str, Any] = {}
    for name, value in (("replication_lag_seconds", replication_lag_seconds),
                        ("round_trip_seconds", round_trip_seconds),
                        ("replica_creation_seconds", replica_creation_seconds)):
        if value is not None:
            low, high = SETTING_RANGES[name]
            body[name] = checks.number(name, value, low=low, high=high, unit="seconds")
    if isolated_regions is not None:
        body["isolated_regions"] = sorted(set(checks.sequence_of("isolated_regions", isolated_regions,
                                                                 check_region)))
    return _exchange(lab, body)


def isolate_region(lab: Lab, region: str) -> ReplicationSettings:
    """Cut ``region`` off from the other Regions (as AWS FIS's Region isolation does): MREC writes there stay there
    until it is healed; MRSC refuses writes and strongly consistent reads there."""
    check_region("region", region)
    isolated = set(replication_settings(lab).isolated_regions) | {region}
    return set_replication(lab, isolated_regions=sorted(isolated))


def heal_region(lab: Lab, region: str | None = None) -> ReplicationSettings:
    """Reconnect ``region`` (None: every Region): what it held back replicates, what it missed arrives."""
    if region is not None:
        check_region("region", region)
    isolated = set(replication_settings(lab).isolated_regions)
    return set_replication(lab, isolated_regions=[] if region is None else sorted(isolated - {region}))


def remove_replicas(lab: Lab, table_name: str) -> list[str]:
    """Make a global table single-Region again before it is deleted: DynamoDB refuses DeleteTable of a replica that
    sourced another in the last 24 hours, and of one replica of an MRSC table. One ``UpdateTable`` deletes every
    other replica (and the witness), in the lab's Region; returns the Regions removed ([] for a single-Region table
    or one that does not exist)."""
    lab = check_lab(lab)
    try:
        description = lab.client.describe_table(TableName=table_name)["Table"]
    except lab.client.exceptions.ResourceNotFoundException:
        return []
    others = [r["RegionName"] for r in description.get("Replicas") or [] if r["RegionName"] != lab.region]
    if not others:
        return []
    updates: dict[str, Any] = {"ReplicaUpdates": [{"Delete": {"RegionName": region}} for region in others]}
    witnesses = [w["RegionName"] for w in description.get("GlobalTableWitnesses") or []]
    if witnesses:
        updates["GlobalTableWitnessUpdates"] = [{"Delete": {"RegionName": witnesses[0]}}]
    lab.client.update_table(TableName=table_name, **updates)
    return others
