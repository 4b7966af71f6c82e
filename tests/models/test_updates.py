"""apply_update: the item an UpdateExpression produces (Expressions.UpdateExpressions.html examples)."""

from __future__ import annotations

import pytest

from dynalab.models.updates import UpdateNotApplied, apply_update

ITEM = {"pk": {"S": "a"}, "n": {"N": "5"}, "tags": {"SS": ["x", "y"]}, "list": {"L": [{"S": "a"}, {"S": "b"}]},
        "m": {"M": {"inner": {"S": "i"}}}}


def test_set_remove_add_delete():
    out = apply_update(ITEM, "SET n = n + :one, #w = :w, m.inner = :v, list[5] = :v REMOVE list[0] "
                             "ADD tags :t, c :one DELETE tags :x",
                       {"#w": "word"}, {":one": {"N": "1"}, ":w": {"S": "hi"}, ":v": {"S": "new"},
                                        ":t": {"SS": ["z"]}, ":x": {"SS": ["x"]}})
    assert out["n"] == {"N": "6"} and out["word"] == {"S": "hi"} and out["c"] == {"N": "1"}
    assert out["m"] == {"M": {"inner": {"S": "new"}}}
    assert out["list"] == {"L": [{"S": "b"}, {"S": "new"}]}
    assert out["tags"] == {"SS": ["y", "z"]}
    assert ITEM["n"] == {"N": "5"}  # the input is not changed


def test_functions_and_a_new_item():
    expression = "SET hits = if_not_exists(hits, :zero) + :one, log = list_append(if_not_exists(log, :e), :l)"
    out = apply_update(None, expression,
                       values={":zero": {"N": "0"}, ":one": {"N": "1"}, ":e": {"L": []}, ":l": {"L": [{"S": "x"}]}},
                       key={"pk": {"S": "k"}})
    assert out == {"pk": {"S": "k"}, "hits": {"N": "1"}, "log": {"L": [{"S": "x"}]}}


def test_what_it_cannot_apply_is_said():
    with pytest.raises(UpdateNotApplied):
        apply_update(ITEM, "SET a = :missing")
    with pytest.raises(UpdateNotApplied):
        apply_update(ITEM, "SET nope.deeper = :v", values={":v": {"S": "x"}})
