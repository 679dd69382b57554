"""RQ jobs. Arguments are ids (staff ids, call SIDs, tokens), never phone numbers; each job
reloads its state and does nothing when the work is already done."""
from __future__ import annotations

from callcenter.services import blocklist as blocklist_service
from callcenter.services import dispatch as dispatcher
from callcenter.services import reaper, reconcile, ringall, staff, staffadmin

from . import context
from .recorder import Recorder


def end_wrapup(staff_id: int, token: str) -> bool:
    """A staff member's wrap-up time is over."""
    return staff.end_wrapup(context.current(), staff_id, token)


def ring_staff(call_sid: str, attempt: int) -> int:
    """Ring-all: place the calls to the staff reserved for this attempt."""
    return ringall.ring_staff(context.current(), call_sid, attempt)


def stop_ringing(call_sid: str, attempt: int) -> int:
    """Ring-all: hang up the other legs of an attempt."""
    return ringall.stop_ringing(context.current(), call_sid, attempt)


def record_events() -> int:
    """Record waiting call events (the recorder thread does this continuously)."""
    return Recorder(context.current()).drain_all()


def reap() -> int:
    """Check calls in progress that Twilio may never have reported as ended."""
    return reaper.reap(context.current())


def dispatch() -> dict[str, int]:
    """Hand free staff their next held caller or due callback."""
    done = dispatcher.dispatch(context.current())
    return {"held": done.held, "callbacks": done.callbacks}


def sweep() -> dict[str, int]:
    """The periodic safety net: rebuild the live directory, record events, reap, reconcile, dispatch."""
    h = context.current()
    result = {
        "staff": staffadmin.publish_all(h),
        "blocked": blocklist_service.publish(h),
        "recorded": Recorder(h).drain_all(),
        "reaped": reaper.reap(h),
        "reconciled": reconcile.reconcile(h),
    }
    done = dispatcher.dispatch(h)
    result.update(held=done.held, callbacks=done.callbacks)
    return result
