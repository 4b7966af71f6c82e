"""Widget labels, buttons and options as wide as their text, in either language.

ipywidgets gives a control's label 80 px, a button or toggle 148 px and a control 300 px, and cuts what does not fit
with an ellipsis: Japanese labels ("ターゲット…", "バーストキャパシティ（300 …") and long English toggles ("today, table
with …") were cut. ``fit_to_text(widget)`` widens what its text needs, and only that (a label that fits keeps the
width its module gave it, so a column of labels stays aligned); ``checked`` calls it on every control it builds and
``LessonWidget`` on its whole container before it is shown, so a new widget gets it without asking.

Widths are estimated from the text (``dynalab.i18n.text_width``), in em of the widgets' font (JupyterLab's 13 px).
The browser test measures the real thing (no visible widget text clipped).
"""

from __future__ import annotations

import math
import re
from typing import Any

from dynalab.i18n.text_width import text_width_em

__all__ = ["fit_to_text"]

FONT_PX = 13.0  # --jp-widgets-font-size (--jp-ui-font-size1)
INLINE_WIDTH_EM = 300 / FONT_PX  # --jp-widgets-inline-width: a control, its label included
LABEL_WIDTH_EM = 80 / FONT_PX  # --jp-widgets-inline-label-width: a label (description)
SHORT_WIDTH_EM = 148 / FONT_PX  # --jp-widgets-inline-width-short: a button, a toggle
LABEL_GAP_EM = 8 / FONT_PX  # the margin after a label
SLIDER_TRACK_EM = 9.0  # the least track a slider keeps beside a wider label
SLIDER_READOUT_EM = 70 / FONT_PX  # --jp-widgets-inline-width-tiny: a slider's readout, at least
BUTTON_PADDING_EM = 2.0  # a button's padding and border, both sides
CHECKBOX_BOX_EM = 2.0  # the box and its margin
SELECT_PADDING_EM = 2.5  # a dropdown's padding, border and arrow

_LENGTH = re.compile(r"^\s*([\d.]+)\s*(em|px)\s*$")


def _em(length: Any) -> float | None:
    """A CSS length in em ("13em", "80px"), or None for anything else ("", "auto", "initial", "100%")."""
    found = _LENGTH.match(str(length or ""))
    if found is None:
        return None
    number = float(found.group(1))
    return number if found.group(2) == "em" else number / FONT_PX


def _length(em: float) -> str:
    return f"{math.ceil(em * 10) / 10:g}em"


def _widen_layout(control: Any, need_em: float, default_em: float) -> None:
    """The control's layout at least ``need_em`` wide (a width it was given in em or px, else ipywidgets' default);
    a width given another way (a percentage, auto) is left as it is."""
    given = getattr(control.layout, "width", None)
    have = default_em if not given else _em(given)
    if have is not None and need_em > have + 0.05:
        control.layout.width = _length(need_em)


def _fit_label(control: Any) -> float:
    """Widen the control's label to its description if it is cut; return the label's width then, in em."""
    text = text_width_em(control.description) + 0.6
    style = getattr(control, "style", None)
    if style is None or not hasattr(style, "description_width"):
        return text
    given = style.description_width
    have = LABEL_WIDTH_EM if not given else _em(given)
    if have is None:  # "initial" or "auto": sized to the text already
        return text
    if text > have + 0.05:
        style.description_width = _length(text)
        return text
    return have


def _sliders() -> tuple[type, ...]:
    import ipywidgets as widgets

    return (widgets.IntSlider, widgets.FloatSlider, widgets.FloatLogSlider, widgets.IntRangeSlider,
            widgets.FloatRangeSlider, widgets.SelectionSlider, widgets.SelectionRangeSlider)


def fit_to_text(widget: Any) -> Any:
    """Widen ``widget`` (and, for a container, every widget in it) where its own text would be cut; return it."""
    import ipywidgets as widgets

    _SLIDERS = _sliders()  # noqa: N806 (a constant of this call: ipywidgets is imported lazily)
    if isinstance(widget, widgets.Box):
        for child in widget.children:
            fit_to_text(child)
        return widget
    description = getattr(widget, "description", "") or ""
    if isinstance(widget, widgets.Checkbox):  # [indent] [box] description: the indent is a blank label
        indent = (_em(widget.style.description_width) or LABEL_WIDTH_EM) + LABEL_GAP_EM if widget.indent else 0.0
        _widen_layout(widget, indent + CHECKBOX_BOX_EM + text_width_em(description) + 0.5, INLINE_WIDTH_EM)
    elif isinstance(widget, widgets.ToggleButtons):
        if description:
            _fit_label(widget)
        longest = max((text_width_em(label) for label in widget._options_labels), default=0.0)
        have = _em(widget.style.button_width) if widget.style.button_width else SHORT_WIDTH_EM
        if have is not None and longest + BUTTON_PADDING_EM > have + 0.05:
            widget.style.button_width = _length(longest + BUTTON_PADDING_EM)
    elif isinstance(widget, widgets.Button):
        icon = 1.5 if widget.icon else 0.0
        _widen_layout(widget, text_width_em(description) + icon + BUTTON_PADDING_EM, SHORT_WIDTH_EM)
    elif isinstance(widget, widgets.Dropdown):
        label = _fit_label(widget) + LABEL_GAP_EM if description else 0.0
        longest = max((text_width_em(option) for option in widget._options_labels), default=0.0)
        _widen_layout(widget, label + longest + SELECT_PADDING_EM, INLINE_WIDTH_EM)
    elif isinstance(widget, _SLIDERS):
        if description:
            label = _fit_label(widget) + LABEL_GAP_EM
            readout = SLIDER_READOUT_EM if getattr(widget, "readout", False) else 0.0
            _widen_layout(widget, label + SLIDER_TRACK_EM + readout, INLINE_WIDTH_EM)
    elif description and hasattr(widget, "style"):
        _fit_label(widget)
    return widget
