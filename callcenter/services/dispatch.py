"""Handing free staff their next caller: held callers first, then callbacks in line order.

Triggered the moment a staff member becomes free (presence, wrap-up end, call end), when a
caller starts holding or asks for a callback, and by the periodic sweep.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from twilio.base.exceptions import TwilioRestException

from ..core import callbacks as policy
from ..core.routing import Strategy
from ..store import callbackstore, keys
from ..store.models import CallbackAttempt, CallbackRequest
from . import callbacks, calls, hold
from .helpline import Helpline
from .outbound import MaybePlaced, NotPlaced, place_call
from .ringall import voice_url
from .triggers import dispatch_at, request_dispatch

__all__ = ["dispatch", "place_attempt", "request_dispatch"]

log = logging.getLogger(__name__)
HELD_SCAN = 50
CALLBACK_SCAN = 20


@dataclass(frozen=True)
class Dispatched:
    """What one dispatch run did."""

    held: int
    callbacks: int


def dispatch(h: Helpline) -> Dispatched:
    """Match free staff with waiting callers until one side runs out."""
    h.redis.delete(keys.DISPATCH_REQUESTED)  # triggers from now on queue a new run
    return Dispatched(held=dispatch_held(h), callbacks=dispatch_callbacks(h))


def dispatch_held(h: Helpline) -> int:
    """Give each free staff member the longest-waiting held caller they can take."""
    handed = 0
    for call_sid in h.redis.zrange(keys.HOLD, 0, HELD_SCAN - 1):
        sid = str(call_sid)
        flow = h.flows.get(sid)
        if not flow or flow.get("ended") == "1":
            h.redis.zrem(keys.HOLD, sid)
            continue
        routing = h.callflow.routing
        ttl_ms = calls.reservation_seconds(h, routing.ring_seconds) * 1000
        reserved = calls.reserve_for(h, sid, flow.get("line") or h.callflow.default_line.id,
                                     flow.get("language") or h.callflow.default_language.code, ttl_ms,
                                     strategy=_single(routing.strategy))
        if not reserved:
            if not h.board.candidates(h.today(), flow.get("line") or "")[0]:
                break  # nobody free at all
            continue  # nobody for this caller's line or language; the next caller may fit
        if _hand_over(h, sid, reserved[0]):
            handed += 1
    return handed


def _single(strategy: Strategy) -> Strategy:
    """Held callers and callbacks go to one staff member at a time."""
    return Strategy.LONGEST_IDLE if strategy is Strategy.RING_ALL else strategy


def _hand_over(h: Helpline, call_sid: str, staff_id: int) -> bool:
    """Take the caller out of the queue and redirect their call into routing, reservation held."""
    score = h.redis.zscore(keys.HOLD, call_sid)
    if not h.redis.zrem(keys.HOLD, call_sid):  # another dispatcher (or a hang-up) got there first
        h.board.release(staff_id, call_sid)
        return False
    step = h.flows.next_step(call_sid)
    h.flows.update(call_sid, current=str(staff_id), tried="", attempts=0, ring_used=0, dispatched=1,
                   dispatch_step=step, dispatched_at=h.clock(), held=0)
    try:
        h.telephony.redirect(call_sid, voice_url(h, "/voice/route", s=step))
    except Exception as exc:  # noqa: BLE001 - whatever went wrong, the caller must not lose their place
        status = exc.status if isinstance(exc, TwilioRestException) else None
        h.board.release(staff_id, call_sid)
        h.flows.update(call_sid, current="", dispatched=0)
        if status == 404:
            log.info("held call %s is gone; not handed over", call_sid)
        else:  # still there, probably: back in line at the same place
            h.redis.zadd(keys.HOLD, {call_sid: score or h.clock()}, nx=True)
            log.warning("could not hand held call %s to staff (%s); it keeps its place", call_sid,
                        type(exc).__name__)
        return False
    hold.leave(h, call_sid, "answered", removed=True)
    hold.note_answered(h, call_sid)
    log.info("held call %s handed to staff %s", call_sid, staff_id)
    return True


def dispatch_callbacks(h: Helpline) -> int:
    """Place due callbacks, oldest place in line first, while staff are free."""
    placed = 0
    while True:
        placed_now, more = _callback_batch(h)
        placed += placed_now
        if not placed_now or not more:
            return placed


def _callback_batch(h: Helpline) -> tuple[int, bool]:
    """One batch of due requests: (placed, whether the batch was full)."""
    cf = h.callflow
    placed = 0
    with h.database.session() as session:
        due = [(r.id, r.line, r.language, tuple(filter(None, r.time_zones.split(","))), r.consent_any_time,
                r.preferred) for r in callbackstore.due(session, callbacks.now(h), cf.callbacks.order, CALLBACK_SCAN)]
    for request_id, line, language, zones, any_time, preferred in due:
        moment = callbacks.now(h)
        window = callbacks.calling_window(cf)
        if not policy.may_call(moment, zones, window, any_time, preferred):
            _defer(h, request_id, policy.first_attempt_at(moment, zones, window, any_time, preferred))
            continue
        if not h.board.candidates(h.today(), line or cf.default_line.id)[0]:
            return placed, False  # nobody free: the next free staff member triggers a new run
        if place_attempt(h, request_id, line or cf.default_line.id, language or cf.default_language.code):
            placed += 1
    return placed, len(due) == CALLBACK_SCAN


def _defer(h: Helpline, request_id: int, when: datetime) -> None:
    with h.database.session() as session:
        request = session.get(CallbackRequest, request_id)
        if request is not None and request.status == policy.PENDING:
            request.next_attempt_at = when
    dispatch_at(h, when)


def place_attempt(h: Helpline, request_id: int, line: str, language: str) -> bool:
    """Claim the request, reserve a staff member, and call them (agent first)."""
    cf = h.callflow
    moment = callbacks.now(h)
    offer_seconds = calls.reservation_seconds(h, cf.callbacks.staff_ring_seconds)
    deadline = moment + timedelta(seconds=offer_seconds)
    with h.database.session() as session:
        attempt = callbackstore.claim(session, request_id, moment, deadline)
        attempt_id = attempt.id if attempt else None
    if attempt_id is None:
        return False  # another worker took it, or it closed
    token = policy.attempt_owner(attempt_id)
    ttl_ms = offer_seconds * 1000
    with h.database.session() as session:
        request = session.get(CallbackRequest, request_id)
        assigned = request.assigned_staff_id if request else None
    reserved = h.board.reserve(token, [assigned], 1, ttl_ms) if assigned else []
    reserved = reserved or calls.reserve_for(h, token, line, language, ttl_ms, strategy=_single(cf.routing.strategy))
    if not reserved:
        _finish(h, attempt_id, "not_placed")
        return False
    staff_id = reserved[0]
    card = h.board.cards([staff_id]).get(staff_id)
    with h.database.session() as session:
        callbackstore.move_attempt(session, attempt_id, ("placing",), "placing", staff_id=staff_id)
    if card is None:
        h.board.release(staff_id, token)
        _finish(h, attempt_id, "not_placed")
        return False
    return _call_staff(h, attempt_id, staff_id, card.contact, token, line)


def _call_staff(h: Helpline, attempt_id: int, staff_id: int, contact: str, token: str, line: str) -> bool:
    cf = h.callflow
    try:
        sid = place_call(h, to=contact, from_=cf.caller_id(line), timeout=cf.callbacks.staff_ring_seconds,
                         url=voice_url(h, "/voice/callback/staff", attempt=attempt_id),
                         status_callback=voice_url(h, "/voice/callback/staff-status", attempt=attempt_id))
    except MaybePlaced:
        # Twilio may have placed it: status callbacks (or the deadline) will tell.
        log.warning("callback attempt %s: staff call maybe placed; reconciling from callbacks", attempt_id)
        return True
    except NotPlaced as exc:
        log.warning("callback attempt %s: staff call not placed (%s)", attempt_id, exc)
        h.board.release(staff_id, token)
        _finish(h, attempt_id, "not_placed")
        return False
    with h.database.session() as session:
        callbackstore.move_attempt(session, attempt_id, ("placing",), "staff_ringing", staff_call_sid=sid)
    log.info("callback attempt %s: calling staff %s", attempt_id, staff_id)
    return True


def _finish(h: Helpline, attempt_id: int, outcome: str) -> str | None:
    """End an attempt; a request that goes back in line gets a dispatch at its next attempt time."""
    cf = h.callflow
    with h.database.session() as session:
        status = callbackstore.finish(session, attempt_id, outcome, callbacks.now(h), callbacks.retry_policy(cf),
                                      callbacks.calling_window(cf))
        attempt = session.get(CallbackAttempt, attempt_id)
        request = session.get(CallbackRequest, attempt.request_id) if attempt else None
        due = request.next_attempt_at if request is not None and status == policy.PENDING else None
    dispatch_at(h, due)
    return status
