"""How wide a text is drawn, in either language: a Japanese (wide) character takes about twice a Latin letter's room.

In a fixed-width readout (``print``, a terminal, a notebook's text output) a wide character takes two columns, so
``str.ljust`` and ``f"{text:<20}"`` (which count characters) misalign Japanese columns, and ``text[:110]`` cuts a
Japanese line at twice the width of an English one. :func:`display_width` counts columns (East Asian Width W and F:
2, a combining mark: 0, anything else: 1); :func:`pad_to_width` and :func:`truncate_to_width` pad and cut by it.

Widgets size their labels with it (``dynalab.widgets.sizing``) and figures fit their titles and labels with it
(``dynalab.figures``), so a label cut in Japanese ("ターゲット…") or a title running past the figure is caught where
it is made. An estimate in em of the font's size, on the generous side (DejaVu Sans, Debian's default, is among the
widest fonts): a wide (CJK, full-width) character 1 em, a Latin capital 0.72, a narrow mark (i, l, punctuation, a
space) 0.3, a wide one (%, m, w) 0.95, any other character 0.62.
"""

from __future__ import annotations

import unicodedata

__all__ = ["display_width", "pad_to_width", "text_width_em", "truncate_to_width"]

_NARROW = frozenset("il.,:;'|!()[]{} ")
_WIDE = frozenset("%@mwMW—")


def text_width_em(text: str) -> float:
    """How wide ``text`` is drawn, in em of its font's size, on the generous side."""
    width = 0.0
    for character in str(text):
        if unicodedata.east_asian_width(character) in ("W", "F"):
            width += 1.0
        elif character in _NARROW:
            width += 0.3
        elif character in _WIDE:
            width += 0.95
        elif character.isupper():
            width += 0.72
        elif unicodedata.combining(character):
            continue
        else:
            width += 0.62
    return width


def _columns(character: str) -> int:
    if unicodedata.combining(character):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1


def display_width(text: object) -> int:
    """How many columns ``text`` takes in a fixed-width readout: a wide (CJK, full-width) character 2, others 1."""
    return sum(_columns(character) for character in str(text))


#: the widest readout column a caller may ask for: a screen is about 200 columns; far past it is a mistake, not a layout
MAX_WIDTH_COLUMNS = 10_000


def _checked_width(width: object) -> int:
    if isinstance(width, bool) or not isinstance(width, int | float) or width != width or not float(width).is_integer():
        raise TypeError(f"width must be a whole number of columns from 0 to {MAX_WIDTH_COLUMNS:,}; got {width!r}")
    if not 0 <= width <= MAX_WIDTH_COLUMNS:
        raise ValueError(f"width must be from 0 to {MAX_WIDTH_COLUMNS:,} columns; got {width!r}")
    return int(width)


_ALIGNMENTS = {"<": "<", "left": "<", ">": ">", "right": ">", "^": "^", "center": "^"}


def pad_to_width(text: object, width: int, align: str = "<", fill: str = " ") -> str:
    """``text`` padded with ``fill`` to ``width`` columns (``display_width``), aligned "<" (left, the default), ">"
    (right) or "^" (centre), as ``f"{text:<width}"`` would be if it counted columns. Text already as wide or wider is
    returned as it is (as str.format does): cut it first with :func:`truncate_to_width` for a hard limit."""
    if not isinstance(align, str) or align not in _ALIGNMENTS:
        raise ValueError(f"align must be one of {', '.join(repr(a) for a in _ALIGNMENTS)}; got {align!r}")
    if not isinstance(fill, str) or display_width(fill) != 1:
        raise ValueError(f"fill must be one narrow character (one column); got {fill!r}")
    width = _checked_width(width)
    text = str(text)
    missing = max(0, width - display_width(text))
    side = _ALIGNMENTS[align]
    if side == "<":
        return text + fill * missing
    if side == ">":
        return fill * missing + text
    return fill * (missing // 2) + text + fill * (missing - missing // 2)


def truncate_to_width(text: object, width: int, ellipsis: str = "…") -> str:
    """``text`` cut to at most ``width`` columns (``display_width``), ending in ``ellipsis`` when it was cut; never
    half of a wide character. The ellipsis counts in the width (DejaVu's and Noto's "…" is one column). Reads only as
    far as ``width`` (a 400 KB value costs no more than a short one)."""
    text, width = str(text), _checked_width(width)
    if not isinstance(ellipsis, str) or len(ellipsis) > MAX_WIDTH_COLUMNS:
        raise TypeError(f"ellipsis must be a text of at most {MAX_WIDTH_COLUMNS:,} characters (\"…\" by default); "
                        f"got {ellipsis!r:.40}")
    room = width - display_width(ellipsis)
    if room < 0:
        return truncate_to_width(ellipsis, width, ellipsis="")
    used, cut = 0, None  # cut: where the text ends if an ellipsis follows (the last character that fits in room)
    for index, character in enumerate(text):
        used += _columns(character)
        if used > width:
            return text[:cut if cut is not None else 0] + ellipsis
        if used <= room:
            cut = index + 1
    return text
