"""The step clock: time that moves only when told, so a live throttling run prints the same numbers every run.

``enforce_throughput(..., clock=StepClock())`` reads it instead of the wall clock; a scenario calls
``clock.advance(seconds)`` between the requests of each simulated second.
"""

from __future__ import annotations

from dynalab.i18n import tr

__all__ = ["StepClock"]


class StepClock:
    """``clock()`` is the time in seconds; ``clock.advance(seconds)`` moves it on."""

    def __init__(self, start: float = 0.0) -> None:
        self.now = float(start)

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        if not seconds >= 0:  # also refuses NaN
            raise ValueError(tr("a clock only moves forward: seconds must be >= 0, got {seconds!r}", seconds=seconds))
        self.now += seconds
