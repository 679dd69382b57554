"""Persisting the call-event stream to the database, idempotently.

Events are acknowledged only after their transaction commits, so a recorder killed
mid-batch loses nothing: its pending events are read again (by itself on restart, or by
another recorder after ``RECLAIM_IDLE_MS``). The upserts make a second write harmless.
An event the database refuses (bad data, not an outage) goes to a dead-letter stream
instead of blocking every event behind it.
"""
from __future__ import annotations

import logging
import os
import socket
import threading

from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from callcenter.core.events import Event
from callcenter.services.helpline import Helpline
from callcenter.store import calllog, keys
from callcenter.store.events import encode

log = logging.getLogger(__name__)
RECLAIM_IDLE_MS = 60_000
DEAD_LETTERS = f"{keys.TAG}:events:dead"


def consumer_name() -> str:
    """This process's name in the recorder group."""
    return f"{socket.gethostname()}-{os.getpid()}"


class Recorder:
    """Reads the event stream as one consumer of the recorder group."""

    def __init__(self, helpline: Helpline, consumer: str | None = None, batch: int = 200) -> None:
        self.h = helpline
        self.consumer = consumer or consumer_name()
        self.batch = batch
        self.h.events.ensure_group()

    def drain(self, block_ms: int | None = None) -> int:
        """Record what is waiting (own pending first, then abandoned, then new); returns how many."""
        stream = self.h.events
        entries = stream.read(self.consumer, self.batch, pending=True)
        if not entries:
            entries = stream.reclaim(self.consumer, RECLAIM_IDLE_MS, self.batch)
        if not entries:
            entries = stream.read(self.consumer, self.batch, block_ms=block_ms)
        if not entries:
            return 0
        self._persist(entries)
        return len(entries)

    def drain_all(self) -> int:
        """Record until the stream is empty (tests, the sweep)."""
        total = 0
        while (count := self.drain()) > 0:
            total += count
        return total

    def _persist(self, entries: list[tuple[str, Event]]) -> None:
        try:
            with self.h.database.session() as session:
                for _, event in entries:
                    calllog.record(session, event)
        except OperationalError:
            raise  # the database is down: keep the events pending, try again later
        except (DBAPIError, SQLAlchemyError):
            self._one_by_one(entries)
            return
        self.h.events.ack([entry_id for entry_id, _ in entries])

    def _one_by_one(self, entries: list[tuple[str, Event]]) -> None:
        for entry_id, event in entries:
            try:
                with self.h.database.session() as session:
                    calllog.record(session, event)
            except OperationalError:
                raise
            except (DBAPIError, SQLAlchemyError) as exc:
                log.error("event %s (%s) refused by the database: %s; moved to %s", event.key,
                          event.kind.value, type(exc).__name__, DEAD_LETTERS)
                self.h.redis.xadd(DEAD_LETTERS, {**encode(event), "error": type(exc).__name__})
            self.h.events.ack([entry_id])

    def run(self, stop: threading.Event, block_ms: int = 1000) -> None:
        """Record until ``stop`` is set; back off while the database is down."""
        delay = 1.0
        while not stop.is_set():
            try:
                self.drain(block_ms=block_ms)
                delay = 1.0
            except Exception as exc:  # noqa: BLE001 - the loop must survive any outage
                log.warning("recorder paused %.0fs: %s", delay, type(exc).__name__)
                stop.wait(delay)
                delay = min(delay * 2, 30.0)
