"""An item collection past its limit on a table with an LSI is refused as DynamoDB refuses it
(ItemCollectionSizeLimitExceededException; LSI.html). DynamoDB's limit is 10 GB: the test lowers it, as a lesson
may, and the error says so."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

import dynalab
from dynalab.models.quotas import ITEM_COLLECTION_MAX_BYTES


@pytest.fixture
def lsi_table(lab, table_name):
    dynalab.create_table(
        lab, table_name, sort_key=("sk", "S"), extra_attribute_definitions=[("day", "S")],
        LocalSecondaryIndexes=[{"IndexName": "by_day", "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                                                     {"AttributeName": "day", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "ALL"}}])
    lab.meter.item_collection_limit_bytes = 10_000
    yield table_name
    lab.meter.item_collection_limit_bytes = ITEM_COLLECTION_MAX_BYTES


def _put(lab, table, pk, sk, size=1000, **extra):
    lab.client.put_item(TableName=table, Item={"pk": {"S": pk}, "sk": {"S": sk}, "d": {"S": "x" * size},
                                               **{k: {"S": v} for k, v in extra.items()}})


def test_a_collection_past_the_limit_is_refused_other_collections_are_not(lab, lsi_table):
    for i in range(4):  # ~1 KB items with a 1 KB LSI entry each: ~2 KB a write
        _put(lab, lsi_table, "hot", f"s{i}", day="mon")
    with pytest.raises(ClientError) as refused:
        _put(lab, lsi_table, "hot", "s4", size=2500, day="mon")
    error = refused.value.response["Error"]
    assert error["Code"] == "ItemCollectionSizeLimitExceededException"
    assert "10 gigabytes" in error["Message"] and "lowered to 10,000 B" in error["Message"]
    _put(lab, lsi_table, "cold", "s0", day="mon")  # another partition-key value: its own collection
    _put(lab, lsi_table, "hot", "s5", size=1000)  # no LSI key: only the item itself counts (~1 KB)
    lab.client.delete_item(TableName=lsi_table, Key={"pk": {"S": "hot"}, "sk": {"S": "s0"}})
    _put(lab, lsi_table, "hot", "s6", day="tue")  # room again after a delete
