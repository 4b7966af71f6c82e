"""PartiQL through the pipeline: statements are metered, throttled, validated and guarded as the operations they run.

Each of these answered otherwise before (measured on moto 5.2.6 with the layer of 2026-12-07): a full SELECT metered
0 RCU, 5 of 5 SELECTs and 4 KB INSERTs on a 1 RCU / 1 WCU table were served, 26 statements in a batch and 101 in a
transaction were accepted, and ``UPDATE ... SET pk = 'zz'`` created a second item.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

import dynalab
from dynalab.fidelity.throttling import THROTTLE_CODE, enforce_throughput
from dynalab.models.capacity import query_read_units

KB = 1024


@pytest.fixture
def table(lab, table_name):
    table = dynalab.create_table(lab, table_name, sort_key=("sk", "N"))
    with table.batch_writer() as batch:
        for sk in range(20):
            batch.put_item(Item={"pk": "p", "sk": sk, "body": "x" * 2000})
    lab.meter.reset()
    return table


@pytest.fixture
def no_retries(lab):
    return lab.new_client(retries={"mode": "standard", "total_max_attempts": 1})


def code_of(call) -> str:
    try:
        call()
    except ClientError as error:
        return error.response["Error"]["Code"]
    return "OK"


def scan_units() -> float:
    return query_read_units([dynalab.item_size({"pk": "p", "sk": sk, "body": "x" * 2000}) for sk in range(20)],
                            "eventual")


def test_a_select_without_the_partition_key_is_metered_as_the_scan_it_is(lab, table):
    scanned = lab.client.scan(TableName=table.name, ReturnConsumedCapacity="TOTAL")["ConsumedCapacity"]
    selected = lab.client.execute_statement(Statement=f'SELECT * FROM "{table.name}"', ReturnConsumedCapacity="TOTAL")
    assert len(selected["Items"]) == 20
    assert selected["ConsumedCapacity"]["CapacityUnits"] == scanned["CapacityUnits"] == scan_units() == 5.0
    assert lab.meter.read_units(table.name, "ExecuteStatement") == 5.0


def test_a_keyed_select_costs_one_item_and_a_filter_does_not_make_a_scan_cheaper(lab, table):
    keyed = lab.client.execute_statement(Statement=f'SELECT * FROM "{table.name}" WHERE pk = \'p\' AND sk = 3',
                                         ReturnConsumedCapacity="TOTAL")
    assert len(keyed["Items"]) == 1 and keyed["ConsumedCapacity"]["CapacityUnits"] == 0.5
    filtered = lab.client.execute_statement(Statement=f'SELECT * FROM "{table.name}" WHERE body = \'none\'',
                                            ReturnConsumedCapacity="TOTAL")
    assert filtered["Items"] == [] and filtered["ConsumedCapacity"]["CapacityUnits"] == scan_units()  # all were read


def test_writes_are_metered_on_the_larger_item_and_an_update_can_be_sized(lab, table):
    name = table.name
    lab.client.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'pk': 'q', 'sk': 1, 'b': '{'y' * 3000}'}}")
    assert lab.meter.last("ExecuteStatement").write_units == 3
    lab.client.execute_statement(Statement=f"UPDATE \"{name}\" SET b = 'small' WHERE pk = 'q' AND sk = 1")
    assert lab.meter.last("ExecuteStatement").write_units == 3  # the larger of before (3 KB) and after
    lab.client.execute_statement(Statement=f"DELETE FROM \"{name}\" WHERE pk = 'q' AND sk = 1")
    assert lab.meter.last("ExecuteStatement").write_units == 1
    transaction = lab.client.execute_transaction(TransactStatements=[
        {"Statement": f"INSERT INTO \"{name}\" VALUE {{'pk': 'r', 'sk': 1}}"},
        {"Statement": f"UPDATE \"{name}\" SET n = 1 WHERE pk = 'p' AND sk = 0"}], ReturnConsumedCapacity="TOTAL")
    assert transaction["ConsumedCapacity"] == [{"TableName": name, "CapacityUnits": 2.0 + 2 * 2.0}]


def test_a_select_and_an_insert_are_throttled_like_a_scan_and_a_put(lab, table_name, clock, no_retries):
    api, partiql = f"{table_name}-api", f"{table_name}-partiql"
    enforcers = []
    for name in (api, partiql):
        dynalab.create_table(lab, name, read_capacity_units=1, write_capacity_units=1)
        enforcers.append(enforce_throughput(lab, name, clock=clock))
    try:
        clock.advance(1)
        scans = [code_of(lambda: no_retries.scan(TableName=api)) for _ in range(5)]
        selects = [code_of(lambda: no_retries.execute_statement(Statement=f'SELECT * FROM "{partiql}"'))
                   for _ in range(5)]
        puts = [code_of(lambda i=i: no_retries.put_item(TableName=api, Item={
            "pk": {"S": f"k{i}"}, "b": {"S": "z" * 4000}})) for i in range(5)]
        inserts = [code_of(lambda i=i: no_retries.execute_statement(
            Statement=f"INSERT INTO \"{partiql}\" VALUE {{'pk': 'k{i}', 'b': '{'z' * 4000}'}}")) for i in range(5)]
    finally:
        for enforcer in enforcers:
            enforcer.stop()
    assert selects == scans and THROTTLE_CODE in scans and "OK" in scans
    assert inserts == puts == ["OK"] + [THROTTLE_CODE] * 4
    assert enforcers[1].throttle_reasons == enforcers[0].throttle_reasons


def test_the_statement_limits_are_dynamodbs(lab, table):
    name = table.name
    batch = [{"Statement": f"SELECT * FROM \"{name}\" WHERE pk = 'p' AND sk = {i}"} for i in range(26)]
    assert code_of(lambda: lab.client.batch_execute_statement(Statements=batch)) == "ValidationException"
    assert code_of(lambda: lab.client.batch_execute_statement(Statements=batch[:25])) == "OK"
    writes = [{"Statement": f"INSERT INTO \"{name}\" VALUE {{'pk': 't', 'sk': {i}}}"} for i in range(101)]
    with pytest.raises(ClientError, match="Member must have length less than or equal to 100"):
        lab.client.execute_transaction(TransactStatements=writes)
    big = [{"Statement": f"INSERT INTO \"{name}\" VALUE {{'pk': 'big', 'sk': ?, 'b': ?}}",
            "Parameters": [{"N": str(i)}, {"S": "w" * 300_000}]} for i in range(15)]
    with pytest.raises(ClientError, match="Transaction request cannot be larger than 4 MB"):
        lab.client.execute_transaction(TransactStatements=big)
    long = [{"Statement": f"INSERT INTO \"{name}\" VALUE {{'pk': 'long', 'sk': 1, 'b': '{'w' * 9000}'}}"}]
    with pytest.raises(ClientError, match="Member must have length less than or equal to 8192"):
        lab.client.execute_transaction(TransactStatements=long)
    assert lab.client.query(TableName=name, KeyConditionExpression="pk = :t",
                            ExpressionAttributeValues={":t": {"S": "t"}})["Count"] == 0


def test_a_key_attribute_cannot_be_updated_and_nothing_is_created(lab, table):
    with pytest.raises(ClientError, match="Cannot update attribute pk. This attribute is part of the key"):
        lab.client.execute_statement(Statement=f"UPDATE \"{table.name}\" SET pk = 'zz' WHERE pk = 'p' AND sk = 1")
    assert lab.client.scan(TableName=table.name, Select="COUNT")["Count"] == 20


def test_statements_are_refused_with_dynamodbs_words(lab, table):
    name = table.name
    cases = {
        f"UPDATE \"{name}\" SET x = 1 WHERE pk = 'p'": "Where clause does not contain a mandatory equality on all "
                                                         "key attributes",
        f"DELETE FROM \"{name}\" WHERE x = 1": "Where clause does not contain a mandatory equality",
        f"SELEC * FROM \"{name}\"": "Statement wasn't well formed, can't be processed",
        f"SELECT * FROM \"{name}\" WHERE pk = ?": "Number of parameters in request and statement don't match.",
        f"INSERT INTO \"{name}\" VALUE {{'pk': 'p'}}": "Missing the key sk in the item",
    }
    for statement, words in cases.items():
        with pytest.raises(ClientError, match=words):
            lab.client.execute_statement(Statement=statement)
    with pytest.raises(ClientError, match="DuplicateItem"):
        lab.client.execute_statement(Statement=f"INSERT INTO \"{name}\" VALUE {{'pk': 'p', 'sk': 1}}")
    with pytest.raises(ClientError, match="ConditionalCheckFailed"):
        lab.client.execute_statement(Statement=f"UPDATE \"{name}\" SET x = 1 WHERE pk = 'none' AND sk = 1")
    with pytest.raises(ClientError, match="does not support both read and write operations"):
        lab.client.execute_transaction(TransactStatements=[
            {"Statement": f"SELECT * FROM \"{name}\" WHERE pk = 'p' AND sk = 1"},
            {"Statement": f"DELETE FROM \"{name}\" WHERE pk = 'p' AND sk = 2"}])
    assert lab.client.scan(TableName=name, Select="COUNT")["Count"] == 20


def test_a_batch_answers_each_statement_and_pages_follow_next_token(lab, table):
    name = table.name
    answer = lab.client.batch_execute_statement(Statements=[
        {"Statement": f"SELECT sk FROM \"{name}\" WHERE pk = 'p' AND sk = 1"},
        {"Statement": f"SELECT * FROM \"{name}\" WHERE pk = 'p'"}])["Responses"]
    assert answer[0]["Item"] == {"sk": {"N": "1"}}
    assert answer[1]["Error"]["Code"] == "ValidationError"
    seen, token = [], None
    for _ in range(30):
        page = lab.client.execute_statement(Statement=f"SELECT sk FROM \"{name}\" WHERE pk = 'p'", Limit=7,
                                            **({"NextToken": token} if token else {}))
        seen += [int(item["sk"]["N"]) for item in page["Items"]]
        token = page.get("NextToken")
        if not token:
            break
    assert seen == list(range(20))


def test_the_guard_refuses_a_statement_on_a_foreign_table(lab, table):
    from dynalab.fidelity.aws_guard import AwsGuard

    client = lab.new_client()
    AwsGuard("dynalab-").install(client)  # its own handler, outside the layer: the statement's table is read first
    with pytest.raises(ClientError, match="touches only its own resources"):
        client.execute_statement(Statement=f"DELETE FROM \"{table.name}\" WHERE pk = 'p' AND sk = 1")
    assert lab.client.scan(TableName=table.name, Select="COUNT")["Count"] == 20
