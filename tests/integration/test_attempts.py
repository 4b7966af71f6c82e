"""The one throttled-attempt loop (``dynalab.engine.attempts``): one attempt a write, each throttle counted once,
with the error code and reasons DynamoDB sends; any other refusal raised as it came."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from dynalab.engine.attempts import attempt_writes, is_throttled, single_attempt_client
from dynalab.engine.tables import create_table
from dynalab.fidelity.throttling import enforce_throughput
from dynalab.models.clock import StepClock
from dynalab.models.quotas import THROTTLE_ERROR_CODE, THROTTLE_ERROR_CODES


def test_a_throttled_write_is_one_attempt_with_dynamodbs_code(lab, table_name):
    create_table(lab, table_name, read_capacity_units=1, write_capacity_units=1, reset=True)
    clock = StepClock()
    enforcer = enforce_throughput(lab, table_name, burst_seconds=0, clock=clock)
    try:
        with pytest.raises(ClientError) as refused:  # the code as the lesson's own client sees it
            for n in range(3):
                single_attempt_client(lab).put_item(TableName=table_name, Item={"pk": {"S": f"direct{n}"}})
        assert refused.value.response["Error"]["Code"] == THROTTLE_ERROR_CODE
        assert is_throttled(refused.value)
        items = [{"pk": {"S": f"k{n}"}} for n in range(10)]
        attempts = list(attempt_writes(lab, table_name, items, clock=clock, writes_per_second=10))
    finally:
        enforcer.stop()
    # 1 WCU, nothing banked, 10 writes in one second: the first is served, the other nine refused, each once
    assert [a.throttled for a in attempts] == [False] + [True] * 9
    assert [a.number for a in attempts] == list(range(10))
    assert all(a.reasons == ("TableWriteProvisionedThroughputExceeded",) for a in attempts[1:])
    assert refused.value.response["ResponseMetadata"].get("RetryAttempts", 0) == 0


def test_a_refusal_that_is_no_throttle_is_raised(lab, table_name):
    create_table(lab, table_name, reset=True)
    with pytest.raises(ClientError) as refused:
        list(attempt_writes(lab, table_name, [{"pk": {"S": "ok"}}, {"nokey": {"S": "x"}}]))
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert not is_throttled(refused.value)
    assert THROTTLE_ERROR_CODE in THROTTLE_ERROR_CODES
