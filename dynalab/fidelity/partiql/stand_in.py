"""dynalab's STAND-IN for PartiQL on moto (``Phase.STAND_IN``): the statements run as the operations they translate to.

moto 5.2.6's PartiQL misses much of what DynamoDB does (measured: numbers in a WHERE clause match nothing, an INSERT
of an existing key overwrites it, ``UPDATE ... SET pk = 'zz'`` creates a second item, DELETE and transactions answer
HTTP 500, Limit is ignored). On moto the layer answers ExecuteStatement, BatchExecuteStatement and ExecuteTransaction
itself, by running the translation (``dynalab.fidelity.partiql``) on a client without the layer, and answering in
PartiQL's shape with DynamoDB's errors: an INSERT of an existing key is DuplicateItemException ("Duplicate primary
key exists in table"), an UPDATE of a missing item ConditionalCheckFailedException, a batch's failed statement an
``Error`` in its place (ql-reference.multiplestatements.batching.html). What each run answered is left on the record
(``call.run_answers``) for the meter. On other engines the engine answers.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError

from dynalab.fidelity import error_response, ok_response
from dynalab.fidelity.call import Call, Phase, Run
from dynalab.fidelity.partiql import NOT_FOUND, OPERATIONS, Statement
from dynalab.fidelity.requests import client_shape

__all__ = ["PartiQLStandIn"]

DUPLICATE_ITEM = ("DuplicateItemException", "Duplicate primary key exists in table")
_VALUE_FIELDS = ("Key", "Item", "ExclusiveStartKey", "ExpressionAttributeValues")
#: A batch statement's error codes (API_BatchStatementError.html: BatchStatementErrorCodeEnum).
_BATCH_CODES = {"ConditionalCheckFailedException": "ConditionalCheckFailed", "DuplicateItemException": "DuplicateItem",
                "ValidationException": "ValidationError", "ResourceNotFoundException": "ResourceNotFound",
                "ProvisionedThroughputExceededException": "ProvisionedThroughputExceeded",
                "TransactionConflictException": "TransactionConflict",
                "ItemCollectionSizeLimitExceededException": "ItemCollectionSizeLimitExceeded"}
_CALLS = {"GetItem": "get_item", "Query": "query", "Scan": "scan", "PutItem": "put_item", "UpdateItem": "update_item",
          "DeleteItem": "delete_item", "TransactGetItems": "transact_get_items",
          "TransactWriteItems": "transact_write_items"}


def _wire(value: Any) -> Any:
    """A parsed answer back in the wire's shape (binary as base64 text)."""
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, Mapping):
        return {key: _wire(inner) for key, inner in value.items() if key != "ResponseMetadata"}
    if isinstance(value, list):
        return [_wire(inner) for inner in value]
    return value


def _client_request(request: Mapping[str, Any]) -> dict[str, Any]:
    """A wire-shaped request in the shape boto3's client takes (binary as bytes)."""
    shaped = dict(request)
    for name in _VALUE_FIELDS:
        if isinstance(shaped.get(name), Mapping):
            shaped[name] = {key: client_shape(value) for key, value in shaped[name].items()}
    if "TransactItems" in shaped:
        shaped["TransactItems"] = [{kind: _client_request(spec) for kind, spec in entry.items()}
                                   for entry in shaped["TransactItems"]]
    return shaped


def _token(run: int, key: Mapping[str, Any]) -> str:
    return base64.b64encode(json.dumps({"run": run, "key": key}).encode()).decode()


def _untoken(token: Any) -> tuple[int, dict | None]:
    try:
        found = json.loads(base64.b64decode(token))
        return int(found["run"]), found["key"]
    except (ValueError, TypeError, KeyError):
        return -1, None


class PartiQLStandIn:
    """Answers PartiQL calls on moto (see the module docstring). ``raw_client``: a client on the engine without the
    layer."""

    phase = Phase.STAND_IN
    before_send_operations = OPERATIONS

    def __init__(self, raw_client: Any) -> None:
        self._raw = raw_client

    def before_send(self, call: Call) -> AWSResponse | None:
        translation = call.translation
        if translation is None:
            return None
        if translation.problem is not None:
            return error_response(*translation.problem)
        try:
            if call.operation == "ExecuteStatement":
                return self._statement(call, translation.statements[0])
            if call.operation == "BatchExecuteStatement":
                return self._batch(call, translation.statements)
            return self._transaction(call)
        except ClientError as error:
            found = error.response.get("Error", {})
            extra = {name: error.response[name] for name in ("CancellationReasons", "Item") if name in error.response}
            return error_response(found.get("Code", "InternalServerError"), found.get("Message", ""), extra=extra)

    def _run(self, run: Run, **more: Any) -> dict[str, Any]:
        return _wire(getattr(self._raw, _CALLS[run.operation])(**_client_request(run.request), **more))

    # ---------------------------------------------------------------------------------------- one statement

    def _statement(self, call: Call, statement: Statement) -> AWSResponse:
        if statement.problem == NOT_FOUND:
            return error_response(*NOT_FOUND)
        answers: list[dict | None] = [None] * len(statement.runs)
        call.run_answers = answers
        if statement.reads:
            return self._reads(call, statement, answers)
        run = statement.runs[0]
        failure = call.request.get("ReturnValuesOnConditionCheckFailure")
        try:
            answers[0] = self._run(run, **({"ReturnValuesOnConditionCheckFailure": failure} if failure else {}))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                answers[0] = {"Error": {"Code": "ConditionalCheckFailedException"}}
                if run.operation == "PutItem":
                    return error_response(*DUPLICATE_ITEM)
                item = {"Item": _wire(error.response["Item"])} if "Item" in error.response else {}
                return error_response("ConditionalCheckFailedException", "The conditional request failed",
                                      extra=item)
            raise
        attributes = answers[0].get("Attributes")
        return ok_response({"Items": [attributes] if attributes else []})

    def _reads(self, call: Call, statement: Statement, answers: list) -> AWSResponse:
        start, key = (0, None)
        if call.request.get("NextToken"):
            start, key = _untoken(call.request["NextToken"])
            if start < 0 or start >= len(statement.runs):
                return error_response("ValidationException", "Invalid NextToken")
        items: list[dict] = []
        for position in range(start, len(statement.runs)):
            run = statement.runs[position]
            request = dict(run.request)
            if key is not None and position == start:
                request["ExclusiveStartKey"] = key
            answer = self._run(Run(run.operation, request))
            answers[position] = answer
            if run.operation == "GetItem":
                items += [answer["Item"]] if answer.get("Item") else []
                continue
            items += answer.get("Items") or []
            if answer.get("LastEvaluatedKey"):
                return ok_response({"Items": items, "NextToken": _token(position, answer["LastEvaluatedKey"]),
                                    "LastEvaluatedKey": answer["LastEvaluatedKey"]})
        return ok_response({"Items": items})

    # ------------------------------------------------------------------------------------- batches, transactions

    def _batch(self, call: Call, statements: list[Statement]) -> AWSResponse:
        responses: list[dict[str, Any]] = []
        answers: list[dict | None] = []
        for statement in statements:
            entry: dict[str, Any] = {"TableName": statement.table} if statement.table else {}
            if statement.problem is not None:
                code, message = statement.problem
                responses.append({**entry, "Error": {"Code": _BATCH_CODES.get(code, code), "Message": message}})
                continue
            run = statement.runs[0]
            try:
                answer = self._run(run)
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code", "")
                if code == "ConditionalCheckFailedException" and run.operation == "PutItem":
                    code, message = DUPLICATE_ITEM
                else:
                    message = error.response.get("Error", {}).get("Message", "")
                answers.append({"Error": {"Code": code}})
                responses.append({**entry, "Error": {"Code": _BATCH_CODES.get(code, code), "Message": message}})
                continue
            answers.append(answer)
            responses.append({**entry, **({"Item": answer["Item"]} if answer.get("Item") else {})})
        call.run_answers = answers
        return ok_response({"Responses": responses})

    def _transaction(self, call: Call) -> AWSResponse:
        (run,) = call.runs
        token = call.request.get("ClientRequestToken")
        try:
            answer = self._run(run, **({"ClientRequestToken": token} if token and run.operation ==
                                       "TransactWriteItems" else {}))
        except ClientError as error:
            reasons = error.response.get("CancellationReasons")
            if reasons:  # an INSERT's condition is the key's absence: DynamoDB calls its failure DuplicateItem
                for reason, item in zip(reasons, run.request["TransactItems"], strict=False):
                    if reason.get("Code") == "ConditionalCheckFailed" and "Put" in item:
                        reason.update(Code="DuplicateItem", Message=DUPLICATE_ITEM[1])
                codes = ", ".join(reason.get("Code", "None") for reason in reasons)
                error.response["Error"]["Message"] = ("Transaction cancelled, please refer cancellation reasons for "
                                                      f"specific reasons [{codes}]")
            raise
        call.run_answers = [answer]
        if run.operation == "TransactGetItems":
            return ok_response({"Responses": [{"Item": r["Item"]} if r.get("Item") else {}
                                              for r in answer.get("Responses") or []]})
        return ok_response({})
