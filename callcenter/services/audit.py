"""The audit trail: one row for each view, unmask, export or change of protected records."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..store.models import AuditEntry
from . import callbacks
from .helpline import Helpline


@dataclass(frozen=True)
class Actor:
    """Who did something, and from where."""

    id: int | None
    name: str
    address: str | None = None


SYSTEM = Actor(None, "system")


def record(h: Helpline, actor: Actor, action: str, target_type: str, target_id: str | int,
           **detail: Any) -> int:
    """Write one audit row (in its own transaction); returns its id."""
    with h.database.session() as session:
        entry = AuditEntry(at=callbacks.now(h), actor=actor.name[:120], actor_id=actor.id, action=action[:40],
                           target_type=target_type[:40], target_id=str(target_id)[:80],
                           address=(actor.address or None) and actor.address[:64], detail=detail)
        session.add(entry)
        session.flush()
        return int(entry.id)
