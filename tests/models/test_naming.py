"""DynamoDB's table-name rule (dynalab.models.naming), pinned to HowItWorks.NamingRulesDataTypes.html."""

from __future__ import annotations

import pytest

from dynalab.models.naming import table_name_constraint, table_name_problem


@pytest.mark.parametrize("name", ["abc", "a" * 255, "Music", "vote_summary-daily.v2"])
def test_valid_names(name):
    assert table_name_problem(name) is None and table_name_constraint(name) is None


@pytest.mark.parametrize("name, constraint", [
    ("ab", "Member must have length greater than or equal to 3"),
    ("a" * 256, "Member must have length less than or equal to 255"),
    ("no spaces", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"),
    ("vote/summary", "Member must satisfy regular expression pattern"),
])
def test_invalid_names_in_dynamodbs_words_and_ours(name, constraint):
    assert table_name_constraint(name).startswith(constraint)
    assert table_name_problem(name) == (f"a table name must be 3 to 255 characters of A-Z, a-z, 0-9, '_', '-' and "
                                        f"'.'; got {name!r}")


def test_a_name_that_is_not_text():
    assert "got None" in table_name_problem(None)
