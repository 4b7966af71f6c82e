"""Every documented DynamoDB number, once: named in DynamoDB's words, with its source and the date it was read.

Sources are pages of the DynamoDB developer guide (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/)
unless another address is given; ``[A23]`` marks a rule read in the archived guide (Feb 2023) and ``[2017]`` the
2017 partition model (archived GuidelinesForTables.md). ``../shared/reference/dynamodb-facts.md`` holds the quotes.
Other modules import these names; none restates a value.
"""

from __future__ import annotations

from decimal import Decimal

# ---- items ------------------------------------------------------------------------------------------------
#: The largest item: 400 KB (1 KB = 1,024 B), attribute names included (ServiceQuotas.html, read 2026-12).
MAX_ITEM_SIZE_BYTES = 400 * 1024
#: A number has at most 38 significant digits (HowItWorks.NamingRulesDataTypes.html, read 2026-12).
MAX_NUMBER_DIGITS = 38
#: Storage is billed on the item's size plus 100 bytes of overhead per item, and the same per index entry
#: (CapacityUnitCalculations.html, read 2026-12; GSI.html and LSI.html "storage considerations" [A23]).
STORAGE_OVERHEAD_BYTES_PER_ITEM = 100
#: A number's magnitude, when not zero: 1E-130 to 9.9999999999999999999999999999999999999E+125
#: (Constraints.html "Data types", read 2026-12).
NUMBER_MIN_MAGNITUDE = Decimal("1E-130")
NUMBER_MAX_MAGNITUDE = Decimal("9.9999999999999999999999999999999999999E+125")
#: An attribute name is at least 1 byte and less than 64 KB: "Attribute name is too large, must be less than 65536
#: bytes" (HowItWorks.NamingRulesDataTypes.html, Constraints.html, read 2026-12) [src:attribute-name-length].
ATTRIBUTE_NAME_MAX_BYTES = 65535
#: Maps and lists nest at most 32 levels deep (Constraints.html "Nested attribute depth", read 2026-12)
#: [src:nested-attribute-depth].
NESTED_ATTRIBUTE_MAX_DEPTH = 32
#: A key attribute's value: a partition key at most 2,048 B, a sort key at most 1,024 B, and at least 1 B
#: (Constraints.html "Partition keys and sort keys", read 2026-12).
PARTITION_KEY_MAX_BYTES = 2048
SORT_KEY_MAX_BYTES = 1024

# ---- capacity units (read-write-operations.html, read 2026-12) -------------------------------------------------
#: A read capacity unit covers up to 4 KB; a write capacity unit up to 1 KB.
READ_UNIT_BYTES = 4 * 1024
WRITE_UNIT_BYTES = 1024
#: Query and Scan return at most 1 MB per page, counted before any filter (Query.Pagination.html).
PAGE_LIMIT_BYTES = 1024 * 1024

# ---- secondary indexes ----------------------------------------------------------------------------------------
#: A table has at most 20 global secondary indexes (a default quota, adjustable) and 5 local secondary indexes
#: (ServiceQuotas.html "Secondary indexes", read 2026-12) [src:gsi-per-table] [src:lsi-per-table].
GLOBAL_SECONDARY_INDEXES_PER_TABLE = 20
LOCAL_SECONDARY_INDEXES_PER_TABLE = 5
#: On a table with a local secondary index, an item collection (the items of one partition-key value, with their
#: LSI entries) holds at most 10 GB (LSI.html "Item collection size limit", read 2026-12; 1 GB = 1,024**3 B).
ITEM_COLLECTION_MAX_BYTES = 10 * 1024**3

# ---- request limits (ServiceQuotas.html [A23]; transaction-apis.html, read 2026-12) ----------------------------
BATCH_WRITE_MAX_REQUESTS = 25
BATCH_WRITE_MAX_BYTES = 16 * 1024 * 1024
BATCH_GET_MAX_KEYS = 100
TRANSACTION_MAX_ACTIONS = 100
TRANSACTION_MAX_BYTES = 4 * 1024 * 1024
#: Table and index names: 3 to 255 characters of a-z, A-Z, 0-9, '_', '-', '.' (HowItWorks.NamingRulesDataTypes.html).
TABLE_NAME_LENGTHS = (3, 255)
TABLE_NAME_PATTERN = r"[a-zA-Z0-9_.-]+"

# ---- provisioned capacity and auto scaling ------------------------------------------------------------------
#: Default per-table maximum: 40,000 RCU and 40,000 WCU (ServiceQuotas.html, read 2026-12).
DEFAULT_TABLE_MAX_CAPACITY_UNITS = 40_000
#: Application Auto Scaling accepts a DynamoDB target utilisation from 20 % to 90 % (AutoScaling.html).
TARGET_UTILIZATION_RANGE = (20.0, 90.0)
#: Decreases of provisioned capacity, a token bucket per table and per GSI: "You start each day with 4 available
#: decreases. Each hour, 1 additional decrease becomes available, up to the maximum of 4 available at any time"
#: (ServiceQuotas.html, read 2026-12): 27 in a full UTC day (4 + 23). (The 2023 rule, "4, then 1 an hour after
#: none in the past hour", is gone.)
DECREASES_AVAILABLE_AT_DAY_START = 4
DECREASES_MAX_AVAILABLE = 4
DECREASES_ADDED_PER_HOUR = 1
DECREASES_PER_DAY_MAX = DECREASES_AVAILABLE_AT_DAY_START + 23 * DECREASES_ADDED_PER_HOUR
#: Scale-out needs 2 consecutive one-minute datapoints above the target, scale-in 15 under it
#: (metrics-dimensions.html, AutoScaling.html, read 2026-12).
SCALE_OUT_DATAPOINTS = 2
SCALE_IN_DATAPOINTS = 15

# ---- partitions ----------------------------------------------------------------------------------------------
#: Every partition "is designed to deliver" 3,000 read units and 1,000 write units per second, today
#: (bp-partition-key-design.html, burst-adaptive-capacity.html, read 2026-12).
PARTITION_MAX_READ_UNITS_PER_SECOND = 3000
PARTITION_MAX_WRITE_UNITS_PER_SECOND = 1000
#: [2017] "approximately 10 GB" per partition (archived GuidelinesForTables.md, commit 21cfcaf, 2017-12-11).
PARTITION_MAX_SIZE_GB_2017 = 10
#: Burst capacity banks up to 300 seconds of unused capacity (burst-adaptive-capacity.html, read 2026-12).
BURST_SECONDS = 300

# ---- streams --------------------------------------------------------------------------------------------------
#: GetRecords returns at most 1,000 records or 1 MB per call (API_streams_GetRecords.html).
GET_RECORDS_MAX_RECORDS = 1000
#: A shard iterator expires 15 minutes after it is returned (API_streams_GetShardIterator.html, read 2026-12).
SHARD_ITERATOR_LIFETIME_SECONDS = 15 * 60
#: A stream keeps a record for 24 hours (Streams.html, read 2026-12).
STREAM_RETENTION_SECONDS = 24 * 3600

# ---- time to live ---------------------------------------------------------------------------------------------
#: "DynamoDB typically deletes expired items within two days of expiration" (API_UpdateTimeToLive.html, read
#: 2026-12). A TTL delete appears in the stream as a REMOVE whose userIdentity is this (API_streams_Record.html).
TTL_TYPICAL_DELETE_DELAY_SECONDS = 2 * 24 * 3600
TTL_USER_IDENTITY = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}

# ---- Lambda event source mappings on a DynamoDB stream ---------------------------------------------------------
# https://docs.aws.amazon.com/lambda/latest/dg/services-ddb-params.html and the API reference
# (API_CreateEventSourceMapping.html), read 2026-12. Ranges are inclusive; -1 means "no limit" where allowed.
ESM_BATCH_SIZE_DEFAULT = 100
ESM_BATCH_SIZE_RANGE = (1, 10_000)
ESM_MAXIMUM_BATCHING_WINDOW_SECONDS_RANGE = (0, 300)  # default 0: invoke as soon as records are there
#: -1 (the default): retry until the record expires; otherwise 0 to 10,000 retries.
ESM_MAXIMUM_RETRY_ATTEMPTS_RANGE = (0, 10_000)
#: -1 (the default): no age limit (the stream's 24 h retention still applies); otherwise 60 to 604,800 s ("The
#: minimum valid value for maximum record age is 60s", API reference).
ESM_MAXIMUM_RECORD_AGE_SECONDS_RANGE = (60, 604_800)
#: Concurrent batches per shard, order kept per partition key (with-ddb.html).
ESM_PARALLELIZATION_FACTOR_RANGE = (1, 10)
ESM_TUMBLING_WINDOW_SECONDS_RANGE = (0, 900)  # 0: no tumbling window
ESM_STARTING_POSITIONS = ("TRIM_HORIZON", "LATEST")  # AT_TIMESTAMP is Kinesis only
ESM_FUNCTION_RESPONSE_TYPES = ("ReportBatchItemFailures",)
#: Lambda polls each shard 4 times a second (with-ddb.html).
ESM_POLLS_PER_SECOND = 4
#: A batch stops at the synchronous invocation payload limit, 6 MB (with-ddb.html).
ESM_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024
#: A tumbling window's state is at most 1 MB per shard; past it Lambda ends the window early (services-ddb-windows).
ESM_TUMBLING_WINDOW_STATE_MAX_BYTES = 1024 * 1024
#: FilterCriteria: 5 filters per mapping by default (up to 10 on request); a Pattern is at most 4,096 characters
#: (invocation-eventfiltering.html, API_Filter.html).
EVENT_FILTERS_PER_MAPPING = 5
EVENT_FILTER_PATTERN_MAX_LENGTH = 4096

# ---- billing ----------------------------------------------------------------------------------------------------
#: A month of capacity-hours: 730 hours (365 days x 24 h / 12), the month the AWS Pricing Calculator
#: (calculator.aws) bills hourly prices over. Provisioned capacity is billed per hour it is held
#: (aws.amazon.com/dynamodb/pricing/provisioned, read 2026-12); the 730-hour month is a convention for a monthly
#: figure (no stored AWS page states it; issue 15's example, $54.57, is computed with it).
HOURS_PER_MONTH = 730
SECONDS_PER_HOUR = 3600
# ---- bulk put items (StartBulkPutItems, 2026) -----------------------------------------------------------------
#: MaxWriteRequestUnits "must be at least 1,024" write request units per second (API_StartBulkPutItems.html;
#: botocore 1.44 service model: BulkOperationMaxWriteRequestUnits min 1024), read 2026-12.
BULK_PUT_MIN_WRITE_REQUEST_UNITS = 1024

# ---- dynalab's own bounds (a model's domain, NOT AWS limits) ------------------------------------------------------
#: The models refuse capacity past a billion units per second and a size past a billion GB (1 EB): far above any
#: raised table quota, and it keeps a doubling split history or an exact Fraction from running away on 1e18.
MODEL_MAX_CAPACITY_UNITS = 10**9
MODEL_MAX_SIZE_GB = 10**9
