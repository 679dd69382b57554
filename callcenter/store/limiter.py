"""One outbound-call rate limiter shared by every worker, through Redis."""
from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable

from redis import Redis

from . import keys
from .scripts import Scripts

#: Added to every window so that network jitter between the grant and Twilio receiving
#: the request cannot squeeze two requests into one window at the far end.
JITTER_MARGIN_MS = 60


def allow(scripts: Scripts, name: str, grants: int, window_ms: int) -> int:
    """One request against a sliding-window limit: 0 if allowed, else milliseconds to wait."""
    return int(scripts.limit(keys=[keys.limiter(name)], args=[grants, window_ms, uuid.uuid4().hex]))


class RateLimiter:
    """At most ``rate`` grants per second in any window, across all processes."""

    def __init__(self, redis: Redis, scripts: Scripts, name: str, rate_per_second: float,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if rate_per_second <= 0:
            raise ValueError("rate_per_second must be positive")
        self.key = keys.limiter(name)
        self.scripts = scripts
        self.sleep = sleep
        self.grants = max(1, math.floor(rate_per_second))
        self.window_ms = int(round(1000 * self.grants / rate_per_second)) + JITTER_MARGIN_MS

    def try_acquire(self) -> int:
        """0 if granted now, else milliseconds to wait before trying again."""
        return int(self.scripts.limit(keys=[self.key], args=[self.grants, self.window_ms, uuid.uuid4().hex]))

    def acquire(self, timeout: float = 60.0) -> bool:
        """Wait for a grant; False if none came within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            wait_ms = self.try_acquire()
            if wait_ms == 0:
                return True
            if time.monotonic() + wait_ms / 1000 > deadline:
                return False
            self.sleep(wait_ms / 1000)
