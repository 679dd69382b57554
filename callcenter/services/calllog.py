"""The call log as supervisors search it: filters, search by number, pages, one call's story.

Numbers are shown masked; the full number is a separate, audited action (``unmask``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select

from .. import numbers
from ..store.identifiers import mask
from ..store.models import Call, CallbackRequest, CallEvent, CallLeg, Staff
from . import metrics
from .helpline import Helpline

PAGE_SIZE = 50


@dataclass(frozen=True)
class CallFilter:
    """What the call log is narrowed to (all optional)."""

    first: date | None = None
    last: date | None = None
    line: str | None = None
    staff_id: int | None = None
    outcome: str | None = None
    disposition: str | None = None
    number: str | None = None
    page: int = 1


@dataclass(frozen=True)
class CallLine:
    """One call in the log (the number masked)."""

    sid: str
    received_at: str | None
    line: str | None
    language: str | None
    outcome: str
    staff: str | None
    wait_seconds: float | None
    talk_seconds: int | None
    held_seconds: int | None
    disposition: str | None
    number: str


@dataclass
class CallPage:
    """A page of the log."""

    calls: list[CallLine]
    total: int
    page: int
    pages: int
    filters: dict[str, Any] = field(default_factory=dict)


def _query(h: Helpline, f: CallFilter) -> Select[Any]:
    query: Select[Any] = select(Call, Staff.name).outerjoin(Staff, Staff.id == Call.staff_id)  # type: ignore[assignment]
    if f.first or f.last:
        span = metrics.period(h, f.first, f.last)
        query = query.where(Call.received_at >= span.start, Call.received_at < span.end)
    if f.line:
        query = query.where(Call.line == f.line)
    if f.staff_id:
        query = query.where(Call.staff_id == f.staff_id)
    if f.outcome:
        query = query.where(Call.outcome == f.outcome)
    if f.disposition:
        query = query.where(Call.disposition == f.disposition)
    if f.number:
        normalized = numbers.as_searched(f.number, h.callflow.callbacks.default_region)
        query = query.where(Call.caller_hash == (h.identifiers.lookup(normalized) if normalized else "none"))
    return query


def search(h: Helpline, f: CallFilter, page_size: int = PAGE_SIZE) -> CallPage:
    """A page of calls, newest first."""
    query = _query(h, f)
    with h.database.session() as session:
        total = session.scalar(select(func.count()).select_from(query.with_only_columns(Call.sid).subquery())) or 0
        page = max(1, f.page)
        rows = session.execute(query.order_by(Call.received_at.desc(), Call.sid)
                               .limit(page_size).offset((page - 1) * page_size)).all()
        lines = [_line(h, call, name) for call, name in rows]
    return CallPage(lines, total, page, max(1, -(-total // page_size)))


def _line(h: Helpline, call: Call, staff_name: str | None) -> CallLine:
    return CallLine(
        sid=call.sid, received_at=call.received_at.isoformat(timespec="seconds") if call.received_at else None,
        line=call.line, language=call.language, outcome=call.outcome, staff=staff_name,
        wait_seconds=round(call.wait_seconds, 1) if call.wait_seconds is not None else None,
        talk_seconds=call.talk_seconds, held_seconds=call.held_seconds, disposition=call.disposition,
        number=mask(h.identifiers.reveal(call.caller_enc)) if call.caller_enc else "withheld")


def each(h: Helpline, f: CallFilter, batch: int = 500) -> Any:
    """Every call matching the filter, for export (with the encrypted number kept for unmasking)."""
    query = _query(h, f).order_by(Call.received_at.desc(), Call.sid)
    offset = 0
    while True:
        with h.database.session() as session:
            rows = session.execute(query.limit(batch).offset(offset)).all()
            chunk = [(_line(h, call, name), call.caller_enc) for call, name in rows]
        yield from chunk
        if len(rows) < batch:
            return
        offset += batch


@dataclass(frozen=True)
class CallStory:
    """One call: its line in the log, its events, its staff legs, its callbacks, its notes."""

    call: CallLine
    events: list[dict[str, Any]]
    legs: list[dict[str, Any]]
    callbacks: list[dict[str, Any]]
    notes: str | None


def story(h: Helpline, sid: str) -> CallStory | None:
    """The call's detail, or None when there is no such call."""
    with h.database.session() as session:
        row = session.execute(select(Call, Staff.name).outerjoin(Staff, Staff.id == Call.staff_id)
                              .where(Call.sid == sid)).first()
        if row is None:
            return None
        call, name = row
        names = dict(session.execute(select(Staff.id, Staff.name)).all())
        events = [{"at": e.at.isoformat(timespec="seconds"), "event": e.event,
                   "staff": names.get(e.staff_id) if e.staff_id else None,
                   "detail": {k: v for k, v in (e.data or {}).items() if k not in ("caller_hash", "caller_enc")}}
                  for e in session.scalars(select(CallEvent).where(CallEvent.call_sid == sid)
                                           .order_by(CallEvent.at, CallEvent.id))]
        legs = [{"sid": leg.sid, "staff": names.get(leg.staff_id) if leg.staff_id else None, "status": leg.status}
                for leg in session.scalars(select(CallLeg).where(CallLeg.call_sid == sid))]
        requests = [{"id": r.id, "status": r.status, "source": r.source, "attempts": r.attempts}
                    for r in session.scalars(select(CallbackRequest).where(CallbackRequest.call_sid == sid))]
        notes = h.identifiers.reveal(call.notes_enc) if call.notes_enc else None
        return CallStory(_line(h, call, name), events, legs, requests, notes)


def full_number(h: Helpline, sid: str) -> str | None:
    """The caller's number (the caller of this must write an audit row)."""
    with h.database.session() as session:
        call = session.get(Call, sid)
        if call is None:
            raise LookupError(sid)
        return h.identifiers.reveal(call.caller_enc) if call.caller_enc else None
