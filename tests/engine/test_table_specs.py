"""Table specs (dynalab.engine.tables): the key schema and its checks, before any request."""

from __future__ import annotations

import pytest

from dynalab.engine.tables import _key_schema


def test_key_schema_for_partition_and_sort_key():
    schema, definitions = _key_schema(("Artist", "S"), ("Year", "N"))
    assert schema == [{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "Year", "KeyType": "RANGE"}]
    assert definitions[1] == {"AttributeName": "Year", "AttributeType": "N"}


@pytest.mark.parametrize("bad", [("Artist", "BOOL"), ("", "S"), "Artist", ("Artist",)])
def test_a_bad_key_names_the_parameter_and_the_allowed_types(bad):
    with pytest.raises(ValueError, match=r"partition_key must be .*S, N, B"):
        _key_schema(bad, None)
