"""Emitting call-log events from use cases (keys make them idempotent)."""
from __future__ import annotations

from ..core.events import Event, Kind, Scalar
from .helpline import Helpline


def emit(h: Helpline, kind: Kind, key: str, *, call_sid: str | None = None, staff_id: int | None = None,
         at: float | None = None, **data: Scalar) -> None:
    """Append one event to the stream the recorder persists."""
    h.events.emit([Event(key=key, kind=kind, at=h.clock() if at is None else at, call_sid=call_sid,
                         staff_id=staff_id, data=data)])
