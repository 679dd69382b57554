"""Enqueueing RQ jobs. Jobs are named by dotted path and take ids, never phone numbers."""
from __future__ import annotations

from datetime import timedelta
from typing import Protocol

from redis import Redis
from rq import Queue, Retry

QUEUE = "callcenter"


class Jobs(Protocol):
    """What services need from a job queue (RQ in production, a list in unit tests)."""

    def enqueue(self, func: str, *args: int | str, job_id: str | None = None) -> None: ...

    def schedule(self, func: str, *args: int | str, delay_seconds: float, job_id: str | None = None) -> None: ...


class RQJobs:
    """Jobs on an RQ queue (its Redis client must not decode responses)."""

    def __init__(self, connection: Redis, name: str = QUEUE) -> None:
        self.queue = Queue(name, connection=connection)

    def enqueue(self, func: str, *args: int | str, job_id: str | None = None) -> None:
        self.queue.enqueue(func, *args, job_id=job_id, retry=Retry(max=3, interval=[1, 5, 15]),
                           result_ttl=600, failure_ttl=7 * 24 * 3600)

    def schedule(self, func: str, *args: int | str, delay_seconds: float, job_id: str | None = None) -> None:
        self.queue.enqueue_in(timedelta(seconds=max(0.0, delay_seconds)), func, *args, job_id=job_id,
                              retry=Retry(max=3, interval=[1, 5, 15]), result_ttl=600,
                              failure_ttl=7 * 24 * 3600)
