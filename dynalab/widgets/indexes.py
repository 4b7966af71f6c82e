"""Lesson 6's widget: what one write costs with 0 to 5 GSIs and each projection, and the same write on the engine.

It composes ``dynalab.models.indexes`` (the units a write costs the table and each index), ``dynalab.figures.indexes``
and ``dynalab.lessons.indexes`` (the write on the engine, read back from ``ReturnConsumedCapacity="INDEXES"``); no
rule lives here.
"""

from __future__ import annotations

import html
from typing import Any

from dynalab.engine import check_lab
from dynalab.figures.indexes import index_write_figure
from dynalab.i18n import tr
from dynalab.lessons.indexes import INDEX_PROJECTIONS, MAX_INDEXES, MeteredUnits, create_index_table, indexed_item
from dynalab.models import checks
from dynalab.widgets import MAIN_CONTROL, MAIN_READOUT, FigureView, LessonWidget, checked

__all__ = ["IndexWriteExplorer", "modelled_total", "modelled_write"]

MAX_INDEXES_SHOWN = 5
ITEM_SIZE_RANGE = (200, 20_000)


def modelled_write(item_size_bytes: int, index_count: int, projection: str) -> tuple[float, dict[str, float]]:
    """(table WCU, {index: WCU}) for a new item of ``item_size_bytes`` carrying every index's key, from
    ``dynalab.models.indexes`` (the same rules the meter charges)."""
    from dynalab.models.capacity import put_write_units
    from dynalab.models.indexes import SecondaryIndex, write_units_by_index
    from dynalab.models.sizing import item_size

    checks.number("index_count", index_count, low=0, high=MAX_INDEXES, integer=True)
    checks.choice("projection", projection, INDEX_PROJECTIONS)
    item = indexed_item(item_size_bytes, index_count)
    indexes = [SecondaryIndex(f"gsi{n}", (f"g{n}",), projection, ("title",) if projection == "INCLUDE" else ())
               for n in range(1, index_count + 1)]
    units = write_units_by_index(None, item, indexes, ["pk"], typed=False)
    return put_write_units(item_size(item)), units


def modelled_total(item_size_bytes: int, index_count: int, projection: str) -> float:
    """The write's WCU in all: the table's and every index's (``modelled_write`` summed)."""
    table, indexes = modelled_write(item_size_bytes, index_count, projection)
    return table + sum(indexes.values())


class IndexWriteExplorer(LessonWidget):
    """Sliders for the item's size and the number of GSIs, a projection picker; a stacked bar of what the write costs
    the table and each index, for every projection; a button that makes the write on the engine."""

    def __init__(self, lab: Any = None, item_size_bytes: int = 2500, index_count: int = 1, projection: str = "ALL",
                 table_name: str = "lesson6-explorer") -> None:
        import ipywidgets as widgets

        if lab is not None:  # no lab: the explorer draws, its engine button is off
            check_lab(lab)
        checks.size_bytes("item_size_bytes", item_size_bytes, low=ITEM_SIZE_RANGE[0], high=ITEM_SIZE_RANGE[1])
        checks.number("index_count", index_count, low=0, high=MAX_INDEXES_SHOWN, integer=True)
        checks.choice("projection", projection, INDEX_PROJECTIONS)
        checks.table_name("table_name", table_name)
        self.lab, self.table_name = lab, table_name
        self._tables: dict[tuple[int, str], str] = {}
        style, layout = {"description_width": "14em"}, widgets.Layout(width="40em")
        self.size_slider = checked(widgets.IntSlider, "item_size_bytes", item_size_bytes, min=ITEM_SIZE_RANGE[0],
                                   max=ITEM_SIZE_RANGE[1], step=100, description=tr("item size (bytes)"), style=style,
                                   layout=layout, continuous_update=False)
        self.size_slider.add_class(MAIN_CONTROL)
        self.index_slider = checked(widgets.IntSlider, "index_count", index_count, min=0, max=MAX_INDEXES_SHOWN,
                                    description=tr("global secondary indexes"), style=style, layout=layout,
                                    continuous_update=False)
        self.projection = checked(widgets.ToggleButtons, "projection", projection, options=list(INDEX_PROJECTIONS),
                                  description=tr("projection"), style={"description_width": "14em"})
        self.readout = widgets.HTML()
        self.readout.add_class(MAIN_READOUT)
        self.button = widgets.Button(description=tr("Write it on the engine"), button_style="primary",
                                     layout=widgets.Layout(width="22em"), disabled=lab is None)
        self.engine_readout = widgets.HTML()
        self.button.on_click(lambda _: self.write_on_engine())
        self.view = FigureView(index_write_figure(self.setups()))
        for control in (self.size_slider, self.index_slider, self.projection):
            control.observe(self.update, names="value")
        self.container = widgets.VBox([self.size_slider, self.index_slider, self.projection, self.readout,
                                       self.view.output, self.button, self.engine_readout])
        self.update()

    @property
    def figure(self) -> Any:
        return self.view.figure

    def setups(self) -> list[tuple[str, float, dict[str, float]]]:
        """The bars: no index, then the chosen number of GSIs with each projection (the chosen one marked)."""
        size, count = self.size_slider.value, self.index_slider.value
        rows = [(tr("no index"), *modelled_write(size, 0, "ALL"))]
        if count:
            for projection in INDEX_PROJECTIONS:
                mark = " ◀" if projection == self.projection.value else ""
                rows.append((f"{count} × {projection}{mark}", *modelled_write(size, count, projection)))
        return rows

    def describe(self) -> str:
        size, count, projection = self.size_slider.value, self.index_slider.value, self.projection.value
        table, indexes = modelled_write(size, count, projection)
        parts = " + ".join([tr("table {units:g}", units=table)]
                           + [f"{name} {units:g}" for name, units in indexes.items()])
        if count == 0:
            where = tr("no GSI")
        elif count == 1:
            where = tr("{count} GSI projecting {projection}", count=count, projection=projection)
        else:
            where = tr("{count} GSIs projecting {projection}", count=count, projection=projection)
        return tr("A new {size:,} B item, {where}: {parts} = {total:g} WCU a write (the model the meter charges)",
                  size=size, where=where, parts=parts, total=table + sum(indexes.values()))

    def update(self, *_: Any) -> None:
        self.readout.value = html.escape(self.describe())
        self.view.show(index_write_figure(self.setups()))
        self.engine_readout.value = ""  # what the engine said was about the previous settings

    def write_on_engine(self) -> MeteredUnits:
        """Put a new item with these settings on the engine; show the units the meter reported, per index."""
        if self.lab is None:
            raise ValueError(tr("IndexWriteExplorer needs lab=dynalab.connect() to write to an engine"))
        from dynalab.lessons.indexes import write_with_indexes

        count, projection = self.index_slider.value, self.projection.value
        name = self._tables.get((count, projection))
        if name is None:
            table = create_index_table(self.lab, f"{self.table_name}-{count}-{projection.lower().replace('_', '-')}",
                                       count, projection)
            name = self._tables[(count, projection)] = table.name
        # a new item each time, not a replacement
        metered = write_with_indexes(self.lab, name, indexed_item(self.size_slider.value, count),
                                     tr("the engine's meter reports"), new_item=True)
        self.engine_readout.value = html.escape(metered.describe())
        return metered
