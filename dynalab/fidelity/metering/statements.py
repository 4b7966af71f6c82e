"""What each run of a call answered, in the shape of the operation it runs: the call's own answer, or for PartiQL
the answer of each GetItem, Query, Scan or write a statement translated to (``dynalab.fidelity.partiql``).

A stand-in that ran the translation itself (moto's) leaves the exact answers on the record (``call.run_answers``);
elsewhere they are taken apart from the PartiQL answer (``Items``, ``Responses``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dynalab.fidelity.call import Call, Run
from dynalab.fidelity.old_items import item_key

__all__ = ["run_answers"]

Answer = tuple[Mapping[str, Any] | None, bool]
_CONDITION_FAILED = ("ConditionalCheckFailedException", "ConditionalCheckFailed")


def run_answers(call: Call) -> list[Answer]:
    """(answer, ok) for each of ``call.runs``; (None, False) for a run that consumed nothing."""
    if call.translation is None:
        return [(call.parsed, call.ok)]
    if call.run_answers is not None:
        return [_stand_in_answer(answer) for answer in call.run_answers]
    if call.operation == "BatchExecuteStatement":
        if not call.ok:
            return []
        responses = call.parsed.get("Responses") or []
        # the runs are those of the statements that translated: pair each with its statement's response
        valid = [response for statement, response in zip(call.translation.statements, responses, strict=False)
                 if statement.problem is None]
        return [_batch_answer(run, response) for run, response in zip(call.runs, valid, strict=False)]
    if not call.ok:
        failed = call.error_code in _CONDITION_FAILED
        return [({}, False) if failed and run.operation in ("PutItem", "UpdateItem", "DeleteItem") else (None, False)
                for run in call.runs]
    if call.operation == "ExecuteTransaction":
        return [(call.parsed if call.runs[0].operation == "TransactGetItems" else {}, True)]
    return _statement_answers(call)


def _stand_in_answer(answer: Mapping[str, Any] | None) -> Answer:
    if answer is None:
        return None, False
    error = (answer.get("Error") or {}).get("Code") if isinstance(answer.get("Error"), Mapping) else None
    if error is None:
        return answer, True
    return ({}, False) if error in _CONDITION_FAILED else (None, False)


def _batch_answer(run: Run, response: Mapping[str, Any]) -> Answer:
    if "Error" in response:
        return _stand_in_answer(response)
    if run.operation == "GetItem":
        return {"Item": response["Item"]} if response.get("Item") else {}, True
    return {}, True


def _statement_answers(call: Call) -> list[Answer]:
    """One ExecuteStatement's answer split over its runs: a SELECT of several keys (``IN``, ``OR``) runs one read
    per key; each item goes to the run whose key it has."""
    items = list(call.parsed.get("Items") or [])
    runs = call.runs
    if not runs:  # a table the layer could not describe (on AWS): the engine's own units are the record
        return []
    if len(runs) == 1:
        run = runs[0]
        if run.operation == "GetItem":
            return [({"Item": items[0]} if items else {}, True)]
        if run.operation in ("Query", "Scan"):
            return [({"Items": items}, True)]
        return [({}, True)]
    answers: list[Answer] = []
    info = call.table_info(runs[0].request.get("TableName", ""))
    for run in runs:
        if run.operation == "GetItem":
            key = item_key(info, run.request.get("Key"))
            mine = [item for item in items if item_key(info, item) == key]
            answers.append(({"Item": mine[0]} if mine else {}, True))
        else:
            partition = (run.request.get("ExpressionAttributeValues") or {}).get(":partition")
            name = info.partition_key if info is not None else None
            answers.append(({"Items": [item for item in items if name and item.get(name) == partition]}, True))
    return answers
