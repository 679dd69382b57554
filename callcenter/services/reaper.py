"""Repairing state when Twilio never reports a call's end (nobody stays stuck "busy")."""
from __future__ import annotations

import logging

from twilio.base.exceptions import TwilioRestException

from ..core import callbacks as policy
from ..core import callstatus
from ..store.models import CallbackAttempt
from . import callback_calls
from .helpline import Helpline
from .staff import end_staff_call
from .status import StatusReport, report_status

log = logging.getLogger(__name__)
RETRY_SECONDS = 60


def reap(h: Helpline, limit: int = 100) -> int:
    """Ask Twilio about calls in progress whose check is due; end those that are over."""
    now_ms = h.now_ms()
    repaired = 0
    for owner, staff_id in h.board.talking_due(now_ms, limit):
        if h.board.holder(staff_id) != owner:
            h.board.forget_talking(owner, staff_id)  # ended normally; the list was stale
            continue
        attempt_id = policy.attempt_of(owner)
        try:
            status = _status_of(h, owner, attempt_id)
        except (TwilioRestException, OSError) as exc:
            log.warning("reaper could not check call=%s: %s", owner, type(exc).__name__)
            h.board.check_later(owner, staff_id, now_ms + RETRY_SECONDS * 1000)
            continue
        if status is None or not callstatus.is_final(status):
            h.board.check_later(owner, staff_id, now_ms + h.callflow.routing.reaper_check_seconds * 1000)
            continue
        log.warning("reaper ended call=%s staff=%s: Twilio reports %s, no status callback came",
                    owner, staff_id, status)
        if attempt_id is None:
            report_status(h, StatusReport(sid=owner, status=status))
        else:
            callback_calls.staff_leg_status(h, attempt_id, status)
        if h.board.holder(staff_id) == owner:  # its final status had been seen, effects lost
            end_staff_call(h, owner, staff_id)
        repaired += 1
    return repaired


def _status_of(h: Helpline, owner: str, attempt_id: int | None) -> str | None:
    """Twilio's status of the call a staff member is on: the caller's call, or for a callback
    (``owner`` is no call SID then) their own call; None when there is nothing to ask yet."""
    if attempt_id is None:
        return h.telephony.call_status(owner)
    with h.database.session() as session:
        attempt = session.get(CallbackAttempt, attempt_id)
        leg, over = (attempt.staff_call_sid, attempt.ended_at is not None) if attempt else (None, True)
    if leg:
        return h.telephony.call_status(leg)
    return "completed" if over else None
