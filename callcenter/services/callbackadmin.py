"""Callback requests as supervisors see them: listed with masked numbers, cancelled with a reason."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..core import callbacks as policy
from ..store.identifiers import mask
from ..store.models import CallbackRequest
from . import callbacks
from .helpline import Helpline


@dataclass(frozen=True)
class RequestLine:
    """One request in a list: nothing that identifies the caller beyond the last four digits."""

    id: int
    status: str
    source: str
    masked: str
    attempts: int
    when: str


def list_requests(h: Helpline, status: str = "open", limit: int = 200) -> list[RequestLine]:
    """Requests in a state ("open": pending or in progress), oldest place in line first."""
    states = policy.OPEN if status == "open" else (status,)
    with h.database.session() as session:
        rows = session.scalars(select(CallbackRequest).where(CallbackRequest.status.in_(states))
                               .order_by(CallbackRequest.original_call_at, CallbackRequest.id).limit(limit))
        return [RequestLine(r.id, r.status, r.source, mask(h.identifiers.reveal(r.number_enc)), r.attempts,
                            (r.closed_at or r.next_attempt_at or r.requested_at).isoformat(timespec="minutes"))
                for r in rows]


def cancel(h: Helpline, request_id: int, reason: str) -> None:
    """Close an open request as cancelled (ValueError if it is not open)."""
    with h.database.session() as session:
        request = session.get(CallbackRequest, request_id, with_for_update=True)
        if request is None or request.status not in policy.OPEN:
            raise ValueError(f"request_id: no open callback request {request_id}")
        request.status, request.closed_at = policy.CANCELLED, callbacks.now(h)
        request.closed_reason, request.next_attempt_at = f"cancelled: {reason[:150]}", None
        request.current_attempt_id = None
