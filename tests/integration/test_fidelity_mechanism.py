"""The fidelity layer's plugin mechanism, on a real engine: each hook sees what it should and can act."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

import dynalab
from dynalab.fidelity import Phase, aws_error, error_response


class Recorder:
    phase = Phase.RECORD

    def __init__(self):
        self.calls = []

    def before_call(self, call):
        self.calls.append(("before_call", call.operation, call.request.get("TableName")))

    def after_call(self, call):
        self.calls.append(("after_call", call.operation, call.status_code))


class ThrottleFirstAttempts:
    """Answers the first N HTTP attempts of PutItem with a throttling error."""

    phase = Phase.THROTTLE

    def __init__(self, attempts):
        self.left = attempts

    def before_send(self, call):
        if call.operation == "PutItem" and self.left:
            self.left -= 1
            return error_response("ProvisionedThroughputExceededException", "slow down")
        return None


class RefuseBigNames:
    phase = Phase.VALIDATE

    def before_call(self, call):
        if call.operation == "PutItem" and call.request["Item"].get("refuse"):
            raise aws_error("ValidationException", "refused by the layer", call.operation)


class StampParsed:
    phase = Phase.RECORD

    def after_call(self, call):
        if call.operation == "GetItem" and "Item" in call.parsed:
            call.parsed["Item"]["stamped"] = {"S": "yes"}  # wire format: the resource API deserializes it after us


class Order:
    """Remembers the order the phases ran in."""

    def __init__(self, phase, seen):
        self.phase, self.seen = phase, seen

    def before_call(self, call):
        self.seen.append(self.phase)


@pytest.fixture
def plugin(lab):
    added = []

    def add(p):
        added.append(lab.fidelity.add(p))
        return p

    yield add
    for p in added:
        if p in lab.fidelity.plugins:
            lab.fidelity.plugins.remove(p)


def test_hooks_see_each_call_in_order(lab, table_name, plugin):
    table = dynalab.create_table(lab, table_name)
    recorder = plugin(Recorder())
    table.put_item(Item={"pk": "a"})
    assert recorder.calls == [("before_call", "PutItem", table.name), ("after_call", "PutItem", 200)]


def test_an_error_from_before_send_goes_through_boto3_retries(lab, table_name, plugin):
    table = dynalab.create_table(lab, table_name)
    plugin(ThrottleFirstAttempts(2))
    answer = table.put_item(Item={"pk": "a"})
    assert answer["ResponseMetadata"]["RetryAttempts"] == 2
    assert table.get_item(Key={"pk": "a"})["Item"]["pk"] == "a"


def test_a_throttle_that_outlasts_the_retries_reaches_the_caller(lab, table_name, plugin):
    table = dynalab.create_table(lab, table_name)
    plugin(ThrottleFirstAttempts(100))
    client = lab.new_client(retries={"mode": "standard", "max_attempts": 2})  # keep the backoff short
    with pytest.raises(ClientError) as raised:
        client.put_item(TableName=table.name, Item={"pk": {"S": "a"}})
    assert raised.value.response["Error"]["Code"] == "ProvisionedThroughputExceededException"


def test_before_call_can_refuse_a_request(lab, table_name, plugin):
    table = dynalab.create_table(lab, table_name)
    plugin(RefuseBigNames())
    with pytest.raises(ClientError, match="refused by the layer"):
        lab.client.put_item(TableName=table.name, Item={"pk": {"S": "a"}, "refuse": {"BOOL": True}})
    assert "Item" not in table.get_item(Key={"pk": "a"})


def test_after_call_edits_reach_the_resource_api_deserialized(lab, table_name, plugin):
    table = dynalab.create_table(lab, table_name)
    table.put_item(Item={"pk": "a"})
    plugin(StampParsed())
    assert table.get_item(Key={"pk": "a"})["Item"]["stamped"] == "yes"


def test_plugins_run_in_phase_order_whatever_order_they_were_added_in(lab, table_name, plugin):
    table = dynalab.create_table(lab, table_name)
    seen = []
    for phase in (Phase.RECORD, Phase.OLD_ITEMS, Phase.THROTTLE, Phase.VALIDATE):
        plugin(Order(phase, seen))
    table.get_item(Key={"pk": "a"})
    assert seen == [Phase.VALIDATE, Phase.OLD_ITEMS, Phase.THROTTLE, Phase.RECORD]
    assert [p.phase for p in lab.fidelity.plugins] == sorted(p.phase for p in lab.fidelity.plugins)


def test_the_aws_guard_stops_a_request_before_it_reaches_the_engine(lab, table_name):
    from dynalab.fidelity.aws_guard import AwsGuard

    table = dynalab.create_table(lab, table_name)
    client = lab.new_client()
    AwsGuard("dynalab-").install(client)  # its own handler, outside the layer
    lab.fidelity.enabled = False
    try:
        with pytest.raises(ClientError, match="touches only its own resources") as refused:
            client.delete_table(TableName=table.name)
    finally:
        lab.fidelity.enabled = True
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
    assert dynalab.engine.tables.table_exists(lab, table.name)
