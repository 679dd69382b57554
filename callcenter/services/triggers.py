"""Asking for a dispatch run: coalesced, so a burst of triggers queues one job."""
from __future__ import annotations

from datetime import UTC, datetime

from ..store import keys
from .helpline import Helpline


def request_dispatch(h: Helpline) -> None:
    """Queue one dispatch job unless one is queued already (the job clears the flag as it starts)."""
    if h.redis.set(keys.DISPATCH_REQUESTED, "1", nx=True, ex=60):
        h.jobs.enqueue("workers.jobs.dispatch")


def dispatch_at(h: Helpline, when: datetime | None) -> None:
    """Run a dispatch when a deferred callback falls due (the periodic sweep is the safety net)."""
    if when is None:
        return
    delay = when.timestamp() - h.clock()
    if delay > 0:
        h.jobs.schedule("workers.jobs.dispatch", delay_seconds=delay,
                        job_id=f"dispatch-at-{when.astimezone(UTC):%Y%m%dT%H%M%S}")
