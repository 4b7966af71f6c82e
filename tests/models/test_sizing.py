"""Item sizes, pinned to the documented rules ([src:number-size-approximation], [src:item-size-max-400-kb])."""

from __future__ import annotations

from decimal import Decimal

import pytest
from boto3.dynamodb.types import Binary

from dynalab.models.sizing import (
    MAX_ITEM_SIZE_BYTES,
    attribute_sizes,
    item_size,
    number_size,
    typed_item_size,
)


def test_string_is_name_plus_utf8_bytes():
    assert item_size({"pk": "abc"}) == 2 + 3
    # UTF-8, not characters and not UTF-16: é is 2 bytes, 日本 is 6, an emoji 4.
    assert item_size({"name": "é"}) == 4 + 2
    assert item_size({"name": "日本"}) == 4 + 6
    assert item_size({"e": "😀"}) == 1 + 4
    assert item_size({"名前": "x"}) == 6 + 1  # names count in UTF-8 too


def test_binary_counts_raw_bytes_not_base64():
    assert item_size({"b": b"\x00" * 10}) == 1 + 10
    assert item_size({"b": Binary(b"abc")}) == 1 + 3
    assert typed_item_size({"b": {"B": "AAAAAAAAAAAAAA=="}}) == 1 + 10  # wire base64 of 10 bytes


def test_boolean_and_null_are_one_byte():
    assert item_size({"ok": True, "none": None}) == (2 + 1) + (4 + 1)


@pytest.mark.parametrize(
    ("number", "size"),
    [
        (0, 1), (Decimal("0.000"), 1),
        (1, 2), (12, 2), (123, 3), (1234, 3),  # 1 byte + a byte per 2 digits
        (Decimal("1.2"), 3),  # even digit count not aligned to the decimal point: one more byte
        (Decimal("12.34"), 3), (Decimal("1.234"), 4),
        (100, 2), (Decimal("1E+10"), 2), (Decimal("0.001"), 2),  # leading/trailing zeros are not significant
        (-1, 3), (-12, 3),  # negatives: one more byte
        (int("9" * 38), 20),
        (0.1, 2), (1.5, 3),
    ],
)
def test_number_size_by_significant_digits(number, size):
    assert number_size(number) == size


def test_number_size_agrees_with_the_documented_approximation():
    # "approximately 1 byte per 2 significant digits, plus 1": never more than 2 bytes off, and exact when aligned.
    for digits in range(1, 39):
        value = int("7" * digits)
        approx = 1 + (digits + 1) // 2
        assert abs(number_size(value) - approx) <= 1
        assert number_size(value) - approx in (0, 1)


@pytest.mark.parametrize("text", ["0", "-0", "007", "-007", "100", "-100", "12", "-12", "1" + "0" * 37,
                                  "9" * 38, "-" + "9" * 38, "10" * 19, "1.2", " 12", "+12", "1E+2"])
def test_number_text_is_sized_like_the_decimal_it_reads_as(text):
    # Integer text (how every number travels on the wire) takes a shortcut past Decimal: it must give the same bytes.
    assert number_size(text) == number_size(Decimal(text.strip()))


def test_list_and_map_add_three_bytes_plus_one_per_element():
    assert item_size({"l": []}) == 1 + 3
    assert item_size({"m": {}}) == 1 + 3
    assert item_size({"l": ["a", "bc"]}) == 1 + 3 + (1 + 1) + (1 + 2)
    assert item_size({"m": {"k": "v", "kk": 1}}) == 1 + 3 + (1 + 1 + 1) + (1 + 2 + 2)
    assert item_size({"m": {"n": {"x": [True]}}}) == 1 + 3 + (1 + 1 + 3 + (1 + 1 + 3 + (1 + 1)))


def test_sets_sum_their_elements():
    assert item_size({"s": {"a", "bcd"}}) == 1 + 4
    assert item_size({"n": {1, 12, 123}}) == 1 + 2 + 2 + 3
    assert item_size({"b": {b"ab", b"c"}}) == 1 + 3


def test_typed_and_resource_shapes_agree():
    item = {"pk": "u#1", "n": Decimal("-3.14"), "l": [1, "x", None], "m": {"k": {"a", "b"}}, "b": b"\x01\x02"}
    typed = {
        "pk": {"S": "u#1"}, "n": {"N": "-3.14"}, "l": {"L": [{"N": "1"}, {"S": "x"}, {"NULL": True}]},
        "m": {"M": {"k": {"SS": ["a", "b"]}}}, "b": {"B": b"\x01\x02"},
    }
    assert item_size(item) == typed_item_size(typed)


def test_breakdown_per_attribute_sums_to_the_item():
    item = {"pk": "user#1", "age": 42, "tags": ["a", "b"]}
    parts = attribute_sizes(item)
    assert [(p.name, p.type, p.name_bytes, p.value_bytes) for p in parts] == [
        ("pk", "S", 2, 6), ("age", "N", 3, 2), ("tags", "L", 4, 3 + 2 + 2)]
    assert sum(p.size_bytes for p in parts) == item_size(item)


def test_the_400_kb_limit_is_409600_bytes():
    assert MAX_ITEM_SIZE_BYTES == 409_600
    assert item_size({"pk": "a", "d": "x" * (409_600 - 4)}) == 409_600


@pytest.mark.parametrize(
    ("item", "error", "names"),
    [
        ({"pk": object()}, TypeError, "'pk'"),
        ({"": "x"}, ValueError, "empty"),
        ({"m": {"": 1}}, ValueError, "empty"),
        ({"s": {"a", 1}}, TypeError, "'s'"),
        ({"s": set()}, ValueError, "'s'"),
        ({"f": float("nan")}, ValueError, "'f'"),
        ({"f": Decimal("Infinity")}, ValueError, "'f'"),
        ({"n": int("1" * 39)}, ValueError, "39 significant digits"),
        ({"deep": {"inner": [1, object()]}}, TypeError, "'deep'.inner[1]"),
    ],
)
def test_bad_input_names_the_attribute(item, error, names):
    with pytest.raises(error, match=names.replace("[", r"\[").replace("]", r"\]")):
        item_size(item)


def test_an_item_must_be_a_mapping():
    with pytest.raises(TypeError, match="dict"):
        item_size(["pk", "a"])
