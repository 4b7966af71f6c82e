"""PartiQL through the pipeline (stub: filled in below)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dynalab.fidelity.call import Run

OPERATIONS = frozenset({"ExecuteStatement", "BatchExecuteStatement", "ExecuteTransaction"})


@dataclass
class Translation:
    runs: tuple[Run, ...] = ()
    tables: tuple[str, ...] = ()
    writes: bool = False
    problem: tuple[str, str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def translate(operation: str, request: dict, table_info: Any) -> Translation | None:
    return None
