"""Lesson 1's widget: an item's size and price as you edit it, and the same item written and read on the engine.

It composes ``dynalab.models.sizing`` and ``dynalab.models.capacity`` (the rules), ``dynalab.figures.capacity`` and
``dynalab.lessons.capacity`` (the write and reads on the engine, whose meter supplies DynamoDB's units; reads three
ways and the 1 MB page live there too); no rule lives here.
"""

from __future__ import annotations

import html
from typing import Any

from dynalab.engine import Lab, check_lab
from dynalab.figures.capacity import size_breakdown_figure
from dynalab.i18n import N_, tr
from dynalab.lessons.capacity import write_and_read
from dynalab.models import checks
from dynalab.models.capacity import item_cost
from dynalab.models.sizing import MAX_ITEM_SIZE_BYTES, attribute_sizes, item_size
from dynalab.widgets import MAIN_CONTROL, MAIN_READOUT, FigureView, LessonWidget, checked

__all__ = ["ItemCostExplorer"]

#: the text kinds the explorer offers: (label, an English template shown through ``tr``; the character repeated)
TEXT_KINDS = {"ascii": (N_("ASCII text (1 byte a character)"), "x"),
              "japanese": (N_("Japanese text (3 bytes a character)"), "日")}
MAX_TEXT_CHARACTERS = 420_000  # a little past the 400 KB limit, so the learner can cross it


MAX_NUMBER_ATTRIBUTES = 40


def _check_range(name: str, value: Any, low: int, high: int) -> int:
    return checks.number(name, value, low=low, high=high, integer=True)


class ItemCostExplorer(LessonWidget):
    """Edit an item (its text's length and kind, how many number attributes) and see its size and prices change;
    a button writes and reads it on the engine and shows the units DynamoDB would report (in ``table_name``,
    reset the first time: deleted and created afresh)."""

    def __init__(self, lab: Lab | None = None, table_name: str = "capacity-explorer", text_characters: int = 1000,
                 number_attributes: int = 3, text_kind: str = "ascii") -> None:
        import ipywidgets as widgets

        if lab is not None:  # no lab: the explorer draws, its engine button is off
            check_lab(lab)
        checks.table_name("table_name", table_name)
        _check_range("text_characters", text_characters, 0, MAX_TEXT_CHARACTERS)
        _check_range("number_attributes", number_attributes, 0, MAX_NUMBER_ATTRIBUTES)
        checks.choice("text_kind", text_kind, TEXT_KINDS)
        self.lab, self.table_name, self._made = lab, table_name, False
        style, layout = {"description_width": "13em"}, widgets.Layout(width="40em")
        self.text_slider = checked(widgets.IntSlider, "text_characters", text_characters, min=0,
                                   max=MAX_TEXT_CHARACTERS, step=100, description=tr("text length (characters)"),
                                   style=style, layout=layout, continuous_update=False)
        self.text_slider.add_class(MAIN_CONTROL)
        self.numbers_slider = checked(widgets.IntSlider, "number_attributes", number_attributes, min=0,
                                      max=MAX_NUMBER_ATTRIBUTES, description=tr("number attributes"), style=style,
                                      layout=layout, continuous_update=False)
        self.kind = checked(widgets.ToggleButtons, "text_kind", text_kind,
                            options=[(tr(label), key) for key, (label, _) in TEXT_KINDS.items()],
                            description=tr("text"),
                            style={"description_width": "13em", "button_width": "17em"})
        self.readout = widgets.HTML()
        self.readout.add_class(MAIN_READOUT)
        self.button = widgets.Button(description=tr("Write and read it on the engine"), button_style="primary",
                                     layout=widgets.Layout(width="22em"), disabled=lab is None)
        self.engine_readout = widgets.HTML()
        self.button.on_click(lambda _: self.write_and_read())
        self.view = FigureView(size_breakdown_figure(attribute_sizes(self.item())))
        for control in (self.text_slider, self.numbers_slider, self.kind):
            control.observe(self.update, names="value")
        self.container = widgets.VBox([self.text_slider, self.numbers_slider, self.kind, self.readout,
                                       self.view.output, self.button, self.engine_readout])
        self.update()

    @property
    def figure(self) -> Any:
        return self.view.figure

    def item(self) -> dict[str, Any]:
        """The item as the controls describe it (resource-style values)."""
        character = TEXT_KINDS[self.kind.value][1]
        item: dict[str, Any] = {"pk": "item#1", "text": character * self.text_slider.value}
        for n in range(1, self.numbers_slider.value + 1):
            item[f"n{n:02d}"] = 1000 * n + 7  # four or five digits: 3 or 4 bytes each
        return item

    def describe(self) -> str:
        """The readout in words: size, and each price (or why DynamoDB refuses it)."""
        size = item_size(self.item())
        if size > MAX_ITEM_SIZE_BYTES:
            return tr("{size:,} B: over DynamoDB's item limit of {limit:,} B (400 KB). A write is refused with "
                      "ValidationException: Item size has exceeded the maximum allowed size.", size=size,
                      limit=MAX_ITEM_SIZE_BYTES)
        cost = item_cost(size)
        return tr("{size:,} B → read: {strong:g} RCU strongly consistent, {eventual:g} eventually consistent, "
                  "{transactional:g} transactional; write: {write:g} WCU, {transactional_write:g} transactional.",
                  size=size, strong=cost.strong_read_units, eventual=cost.eventual_read_units,
                  transactional=cost.transactional_read_units, write=cost.write_units,
                  transactional_write=cost.transactional_write_units)

    def update(self, *_: Any) -> None:
        self.readout.value = html.escape(self.describe())
        self.view.show(size_breakdown_figure(attribute_sizes(self.item())))
        self.engine_readout.value = ""  # what the engine said was about the previous item

    def write_and_read(self) -> str:
        """Put the item, read it back strongly and eventually consistent; show the units each call reported."""
        if self.lab is None:
            raise ValueError(tr("ItemCostExplorer needs lab=dynalab.connect() to write to an engine"))
        # the explorer's own table: reset (deleted and created afresh) the first time
        text = write_and_read(self.lab, self.table_name, self.item(), reset=not self._made).describe()
        self._made = True
        self.engine_readout.value = html.escape(text)
        return text
