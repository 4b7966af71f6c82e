"""On real AWS, say what a live demo's load will cost before it is written, and refuse it above a ceiling.

Every entry point that writes load (``tables.bulk_load``, ``tables.create_table`` with provisioned capacity,
``lessons.load_generator.run_load``, ...) calls ``approve_load`` first: the one guard. Anywhere but AWS it does
nothing (a local engine costs nothing). On AWS it prints the estimate, priced with the course's own rules
(``dynalab.models.pricing.DEFAULT_PRICES``: us-east-1, Standard table class), and raises ``AwsCostCeilingError`` when
the estimate, added to what this connection already approved, passes ``DYNALAB_AWS_MAX_DOLLARS`` (default 1.00).

What is estimated, per billing mode (the price list's own units):

* an **on-demand** table pays per request: write request units x $0.625 per million, read request units x $0.125
  per million;
* a **provisioned** table pays per capacity-hour, used or not: creating one (or a load whose auto scaling may raise
  it) is estimated as one hour of its capacity (WCU-hours x $0.00065, RCU-hours x $0.00013); requests within that
  capacity cost nothing more. Storage and Streams reads of a lesson's few MB are cents a month and not counted.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.models.pricing import DEFAULT_PRICES, Prices

__all__ = ["DEFAULT_MAX_DOLLARS", "MAX_DOLLARS_ENV_VAR", "AwsCostCeilingError", "LoadEstimate", "approve_load",
           "max_dollars"]

MAX_DOLLARS_ENV_VAR = "DYNALAB_AWS_MAX_DOLLARS"
DEFAULT_MAX_DOLLARS = 1.00


class AwsCostCeilingError(RuntimeError):
    """A load on AWS was refused before it started: its estimate passes DYNALAB_AWS_MAX_DOLLARS."""


def max_dollars() -> float:
    """The ceiling: ``DYNALAB_AWS_MAX_DOLLARS`` (a number of US dollars >= 0), or 1.00 when unset."""
    text = os.environ.get(MAX_DOLLARS_ENV_VAR, "").strip()
    if not text:
        return DEFAULT_MAX_DOLLARS
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value < math.inf:
        raise ValueError(tr("{variable} must be a number of US dollars >= 0 (e.g. 1.00); got {text!r}",
                            variable=MAX_DOLLARS_ENV_VAR, text=text))
    return value


@dataclass(frozen=True)
class LoadEstimate:
    """What one load is estimated to cost on AWS, and how that figure was made."""

    description: str
    dollars: float
    reasoning: str


def estimate_load(description: str, *, write_request_units: float = 0.0, read_request_units: float = 0.0,
                  write_capacity_units: float = 0.0, read_capacity_units: float = 0.0, capacity_hours: float = 1.0,
                  prices: Prices = DEFAULT_PRICES) -> LoadEstimate:
    """Dollars for request units (on-demand) plus capacity held for ``capacity_hours`` (provisioned)."""
    values = {"write_request_units": write_request_units, "read_request_units": read_request_units,
              "write_capacity_units": write_capacity_units, "read_capacity_units": read_capacity_units,
              "capacity_hours": capacity_hours}
    for name, value in values.items():
        checks.number(name, value, low=0)
    parts, dollars = [], 0.0
    if write_request_units or read_request_units:
        dollars += (write_request_units * prices.request_unit("write")
                    + read_request_units * prices.request_unit("read"))
        parts.append(tr("on-demand: {writes:,.0f} write request units at ${write_price} per million, "
                        "{reads:,.0f} read request units at ${read_price} per million",
                        writes=write_request_units, write_price=prices.write_request_units_per_million,
                        reads=read_request_units, read_price=prices.read_request_units_per_million))
    if write_capacity_units or read_capacity_units:
        dollars += capacity_hours * (write_capacity_units * prices.capacity_unit_hour("write")
                                     + read_capacity_units * prices.capacity_unit_hour("read"))
        parts.append(tr("provisioned: {wcu:,.0f} WCU and {rcu:,.0f} RCU for {hours:g} h at ${wcu_price} per "
                        "WCU-hour, ${rcu_price} per RCU-hour", wcu=write_capacity_units, rcu=read_capacity_units,
                        hours=capacity_hours, wcu_price=prices.write_capacity_unit_hour,
                        rcu_price=prices.read_capacity_unit_hour))
    return LoadEstimate(description, dollars, "; ".join(parts) or tr("no billable units"))


def table_billing(lab, table_name: str) -> tuple[str, int, int]:
    """(billing mode, RCU, WCU) of an existing table; ("PAY_PER_REQUEST", 0, 0) for on-demand."""
    table = lab.client.describe_table(TableName=table_name)["Table"]
    mode = table.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED")
    throughput = table.get("ProvisionedThroughput", {})
    if mode == "PAY_PER_REQUEST":
        return mode, 0, 0
    return mode, int(throughput.get("ReadCapacityUnits", 0)), int(throughput.get("WriteCapacityUnits", 0))


def approve_load(lab, estimate: LoadEstimate | None = None, **estimate_args) -> LoadEstimate | None:
    """The one guard: on AWS print the estimate, then refuse it (``AwsCostCeilingError``) if this connection's
    approved total would pass the ceiling. Elsewhere do nothing and return None. Give a ``LoadEstimate``, or the
    arguments of ``estimate_load``."""
    if not getattr(lab, "is_aws", False):
        return None
    if estimate is None:
        estimate = estimate_load(**estimate_args)
    ceiling = max_dollars()
    shown = f"{ceiling:.2f}" if round(ceiling, 2) == ceiling else f"{ceiling:g}"
    total = lab.aws_dollars_approved + estimate.dollars
    if total > ceiling:
        raise AwsCostCeilingError(tr(
            "dynalab refused {description} on AWS: it would cost about ${dollars:,.4f} "
            "({reasoning}; {taken}), which with the ${approved:,.4f} already "
            "approved on this connection is above {variable}={shown}. Make the load smaller, or set "
            "{variable} higher before starting the kernel if you mean to pay for it.",
            description=estimate.description, dollars=estimate.dollars, reasoning=estimate.reasoning,
            taken=DEFAULT_PRICES.taken, approved=lab.aws_dollars_approved, variable=MAX_DOLLARS_ENV_VAR, shown=shown))
    lab.aws_dollars_approved = total
    print(tr("dynalab on AWS: {description} will cost about ${dollars:,.4f} ({reasoning}); "
             "${total:,.4f} so far on this connection, ceiling {variable}={shown}.",
             description=estimate.description, dollars=estimate.dollars, reasoning=estimate.reasoning, total=total,
             variable=MAX_DOLLARS_ENV_VAR, shown=shown), flush=True)
    return estimate


def approve_table_load(lab, table_name: str, description: str, *, write_request_units: float = 0.0,
                       read_request_units: float = 0.0, capacity_up_to: tuple[int, int] | None = None
                       ) -> LoadEstimate | None:
    """``approve_load`` for requests on an existing table, priced by its billing mode (one DescribeTable, AWS only):
    on-demand pays the request units; provisioned pays nothing more, unless the load may raise its capacity to
    ``capacity_up_to`` (RCU, WCU), estimated as one hour of the capacity above what it holds now."""
    if not getattr(lab, "is_aws", False):
        return None
    mode, rcu, wcu = table_billing(lab, table_name)
    if mode == "PAY_PER_REQUEST":
        return approve_load(lab, description=description, write_request_units=write_request_units,
                            read_request_units=read_request_units)
    read_up, write_up = capacity_up_to or (rcu, wcu)
    return approve_load(lab, description=description, read_capacity_units=max(0, read_up - rcu),
                        write_capacity_units=max(0, write_up - wcu))
