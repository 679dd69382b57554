"""The hunt budget: how long a caller is offered to staff before the "no one free" path."""
from __future__ import annotations

from dataclasses import dataclass

#: Ringing a phone for less than this is not a fair chance to answer.
MIN_RING_SECONDS = 5


@dataclass(frozen=True)
class HuntBudget:
    """Limits of one caller's hunt: attempts, seconds of ringing in all, seconds per ring."""

    max_attempts: int
    max_ring_seconds: int
    ring_seconds: int


@dataclass(frozen=True)
class HuntProgress:
    """What the hunt has used so far."""

    attempts: int = 0
    ring_seconds_used: int = 0

    def after(self, rang_seconds: int) -> HuntProgress:
        """The progress once one more attempt has rung for ``rang_seconds``."""
        return HuntProgress(self.attempts + 1, self.ring_seconds_used + max(0, rang_seconds))


def next_ring_timeout(budget: HuntBudget, progress: HuntProgress) -> int | None:
    """Seconds to ring on the next attempt, or None when the budget is spent."""
    if progress.attempts >= budget.max_attempts:
        return None
    remaining = budget.max_ring_seconds - progress.ring_seconds_used
    if remaining < MIN_RING_SECONDS:
        return None
    return min(budget.ring_seconds, remaining)
