"""The embedded engine serves Contributor Insights: DynamoDB's three operations and CloudWatch's GetInsightRuleReport.

moto 5.2 lacks all four. ``serve_contributor_insights()`` (called by ``_process.main``) adds them to moto's DynamoDB and
CloudWatch handlers, answered by ``dynalab.fidelity.contributor_insights.ContributorInsightsService`` over a store of
moto's own backends in this process: the tables, CloudWatch's insight rules, and the per-key events dynalab's
recorder writes to CloudWatch Logs. So a learner's plain ``boto3.client("dynamodb")`` enables insights and a plain
``boto3.client("cloudwatch")`` reads the report, as on AWS. DeleteTable removes the table's rules too (as DynamoDB
does). The same service answers a lab's calls on an engine started outside dynalab (its stand-in plugin).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["EngineStore", "serve_contributor_insights"]


class EngineStore:
    """The service's store over moto's backends of one account and Region (see the fidelity module's Protocol)."""

    def __init__(self, account_id: str, region: str) -> None:
        from moto.cloudwatch.models import cloudwatch_backends
        from moto.dynamodb.models import dynamodb_backends
        from moto.logs.models import logs_backends

        self._dynamodb = dynamodb_backends[account_id][region]
        self._cloudwatch = cloudwatch_backends[account_id][region]
        self._logs = logs_backends[account_id][region]

    def table(self, name: str) -> Mapping[str, Any] | None:
        table = self._dynamodb.tables.get(name)
        return None if table is None else table.describe(base_key="Table")["Table"]

    def table_names(self) -> list[str]:
        return sorted(self._dynamodb.tables)

    def rules(self) -> list[tuple[str, str]]:
        return [(name, rule.definition) for name, rule in list(self._cloudwatch.insight_rules.items())]

    def put_rule(self, name: str, definition: str) -> None:
        self._cloudwatch.put_insight_rule(name=name, state="ENABLED", definition=definition, tags=[])
        self._cloudwatch.insight_rules[name].managed_rule = True  # DynamoDB's rules are managed rules

    def delete_rules(self, names: Sequence[str]) -> None:
        # directly: CloudWatch's own DeleteInsightRules refuses managed rules (only DynamoDB may delete them)
        for name in names:
            self._cloudwatch.insight_rules.pop(name, None)

    def events(self, log_groups: Sequence[str], start_seconds: float,
               end_seconds: float) -> Iterable[tuple[float, Mapping[str, Any]]]:
        low, high = start_seconds * 1000, end_seconds * 1000
        for name in log_groups:
            group = self._logs.groups.get(name)
            for stream in list(group.streams.values()) if group is not None else []:
                for event in list(stream.events):  # a copy: the recorder may append meanwhile
                    if low <= event.timestamp < high:
                        try:
                            yield event.timestamp / 1000, json.loads(event.message)
                        except ValueError:
                            continue


def serve_contributor_insights() -> None:
    """Add the four operations to moto's handlers, and make DeleteTable drop the table's rules."""
    from moto.cloudwatch.responses import CloudWatchResponse
    from moto.core.exceptions import ServiceException
    from moto.core.responses import ActionResult
    from moto.dynamodb.models import DynamoDBBackend
    from moto.dynamodb.responses import DynamoHandler

    from dynalab.fidelity.contributor_insights import ContributorInsightsService, InsightsError

    def answer(handler: Any, method: str, request: Mapping[str, Any]) -> ActionResult:
        service = ContributorInsightsService(EngineStore(handler.current_account, handler.region))
        try:
            return ActionResult(getattr(service, method)(request))
        except InsightsError as error:
            raise ServiceException(error.code, error.message) from None

    def dynamodb(method: str) -> Any:
        def handle(self: Any) -> ActionResult:
            return answer(self, method, self.body)

        return handle

    DynamoHandler.update_contributor_insights = dynamodb("update")  # type: ignore[attr-defined]
    DynamoHandler.describe_contributor_insights = dynamodb("describe")  # type: ignore[attr-defined]
    DynamoHandler.list_contributor_insights = dynamodb("list")  # type: ignore[attr-defined]

    def get_insight_rule_report(self: Any) -> ActionResult:
        return answer(self, "report", self._get_params())

    CloudWatchResponse.get_insight_rule_report = get_insight_rule_report  # type: ignore[attr-defined]

    delete_table = DynamoDBBackend.delete_table

    def delete_table_and_rules(self: Any, name: str) -> Any:
        table = delete_table(self, name)
        ContributorInsightsService(EngineStore(self.account_id, self.region_name)).forget_table(table.name)
        return table

    DynamoDBBackend.delete_table = delete_table_and_rules  # type: ignore[method-assign]
