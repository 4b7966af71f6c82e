"""The guard phase (``Phase.GUARD``), first of all and on even when ``lab.fidelity.enabled`` is False: on AWS,
no request reaches a table that is not dynalab's own (``dynalab.fidelity.aws_guard`` decides; this phase only
calls it, with every table the call names, a PartiQL statement's included)."""

from __future__ import annotations

from dynalab.fidelity.aws_guard import AwsTableGuard
from dynalab.fidelity.call import Call, Phase

__all__ = ["Guard"]


class Guard:
    """Refuses, before anything else runs, any call naming a table without ``prefix``."""

    phase = Phase.GUARD

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._guard = AwsTableGuard(prefix)

    def before_call(self, call: Call) -> None:
        request = call.request
        if call.translation is not None:  # PartiQL: the tables its statements name
            request = {**request, "RequestItems": {table: [] for table in call.translation.tables}}
        self._guard.before_call(call.operation, {}, {"dynalab_request": request})
