"""Lambda event filtering: does a stream record match an event source mapping's ``FilterCriteria``? Pure.

Lambda uses EventBridge's pattern syntax (invocation-eventfiltering.html, "Filter rule syntax"; eb-event-patterns):

* A pattern is a JSON object shaped like the event. Every field it names must be in the event and match; fields it
  does not name are ignored. A nested object descends into the event (``{"dynamodb": {"Keys": {...}}}``).
* A leaf is a list of rules, any one of which may match (OR); several fields are ANDed. An event field holding a
  list matches when any of its elements matches.
* Rules: a string or number (equals; "300", 300 and 300.0 are three different values: numbers are compared by
  their JSON text), ``null``, ``""`` (empty), ``{"prefix": s}``, ``{"suffix": s}``, ``{"equals-ignore-case": s}``,
  ``{"anything-but": value | [values] | {"prefix": s}}``, ``{"numeric": [">", 10, "<=", 20]}``,
  ``{"exists": true | false}``; and ``"$or": [pattern, ...]`` at any level.
* ``FilterCriteria`` holds up to 5 filters (``quotas.EVENT_FILTERS_PER_MAPPING``); a record is sent to the function
  when **any** filter matches. A record no filter matches is dropped: the mapping moves past it, never invokes for it.

DynamoDB sends numbers as strings (``"N": "101"``): the docs' own examples match them as strings
(``"N": ["101"]``). A numeric rule here compares JSON numbers only, so it does not match an ``N`` string; whether
Lambda converts ``N`` strings for a numeric rule is **unverified**. DynamoDB mappings filter on the record's
``dynamodb`` key for data; top-level fields (``eventName``, ``userIdentity``) are metadata and filter the same way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from dynalab.i18n import tr
from dynalab.models.quotas import EVENT_FILTER_PATTERN_MAX_LENGTH, EVENT_FILTERS_PER_MAPPING

__all__ = ["FilterPatternError", "matches_criteria", "matches_pattern", "parse_filter_criteria"]

_NUMERIC_OPERATORS = ("=", "<", "<=", ">", ">=")
_MISSING = object()


class FilterPatternError(ValueError):
    """A filter pattern Lambda would refuse (CreateEventSourceMapping fails), said in one line."""


def parse_filter_criteria(filter_criteria: Any) -> list[dict]:
    """AWS's ``{"Filters": [{"Pattern": "<json>"}, ...]}`` → the list of decoded patterns, each checked.

    ``None`` or ``{}`` (no criteria) gives ``[]``: every record is sent.
    """
    if filter_criteria is None or filter_criteria == {}:
        return []
    if not isinstance(filter_criteria, Mapping) or set(filter_criteria) != {"Filters"}:
        raise FilterPatternError(tr('filter_criteria must be {{"Filters": [{{"Pattern": "<JSON pattern>"}}, ...]}}, '
                                    "got {filter_criteria!r}", filter_criteria=filter_criteria))
    filters = filter_criteria["Filters"]
    if not isinstance(filters, Sequence) or isinstance(filters, str | bytes) or not filters:
        raise FilterPatternError(tr('filter_criteria["Filters"] must be a non-empty list, got {filters!r}',
                                    filters=filters))
    if len(filters) > EVENT_FILTERS_PER_MAPPING:
        raise FilterPatternError(tr("at most {limit} filters per event source mapping (the "
                                    "default quota, invocation-eventfiltering.html), got {count}",
                                    limit=EVENT_FILTERS_PER_MAPPING, count=len(filters)))
    patterns = []
    for number, entry in enumerate(filters, 1):
        if not isinstance(entry, Mapping) or not isinstance(entry.get("Pattern"), str):
            raise FilterPatternError(tr('filter {number} must be {{"Pattern": "<JSON text>"}}, got {entry!r}',
                                        number=number, entry=entry))
        text = entry["Pattern"]
        if len(text) > EVENT_FILTER_PATTERN_MAX_LENGTH:
            raise FilterPatternError(tr("filter {number}: a Pattern holds at most {limit} "
                                        "characters (API_Filter.html), got {count}",
                                        number=number,
                                        limit=EVENT_FILTER_PATTERN_MAX_LENGTH,
                                        count=len(text)))
        try:
            pattern = json.loads(text)
        except json.JSONDecodeError as error:
            raise FilterPatternError(tr("filter {number}: the Pattern is not valid JSON ({msg} at character {pos}): "
                                        "{text!r}", number=number, msg=error.msg, pos=error.pos, text=text)) from None
        _check_pattern(pattern, tr("filter {number}", number=number))
        patterns.append(pattern)
    return patterns


def _check_pattern(pattern: Any, where: str) -> None:
    if not isinstance(pattern, dict) or not pattern:
        raise FilterPatternError(tr("{where}: a pattern must be a non-empty JSON object, got {pattern!r}",
                                    where=where, pattern=pattern))
    for key, value in pattern.items():
        path = f"{where}: {key}"
        if key == "$or":
            if not isinstance(value, list) or len(value) < 2:
                raise FilterPatternError(tr("{path} must be a list of at least two patterns, got {value!r}",
                                            path=path, value=value))
            for each in value:
                _check_pattern(each, path)
        elif isinstance(value, dict):
            _check_pattern(value, path)
        elif isinstance(value, list):
            if not value:
                raise FilterPatternError(tr("{path}: a list of rules must not be empty", path=path))
            for rule in value:
                _check_rule(rule, path)
        else:
            raise FilterPatternError(tr("{path}: a leaf must be a list of rules (e.g. [{example}]), got {value!r}",
                                        path=path, example=json.dumps(value), value=value))


def _check_rule(rule: Any, path: str) -> None:
    if rule is None or isinstance(rule, str | int | float | bool):
        return
    if not isinstance(rule, dict) or len(rule) != 1:
        raise FilterPatternError(tr("{path}: a rule is a value or a one-key object, got {rule!r}",
                                    path=path, rule=rule))
    (operator, operand), = rule.items()
    if operator in ("prefix", "suffix", "equals-ignore-case"):
        if not isinstance(operand, str):
            raise FilterPatternError(tr("{path}: {operator} takes a string, got {operand!r}",
                                        path=path, operator=operator, operand=operand))
    elif operator == "exists":
        if not isinstance(operand, bool):
            raise FilterPatternError(tr("{path}: exists takes true or false, got {operand!r}",
                                        path=path, operand=operand))
    elif operator == "anything-but":
        if isinstance(operand, dict):
            if set(operand) != {"prefix"} or not isinstance(operand["prefix"], str):
                raise FilterPatternError(tr('{path}: anything-but takes a value, a list or {{"prefix": s}}, got '
                                            "{operand!r}", path=path, operand=operand))
        elif isinstance(operand, list) and not operand:
            raise FilterPatternError(tr("{path}: anything-but takes a non-empty list", path=path))
    elif operator == "numeric":
        _numeric_terms(operand, path)
    else:
        raise FilterPatternError(tr("{path}: unknown operator {operator!r}; this matcher knows prefix, suffix, "
                                    "equals-ignore-case, anything-but, numeric, exists", path=path, operator=operator))


def _numeric_terms(operand: Any, path: str = "numeric") -> list[tuple[str, float]]:
    if not isinstance(operand, list) or len(operand) not in (2, 4):
        raise FilterPatternError(tr("{path}: numeric takes [op, number] or [op, number, op, number] (op one of "
                                    "{choices}), got {operand!r}",
                                    path=path, choices=", ".join(_NUMERIC_OPERATORS), operand=operand))
    terms = list(zip(operand[::2], operand[1::2], strict=True))
    for operator, value in terms:
        if operator not in _NUMERIC_OPERATORS or isinstance(value, bool) or not isinstance(value, int | float):
            raise FilterPatternError(tr("{path}: numeric terms are (op, number) with op one of {choices}, got "
                                        "{operator!r}, {value!r}",
                                        path=path, choices=", ".join(_NUMERIC_OPERATORS), operator=operator,
                                        value=value))
    return terms


def _equal(rule: Any, value: Any) -> bool:
    """A literal rule against one event value: same JSON type and text (300 is not 300.0, nor "300")."""
    if isinstance(rule, bool) or isinstance(value, bool):
        return isinstance(rule, bool) and isinstance(value, bool) and rule == value
    if isinstance(rule, int | float):
        return isinstance(value, int | float) and json.dumps(rule) == json.dumps(value)
    return type(rule) is type(value) and rule == value


def _rule_matches(rule: Any, value: Any) -> bool:
    """One rule against a present event value (a scalar; lists are expanded by the caller)."""
    if not isinstance(rule, dict):
        return _equal(rule, value)
    (operator, operand), = rule.items()
    if operator == "prefix":
        return isinstance(value, str) and value.startswith(operand)
    if operator == "suffix":
        return isinstance(value, str) and value.endswith(operand)
    if operator == "equals-ignore-case":
        return isinstance(value, str) and value.casefold() == operand.casefold()
    if operator == "anything-but":
        if isinstance(operand, dict):
            return isinstance(value, str) and not value.startswith(operand["prefix"])
        excluded = operand if isinstance(operand, list) else [operand]
        return value is not None and not any(_equal(each, value) for each in excluded)
    if operator == "numeric":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        checks = {"=": value.__eq__, "<": value.__lt__, "<=": value.__le__, ">": value.__gt__, ">=": value.__ge__}
        return all(checks[op](number) for op, number in _numeric_terms(operand))
    return False


def _leaf_matches(rules: list, value: Any) -> bool:
    for rule in rules:
        if isinstance(rule, dict) and "exists" in rule:
            if (value is not _MISSING) == rule["exists"]:
                return True
            continue
        if value is _MISSING:
            continue
        values = value if isinstance(value, list) else [value]
        if any(_rule_matches(rule, each) for each in values):
            return True
    return False


def matches_pattern(pattern: Mapping[str, Any], event: Any) -> bool:
    """Does one decoded pattern match the event (a stream record as Lambda sends it)?"""
    for key, expected in pattern.items():
        if key == "$or":
            if not any(matches_pattern(each, event) for each in expected):
                return False
            continue
        value = event.get(key, _MISSING) if isinstance(event, Mapping) else _MISSING
        if isinstance(expected, Mapping):
            # A nested pattern: descend; a missing object only matches a pattern made of "exists": false rules.
            if not matches_pattern(expected, value if isinstance(value, Mapping) else {}):
                return False
        elif not _leaf_matches(expected, value):
            return False
    return True


def matches_criteria(patterns: Sequence[Mapping[str, Any]], event: Any) -> bool:
    """Any pattern matches (no patterns: every event is sent)."""
    return not patterns or any(matches_pattern(pattern, event) for pattern in patterns)
