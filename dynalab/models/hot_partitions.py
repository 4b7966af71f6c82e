"""The hot-partition simulator: a request stream, placed on partitions by the key model, against their capacity.

A stream of requests (indices into a key vocabulary, see ``dynalab.models.key_distributions``) arrives evenly over
``duration_seconds``. Each key lands on a partition (``dynalab.models.partitions``: a model, DynamoDB's hash is not
public); each partition's demand is compared with what it may serve, in one of three modes:

``"today"`` (the default)
    What DynamoDB documents today [src:partition-3000-1000], [src:adaptive-capacity], [src:warm-throughput]: every
    partition "is designed to deliver" up to 3,000 read / 1,000 write units per second; adaptive capacity lets a
    hot partition use capacity up to the table's total, at once; a hot item is isolated on a partition of its own
    (split for heat), so the ceiling binds **one item** (a full primary key) [src:hot-key-per-item]. The keys here
    are partition-key values: on a table without a sort key each is one item; ``items_per_key`` > 1 spreads each
    key's requests evenly over that many items (a sort key whose item collection DynamoDB can split), so a key may
    serve up to ``items_per_key`` x the ceiling. Leave it at 1 for a collection that cannot be split: a table with a
    local secondary index, which isolates an item collection but "will not split" it
    [src:lsi-no-split-item-collections], or a sort key that only grows (a timestamp). What the table serves at once
    is also bounded by its **warm throughput** (``warm_throughput_per_second``; default: the table's capacity), and a
    table warmed for more still throttles on one partition [src:warm-throughput-partition-limit].
``"today_no_isolation"``
    Adaptive capacity as above, but no isolation of hot items, so keys that share a partition share its ceiling:
    what AWS still states for a provisioned table with Streams enabled [src:split-for-heat-streams].
``"2017"``
    The **2017 model** (archived GuidelinesForTables.md [src:partition-formula-2017]): the table's capacity is
    divided evenly, each partition serves at most its share (capped at the ceiling). A hot key throttles while the
    table has capacity to spare.

Adaptive capacity is modelled as water-filling: every partition keeps at least min(demand, even share).
Vectorised with numpy: per-key counts by ``bincount``, then per partition by a weighted ``bincount``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from dynalab.i18n import N_, tr
from dynalab.models import checks
from dynalab.models._shown import Shown
from dynalab.models.partitions import (
    MAX_HASHED_KEYS,
    PARTITION_MAX_READ_CAPACITY_UNITS,
    PARTITION_MAX_WRITE_CAPACITY_UNITS,
    partition_indices,
)
from dynalab.models.quotas import MAX_ITEM_SIZE_BYTES, MODEL_MAX_CAPACITY_UNITS, WRITE_UNIT_BYTES

__all__ = ["MAX_SIMULATED_PARTITIONS", "MODES", "MODE_LABELS", "PartitionLoad", "keys_per_partition", "serve",
           "simulate_partition_load"]

Mode = Literal["today", "today_no_isolation", "2017"]
MODES: tuple[str, ...] = ("today", "today_no_isolation", "2017")
#: how readouts and figures name each mode (``Shown``: in the current language wherever ``str()`` is taken)
MODE_LABELS = {"today": Shown(N_("today")),
               "today_no_isolation": Shown(N_("today, no isolation (provisioned, with Streams)")),
               "2017": Shown(N_("2017 model"))}
#: The most items a key's requests may be spread over in the model.
MAX_ITEMS_PER_KEY = 1000
#: What one partition serves at most, per second, by kind of unit (3,000 RCU, 1,000 WCU; see quotas).
PARTITION_CEILINGS_PER_SECOND = {"read": PARTITION_MAX_READ_CAPACITY_UNITS, "write": PARTITION_MAX_WRITE_CAPACITY_UNITS}


@dataclass(frozen=True)
class PartitionLoad:
    """Per-partition demand, what was served and what was throttled (units per second), and the totals."""

    mode: str
    kind: str  # "read" or "write"
    partition_count: int
    duration_seconds: float
    units_per_request: float
    table_capacity_per_second: float
    ceiling_per_second: float  # 3,000 read or 1,000 write units per partition
    requests: np.ndarray  # requests per partition (int64)
    demand_per_second: np.ndarray  # units/s asked of each partition
    share_per_second: np.ndarray  # the even share each partition gets in the 2017 model
    warm_throughput_per_second: float  # what the table can serve at once (today's modes)
    served_per_second: np.ndarray
    throttled_per_second: np.ndarray
    hottest_key: str
    hottest_key_requests: int
    hottest_key_served_per_second: float  # what the busiest key got (today: at most the ceiling)

    @property
    def total_requests(self) -> int:
        return int(self.requests.sum())

    @property
    def throttled_requests(self) -> int:
        """Requests refused over the whole stream (rounded to whole requests)."""
        units = float(self.throttled_per_second.sum()) * self.duration_seconds
        return int(round(units / self.units_per_request))

    @property
    def throttled_fraction(self) -> float:
        return self.throttled_requests / self.total_requests

    @property
    def table_demand_per_second(self) -> float:
        return float(self.demand_per_second.sum())

    @property
    def table_utilisation(self) -> float:
        """Demand as a fraction of the table's capacity: below 1 the table as a whole has capacity to spare."""
        return self.table_demand_per_second / self.table_capacity_per_second

    @property
    def throttling_partitions(self) -> np.ndarray:
        """Indices of the partitions that throttled."""
        return np.flatnonzero(self.throttled_per_second > 1e-9)

    @property
    def hottest_partition(self) -> int:
        return int(np.argmax(self.demand_per_second))

    @property
    def label(self) -> str:
        return tr(MODE_LABELS[self.mode])

    def describe(self) -> str:
        """One line for a readout."""
        hot = self.hottest_partition
        limit = (tr("against a share of {share:,.0f}", share=self.share_per_second[hot]) if self.mode == "2017" else
                 tr("(each partition designed for {ceiling:,.0f})", ceiling=self.ceiling_per_second))
        return tr("{total_requests:,} {kind} requests in {duration_seconds:g} second(s) on {partition_count} "
                  "partition(s): table demand {table_demand:,.0f} of {table_capacity:,.0f} units/s "
                  "({table_utilisation:.0%}); hottest partition #{hot} asks {hot_demand:,.0f} units/s {limit}; "
                  "throttled {throttled_requests:,} requests ({throttled_fraction:.1%}) [{label}]",
                  total_requests=self.total_requests, kind=tr("read") if self.kind == "read" else tr("write"),
                  duration_seconds=self.duration_seconds, partition_count=self.partition_count,
                  table_demand=self.table_demand_per_second, table_capacity=self.table_capacity_per_second,
                  table_utilisation=self.table_utilisation, hot=hot, hot_demand=self.demand_per_second[hot],
                  limit=limit, throttled_requests=self.throttled_requests,
                  throttled_fraction=self.throttled_fraction, label=self.label)


def serve(demand: np.ndarray, ceiling: float, total: float) -> np.ndarray:
    """Water-filling: serve each demand up to ``ceiling`` and a common level, so the sum is at most ``total``.

    Everyone gets min(demand, ceiling) if that fits in ``total``; otherwise the level L with
    sum(min(demand, ceiling, L)) == total, so small demands are served in full and big ones share the rest.
    """
    capped = np.minimum(np.asarray(demand, dtype=np.float64), ceiling)
    if capped.sum() <= total:
        return capped
    ordered = np.sort(capped)
    before = np.concatenate(([0.0], np.cumsum(ordered)[:-1]))  # sum of the smaller demands
    remaining = np.arange(len(ordered), 0, -1, dtype=np.float64)
    levels = (total - before) / remaining  # the level if everyone from position k on is capped at it
    k = int(np.argmax(ordered >= levels))  # first position whose demand reaches its level
    return np.minimum(capped, levels[k])


#: dynalab's own bound on the partitions a simulation holds (not an AWS limit): each is a few numpy rows, so 100,000
#: partitions take about 10 MB (10**8 took 3.9 GB). A table that reaches it would hold 300 million read units a
#: second; the lesson's explorer shows up to 1,000.
MAX_SIMULATED_PARTITIONS = 100_000
#: dynalab's bound on ``duration_seconds``: a day (the stream's requests are spread over it; the cost is theirs)
MAX_SIMULATED_SECONDS = 86_400
#: the most units one request may cost: a transactional write of a 400 KB item, 2 × 400 write units
MAX_UNITS_PER_REQUEST = 2 * MAX_ITEM_SIZE_BYTES // WRITE_UNIT_BYTES


def _check_positive(name: str, value: Any, high: float = MODEL_MAX_CAPACITY_UNITS) -> float:
    return float(checks.number(name, value, low=0, low_open=True, high=high))


def _check_partition_count(partition_count: Any) -> int:
    return checks.number("partition_count", partition_count, low=1, high=MAX_SIMULATED_PARTITIONS, integer=True,
                         unit=N_("dynalab's simulation limit"))


def simulate_partition_load(distribution: Any, request_keys: np.ndarray, *, partition_count: int,
                            table_capacity_per_second: float, duration_seconds: float = 1.0,
                            kind: str = "read", mode: Mode = "today", units_per_request: float = 1.0,
                            warm_throughput_per_second: float | None = None, items_per_key: int = 1) -> PartitionLoad:
    """Place a request stream on partitions and serve it.

    ``distribution`` is a ``KeyDistribution`` (its keys and their cached hashes); ``request_keys`` the stream,
    indices into its keys (``distribution.sample(n, seed)``). ``table_capacity_per_second`` is the table's RCU
    (``kind="read"``) or WCU (``kind="write"``); each request costs ``units_per_request``.
    ``warm_throughput_per_second`` (today's modes): what the table can serve at once, if lower than its capacity.
    ``items_per_key`` ("today"): the items each key's requests spread over (1: a key is one item, or a collection
    DynamoDB cannot split).
    """
    checks.choice("mode", mode, MODES)
    checks.choice("kind", kind, PARTITION_CEILINGS_PER_SECOND)
    items = checks.number("items_per_key", items_per_key, low=1, high=MAX_ITEMS_PER_KEY, integer=True)
    capacity = _check_positive("table_capacity_per_second", table_capacity_per_second)
    duration = _check_positive("duration_seconds", duration_seconds, MAX_SIMULATED_SECONDS)
    unit = _check_positive("units_per_request", units_per_request, MAX_UNITS_PER_REQUEST)
    partition_count = _check_partition_count(partition_count)
    warm = capacity if warm_throughput_per_second is None else _check_positive("warm_throughput_per_second",
                                                                              warm_throughput_per_second)
    if not all(hasattr(distribution, name) for name in ("keys", "hashes")):
        raise checks.ParameterTypeError(tr("distribution must be a KeyDistribution (from key_distribution), got "
                                           "{type} {distribution!r:.60}",
                                           type=type(distribution).__name__, distribution=distribution))
    if not isinstance(request_keys, list | tuple | np.ndarray):
        raise checks.ParameterTypeError(tr("request_keys must be an array of key indices (distribution.sample(n)), "
                                           "got {type} {request_keys!r:.60}",
                                           type=type(request_keys).__name__, request_keys=request_keys))
    request_keys = np.asarray(request_keys)
    if request_keys.size and (request_keys.ndim != 1 or not np.issubdtype(request_keys.dtype, np.integer)):
        raise checks.ParameterTypeError(tr("request_keys must be a 1-D array of integer indices into "
                                           "distribution.keys, got dtype {dtype} shape {shape}",
                                           dtype=request_keys.dtype, shape=request_keys.shape))
    if request_keys.size == 0:
        raise ValueError(tr("request_keys must hold at least one request, got an empty stream"))
    cardinality = len(distribution.keys)
    if request_keys.min() < 0 or request_keys.max() >= cardinality:
        raise ValueError(tr("request_keys must be indices from 0 to {last} into distribution.keys",
                            last=cardinality - 1))
    ceiling = float(PARTITION_CEILINGS_PER_SECOND[kind])

    per_key = np.bincount(request_keys, minlength=cardinality)
    key_partition = partition_indices(None, partition_count, hashes=distribution.hashes)
    requests = np.bincount(key_partition, weights=per_key, minlength=partition_count).astype(np.int64)
    demand = requests * (unit / duration)
    share_each = min(capacity / partition_count, ceiling)
    share = np.full(partition_count, share_each)

    at_once = min(capacity, warm)  # today: the table's capacity, within what it is warmed for
    hottest = int(np.argmax(per_key))
    if mode == "2017":
        served = np.minimum(demand, share)
    elif mode == "today_no_isolation":  # adaptive capacity, no isolation: the ceiling binds per partition
        served = serve(demand, ceiling, at_once)
    else:  # today: adaptive capacity and split for heat: the ceiling binds per item, items_per_key of them a key
        served_per_key = serve(per_key * (unit / duration), ceiling * items, at_once)
        served = np.bincount(key_partition, weights=served_per_key, minlength=partition_count)
    served = np.minimum(served, demand)  # float safety: never serve more than asked
    if mode == "today":
        key_served = float(served_per_key[hottest])
    else:  # a partition's keys share what it serves, in proportion to what they ask
        home = int(key_partition[hottest])
        key_served = float(served[home] * per_key[hottest] / requests[home]) if requests[home] else 0.0
    return PartitionLoad(
        mode=mode, kind=kind, partition_count=int(partition_count), duration_seconds=duration,
        units_per_request=unit, table_capacity_per_second=capacity, ceiling_per_second=ceiling,
        requests=requests, demand_per_second=demand, share_per_second=share, warm_throughput_per_second=warm,
        served_per_second=served,
        throttled_per_second=demand - served, hottest_key=str(distribution.keys[hottest]),
        hottest_key_requests=int(per_key[hottest]), hottest_key_served_per_second=key_served,
    )


def keys_per_partition(partition_key_values: Iterable[Any], partition_count: int) -> np.ndarray:
    """How many of these keys (e.g. a table's items) land on each partition, per the model."""
    partition_count = _check_partition_count(partition_count)
    values = checks.sequence_of("partition_key_values", partition_key_values, max_length=MAX_HASHED_KEYS)
    if not values:
        raise ValueError(tr("partition_key_values must hold at least one key, got an empty list"))
    return np.bincount(partition_indices(values, partition_count), minlength=partition_count)
