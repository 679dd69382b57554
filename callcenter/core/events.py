"""What happened on a call, in the shape of Asterisk's queue_log: who, what, when, which call."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

Scalar = str | int | float | bool | None


class Kind(StrEnum):
    """The events the call log records."""

    RECEIVED = "call.received"
    LANGUAGE = "call.language"
    BLOCKED = "call.blocked"
    OFFERED = "call.offered"
    MISSED = "call.missed"
    ACCEPTED = "call.accepted"
    NOT_CONNECTED = "call.not_connected"
    CONNECTED = "call.connected"
    ENDED = "call.ended"
    VOICEMAIL = "call.voicemail"
    OVERFLOW = "call.overflow"
    NO_ONE_FREE = "call.no_one_free"
    HELD = "call.held"
    HOLD_LEFT = "call.hold_left"
    CALLBACK_REQUESTED = "call.callback_requested"
    LEG_STATUS = "leg.status"
    PRESENCE = "staff.presence"
    AUTOPAUSED = "staff.autopaused"
    WRAPUP_STARTED = "staff.wrapup_started"
    WRAPUP_ENDED = "staff.wrapup_ended"
    RESERVATION_EXPIRED = "staff.reservation_expired"


@dataclass(frozen=True)
class Event:
    """One line of the call log.

    ``key`` makes recording idempotent: the same happening always gets the same key,
    so a replayed webhook or a re-delivered stream entry is stored once.
    """

    key: str
    kind: Kind
    at: float
    call_sid: str | None = None
    staff_id: int | None = None
    data: Mapping[str, Scalar] = field(default_factory=dict)
