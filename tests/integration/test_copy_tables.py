"""Copy tables on the real engine: a projection never writes into the table it reads (issue 12 item 5)."""

from __future__ import annotations

import pytest

from dynalab.engine.streams import StreamProjector
from dynalab.engine.tables import create_table, scan_items
from dynalab.lessons.copy_tables import copy_by_change_capture
from dynalab.lessons.projections import CopyProjection, mail_batch, vote_summary


@pytest.fixture
def source(lab, table_name):
    name = f"{table_name}-src"
    create_table(lab, name, ("UserID", "S"), stream_view_type="NEW_AND_OLD_IMAGES")
    for n in range(5):
        lab.client.put_item(TableName=name, Item={"UserID": {"S": f"u{n}"}, "vote": {"S": "A"},
                                                  "Date": {"S": "2023-06-01"}})
    return name


def test_a_copy_equal_to_its_source_is_refused_at_once_and_nothing_is_deleted(lab, source):
    # Before the fix this looped: every write into the source came back on its stream (5 items, 960 writes in 6 s),
    # and reset=True would first have deleted the source table itself.
    for reset in (False, True):
        with pytest.raises(ValueError, match=f"target table '{source}' is the table it reads"):
            copy_by_change_capture(lab, source, source, reset=reset)
    assert len(scan_items(lab, source)) == 5


def test_any_projection_writing_into_its_source_is_refused(lab, source):
    with pytest.raises(ValueError, match="is the table it reads"):
        StreamProjector(lab, source, CopyProjection(source))
    with pytest.raises(ValueError, match="vote_summary: the target table"):
        vote_summary(lab, source, source)
    with pytest.raises(ValueError, match="mail_batch: the target table"):
        mail_batch(lab, source, source, reset=True)
    assert len(scan_items(lab, source)) == 5


def test_an_export_needs_point_in_time_recovery(lab, table_name):
    # [src:export-needs-pitr]: refused until point-in-time recovery is on; [src:export-formats]: DynamoDB JSON or Ion
    from botocore.exceptions import ClientError

    from dynalab.engine.tables import create_table
    from dynalab.lessons.copy_tables import export_to_s3

    create_table(lab, table_name, ("pk", "S"))
    lab.new_client("s3").create_bucket(Bucket="dynalab-test-export")
    arn = lab.client.describe_table(TableName=table_name)["Table"]["TableArn"]
    with pytest.raises(ClientError) as error:
        lab.client.export_table_to_point_in_time(TableArn=arn, S3Bucket="dynalab-test-export", S3Prefix="no-pitr",
                                                 ExportFormat="DYNAMODB_JSON")
    assert error.value.response["Error"]["Code"] == "PointInTimeRecoveryUnavailableException"
    assert export_to_s3(lab, table_name, "dynalab-test-export", "with-pitr")  # it switches PITR on first
