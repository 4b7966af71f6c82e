"""Contributor Insights for DynamoDB on a local engine: DynamoDB's three operations and CloudWatch's report, once.

moto 5.2 has none of UpdateContributorInsights, DescribeContributorInsights, ListContributorInsights (DynamoDB) nor
GetInsightRuleReport (CloudWatch; it stores insight rules but cannot report on them). ``ContributorInsightsService``
answers all four over a *store*, the engine's own state:

* the rules are CloudWatch insight rules (PutInsightRule / DescribeInsightRules / DeleteInsightRules), named as
  DynamoDB names them (``dynalab.models.contributor_insights.rule_names``), each a ``CloudWatchLogRule`` over
* the per-key events that dynalab's recorder (``dynalab.fidelity.recorder``) writes to the engine's CloudWatch Logs
  while a table's rules exist.

The embedded engine serves the four operations itself (``dynalab.engine._contributor_insights``, a store over moto's
backends in its process), so a plain boto3 client sees them. On an engine started outside dynalab (moto's own
server), ``ContributorInsightsStandIn`` answers them for the lab's clients, over a store of boto3 calls to that
engine's CloudWatch and Logs: the same service, the same state in the engine.

What is DynamoDB's: the operations' shapes (botocore 1.44), the rule names, ENABLE without a mode resetting it to
ACCESSED_AND_THROTTLED_KEYS, ENABLE in the current mode changing nothing, the rules of a THROTTLED_KEYS table,
DISABLED entries left out of the list, an LSI or unknown index being ResourceNotFoundException (an AWS lab's
measurements, 2026-10: ack-api-quirks DDB-TABLE-089/090/092). What is dynalab's: the rules' definitions (AWS does
not publish them), ENABLING/DISABLING settling at once (AWS: 1 to 16 s), the log group.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

from botocore.awsrequest import AWSResponse

from dynalab.fidelity import _RawResponse, error_response
from dynalab.fidelity.call import Call, Phase
from dynalab.models.contributor_insights import (
    MODES,
    RULE_KINDS,
    RULE_PREFIX,
    rule_definition,
    rule_names,
    rule_report,
)
from dynalab.models.quotas import INSIGHT_RULE_REPORT_CONTRIBUTORS_RANGE, INSIGHT_RULE_REPORT_DEFAULT_CONTRIBUTORS

__all__ = ["OPERATIONS", "ClientStore", "ContributorInsightsService", "ContributorInsightsStandIn", "InsightsError",
           "InsightsStore", "enabled_resources"]

#: The DynamoDB operations of Contributor Insights.
OPERATIONS = frozenset({"UpdateContributorInsights", "DescribeContributorInsights", "ListContributorInsights"})
_ACTIONS = ("ENABLE", "DISABLE")
_ORDER_BY = ("Sum", "Maximum")
_REPORT_METRICS = ("UniqueContributors", "MaxContributorValue", "SampleCount", "Sum", "Minimum", "Maximum", "Average")


class InsightsError(Exception):
    """An error answer: DynamoDB's (or CloudWatch's) code and message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class InsightsStore(Protocol):
    """Where the service keeps its state: the engine's tables, CloudWatch insight rules and Logs events."""

    def table(self, name: str) -> Mapping[str, Any] | None: ...  # DescribeTable's "Table", or None
    def table_names(self) -> list[str]: ...
    def rules(self) -> list[tuple[str, str]]: ...  # (name, definition) of every insight rule
    def put_rule(self, name: str, definition: str) -> None: ...
    def delete_rules(self, names: Sequence[str]) -> None: ...
    def events(self, log_groups: Sequence[str], start_seconds: float,
               end_seconds: float) -> Iterable[tuple[float, Mapping[str, Any]]]: ...


def _enum_problem(field: str, value: Any, allowed: Sequence[str]) -> InsightsError:
    return InsightsError("ValidationException", f"1 validation error detected: Value '{value}' at '{field}' failed to "
                         f"satisfy constraint: Member must satisfy enum value set: [{', '.join(allowed)}]")


def _target(definition: str) -> tuple[str, str | None] | None:
    """(table, index) a DynamoDB rule's definition names (``rule_definition``'s filters), or None."""
    try:
        filters = json.loads(definition)["Contribution"]["Filters"]
    except (ValueError, KeyError, TypeError):
        return None
    table = index = None
    for check in filters:
        if check.get("Match") == "$.table" and check.get("In"):
            table = check["In"][0]
        elif check.get("Match") == "$.index" and check.get("In"):
            index = check["In"][0]
    return (table, index) if table else None


def enabled_resources(rules: Iterable[tuple[str, str]]) -> dict[tuple[str, str | None], dict[str, Any]]:
    """{(table, index): {"kinds": {kind: rule name}, "created_ms": ...}} from the engine's insight rules."""
    found: dict[tuple[str, str | None], dict[str, Any]] = {}
    for name, definition in rules:
        parts = name.split("-")
        if not name.startswith(RULE_PREFIX + "-") or len(parts) < 4 or parts[1] not in RULE_KINDS \
                or not parts[-1].isdigit():
            continue
        target = _target(definition)
        if target is None:
            continue
        entry = found.setdefault(target, {"kinds": {}, "created_ms": int(parts[-1])})
        entry["kinds"][parts[1]] = name
    return found


class ContributorInsightsService:
    """The four operations over a store (see the module docstring). Each returns the answer's fields, or raises
    ``InsightsError`` with DynamoDB's (CloudWatch's) code and message; a refused call changes nothing."""

    def __init__(self, store: InsightsStore, clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.clock = clock
        self._lock = threading.Lock()

    # -- DynamoDB ----------------------------------------------------------------------------------------------
    def _resource(self, request: Mapping[str, Any]) -> tuple[str, str | None, Mapping[str, Any]]:
        name = request.get("TableName")
        if not isinstance(name, str) or not name:
            raise InsightsError("ValidationException", "1 validation error detected: Value null at 'tableName' "
                                "failed to satisfy constraint: Member must not be null")
        if name.startswith("arn:") and ":table/" in name:
            name = name.split(":table/", 1)[1].split("/", 1)[0]
        table = self.store.table(name)
        if table is None:
            raise InsightsError("ResourceNotFoundException", f"Requested resource not found: Table: {name} not found")
        index = request.get("IndexName")
        if index is None:
            return name, None, table
        gsis = {g.get("IndexName"): g for g in table.get("GlobalSecondaryIndexes") or []}
        if index not in gsis:  # an LSI has no insights of its own
            raise InsightsError("ResourceNotFoundException",
                                f"Requested resource not found: Index: {index} not found for table: {name}")
        return name, index, gsis[index]

    def _current(self, table: str, index: str | None) -> dict[str, Any] | None:
        return enabled_resources(self.store.rules()).get((table, index))

    @staticmethod
    def _mode(entry: Mapping[str, Any]) -> str:
        return MODES[1] if "PKC" not in entry["kinds"] else MODES[0]

    def update(self, request: Mapping[str, Any]) -> dict[str, Any]:
        action = request.get("ContributorInsightsAction")
        if action not in _ACTIONS:
            raise _enum_problem("contributorInsightsAction", action, _ACTIONS)
        mode = request.get("ContributorInsightsMode", MODES[0])
        if mode not in MODES:
            raise _enum_problem("contributorInsightsMode", mode, MODES)
        with self._lock:
            table, index, schema_owner = self._resource(request)
            current = self._current(table, index)
            answer: dict[str, Any] = {"TableName": table, **({"IndexName": index} if index else {})}
            if action == "DISABLE":
                if current is None:
                    return {**answer, "ContributorInsightsStatus": "DISABLED"}
                self.store.delete_rules(list(current["kinds"].values()))
                return {**answer, "ContributorInsightsStatus": "DISABLING",
                        "ContributorInsightsMode": self._mode(current)}
            if current is not None and self._mode(current) == mode:
                return {**answer, "ContributorInsightsStatus": "ENABLED", "ContributorInsightsMode": mode}
            created = current["created_ms"] if current is not None else int(self.clock() * 1000)
            key_names = [k["AttributeName"] for k in sorted(schema_owner.get("KeySchema") or [],
                                                             key=lambda k: k.get("KeyType") != "HASH")]
            wanted = rule_names(table, index, len(key_names) > 1, mode, created)
            if current is not None:  # a new mode: the rules change (AWS keeps their timestamp)
                self.store.delete_rules([n for n in current["kinds"].values() if n not in {r.name for r in wanted}])
            for rule in wanted:
                self.store.put_rule(rule.name, json.dumps(rule_definition(rule.kind, table, index, key_names)))
            return {**answer, "ContributorInsightsStatus": "ENABLING", "ContributorInsightsMode": mode}

    def describe(self, request: Mapping[str, Any]) -> dict[str, Any]:
        table, index, _ = self._resource(request)
        current = self._current(table, index)
        answer: dict[str, Any] = {"TableName": table, **({"IndexName": index} if index else {})}
        if current is None:
            return {**answer, "ContributorInsightsStatus": "DISABLED"}
        return {**answer, "ContributorInsightsRuleList": sorted(current["kinds"].values()),
                "ContributorInsightsStatus": "ENABLED",
                "LastUpdateDateTime": dt.datetime.fromtimestamp(current["created_ms"] / 1000, dt.UTC),
                "ContributorInsightsMode": self._mode(current)}

    def list(self, request: Mapping[str, Any]) -> dict[str, Any]:
        limit = request.get("MaxResults", 100)
        if not isinstance(limit, int) or not 0 < limit <= 100:
            raise InsightsError("ValidationException", f"1 validation error detected: Value '{limit}' at "
                                "'maxResults' failed to satisfy constraint: Member must have value less than or "
                                "equal to 100")
        if request.get("TableName") is not None:
            table, _, _ = self._resource(request)
            names = [table]
        else:
            names = self.store.table_names()
        enabled = enabled_resources(self.store.rules())
        # the table before its GSIs, DISABLED entries left out (as DynamoDB lists them)
        summaries = [{"TableName": table, **({"IndexName": index} if index else {}),
                      "ContributorInsightsStatus": "ENABLED", "ContributorInsightsMode": self._mode(entry)}
                     for (table, index), entry in sorted(enabled.items(), key=lambda kv: (kv[0][0], kv[0][1] or ""))
                     if table in names]
        start = int(request.get("NextToken") or 0) if str(request.get("NextToken") or "0").isdigit() else 0
        page = summaries[start:start + limit]
        answer: dict[str, Any] = {"ContributorInsightsSummaries": page}
        if start + limit < len(summaries):
            answer["NextToken"] = str(start + limit)
        return answer

    def forget_table(self, table: str) -> None:
        """DeleteTable removes the table's rules with it (and its GSIs')."""
        with self._lock:
            doomed = [name for (t, _), entry in enabled_resources(self.store.rules()).items() if t == table
                      for name in entry["kinds"].values()]
            if doomed:
                self.store.delete_rules(doomed)

    # -- CloudWatch --------------------------------------------------------------------------------------------
    def report(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """GetInsightRuleReport over the rule's log groups (timestamps in the answer are datetimes, UTC)."""
        name = request.get("RuleName")
        definition = dict(self.store.rules()).get(name) if isinstance(name, str) else None
        if definition is None:
            raise InsightsError("ResourceNotFoundException", f"Rule {name} does not exist")
        start, end = (_seconds(request.get(k)) for k in ("StartTime", "EndTime"))
        if start is None or end is None or start >= end:
            raise InsightsError("InvalidParameterValueException", "The parameter StartTime must be less than the "
                                "parameter EndTime.")
        period = request.get("Period")
        if not isinstance(period, int) or period < 1:
            raise InsightsError("InvalidParameterValueException", "The parameter Period must be at least 1.")
        count = request.get("MaxContributorCount", INSIGHT_RULE_REPORT_DEFAULT_CONTRIBUTORS)
        low, high = INSIGHT_RULE_REPORT_CONTRIBUTORS_RANGE
        if not isinstance(count, int) or not low <= count <= high:
            raise InsightsError("InvalidParameterValueException",
                                f"The parameter MaxContributorCount must be from {low} to {high}.")
        order_by = request.get("OrderBy", "Sum")
        metrics = list(request.get("Metrics") or [])
        if order_by not in _ORDER_BY or any(m not in _REPORT_METRICS for m in metrics):
            raise InsightsError("InvalidParameterValueException", f"OrderBy must be one of {', '.join(_ORDER_BY)} "
                                f"and Metrics among {', '.join(_REPORT_METRICS)}.")
        parts = name.split("-")
        if name.startswith(RULE_PREFIX + "-") and parts[-1].isdigit():
            start = max(start, int(parts[-1]) / 1000)  # a DynamoDB rule sees only what happened once it existed
        try:
            groups = json.loads(definition).get("LogGroupNames") or []
            report = rule_report(definition, self.store.events(groups, start, end), start_seconds=start,
                                 end_seconds=end, period_seconds=period, max_contributors=count, metrics=metrics,
                                 order_by=order_by)
        except (ValueError, AttributeError) as error:
            raise InsightsError("InvalidParameterValueException", str(error)) from None
        for contributor in report["Contributors"]:
            for point in contributor["Datapoints"]:
                point["Timestamp"] = dt.datetime.fromtimestamp(point["Timestamp"], dt.UTC)
        for point in report["MetricDatapoints"]:
            point["Timestamp"] = dt.datetime.fromtimestamp(point["Timestamp"], dt.UTC)
        return report


def _seconds(value: Any) -> float | None:
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).timestamp()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


class ClientStore:
    """A store of boto3 calls to an engine's DynamoDB, CloudWatch and Logs (clients *without* the fidelity layer)."""

    def __init__(self, dynamodb: Any, cloudwatch: Any, logs: Any) -> None:
        self._dynamodb, self._cloudwatch, self._logs = dynamodb, cloudwatch, logs

    def table(self, name: str) -> Mapping[str, Any] | None:
        try:
            return self._dynamodb.describe_table(TableName=name)["Table"]
        except self._dynamodb.exceptions.ResourceNotFoundException:
            return None

    def table_names(self) -> list[str]:
        return [name for page in self._dynamodb.get_paginator("list_tables").paginate() for name in page["TableNames"]]

    def rules(self) -> list[tuple[str, str]]:
        found, token = [], None
        while True:
            page = self._cloudwatch.describe_insight_rules(**({"NextToken": token} if token else {}))
            found += [(rule["Name"], rule.get("Definition", "")) for rule in page.get("InsightRules") or []]
            token = page.get("NextToken")
            if not token:
                return found

    def put_rule(self, name: str, definition: str) -> None:
        self._cloudwatch.put_insight_rule(RuleName=name, RuleState="ENABLED", RuleDefinition=definition)

    def delete_rules(self, names: Sequence[str]) -> None:
        if names:
            self._cloudwatch.delete_insight_rules(RuleNames=list(names))

    def events(self, log_groups: Sequence[str], start_seconds: float,
               end_seconds: float) -> Iterable[tuple[float, Mapping[str, Any]]]:
        for group in log_groups:
            token = None
            while True:
                try:
                    page = self._logs.filter_log_events(logGroupName=group, startTime=int(start_seconds * 1000),
                                                        endTime=int(end_seconds * 1000),
                                                        **({"nextToken": token} if token else {}))
                except self._logs.exceptions.ResourceNotFoundException:
                    break
                for event in page.get("events") or []:
                    try:
                        yield event["timestamp"] / 1000, json.loads(event["message"])
                    except (ValueError, KeyError):
                        continue
                token = page.get("nextToken")
                if not token:
                    break


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.timestamp()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


class ContributorInsightsStandIn:
    """The fidelity plugin (``Phase.STAND_IN``) that answers the three DynamoDB operations on an engine that lacks
    them (``before_send``) and, once ``install_report(cloudwatch_client)`` is called, CloudWatch's
    GetInsightRuleReport on that client."""

    phase = Phase.STAND_IN
    before_send_operations = OPERATIONS

    def __init__(self, service: ContributorInsightsService) -> None:
        self.service = service

    def before_send(self, call: Call) -> AWSResponse | None:
        handler = {"UpdateContributorInsights": self.service.update,
                   "DescribeContributorInsights": self.service.describe,
                   "ListContributorInsights": self.service.list}.get(call.operation)
        if handler is None:
            return None
        try:
            answer = handler(call.request)
        except InsightsError as error:
            return error_response(error.code, error.message)
        headers = {"Content-Type": "application/x-amz-json-1.0", "x-amzn-RequestId": "dynalab-insights"}
        return AWSResponse("", 200, headers, _RawResponse(json.dumps(answer, default=_json_default).encode()))

    def after_call(self, call: Call) -> None:
        table = call.request.get("TableName")
        if call.operation == "DeleteTable" and call.status_code == 200 and isinstance(table, str):
            self.service.forget_table(table)

    def install_report(self, cloudwatch: Any) -> None:
        """Answer GetInsightRuleReport on ``cloudwatch`` (botocore's before-call may return the answer itself)."""

        def keep(params: dict, context: dict, **_: Any) -> None:
            context["dynalab_report_request"] = dict(params)  # the caller's parameters, before serialization

        def answer(model: Any, context: dict, **_: Any) -> tuple[Any, dict] | None:
            if model.name != "GetInsightRuleReport":
                return None
            try:
                parsed = self.service.report(context.get("dynalab_report_request") or {})
                status = 200
            except InsightsError as error:
                parsed, status = {"Error": {"Code": error.code, "Message": error.message}}, 400
            parsed["ResponseMetadata"] = {"HTTPStatusCode": status, "HTTPHeaders": {}, "RetryAttempts": 0}
            return AWSResponse("", status, {}, _RawResponse(b"")), parsed

        events = cloudwatch.meta.events
        events.register("before-parameter-build.cloudwatch.GetInsightRuleReport", keep)
        events.register("before-call.cloudwatch.GetInsightRuleReport", answer)
