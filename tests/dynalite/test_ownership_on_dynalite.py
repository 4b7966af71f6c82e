"""dynalite keeps TagResource's tags but not CreateTable's: dynalab tags its tables right after creating them there,
and a reset still deletes only what the same function created (issue 23)."""

from __future__ import annotations

import pytest

from dynalab.engine.ownership import TableNotOursError, ownership
from dynalab.engine.tables import create_table, scan_items


def test_dynalab_tags_its_tables_on_dynalite_and_resets_only_its_own(dlab, plain, table_name):
    table = create_table(dlab, f"{table_name}-own").name
    found = ownership(dlab, table)
    assert found is not None and (found.creator, found.owner) == ("create_table", dlab.owner)
    create_table(dlab, f"{table_name}-own", reset=True)  # its own: reset
    plain.create_table(TableName=f"{table_name}-plain", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                       AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                       ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    # dynalite makes a table ACTIVE on its next tick: wait, or the put may come first (ResourceNotFound, seen twice)
    plain.get_waiter("table_exists").wait(TableName=f"{table_name}-plain",
                                          WaiterConfig={"Delay": 0.1, "MaxAttempts": 100})
    plain.put_item(TableName=f"{table_name}-plain", Item={"pk": {"S": "kept"}})
    with pytest.raises(TableNotOursError, match="not created by dynalab"):
        create_table(dlab, f"{table_name}-plain", reset=True)
    assert len(scan_items(dlab, f"{table_name}-plain")) == 1
