"""The stream of call events in Redis, waiting for the recorder to persist them.

Webhooks append here and return; a worker writes the events to the database with
idempotent upserts. Callers keep being answered while the database is briefly down.
"""
from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, cast

from redis import Redis
from redis.client import Pipeline
from redis.exceptions import ResponseError

from ..core.events import Event, Kind
from . import keys

GROUP = "recorder"


def encode(event: Event) -> dict[str, str]:
    """Stream fields of an event."""
    return {
        "key": event.key,
        "kind": event.kind.value,
        "at": repr(event.at),
        "call": event.call_sid or "",
        "staff": "" if event.staff_id is None else str(event.staff_id),
        "data": json.dumps(dict(event.data), sort_keys=True),
    }


def decode(fields: dict[str, str]) -> Event:
    """The event stored in stream fields."""
    return Event(
        key=fields["key"],
        kind=Kind(fields["kind"]),
        at=float(fields["at"]),
        call_sid=fields.get("call") or None,
        staff_id=int(fields["staff"]) if fields.get("staff") else None,
        data=json.loads(fields.get("data") or "{}"),
    )


class EventStream:
    """Append events; read, reclaim and acknowledge them as the recorder."""

    def __init__(self, redis: Redis, key: str = keys.EVENTS) -> None:
        self.redis = redis
        self.key = key

    def emit(self, events: Iterable[Event], pipe: Pipeline | None = None) -> None:
        """Append events (within ``pipe`` when given, else in one round trip)."""
        own = pipe is None
        target = self.redis.pipeline(transaction=False) if pipe is None else pipe
        for event in events:
            target.xadd(self.key, encode(event))  # type: ignore[arg-type]
        if own:
            target.execute()

    def ensure_group(self) -> None:
        """Create the recorder's consumer group (and the stream) if missing."""
        try:
            self.redis.xgroup_create(self.key, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def read(self, consumer: str, count: int = 200, block_ms: int | None = None,
             pending: bool = False) -> list[tuple[str, Event]]:
        """New events for this consumer, or (``pending``) those it read but never acknowledged."""
        reply = cast(list[tuple[str, list[tuple[str, dict[str, str]]]]] | None, self.redis.xreadgroup(
            GROUP, consumer, {self.key: "0" if pending else ">"}, count=count, block=block_ms))
        return [(entry_id, decode(fields)) for _, entries in (reply or []) for entry_id, fields in entries
                if fields]

    def reclaim(self, consumer: str, min_idle_ms: int, count: int = 200) -> list[tuple[str, Event]]:
        """Take over events another consumer read but did not acknowledge (it died)."""
        reply = cast(list[Any], self.redis.xautoclaim(self.key, GROUP, consumer, min_idle_ms, "0-0", count=count))
        return [(entry_id, decode(fields)) for entry_id, fields in reply[1] if fields]

    def ack(self, entry_ids: list[str]) -> None:
        """Acknowledge recorded events and drop them from the stream."""
        if entry_ids:
            pipe = self.redis.pipeline(transaction=False)
            pipe.xack(self.key, GROUP, *entry_ids)
            pipe.xdel(self.key, *entry_ids)
            pipe.execute()

    def backlog(self) -> int:
        """Events in the stream not yet recorded."""
        return int(self.redis.xlen(self.key))
