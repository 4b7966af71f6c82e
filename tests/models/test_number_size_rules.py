"""What lesson 1's number rule rests on: the byte-exact measurements on DynamoDB, the rules, where they disagree."""

from __future__ import annotations

import pytest

from dynalab.models.sizing import (
    MEASURED_NUMBER_SIZES,
    documented_number_size,
    measured_number_size,
    number_size,
    number_size_rules,
)


@pytest.mark.parametrize(("literal", "measured"), sorted(MEASURED_NUMBER_SIZES.items()))
def test_both_exact_rules_fit_every_size_measured_on_dynamodb(literal, measured):
    # nubo-db/dynamodb-conformance src/item-size.ts, captured on eu-west-2 2026-08-18
    assert number_size(literal) == measured
    assert measured_number_size(literal) == measured


def test_the_measurements_pin_odd_counts_rounding_up_and_the_negative_byte():
    assert MEASURED_NUMBER_SIZES["123"] == MEASURED_NUMBER_SIZES["1234"] == 3  # odd counts round up
    assert MEASURED_NUMBER_SIZES["-42"] == 3  # a negative number adds a byte
    assert MEASURED_NUMBER_SIZES["3.14159"] == 5  # digits straddling the point: the documented rule says 4
    assert documented_number_size("3.14159") == 4


@pytest.mark.parametrize("literal", ["120", "0.012", "12000"])
def test_where_the_rules_disagree_nobody_has_measured(literal):
    rules = number_size_rules(literal)
    assert (rules.exact, rules.measured_formula, rules.documented) == (3, 2, 2)
    assert rules.measured_on_dynamodb is None and not rules.rules_agree


def test_the_documented_rule_is_an_approximation():
    assert documented_number_size(12) == 2 and documented_number_size(0) == 1
    assert documented_number_size("1.2") == 2 != MEASURED_NUMBER_SIZES["1.2"]
    assert documented_number_size(-42) == 2 != MEASURED_NUMBER_SIZES["-42"]
