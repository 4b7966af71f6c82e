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


# --- fitting text to the figure -----------------------------------------------------------------------------------

#: the width a lesson's figure is drawn at (JupyterLab's output area on a laptop screen), px: titles are fitted to it
FIGURE_WIDTH_PX = 800
#: the height plotly gives a figure without one, px
DEFAULT_HEIGHT_PX = 450
#: plotly's mode bar (zoom, pan, download, ...) sits in a figure's top right corner, this high and about this wide
MODEBAR_HEIGHT_PX = 30
MODEBAR_WIDTH_PX = 270
#: where plotly's templates start a title (a fraction of the figure's width from its left edge)
TITLE_X = 0.05
LINE_HEIGHT = 1.3


def title_font_px(layout: Any) -> float:
    """The size plotly draws ``layout``'s title at (its own, else 1.4 × the figure's font, 12 px by default)."""
    return float(layout.title.font.size or (layout.font.size or 12) * 1.4)


def wrap_text(text: str, width_px: float, font_px: float) -> list[str]:
    """``text`` in lines of at most ``width_px`` (its own ``<br>`` kept): broken after a space or a Japanese comma or
    full stop, and inside a word only where one word is longer than a line."""
    import re

    from dynalab.i18n.text_width import text_width_em

    def fits(line: str) -> bool:
        return text_width_em(line) * font_px <= width_px

    lines: list[str] = []
    for paragraph in text.split("<br>"):
        line = ""
        for token in re.findall(r"[^ 、。]*[ 、。]?", paragraph):
            if not token:
                continue
            if fits((line + token).rstrip()) or not line:
                line += token
            else:
                lines.append(line.rstrip())
                line = token
            while not fits(line.rstrip()) and len(line) > 1:  # one word longer than a line: break it
                cut = next((n for n in range(len(line) - 1, 0, -1) if fits(line[:n])), 1)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines


def no_maths(text: str) -> str:
    """``text`` as plotly must be given it to show its dollar signs: with two "$" in one text, plotly in JupyterLab
    typesets what lies between them as maths (MathJax) and the title disappears; "&#36;" draws a "$" and is no maths."""
    return text.replace("$", "&#36;") if text.count("$") >= 2 else text


def fit_title(figure: Any, width_px: float = FIGURE_WIDTH_PX) -> Any:
    """Keep ``figure``'s title clear of the mode bar and inside the figure: a title that would reach under the mode
    bar (top right) is wrapped to the figure's width and moved below the bar, the top margin grown to hold it.
    A title that fits is left where it is. Its dollar signs stay dollar signs (``no_maths``). Returns the figure."""
    layout = figure.layout
    text = (layout.title.text or "").replace("&#36;", "$")
    if not text:
        return figure
    from dynalab.i18n.text_width import text_width_em

    font_px = title_font_px(layout)
    if "<br>" not in text and TITLE_X * width_px + text_width_em(text) * font_px <= width_px - MODEBAR_WIDTH_PX:
        layout.title.text = no_maths(text)
        return figure
    lines = wrap_text(text, width_px * (1 - 2 * TITLE_X), font_px)
    height = float(layout.height or DEFAULT_HEIGHT_PX)
    title_px = len(lines) * font_px * LINE_HEIGHT
    layout.title.update(text=no_maths("<br>".join(lines)), x=TITLE_X, xanchor="left", xref="container",
                        y=1 - MODEBAR_HEIGHT_PX / height, yanchor="top", yref="container")
    layout.margin.t = max(layout.margin.t or 0, math.ceil(MODEBAR_HEIGHT_PX + title_px + 12))
    return figure
