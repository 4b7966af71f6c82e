"""What a workload costs in provisioned mode (capacity-hours) and in on-demand mode (request units).

**The default prices are partly unverified** (``../shared/reference/dynamodb-facts.md`` §2: the stored AWS
pricing pages had no figures). Defaults, us-east-1, standard table class, taken 2024-11 (after AWS's November
2024 on-demand price cut):

* on-demand: $0.625 per million write request units, $0.125 per million read request units (airbyte.com, a
  third party; infratally.com quotes $0.25 per million reads: the sources conflict);
* provisioned: $0.00065 per WCU-hour, $0.00013 per RCU-hour (AWS's long-standing us-east-1 list price, from
  memory: **unverified** against a stored AWS page).

Pass your own ``Prices`` for today's figures. Every function takes prices as a parameter; nothing here is
hard-coded into a lesson's numbers except through ``DEFAULT_PRICES``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

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
    taken: str = ("2024-11, us-east-1, standard table class; on-demand from airbyte.com (third party), "
                  "provisioned unverified")

    def __post_init__(self) -> None:
        for name in ("write_capacity_unit_hour", "read_capacity_unit_hour", "write_request_units_per_million",
                     "read_request_units_per_million"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                raise ValueError(f"Prices.{name} must be a positive number of dollars, got {value!r}")

    def capacity_unit_hour(self, kind: str) -> float:
        return self.write_capacity_unit_hour if _kind(kind) == "write" else self.read_capacity_unit_hour

    def request_unit(self, kind: str) -> float:
        per_million = (self.write_request_units_per_million if _kind(kind) == "write"
                       else self.read_request_units_per_million)
        return per_million / 1_000_000


DEFAULT_PRICES = Prices()


def _kind(kind: str) -> str:
    if kind not in _KINDS:
        raise ValueError(f"kind must be 'write' or 'read', got {kind!r}")
    return kind


def _per_minute(name: str, values: Sequence[float] | np.ndarray) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or array.size == 0 or not np.all(np.isfinite(array)) or np.any(array < 0):
        raise ValueError(f"{name} must be a non-empty series of units per second >= 0, one value per minute")
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
        options = {"provisioned with auto scaling": self.provisioned_autoscaling,
                   "provisioned, fixed at the peak": self.provisioned_fixed, "on-demand": self.on_demand}
        return min(options, key=options.get)


def compare_costs(demand: Sequence[float] | np.ndarray, provisioned: Sequence[float] | np.ndarray,
                  served: Sequence[float] | np.ndarray | None = None, kind: str = "write",
                  prices: Prices = DEFAULT_PRICES) -> CostComparison:
    """Cost of a workload: provisioned as auto scaling held it, provisioned fixed at the peak demand, on-demand.

    ``served`` (what was served under auto scaling) sets the utilisation; on-demand bills the whole ``demand``.
    """
    asked = _per_minute("demand", demand)
    held = _per_minute("provisioned", provisioned)
    if held.size != asked.size:
        raise ValueError(f"provisioned has {held.size} minutes but demand has {asked.size}")
    used = asked if served is None else _per_minute("served", served)
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
