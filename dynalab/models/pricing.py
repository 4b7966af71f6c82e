"""What a workload costs in provisioned mode (capacity-hours) and in on-demand mode (request units), in dollars.

The price table (``DEFAULT_PRICES``), us-east-1, Standard table class, as read 2026-12 from several agreeing
third-party readings of the AWS Price List (no stored AWS page renders the figures) [src:prices-request-units],
[src:prices-capacity-units], [src:prices-storage-free-tier], [src:stream-reads-billed-per-request],
[src:lambda-get-records-free], [src:lambda-prices]:

==============================================  ===========================  ================================
item                                            price                        source
==============================================  ===========================  ================================
on-demand write request units                   $0.625 per million           AWS Price List (since 2024-11-01;
on-demand read request units                    $0.125 per million           before: $1.25 / $0.25)
provisioned write capacity unit                 $0.00065 per WCU-hour        AWS Price List (unchanged)
provisioned read capacity unit                  $0.00013 per RCU-hour        AWS Price List (unchanged)
storage                                         $0.25 per GB-month           after the first 25 GB free
DynamoDB Streams GetRecords (your own reader)   $0.02 per 100,000 requests   after 2.5 M free a month per
                                                                             account and Region
                                                                             (CostOptimization_StreamsUsage)
Streams reads by a Lambda trigger               free                         (CostOptimization_StreamsUsage)
Lambda requests (invocations)                   $0.20 per million            "How AWS Pricing Works" whitepaper,
                                                                             Lambda section (1 M free a month)
Lambda duration (x86)                           $0.00001667 per GB-second    same (400,000 GB-s free a month)
global tables: replicated write request units   = on-demand write units      "priced the same as single-Region
(rWRU) and capacity units (rWCU)                                             write units" (global-tables-
                                                                             billing) [src:rwru-priced-as-wru]
data transfer to another Region (us-east-1)     $0.02 per GB                 third-party readings of the AWS
                                                                             Price List [src:global-tables-
                                                                             transfer]
==============================================  ===========================  ================================

A WCU costs 5x an RCU on both price lists, which is why costs are compared in dollars, never in summed units.
Provisioned capacity is billed per hour it is held, used or not [src:provisioned-billed-per-hour-held]. The free
tiers (25 GB of storage, 2.5 M stream reads a month) are per account and Region, shared by every table: a plan for
one table should not count on them. Your own stream reader pays for every GetRecords, empty polls included
(``stream_polls_per_month``).
Pass your own ``Prices`` for another Region or date: every function takes prices as a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dynalab.i18n import N_, tr
from dynalab.models import checks
from dynalab.models._shown import Shown
from dynalab.models.autoscaling import check_minutes
from dynalab.models.quotas import ESM_POLLS_PER_SECOND, HOURS_PER_MONTH, SECONDS_PER_HOUR

__all__ = [
    "DEFAULT_PRICES",
    "CostComparison",
    "Prices",
    "break_even_utilization",
    "compare_costs",
    "on_demand_cost",
    "provisioned_cost",
]

_KINDS = ("write", "read")


@dataclass(frozen=True)
class Prices:
    """US dollars. ``taken`` says when and from where the figures come."""

    write_capacity_unit_hour: float = 0.00065
    read_capacity_unit_hour: float = 0.00013
    write_request_units_per_million: float = 0.625
    read_request_units_per_million: float = 0.125
    storage_gb_month: float = 0.25
    storage_free_gb: float = 25.0
    stream_read_requests_per_100k: float = 0.02
    stream_read_requests_free_per_month: float = 2_500_000.0
    lambda_requests_per_million: float = 0.20
    lambda_gb_second: float = 0.00001667
    #: data transfer out of us-east-1 to another Region, per GB (global tables replicate) [src:global-tables-transfer]
    inter_region_transfer_per_gb: float = 0.02
    taken: str = Shown(N_("2026-12 reading of the AWS Price List (several agreeing third-party readings), us-east-1, "
                          "Standard table class; on-demand after the 2024-11-01 cut; Lambda from the 'How AWS Pricing "
                          "Works' whitepaper "
                          "(docs.aws.amazon.com/whitepapers/latest/how-aws-pricing-works/lambda.html)"))

    def __post_init__(self) -> None:
        for name in ("write_capacity_unit_hour", "read_capacity_unit_hour", "write_request_units_per_million",
                     "read_request_units_per_million", "storage_gb_month", "stream_read_requests_per_100k",
                     "lambda_requests_per_million", "lambda_gb_second", "inter_region_transfer_per_gb"):
            checks.number(f"Prices.{name}", getattr(self, name), low=0, low_open=True, unit=N_("dollars"))
        for name in ("storage_free_gb", "stream_read_requests_free_per_month"):
            checks.number(f"Prices.{name}", getattr(self, name), low=0)
        checks.text("Prices.taken", self.taken, min_length=1)

    def capacity_unit_hour(self, kind: str) -> float:
        return self.write_capacity_unit_hour if _kind(kind) == "write" else self.read_capacity_unit_hour

    def request_unit(self, kind: str) -> float:
        per_million = (self.write_request_units_per_million if _kind(kind) == "write"
                       else self.read_request_units_per_million)
        return per_million / 1_000_000

    @property
    def replicated_write_request_unit(self) -> float:
        """Dollars per replicated write request unit (rWRU): "Replicated write units (rWCUs and rWRUs) are priced the
        same as single-Region write units (WCUs and WRUs)" (global-tables-billing) [src:rwru-priced-as-wru]."""
        return self.request_unit("write")

    @property
    def replicated_write_capacity_unit_hour(self) -> float:
        """Dollars per replicated write capacity unit-hour (rWCU): priced as a WCU [src:rwru-priced-as-wru]."""
        return self.capacity_unit_hour("write")

    def storage_per_month(self, size_gb: float, *, free_tier: bool = True) -> float:
        """Dollars a month to store ``size_gb``; with ``free_tier`` the first ``storage_free_gb`` are free (that free
        tier is per account and Region, shared by every table [src:prices-storage-free-tier])."""
        checks.number("size_gb", size_gb, low=0, unit="GB")
        free = self.storage_free_gb if checks.flag("free_tier", free_tier) else 0.0
        return max(0.0, size_gb - free) * self.storage_gb_month

    def stream_reads_per_month(self, get_records_calls: float, *, lambda_trigger: bool = False) -> float:
        """Dollars a month for ``get_records_calls`` GetRecords requests (free for a Lambda trigger; the first
        ``stream_read_requests_free_per_month`` free per account and Region)."""
        checks.number("get_records_calls", get_records_calls, low=0)
        if checks.flag("lambda_trigger", lambda_trigger):
            return 0.0
        billable = max(0.0, get_records_calls - self.stream_read_requests_free_per_month)
        return billable / 100_000 * self.stream_read_requests_per_100k

    @staticmethod
    def stream_polls_per_month(poll_interval_seconds: float = 1 / ESM_POLLS_PER_SECOND, shards: int = 1) -> float:
        """GetRecords requests your own reader makes in a month (730 hours) polling each shard every
        ``poll_interval_seconds``: every poll is a billed request, empty or not [src:stream-reads-billed-per-request].
        Every 0.25 s, one shard: 4 x 3,600 x 730 = 10,512,000."""
        interval = checks.number("poll_interval_seconds", poll_interval_seconds, low=0.001, high=3600.0,
                                 unit="seconds")
        count = checks.number("shards", shards, low=1, high=100_000, integer=True)
        return count * HOURS_PER_MONTH * SECONDS_PER_HOUR / interval


    def lambda_invocations(self, invocations: float, *, duration_seconds: float = 0.0,
                           memory_gb: float = 0.125) -> float:
        """Dollars for ``invocations`` Lambda requests of ``duration_seconds`` each at ``memory_gb`` (free tier
        not subtracted: it is per account, shared by every function)."""
        for name, value in (("invocations", invocations), ("duration_seconds", duration_seconds),
                            ("memory_gb", memory_gb)):
            checks.number(name, value, low=0)
        return invocations * (self.lambda_requests_per_million / 1_000_000
                              + duration_seconds * memory_gb * self.lambda_gb_second)


DEFAULT_PRICES = Prices()


def _kind(kind: str) -> str:
    return checks.choice("kind", kind, _KINDS)


def _prices(prices: Any) -> Prices:
    return checks.instance("prices", prices, Prices, what=N_("a Prices (dynalab.Prices or DEFAULT_PRICES)"))


def _per_minute(name: str, values: Sequence[float] | np.ndarray, low_open: bool = False) -> np.ndarray:
    allowed = (tr("a non-empty series of units per second > 0 (finite), one per minute") if low_open
               else tr("a non-empty series of units per second >= 0 (finite), one per minute"))
    if isinstance(values, str | bytes | Mapping) or values is None:
        raise checks.ParameterTypeError(tr("{name} must be {allowed}; got {values!r:.60}",
                                           name=name, allowed=allowed, values=values))
    check_minutes(name, values)
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise checks.ParameterTypeError(tr("{name} must be {allowed}; got {values!r:.60}",
                                           name=name, allowed=allowed, values=values)) from None
    if array.ndim != 1 or array.size == 0 or not np.all(np.isfinite(array)) \
            or np.any(array <= 0 if low_open else array < 0):
        raise ValueError(tr("{name} must be {allowed}; got {values!r:.60}", name=name, allowed=allowed, values=values))
    return array


def provisioned_cost(provisioned_per_minute: Sequence[float] | np.ndarray, kind: str = "write",
                     prices: Prices = DEFAULT_PRICES) -> float:
    """Dollars for provisioned capacity held minute by minute (capacity-hours x price), used or not."""
    capacity = _per_minute("provisioned_per_minute", provisioned_per_minute)
    return float(capacity.sum() / 60.0 * prices.capacity_unit_hour(kind))


def on_demand_cost(units_per_second_per_minute: Sequence[float] | np.ndarray, kind: str = "write",
                   prices: Prices = DEFAULT_PRICES) -> float:
    """Dollars in on-demand mode: every request unit served (units per second x 60 per minute) x its price."""
    units = _per_minute("units_per_second_per_minute", units_per_second_per_minute)
    return float(units.sum() * 60.0 * prices.request_unit(kind))


def break_even_utilization(kind: str = "write", prices: Prices = DEFAULT_PRICES) -> float:
    """The average utilisation (percent) above which provisioned capacity is cheaper than on-demand.

    One capacity unit held for an hour costs ``capacity_unit_hour``; used fully, it serves 3,600 request units,
    which on-demand would bill 3,600 x ``request_unit``. Default prices: 0.00065 / 0.00225 = 28.9 %.
    """
    prices = _prices(prices)
    return 100.0 * prices.capacity_unit_hour(kind) / (3600.0 * prices.request_unit(kind))


@dataclass(frozen=True)
class CostComparison:
    """One workload's cost, dollars, in three setups, over ``hours``."""

    hours: float
    provisioned_autoscaling: float
    provisioned_fixed: float
    fixed_capacity: int
    on_demand: float
    break_even_utilization: float
    average_utilization: float  # served / provisioned with auto scaling, percent

    @property
    def cheapest(self) -> str:
        """The cheapest setup, named in the current language ("provisioned, fixed at the peak", ...)."""
        options = {N_("provisioned with auto scaling"): self.provisioned_autoscaling,
                   N_("provisioned, fixed at the peak"): self.provisioned_fixed, N_("on-demand"): self.on_demand}
        return tr(min(options, key=options.get))


def compare_costs(demand: Sequence[float] | np.ndarray, provisioned: Sequence[float] | np.ndarray,
                  served: Sequence[float] | np.ndarray | None = None, kind: str = "write",
                  prices: Prices = DEFAULT_PRICES) -> CostComparison:
    """Cost of a workload: provisioned as auto scaling held it, provisioned fixed at the peak demand, on-demand.

    ``served`` (what was served under auto scaling) sets the utilisation; on-demand bills the whole ``demand``.
    """
    _kind(kind)
    prices = _prices(prices)
    asked = _per_minute("demand", demand)
    held = _per_minute("provisioned", provisioned, low_open=True)  # a provisioned table holds at least 1 unit
    if held.size != asked.size:
        raise ValueError(tr("provisioned has {size} minutes but demand has {demand}", size=held.size,
                            demand=asked.size))
    used = asked if served is None else _per_minute("served", served)
    if used.size != asked.size:
        raise ValueError(tr("served has {size} minutes but demand has {demand}", size=used.size, demand=asked.size))
    fixed = max(1, int(np.ceil(asked.max())))
    return CostComparison(
        hours=asked.size / 60.0,
        provisioned_autoscaling=provisioned_cost(held, kind, prices),
        provisioned_fixed=provisioned_cost(np.full(asked.size, float(fixed)), kind, prices),
        fixed_capacity=fixed,
        on_demand=on_demand_cost(asked, kind, prices),
        break_even_utilization=break_even_utilization(kind, prices),
        average_utilization=float(100.0 * used.sum() / held.sum()) if held.sum() else 0.0,
    )
