"""The capacity meter: DynamoDB's capacity units for every call made through a lab's clients (``Phase.METER``).

``meter`` holds the ``Meter`` (the phase, its totals, log and reading API: ``lab.meter``); ``units`` counts a run's
units by DynamoDB's charge rules; ``statements`` takes a PartiQL answer apart into the answers of the operations
its statements ran; ``answer`` writes ConsumedCapacity as DynamoDB does.
"""

from __future__ import annotations

from dynalab.fidelity.call import IndexUnits, TableUnits
from dynalab.fidelity.catalog import TableInfo
from dynalab.fidelity.metering.meter import ENGINES, Meter, MeterEntry
from dynalab.fidelity.old_items import ENGINES_WITH_REAL_UNITS, KnownSizes
from dynalab.fidelity.validation.indexes import GSI_CONSISTENT_READ

__all__ = ["ENGINES", "ENGINES_WITH_REAL_UNITS", "GSI_CONSISTENT_READ", "IndexUnits", "KnownSizes", "Meter",
           "MeterEntry", "TableInfo", "TableUnits"]
