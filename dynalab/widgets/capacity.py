"""Lesson 1's widget and live demos: an item's size and price as you edit it, reads three ways, the 1 MB page.

They compose ``dynalab.models.sizing`` and ``dynalab.models.capacity`` (the rules), ``dynalab.figures.capacity``
and, for the live parts, the engine through the lab's fidelity layer (whose meter supplies DynamoDB's units);
no rule lives here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine import Lab, check_lab
from dynalab.figures.capacity import read_pattern_figure, size_breakdown_figure
from dynalab.i18n import N_, tr
from dynalab.models import checks
from dynalab.models.capacity import Page, first_page, item_cost
from dynalab.models.sizing import MAX_ITEM_SIZE_BYTES, attribute_sizes, item_size
from dynalab.widgets import MAIN_CONTROL, MAIN_READOUT, FigureView, LessonWidget, checked, yes_no

__all__ = ["ItemCostExplorer", "PageDemo", "ReadPatterns", "first_page_live", "read_three_ways"]

#: the text kinds the explorer offers: (label, an English template shown through ``tr``; the character repeated)
TEXT_KINDS = {"ascii": (N_("ASCII text (1 byte a character)"), "x"),
              "japanese": (N_("Japanese text (3 bytes a character)"), "日")}
MAX_TEXT_CHARACTERS = 420_000  # a little past the 400 KB limit, so the learner can cross it


MAX_NUMBER_ATTRIBUTES = 40
READ_ITEMS_RANGE = (1, 100)  # read_three_ways: one BatchGetItem reads at most 100 keys
PAGE_ITEMS_RANGE = (1, 5000)


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
        self.lab, self.table_name, self._table = lab, table_name, None
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
        from dynalab.engine.tables import create_table

        if self._table is None:
            self._table = create_table(self.lab, self.table_name, reset=True)  # the explorer's own table
        total = {"ReturnConsumedCapacity": "TOTAL"}
        try:
            put = self._table.put_item(Item=self.item(), **total)
            strong = self._table.get_item(Key={"pk": "item#1"}, ConsistentRead=True, **total)
            eventual = self._table.get_item(Key={"pk": "item#1"}, **total)
        except ClientError as error:
            text = tr("refused: {code}: {message}", code=error.response["Error"]["Code"],
                      message=error.response["Error"]["Message"])
        else:
            put_units = put["ConsumedCapacity"]["CapacityUnits"]
            text = tr("PutItem: {put:g} WCU; GetItem strongly consistent: {strong:g} RCU; eventually consistent: "
                      "{eventual:g} RCU", put=put_units, strong=strong["ConsumedCapacity"]["CapacityUnits"],
                      eventual=eventual["ConsumedCapacity"]["CapacityUnits"])
            if put_units > item_cost(item_size(self.item())).write_units:
                text += tr(" (the PutItem replaced a larger item: a write is charged on the larger of the two)")
        self.engine_readout.value = html.escape(text)
        return text


# ------------------------------------------------------------------------------------------- live demos


@dataclass
class ReadPatterns:
    """The read units metered for the same items read three ways."""

    item_count: int
    item_size_bytes: int
    units: dict[str, float]

    def figure(self) -> Any:
        return read_pattern_figure(self.units, tr("Reading {count} items of {size} B (eventually consistent)",
                                                  count=self.item_count, size=self.item_size_bytes))

    def describe(self) -> str:
        return "; ".join(f"{label}: {units:g} RCU" for label, units in self.units.items())


def read_three_ways(lab: Lab, table_name: str = "read-patterns", item_count: int = 10,
                    value_bytes: int = 100) -> ReadPatterns:
    """Write ``item_count`` small items under one partition key, then read them with one Query, with one
    GetItem each, and with one BatchGetItem; the meter says what each way consumed. ``table_name`` is reset
    (deleted and created afresh)."""
    from dynalab.engine.tables import bulk_load, create_table

    check_lab(lab)
    checks.table_name("table_name", table_name)
    _check_range("item_count", item_count, *READ_ITEMS_RANGE)
    # the largest value that keeps the last item within DynamoDB's 400 KB
    _check_range("value_bytes", value_bytes, 0,
                 MAX_ITEM_SIZE_BYTES - item_size({"pk": "songs", "sk": max(item_count - 1, 0), "v": ""}))
    table = create_table(lab, table_name, sort_key=("sk", "N"), reset=True)
    items = [{"pk": "songs", "sk": n, "v": "x" * value_bytes} for n in range(item_count)]
    bulk_load(lab, table.name, items, show_progress=False)
    keys = [{"pk": "songs", "sk": n} for n in range(item_count)]
    lab.meter.reset()
    table.query(KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": "songs"})
    for key in keys:
        table.get_item(Key=key)
    lab.resource.batch_get_item(RequestItems={table.name: {"Keys": keys}})
    units = {f"{label}": lab.meter.read_units(table.name, operation) for label, operation in (
        ("1 Query", "Query"), (f"{item_count} GetItem", "GetItem"), ("1 BatchGetItem", "BatchGetItem"))}
    return ReadPatterns(item_count, item_size(items[0]), units)


@dataclass
class PageDemo:
    """A Scan's first page on the engine, beside DynamoDB's 1 MB page for the same items."""

    item_count: int
    item_size_bytes: int
    engine_page_items: int
    engine_page_units: float
    engine_has_more: bool
    dynamodb_page: Page

    def describe(self) -> str:
        model = self.dynamodb_page
        return tr("{count} items of {size:,} B. DynamoDB's first page: {model_items} items, {model_size:,} B, "
                  "{model_units:g} RCU (eventually consistent), more pages: {model_more}. This engine's first page: "
                  "{engine_items} items, {engine_units:g} RCU metered, more pages: {engine_more}.",
                  count=self.item_count, size=self.item_size_bytes, model_items=model.item_count,
                  model_size=model.size_bytes, model_units=model.read_units, model_more=yes_no(model.more),
                  engine_items=self.engine_page_items, engine_units=self.engine_page_units,
                  engine_more=yes_no(self.engine_has_more))


def first_page_live(lab: Lab, table_name: str = "one-mb-page", item_count: int = 300,
                    item_bytes: int = 4000) -> PageDemo:
    """Load ``item_count`` items of ``item_bytes`` (over 1 MB in all) and Scan once: one page, and its price.
    ``table_name`` is reset (deleted and created afresh)."""
    from dynalab.engine.tables import bulk_load, create_table

    check_lab(lab)
    checks.table_name("table_name", table_name)
    _check_range("item_count", item_count, *PAGE_ITEMS_RANGE)
    _check_range("item_bytes", item_bytes, 16, MAX_ITEM_SIZE_BYTES)
    table = create_table(lab, table_name, reset=True)
    items = []
    for n in range(item_count):
        item = {"pk": f"item#{n:05d}", "d": ""}
        item["d"] = "x" * (item_bytes - item_size(item))
        items.append(item)
    bulk_load(lab, table.name, items, show_progress=False)
    lab.meter.reset()
    page = table.scan()
    # DynamoDB's page follows the scan order; every item here has the same size, so the order does not matter.
    model = first_page([item_bytes] * item_count, "eventual")
    return PageDemo(item_count, item_bytes, page["Count"], lab.meter.read_units(table.name, "Scan"),
                    "LastEvaluatedKey" in page, model)
