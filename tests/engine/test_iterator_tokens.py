"""The embedded engine's shard iterator tokens, without an engine: what a token carries, when it expires, what
DynamoDB's checks refuse (the engine answers with these; tests/integration/test_stream_iterators.py asks it)."""

from __future__ import annotations

import pytest

from dynalab.engine._iterators import (
    EXPIRED,
    INVALID_ITERATOR,
    IteratorCodec,
    IteratorRefused,
    check_get_records,
    check_get_shard_iterator,
)
from dynalab.models.quotas import SHARD_ITERATOR_LENGTH_RANGE, SHARD_ITERATOR_LIFETIME_SECONDS

ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/" + "t" * 255 + "/stream/2026-12-07T10:00:00.000000"
SHARD = "shardId-00000001541626099285-f35f62ef"


def test_a_token_carries_its_stream_shard_and_position_until_it_expires():
    codec = IteratorCodec(SHARD_ITERATOR_LIFETIME_SECONDS)
    token = codec.encode(ARN, SHARD, 10**39, now=1000.0)
    assert token.startswith(ARN + "|1|") and len(token) <= SHARD_ITERATOR_LENGTH_RANGE[1]
    assert codec.decode(token, now=1000.0 + SHARD_ITERATOR_LIFETIME_SECONDS) == (ARN, SHARD, 10**39)
    with pytest.raises(IteratorRefused) as raised:
        codec.decode(token, now=1000.0 + SHARD_ITERATOR_LIFETIME_SECONDS + 0.01)
    assert (raised.value.code, raised.value.message) == ("ExpiredIteratorException", EXPIRED)


@pytest.mark.parametrize("change", [
    lambda token: token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB"),  # the MAC
    lambda token: token.replace("|1|", "|2|"),
    lambda token: token.replace("table/t", "table/u", 1),  # another stream
    lambda token: token.split("|")[0],
    lambda token: token + "|x",
    lambda token: token[: token.rindex("|") + 1] + "not base64!",
    lambda token: token[: token.rindex("|") + 1],
], ids=["mac", "version", "stream", "no-payload", "extra-part", "not-base64", "empty-payload"])
def test_a_token_altered_in_any_way_is_invalid(change):
    codec = IteratorCodec(SHARD_ITERATOR_LIFETIME_SECONDS)
    with pytest.raises(IteratorRefused) as raised:
        codec.decode(change(codec.encode(ARN, SHARD, 7)))
    assert (raised.value.code, raised.value.message) == ("ValidationException", INVALID_ITERATOR)


def test_a_token_of_another_engine_is_invalid():
    token = IteratorCodec(900.0).encode(ARN, SHARD, 7)
    with pytest.raises(IteratorRefused, match=INVALID_ITERATOR):
        IteratorCodec(900.0).decode(token)


def test_the_checks_read_what_dynamodb_reads():
    request = check_get_shard_iterator({"StreamArn": ARN, "ShardId": SHARD, "SequenceNumber": "1100000000017454423009",
                                        "ShardIteratorType": "AFTER_SEQUENCE_NUMBER"})
    assert (request["kind"], request["sequence_number"]) == ("AFTER_SEQUENCE_NUMBER", 1100000000017454423009)
    codec = IteratorCodec(900.0)
    assert check_get_records({"ShardIterator": codec.encode(ARN, SHARD, 5)}, codec) == (ARN, SHARD, 5, 1000)
    with pytest.raises(IteratorRefused, match="Member must have value greater than or equal to 1"):
        check_get_records({"ShardIterator": codec.encode(ARN, SHARD, 5), "Limit": True}, codec)
