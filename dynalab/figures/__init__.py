"""Plotly figure builders: data in, figure out, one function per picture (a module per lesson topic).

Bad data is refused at the door with a clear error naming the argument (an empty series where a picture needs
points, NaN, series of different lengths, a model result of the wrong kind): the helpers below, built on
``dynalab.models.checks``, so no figure fails deep inside plotly or numpy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from dynalab.i18n import tr
from dynalab.models import checks

#: a figure draws a bar or point per partition, second or setup: past this it is a bad request, not a picture
MAX_POINTS_DRAWN = 100_000


def series(name: str, values: Any, *, low: float | None = None, high: float | None = None, min_length: int = 1,
           integer: bool = False, infinite: bool = False) -> list[Any]:
    """``values`` as a list of finite numbers (``infinite``: +inf allowed too) within ``low``/``high``, at least
    ``min_length`` of them and at most ``MAX_POINTS_DRAWN``, else a clear error naming ``name``. Only checks:
    the figures draw the values they were given (a list stays a list in the figure's JSON)."""
    if isinstance(values, np.ndarray) and values.dtype.kind in "iuf" and values.ndim == 1:
        return _numeric_array(name, values, low, high, min_length, integer, infinite)  # a model's long series

    def element(element_name: str, value: Any) -> Any:
        if infinite and isinstance(value, float) and value == math.inf:
            return value
        return checks.number(element_name, value, low=low, high=high, integer=integer)

    return checks.sequence_of(name, values, element, min_length=min_length, max_length=MAX_POINTS_DRAWN)


def _numeric_array(name: str, values: np.ndarray, low: float | None, high: float | None, min_length: int,
                   integer: bool, infinite: bool) -> list[Any]:
    """``series`` for a numpy array, vectorised (a week of minutes redraws on every slider move)."""
    if not min_length <= values.size <= MAX_POINTS_DRAWN:
        raise ValueError(tr("{name} must hold {low:,} to {high:,} values; got {count:,}", name=name, low=min_length,
                            high=MAX_POINTS_DRAWN, count=values.size))
    if integer and values.dtype.kind == "f":
        raise checks.ParameterTypeError(tr("{name} must hold integers; got an array of {dtype}", name=name,
                                           dtype=values.dtype))
    bad = ~np.isfinite(values) if values.dtype.kind == "f" else np.zeros(values.size, dtype=bool)
    if infinite:
        bad &= ~np.isposinf(values)
    with np.errstate(invalid="ignore"):
        if low is not None:
            bad |= values < low
        if high is not None:
            bad |= values > high
    if bad.any():
        first = int(np.argmax(bad))
        checks.number(f"{name}[{first}]", values[first].item(), low=low, high=high)  # raises, with the words
        raise ValueError(tr("{name}[{first}] must be finite; got {value!r}", name=name, first=first,
                            value=values[first]))
    return values  # type: ignore[return-value]


def labels(name: str, values: Any, *, min_length: int = 1) -> list[str]:
    """``values`` as a list of text labels (at least ``min_length``)."""
    return checks.sequence_of(name, values, checks.text, min_length=min_length, max_length=MAX_POINTS_DRAWN)


def same_length(first: tuple[str, list[Any]], *others: tuple[str, list[Any]]) -> None:
    """Every series as long as the first (one value per x), else a ValueError naming both."""
    name, values = first
    for other_name, other in others:
        if len(other) != len(values):
            raise ValueError(tr("{other_name} has {other_count:,} values but {name} has {count:,}: the figure "
                                "needs one value of {other_name} per value of {name}", other_name=other_name,
                                other_count=len(other), name=name, count=len(values)))


def numbers_by_label(name: str, value: Any, *, low: float | None = 0, min_length: int = 0) -> dict[Any, Any]:
    """A mapping of labels to finite numbers (>= ``low``), else a clear error naming ``name``."""
    if not isinstance(value, Mapping):
        raise checks.ParameterTypeError(tr("{name} must be a mapping of labels to numbers; got {value!r} ({type})",
                                           name=name, value=value, type=type(value).__name__))
    if len(value) < min_length:
        raise ValueError(tr("{name} must hold at least {min_length} entries; got none", name=name,
                            min_length=min_length))
    return {key: checks.number(f"{name}[{key!r}]", number, low=low) for key, number in value.items()}


def result_of(name: str, value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    """``value`` if it is a ``kind`` (a model's result), else a TypeError saying what makes one (``what``)."""
    return checks.instance(name, value, kind, what=what)


def has_fields(name: str, value: Any, fields: tuple[str, ...], what: str) -> Any:
    """``value`` if it has every one of ``fields`` (a result from another layer, duck-typed), else a TypeError."""
    missing = [field for field in fields if not hasattr(value, field)]
    if missing:
        raise checks.ParameterTypeError(tr("{name} must be {what} (with {fields}); got {value!r:.80} ({type})",
                                           name=name, what=what, fields=", ".join(fields), value=value,
                                           type=type(value).__name__))
    return value
