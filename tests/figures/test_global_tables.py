"""Lesson 9's figures: writes crossing Regions and the month's bill; bad data is named before plotly sees it."""

from __future__ import annotations

import math

import pytest

from dynalab.figures.global_tables import arrivals_figure, bill_figure
from dynalab.models.global_tables import global_table_bill


def test_an_arrival_is_a_line_from_its_region_to_the_other_with_its_lag():
    figure = arrivals_figure(["us-east-1", "us-east-1"], ["us-west-2", "us-west-2"], [0.1, 1.0], [0.6, None],
                             ["a", "b"], regions=["us-west-2", "us-east-1"])
    assert list(figure.layout.yaxis.categoryarray) == ["us-west-2", "us-east-1"]
    assert [a.text for a in figure.layout.annotations] == ["500 ms"]  # the second write has not arrived
    empty = arrivals_figure([], [], [], [], [], regions=["us-west-2", "us-east-1"])
    assert list(empty.layout.yaxis.categoryarray) == ["us-west-2", "us-east-1"] and not empty.layout.annotations


@pytest.mark.parametrize(("call", "named"), [
    (lambda: arrivals_figure(["a"], ["b"], [math.nan], [1.0], ["x"]), "written"),
    (lambda: arrivals_figure(["a"], ["b"], [0.0, 1.0], [1.0], ["x"]), "written"),
    (lambda: arrivals_figure([], [], [], [], []), "regions"),
    (lambda: bill_figure({}), "bills"),
    (lambda: bill_figure({"one": 3}), "bills"),
])
def test_bad_data_is_named(call, named):
    with pytest.raises((ValueError, TypeError), match=named):
        call()


def test_the_bill_stacks_its_lines_per_setup():
    one, three = (global_table_bill(writes_per_month=1e6, storage_gb=10, replica_tables=n) for n in (1, 3))
    figure = bill_figure({"1": one, "3": three})
    assert [trace.name for trace in figure.data] == ["writes", "reads", "storage", "data transfer"]
    assert [a.text for a in figure.layout.annotations] == [f"${one.total_dollars:,.2f}", f"${three.total_dollars:,.2f}"]
