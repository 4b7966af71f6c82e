"""Partition math: the 2017 model of how many partitions a table has and how they split (never merging), and
where a key lands.

Two eras, kept apart and labelled in the lesson:

* **The 2017 model** (AWS Black Belt 2017 p. 35 ff., retold in the second source article; AWS's archived 2018
  guide GuidelinesForTables.md): a partition serves at most 3,000 RCU and 1,000 WCU and holds 10 GB; the count is
  the larger of a throughput term ``ceil(RCU/3000 + WCU/1000)`` (the 2018 guide sums, then rounds) and a size term
  ``ceil(GB/10)`` (third-party only: a 2016 re:Invent talk); a table's capacity is divided evenly between its
  partitions; raising throughput past what the partitions serve *doubles* them (2018 guide); partitions never
  merge (Black Belt p. 43 and theburningmonk.com 2017; no AWS statement found).
* **Today** (bp-partition-key-design.html, burst-adaptive-capacity.html, warm-throughput.html, read 2026-12): every
  partition "is designed to deliver" up to 3,000 read / 1,000 write units per second; adaptive capacity lets a
  hot partition use capacity up to the table's total, at once; a hot item can be isolated on its own partition
  ("split for heat"; not on tables with an LSI, which "will not split item collections"); **warm throughput**
  (Nov 2024) reports what a table or GSI can serve at once, grows with use and can be pre-raised. AWS publishes
  no partition count, and users cannot see how many partitions a table has (DescribeTable reports none).

Where a key lands: DynamoDB hashes the partition key, but **its hash function is not public**. This module is a
*model*: md5 over the key's bytes, its first 32 bits mapped onto equal hash ranges, one per partition. It is
stable across processes (never Python's ``hash()``, which is salted per process).
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from dynalab.i18n import N_, tr
from dynalab.models import checks
from dynalab.models.quotas import (
    MODEL_MAX_CAPACITY_UNITS,
    MODEL_MAX_SIZE_GB,
    PARTITION_MAX_READ_UNITS_PER_SECOND,
    PARTITION_MAX_SIZE_GB_2017,
    PARTITION_MAX_WRITE_UNITS_PER_SECOND,
)

__all__ = [
    "MAX_GRID_CELLS",
    "MAX_HASHED_KEYS",
    "MAX_SPLIT_STEPS",
    "PARTITION_MAX_READ_CAPACITY_UNITS",
    "PARTITION_MAX_SIZE_GB",
    "PARTITION_MAX_WRITE_CAPACITY_UNITS",
    "PartitionEstimate",
    "SplitStep",
    "estimate_partitions",
    "key_bytes",
    "key_hashes",
    "partition_count",
    "partition_count_per_term",
    "partition_index",
    "partition_indices",
    "rounding_differences",
    "size_partitions",
    "split_history",
    "throughput_partitions",
    "warm_throughput_after",
]

#: per-partition ceilings, still documented today (burst-adaptive-capacity.html)
PARTITION_MAX_READ_CAPACITY_UNITS = PARTITION_MAX_READ_UNITS_PER_SECOND
PARTITION_MAX_WRITE_CAPACITY_UNITS = PARTITION_MAX_WRITE_UNITS_PER_SECOND
#: per-partition size in the 2017 model (archived 2018 GuidelinesForTables.md only)
PARTITION_MAX_SIZE_GB = PARTITION_MAX_SIZE_GB_2017

Rounding = Literal["sum_then_round", "round_each_term"]
ROUNDINGS: tuple[str, ...] = ("sum_then_round", "round_each_term")


#: dynalab's bounds (not AWS limits): the steps ``split_history`` replays (each is checked and replayed in Python;
#: a lesson shows a handful) and the keys ``key_hashes`` hashes in one call (md5 in Python, about 3 µs a key: 200,000
#: take about 0.6 s; a million took 4 s).
MAX_SPLIT_STEPS = 1_000
MAX_HASHED_KEYS = 200_000
#: dynalab's bound on ``rounding_differences``'s grid: each cell is two exact partition counts, about 40 µs
MAX_GRID_CELLS = 10_000


def _amount(name: str, value: Any) -> Fraction:
    """A finite number from 0 to dynalab's model bound as an exact Fraction (so 3000/3000 + 1000/1000 is exactly 2,
    never 2.0000001)."""
    high = MODEL_MAX_SIZE_GB if name == "size_gb" else MODEL_MAX_CAPACITY_UNITS
    unit = "GB" if name == "size_gb" else tr("capacity units; dynalab's model bound")
    clean = checks.number(name, value, low=0, high=high, unit=unit)
    return Fraction(str(clean)) if isinstance(clean, float) else Fraction(clean)


def _ceil(value: Fraction) -> int:
    return -(-value.numerator // value.denominator)


def throughput_partitions(read_capacity_units: float, write_capacity_units: float,
                          rounding: Rounding = "sum_then_round") -> int:
    """The throughput term of the 2017 model.

    ``"sum_then_round"`` is the 2018 guide's rule, ceil(RCU/3000 + WCU/1000); ``"round_each_term"`` is the
    article's first worked example, ceil(RCU/3000) + ceil(WCU/1000). A table always has at least one partition.
    """
    reads = _amount("read_capacity_units", read_capacity_units) / PARTITION_MAX_READ_CAPACITY_UNITS
    writes = _amount("write_capacity_units", write_capacity_units) / PARTITION_MAX_WRITE_CAPACITY_UNITS
    if rounding == "sum_then_round":
        count = _ceil(reads + writes)
    elif rounding == "round_each_term":
        count = _ceil(reads) + _ceil(writes)
    else:
        raise ValueError(tr("rounding must be one of {choices}, got {rounding!r}",
                            choices=", ".join(ROUNDINGS), rounding=rounding))
    return max(count, 1)


def size_partitions(size_gb: float) -> int:
    """The size term of the 2017 model: ceil(GB / 10), at least 1."""
    return max(_ceil(_amount("size_gb", size_gb) / PARTITION_MAX_SIZE_GB), 1)


def partition_count(read_capacity_units: float, write_capacity_units: float, size_gb: float = 0) -> int:
    """Partitions of a new table in the 2017 model: max(ceil(RCU/3000 + WCU/1000), ceil(GB/10)).

    The article's examples: RCU 5,000 / WCU 500 -> 3; 35 GB -> 4; 8 GB with RCU 5,000 / WCU 500 -> 3.
    """
    return max(throughput_partitions(read_capacity_units, write_capacity_units), size_partitions(size_gb))


def partition_count_per_term(read_capacity_units: float, write_capacity_units: float, size_gb: float = 0) -> int:
    """The same count with each throughput term rounded on its own (the article's first worked example)."""
    return max(throughput_partitions(read_capacity_units, write_capacity_units, "round_each_term"),
               size_partitions(size_gb))


class _EvenShare:
    """What each partition gets in the 2017 model: the table's capacity divided evenly between its partitions."""

    read_capacity_units: float
    write_capacity_units: float
    partitions: int

    @property
    def read_capacity_units_per_partition(self) -> float:
        return float(self.read_capacity_units) / self.partitions

    @property
    def write_capacity_units_per_partition(self) -> float:
        return float(self.write_capacity_units) / self.partitions


@dataclass(frozen=True)
class PartitionEstimate(_EvenShare):
    """A table's partitions in the 2017 model and what each one gets (capacity divided evenly)."""

    read_capacity_units: float
    write_capacity_units: float
    size_gb: float
    throughput_partitions: int
    throughput_partitions_per_term: int
    size_partitions: int
    partitions: int

    @property
    def decided_by(self) -> str:
        """'throughput', 'size' or 'both': which term gave the count."""
        if self.throughput_partitions == self.size_partitions:
            return "both"
        return "throughput" if self.throughput_partitions > self.size_partitions else "size"

    @property
    def roundings_differ(self) -> bool:
        return self.throughput_partitions != self.throughput_partitions_per_term

    def describe(self) -> str:
        """One line for a readout (the 2017 model)."""
        line = (tr("2017 model: throughput term {throughput_partitions}, size term {size_partitions} -> {partitions} "
                   "partition(s); each serves {read_capacity_units_per_partition:,.1f} RCU and "
                   "{write_capacity_units_per_partition:,.1f} WCU",
                   throughput_partitions=self.throughput_partitions, size_partitions=self.size_partitions,
                   partitions=self.partitions,
                   read_capacity_units_per_partition=self.read_capacity_units_per_partition,
                   write_capacity_units_per_partition=self.write_capacity_units_per_partition))
        if self.roundings_differ:
            line += (tr(" (rounding each term instead would give a throughput term of "
                        "{throughput_partitions_per_term})",
                        throughput_partitions_per_term=self.throughput_partitions_per_term))
        return line

    def describe_today(self) -> str:
        """What DynamoDB documents today for the same table, beside the 2017 line."""
        return (tr("Today: no published count (you cannot see a table's partitions); every partition is designed for "
                   "{partition_max_read_capacity_units:,} RCU / {partition_max_write_capacity_units:,} WCU, and "
                   "adaptive capacity lets a hot one use up to the table's {read_capacity_units:,.0f} RCU / "
                   "{write_capacity_units:,.0f} WCU (within its warm throughput)",
                   partition_max_read_capacity_units=PARTITION_MAX_READ_CAPACITY_UNITS,
                   partition_max_write_capacity_units=PARTITION_MAX_WRITE_CAPACITY_UNITS,
                   read_capacity_units=float(self.read_capacity_units),
                   write_capacity_units=float(self.write_capacity_units)))


def estimate_partitions(read_capacity_units: float, write_capacity_units: float,
                        size_gb: float = 0) -> PartitionEstimate:
    """Both terms, the count, and the per-partition share of a new table (2017 model)."""
    return PartitionEstimate(
        read_capacity_units=read_capacity_units,
        write_capacity_units=write_capacity_units,
        size_gb=size_gb,
        throughput_partitions=throughput_partitions(read_capacity_units, write_capacity_units),
        throughput_partitions_per_term=throughput_partitions(read_capacity_units, write_capacity_units,
                                                             "round_each_term"),
        size_partitions=size_partitions(size_gb),
        partitions=partition_count(read_capacity_units, write_capacity_units, size_gb),
    )


def rounding_differences(read_capacity_units: Iterable[float],
                         write_capacity_units: Iterable[float]) -> list[tuple[float, float, int, int]]:
    """Every (RCU, WCU) of the grid where the two roundings disagree: (rcu, wcu, summed, per-term).

    They differ exactly when both terms have a fractional part and those parts add up to at most 1
    (RCU 1,000 / WCU 100: 0.33 + 0.1 -> 1 partition summed, 1 + 1 = 2 per term).
    """
    reads = checks.sequence_of("read_capacity_units", read_capacity_units, max_length=MAX_GRID_CELLS)
    writes = checks.sequence_of("write_capacity_units", write_capacity_units, max_length=MAX_GRID_CELLS)
    checks.number("len(read_capacity_units) × len(write_capacity_units)", len(reads) * len(writes),
                  high=MAX_GRID_CELLS, integer=True, unit=N_("dynalab's simulation limit"))
    found = []
    for rcu in reads:
        for wcu in writes:
            summed = throughput_partitions(rcu, wcu)
            per_term = throughput_partitions(rcu, wcu, "round_each_term")
            if summed != per_term:
                found.append((rcu, wcu, summed, per_term))
    return found


# --- split history (2017 model): partitions grow and are never shown to shrink; no AWS text says either way ---------


@dataclass(frozen=True)
class SplitStep(_EvenShare):
    """One state of a table's life: what was provisioned and stored, and the partitions it then has."""

    label: str
    read_capacity_units: float
    write_capacity_units: float
    size_gb: float
    required_partitions: int  # what a new table with these settings would get
    partitions: int  # what this table has, after its history
    #: today: the warm throughput after this step (what the table serves at once): it rises with the provisioned
    #: capacity and is never decreased [src:warm-throughput], [src:warm-throughput-no-decrease-billed]
    warm_read_units_per_second: float = 0.0
    warm_write_units_per_second: float = 0.0

    @property
    def extra_partitions(self) -> int:
        """Partitions kept from the past beyond what the current settings need (the 'capacity paradox')."""
        return self.partitions - self.required_partitions


Growth = Literal["double", "exact"]


def _check_growth(growth: Any) -> None:
    checks.choice("growth", growth, ("double", "exact"))


def split_history(states: Sequence[tuple[str, float, float, float]] | Sequence[tuple[float, float, float]],
                  growth: Growth = "double") -> list[SplitStep]:
    """Replay a table's settings, ``(label, RCU, WCU, GB)`` or ``(RCU, WCU, GB)`` per step, in the 2017 model.

    The first state creates the table with ``partition_count``. Later, whenever the settings need more
    partitions than the table has, it splits: ``growth="double"`` doubles the count until it suffices (the 2018
    guide: "DynamoDB doubles the current number of partitions"; a full partition splits in two), ``"exact"`` adds
    just enough. In the 2017 model partitions never merge, so scaling down keeps them all, each with a thinner share.
    """
    _check_growth(growth)
    states = checks.sequence_of("states", states, max_length=MAX_SPLIT_STEPS)
    if not states:
        raise ValueError(tr("states must hold at least one (RCU, WCU, GB) step, got an empty sequence"))
    steps: list[SplitStep] = []
    partitions = 0
    warm_read = warm_write = 0.0
    for number, state in enumerate(states):
        shape = len(state) if isinstance(state, tuple | list) else None
        if shape == 4:
            label, rcu, wcu, size = state  # type: ignore[misc]
        elif shape == 3:
            (rcu, wcu, size), label = state, tr("step {number}", number=number)  # type: ignore[misc]
        else:
            raise ValueError(tr("states[{number}] must be (label, RCU, WCU, GB) or (RCU, WCU, GB), got {state!r}",
                                number=number, state=state))
        required = partition_count(rcu, wcu, size)
        partitions = required if number == 0 else partitions_after_split(partitions, required, growth)
        warm_read, warm_write = warm_throughput_after(warm_read, rcu), warm_throughput_after(warm_write, wcu)
        steps.append(SplitStep(str(label), rcu, wcu, size, required, partitions, warm_read, warm_write))
    return steps


def warm_throughput_after(warm_units_per_second: float, provisioned_units: float) -> float:
    """Today: a table's warm throughput after its capacity is set to ``provisioned_units``: raising the capacity
    past the warm throughput raises it; lowering the capacity leaves it, since "once increased, warm throughput
    values cannot be decreased" (pre-warming it in advance is billed) [src:warm-throughput-no-decrease-billed]."""
    warm = checks.number("warm_units_per_second", warm_units_per_second, low=0, high=MODEL_MAX_CAPACITY_UNITS)
    provisioned = checks.number("provisioned_units", provisioned_units, low=0, high=MODEL_MAX_CAPACITY_UNITS)
    return float(max(warm, provisioned))


def partitions_after_split(current_partitions: int, required_partitions: int, growth: Growth = "double") -> int:
    """The partitions a table has once new settings need ``required_partitions`` (2017 model).

    Never fewer than now (the 2017 model: partitions never merge); when more are needed, ``"double"`` doubles the
    count until it suffices (the 2018 guide), ``"exact"`` adds just enough.
    """
    _check_growth(growth)
    if current_partitions < 1:
        raise ValueError(tr("current_partitions must be >= 1, got {current_partitions}",
                            current_partitions=current_partitions))
    partitions = current_partitions
    if growth == "exact":
        return max(partitions, required_partitions)
    while partitions < required_partitions:
        partitions *= 2
    return partitions


# --- key placement: a model of DynamoDB's (unpublished) hash ---------------------------------------------------


def key_bytes(partition_key_value: Any) -> bytes:
    """The bytes of a partition-key value as the model hashes them.

    S: its UTF-8 bytes; B: the raw bytes (base64 does not count); N: the canonical decimal text (so 1, 1.0 and
    1E0 are one key, as in DynamoDB where they are the same number). DynamoDB's wire form ({"S": "..."},
    {"N": "1"}, {"B": "<base64>"}) gives the same bytes as the plain value.
    """
    if isinstance(partition_key_value, dict) and len(partition_key_value) == 1:
        # DynamoDB's wire form, as the fidelity layer sees a request: {"S": "..."}, {"N": "12"}, {"B": base64}
        (kind, raw), = partition_key_value.items()
        if kind == "S" and isinstance(raw, str):
            return key_bytes(raw)
        if kind == "N" and isinstance(raw, str):
            try:
                return key_bytes(Decimal(raw))
            except InvalidOperation:
                raise ValueError(tr("partition_key_value: a partition key number must be numeric text, got {raw!r}",
                                    raw=raw)) from None
        if kind == "B":
            return key_bytes(base64.b64decode(raw) if isinstance(raw, str) else raw)
    if isinstance(partition_key_value, str):
        if not partition_key_value:
            raise ValueError(tr("partition_key_value: a partition key string must be non-empty, got ''"))
        return partition_key_value.encode("utf-8")
    if isinstance(partition_key_value, bytes | bytearray | memoryview):
        if len(partition_key_value) == 0:
            raise ValueError(tr("a partition key binary value must be non-empty, got b''"))
        return bytes(partition_key_value)
    if isinstance(partition_key_value, bool) or not isinstance(partition_key_value,
                                                                 int | float | Decimal | np.integer):
        raise ValueError(
            tr("partition_key_value: a partition key value must be a string, bytes or a number, got {type} "
               "{partition_key_value!r}",
               type=type(partition_key_value).__name__, partition_key_value=partition_key_value)
        )
    try:
        number = Decimal(str(partition_key_value))
    except InvalidOperation:
        raise ValueError(tr("partition_key_value: a partition key number must be finite, got {partition_key_value!r}",
                            partition_key_value=partition_key_value)) from None
    if not number.is_finite():
        raise ValueError(tr("partition_key_value: a partition key number must be finite, got {partition_key_value!r}",
                            partition_key_value=partition_key_value))
    text = "0" if number == 0 else format(number.normalize(), "f")
    return ("N:" + text).encode("ascii")


def _hash32(data: bytes) -> int:
    return int.from_bytes(hashlib.md5(data, usedforsecurity=False).digest()[:4], "big")


def _check_partition_count(partition_count: Any) -> int:
    return checks.number("partition_count", partition_count, low=1, high=2**31, integer=True)


def partition_index(partition_key_value: Any, partition_count: int) -> int:
    """Where a key lands: 0 .. partition_count-1.

    A model (md5 onto equal hash ranges): DynamoDB's own hash is not public.
    """
    count = _check_partition_count(partition_count)
    return (_hash32(key_bytes(partition_key_value)) * count) >> 32


def key_hashes(partition_key_values: Iterable[Any]) -> np.ndarray:
    """The model's 32-bit hash of each key (uint64 array). Hash a key vocabulary once, then place it with
    ``partition_indices(hashes=...)`` for any partition count."""
    if isinstance(partition_key_values, str | bytes | bytearray | Mapping) \
            or not isinstance(partition_key_values, Iterable):
        raise checks.ParameterTypeError(
            tr("partition_key_values must be a list of key values, got {type} {partition_key_values!r:.60}",
               type=type(partition_key_values).__name__, partition_key_values=partition_key_values))
    values = list(itertools.islice(partition_key_values, MAX_HASHED_KEYS + 1))  # a generator may never end
    checks.sequence_of("partition_key_values", values, max_length=MAX_HASHED_KEYS)
    try:
        return np.fromiter((_hash32(key_bytes(v)) for v in values), dtype=np.uint64, count=len(values))
    except (TypeError, ValueError) as error:
        raise type(error)(f"partition_key_values: {error}") from None


def _check_hashes(hashes: Any) -> np.ndarray:
    """32-bit hashes as ``key_hashes`` makes them: a 1-D array of integers from 0 to 2**32 - 1."""
    array = np.asarray(hashes) if isinstance(hashes, list | tuple | np.ndarray) else None
    if array is None or array.ndim != 1 or not (array.size == 0 or np.issubdtype(array.dtype, np.integer)):
        raise checks.ParameterTypeError(tr("hashes must be a 1-D array of integers from 0 to 2**32 - 1 (from "
                                           "key_hashes), got {hashes!r:.60}", hashes=hashes))
    if array.size and (int(array.min()) < 0 or int(array.max()) >= 2**32):
        raise ValueError(tr("hashes must be integers from 0 to 2**32 - 1 (from key_hashes), got values from {min} to "
                            "{max}", min=int(array.min()), max=int(array.max())))
    return array.astype(np.uint64)


def partition_indices(partition_key_values: Iterable[Any] | None, partition_count: int, *,
                      hashes: np.ndarray | None = None) -> np.ndarray:
    """The vectorised ``partition_index``: an int64 array, one partition per key.

    Pass precomputed ``hashes`` (from ``key_hashes``) to skip hashing: the simulator places a million requests
    by indexing the hashes of its key vocabulary.
    """
    count = _check_partition_count(partition_count)
    if hashes is None:
        if partition_key_values is None:
            raise ValueError(tr("give partition_key_values or hashes"))
        hashes = key_hashes(partition_key_values)
    else:
        hashes = _check_hashes(hashes)
    return ((hashes * np.uint64(count)) >> np.uint64(32)).astype(np.int64)
