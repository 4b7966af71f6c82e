"""Lesson 6's reads through an index, measured on the engine: filter or index (with what a KEYS_ONLY index really
costs), and a GSI whose key has several attributes.

* ``filter_or_index_live``: one customer's open orders, read three ways, every unit metered (ReturnConsumedCapacity):
  a Query of the partition with a FilterExpression (charged for every item read [src:filter-after-read]); a Query of a
  sparse KEYS_ONLY GSI, which returns keys only and "cannot fetch attributes from the base table" [src:gsi-no-fetch],
  so each match costs a follow-up GetItem; and a Query of a sparse ALL GSI, which returns the orders themselves.
* ``multi_attribute_gsi_live``: a GSI keyed on two partition-key attributes and one sort-key attribute
  (multi-attribute keys [src:gsi-multi-attribute-keys]) instead of a synthetic ``customer#status`` string
  [src:gsi-no-synthetic-keys]; its key is read back from DescribeTable into a ``SecondaryIndex``; a Query that leaves
  out one partition-key attribute is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from dynalab.engine.tables import bulk_load, create_table, query_pages
from dynalab.i18n import tr
from dynalab.models import checks
from dynalab.models.indexes import SecondaryIndex, index_entry_size
from dynalab.models.sizing import item_size

__all__ = ["FilterOrIndexLive", "MultiAttributeQuery", "filter_or_index_live", "multi_attribute_gsi_live"]


def _units(pages: list[dict]) -> float:
    return sum(float((p.get("ConsumedCapacity") or {}).get("CapacityUnits") or 0.0) for p in pages)


def _sparse_gsi(name: str, projection: str) -> dict[str, Any]:
    return {"IndexName": name, "KeySchema": [{"AttributeName": "open_customer", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": projection}}


@dataclass(frozen=True)
class FilterOrIndexLive:
    """One customer's open orders, found by a filtered Query, by a KEYS_ONLY GSI plus a GetItem per match, and by
    an ALL GSI: what each read, measured."""

    items_in_partition: int
    matching_items: int
    item_size_bytes: int
    index_entry_size_bytes: int  # a KEYS_ONLY entry
    filter_read_units: float
    filter_items_returned: int
    index_read_units: float  # the KEYS_ONLY index's Query
    index_items_returned: int
    follow_up_read_units: float  # the GetItems that fetch what a KEYS_ONLY entry lacks
    follow_up_gets: int
    all_index_read_units: float  # the ALL index's Query: the orders themselves
    all_index_items_returned: int

    @property
    def keys_only_read_units(self) -> float:
        """What the KEYS_ONLY path really costs: its Query and the GetItems after it."""
        return self.index_read_units + self.follow_up_read_units

    def describe(self) -> str:
        return tr("{items_in_partition} orders of {item_size_bytes:,} B, {matching_items} open. Query + "
                  "FilterExpression: {filter_read_units:g} RCU for {filter_items_returned} items returned; KEYS_ONLY "
                  "GSI: {index_read_units:g} RCU for {index_items_returned} keys ({index_entry_size_bytes} B entries) "
                  "+ {follow_up_gets} GetItems {follow_up_read_units:g} RCU = {keys_only:g} RCU; ALL GSI: "
                  "{all_units:g} RCU for the {all_items} orders", items_in_partition=self.items_in_partition,
                  item_size_bytes=self.item_size_bytes, matching_items=self.matching_items,
                  filter_read_units=self.filter_read_units, filter_items_returned=self.filter_items_returned,
                  index_read_units=self.index_read_units, index_items_returned=self.index_items_returned,
                  index_entry_size_bytes=self.index_entry_size_bytes, follow_up_gets=self.follow_up_gets,
                  follow_up_read_units=self.follow_up_read_units, keys_only=self.keys_only_read_units,
                  all_units=self.all_index_read_units, all_items=self.all_index_items_returned)


def filter_or_index_live(lab: Any, *, items_in_partition: int = 200, open_every: int = 20,
                         item_size_bytes: int = 2000, name: str = "lesson6-orders") -> FilterOrIndexLive:
    """A table of orders keyed (customer, order); the open ones also carry ``open_customer``, the key of two sparse
    GSIs, one KEYS_ONLY and one ALL. Reads one customer's open orders three ways, eventually consistent, every
    page: the filtered Query, the KEYS_ONLY Query followed by a GetItem per key, the ALL Query."""
    checks.number("items_in_partition", items_in_partition, low=1, high=2000, integer=True)
    checks.number("open_every", open_every, low=1, high=items_in_partition, integer=True)
    checks.text("name", name, min_length=1, max_length=200)
    keys_only = SecondaryIndex("open-orders", ("open_customer",), "KEYS_ONLY")
    table = create_table(lab, name, partition_key=("customer", "S"), sort_key=("order", "S"),
                         extra_attribute_definitions=[("open_customer", "S")],
                         GlobalSecondaryIndexes=[_sparse_gsi(keys_only.name, "KEYS_ONLY"),
                                                 _sparse_gsi("open-orders-all", "ALL")], reset=True,
                         creator="filter_or_index_live")
    items = []
    for n in range(items_in_partition):
        item: dict[str, Any] = {"customer": "customer#1", "order": f"order#{n:05d}",
                                "status": "open" if n % open_every == 0 else "shipped", "lines": ""}
        if item["status"] == "open":
            item["open_customer"] = "customer#1"
        item["lines"] = "x" * (item_size_bytes - item_size(item))
        items.append(item)
    bulk_load(lab, table.name, items, show_progress=False)
    total = {"ReturnConsumedCapacity": "TOTAL"}
    filtered = list(query_pages(lab, table.name, KeyConditionExpression="customer = :c",
                                FilterExpression="#s = :o", ExpressionAttributeNames={"#s": "status"},
                                ExpressionAttributeValues={":c": {"S": "customer#1"}, ":o": {"S": "open"}}, **total))
    open_orders = {"KeyConditionExpression": "open_customer = :c",
                   "ExpressionAttributeValues": {":c": {"S": "customer#1"}}, **total}
    keys = list(query_pages(lab, table.name, IndexName=keys_only.name, **open_orders))
    fetched = [lab.client.get_item(TableName=table.name, Key={"customer": entry["customer"], "order": entry["order"]},
                                   **total) for page in keys for entry in page["Items"]]
    whole = list(query_pages(lab, table.name, IndexName="open-orders-all", **open_orders))
    matching = sum(1 for item in items if "open_customer" in item)
    entry = index_entry_size(items[0], keys_only, ["customer", "order"], typed=False) or 0
    return FilterOrIndexLive(items_in_partition, matching, item_size_bytes, entry, _units(filtered),
                             sum(p["Count"] for p in filtered), _units(keys), sum(p["Count"] for p in keys),
                             _units(fetched), len(fetched), _units(whole), sum(p["Count"] for p in whole))


@dataclass(frozen=True)
class MultiAttributeQuery:
    """A GSI with a multi-attribute key, as DescribeTable reports it, and what Queries of it return and cost."""

    index: SecondaryIndex  # read back from DescribeTable
    orders: int
    matched: int
    read_units: float
    refused_code: str  # the Query that leaves out a partition-key attribute

    def describe(self) -> str:
        return tr("{index} (from DescribeTable); Query customer = 'customer#1' AND status = 'open' AND placed_at >= "
                  "'2026-12-10': {matched} of {orders} orders, {read_units:g} RCU; the same Query without status: "
                  "{refused_code}", index=self.index.describe(), matched=self.matched, orders=self.orders,
                  read_units=self.read_units, refused_code=self.refused_code or tr("accepted"))


def multi_attribute_gsi_live(lab: Any, *, orders: int = 60, name: str = "lesson6-multi-key") -> MultiAttributeQuery:
    """Orders keyed (customer, order), with a GSI ``by-customer-status`` whose partition key is (customer, status)
    and sort key placed_at: each attribute keeps its own type and no ``customer#status`` string is stored. Queries
    it by the whole partition key and a sort-key range, then without ``status`` (refused)."""
    checks.number("orders", orders, low=1, high=1000, integer=True)
    checks.text("name", name, min_length=1, max_length=200)
    key_schema = [{"AttributeName": "customer", "KeyType": "HASH"}, {"AttributeName": "status", "KeyType": "HASH"},
                  {"AttributeName": "placed_at", "KeyType": "RANGE"}]
    table = create_table(lab, name, partition_key=("customer", "S"), sort_key=("order", "S"),
                         extra_attribute_definitions=[("status", "S"), ("placed_at", "S")],
                         GlobalSecondaryIndexes=[{"IndexName": "by-customer-status", "KeySchema": key_schema,
                                                  "Projection": {"ProjectionType": "ALL"}}], reset=True,
                         creator="multi_attribute_gsi_live")
    statuses = ("open", "shipped", "cancelled")
    bulk_load(lab, table.name, [{"customer": f"customer#{n % 3 + 1}", "order": f"order#{n:05d}",
                                 "status": statuses[n // 3 % 3], "placed_at": f"2026-12-{n % 28 + 1:02d}"}
                                for n in range(orders)], show_progress=False)
    described = lab.client.describe_table(TableName=table.name)["Table"]["GlobalSecondaryIndexes"][0]
    index = SecondaryIndex.from_description(described, is_global=True)
    values = {":c": {"S": "customer#1"}, ":s": {"S": "open"}, ":d": {"S": "2026-12-10"}}
    pages = list(query_pages(lab, table.name, IndexName=index.name, ReturnConsumedCapacity="TOTAL",
                             KeyConditionExpression="customer = :c AND #s = :s AND placed_at >= :d",
                             ExpressionAttributeNames={"#s": "status"}, ExpressionAttributeValues=values))
    refused = ""
    try:
        lab.client.query(TableName=table.name, IndexName=index.name,
                         KeyConditionExpression="customer = :c AND placed_at >= :d",
                         ExpressionAttributeValues={":c": values[":c"], ":d": values[":d"]})
    except ClientError as error:
        refused = error.response["Error"]["Code"]
    return MultiAttributeQuery(index, orders, sum(p["Count"] for p in pages), _units(pages), refused)
