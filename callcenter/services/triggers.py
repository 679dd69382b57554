"""Asking for a dispatch run: coalesced, so a burst of triggers queues one job."""
from __future__ import annotations

from ..store import keys
from .helpline import Helpline


def request_dispatch(h: Helpline) -> None:
    """Queue one dispatch job unless one is queued already (the job clears the flag as it starts)."""
    if h.redis.set(keys.DISPATCH_REQUESTED, "1", nx=True, ex=60):
        h.jobs.enqueue("workers.jobs.dispatch")
