"""Recording call events in the database: idempotent, order-independent upserts."""
from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core import callbacks as callback_policy
from ..core import callstatus
from ..core.events import Event, Kind
from ..core.records import CallRecord, apply
from . import callbackstore
from .models import Call, CallEvent, CallLeg
from .sql import epoch, insert_ignore, utc

#: Event kinds that change the call's own row.
_CALL_KINDS = frozenset({Kind.RECEIVED, Kind.LANGUAGE, Kind.OFFERED, Kind.NO_ONE_FREE, Kind.BLOCKED,
                         Kind.ACCEPTED, Kind.NOT_CONNECTED, Kind.CONNECTED, Kind.ENDED, Kind.VOICEMAIL,
                         Kind.OVERFLOW, Kind.HOLD_LEFT, Kind.CALLBACK_REQUESTED})
REACHED_INBOUND = "reached on an inbound call"
#: Identifiers travel with the "received" event but are kept out of the event log's data.
_IDENTIFIER_FIELDS = ("caller_hash", "caller_enc")


def record(session: Session, event: Event) -> bool:
    """Store one event and fold it into its call; False if it was stored before."""
    data = dict(event.data)
    identifiers = {name: data.pop(name) for name in _IDENTIFIER_FIELDS if name in data}
    inserted = insert_ignore(session, CallEvent, {
        "key": event.key, "at": utc(event.at), "call_sid": event.call_sid,
        "staff_id": event.staff_id, "event": event.kind.value, "data": data,
    }, conflict=["key"])
    if not inserted:
        return False
    if event.call_sid and event.kind in _CALL_KINDS:
        _merge_call(session, event, identifiers)
    if event.call_sid and event.kind is Kind.LEG_STATUS:
        if data.get("leg") == "caller":
            _merge_call(session, event, {})
        elif data.get("leg_sid"):
            _merge_leg(session, event)
    return True


def _locked(session: Session, model: type, key: str, defaults: dict[str, object]) -> object:
    """The row with this primary key, created if missing, locked for this transaction."""
    insert_ignore(session, model, defaults, conflict=[next(iter(defaults))])
    column = getattr(model, next(iter(defaults)))
    return session.execute(select(model).where(column == key).with_for_update()).scalar_one()


def _merge_call(session: Session, event: Event, identifiers: Mapping[str, object]) -> None:
    assert event.call_sid is not None
    row = _locked(session, Call, event.call_sid, {"sid": event.call_sid, "direction": "inbound",
                                                 "outcome": "in_progress", "voicemail": False,
                                                 "overflowed": False, "blocked": False,
                                                 "callback_requested": False})
    assert isinstance(row, Call)
    merged = apply(_to_record(row), event)
    row.received_at = utc(merged.received_at)
    row.queued_at = utc(merged.queued_at)
    row.line = merged.line
    row.language = merged.language
    row.status = merged.status
    row.staff_id = merged.staff_id
    row.answered_at = utc(merged.answered_at)
    row.withdrawn_at = utc(merged.withdrawn_at)
    row.ended_at = utc(merged.ended_at)
    row.talk_seconds = merged.talk_seconds
    row.held_seconds = merged.held_seconds
    row.voicemail, row.overflowed, row.blocked = merged.voicemail, merged.overflowed, merged.blocked
    row.callback_requested = merged.callback
    row.outcome = merged.outcome
    row.wait_seconds = merged.wait_seconds
    if identifiers.get("caller_hash") and row.caller_hash is None:
        row.caller_hash = str(identifiers["caller_hash"])
        row.caller_enc = str(identifiers.get("caller_enc") or "") or None
    if event.kind in (Kind.ACCEPTED, Kind.RECEIVED) and row.caller_hash and row.staff_id is not None:
        # The caller reached a person: their open callback request has been answered.
        callbackstore.close_open(session, row.caller_hash, callback_policy.COMPLETED, utc(event.at) or _now(),
                                 REACHED_INBOUND)
    if event.kind is Kind.NOT_CONNECTED and row.caller_hash and row.staff_id is None:
        # ... but that acceptance never reached the caller: the request it closed is open again.
        accepted = event.data.get("accepted_at")
        since = utc(float(accepted) - 0.001) if isinstance(accepted, int | float) else None
        if since is not None:
            callbackstore.reopen(session, row.caller_hash, REACHED_INBOUND, since, utc(event.at) or _now())


def _to_record(row: Call) -> CallRecord:
    return CallRecord(
        sid=row.sid, received_at=epoch(row.received_at), queued_at=epoch(row.queued_at), line=row.line,
        language=row.language,
        status=row.status, staff_id=row.staff_id, answered_at=epoch(row.answered_at),
        withdrawn_at=epoch(row.withdrawn_at),
        ended_at=epoch(row.ended_at), talk_seconds=row.talk_seconds, held_seconds=row.held_seconds,
        callback=bool(row.callback_requested), voicemail=bool(row.voicemail),
        overflowed=bool(row.overflowed), blocked=bool(row.blocked))


def _merge_leg(session: Session, event: Event) -> None:
    leg_sid = str(event.data["leg_sid"])
    row = _locked(session, CallLeg, leg_sid, {"sid": leg_sid, "call_sid": event.call_sid,
                                             "staff_id": event.staff_id})
    assert isinstance(row, CallLeg)
    status = str(event.data.get("status") or "")
    row.status = callstatus.later(row.status, status)
    seen = epoch(row.first_seen_at)
    row.first_seen_at = utc(event.at if seen is None else min(seen, event.at))
    if callstatus.is_final(status):
        ended = epoch(row.ended_at)
        row.ended_at = utc(event.at if ended is None else max(ended, event.at))


def _now() -> datetime:
    return datetime.now(UTC)
