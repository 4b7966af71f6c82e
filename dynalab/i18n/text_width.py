"""How wide a text is drawn, in either language: a Japanese (wide) character takes about twice a Latin letter's room.

Widgets size their labels with it (``dynalab.widgets.sizing``) and figures fit their titles and labels with it
(``dynalab.figures``), so a label cut in Japanese ("ターゲット…") or a title running past the figure is caught where
it is made. An estimate in em of the font's size, on the generous side (DejaVu Sans, Debian's default, is among the
widest fonts): a wide (CJK, full-width) character 1 em, a Latin capital 0.72, a narrow mark (i, l, punctuation, a
space) 0.3, a wide one (%, m, w) 0.95, any other character 0.62.
"""

from __future__ import annotations

import unicodedata

__all__ = ["text_width_em"]

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
