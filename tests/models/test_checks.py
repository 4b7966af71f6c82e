"""The shared validation layer: each check returns the clean value or names the parameter, the value and the range."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from dynalab.models import checks
from dynalab.models.checks import ParameterTypeError


@pytest.mark.parametrize("value, clean", [(3, 3), (np.int64(3), 3), (2.5, 2.5), (np.float32(0.5), 0.5),
                                          (Decimal("1.5"), Decimal("1.5")), (Fraction(1, 3), Fraction(1, 3))])
def test_number_returns_the_clean_value(value, clean):
    result = checks.number("x", value)
    assert result == clean and type(result) is type(clean)


@pytest.mark.parametrize("value", [True, False, np.bool_(True), None, "3", b"3", [3], {}, 1j])
def test_number_refuses_non_numbers_naming_parameter_and_value(value):
    with pytest.raises(TypeError) as raised:
        checks.number("read_capacity_units", value, low=0)
    assert isinstance(raised.value, ValueError)  # ParameterTypeError is both
    message = str(raised.value)
    assert "read_capacity_units" in message and repr(value)[:20] in message and ">= 0" in message


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, np.float64("nan"), Decimal("NaN"),
                                   Decimal("Infinity")])
def test_number_refuses_nan_and_infinity(value):
    with pytest.raises(ValueError, match="finite"):
        checks.number("rate", value)


def test_number_bounds_and_their_words():
    assert checks.number("n", 1, low=1, high=40_000, integer=True) == 1
    with pytest.raises(ValueError, match=r"^n must be an integer from 1 to 40,000; got -1$"):
        checks.number("n", -1, low=1, high=40_000, integer=True)
    with pytest.raises(ValueError, match=r"> 0 and <= 100"):
        checks.number("u", 0, low=0, high=100, low_open=True)
    assert checks.number("u", 100, low=0, high=100, low_open=True) == 100
    with pytest.raises(ValueError, match=r"< 1"):
        checks.number("f", 1.0, high=1, high_open=True)
    with pytest.raises(ValueError, match=r"\(units per second\)"):
        checks.number("r", -2, low=0, unit="units per second")


def test_integer_refuses_floats_even_whole_ones():
    with pytest.raises(TypeError, match="must be an integer"):
        checks.number("count", 2.0, integer=True)


def test_huge_ints_are_compared_not_overflowed():
    with pytest.raises(ValueError, match="got 1000000000000000000000000000000"):
        checks.number("n", 10**30, high=10**6)


@pytest.mark.parametrize("value", [True, False, np.bool_(False)])
def test_flag_accepts_real_bools(value):
    assert checks.flag("reset", value) is bool(value)


@pytest.mark.parametrize("value", ["no", "false", 0, 1, None, 0.0])
def test_flag_refuses_truthy_lookalikes(value):
    with pytest.raises(TypeError, match=r"reset must be True or False; got"):
        checks.flag("reset", value)


def test_choice():
    assert checks.choice("mode", "round_each_term", ("sum_then_round", "round_each_term")) == "round_each_term"
    assert checks.choice("n", 2, [1, 2]) == 2
    with pytest.raises(ValueError, match=r"mode must be one of 'a', 'b'; got 'c'"):
        checks.choice("mode", "c", ["a", "b"])
    with pytest.raises(ValueError):
        checks.choice("n", True, [1, 2])  # True is not 1
    with pytest.raises(ValueError):
        checks.choice("n", np.array([1, 2]), [1, 2])
    assert checks.choice("k", "a", {"a": 1, "b": 2}) == "a"


def test_text():
    assert checks.text("s", "abc", min_length=1, max_length=5) == "abc"
    with pytest.raises(TypeError, match=r"s must be text; got 3 \(int\)"):
        checks.text("s", 3)
    with pytest.raises(ValueError, match=r"of 1 to 5 characters"):
        checks.text("s", "", min_length=1, max_length=5)
    with pytest.raises(ValueError, match=r"matching"):
        checks.text("s", "a b", pattern=r"[a-z]+")


def test_size_bytes_is_capped_at_the_item_limit():
    assert checks.size_bytes("size_bytes", 0) == 0
    assert checks.size_bytes("size_bytes", 409_600) == 409_600
    with pytest.raises(ValueError, match=r"size_bytes must be an integer from 0 to 409,600 .*got 409601"):
        checks.size_bytes("size_bytes", 409_601)
    with pytest.raises(ValueError):
        checks.size_bytes("size_bytes", -1)
    with pytest.raises(TypeError):
        checks.size_bytes("size_bytes", 1.5)
    assert checks.size_bytes("limit_bytes", 10**6, high=10**6) == 10**6


def test_sequence_of():
    assert checks.sequence_of("d", (1, 2)) == [1, 2]
    assert checks.sequence_of("d", np.array([1.0, 2.0])) == [1.0, 2.0]
    positive = lambda n, v: checks.number(n, v, low=0)  # noqa: E731
    with pytest.raises(ValueError, match=r"d\[1\] must be a number >= 0; got -1"):
        checks.sequence_of("d", [1, -1], positive)
    with pytest.raises(TypeError, match="d must be a list"):
        checks.sequence_of("d", "12")
    with pytest.raises(TypeError):
        checks.sequence_of("d", {1, 2})
    with pytest.raises(ValueError, match="1 to 2 elements"):
        checks.sequence_of("d", [], min_length=1, max_length=2)
    with pytest.raises(ValueError, match="one dimension"):
        checks.sequence_of("d", np.zeros((2, 2)))


def test_instance_and_optional():
    assert checks.instance("items", [1], list) == [1]
    with pytest.raises(TypeError, match=r"lab must be a dynalab Lab; got 3"):
        checks.instance("lab", 3, dict, what="a dynalab Lab")
    assert checks.optional(checks.number, "n", None, low=0) is None
    with pytest.raises(ValueError, match="n must be"):
        checks.optional(checks.number, "n", -1, low=0)


def test_table_name():
    assert checks.table_name("table_name", "Votes") == "Votes"
    with pytest.raises(ValueError, match=r"table_name: a table name must be 3 to 255 characters.*'ab'"):
        checks.table_name("table_name", "ab")
    with pytest.raises(TypeError, match="table_name"):
        checks.table_name("table_name", None)


@pytest.mark.parametrize("value, stored", [(0, Decimal(0)), (0.1, Decimal("0.1")), ("12.50", Decimal("12.50")),
                                           (np.int32(7), Decimal(7)), (Decimal("1E-130"), Decimal("1E-130")),
                                           (Decimal("9.9999999999999999999999999999999999999E+125"),
                                            Decimal("9.9999999999999999999999999999999999999E+125"))])
def test_dynamodb_number_accepts_storable_numbers(value, stored):
    assert checks.dynamodb_number("amount", value) == stored


@pytest.mark.parametrize("value", [1e200, Decimal("1E-131"), Decimal("1E+126"), 10**38 + 1, math.nan, "abc",
                                   Decimal("1.000000000000000000000000000000000000001")])
def test_dynamodb_number_refuses_what_dynamodb_refuses(value):
    with pytest.raises(ValueError, match=r"amount must be a number DynamoDB can store .*38 significant digits"):
        checks.dynamodb_number("amount", value)


@pytest.mark.parametrize("value", [True, None, [1]])
def test_dynamodb_number_refuses_non_numbers(value):
    with pytest.raises(TypeError, match="amount"):
        checks.dynamodb_number("amount", value)


def test_long_values_are_cut_short_in_messages():
    with pytest.raises(TypeError) as raised:
        checks.number("n", "x" * 10_000)
    assert len(str(raised.value)) < 300


def test_parameter_type_error_is_both_kinds():
    assert issubclass(ParameterTypeError, TypeError) and issubclass(ParameterTypeError, ValueError)
