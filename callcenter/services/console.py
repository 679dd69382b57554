"""The staff console: one's own presence, the call one is on, wrap-up, one's callbacks.

The console never shows a caller's number: staff reach callers through the service.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any, cast

from sqlalchemy import or_, select

from ..core import callbacks as policy
from ..store import keys
from ..store.models import Call, CallbackAttempt, CallbackRequest
from ..store.sql import insert_ignore
from . import audit, callbacks, staff
from .accounts import User
from .helpline import Helpline

log = logging.getLogger(__name__)


class ConsoleError(ValueError):
    """A console action that cannot be done; the message says why (and names the field)."""


@dataclass(frozen=True)
class CurrentCall:
    """The call a staff member is on: what they may know of it."""

    kind: str  # live | callback
    line: str
    language: str
    waited_seconds: int | None
    asked_at: str | None = None


def view(h: Helpline, user: User) -> dict[str, Any]:
    """Everything the console shows, as JSON-ready data."""
    found = h.board.live([user.id])
    live = found[0] if found else None
    card = cast(dict[str, str], h.redis.hgetall(keys.staff(user.id)))
    wrapup_ttl = cast(int, h.redis.pttl(keys.wrapup(user.id)))
    last_call = card.get("last_call")
    return {
        "presence": live.presence if live else "offline",
        "reason": live.reason if live else "",
        "activity": live.activity if live else "offline",
        "presence_since": float(card.get("presence_at") or 0) / 1000 or None,
        "on_phone_list": live is not None,
        "call": asdict(call) if (call := current_call(h, live.busy_with if live else None)) else None,
        "wrapup_seconds_left": max(0, wrapup_ttl // 1000) if wrapup_ttl and wrapup_ttl > 0 else 0,
        "wrapup_call": last_call if last_call and policy.attempt_of(last_call) is None and not _wrapped(h, last_call)
        else None,
        "dispositions": [{"code": d.code, "label": d.label} for d in h.callflow.dispositions],
    }


def current_call(h: Helpline, owner: str | None) -> CurrentCall | None:
    """What a staff member may see of the call (or callback) they are reserved for or on."""
    if not owner:
        return None
    cf = h.callflow
    attempt_id = policy.attempt_of(owner)
    if attempt_id is not None:
        with h.database.session() as session:
            attempt = session.get(CallbackAttempt, attempt_id)
            request = session.get(CallbackRequest, attempt.request_id) if attempt else None
            if request is None:
                return None
            asked = (request.original_call_at or request.requested_at).isoformat(timespec="minutes")
            return CurrentCall("callback", cf.line(request.line).name, cf.language(request.language).name, None,
                               asked)
    flow = h.flows.get(owner)
    waited = None
    if flow.get("answered_at") and flow.get("received_at"):
        waited = round(float(flow["answered_at"]) - float(flow["received_at"]))
    return CurrentCall("live", cf.line(flow.get("line")).name, cf.language(flow.get("language")).name, waited)


def _wrapped(h: Helpline, call_sid: str) -> bool:
    return bool(h.redis.exists(keys.wrapped(call_sid)))


def set_presence(h: Helpline, user: User, presence: str, reason: str = "") -> str:
    """A staff member says they are available, away (with a reason) or offline."""
    if presence not in ("available", "away", "offline"):
        raise ConsoleError("presence: must be available, away or offline")
    if user.id not in h.board.known_ids():
        raise ConsoleError("presence: your account has no phone to ring; ask an admin to add one")
    return staff.set_presence(h, user.id, presence, reason.strip()[:80] if presence == "away" else "")


def wrap_up(h: Helpline, user: User, call_sid: str, disposition: str, notes: str) -> None:
    """Save what came of the call (and private notes); an early save ends the wrap-up time."""
    codes = {d.code for d in h.callflow.dispositions}
    if disposition not in codes:
        raise ConsoleError("disposition: choose one of the listed outcomes")
    if len(notes) > 4000:
        raise ConsoleError("notes: at most 4000 characters")
    taker = h.board.winner(call_sid)
    with h.database.session() as session:
        row = session.get(Call, call_sid)
        took_it = (row is not None and row.staff_id == user.id) or taker == user.id
        if not took_it:
            raise ConsoleError("call: you can only wrap up a call you took")
        insert_ignore(session, Call, {"sid": call_sid, "direction": "inbound", "outcome": "answered",
                                      "voicemail": False, "overflowed": False, "blocked": False,
                                      "callback_requested": False}, conflict=["sid"])
        row = session.get(Call, call_sid)
        assert row is not None
        row.disposition, row.wrapped_up_by, row.wrapped_up_at = disposition, user.id, callbacks.now(h)
        row.notes_enc = h.identifiers.seal(notes.strip()) if notes.strip() else None
    h.redis.set(keys.wrapped(call_sid), disposition, ex=7 * 24 * 3600)
    audit.record(h, user.actor(), "wrap_up", "call", call_sid, disposition=disposition)
    token = h.board.wrapup_token(user.id)
    if token and h.redis.hget(keys.staff(user.id), "last_call") == call_sid:
        staff.end_wrapup(h, user.id, token)  # saved: ready for the next call now


def my_callbacks(h: Helpline, user: User, limit: int = 50) -> list[dict[str, Any]]:
    """Callbacks assigned to or attempted by this staff member, newest first (no numbers)."""
    cf = h.callflow
    with h.database.session() as session:
        attempted = select(CallbackAttempt.request_id).where(CallbackAttempt.staff_id == user.id)
        requests = session.scalars(select(CallbackRequest).where(or_(
            CallbackRequest.assigned_staff_id == user.id, CallbackRequest.id.in_(attempted)))
            .order_by(CallbackRequest.requested_at.desc()).limit(limit))
        return [{"id": r.id, "status": r.status, "source": r.source, "attempts": r.attempts,
                 "last_outcome": r.last_outcome, "language": cf.language(r.language).name,
                 "asked_at": (r.original_call_at or r.requested_at).isoformat(timespec="minutes")}
                for r in requests]
