"""The S3 copy paths on the embedded engine: export → import (a new table) and dynalab's StartBulkPutItems stand-in
into an existing table (conditions, failure report, MaxWriteRequestUnits, DescribeBulkOperation)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from dynalab.engine.tables import bulk_load, create_table, scan_items
from dynalab.lessons.copy_tables import (
    copy_by_bulk_put,
    copy_by_import,
    read_bulk_put_report,
    start_bulk_put,
    wait_for_bulk_put,
    write_bulk_put_input,
)

BUCKET = "dynalab-test-bulk"


@pytest.fixture
def users(lab, table_name):
    name = f"{table_name}-users"
    create_table(lab, name, ("UserID", "S"))
    bulk_load(lab, name, [{"UserID": f"u{n:03d}", "Email": f"u{n}@example.com"} for n in range(40)],
              show_progress=False)
    return name


def test_export_then_import_creates_a_new_table_and_clashes_on_day_two(lab, users, table_name):
    first = copy_by_import(lab, users, f"{table_name}-imported", 1, bucket=BUCKET)
    assert first.imported and first.items == 40
    assert len(scan_items(lab, f"{table_name}-imported")) == 40
    second = copy_by_import(lab, users, f"{table_name}-imported", 2, bucket=BUCKET)
    assert not second.imported and second.message.startswith("ResourceInUseException")


def test_bulk_put_loads_an_existing_table_from_an_export_and_says_it_is_a_stand_in(lab, users, table_name):
    copy = f"{table_name}-copy"
    create_table(lab, copy, ("UserID", "S"))
    lab.client.put_item(TableName=copy, Item={"UserID": {"S": "already-there"}})
    report = copy_by_bulk_put(lab, users, copy, 1, bucket=BUCKET)
    assert (report.status, report.processed_items, report.failed_items) == ("COMPLETED", 40, 0)
    assert report.stand_in and "dynalab's stand-in" in str(report)
    key = lambda item: item["UserID"]  # noqa: E731
    copied = sorted(scan_items(lab, copy), key=key)
    assert copied == sorted([*scan_items(lab, users), {"UserID": "already-there"}], key=key)  # existing table kept


def test_per_item_conditions_and_bad_items_go_to_the_failure_report(lab, users):
    items = [{"UserID": {"S": "u001"}, "Email": {"S": "changed"}},  # exists: condition fails, item unchanged
             {"UserID": {"S": "new-1"}},  # written
             {"Email": {"S": "no key"}},  # ERROR: missing the key
             {"UserID": {"N": "7"}}]  # ERROR: the key has the wrong type
    write_bulk_put_input(lab, BUCKET, "conditions/part-0.json", items,
                         condition_expression="attribute_not_exists(UserID)")
    report = wait_for_bulk_put(lab, start_bulk_put(lab, users, BUCKET, "conditions/"))
    assert (report.status, report.processed_items, report.failed_items) == ("COMPLETED_WITH_ERRORS", 4, 2)
    found = read_bulk_put_report(lab, report, BUCKET)
    assert [entry["LineNumber"] for entry in found["ERROR"]] == [3, 4]
    (failed,) = found["CONDITION_CHECK_FAILURE"]
    assert failed["Item"]["Email"] == {"S": "changed"} and failed["ExistingItem"]["Email"] == {"S": "u1@example.com"}
    assert lab.client.get_item(TableName=users, Key={"UserID": {"S": "u001"}})["Item"]["Email"]["S"] == "u1@example.com"
    assert "Item" in lab.client.get_item(TableName=users, Key={"UserID": {"S": "new-1"}})


def test_max_write_request_units_paces_the_writes(lab, table_name):
    create_table(lab, table_name, ("pk", "S"))
    # 60 items of 40 KB = 2,400 write request units; at 1,024 a second (the minimum), starting with one second's
    # worth, that takes at least (2,400 - 1,024) / 1,024 = 1.3 s
    items = [{"pk": {"S": f"k{n}"}, "blob": {"S": "x" * (40 * 1024 - 10)}} for n in range(60)]
    write_bulk_put_input(lab, BUCKET, "paced/part-0.json", items)
    report = wait_for_bulk_put(lab, start_bulk_put(lab, table_name, BUCKET, "paced/", max_write_request_units=1024))
    assert report.status == "COMPLETED" and report.processed_items == 60
    assert report.seconds >= 1.2 and report.max_write_request_units == 1024
    with pytest.raises(ValueError, match=r"max_write_request_units must be an integer >= 1,024 \(WRU/s\); got 100$"):
        start_bulk_put(lab, table_name, BUCKET, "paced/", max_write_request_units=100)


def test_unknown_operation_and_missing_table_answer_as_dynamodb_does(lab, table_name):
    with pytest.raises(ClientError) as error:
        lab.client.describe_bulk_operation(
            BulkOperationArn="arn:aws:dynamodb:us-east-1:123456789012:table/t/bulk-operation/none")
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as error:
        start_bulk_put(lab, f"{table_name}-missing", BUCKET, "x/")
    assert error.value.response["Error"]["Code"] == "ResourceNotFoundException"


def _request(table: str, prefix: str, **extra) -> dict:
    return {"TableName": table, "OutputS3Configuration": {"S3Bucket": BUCKET, "S3KeyPrefix": "reports",
                                                         "OutputType": ["ERROR"]},
            "InputS3Configuration": {"S3Bucket": BUCKET, "S3KeyPrefix": prefix, "InputFormat": "DYNAMODB_JSON"},
            **extra}


def test_the_performance_tier_is_standard_or_accelerated(lab, table_name):
    # [src:bulk-put-performance-tiers]: two tiers, STANDARD the default
    create_table(lab, table_name, ("pk", "S"))
    write_bulk_put_input(lab, BUCKET, "tiers/part-0.json", [{"pk": {"S": "a"}}])
    for tier in ("STANDARD", "ACCELERATED"):
        arn = lab.client.start_bulk_put_items(**_request(table_name, "tiers/", PerformanceTier=tier))[
            "BulkOperationDescription"]["BulkOperationArn"]
        assert wait_for_bulk_put(lab, arn).status == "COMPLETED"
    with pytest.raises(ClientError) as error:
        lab.client.start_bulk_put_items(**_request(table_name, "tiers/", PerformanceTier="TURBO"))
    assert error.value.response["Error"]["Code"] == "ValidationException"
    assert "[STANDARD, ACCELERATED]" in error.value.response["Error"]["Message"]


def test_a_client_token_gives_back_the_same_operation(lab, table_name):
    # [src:bulk-put-client-token]: the same token and parameters give back the same operation; other parameters
    # with that token are refused
    create_table(lab, table_name, ("pk", "S"))
    write_bulk_put_input(lab, BUCKET, "token/part-0.json", [{"pk": {"S": "a"}}])
    first = lab.client.start_bulk_put_items(**_request(table_name, "token/", ClientToken="day-1"))
    again = lab.client.start_bulk_put_items(**_request(table_name, "token/", ClientToken="day-1"))
    arn = first["BulkOperationDescription"]["BulkOperationArn"]
    assert again["BulkOperationDescription"]["BulkOperationArn"] == arn
    with pytest.raises(ClientError) as error:
        lab.client.start_bulk_put_items(**_request(table_name, "token/", ClientToken="day-1",
                                                   PerformanceTier="ACCELERATED"))
    assert error.value.response["Error"]["Code"] == "IdempotentParameterMismatchException"
    wait_for_bulk_put(lab, arn)
