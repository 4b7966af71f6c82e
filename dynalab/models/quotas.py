"""Every documented DynamoDB number, once: named in DynamoDB's words, with its source and the date it was read.

Each entry cites a row of the sources ledger, ``docs/sources.md``, as ``[src:<id>]``: the row holds the AWS page's
address, a short quote from it, the date it was read and the test that pins the number. ``[2017]`` marks the 2017
partition model (the archived GuidelinesForTables.md). Other modules import these names; none restates a value.
"""

from __future__ import annotations

from decimal import Decimal

# ---- items ------------------------------------------------------------------------------------------------
#: The largest item: 400 KB (1 KB = 1,024 B), attribute names included [src:item-size-max-400-kb].
MAX_ITEM_SIZE_BYTES = 400 * 1024
#: A number has at most 38 significant digits [src:number-38-digits].
MAX_NUMBER_DIGITS = 38
#: Storage is billed on the item's size plus 100 bytes of overhead per item [src:storage-overhead-100-bytes], and
#: the same per index entry: index storage is billed too [src:gsi-storage-billed].
STORAGE_OVERHEAD_BYTES_PER_ITEM = 100
#: A number's magnitude, when not zero: 1E-130 to 9.9999999999999999999999999999999999999E+125
#: [src:number-magnitude-range].
NUMBER_MIN_MAGNITUDE = Decimal("1E-130")
NUMBER_MAX_MAGNITUDE = Decimal("9.9999999999999999999999999999999999999E+125")
#: An attribute name is at least 1 byte and less than 64 KB: "Attribute name is too large, must be less than 65536
#: bytes" (HowItWorks.NamingRulesDataTypes.html, Constraints.html, read 2026-12) [src:attribute-name-length].
ATTRIBUTE_NAME_MAX_BYTES = 65535
#: Maps and lists nest at most 32 levels deep (Constraints.html "Nested attribute depth", read 2026-12)
#: [src:nested-attribute-depth].
NESTED_ATTRIBUTE_MAX_DEPTH = 32
#: A key attribute's value: a partition key at most 2,048 B, a sort key at most 1,024 B, and at least 1 B
#: [src:key-attribute-lengths].
PARTITION_KEY_MAX_BYTES = 2048
SORT_KEY_MAX_BYTES = 1024

# ---- capacity units ---------------------------------------------------------------------------------------------
#: A read capacity unit covers up to 4 KB; a write capacity unit up to 1 KB [src:capacity-unit-sizes].
READ_UNIT_BYTES = 4 * 1024
WRITE_UNIT_BYTES = 1024
#: Query and Scan return at most 1 MB per page, counted before any filter [src:query-page-1-mb].
PAGE_LIMIT_BYTES = 1024 * 1024

# ---- secondary indexes ----------------------------------------------------------------------------------------
#: On a table with a local secondary index, an item collection (the items of one partition-key value, with their
#: LSI entries) holds at most 10 GB (1 GB = 1,024**3 B) [src:lsi-item-collection-10-gb].
ITEM_COLLECTION_MAX_BYTES = 10 * 1024**3
#: A GSI key: up to 4 partition-key and up to 4 sort-key attributes (multi-attribute keys, Nov 2025); an LSI keeps the
#: table's partition key and one sort key [src:gsi-multi-attribute-keys].
GSI_MAX_PARTITION_KEY_ATTRIBUTES = 4
GSI_MAX_SORT_KEY_ATTRIBUTES = 4
#: Indexes per table: 20 GSIs (a default quota: CreateTable's GlobalSecondaryIndexes, "One or more global secondary
#: indexes (the maximum is 20)"), 5 LSIs; at most 100 user-specified projected (INCLUDE) attributes across all of a
#: table's indexes [src:index-quotas], [src:gsi-per-table], [src:lsi-per-table], [src:projected-attributes-100].
GLOBAL_SECONDARY_INDEXES_PER_TABLE = 20
LOCAL_SECONDARY_INDEXES_PER_TABLE = 5
PROJECTED_ATTRIBUTES_PER_TABLE_MAX = 100

# ---- request limits [src:batch-write-25-16-mb] [src:batch-get-100] [src:transaction-100-actions-4-mb] ----------
BATCH_WRITE_MAX_REQUESTS = 25
BATCH_WRITE_MAX_BYTES = 16 * 1024 * 1024
BATCH_GET_MAX_KEYS = 100
TRANSACTION_MAX_ACTIONS = 100
TRANSACTION_MAX_BYTES = 4 * 1024 * 1024
#: Table and index names: 3 to 255 characters of a-z, A-Z, 0-9, '_', '-', '.' [src:table-name-rules].
TABLE_NAME_LENGTHS = (3, 255)
TABLE_NAME_PATTERN = r"[a-zA-Z0-9_.-]+"

# ---- provisioned capacity and auto scaling ------------------------------------------------------------------
#: Default per-table maximum: 40,000 RCU and 40,000 WCU [src:table-default-max-40000].
DEFAULT_TABLE_MAX_CAPACITY_UNITS = 40_000
#: Application Auto Scaling accepts a DynamoDB target utilisation from 20 % to 90 % [src:auto-scaling-target-20-90].
TARGET_UTILIZATION_RANGE = (20.0, 90.0)
#: Decreases of provisioned capacity, a token bucket per table and per GSI: "You start each day with 4 available
#: decreases. Each hour, 1 additional decrease becomes available, up to the maximum of 4 available at any time"
#: [src:capacity-decreases-per-day]: 27 in a full UTC day (4 + 23). (The 2023 rule, "4, then 1 an hour after none
#: in the past hour", is gone.)
DECREASES_AVAILABLE_AT_DAY_START = 4
DECREASES_MAX_AVAILABLE = 4
DECREASES_ADDED_PER_HOUR = 1
DECREASES_PER_DAY_MAX = DECREASES_AVAILABLE_AT_DAY_START + 23 * DECREASES_ADDED_PER_HOUR
#: Scale-out needs 2 consecutive one-minute datapoints above the target, scale-in 15 under it
#: [src:auto-scaling-datapoints].
SCALE_OUT_DATAPOINTS = 2
SCALE_IN_DATAPOINTS = 15

# ---- partitions ----------------------------------------------------------------------------------------------
#: Every partition "is designed to deliver" 3,000 read units and 1,000 write units per second, today
#: [src:partition-3000-1000]; the ceiling binds one item (full primary key) where the item collection can be split
#: by sort key, a partition-key value otherwise [src:hot-key-per-item].
PARTITION_MAX_READ_UNITS_PER_SECOND = 3000
PARTITION_MAX_WRITE_UNITS_PER_SECOND = 1000
#: [2017] "approximately 10 GB" per partition [src:partition-formula-2017].
PARTITION_MAX_SIZE_GB_2017 = 10
#: Burst capacity banks up to 300 seconds of unused capacity [src:burst-300-seconds].
BURST_SECONDS = 300

# ---- streams --------------------------------------------------------------------------------------------------
#: GetRecords returns at most 1,000 records or 1 MB per call [src:get-records-1000-records-1-mb].
GET_RECORDS_MAX_RECORDS = 1000
GET_RECORDS_MAX_BYTES = 1024 * 1024
#: A shard iterator expires 15 minutes after it is returned [src:shard-iterator-15-minutes].
SHARD_ITERATOR_LIFETIME_SECONDS = 15 * 60
#: A stream keeps a record for 24 hours [src:stream-retention-24-hours].
STREAM_RETENTION_SECONDS = 24 * 3600
#: At most 2 processes should read one shard at a time; 1 for a global table's stream [src:stream-readers-per-shard].
STREAM_READERS_PER_SHARD = 2
STREAM_READERS_PER_SHARD_GLOBAL_TABLE = 1

# ---- streams requests: what the engine refuses with ValidationException [src:streams-request-lengths] ----------
#: Length constraints, in characters, of GetShardIterator's StreamArn, ShardId and SequenceNumber and of GetRecords'
#: ShardIterator (API_streams_GetShardIterator.html, API_streams_GetRecords.html, read 2026-12-07).
STREAM_ARN_LENGTH_RANGE = (37, 1024)
SHARD_ID_LENGTH_RANGE = (28, 65)
SEQUENCE_NUMBER_LENGTH_RANGE = (21, 40)
SHARD_ITERATOR_LENGTH_RANGE = (1, 2048)
#: GetRecords' Limit: from 1 record; "The upper limit is 1000" (GET_RECORDS_MAX_RECORDS)
#: [src:streams-get-records-limit].
GET_RECORDS_MIN_LIMIT = 1

# ---- time to live ---------------------------------------------------------------------------------------------
#: The developer guide: expired items are deleted "within a few days of their expiration time"
#: [src:ttl-within-a-few-days] (what the lessons teach); the API reference still says "typically within two days
#: of expiration" [src:ttl-api-two-days], the only number AWS gives, kept here as that page's figure. A TTL
#: delete appears in the stream as a REMOVE whose userIdentity is this [src:ttl-stream-user-identity].
TTL_API_TYPICAL_DELETE_DELAY_SECONDS = 2 * 24 * 3600
TTL_USER_IDENTITY = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}

# ---- Lambda event source mappings on a DynamoDB stream ---------------------------------------------------------
# Ranges are inclusive; -1 means "no limit" where allowed [src:esm-parameter-ranges].
ESM_BATCH_SIZE_DEFAULT = 100
ESM_BATCH_SIZE_RANGE = (1, 10_000)
ESM_MAXIMUM_BATCHING_WINDOW_SECONDS_RANGE = (0, 300)  # default 0: invoke as soon as records are there
#: -1 (the default): retry until the record expires; otherwise 0 to 10,000 retries.
ESM_MAXIMUM_RETRY_ATTEMPTS_RANGE = (0, 10_000)
#: -1 (the default): no age limit (the stream's 24 h retention still applies); otherwise 60 to 604,800 s ("The
#: minimum valid value for maximum record age is 60s", API reference).
ESM_MAXIMUM_RECORD_AGE_SECONDS_RANGE = (60, 604_800)
#: Concurrent batches per shard, order kept per item: partition and sort key [src:esm-parallelization-per-item].
ESM_PARALLELIZATION_FACTOR_RANGE = (1, 10)
ESM_TUMBLING_WINDOW_SECONDS_RANGE = (0, 900)  # 0: no tumbling window
#: Required, no default; LATEST can miss records written while the mapping is created or updated
#: [src:esm-starting-position-required]. AT_TIMESTAMP is Kinesis only.
ESM_STARTING_POSITIONS = ("TRIM_HORIZON", "LATEST")
#: Where a stream mapping sends the record of a discarded batch: an SQS queue, an SNS topic or an S3 bucket
#: [src:esm-on-failure-destinations].
ESM_ON_FAILURE_DESTINATION_SERVICES = ("sqs", "sns", "s3")
ESM_FUNCTION_RESPONSE_TYPES = ("ReportBatchItemFailures",)
#: Lambda polls each shard 4 times a second [src:esm-polls-4-per-second].
ESM_POLLS_PER_SECOND = 4
#: A batch is also sent when it reaches the 6 MB payload limit [src:esm-batch-6-mb].
ESM_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024
#: A tumbling window's state is at most 1 MB per shard; past it Lambda ends the window early
#: [src:esm-tumbling-window-state-1-mb].
ESM_TUMBLING_WINDOW_STATE_MAX_BYTES = 1024 * 1024
#: FilterCriteria: 5 filters per mapping by default (up to 10 on request); a Pattern is at most 4,096 characters
#: [src:event-filter-limits].
EVENT_FILTERS_PER_MAPPING = 5
EVENT_FILTER_PATTERN_MAX_LENGTH = 4096

#: A Lambda function's timeout: "The default value for this setting is 3 seconds, but you can adjust this in
#: increments of 1 second up to a maximum value of 900 seconds (15 minutes)"
#: (https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html, read 2026-12)
#: [src:lambda-function-timeout].
LAMBDA_TIMEOUT_SECONDS_DEFAULT = 3
LAMBDA_TIMEOUT_SECONDS_RANGE = (1, 900)

# ---- billing ----------------------------------------------------------------------------------------------------
#: A month of capacity-hours: 730 hours (365 days x 24 h / 12), the month the AWS Pricing Calculator bills hourly
#: prices over [src:hours-per-month-730]. Provisioned capacity is billed per hour it is held, used or not
#: [src:provisioned-billed-per-hour-held].
HOURS_PER_MONTH = 730
SECONDS_PER_HOUR = 3600
# ---- global tables (version 2019.11.21; V2globaltables_HowItWorks.html, bp-global-table-design.html, ---------
# global-tables-billing.html, read 2026-12) ------------------------------------------------------------------------
#: DescribeTable's GlobalTableVersion of a table replicated across Regions: "Version 2019.11.21 (Current)"
#: [src:global-tables-version].
GLOBAL_TABLE_VERSION = "2019.11.21"
#: MREC: item changes "are asynchronously replicated to all other replicas, typically within a second or less"
#: [src:mrec-replication-within-a-second].
MREC_TYPICAL_REPLICATION_SECONDS = 1.0
#: "A MRSC global table must be deployed in exactly three Regions": three replicas, or two replicas and one
#: witness [src:mrsc-three-regions]; "You can configure one witness per MRSC global table" (botocore's
#: GlobalTableWitnessGroupUpdate) [src:mrsc-one-witness].
MRSC_REGION_COUNT = 3
MRSC_MAX_WITNESSES = 1
#: MRSC "can't span Region sets" [src:mrsc-region-sets]. The witness must be in the same set (botocore's
#: CreateGlobalTableWitnessGroupMemberAction).
MRSC_REGION_SETS: dict[str, tuple[str, ...]] = {
    "US": ("us-east-1", "us-east-2", "us-west-2"),
    "EU": ("eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1"),
    "AP": ("ap-northeast-1", "ap-northeast-2", "ap-northeast-3"),
}
#: "Replica cannot be deleted because it has acted as a source region for new replica(s) being added to the table
#: in the last 24 hours" (DynamoDB's answer to DeleteTable; HowItWorks: "You can't delete a table used to add a new
#: global table replica until 24 hours have elapsed") [src:replica-source-24-hours].
REPLICA_SOURCE_DELETE_WAIT_SECONDS = 24 * 3600

# ---- bulk put items (StartBulkPutItems, 2026) and export to S3 --------------------------------------------------
#: MaxWriteRequestUnits: "The value must be at least 1,024" (AWS's DynamoDB service model, as botocore 1.44 ships it:
#: BulkOperationMaxWriteRequestUnits min 1024) [src:bulk-put-min-write-request-units].
BULK_PUT_MIN_WRITE_REQUEST_UNITS = 1024
#: Two performance tiers at different prices, STANDARD the default [src:bulk-put-performance-tiers].
BULK_PUT_PERFORMANCE_TIERS = ("STANDARD", "ACCELERATED")
#: ExportTableToPointInTime writes DynamoDB JSON or Amazon Ion, and needs point-in-time recovery on the table
#: [src:export-formats], [src:export-needs-pitr].
EXPORT_FORMATS = ("DYNAMODB_JSON", "ION")

# ---- throttling errors [src:throttle-error-codes] -----------------------------------------------------------------
#: The error a request refused for throughput gets: ProvisionedThroughputExceededException, "Your request rate is too
#: high" (API_PutItem.html, Errors, read 2026-12); its ThrottlingReasons say which limit [src:throttling-reasons].
THROTTLE_ERROR_CODE = "ProvisionedThroughputExceededException"
#: Every code by which DynamoDB throttles a request: the one above; RequestLimitExceeded, "Throughput exceeds the
#: current throughput quota for your account"; and ThrottlingException (control-plane calls made too fast).
THROTTLE_ERROR_CODES = (THROTTLE_ERROR_CODE, "RequestLimitExceeded", "ThrottlingException")

# ---- CloudWatch metrics and Contributor Insights (metrics-dimensions.html, contributorinsights_HowItWorks.html) ------
#: DynamoDB "outputs consumed provisioned throughput for one-minute periods", and CloudWatch aggregates its capacity,
#: request and throttle metrics "at one-minute intervals" (metrics-dimensions.html, read 2026-12)
#: [src:cloudwatch-one-minute-periods].
METRICS_PERIOD_SECONDS = 60
#: The namespace DynamoDB publishes in (metrics-dimensions.html, read 2026-12) [src:cloudwatch-one-minute-periods].
DYNAMODB_METRICS_NAMESPACE = "AWS/DynamoDB"
#: PutMetricData: "no more than 1000 different metrics" a request (API_PutMetricData.html; botocore 1.44's model,
#: read 2026-12) [src:cloudwatch-put-metric-data-1000].
PUT_METRIC_DATA_MAX_METRICS = 1000
#: Contributor Insights ranks keys by ConsumedThroughputUnits: "(3 x consumed write capacity units) + consumed read
#: capacity units" (contributorinsights_HowItWorks.html [A23], read 2026-12) [src:contributor-insights-units].
CONSUMED_THROUGHPUT_UNITS_PER_WRITE_UNIT = 3
#: GetInsightRuleReport's MaxContributorCount: "The range is 1 to 100. If you omit this, the default of 10 is used"
#: (API_GetInsightRuleReport.html; botocore 1.44's model, read 2026-12) [src:insight-rule-report-contributors].
INSIGHT_RULE_REPORT_CONTRIBUTORS_RANGE = (1, 100)
INSIGHT_RULE_REPORT_DEFAULT_CONTRIBUTORS = 10
#: A Contributor Insights rule name: 1 to 128 characters (botocore 1.44's CloudWatch model, InsightRuleName;
#: DescribeContributorInsights' rule names follow ``[A-Za-z0-9][A-Za-z0-9\-\_\.]{0,126}[A-Za-z0-9]``)
#: [src:contributor-insights-rule-names].
INSIGHT_RULE_NAME_MAX_LENGTH = 128

# ---- dynalab's own bounds (a model's domain, NOT AWS limits) ------------------------------------------------------
#: The models refuse capacity past a billion units per second and a size past a billion GB (1 EB): far above any
#: raised table quota, and it keeps a doubling split history or an exact Fraction from running away on 1e18.
MODEL_MAX_CAPACITY_UNITS = 10**9
MODEL_MAX_SIZE_GB = 10**9
