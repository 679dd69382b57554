"""Staff live state: presence, misses and autopause, end of a call, wrap-up."""
from __future__ import annotations

import logging
import uuid

from ..core.events import Kind
from .events import emit
from .helpline import Helpline
from .triggers import request_dispatch

log = logging.getLogger(__name__)


def set_presence(h: Helpline, staff_id: int, presence: str, reason: str = "") -> str:
    """Set a staff member available / away / offline; returns the previous presence."""
    now_ms = h.now_ms()
    previous = h.board.set_presence(staff_id, presence, now_ms, reason)
    emit(h, Kind.PRESENCE, f"staff:{staff_id}:presence:{now_ms}:{presence}", staff_id=staff_id,
         presence=presence, previous=previous, reason=reason)
    if presence == "available":
        request_dispatch(h)
    log.info("presence staff=%s %s -> %s", staff_id, previous, presence)
    return previous


def staff_missed(h: Helpline, call_sid: str, staff_id: int, reason: str) -> None:
    """A staff member did not accept an offered call: count it once; K in a row set them away."""
    threshold = h.callflow.routing.autopause_after_misses
    misses, paused, counted = h.board.miss(call_sid, staff_id, autopause_after=threshold, now_ms=h.now_ms())
    if not counted:
        return
    emit(h, Kind.MISSED, f"{call_sid}:missed:{staff_id}", call_sid=call_sid, staff_id=staff_id,
         reason=reason, in_a_row=misses)
    request_dispatch(h)  # free again (unless now away): a held caller may be waiting
    if paused:
        emit(h, Kind.AUTOPAUSED, f"staff:{staff_id}:autopaused:{call_sid}", call_sid=call_sid,
             staff_id=staff_id, misses=misses)
        log.warning("staff=%s set away after %s missed calls in a row", staff_id, misses)


def accepted_not_connected(h: Helpline, call_sid: str, staff_id: int, reason: str) -> None:
    """A staff member pressed 1 but never got the caller (their leg ended first, or the bridge failed).

    They are no longer the call's winner, so the caller can be offered to someone else; their
    call ends for them as any other (a short wrap-up). Not counted as a miss: they did accept.
    The call log withdraws that acceptance: the call counts as answered only if someone else is.
    """
    accepted_at = float(h.flows.get(call_sid).get("answered_at") or h.clock())
    if not h.board.clear_winner(call_sid, staff_id):
        return
    end_staff_call(h, call_sid, staff_id)
    emit(h, Kind.NOT_CONNECTED, f"{call_sid}:not-connected:{staff_id}:{round(accepted_at * 1000)}",
         call_sid=call_sid, staff_id=staff_id, accepted_at=accepted_at, reason=reason)
    log.warning("call=%s: staff=%s accepted but was not connected (%s); the caller goes on", call_sid,
                staff_id, reason)


def end_staff_call(h: Helpline, call_sid: str, staff_id: int) -> None:
    """A staff member's call ended: wrap-up starts, and a job ends it on time."""
    seconds = h.callflow.routing.wrapup_seconds
    token = uuid.uuid4().hex[:16]
    now = h.clock()
    ended = h.board.end_call(call_sid, staff_id, wrapup_ms=seconds * 1000, token=token,
                             idle_since_ms=int((now + seconds) * 1000))
    if not ended:
        return
    emit(h, Kind.WRAPUP_STARTED, f"{call_sid}:wrapup:{staff_id}", call_sid=call_sid, staff_id=staff_id,
         seconds=seconds)
    if seconds:
        h.jobs.schedule("workers.jobs.end_wrapup", staff_id, token, delay_seconds=seconds,
                        job_id=f"wrapup-{staff_id}-{token}")
    else:
        emit(h, Kind.WRAPUP_ENDED, f"staff:{staff_id}:wrapup-end:{token}", staff_id=staff_id)
        request_dispatch(h)


def end_wrapup(h: Helpline, staff_id: int, token: str) -> bool:
    """End one wrap-up (on time, or early); the staff member is free for calls again."""
    ended_now = h.board.end_wrapup(staff_id, token, h.now_ms())  # False: its TTL ran out first
    newer = h.board.wrapup_token(staff_id)
    if newer is not None:
        return False  # a later call started a new wrap-up; that one will end by itself
    emit(h, Kind.WRAPUP_ENDED, f"staff:{staff_id}:wrapup-end:{token}", staff_id=staff_id,
         on_time=not ended_now)
    request_dispatch(h)
    return True
