"""Status callbacks for the caller's call and every staff leg: idempotent, order-independent.

Each status moves a call or leg forward only (``core.callstatus``); the side effects of
its end (releasing staff, wrap-up, counting a miss) run once, on the first final status.
Every status is also recorded as an event keyed by (sid, status), so duplicates and
shuffled deliveries end in the same records.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from ..core import callstatus
from ..core.events import Kind
from . import hold
from .calls import request_stop_ringing
from .events import emit
from .helpline import Helpline
from .staff import end_staff_call, staff_missed
from .triggers import request_dispatch

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StatusReport:
    """One status callback, parsed."""

    sid: str
    status: str
    at: float | None = None
    call_sid: str | None = None  # the caller's call, for a staff leg
    staff_id: int | None = None  # set for a staff leg
    duration: int | None = None
    sequence: int | None = None


def report_status(h: Helpline, report: StatusReport) -> None:
    """Apply a status callback of the caller's call or of a staff leg."""
    if report.status not in callstatus.KNOWN:
        log.info("status callback with an unknown status ignored sid=%s", report.sid)
        return
    staff_leg = report.staff_id is not None and report.call_sid is not None
    call_sid = report.call_sid if staff_leg else report.sid
    assert call_sid is not None
    _, first_final = h.flows.advance_status(report.sid, report.status)
    data: dict[str, str | int | None] = {"leg": "staff" if staff_leg else "caller", "leg_sid": report.sid,
                                         "status": report.status}
    if report.duration is not None:
        data["duration"] = report.duration
    emit(h, Kind.LEG_STATUS, f"{report.sid}:status:{report.status}", call_sid=call_sid,
         staff_id=report.staff_id, at=report.at, **data)
    if not first_final:
        return
    if staff_leg:
        assert report.staff_id is not None
        staff_leg_ended(h, call_sid, report.staff_id, report.status)
    else:
        caller_call_ended(h, call_sid, report.status, report.duration, report.at)


def caller_call_ended(h: Helpline, call_sid: str, status: str, duration: int | None, at: float | None) -> None:
    """The caller's call is over: free whoever was reserved for it; the talker starts wrap-up."""
    h.flows.update(call_sid, ended=1)
    hold.leave(h, call_sid, "hangup")  # first: a call row that shows the call ended has its hold time
    emit(h, Kind.ENDED, f"{call_sid}:ended", call_sid=call_sid, at=at, status=status, duration=duration)
    flow = h.flows.get(call_sid)
    winner = h.board.winner(call_sid)
    for staff_id in (int(s) for s in flow.get("current", "").split(",") if s):
        if staff_id != winner and h.board.release(staff_id, call_sid):
            request_dispatch(h)
    if winner is not None:
        end_staff_call(h, call_sid, winner)
    if flow.get(f"legs:{flow.get('attempts')}"):
        request_stop_ringing(h, call_sid, flow)
    log.info("call ended call=%s status=%s answered=%s", call_sid, status, winner is not None)


def staff_leg_ended(h: Helpline, call_sid: str, staff_id: int, status: str) -> None:
    """A staff phone's leg is over: wrap-up if they took the call, else maybe a miss."""
    winner = h.board.winner(call_sid)
    if winner == staff_id:
        end_staff_call(h, call_sid, staff_id)
        return
    caller_gone = h.flows.get(call_sid).get("ended") == "1"
    if winner is None and not caller_gone and callstatus.missed_by(status, accepted=False):
        staff_missed(h, call_sid, staff_id, reason=status)
    h.board.release(staff_id, call_sid)
