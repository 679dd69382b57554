"""Repairing state when Twilio never reports a call's end (nobody stays stuck "busy")."""
from __future__ import annotations

import logging

from twilio.base.exceptions import TwilioRestException

from ..core import callstatus
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
