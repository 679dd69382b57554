"""Rate limiters shared by every process through Redis (outbound calls, the web form).

The outbound limiter counts each call from its grant until its REST request finished, so
"at most N calls in any one-second window" holds where Twilio receives them, not only
where they were granted: a request that left late still counts against the second it
might have arrived in.
"""
from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from redis import Redis

from . import keys
from .scripts import Scripts

#: A request still unfinished after this long is assumed to have arrived (its worker died).
MAX_FLIGHT_MS = 20_000


def allow(scripts: Scripts, name: str, grants: int, window_ms: int) -> int:
    """One request against a sliding-window limit: 0 if allowed, else milliseconds to wait."""
    return int(scripts.limit(keys=[keys.limiter(name)], args=[grants, window_ms, uuid.uuid4().hex, 0]))


class RateLimiter:
    """At most ``rate`` requests per second in any window, across all processes."""

    def __init__(self, redis: Redis, scripts: Scripts, name: str, rate_per_second: float,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if rate_per_second <= 0:
            raise ValueError("rate_per_second must be positive")
        self.key = keys.limiter(name)
        self.scripts = scripts
        self.sleep = sleep
        self.grants = max(1, math.floor(rate_per_second))
        self.window_ms = int(round(1000 * self.grants / rate_per_second))

    def try_acquire(self, grant: str) -> int:
        """0 if ``grant`` was given now, else milliseconds to wait before trying again."""
        return int(self.scripts.limit(keys=[self.key], args=[self.grants, self.window_ms, grant, MAX_FLIGHT_MS]))

    @contextmanager
    def slot(self, timeout: float = 60.0) -> Iterator[bool]:
        """Wait for a grant (yields False if none came in time); the request is made inside."""
        grant = uuid.uuid4().hex
        deadline = time.monotonic() + timeout
        granted = False
        while not granted:
            wait_ms = self.try_acquire(grant)
            granted = wait_ms == 0
            if not granted:
                if time.monotonic() + wait_ms / 1000 > deadline:
                    break
                self.sleep(wait_ms / 1000)
        try:
            yield granted
        finally:
            if granted:
                self.scripts.limit_done(keys=[self.key], args=[grant])
