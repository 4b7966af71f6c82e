"""DynamoDB's rules on attribute values and names, in DynamoDB's words.

A value holds exactly one type; a number has at most 38 significant digits and a magnitude from 1E-130 to
9.9999999999999999999999999999999999999E+125 (or is zero); a set is not empty and holds each value once (numbers
by value: ``["1", "1.0"]`` is a duplicate); NULL is true; documents nest at most 32 levels; an attribute name is
1 byte to 64 KB (HowItWorks.NamingRulesDataTypes.html, Constraints.html, read 2026-12). The messages are
DynamoDB's, as dynalite reproduces them (``node_modules/dynalite/validations/index.js``) and as DynamoDB Local's
error table spells them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from dynalab.models.quotas import (
    ATTRIBUTE_NAME_MAX_BYTES,
    MAX_NUMBER_DIGITS,
    NESTED_ATTRIBUTE_MAX_DEPTH,
    NUMBER_MAX_MAGNITUDE,
    NUMBER_MIN_MAGNITUDE,
)

__all__ = ["EMPTY_VALUE", "item_problem", "number_problem", "value_problem", "value_text"]

EMPTY_VALUE = "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"
TWO_TYPES = ("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported "
             "datatypes")
NULL_NOT_TRUE = "One or more parameter values were invalid: Null attribute value types must have the value of true"
NESTED_TOO_DEEP = ("Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond "
                   "supported limit")
EMPTY_NAME = "Empty attribute name"
NAME_TOO_LARGE = f"Attribute name is too large, must be less than {ATTRIBUTE_NAME_MAX_BYTES + 1} bytes"
_EMPTY_SET = {
    "SS": "One or more parameter values were invalid: An string set  may not be empty",
    "NS": "One or more parameter values were invalid: An number set  may not be empty",
    "BS": "One or more parameter values were invalid: Binary sets should not be empty",
}
_TYPES = ("S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M")
#: The exponents of the largest and smallest magnitudes (9.99...E+125, 1E-130): a number's leading digit may sit
#: between them.
NUMBER_MAX_EXPONENT = NUMBER_MAX_MAGNITUDE.adjusted()
NUMBER_MIN_EXPONENT = NUMBER_MIN_MAGNITUDE.adjusted()
#: The number text DynamoDB reads (the same as dynalite's Big.js reads): digits, one point, an exponent.
_DIGITS = frozenset("0123456789")


def value_text(values: list[Any]) -> str:
    """A list as DynamoDB's messages show it: ``[a, b]``."""
    return "[" + ", ".join(str(v) for v in values) + "]"


def _number(text: Any) -> Decimal | None:
    if not isinstance(text, str) or not text:
        return None
    body = text[1:] if text[0] == "-" else text
    mantissa, _, exponent = body.replace("E", "e").partition("e")
    whole, point, fraction = mantissa.partition(".")
    if not (whole or fraction) or not set(whole + fraction) <= _DIGITS or (point and not whole and not fraction):
        return None
    if exponent:
        sign_free = exponent[1:] if exponent[0] in "+-" else exponent
        if not sign_free or not set(sign_free) <= _DIGITS:
            return None
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


def number_problem(text: Any) -> str | None:
    """DynamoDB's message for a number it cannot store, or None."""
    if not text:
        return "The parameter cannot be converted to a numeric value"
    number = _number(text)
    if number is None:
        return f"The parameter cannot be converted to a numeric value: {text}"
    if number.is_zero():
        return None
    exponent = number.adjusted()
    if exponent > NUMBER_MAX_EXPONENT:
        return "Number overflow. Attempting to store a number with magnitude larger than supported range"
    if exponent < NUMBER_MIN_EXPONENT:
        return "Number underflow. Attempting to store a number with magnitude smaller than supported range"
    digits = number.as_tuple().digits
    significant = len(digits)
    while significant > 1 and digits[significant - 1] == 0:
        significant -= 1
    if significant > MAX_NUMBER_DIGITS:
        return "Attempting to store more than 38 significant digits in a Number"
    return None


def _set_problem(kind: str, inner: Any) -> str | None:
    if not inner:
        return _EMPTY_SET[kind]
    if kind == "NS":
        for element in inner:
            message = number_problem(element)
            if message is not None:
                return message
        if len({Decimal(element).normalize() for element in inner}) != len(inner):
            return "Input collection contains duplicates"
        return None
    if len(set(inner)) != len(inner):
        if kind == "SS":
            return (f"One or more parameter values were invalid: Input collection {value_text(inner)} contains "
                    "duplicates.")
        return (f"One or more parameter values were invalid: Input collection {value_text(inner)}of type BS "
                "contains duplicates.")
    return None


def value_problem(value: Any, depth: int = 1) -> str | None:
    """DynamoDB's message for a typed attribute value it refuses (``depth``: this value's nesting level), or None."""
    if not isinstance(value, Mapping) or not value:
        return EMPTY_VALUE
    if len(value) > 1:
        for kind in value:  # DynamoDB reports a bad member before the two types
            message = value_problem({kind: value[kind]}, depth) if kind in _TYPES else None
            if message is not None:
                return message
        return TWO_TYPES
    ((kind, inner),) = value.items()
    if kind == "N":
        return number_problem(inner)
    if kind == "NULL":
        return None if inner is True else NULL_NOT_TRUE
    if kind in _EMPTY_SET:
        return _set_problem(kind, inner)
    if kind == "M":
        return _map_problem(inner, depth + 1)
    if kind == "L":
        return _list_problem(inner, depth + 1)
    return None


def _depth_problem(depth: int) -> str | None:
    return NESTED_TOO_DEEP if depth > NESTED_ATTRIBUTE_MAX_DEPTH else None


def _map_problem(inner: Any, depth: int) -> str | None:
    if not isinstance(inner, Mapping):
        return None
    for name, element in inner.items():
        message = (_depth_problem(depth) if isinstance(element, Mapping) else None) or name_problem(name) \
            or value_problem(element, depth)
        if message is not None:
            return message
    return None


def _list_problem(inner: Any, depth: int) -> str | None:
    if not isinstance(inner, list):
        return None
    for element in inner:
        message = _depth_problem(depth) or value_problem(element, depth)
        if message is not None:
            return message
    return None


def name_problem(name: Any) -> str | None:
    """DynamoDB's message for an attribute name it refuses (empty, or 64 KB and more), or None."""
    if not isinstance(name, str):
        return None
    if not name:
        return EMPTY_NAME
    if len(name) > ATTRIBUTE_NAME_MAX_BYTES // 4 and len(name.encode()) > ATTRIBUTE_NAME_MAX_BYTES:
        return NAME_TOO_LARGE
    return None


def item_problem(item: Any) -> str | None:
    """DynamoDB's message for the first attribute of an item (or a key) it refuses, or None."""
    if not isinstance(item, Mapping):
        return None
    for name, value in item.items():
        message = name_problem(name) or value_problem(value)
        if message is not None:
            return message
    return None
