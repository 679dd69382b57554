"""Finishing callback attempts nothing reported on: a lost call, a dead worker, a missed callback.

Nothing is dropped: an attempt past its deadline is ended with the best outcome known, and
its request goes back in line (or on to its next attempt).
"""
from __future__ import annotations

import logging
from datetime import timedelta

from twilio.base.exceptions import TwilioRestException

from ..core import callstatus
from ..store import callbackstore
from . import callbacks
from .callback_calls import caller_outcome, token
from .dispatch import _finish
from .helpline import Helpline
from .staff import end_staff_call

log = logging.getLogger(__name__)


def reconcile(h: Helpline) -> int:
    """End overdue attempts; returns how many were ended."""
    with h.database.session() as session:
        overdue = [(a.id, a.state, a.staff_id, a.staff_call_sid, a.caller_call_sid, a.answered_by or "")
                   for a in callbackstore.overdue_attempts(session, callbacks.now(h))]
    ended = 0
    for attempt_id, state, staff_id, staff_sid, caller_sid, answered_by in overdue:
        if state == "staff_accepted" and staff_sid and _still_talking(h, staff_sid):
            with h.database.session() as session:
                callbackstore.move_attempt(session, attempt_id, ("staff_accepted",), "staff_accepted",
                                           deadline_at=callbacks.now(h) + timedelta(
                                               seconds=h.callflow.routing.reaper_check_seconds))
            continue
        outcome = _outcome(h, state, caller_sid, answered_by)
        if staff_id is not None:
            if state == "staff_accepted":
                end_staff_call(h, token(attempt_id), staff_id)
            else:
                h.board.release(staff_id, token(attempt_id))
        if _finish(h, attempt_id, outcome) is not None:
            log.warning("callback attempt %s ended by the sweep: %s (it was %s)", attempt_id, outcome, state)
            ended += 1
    return ended


def _still_talking(h: Helpline, staff_sid: str) -> bool:
    try:
        return not callstatus.is_final(h.telephony.call_status(staff_sid))
    except (TwilioRestException, OSError):
        return True  # cannot tell now: check again later rather than guess


def _outcome(h: Helpline, state: str, caller_sid: str | None, answered_by: str) -> str:
    """The best outcome known; an unknown one is "not reached" so the caller is tried again."""
    if state != "staff_accepted":
        return "lost"
    return caller_outcome(h, caller_sid, answered_by) or "failed"
