"""Text kept in a constant that shows itself in the current language.

A label table or a default built at import (``Prices.taken``, ``CARDINALITY_TABLE``, ``MODE_LABELS``) holds English
templates marked ``N_``; the language can change after import, so the text is translated where it is shown.
``Shown(N_("..."))`` does that by itself: ``str()``, ``print`` and f-strings (with any format spec) give
``tr(template)``, while comparisons, hashing, ``repr`` and JSON see the English template (``Shown("good") ==
"good"``). Code that hands the text to something that does not call ``str()`` (a widget's options, a JSON encoder)
passes it through ``tr`` itself.
"""

from __future__ import annotations

from dynalab.i18n import tr

__all__ = ["Shown"]


class Shown(str):
    """An English template (a catalog key) that shows itself in the current language."""

    __slots__ = ()

    def __str__(self) -> str:
        return tr(str.__str__(self))

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)
