"""The console, locally: DynamoDB's CloudWatch metrics and Contributor Insights, read with plain boto3 as on AWS.

These run on the embedded engine and, with ``make test-external``, on moto's own server started outside dynalab:
there the metrics are the same (moto serves CloudWatch) and Contributor Insights is answered by dynalab's stand-in
for the lab's clients (``lab.client``, ``lab.cloudwatch``), over the same state in the engine.
"""

from __future__ import annotations

import datetime as dt
import re
import time

import boto3
import pytest
from botocore.exceptions import ClientError

import dynalab
from dynalab.fidelity.throttling import THROTTLE_CODE, enforce_throughput
from dynalab.models.cloudwatch_metrics import parse_throttling_reason
from dynalab.models.contributor_insights import consumed_throughput_units

REASON = re.compile(r"(Table|Index)(Read|Write)(ProvisionedThroughputExceeded|AccountLimitExceeded|"
                    r"KeyRangeThroughputExceeded|MaxOnDemandThroughputExceeded)")
RULE = re.compile(r"DynamoDBContributorInsights-(PKC|PKT|SKC|SKT)-(.+)-(\d{13})")


def plain(lab, service="cloudwatch"):
    """A learner's own boto3 client on the lab's endpoint: no dynalab layer, no flush before reads."""
    return boto3.client(service, endpoint_url=lab.endpoint_url, region_name="us-east-1", aws_access_key_id="x",
                        aws_secret_access_key="x")


def window():
    now = dt.datetime.now(dt.UTC)
    return {"StartTime": now - dt.timedelta(minutes=10), "EndTime": now + dt.timedelta(minutes=2)}


def metric_sum(client, table, metric, *, index=None, operation=None, statistic="Sum"):
    dimensions = [{"Name": "TableName", "Value": table}]
    if index:
        dimensions.append({"Name": "GlobalSecondaryIndexName", "Value": index})
    if operation:
        dimensions.append({"Name": "Operation", "Value": operation})
    answer = client.get_metric_statistics(Namespace="AWS/DynamoDB", MetricName=metric, Dimensions=dimensions,
                                          Period=60, Statistics=[statistic], **window())
    return sum(point[statistic] for point in answer["Datapoints"])


def until(check, seconds=10.0):
    """Poll ``check()`` until it is truthy (the recorder publishes within about a second); return its last value."""
    deadline = time.monotonic() + seconds
    value = check()
    while not value and time.monotonic() < deadline:
        time.sleep(0.1)
        value = check()
    return value


def with_gsi(lab, table_name):
    dynalab.create_table(lab, table_name, read_capacity_units=5, write_capacity_units=5,
                         extra_attribute_definitions=[("owner", "S")], GlobalSecondaryIndexes=[{
                             "IndexName": "by-owner", "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
                             "Projection": {"ProjectionType": "ALL"},
                             "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}}])


@pytest.fixture
def enforcers():
    made = []
    yield made
    for enforcer in made:
        enforcer.stop()


def test_a_throttled_burst_reads_back_from_cloudwatch_and_contributor_insights(lab, table_name, clock, enforcers):
    """The issue's test: after a throttled burst on a 5 WCU table, a plain cloudwatch client reads the metered units
    and the throttled calls; the insight rules' first contributor is the hot key; every throttling error carries a
    ThrottlingReasons entry in AWS's format."""
    dynalab.create_table(lab, table_name, read_capacity_units=5, write_capacity_units=5)
    enabled = lab.client.update_contributor_insights(TableName=table_name, ContributorInsightsAction="ENABLE")
    assert enabled["ContributorInsightsStatus"] in ("ENABLING", "ENABLED")
    enforcers.append(enforce_throughput(lab, table_name, clock=clock))
    client = lab.new_client(retries={"mode": "standard", "total_max_attempts": 1})  # each throttle seen once
    throttled, reasons = 0, []
    for second in range(4):
        clock.advance(1)
        for i in range(12):  # 12 writes a second on 5 WCU: most throttle; half of them on one hot key
            key = "hot-device" if i % 2 == 0 else f"device-{second}-{i}"
            try:
                client.put_item(TableName=table_name, Item={"pk": {"S": key}, "blob": {"S": "x" * (300 * i)}})
            except ClientError as error:
                assert error.response["Error"]["Code"] == THROTTLE_CODE
                throttled += 1
                reasons.append(error.response.get("ThrottlingReasons"))
    metered = lab.meter.write_units(table_name)
    assert throttled > 20 and metered > 10
    for found in reasons:
        assert found and len(found) == 1, found
        assert REASON.fullmatch(found[0]["reason"]), found
        assert parse_throttling_reason(found[0]["reason"]).operation_type == "Write"
        assert found[0]["resource"].endswith(f":table/{table_name}")

    cloudwatch = plain(lab)
    assert until(lambda: metric_sum(cloudwatch, table_name, "WriteThrottleEvents") == throttled)
    assert metric_sum(cloudwatch, table_name, "ConsumedWriteCapacityUnits") == pytest.approx(metered)
    assert metric_sum(cloudwatch, table_name, "ThrottledRequests", operation="PutItem") == throttled
    assert metric_sum(cloudwatch, table_name, "WriteProvisionedThroughputThrottleEvents") == throttled
    assert metric_sum(cloudwatch, table_name, "ProvisionedWriteCapacityUnits", statistic="Maximum") == 5

    rules = lab.client.describe_contributor_insights(TableName=table_name)["ContributorInsightsRuleList"]
    assert sorted(RULE.fullmatch(rule).group(1) for rule in rules) == ["PKC", "PKT"]
    # the embedded engine answers a plain client; elsewhere the lab's client (dynalab's stand-in) answers
    reports = cloudwatch if lab.embedded else lab.cloudwatch
    for rule in rules:
        report = reports.get_insight_rule_report(RuleName=rule, Period=60, **window())
        assert report["Contributors"][0]["Keys"] == ["hot-device"], (rule, report["Contributors"][:3])
        if "-PKT-" in rule:
            assert report["AggregateValue"] == throttled
        else:
            assert report["AggregateValue"] == pytest.approx(consumed_throughput_units(0, metered))


def test_a_read_through_the_lab_sees_every_call_before_it(lab, table_name):
    dynalab.create_table(lab, table_name, read_capacity_units=5, write_capacity_units=5)
    for i in range(3):
        lab.client.put_item(TableName=table_name, Item={"pk": {"S": f"k{i}"}})
    lab.client.query(TableName=table_name, KeyConditionExpression="pk = :k", ExpressionAttributeValues={
        ":k": {"S": "k1"}})
    # no waiting: lab.cloudwatch flushes the recorder before it reads
    assert metric_sum(lab.cloudwatch, table_name, "ConsumedWriteCapacityUnits") == 3
    assert metric_sum(lab.cloudwatch, table_name, "ConsumedWriteCapacityUnits", statistic="SampleCount") == 3
    assert metric_sum(lab.cloudwatch, table_name, "ReturnedItemCount", operation="Query") == 1
    assert metric_sum(lab.cloudwatch, table_name, "ConsumedReadCapacityUnits") == 0.5


def test_a_batch_served_in_part_counts_its_items_not_a_throttled_request(lab, table_name, clock, enforcers):
    dynalab.create_table(lab, table_name, read_capacity_units=5, write_capacity_units=5)
    enforcers.append(enforce_throughput(lab, table_name, clock=clock, initial_burst_seconds=1))
    answer = lab.client.batch_write_item(RequestItems={table_name: [
        {"PutRequest": {"Item": {"pk": {"S": f"k{i}"}}}} for i in range(12)]})
    left = len(answer.get("UnprocessedItems", {}).get(table_name, []))
    assert 0 < left < 12
    assert metric_sum(lab.cloudwatch, table_name, "WriteThrottleEvents") == left
    assert metric_sum(lab.cloudwatch, table_name, "ThrottledRequests", operation="BatchWriteItem") == 0
    assert metric_sum(lab.cloudwatch, table_name, "ConsumedWriteCapacityUnits") == 12 - left


def test_conditional_check_failures_and_user_errors_are_counted(lab, table_name):
    dynalab.create_table(lab, table_name, read_capacity_units=5, write_capacity_units=5)
    lab.client.put_item(TableName=table_name, Item={"pk": {"S": "a"}})
    with pytest.raises(ClientError):
        lab.client.put_item(TableName=table_name, Item={"pk": {"S": "a"}},
                            ConditionExpression="attribute_not_exists(pk)")
    assert metric_sum(lab.cloudwatch, table_name, "ConditionalCheckFailedRequests") == 1


def test_a_partiql_select_that_scans_is_published_as_the_units_it_consumed(lab, table_name):
    # the record phase gets PartiQL as the operations it ran: a SELECT without its key reads as the Scan it is
    dynalab.create_table(lab, table_name, read_capacity_units=5, write_capacity_units=5)
    for n in range(10):
        lab.client.put_item(TableName=table_name, Item={"pk": {"S": f"k{n}"}, "note": {"S": "x" * 1000}})
    lab.client.execute_statement(Statement=f'SELECT * FROM "{table_name}"')
    scanned = lab.meter.read_units(table_name, "ExecuteStatement")
    assert scanned == 1.5  # ten 1 KB items, about 10 KB: three 4 KB blocks, eventually consistent
    assert metric_sum(lab.cloudwatch, table_name, "ConsumedReadCapacityUnits") == scanned


def test_a_labs_metrics_go_to_its_own_regions_cloudwatch(lab, table_name):
    # DynamoDB publishes a table's metrics in the table's Region: a lab for us-west-2 records into us-west-2's
    west = lab.in_region("us-west-2")
    dynalab.create_table(west, table_name, read_capacity_units=5, write_capacity_units=5)
    try:
        west.client.put_item(TableName=table_name, Item={"pk": {"S": "a"}})
        assert metric_sum(west.cloudwatch, table_name, "ConsumedWriteCapacityUnits") == 1
        assert metric_sum(lab.cloudwatch, table_name, "ConsumedWriteCapacityUnits") == 0
    finally:
        west.client.delete_table(TableName=table_name)


def test_contributor_insights_follows_dynamodb_api(lab, table_name):
    client = lab.client
    dynalab.create_table(lab, table_name, sort_key=("sk", "S"), read_capacity_units=5, write_capacity_units=5)
    assert client.describe_contributor_insights(TableName=table_name)["ContributorInsightsStatus"] == "DISABLED"
    assert client.update_contributor_insights(TableName=table_name, ContributorInsightsAction="DISABLE")[
        "ContributorInsightsStatus"] == "DISABLED"
    client.update_contributor_insights(TableName=table_name, ContributorInsightsAction="ENABLE")
    described = client.describe_contributor_insights(TableName=table_name)
    assert described["ContributorInsightsStatus"] == "ENABLED"
    assert described["ContributorInsightsMode"] == "ACCESSED_AND_THROTTLED_KEYS"
    kinds = {RULE.fullmatch(rule).group(1): RULE.fullmatch(rule) for rule in described["ContributorInsightsRuleList"]}
    assert sorted(kinds) == ["PKC", "PKT", "SKC", "SKT"]  # a sort key adds the partition+sort key rules
    assert {match.group(2) for match in kinds.values()} == {table_name}
    listed = client.list_contributor_insights(TableName=table_name)["ContributorInsightsSummaries"]
    assert listed == [{"TableName": table_name, "ContributorInsightsStatus": "ENABLED",
                       "ContributorInsightsMode": "ACCESSED_AND_THROTTLED_KEYS"}]
    # the throttled-keys mode keeps only the throttled-key rules
    client.update_contributor_insights(TableName=table_name, ContributorInsightsAction="ENABLE",
                                       ContributorInsightsMode="THROTTLED_KEYS")
    rules = client.describe_contributor_insights(TableName=table_name)["ContributorInsightsRuleList"]
    assert sorted(RULE.fullmatch(rule).group(1) for rule in rules) == ["PKT", "SKT"]
    with pytest.raises(ClientError) as missing:
        client.describe_contributor_insights(TableName=table_name + "-missing")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as bad:
        client.update_contributor_insights(TableName=table_name, ContributorInsightsAction="START")
    assert bad.value.response["Error"]["Code"] == "ValidationException"
    assert client.update_contributor_insights(TableName=table_name, ContributorInsightsAction="DISABLE")[
        "ContributorInsightsStatus"] == "DISABLING"
    assert client.describe_contributor_insights(TableName=table_name)["ContributorInsightsStatus"] == "DISABLED"
    assert client.list_contributor_insights(TableName=table_name)["ContributorInsightsSummaries"] == []


def test_deleting_a_table_removes_its_rules(lab, table_name):
    dynalab.create_table(lab, table_name, read_capacity_units=5, write_capacity_units=5)
    lab.client.update_contributor_insights(TableName=table_name, ContributorInsightsAction="ENABLE")
    rules = set(lab.client.describe_contributor_insights(TableName=table_name)["ContributorInsightsRuleList"])
    lab.client.delete_table(TableName=table_name)
    left = {rule["Name"] for rule in lab.cloudwatch.describe_insight_rules()["InsightRules"]}
    assert not rules & left


def test_an_index_has_insights_of_its_own_and_gsi_metrics_are_not_the_tables(lab, table_name):
    with_gsi(lab, table_name)
    lab.client.update_contributor_insights(TableName=table_name, IndexName="by-owner",
                                           ContributorInsightsAction="ENABLE")
    rules = lab.client.describe_contributor_insights(TableName=table_name, IndexName="by-owner")[
        "ContributorInsightsRuleList"]
    for rule in rules:  # "table-index", cut to fit a rule name's 128 characters
        assert len(rule) <= 128 and f"{table_name}-by-owner".startswith(RULE.fullmatch(rule).group(2))
    assert lab.client.describe_contributor_insights(TableName=table_name)["ContributorInsightsStatus"] == "DISABLED"
    for i in range(4):
        lab.client.put_item(TableName=table_name, Item={"pk": {"S": f"k{i}"}, "owner": {"S": "ana" if i else "bo"}})
    lab.client.query(TableName=table_name, IndexName="by-owner", KeyConditionExpression="#o = :o",
                     ExpressionAttributeNames={"#o": "owner"}, ExpressionAttributeValues={":o": {"S": "ana"}})
    assert metric_sum(lab.cloudwatch, table_name, "ConsumedWriteCapacityUnits", index="by-owner") == 4
    report = lab.cloudwatch.get_insight_rule_report(
        RuleName=next(rule for rule in rules if "-PKC-" in rule), Period=60, **window())
    assert report["Contributors"][0]["Keys"] == ["ana"]


@pytest.mark.embedded_only
def test_the_embedded_engines_cloudwatch_matches_dimensions_exactly(lab, table_name):
    """moto summed a table's GSIs into ``TableName=t``; CloudWatch (and the embedded engine) does not."""
    with_gsi(lab, table_name)
    lab.client.put_item(TableName=table_name, Item={"pk": {"S": "k"}, "owner": {"S": "ana"}})
    assert metric_sum(lab.cloudwatch, table_name, "ConsumedWriteCapacityUnits", index="by-owner") == 1
    assert metric_sum(lab.cloudwatch, table_name, "ConsumedWriteCapacityUnits") == 1  # the table's own, not 2
    answer = plain(lab).get_metric_data(MetricDataQueries=[{"Id": "w", "MetricStat": {"Metric": {
        "Namespace": "AWS/DynamoDB", "MetricName": "ConsumedWriteCapacityUnits",
        "Dimensions": [{"Name": "TableName", "Value": table_name}]}, "Period": 60, "Stat": "Sum"}}], **window())
    result = answer["MetricDataResults"][0]
    assert sum(result["Values"]) == 1 and all(t.second == 0 for t in result["Timestamps"])  # whole minutes
