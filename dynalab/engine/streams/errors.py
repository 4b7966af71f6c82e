"""The errors a stream reader raises (the projector's and the event source mapping's)."""

from __future__ import annotations

__all__ = ["BadRecordError", "InjectedCrash", "SourceTableChangedError", "StaleCheckpointError",
           "StreamNotEnabledError"]


class StreamNotEnabledError(ValueError):
    """The table has no stream (or one whose view type the projection cannot use)."""


class StaleCheckpointError(RuntimeError):
    """Checkpoints exist for a stream the table no longer has: records written in between were never read."""


class SourceTableChangedError(RuntimeError):
    """The table a reader's stream belongs to was deleted, or deleted and made again (its stream is a new one)."""


class BadRecordError(ValueError):
    """A stream record the projection cannot interpret. Nothing of it (or after it) was applied."""



class InjectedCrash(RuntimeError):
    """Raised by a fault hook to simulate the projector process dying at that point (tests, the lesson)."""
