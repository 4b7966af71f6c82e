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
#: A number's magnitude, when not zero: 1E-130 to 9.9999999999999999999999999999999999999E+125
#: (Constraints.html "Data types", read 2026-12).
NUMBER_MIN_MAGNITUDE = Decimal("1E-130")
NUMBER_MAX_MAGNITUDE = Decimal("9.9999999999999999999999999999999999999E+125")
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
