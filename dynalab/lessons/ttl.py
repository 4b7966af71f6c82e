"""Time to live on a local engine: a sweeper that stands in for DynamoDB's background deletes.

On DynamoDB, ``UpdateTimeToLive`` names a number attribute holding an epoch time; some time after that time passes
("within a few days of their expiration time", the developer guide [src:ttl-within-a-few-days]; the API reference
still says "typically within two days" [src:ttl-api-two-days]) the service deletes the item, free; until then the
expired item still shows in reads. The stream shows a REMOVE record with ``userIdentity``
``{"type": "Service", "principalId": "dynamodb.amazonaws.com"}``.

The embedded engine (moto 5.2.5) stores the TTL setting (DescribeTimeToLive answers it) and **never deletes
anything**. So dynalab runs ``TtlSweeper``: ``sweep()`` Scans the table and deletes each expired item through the
engine's API, with the condition that it is still expired (an item renewed meanwhile stays), exactly as a user's
DeleteItem would. It is a stand-in, and says so: it deletes within seconds when asked, AWS within days; its
DeleteItems are metered like anyone's (AWS's TTL deletes consume no write capacity).

How the REMOVE records get their ``userIdentity``: the engine's stream record is a plain REMOVE (it cannot know who
deleted). The sweeper keeps a ledger, in this process, of what it deleted (table, key, expiry value), and the reader
(``EventSourceMapping``) marks a REMOVE record whose old image matches an entry: it knows that record came from the
sweeper. We chose that over changing the engine's records, so that no record claims to be the service's unless a
dynalab sweeper really made it; a reader in another process does not see the ledger (its REMOVEs stay unmarked).
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from dynalab.engine import Lab, check_lab
from dynalab.engine.background import BackgroundPoller
from dynalab.engine.tables import scan_pages
from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.models.quotas import TTL_API_TYPICAL_DELETE_DELAY_SECONDS, TTL_USER_IDENTITY

__all__ = ["TTL_USER_IDENTITY", "TtlSweeper", "enable_ttl", "is_ttl_delete"]

_ledger: dict[tuple[str, str], dict[str, str]] = {}  # (endpoint, table) -> {key JSON: expiry value}
_ledger_lock = threading.Lock()


def _key_text(keys: dict) -> str:
    return json.dumps(keys, sort_keys=True)


def enable_ttl(lab: Lab, table_name: str, attribute_name: str = "expires_at") -> dict:
    """UpdateTimeToLive: turn TTL on with ``attribute_name`` (a Number attribute, epoch seconds)."""
    check_lab(lab)
    table_name = checks.table_name("table_name", table_name)
    checks.text("attribute_name", attribute_name, min_length=1, max_length=255)
    return lab.client.update_time_to_live(TableName=table_name, TimeToLiveSpecification={
        "Enabled": True, "AttributeName": attribute_name})["TimeToLiveSpecification"]


def is_ttl_delete(lab: Lab, table_name: str, body: dict) -> bool:
    """Did a dynalab sweeper in this process make this REMOVE record (its ``dynamodb`` part)? Consumes the entry."""
    key = (str(lab.endpoint_url), table_name)
    with _ledger_lock:
        entries = _ledger.get(key)
        if not entries:
            return False
        text = _key_text(body.get("Keys", {}))
        if text not in entries:
            return False
        old = body.get("OldImage")
        expected = entries[text]
        attribute, value = expected.split("=", 1)
        if old is not None and old.get(attribute, {}).get("N") != value:
            return False  # the item was written again after the sweep and deleted by someone else
        del entries[text]
        return True


#: dynalab's bound: at most 10 sweeps a second (each Scans the table; 1e-9 s swept without pause)
SWEEP_SECONDS_MIN = 0.1


class TtlSweeper(BackgroundPoller):
    """Delete a table's expired items through the engine (see the module text). ``sweep(now)`` once, or
    ``start()`` / ``stop()`` in the background every ``interval_seconds``."""

    def __init__(self, lab: Lab, table_name: str, interval_seconds: float = 1.0) -> None:
        check_lab(lab)
        table_name = checks.table_name("table_name", table_name)
        interval_seconds = checks.number("interval_seconds", interval_seconds, low=SWEEP_SECONDS_MIN, high=3600,
                                         unit="seconds")
        if lab.is_aws:
            raise ValueError(tr("on AWS, DynamoDB deletes expired items itself (within a few days of their expiry); "
                                "the sweeper is a stand-in for local engines only"))
        if not interval_seconds > 0:
            raise ValueError(tr("interval_seconds must be > 0, got {interval_seconds!r}",
                                interval_seconds=interval_seconds))
        self.lab, self.table_name, self.interval_seconds = lab, table_name, interval_seconds
        self.deleted = 0
        self._init_poller()

    #: The one figure AWS gives for how late a TTL delete is: the API reference's two days (the developer guide says
    #: "within a few days"), for a lesson to set beside the sweeper's seconds.
    typical_delay_seconds = TTL_API_TYPICAL_DELETE_DELAY_SECONDS

    def attribute_name(self) -> str | None:
        """The TTL attribute, if TTL is enabled on the table (DescribeTimeToLive)."""
        description = self.lab.client.describe_time_to_live(TableName=self.table_name)["TimeToLiveDescription"]
        if description.get("TimeToLiveStatus") not in ("ENABLED", "ENABLING"):
            return None
        return description.get("AttributeName")

    def sweep(self, now: float | None = None) -> int:
        """Delete every item whose TTL attribute (a Number, epoch seconds) is <= ``now``; return how many."""
        attribute = self.attribute_name()
        if attribute is None:
            return 0
        now = time.time() if now is None else now
        schema = self.lab.client.describe_table(TableName=self.table_name)["Table"]["KeySchema"]
        key_names = [k["AttributeName"] for k in schema]
        expired: list[dict[str, Any]] = []
        for page in scan_pages(self.lab, self.table_name, FilterExpression="#t <= :now",
                               ExpressionAttributeNames={"#t": attribute},
                               ExpressionAttributeValues={":now": {"N": str(int(now))}}):
            expired += page["Items"]
        deleted = 0
        for item in expired:
            keys = {name: item[name] for name in key_names}
            value = item[attribute].get("N")
            if value is None:
                continue  # DynamoDB ignores a TTL attribute that is not a Number
            with _ledger_lock:  # in the ledger before the delete: a reader may see the record at once
                _ledger.setdefault((str(self.lab.endpoint_url), self.table_name), {})[_key_text(keys)] = \
                    f"{attribute}={value}"
            try:
                self.lab.client.delete_item(TableName=self.table_name, Key=keys,
                                            ConditionExpression="#t <= :now",
                                            ExpressionAttributeNames={"#t": attribute},
                                            ExpressionAttributeValues={":now": {"N": str(int(now))}})
                deleted += 1
            except self.lab.client.exceptions.ConditionalCheckFailedException:
                with _ledger_lock:
                    _ledger[(str(self.lab.endpoint_url), self.table_name)].pop(_key_text(keys), None)
        self.deleted += deleted
        return deleted

    # start, stop and running: dynalab.engine.background.BackgroundPoller (a sweep every interval_seconds)
    wait_first = True

    def start(self) -> TtlSweeper:
        return super().start()

    def _poll(self) -> bool:
        self.sweep()
        return False  # a sweeper runs on its timer, found work or not

    def _poll_seconds(self) -> float:
        return self.interval_seconds

    def _thread_name(self) -> str:
        return "dynalab-ttl-sweeper"

    def stop(self) -> None:
        self._stop_thread(10, tr("the TTL sweeper"))
        if self.error is not None:
            error, self.error = self.error, None
            raise error
