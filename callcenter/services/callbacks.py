"""Callback requests: recorded durably, merged per number, each ending in one terminal state."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .. import numbers
from ..core import callbacks as policy
from ..core.events import Kind
from ..settings import CallFlow
from ..store import callbackstore
from .events import emit
from .helpline import Helpline
from .triggers import dispatch_at, request_dispatch

log = logging.getLogger(__name__)


def retry_policy(cf: CallFlow) -> policy.RetryPolicy:
    """The retry schedule from settings."""
    return policy.RetryPolicy(max_attempts=cf.callbacks.attempts,
                              delays=tuple(timedelta(minutes=m) for m in cf.callbacks.retry_after_minutes))


def calling_window(cf: CallFlow) -> policy.Window:
    """The calling window from settings (the caller's local time)."""
    return policy.Window(cf.callbacks.window_start, cf.callbacks.window_end)


def now(h: Helpline) -> datetime:
    """The helpline's clock as an aware UTC datetime."""
    return datetime.fromtimestamp(h.clock(), tz=UTC)


def valid_number(h: Helpline, raw: str | None) -> str:
    """A number we may call back (E.164), or ValueError with the reason (never the number)."""
    cb = h.callflow.callbacks
    return numbers.callback_number(raw, default_region=cb.default_region, regions=cb.regions,
                                   own_numbers=h.callflow.own_numbers)


@dataclass(frozen=True)
class Recorded:
    """A recorded request: its id, whether it merged into an earlier one, its first attempt."""

    request_id: int
    merged: bool
    first_attempt_at: datetime


def record(h: Helpline, *, source: str, number: str, call_sid: str | None = None, line: str | None = None,
           language: str | None = None, preferred: str = "asap", consent_voicemail: bool = False,
           consent_name: bool = False, consent_any_time: bool = False, first_name: str | None = None,
           insurance: str | None = None, recording_sid: str | None = None,
           original_call_at: datetime | None = None) -> Recorded:
    """Write the request to the database (durable before the caller is told), then dispatch."""
    cf = h.callflow
    moment = now(h)
    zones = numbers.time_zones(number, cf.timezone)
    first = policy.first_attempt_at(moment, zones, calling_window(cf), consent_any_time, preferred)
    new = callbackstore.NewRequest(
        source=source, number=number, requested_at=moment, first_attempt_at=first, time_zones=zones,
        original_call_at=original_call_at, call_sid=call_sid, line=line or cf.default_line.id,
        language=language or cf.default_language.code, preferred=preferred, consent_voicemail=consent_voicemail,
        consent_name=consent_name, consent_any_time=consent_any_time, first_name=first_name,
        insurance=insurance, recording_sid=recording_sid)
    with h.database.session() as session:
        request, merged = callbackstore.create_or_merge(session, h.identifiers, new)
        session.flush()
        request_id = request.id
    if call_sid and source == "phone":  # a voicemail's request keeps the call's outcome "voicemail"
        emit(h, Kind.CALLBACK_REQUESTED, f"{call_sid}:callback", call_sid=call_sid, request_id=request_id,
             source=source, merged=merged)
    log.info("callback request %s recorded source=%s merged=%s first_attempt=%s", request_id, source, merged,
             first.isoformat(timespec="minutes"))
    request_dispatch(h)
    dispatch_at(h, first)
    return Recorded(request_id, merged, first)
