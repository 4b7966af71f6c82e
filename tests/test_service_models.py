"""dynalab's documented numbers against AWS's own service models, as botocore ships them (the API reference is
generated from the same models): the StartBulkPutItems minimum and tiers, the export formats, and the ranges of a
Lambda event source mapping. A botocore upgrade that changes one of them fails here first."""

from __future__ import annotations

import botocore.session
import pytest

from dynalab.models import quotas


@pytest.fixture(scope="module")
def loader():
    return botocore.session.get_session().get_component("data_loader")


def _shapes(loader, service: str) -> dict:
    return loader.load_service_model(service, "service-2")["shapes"]


def test_the_bulk_put_minimum_and_tiers_are_the_ones_in_awss_dynamodb_model(loader):
    # [src:bulk-put-min-write-request-units]: "The value must be at least 1,024"
    shapes = _shapes(loader, "dynamodb")
    assert shapes["BulkOperationMaxWriteRequestUnits"]["min"] == quotas.BULK_PUT_MIN_WRITE_REQUEST_UNITS == 1024
    member = shapes["StartBulkPutItemsInput"]["members"]["MaxWriteRequestUnits"]
    assert "must be at least 1,024" in member["documentation"]
    # [src:bulk-put-performance-tiers]: STANDARD and ACCELERATED
    assert tuple(shapes["BulkOperationPerformanceTier"]["enum"]) == quotas.BULK_PUT_PERFORMANCE_TIERS


def test_the_export_formats_are_the_ones_in_awss_dynamodb_model(loader):
    # [src:export-formats]: DYNAMODB_JSON or ION
    assert tuple(_shapes(loader, "dynamodb")["ExportFormat"]["enum"]) == quotas.EXPORT_FORMATS


def test_the_mapping_ranges_are_the_ones_in_awss_lambda_model(loader):
    # [src:esm-parameter-ranges], [src:esm-starting-position-api]
    shapes = _shapes(loader, "lambda")
    members = shapes["CreateEventSourceMappingRequest"]["members"]

    def bounds(name: str) -> tuple[int, int]:
        shape = shapes[members[name]["shape"]]
        return shape["min"], shape["max"]

    assert bounds("BatchSize") == quotas.ESM_BATCH_SIZE_RANGE
    assert bounds("MaximumBatchingWindowInSeconds") == quotas.ESM_MAXIMUM_BATCHING_WINDOW_SECONDS_RANGE
    assert bounds("ParallelizationFactor") == quotas.ESM_PARALLELIZATION_FACTOR_RANGE
    assert bounds("TumblingWindowInSeconds") == quotas.ESM_TUMBLING_WINDOW_SECONDS_RANGE
    assert bounds("MaximumRetryAttempts") == (-1, quotas.ESM_MAXIMUM_RETRY_ATTEMPTS_RANGE[1])
    assert bounds("MaximumRecordAgeInSeconds") == (-1, quotas.ESM_MAXIMUM_RECORD_AGE_SECONDS_RANGE[1])
    position = members["StartingPosition"]
    assert "Required for Amazon Kinesis and Amazon DynamoDB Stream event sources" in position["documentation"]
    assert set(quotas.ESM_STARTING_POSITIONS) < set(shapes[position["shape"]]["enum"])
