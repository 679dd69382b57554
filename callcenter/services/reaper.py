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
    for call_sid, staff_id in h.board.talking_due(now_ms, limit):
        if h.board.holder(staff_id) != call_sid:
            h.board.forget_talking(call_sid, staff_id)  # ended normally; the list was stale
            continue
        attempt_id = policy.attempt_of(call_sid)
        if attempt_id is not None:
            repaired += _reap_callback(h, call_sid, attempt_id, staff_id, now_ms)
            continue
        try:
            status = h.telephony.call_status(call_sid)
        except (TwilioRestException, OSError) as exc:
            log.warning("reaper could not check call=%s: %s", call_sid, type(exc).__name__)
            h.board.check_later(call_sid, staff_id, now_ms + RETRY_SECONDS * 1000)
            continue
        if callstatus.is_final(status):
            log.warning("reaper ended call=%s staff=%s: Twilio reports %s, no status callback came",
                        call_sid, staff_id, status)
            report_status(h, StatusReport(sid=call_sid, status=status))
            if h.board.holder(staff_id) == call_sid:  # its final status had been seen, effects lost
                end_staff_call(h, call_sid, staff_id)
            repaired += 1
        else:
            h.board.check_later(call_sid, staff_id, now_ms + h.callflow.routing.reaper_check_seconds * 1000)
    return repaired


def _reap_callback(h: Helpline, owner: str, attempt_id: int, staff_id: int, now_ms: int) -> int:
    """A callback's staff call: ``owner`` is no call SID, so ask Twilio about the staff member's own call."""
    with h.database.session() as session:
        attempt = session.get(CallbackAttempt, attempt_id)
        leg, over = (attempt.staff_call_sid, attempt.ended_at is not None) if attempt else (None, True)
    status = "completed" if over and not leg else None
    if leg:
        try:
            status = h.telephony.call_status(leg)
        except (TwilioRestException, OSError) as exc:
            log.warning("reaper could not check callback attempt %s: %s", attempt_id, type(exc).__name__)
            h.board.check_later(owner, staff_id, now_ms + RETRY_SECONDS * 1000)
            return 0
    if status is None or not callstatus.is_final(status):
        h.board.check_later(owner, staff_id, now_ms + h.callflow.routing.reaper_check_seconds * 1000)
        return 0
    log.warning("reaper ended callback attempt %s staff=%s: Twilio reports %s, no status callback came",
                attempt_id, staff_id, status)
    callback_calls.staff_leg_status(h, attempt_id, status)
    if h.board.holder(staff_id) == owner:
        end_staff_call(h, owner, staff_id)
    return 1
