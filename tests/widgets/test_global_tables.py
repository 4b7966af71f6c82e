"""Lesson 9's bill explorer: the readout is the models' bill, beside a single-Region table's, in the setup picked."""

from __future__ import annotations

import pytest

import dynalab
from dynalab.models.global_tables import global_table_bill
from dynalab.models.quotas import HOURS_PER_MONTH
from dynalab.widgets.global_tables import SETUPS, GlobalTableBillExplorer, describe_bills, monthly_bills


def test_the_readout_is_the_models_bill_and_moves_with_the_controls():
    explorer = dynalab.GlobalTableBillExplorer("MREC, 3 Regions", writes_per_second=100)
    month = 100 * HOURS_PER_MONTH * 3600
    three = global_table_bill(writes_per_month=month, reads_per_month=500 * HOURS_PER_MONTH * 3600, storage_gb=50,
                              replica_tables=3)
    assert explorer.bills["MREC, 3 Regions"] == three
    assert f"${three.total_dollars:,.2f} a month" in explorer.readout.value
    explorer.writes.value = 200
    assert explorer.bills == monthly_bills("MREC, 3 Regions", 200)
    explorer.set_controls((explorer.setup, "MRSC, 2 replicas and a witness"))
    bills = monthly_bills("MRSC, 2 replicas and a witness", 200)
    assert all(line.replace("$", "") in explorer.readout.value.replace("$", "") for line in describe_bills(bills))
    assert len(explorer.figure.data) == 4  # writes, reads, storage, data transfer


def test_mrsc_with_three_replicas_costs_what_mrec_in_three_regions_does():
    mrec, mrsc = (monthly_bills(setup, 100) for setup in ("MREC, 3 Regions", "MRSC, 3 replicas"))
    assert mrec["MREC, 3 Regions"] == mrsc["MRSC, 3 replicas"]
    assert set(SETUPS) >= {"MREC, 2 Regions", "MRSC, 2 replicas and a witness"}


@pytest.mark.parametrize(("arguments", "named"), [({"setup": "MRSC, 4 Regions"}, "setup"),
                                                  ({"writes_per_second": -1}, "writes_per_second"),
                                                  ({"writes_per_second": 10_000}, "writes_per_second"),
                                                  ({"storage_gb": float("nan")}, "storage_gb")])
def test_a_bad_argument_is_named_before_any_widget(arguments, named):
    with pytest.raises(ValueError, match=named):
        GlobalTableBillExplorer(**arguments)
