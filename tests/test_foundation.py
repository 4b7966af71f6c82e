"""Pure parts of the foundation: table-spec validation, batching, exercises, progress."""

from __future__ import annotations

import pytest

from dynalab.engine.tables import _key_schema
from dynalab.progress import Progress
from dynalab.widgets.self_check import Question


def test_key_schema_for_partition_and_sort_key():
    schema, definitions = _key_schema(("Artist", "S"), ("Year", "N"))
    assert schema == [{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "Year", "KeyType": "RANGE"}]
    assert definitions[1] == {"AttributeName": "Year", "AttributeType": "N"}


@pytest.mark.parametrize("bad", [("Artist", "BOOL"), ("", "S"), "Artist", ("Artist",)])
def test_a_bad_key_names_the_parameter_and_the_allowed_types(bad):
    with pytest.raises(ValueError, match=r"partition_key must be .*S, N, B"):
        _key_schema(bad, None)


def test_question_checks_numbers_and_words():
    units = Question("RCU?", answer=lambda: 4, hint="divide by 4 KB")
    assert units.check("4").startswith("✓")
    assert units.check("4.0").startswith("✓")
    assert "Hint: divide by 4 KB" in units.check("16")
    assert units.check("") == "Type an answer first."
    assert Question("key?", "partition key", "h").check(" Partition Key ").startswith("✓")


def test_progress_counts_without_a_kernel():
    with Progress(10, "x") as bar:
        bar.advance(4)
        bar.advance(6)
    assert bar.done == 10
    with pytest.raises(ValueError, match="total must be >= 0"):
        Progress(-1, "x")
