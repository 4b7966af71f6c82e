"""BatchWriteItem's rules (dynalab.models.batch_writes), pinned to the documented limits: no engine."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dynalab.models import batch_writes
from dynalab.models.quotas import BATCH_WRITE_MAX_BYTES

SCHEMA = [("pk", "S", "HASH"), ("sk", "N", "RANGE")]


def put(**item):
    return {"PutRequest": {"Item": item}}


def test_calls_hold_at_most_25_requests_in_order():
    writes = [("t", put(pk={"S": f"k{n}"})) for n in range(60)]
    calls = list(batch_writes.group_calls(writes))
    assert [len(call) for call in calls] == [25, 25, 10]
    assert [p for call in calls for p in call] == list(range(60))


def test_calls_stay_under_16_mb_by_dynamodb_item_size():
    big = "x" * (400 * 1024 - 10)  # with the names "pk" and "v": just under 400 KB each
    writes = [("t", put(pk={"S": f"{n:02d}"}, v={"S": big})) for n in range(50)]
    calls = list(batch_writes.group_calls(writes))
    assert all(sum(batch_writes.request_size_bytes(writes[p][1]) for p in call) <= BATCH_WRITE_MAX_BYTES
               for call in calls)
    assert [len(call) for call in calls] == [25, 25]  # 25 x 409,594 B = 10.2 MB: under 16 MB
    writes = [("t", put(pk={"S": f"{n:02d}"}, v={"S": big + big[:300_000]})) for n in range(30)]
    assert len(list(batch_writes.group_calls(writes))[0]) == 23  # 700 KB each (limits refuse it later): 23 fit


def test_calls_respect_a_byte_cap():
    writes = [("t", put(pk={"S": "x" * 1000})) for _ in range(10)]  # 1,002 B each
    assert [len(call) for call in batch_writes.group_calls(writes, 25, 3 * 1024)] == [3, 3, 3, 1]


def test_backoff_doubles_from_50_ms():
    assert [batch_writes.backoff_seconds(n) for n in (1, 2, 3, 4)] == [0.05, 0.1, 0.2, 0.4]
    with pytest.raises(ValueError, match="attempt must be an integer from 1 to 1,000"):
        batch_writes.backoff_seconds(0)


@pytest.mark.parametrize("value", [0, 1, -1, Decimal("1E-130"),
                                   Decimal("-9.9999999999999999999999999999999999999E+125"),
                                   0.1, 1.5e125, 10**37])
def test_numbers_in_dynamodbs_range_pass(value):
    assert batch_writes.number_problem(value) is None


@pytest.mark.parametrize("value, words", [
    (Decimal("1E-131"), "outside DynamoDB's number range"),
    (Decimal("1E+126"), "outside DynamoDB's number range"),
    (1e200, "outside DynamoDB's number range"),
    (-1e-200, "outside DynamoDB's number range"),
    (float("nan"), "NaN and infinity"),
    (Decimal("Infinity"), "NaN and infinity"),
    (Decimal("1." + "1" * 38), "39 significant digits"),
    (10**38 + 1, "39 significant digits"),
])
def test_numbers_outside_dynamodbs_range_are_named(value, words):
    assert words in batch_writes.number_problem(value)


def test_plain_value_turns_floats_into_decimals_and_names_the_bad_one():
    assert batch_writes.plain_value({"a": [0.1, {2.5}]}) == {"a": [Decimal("0.1"), {Decimal("2.5")}]}
    with pytest.raises(ValueError, match=r"attribute 'price'\.net\[1\]: 1e\+200 is outside"):
        batch_writes.plain_value({"net": [1, 1e200]}, "attribute 'price'")
    with pytest.raises(ValueError, match="no empty sets"):
        batch_writes.plain_value(set())
    assert batch_writes.plain_value(True) is True  # a bool is not a number


@pytest.mark.parametrize("request_, words", [
    (put(sk={"N": "1"}), "the key attribute 'pk' is missing"),
    (put(pk={"N": "1"}, sk={"N": "1"}), "'pk' must be of type S, got N"),
    (put(pk={"S": ""}, sk={"N": "1"}), "the partition key 'pk' is 0 B; a partition key value takes 1 to 2,048 B"),
    (put(pk={"S": "x" * 2049}, sk={"N": "1"}), "is 2049 B"),
    ({"DeleteRequest": {"Key": {"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"S": "x"}}}}, "key attributes only"),
    (put(pk={"S": "a"}, sk={"N": "1"}, v={"S": "x" * 409_600}), "an item takes at most 409,600 B"),
    ({"UpdateRequest": {}}, "a BatchWriteItem request is"),
])
def test_a_refused_request_says_why(request_, words):
    assert words in batch_writes.request_problem(request_, SCHEMA)


def test_keys_at_the_limits_pass():
    assert batch_writes.request_problem(put(pk={"S": "x" * 2048}, sk={"N": "1"}), SCHEMA) is None
    assert batch_writes.request_problem({"DeleteRequest": {"Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}}},
                                        SCHEMA) is None


def test_duplicate_keys_in_one_call_are_found_by_position():
    requests = [put(pk={"S": "a"}, sk={"N": "1"}), put(pk={"S": "a"}, sk={"N": "2"}),
                {"DeleteRequest": {"Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}}}]
    assert batch_writes.duplicate_keys(requests, SCHEMA) == (0, 2)
    assert batch_writes.duplicate_keys(requests[:2], SCHEMA) is None
