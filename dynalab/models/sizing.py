"""How big an item is in DynamoDB's accounting, in bytes: the number every capacity unit is computed from.

The rules ([src:item-size-max-400-kb], [src:number-size-approximation], [src:number-38-digits]):

* An item's size is the sum, over its attributes, of the attribute **name's UTF-8 bytes** plus the **value's size**.
* **String**: its UTF-8 bytes (``"é"`` is 2 bytes, ``"日"`` 3). **Binary**: its raw bytes (base64 on the wire
  does not count). **Boolean** and **Null**: 1 byte.
* **Number**: "approximately 1 byte per 2 significant digits, plus 1 byte". DynamoDB stores a number in base
  100 (two decimal digits a byte, the pairs aligned on the decimal point), plus one byte of sign and exponent,
  plus one terminator byte for a negative number. ``number_size`` implements that exact rule, as the
  independent engine dynalite does (``node_modules/dynalite/db/index.js``, ``valSize``); it agrees with the
  documented approximation, and the lesson shows where the "approximately" comes from (an even digit count
  that is not aligned to the decimal point costs one more byte: 12 is 2 bytes, 1.2 is 3).
  Leading and trailing zeros do not count (they are not significant); zero is 1 byte.
* **List** and **Map**: 3 bytes, plus for each element 1 byte and the element's size (a map element's size
  includes its name's bytes). An empty list or map is 3 bytes.
* **Sets** (string, number, binary): the sum of their elements' sizes. The AWS page has no rule for sets; this
  is what third-party calculators and dynalite do, and dynalite's ConsumedCapacity agrees (tests/dynalite/).

Items come in two shapes: as boto3's resource API takes them (``{"pk": "a", "n": 3}``: :func:`item_size`) and
as the low-level client and the wire take them (``{"pk": {"S": "a"}}``: :func:`typed_item_size`).
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

__all__ = [
    "MAX_ITEM_SIZE_BYTES",
    "AttributeSize",
    "attribute_sizes",
    "item_size",
    "number_size",
    "typed_item_size",
    "typed_value_size",
    "value_size",
]

#: The largest item DynamoDB stores: 400 KB, with 1 KB = 1,024 B, attribute names included (ServiceQuotas.html).
#: A number has at most 38 significant digits (Number data type, HowItWorks.NamingRulesDataTypes.html).
from dynalab.i18n import N_, tr  # noqa: E402
from dynalab.models.quotas import (
    MAX_ITEM_SIZE_BYTES,  # noqa: E402  (re-exported)
    MAX_NUMBER_DIGITS,  # noqa: E402  (re-exported)
    NUMBER_MAX_MAGNITUDE,
    NUMBER_MIN_MAGNITUDE,
)

_SCALAR_TYPES = ("S", "N", "B", "BOOL", "NULL")


@dataclass(frozen=True)
class AttributeSize:
    """One attribute's share of an item's size: the name's bytes and the value's bytes."""

    name: str
    type: str  # DynamoDB's type letter: S, N, B, BOOL, NULL, L, M, SS, NS, BS
    name_bytes: int
    value_bytes: int

    @property
    def size_bytes(self) -> int:
        return self.name_bytes + self.value_bytes


# ----------------------------------------------------------------------------------------------- numbers


#: DynamoDB's number text: ASCII digits, an optional sign, point and exponent (no "1_000", no fullwidth digits,
#: which Python's Decimal would take).
_NUMBER_TEXT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)
_NUMBER_RANGE = N_("0 or a magnitude from {low} to {high}")


def _number_range() -> str:
    return tr(_NUMBER_RANGE, low=NUMBER_MIN_MAGNITUDE, high=NUMBER_MAX_MAGNITUDE)


def _attribute(name: Any) -> str:
    """Where a bad value sits, as a message names it: "item attribute 'pk'"."""
    return tr("item attribute {name!r}", name=name)


def _to_decimal(value: Any, where: str) -> Decimal:
    if isinstance(value, bool):
        raise TypeError(tr("{where}: a number must be int, float, Decimal or numeric text, got bool {value!r}",
                           where=where, value=value))
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # The shortest text that reads back as this float: what a learner means by 0.1 (not 0.1000000000000000055…).
        number = Decimal(repr(float(value)))
    elif isinstance(value, str):
        if not _NUMBER_TEXT.fullmatch(value.strip()):
            raise ValueError(tr("{where}: {value!r:.60} is not a number DynamoDB reads (ASCII digits, optional sign, "
                                "point and exponent)", where=where, value=value))
        number = Decimal(value.strip())
    else:
        raise TypeError(tr("{where}: a number must be int, float, Decimal or numeric text, got {type}",
                           where=where, type=type(value).__name__))
    if not number.is_finite():
        raise ValueError(tr("{where}: DynamoDB cannot store {value!r} (NaN and infinity are not numbers there)",
                            where=where, value=value))
    if not number.is_zero() and not NUMBER_MIN_MAGNITUDE <= number.copy_abs() <= NUMBER_MAX_MAGNITUDE:
        raise ValueError(tr("{where}: DynamoDB cannot store {value!r:.60}: a number must be {number_range}",
                            where=where, value=value, number_range=_number_range()))
    return number


def _int_size(value: int, where: str = "value") -> int:
    """number_size for a Python int, without Decimal: digits of |n| with trailing zeros trimmed (same rule)."""
    if value == 0:
        return 1
    text = str(-value if value < 0 else value)
    if len(text) > 126:  # 10**126 and past: over 9.99...E+125
        raise ValueError(tr("{where}: DynamoDB cannot store {value!r:.60}: a number must be {number_range}",
                            where=where, value=value, number_range=_number_range()))
    count = len(text.rstrip("0"))
    if count > MAX_NUMBER_DIGITS:
        raise ValueError(
            tr("{where}: {value!r} has {count} significant digits; DynamoDB keeps at most {max_number_digits}",
               where=where, value=value, count=count, max_number_digits=MAX_NUMBER_DIGITS)
        )
    unaligned = count % 2 == 0 and (len(text) - 1) % 2 == 0
    return 1 + (count + 1) // 2 + (1 if unaligned else 0) + (1 if value < 0 else 0)


def number_size(value: int | float | Decimal | str, *, where: str = "value") -> int:
    """Bytes a DynamoDB number takes: 1 + its base-100 digits (+1 if negative); zero takes 1.

    Significant digits are counted after trimming leading and trailing zeros; two digits share a byte when they
    sit in the same pair counted from the decimal point, so an even digit count costs one more byte when it is
    not aligned (12 → 2 bytes, 1.2 → 3 bytes, 123 → 3 bytes). Same rule as dynalite's ``valSize``.
    """
    if type(value) is int:
        return _int_size(value, where)
    if (type(value) is str and len(value) <= MAX_NUMBER_DIGITS and value.isascii()
            and (value.isdigit() or (value[:1] == "-" and value[1:].isdigit()))):
        return _int_size(int(value), where)  # integer text, the wire's usual number: same rule, no Decimal
    number = _to_decimal(value, where)
    if number.is_zero():
        return 1
    sign, digits, exponent = number.as_tuple()
    # Trim zeros by hand: Decimal.normalize() would also round to the context's 28 digits.
    start = next(i for i, digit in enumerate(digits) if digit)
    end = len(digits)
    while digits[end - 1] == 0:
        end -= 1
    exponent += len(digits) - end
    count = end - start
    if count > MAX_NUMBER_DIGITS:
        raise ValueError(
            tr("{where}: {value!r} has {count} significant digits; DynamoDB keeps at most {max_number_digits}",
               where=where, value=value, count=count, max_number_digits=MAX_NUMBER_DIGITS)
        )
    first_digit_exponent = exponent + count - 1  # the power of ten of the leading digit
    unaligned = count % 2 == 0 and first_digit_exponent % 2 == 0
    return 1 + math.ceil(count / 2) + (1 if unaligned else 0) + (1 if sign else 0)


# ------------------------------------------------------------------------------ resource-style Python values


def _name_bytes(name: Any, where: str) -> int:
    if not isinstance(name, str):
        raise TypeError(tr("{where}: attribute names must be text, got {type} {name!r}",
                           where=where, type=type(name).__name__, name=name))
    if name == "":
        raise ValueError(tr("{where}: an attribute name cannot be empty", where=where))
    return _utf8_length(name, where)


def _utf8_length(text: str, where: str) -> int:
    if text.isascii():
        return len(text)
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError as error:
        raise ValueError(tr("{where}: text with an unpaired surrogate cannot be stored ({reason})",
                            where=where, reason=error.reason)) from None


def _set_kind(values: Iterable[Any], where: str) -> str:
    kinds = set()
    for element in values:
        if isinstance(element, str):
            kinds.add("SS")
        elif isinstance(element, bytes | bytearray):
            kinds.add("BS")
        elif isinstance(element, int | float | Decimal) and not isinstance(element, bool):
            kinds.add("NS")
        else:
            raise TypeError(tr("{where}: a set may hold text, numbers or bytes, not {type}",
                               where=where, type=type(element).__name__))
    if not kinds:
        raise ValueError(tr("{where}: DynamoDB does not store empty sets", where=where))
    if len(kinds) > 1:
        raise TypeError(tr("{where}: a set must hold one type (text, numbers or bytes), this one mixes {kinds}",
                           where=where, kinds=sorted(kinds)))
    return kinds.pop()


def _type_of(value: Any, where: str) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "BOOL"
    if isinstance(value, str):
        return "S"
    if isinstance(value, int | float | Decimal):
        return "N"
    if isinstance(value, bytes | bytearray) or type(value).__name__ == "Binary":
        return "B"
    if isinstance(value, Mapping):
        return "M"
    if isinstance(value, list | tuple):
        return "L"
    if isinstance(value, set | frozenset):
        return _set_kind(value, where)
    raise TypeError(
        tr("{where}: DynamoDB has no type for {type} {value!r:.60} (use str, int/float/Decimal, bytes, bool, None, "
           "list, dict or a set)", where=where, type=type(value).__name__, value=value)
    )


class _Nested(Exception):
    """A bad value inside a list or map; carries the path so the message can name the exact attribute."""

    def __init__(self, error: TypeError | ValueError, path: str) -> None:
        self.error, self.path = error, path


def _in_element(error: Exception, step: str) -> _Nested:
    if isinstance(error, _Nested):
        return _Nested(error.error, step + error.path)
    return _Nested(error, step)  # type: ignore[arg-type]


def _reraise(error: _Nested, where: str) -> None:
    # Every message of a value's walk starts "value: " (the Japanese templates too), replaced by where it is.
    message = str(error.error).replace("value: ", "", 1) if str(error.error).startswith("value: ") else str(error.error)
    raise type(error.error)(f"{where}{error.path}: {message}") from None


def value_size(value: Any, *, where: str = "value") -> int:
    """Bytes a resource-style Python value takes (see the module docstring for each rule)."""
    try:
        return _value_size(value)
    except _Nested as error:
        _reraise(error, where)
    except (TypeError, ValueError) as error:
        _reraise(_Nested(error, ""), where)
    raise AssertionError("unreachable")


def _value_size(value: Any) -> int:
    kind = type(value)
    if kind is str:
        return len(value) if value.isascii() else _utf8_length(value, "value")
    if kind is int or kind is Decimal:
        return number_size(value, where="value")
    kind_name = _type_of(value, "value")
    if kind_name == "S":
        return _utf8_length(value, "value")
    if kind_name == "N":
        return number_size(value, where="value")
    if kind_name == "B":
        return len(value.value if type(value).__name__ == "Binary" else value)
    if kind_name in ("BOOL", "NULL"):
        return 1
    if kind_name == "L":
        total = 3
        for i, element in enumerate(value):
            try:
                kind = type(element)  # fast paths for the common element types of big lists
                if kind is str and element.isascii():
                    total += 1 + len(element)
                elif kind is int:
                    total += 1 + _int_size(element)
                else:
                    total += 1 + _value_size(element)
            except (TypeError, ValueError, _Nested) as error:
                raise _in_element(error, f"[{i}]") from None
        return total
    if kind_name == "M":
        total = 3
        for name, element in value.items():
            try:
                total += 1 + _name_bytes(name, "value") + _value_size(element)
            except (TypeError, ValueError, _Nested) as error:
                raise _in_element(error, f".{name}") from None
        return total
    if kind_name == "SS":
        return sum(_utf8_length(element, "value") for element in value)
    if kind_name == "NS":
        return sum(number_size(element, where="value") for element in value)
    return sum(len(element) for element in value)  # BS


def attribute_sizes(item: Mapping[str, Any]) -> list[AttributeSize]:
    """Each attribute's name and value bytes, in the item's order (the lesson's breakdown figure)."""
    if not isinstance(item, Mapping):
        raise TypeError(tr("an item must be a dict of attribute name → value, got {type}", type=type(item).__name__))
    return [
        AttributeSize(name, _type_of(value, _attribute(name)), _name_bytes(name, _attribute(name)),
                      value_size(value, where=_attribute(name)))
        for name, value in item.items()
    ]


def item_size(item: Mapping[str, Any]) -> int:
    """An item's size in bytes, for an item written as boto3's resource API takes it.

    >>> item_size({"pk": "user#1", "age": 42})   # 2+6 for pk, 3+2 for age
    13
    """
    if not isinstance(item, Mapping):
        raise TypeError(tr("an item must be a dict of attribute name → value, got {type}", type=type(item).__name__))
    total = 0
    for name, value in item.items():
        if type(name) is str and name.isascii() and name and type(value) is str and value.isascii():
            total += len(name) + len(value)  # the common case, without the general walk
        else:
            where = _attribute(name)
            total += _name_bytes(name, where) + value_size(value, where=where)
    return total


# ------------------------------------------------------------------------- typed (client / wire) values


def typed_value_size(value: Mapping[str, Any], *, where: str = "value") -> int:
    """Bytes a typed attribute value takes: ``{"S": "abc"}``, ``{"N": "12"}``, ``{"B": b"..."}``, ``{"L": [...]}``...

    Binary may be raw bytes (boto3 client input, parsed responses) or base64 text (the JSON on the wire).
    """
    try:
        return _typed_value_size(value)
    except _Nested as error:
        _reraise(error, where)
    except (TypeError, ValueError) as error:
        _reraise(_Nested(error, ""), where)
    raise AssertionError("unreachable")


def _typed_inner(kind: str, inner: Any, types: type | tuple[type, ...], what: str, *, listed: bool = False) -> Any:
    """``inner`` if it is of ``types``, else a TypeError saying ``what`` (an ``N_`` template; "a list of" it when
    ``listed``) it must hold."""
    if not isinstance(inner, types) or (kind == "BOOL" and not isinstance(inner, bool)):
        shown = tr(what)
        if listed:
            shown = tr("a list of {what}", what=shown)
        raise TypeError(tr("value: {{{kind!r}: ...}} must hold {what}, got {type} {inner!r:.60}",
                           kind=kind, what=shown, type=type(inner).__name__, inner=inner))
    return inner


def _typed_set(kind: str, inner: Any, element: type | tuple[type, ...], what: str) -> list[Any]:
    _typed_inner(kind, inner, list | tuple, what, listed=True)
    if not inner:
        raise ValueError(tr("value: DynamoDB does not store empty sets ({{{kind!r}: []}})", kind=kind))
    for element_value in inner:
        _typed_inner(kind, element_value, element, what)
    if len({repr(e) for e in inner}) != len(inner):
        raise ValueError(tr("value: a set holds each value once; {{{kind!r}: ...}} has duplicates {inner!r:.60}",
                            kind=kind, inner=inner))
    return list(inner)


def _typed_value_size(value: Mapping[str, Any]) -> int:
    if not isinstance(value, Mapping) or len(value) != 1:
        raise TypeError(tr("value: a typed value is a one-key dict such as {{'S': 'text'}}, got {value!r:.80}",
                           value=value))
    ((kind, inner),) = value.items()
    if kind == "S":
        _typed_inner(kind, inner, str, N_("text"))
        return len(inner) if inner.isascii() else _utf8_length(inner, "value")
    if kind == "N":
        return number_size(_typed_inner(kind, inner, str, N_("numeric text such as '12'")), where="value")
    if kind == "B":
        return _binary_length(_typed_inner(kind, inner, bytes | bytearray | str, N_("bytes")))
    if kind == "BOOL":
        _typed_inner(kind, inner, bool, N_("True or False"))
        return 1
    if kind == "NULL":
        if inner is not True:
            raise ValueError(tr("value: {{'NULL': ...}} must be {{'NULL': True}}, got {inner!r:.60}", inner=inner))
        return 1
    if kind == "L":
        total = 3
        for i, element in enumerate(_typed_inner(kind, inner, list | tuple, N_("a list of typed values"))):
            try:
                total += 1 + _typed_value_size(element)
            except (TypeError, ValueError, _Nested) as error:
                raise _in_element(error, f"[{i}]") from None
        return total
    if kind == "M":
        total = 3
        for name, element in _typed_inner(kind, inner, Mapping, N_("a dict of name → typed value")).items():
            try:
                total += 1 + _name_bytes(name, "value") + _typed_value_size(element)
            except (TypeError, ValueError, _Nested) as error:
                raise _in_element(error, f".{name}") from None
        return total
    if kind == "SS":
        return sum(_utf8_length(element, "value") for element in _typed_set(kind, inner, str, N_("text")))
    if kind == "NS":
        return sum(number_size(element, where="value") for element in _typed_set(kind, inner, str, N_("numeric text")))
    if kind == "BS":
        return sum(_binary_length(element) for element in _typed_set(kind, inner, bytes | bytearray | str, N_("bytes")))
    raise TypeError(tr("value: unknown DynamoDB type {kind!r} (one of S N B BOOL NULL L M SS NS BS)", kind=kind))


def _binary_length(inner: Any) -> int:
    if isinstance(inner, str):
        return len(base64.b64decode(inner))
    return len(inner)


def typed_item_size(item: Mapping[str, Mapping[str, Any]]) -> int:
    """An item's size in bytes, for an item written as the low-level client (or the wire) takes it."""
    if not isinstance(item, Mapping):
        raise TypeError(tr("an item must be a dict of attribute name → typed value, got {type}",
                           type=type(item).__name__))
    total = 0
    for name, value in item.items():
        where = _attribute(name)
        total += _name_bytes(name, where) + typed_value_size(value, where=where)
    return total


# ------------------------------------------------------------------- what the number rule rests on (lesson 1)
#: Number sizes measured byte-exact on real DynamoDB (eu-west-2, 2026-08-18) by bisecting the 400 KB item gate:
#: nubo-db/dynamodb-conformance ``src/item-size.ts`` (CAPTURED_NUMBER_BYTES), used by nubo-db/dynoxide PR #195.
#: Third-party measurements [3P], not an AWS statement. ``number_size`` agrees with every one of them.
MEASURED_NUMBER_SIZES: dict[str, int] = {
    "0": 1, "1": 2, "12": 2, "123": 3, "1234": 3, "12345678901234567890123456789012345678": 20, "0042": 2,
    "100": 2, "1010": 3, "0.0000001": 2, "1E125": 2, "1E-100": 2, "1.5": 3, "15": 2, "1.2": 3, "1.200": 3,
    "1.234": 4, "3.14159": 5, "123456": 4, "100.5": 4, "0.15": 2, "-42": 3, "-0": 1,
}


def _digit_halves(value: int | float | Decimal | str) -> tuple[int, int, bool]:
    """(integer significant digits, fraction significant digits, negative) as dynoxide PR #195 counts them."""
    number = _to_decimal(value, "number")
    if number.is_zero():
        return 0, 0, False
    sign, digits, exponent = number.as_tuple()
    text = "".join(map(str, digits))
    point = len(text) + exponent  # where the decimal point sits in ``text``
    if point <= 0:
        integer, fraction = "", "0" * -point + text
    elif point >= len(text):
        integer, fraction = text + "0" * (point - len(text)), ""
    else:
        integer, fraction = text[:point], text[point:]
    integer, fraction = integer.lstrip("0"), fraction.rstrip("0")
    # trailing zeros leave the integer half only when no fraction follows (100 → 1 digit; 100.5 → 3 and 1)
    integer_digits = len(integer.rstrip("0")) if not fraction else len(integer)
    fraction_digits = len(fraction.lstrip("0")) if not integer else len(fraction)
    return integer_digits, fraction_digits, bool(sign)


def measured_number_size(value: int | float | Decimal | str) -> int:
    """The formula fitted to the byte-exact measurements (nubo-db/dynoxide PR #195, 2026-08 [3P]):
    1 + ceil(integer significant digits / 2) + ceil(fraction significant digits / 2), + 1 if negative; zero is 1.

    It fits every measured size (``MEASURED_NUMBER_SIZES``), as ``number_size`` does; the two differ on numbers
    nobody has measured, such as 120, 0.012 and 12000 (2 B here, 3 B by ``number_size``)."""
    integer_digits, fraction_digits, negative = _digit_halves(value)
    if integer_digits == fraction_digits == 0:
        return 1
    return 1 + math.ceil(integer_digits / 2) + math.ceil(fraction_digits / 2) + (1 if negative else 0)


def documented_number_size(value: int | float | Decimal | str) -> int:
    """AWS's own words (CapacityUnitCalculations.html): "approximately 1 byte per 2 significant digits, plus 1
    byte", read as 1 + ceil(significant digits / 2) (leading and trailing zeros not significant); zero is 1. The
    page says nothing of a sign byte. An approximation by AWS's own account, not a rule to the byte."""
    number = _to_decimal(value, "number")
    if number.is_zero():
        return 1
    digits = "".join(map(str, number.as_tuple().digits)).strip("0")
    return 1 + math.ceil(len(digits) / 2)


@dataclass(frozen=True)
class NumberSizeRules:
    """One number's size by each rule, in bytes: what lesson 1's table compares."""

    number: str
    exact: int  # ``number_size``: base-100 digits aligned on the decimal point (dynalite's rule; dynalab's default)
    measured_formula: int  # ``measured_number_size``: the formula fitted to measurements on DynamoDB [3P]
    documented: int  # ``documented_number_size``: AWS's "approximately" rule
    measured_on_dynamodb: int | None  # the byte-exact measurement, when one exists

    @property
    def rules_agree(self) -> bool:
        return self.exact == self.measured_formula


def number_size_rules(value: int | float | Decimal | str) -> NumberSizeRules:
    """A number's size by dynalab's rule, the measured formula and AWS's approximation, and the measurement."""
    text = value if isinstance(value, str) else str(value)
    return NumberSizeRules(text, number_size(value), measured_number_size(value), documented_number_size(value),
                           MEASURED_NUMBER_SIZES.get(text))
