"""DynamoDB's naming rule for tables (and indexes), once: 3 to 255 characters of a-z, A-Z, 0-9, '_', '-', '.'
(HowItWorks.NamingRulesDataTypes.html; the numbers are ``quotas.TABLE_NAME_LENGTHS`` / ``TABLE_NAME_PATTERN``).

``table_name_problem`` says what is wrong in dynalab's words (the engine checks a name before any request);
``table_name_constraint`` gives DynamoDB's own constraint text, as its ValidationException words it (English in
every language: it is DynamoDB's message, not dynalab's).
"""

from __future__ import annotations

import re
from typing import Any

from dynalab.i18n import N_, tr
from dynalab.models.quotas import TABLE_NAME_LENGTHS, TABLE_NAME_PATTERN

__all__ = ["TABLE_NAME_RULE", "table_name_constraint", "table_name_problem", "table_name_rule"]

_LOW, _HIGH = TABLE_NAME_LENGTHS
_RULE = N_("{low} to {high} characters of A-Z, a-z, 0-9, '_', '-' and '.'")
#: The rule in English (kept for code that formats it itself); ``table_name_rule()`` gives it in the current language.
TABLE_NAME_RULE = _RULE.format(low=_LOW, high=_HIGH)


def table_name_rule() -> str:
    """The table-name rule in the current language: "3 to 255 characters of A-Z, a-z, 0-9, '_', '-' and '.'"."""
    return tr(_RULE, low=_LOW, high=_HIGH)


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
        return tr("a table name must be {rule}; got {name!r}", rule=table_name_rule(), name=name)
    return None
