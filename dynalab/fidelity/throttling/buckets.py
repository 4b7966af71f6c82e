"""The throttle's token buckets (``dynalab.models.token_bucket``, THE token bucket) and its per-second counts."""

from __future__ import annotations

from dataclasses import dataclass

from dynalab.models.quotas import PARTITION_MAX_READ_UNITS_PER_SECOND, PARTITION_MAX_WRITE_UNITS_PER_SECOND
from dynalab.models.token_bucket import TokenBucket

__all__ = ["PER_PARTITION_MAX", "KeyCeilings", "SecondCounts", "bucket"]

#: Per-partition ceilings (quotas: burst-adaptive-capacity.html): units per second.
PER_PARTITION_MAX = {"read": float(PARTITION_MAX_READ_UNITS_PER_SECOND),
                     "write": float(PARTITION_MAX_WRITE_UNITS_PER_SECOND)}


@dataclass
class SecondCounts:
    """What happened in one second since the enforcer started."""

    second: int
    served_requests: int = 0
    throttled_attempts: int = 0
    unprocessed_items: int = 0  # batch items handed back unprocessed (the batch itself was served in part)
    read_units: float = 0.0
    write_units: float = 0.0
    read_capacity_units: float = 0.0
    write_capacity_units: float = 0.0

    def units(self, kind: str) -> float:
        return self.write_units if kind == "write" else self.read_units


class KeyCeilings:
    """Today's per-key ceiling (split for heat): a ``TokenBucket`` per (kind, partition-key value), holding one
    second of the ceiling, made on first use as if it had filled since the enforcer started (so a fresh key is
    treated like any other) and refilled when touched, so idle keys cost nothing."""

    def __init__(self, started: float) -> None:
        self.started = started
        self._buckets: dict[tuple[str, bytes], tuple[TokenBucket, float]] = {}

    def admit(self, kind: str, keys: dict[bytes, float], now: float) -> bool:
        """Charge each key its units if every key's bucket is positive (all or nothing)."""
        ceiling = PER_PARTITION_MAX[kind]
        touched = []
        for key, units in keys.items():
            entry = self._buckets.get((kind, key))
            if entry is None:
                made = TokenBucket(ceiling, ceiling, ceiling * max(0.0, now - self.started))
            else:
                made, last = entry
                made.refill(now - last)
            self._buckets[(kind, key)] = (made, now)
            touched.append((made, units))
        if all(made.balance > 0 for made, _ in touched):
            for made, units in touched:
                made.spend(units)
            return True
        return False


def bucket(rate: float, burst_seconds: float) -> TokenBucket:
    """A bucket refilling at ``rate`` that banks ``burst_seconds`` of it (at least one second's worth, so a table
    with burst off still serves its rate)."""
    return TokenBucket(rate, rate * max(burst_seconds, 1.0))
