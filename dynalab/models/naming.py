"""DynamoDB's naming rule for tables (and indexes), once: 3 to 255 characters of a-z, A-Z, 0-9, '_', '-', '.'
(HowItWorks.NamingRulesDataTypes.html; the numbers are ``quotas.TABLE_NAME_LENGTHS`` / ``TABLE_NAME_PATTERN``).

``table_name_problem`` says what is wrong in dynalab's words (the engine checks a name before any request);
``table_name_constraint`` gives DynamoDB's own constraint text, as its ValidationException words it.
"""

from __future__ import annotations

import re
from typing import Any

from dynalab.models.quotas import TABLE_NAME_LENGTHS, TABLE_NAME_PATTERN

__all__ = ["TABLE_NAME_RULE", "table_name_constraint", "table_name_problem"]

_LOW, _HIGH = TABLE_NAME_LENGTHS
TABLE_NAME_RULE = f"{_LOW} to {_HIGH} characters of A-Z, a-z, 0-9, '_', '-' and '.'"


def table_name_constraint(name: str) -> str | None:
    """DynamoDB's constraint that ``name`` breaks ("Member must have length greater than or equal to 3", ...),
    or None when it is a valid table name."""
    if len(name) < _LOW:
        return f"Member must have length greater than or equal to {_LOW}"
    if len(name) > _HIGH:
        return f"Member must have length less than or equal to {_HIGH}"
    if not re.fullmatch(TABLE_NAME_PATTERN, name):
        return f"Member must satisfy regular expression pattern: {TABLE_NAME_PATTERN}"
    return None


def table_name_problem(name: Any) -> str | None:
    """What is wrong with ``name`` as a table name, naming the value and the rule, or None."""
    if not isinstance(name, str) or table_name_constraint(name) is not None:
        return f"a table name must be {TABLE_NAME_RULE}; got {name!r}"
    return None
