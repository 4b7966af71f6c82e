"""Requests that name a secondary index: the index must exist, and a GSI serves eventually consistent reads only."""

from __future__ import annotations

__all__ = ["GSI_CONSISTENT_READ"]

#: DynamoDB's answer to ConsistentRead=True on a GSI, which serves eventually consistent reads only
#: [src:gsi-eventual-only] (measured on DynamoDB; moto 5.2.5 and dynalite say the same).
GSI_CONSISTENT_READ = "Consistent reads are not supported on global secondary indexes"
