"""The call log as supervisors search it: filters, search by number, pages, one call's story.

Numbers are shown masked; the full number is a separate, audited action (``unmask``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select

from .. import numbers
from ..settings import CallFlow
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
        rows = sorted(session.scalars(select(CallEvent).where(CallEvent.call_sid == sid)),
                      key=lambda e: (int(e.at.timestamp()), life_rank(e.event, e.data or {}), e.at, e.id))
        events = [{"at": e.at.isoformat(timespec="seconds"), "event": e.event,
                   "staff": names.get(e.staff_id) if e.staff_id else None,
                   "detail": {k: v for k, v in (e.data or {}).items() if k not in IDENTIFYING}}
                  for e in rows]
        legs = [{"sid": leg.sid, "staff": names.get(leg.staff_id) if leg.staff_id else None, "status": leg.status}
                for leg in session.scalars(select(CallLeg).where(CallLeg.call_sid == sid))]
        requests = [{"id": r.id, "status": r.status, "source": r.source, "attempts": r.attempts}
                    for r in session.scalars(select(CallbackRequest).where(CallbackRequest.call_sid == sid))]
        notes = h.identifiers.reveal(call.notes_enc) if call.notes_enc else None
        return CallStory(_line(h, call, name), events, legs, requests, notes)


# ---------------------------------------------------------------------- the timeline, as people read it

#: Event data that identifies the caller: never part of a story, not even for the API.
IDENTIFYING = frozenset({"caller_hash", "caller_enc", "caller", "from", "number", "to"})

#: Twilio's statuses of a call or leg, in the order they happen, then the final ones.
_LEG_ORDER = ("queued", "initiated", "ringing", "in-progress")
_LEG_FINAL = ("completed", "busy", "no-answer", "failed", "canceled")

#: A call's life in order: events recorded within the same second are listed in this order.
_LIFE = (
    "call.received", "caller:queued", "caller:initiated", "caller:ringing", "caller:in-progress",
    "call.blocked", "call.language", "call.no_one_free", "call.held", "call.hold_left", "call.offered",
    "staff:queued", "staff:initiated", "staff:ringing", "staff:in-progress", "call.accepted", "call.not_connected",
    "staff.reservation_expired", "call.connected", *(f"staff:{s}" for s in _LEG_FINAL), "call.missed",
    "staff.autopaused", "call.overflow", "call.callback_requested", "call.voicemail",
    *(f"caller:{s}" for s in _LEG_FINAL), "call.ended", "staff.wrapup_started", "staff.wrapup_ended",
    "staff.presence",
)
_RANK = {name: rank for rank, name in enumerate(_LIFE)}


def life_rank(event: str, data: dict[str, Any]) -> int:
    """Where an event comes in a call's life (received, language, offered, the staff phone's statuses
    initiated → ringing → answered, accepted, connected, the legs' ends, ended, wrap-up)."""
    if event == "leg.status":
        return _RANK.get(f"{data.get('leg') or 'caller'}:{data.get('status')}", len(_LIFE))
    return _RANK.get(event, len(_LIFE))


class Seconds(float):
    """A length of time in a timeline detail (the pages show it with their duration format)."""

    unit = "seconds"


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a call's timeline: when, what happened in words, who, and readable details."""

    at: str
    what: str
    staff: str | None
    details: list[tuple[str, Any]]
    event: str


_STATUS_WORDS = {"queued": "queued", "initiated": "dialling", "ringing": "ringing", "in-progress": "answered",
                 "completed": "call ended", "busy": "busy", "no-answer": "no answer", "failed": "failed",
                 "canceled": "stopped ringing"}
_CALLER_STATUS_WORDS = {**_STATUS_WORDS, "initiated": "started", "in-progress": "in progress",
                        "completed": "ended", "canceled": "hung up before an answer"}
_REASONS = {"no-answer": "no answer", "busy": "busy", "failed": "failed", "declined": "declined",
            "canceled": "stopped ringing", "hangup": "caller hung up", "answered": "handed to staff",
            "left": "caller chose another option", "timeout": "did not press 1 in time"}
_NO_ONE_FREE = {"menu": "menu: hold, callback or voicemail", "voicemail": "voicemail", "overflow": "overflow line"}
_SOURCES = {"phone": "phone menu", "voicemail": "voicemail", "web": "web form"}


def _words(table: dict[str, str], code: Any) -> str:
    text = str(code)
    return table.get(text) or text.replace("_", " ").replace("-", " ")


_IDENTIFYING_KEY = re.compile(r"caller|number|phone|contact|^from$|^to$|hash|_enc$|^enc|first_name|insurance",
                              re.IGNORECASE)


def identifying_key(key: str) -> bool:
    """Whether a detail named ``key`` holds (or could lead to) a caller's identity: never shown."""
    return key in IDENTIFYING or bool(_IDENTIFYING_KEY.search(key))


def describe(cf: CallFlow, event: str, data: dict[str, Any], staff: str | None) -> tuple[str, list[tuple[str, Any]]]:
    """An event in words, and its details worth reading (never anything that identifies the caller)."""
    who = staff or "a staff member"
    details: list[tuple[str, Any]] = []

    def add(name: str, value: Any) -> None:
        if value is not None and value != "":
            details.append((name, value))

    def seconds(key: str) -> Seconds | None:
        value = data.get(key)
        return Seconds(value) if isinstance(value, int | float) and not isinstance(value, bool) else None

    if event == "call.received":
        add("Line", cf.line(data["line"]).name if data.get("line") else None)
        add("Number withheld", bool(data.get("withheld")))
        return "Call received", details
    if event == "call.language":
        language = data.get("language")
        return (f"Caller chose {cf.language(language).name}" if language else "Language chosen"), details
    if event == "call.blocked":
        return "Blocked number: the caller was refused", details
    if event == "call.offered":
        add("Attempt", data.get("attempt"))
        return f"Offered to {who}", details
    if event == "call.missed":
        add("Why", _words(_REASONS, data["reason"]) if data.get("reason") else None)
        add("Missed in a row", data.get("in_a_row"))
        return f"Missed by {who}", details
    if event == "call.accepted":
        return f"Accepted by {who} (pressed 1)", details
    if event == "call.not_connected":
        add("Why", data.get("reason"))
        return f"{who} accepted but was not connected; the call went on", details
    if event == "call.connected":
        add("Talk time", seconds("talk_seconds"))
        return f"Talked with {who}", details
    if event == "call.ended":
        status = data.get("status")
        add("Status", _words(_CALLER_STATUS_WORDS, status) if status and status != "completed" else None)
        add("Call length", seconds("duration"))
        return "Call ended", details
    if event == "call.voicemail":
        add("Message length", seconds("seconds"))
        return "Voicemail left", details
    if event == "call.overflow":
        return "Sent to the overflow line", details
    if event == "call.no_one_free":
        add("Caller offered", _words(_NO_ONE_FREE, data["mode"]) if data.get("mode") else None)
        add("Staff offered the call", data.get("attempts"))
        return "No one free", details
    if event == "call.held":
        return "Caller holding", details
    if event == "call.hold_left":
        add("Held for", seconds("held_seconds"))
        add("Why", _words(_REASONS, data["reason"]) if data.get("reason") else None)
        return "Left the hold queue", details
    if event == "call.callback_requested":
        add("Request", f"#{data['request_id']}" if data.get("request_id") else None)
        add("From", _words(_SOURCES, data["source"]) if data.get("source") else None)
        add("Added to an earlier request", bool(data.get("merged")))
        return "Callback requested", details
    if event == "leg.status":
        status = str(data.get("status") or "")
        add("Length", seconds("duration"))
        if data.get("leg") == "staff":
            return f"{who}'s phone: {_words(_STATUS_WORDS, status)}", details
        return f"Caller's call: {_words(_CALLER_STATUS_WORDS, status)}", details
    if event == "staff.autopaused":
        add("Missed in a row", data.get("misses"))
        return f"{who} set away after missed calls", details
    if event == "staff.wrapup_started":
        add("Wrap-up time", seconds("seconds"))
        return f"{who} in wrap-up", details
    if event == "staff.wrapup_ended":
        if "on_time" in data:
            add("Ended", "when the time ran out" if data.get("on_time") else "early, when saved")
        return f"{who}'s wrap-up ended", details
    if event == "staff.reservation_expired":
        return f"Offer to {who} expired", details
    for key, value in data.items():  # an event this page does not know yet: its plain, safe details
        if not identifying_key(key) and key not in ("leg_sid", "recording_sid"):
            add(key.replace("_", " ").capitalize(), value)
    return event.split(".", 1)[-1].replace("_", " ").capitalize(), details


def timeline(cf: CallFlow, events: list[dict[str, Any]]) -> list[TimelineEntry]:
    """A story's events as people read them (already in the order of the call's life)."""
    entries = []
    for e in events:
        what, details = describe(cf, e["event"], e.get("detail") or {}, e.get("staff"))
        entries.append(TimelineEntry(at=e["at"], what=what[:1].upper() + what[1:], staff=e.get("staff"),
                                     details=details, event=e["event"]))
    return entries


def full_number(h: Helpline, sid: str) -> str | None:
    """The caller's number (the caller of this must write an audit row)."""
    with h.database.session() as session:
        call = session.get(Call, sid)
        if call is None:
            raise LookupError(sid)
        return h.identifiers.reveal(call.caller_enc) if call.caller_enc else None
