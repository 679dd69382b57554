"""Simulated time: real time multiplied by a speed factor."""
from __future__ import annotations

import asyncio
import time


class Clock:
    """Speed 10 makes a 20 s ring last 2 real seconds; HTTP timeouts are not scaled."""

    def __init__(self, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._start = time.monotonic()

    def now(self) -> float:
        """Simulated seconds since the clock started."""
        return (time.monotonic() - self._start) * self.speed

    def real(self, seconds: float) -> float:
        """Real seconds that ``seconds`` of simulated time take."""
        return max(0.0, seconds) / self.speed

    async def sleep(self, seconds: float) -> None:
        """Wait ``seconds`` of simulated time."""
        await asyncio.sleep(self.real(seconds))
