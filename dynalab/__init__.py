"""dynalab: see and touch how Amazon DynamoDB spends capacity, scales, partitions and streams.

The public face of the package. Names load lazily from the module that holds them (one idea per module), so
``import dynalab`` stays fast and a lesson only pays for what it uses.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> the module that defines it. Each lesson's module adds its own entries here.
_EXPORTS: dict[str, str] = {
    # foundation
    "connect": "dynalab.engine",
    "Lab": "dynalab.engine",
    "EngineUnreachableError": "dynalab.engine",
    "stop_embedded_engine": "dynalab.engine",
    "create_table": "dynalab.tables",
    "delete_table": "dynalab.tables",
    "wait_until_active": "dynalab.tables",
    "bulk_load": "dynalab.tables",
    "Progress": "dynalab.progress",
    "Question": "dynalab.exercises",
    "self_check": "dynalab.exercises",
    "sample_songs": "dynalab.sample_data",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        try:  # a submodule, e.g. dynalab.engine
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError:
            raise AttributeError(f"module 'dynalab' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
