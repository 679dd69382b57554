"""Callback requests as supervisors manage them: list (numbers masked), reassign, retry now,
cancel with a reason, mark done. Every change is audited."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..core import callbacks as policy
from ..store.identifiers import mask
from ..store.models import CallbackRequest, Staff
from . import audit, callbacks
from .audit import SYSTEM, Actor
from .helpline import Helpline
from .triggers import request_dispatch


@dataclass(frozen=True)
class RequestLine:
    """One request in a list: nothing that identifies the caller beyond the last four digits."""

    id: int
    status: str
    source: str
    masked: str
    attempts: int
    when: str
    last_outcome: str | None = None
    assigned: str | None = None
    language: str | None = None
    closed_reason: str | None = None


def list_requests(h: Helpline, status: str = "open", limit: int = 200) -> list[RequestLine]:
    """Requests in a state ("open": pending or in progress; "all"), oldest place in line first."""
    states = policy.OPEN if status == "open" else None if status == "all" else (status,)
    with h.database.session() as session:
        names = dict(session.execute(select(Staff.id, Staff.name)).all())
        query = select(CallbackRequest)
        if states is not None:
            query = query.where(CallbackRequest.status.in_(states))
        rows = session.scalars(query.order_by(CallbackRequest.original_call_at, CallbackRequest.id).limit(limit))
        return [RequestLine(r.id, r.status, r.source, mask(h.identifiers.reveal(r.number_enc)), r.attempts,
                            (r.closed_at or r.next_attempt_at or r.requested_at).isoformat(timespec="minutes"),
                            r.last_outcome, names.get(r.assigned_staff_id) if r.assigned_staff_id else None,
                            r.language, r.closed_reason)
                for r in rows]


def _open(session: object, request_id: int) -> CallbackRequest:
    request = session.get(CallbackRequest, request_id, with_for_update=True)  # type: ignore[attr-defined]
    if request is None or request.status not in policy.OPEN:
        raise ValueError(f"request_id: no open callback request {request_id}")
    return request  # type: ignore[no-any-return]


def cancel(h: Helpline, request_id: int, reason: str, actor: Actor = SYSTEM) -> None:
    """Close an open request as cancelled (ValueError if it is not open)."""
    _close(h, request_id, policy.CANCELLED, f"cancelled: {reason.strip()[:150] or 'no reason given'}", actor)


def mark_done(h: Helpline, request_id: int, actor: Actor = SYSTEM) -> None:
    """Close an open request as completed (the caller was reached some other way)."""
    _close(h, request_id, policy.COMPLETED, f"marked done by {actor.name}", actor)


def _close(h: Helpline, request_id: int, status: str, reason: str, actor: Actor) -> None:
    with h.database.session() as session:
        request = _open(session, request_id)
        request.status, request.closed_at = status, callbacks.now(h)
        request.closed_reason, request.next_attempt_at = reason, None
        request.current_attempt_id = None
    audit.record(h, actor, f"callback_{status}", "callback_request", request_id, reason=reason)


def retry_now(h: Helpline, request_id: int, actor: Actor = SYSTEM) -> None:
    """Make a waiting request due now (still only inside the caller's calling window)."""
    with h.database.session() as session:
        request = _open(session, request_id)
        if request.status != policy.PENDING:
            raise ValueError(f"request_id: request {request_id} is being called right now")
        zones = tuple(filter(None, request.time_zones.split(",")))
        request.next_attempt_at = policy.schedule(callbacks.now(h), zones, callbacks.calling_window(h.callflow),
                                                  request.consent_any_time)
    audit.record(h, actor, "callback_retry_now", "callback_request", request_id)
    request_dispatch(h)


def reassign(h: Helpline, request_id: int, staff_id: int | None, actor: Actor = SYSTEM) -> None:
    """Ask for a particular staff member to make this callback (None: whoever is free)."""
    with h.database.session() as session:
        request = _open(session, request_id)
        if staff_id is not None:
            member = session.get(Staff, staff_id)
            if member is None or not member.active:
                raise ValueError(f"staff_id: no active staff member {staff_id}")
        request.assigned_staff_id = staff_id
    audit.record(h, actor, "callback_reassigned", "callback_request", request_id, staff_id=staff_id)
    request_dispatch(h)
