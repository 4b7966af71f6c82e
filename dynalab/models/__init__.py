"""Pure models: DynamoDB's rules and simulators as plain functions.

Values in, numbers, dataclasses or numpy arrays out; no I/O, no boto3, no widgets, no plotly (an import-linter
contract in ``make lint`` keeps it so). Item sizes (``sizing``), capacity units (``capacity``), what a request
is charged (``charges``), secondary-index entries and their write units (``indexes``), the item an update
produces (``updates``), prices (``pricing``), auto scaling (``autoscaling``), partitions (``partitions``,
``hot_partitions``, ``key_distributions``), BatchWriteItem's grouping, backoff and refusals (``batch_writes``),
the table-name rule (``naming``), the token bucket (``token_bucket``), the planner (``planner``), index or filter
(``index_choice``), event source mappings and their filters (``event_source_mapping``, ``event_filters``). Every
documented DynamoDB number lives once, in ``quotas``, with its source. Parameters are checked by ``checks``
(the one validation layer: a clean value, or a ValueError/TypeError naming the parameter, the value and the
allowed range).
"""
