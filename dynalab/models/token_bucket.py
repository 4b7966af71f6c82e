"""The token bucket: one mechanism behind burst capacity, live throttling and the daily quota on decreases.

A bucket fills at ``rate`` tokens per time unit up to ``capacity`` and is spent by requests. Time is whatever the
caller counts in (seconds for the live enforcer, minutes for the simulator): the bucket never reads a clock.
"""

from __future__ import annotations

from dynalab.i18n import tr

__all__ = ["TokenBucket"]


class TokenBucket:
    """``TokenBucket(rate=100, capacity=30_000, balance=0)``: fills at ``rate`` per time unit, holds ``capacity``."""

    __slots__ = ("balance", "capacity", "rate")

    def __init__(self, rate: float, capacity: float, balance: float = 0.0) -> None:
        if rate < 0 or capacity < 0:
            raise ValueError(tr("rate and capacity must be >= 0, got rate={rate!r}, capacity={capacity!r}",
                                rate=rate, capacity=capacity))
        self.rate = float(rate)
        self.capacity = float(capacity)
        self.balance = min(float(balance), self.capacity)

    def refill(self, elapsed: float) -> None:
        """Add ``rate * elapsed`` tokens, never past ``capacity``."""
        if elapsed > 0:
            self.balance = min(self.balance + self.rate * elapsed, self.capacity)

    def try_take(self, tokens: float = 1.0) -> bool:
        """Take ``tokens`` if the bucket holds that many (all or nothing)."""
        if self.balance >= tokens:
            self.balance -= tokens
            return True
        return False

    def spend(self, tokens: float) -> None:
        """Take ``tokens`` unconditionally (the balance may go below zero: a debt later refills pay back)."""
        self.balance -= tokens

    def take_up_to(self, tokens: float) -> float:
        """Take at most ``tokens``, as many as the bucket holds; returns how many were taken."""
        taken = max(0.0, min(tokens, self.balance))
        self.balance -= taken
        return taken

    def take_over(self, tokens: float, elapsed: float) -> float:
        """Take at most ``tokens`` asked for evenly over ``elapsed``; returns how many were taken.

        The tokens arriving meanwhile (``rate * elapsed``) and the balance serve the request; what is left is banked
        up to ``capacity``. For a constant ask this is the bucket's exact result over the interval, so a simulator
        can step in whole time units (the auto-scaling simulator steps in minutes) without losing the inflow of a
        full bucket.
        """
        available = self.balance + self.rate * elapsed if elapsed > 0 else self.balance
        taken = tokens if tokens < available else max(0.0, available)
        left = available - taken
        self.balance = left if left < self.capacity else self.capacity
        return taken

    def resize(self, rate: float, capacity: float) -> None:
        """New rate and size, keeping what is banked (clipped to the new size)."""
        self.rate = float(rate)
        self.capacity = float(capacity)
        self.balance = min(self.balance, self.capacity)

    def __repr__(self) -> str:
        return f"TokenBucket(rate={self.rate:g}, capacity={self.capacity:g}, balance={self.balance:g})"
