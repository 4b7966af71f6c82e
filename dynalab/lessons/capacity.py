"""Lesson 1 on the engine: an item written and read back, reads three ways, the 1 MB page.

The units come from the lab's fidelity layer (its meter supplies DynamoDB's); the rules they are compared with are
``dynalab.models.sizing`` and ``dynalab.models.capacity``. Each returns data with a ``describe()``; the figures are
``dynalab.figures.capacity``'s and the explorer that calls ``write_and_read`` is ``dynalab.widgets.capacity``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine import Lab, check_lab
from dynalab.engine.tables import batch_get_answers, bulk_load, create_table
from dynalab.i18n import tr, yes_no
from dynalab.models import checks
from dynalab.models.capacity import Page, first_page, item_cost
from dynalab.models.quotas import BATCH_GET_MAX_KEYS, MAX_ITEM_SIZE_BYTES
from dynalab.models.sizing import item_size

__all__ = ["PageDemo", "ReadPatterns", "RoundTrip", "first_page_live", "read_three_ways", "write_and_read"]

READ_ITEMS_RANGE = (1, BATCH_GET_MAX_KEYS)  # read_three_ways: one BatchGetItem reads them all
PAGE_ITEMS_RANGE = (1, 5000)  # dynalab's bound: first_page_live loads them all (300 of 4 KB fill the lesson's page)


def _check_range(name: str, value: Any, low: int, high: int) -> int:
    return checks.number(name, value, low=low, high=high, integer=True)


# ------------------------------------------------------------------------------------- an item, written and read


@dataclass(frozen=True)
class RoundTrip:
    """An item put, then read back strongly and eventually consistent: the units each call reported, or the
    refusal (DynamoDB's error code and message) when the put was refused."""

    item_size_bytes: int
    put_units: float = 0.0
    strong_read_units: float = 0.0
    eventual_read_units: float = 0.0
    refusal: tuple[str, str] | None = None

    def describe(self) -> str:
        if self.refusal is not None:
            return tr("refused: {code}: {message}", code=self.refusal[0], message=self.refusal[1])
        text = tr("PutItem: {put:g} WCU; GetItem strongly consistent: {strong:g} RCU; eventually consistent: "
                  "{eventual:g} RCU", put=self.put_units, strong=self.strong_read_units,
                  eventual=self.eventual_read_units)
        if self.put_units > item_cost(self.item_size_bytes).write_units:
            text += tr(" (the PutItem replaced a larger item: a write is charged on the larger of the two)")
        return text


def write_and_read(lab: Lab, table_name: str, item: dict[str, Any], *, reset: bool = False) -> RoundTrip:
    """Put ``item`` (resource-style values, key ``pk``) into ``table_name``, read it back strongly and eventually
    consistent, and return the units each call reported. ``reset``: the table is deleted and created afresh first
    (the explorer's own table, the first time); else it must exist."""
    check_lab(lab)
    checks.table_name("table_name", table_name)
    checks.instance("item", item, dict)
    reset = checks.flag("reset", reset)
    table = create_table(lab, table_name, reset=True) if reset else lab.resource.Table(lab.table_name(table_name))
    total = {"ReturnConsumedCapacity": "TOTAL"}
    try:
        put = table.put_item(Item=item, **total)
        strong = table.get_item(Key={"pk": item["pk"]}, ConsistentRead=True, **total)
        eventual = table.get_item(Key={"pk": item["pk"]}, **total)
    except ClientError as error:
        return RoundTrip(item_size(item), refusal=(error.response["Error"]["Code"], error.response["Error"]["Message"]))
    return RoundTrip(item_size(item), put["ConsumedCapacity"]["CapacityUnits"],
                     strong["ConsumedCapacity"]["CapacityUnits"], eventual["ConsumedCapacity"]["CapacityUnits"])


# ----------------------------------------------------------------------------------------------- reads three ways


@dataclass
class ReadPatterns:
    """The read units metered for the same items read three ways (``dynalab.figures.capacity.read_patterns_figure``
    draws them)."""

    item_count: int
    item_size_bytes: int
    units: dict[str, float]

    def describe(self) -> str:
        return "; ".join(f"{label}: {units:g} RCU" for label, units in self.units.items())


def read_three_ways(lab: Lab, table_name: str = "read-patterns", item_count: int = 10,
                    value_bytes: int = 100) -> ReadPatterns:
    """Write ``item_count`` small items under one partition key, then read them with one Query, with one
    GetItem each, and with one BatchGetItem; the meter says what each way consumed. ``table_name`` is reset
    (deleted and created afresh)."""
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
    for _ in batch_get_answers(lab, table.name, [{"pk": {"S": "songs"}, "sk": {"N": str(n)}}
                                                 for n in range(item_count)]):
        pass  # the meter counts each call
    units = {f"{label}": lab.meter.read_units(table.name, operation) for label, operation in (
        ("1 Query", "Query"), (f"{item_count} GetItem", "GetItem"), ("1 BatchGetItem", "BatchGetItem"))}
    return ReadPatterns(item_count, item_size(items[0]), units)


# ------------------------------------------------------------------------------------------------- the 1 MB page


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
