"""How a call's record follows from its events, whatever order they arrive in."""
from __future__ import annotations

from dataclasses import dataclass, replace

from . import callstatus
from .events import Event, Kind


class Outcome:
    """What became of a call, as supervisors read it."""

    IN_PROGRESS = "in_progress"
    ANSWERED = "answered"
    CALLBACK = "callback"
    VOICEMAIL = "voicemail"
    OVERFLOW = "overflow"
    BLOCKED = "blocked"
    ABANDONED = "abandoned"


@dataclass(frozen=True)
class CallRecord:
    """The merged state of one inbound call; every field merges commutatively."""

    sid: str
    received_at: float | None = None
    queued_at: float | None = None
    line: str | None = None
    language: str | None = None
    status: str | None = None
    staff_id: int | None = None
    answered_at: float | None = None
    #: The latest acceptance that never reached the caller (the staff leg ended before the bridge).
    withdrawn_at: float | None = None
    ended_at: float | None = None
    talk_seconds: int | None = None
    held_seconds: int | None = None
    callback: bool = False
    voicemail: bool = False
    overflowed: bool = False
    blocked: bool = False

    @property
    def outcome(self) -> str:
        """Answered beats a callback request beats voicemail beats overflow; else abandoned."""
        if self.staff_id is not None:
            return Outcome.ANSWERED
        if self.callback:
            return Outcome.CALLBACK
        if self.voicemail:
            return Outcome.VOICEMAIL
        if self.overflowed:
            return Outcome.OVERFLOW
        if self.blocked:
            return Outcome.BLOCKED
        if self.ended_at is not None or callstatus.is_final(self.status or ""):
            return Outcome.ABANDONED
        return Outcome.IN_PROGRESS

    @property
    def wait_seconds(self) -> float | None:
        """Seconds the caller waited for a person: from entering the queue to an answer (or hanging up).

        The queue starts when the call is first offered to staff or finds no one free, after the
        safety message and the language menu, which every caller hears and no staffing shortens
        (speed of answer and service level are about the queue). A caller who hung up before
        reaching the queue waited from the moment the call arrived.
        """
        until = self.answered_at if self.answered_at is not None else self.ended_at
        start = self.queued_at if self.queued_at is not None else self.received_at
        if start is None or until is None:
            return None
        return max(0.0, until - start)


def _min(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else min(a, b)


def _max(a: float | None, b: float | None) -> float | None:
    return b if a is None else a if b is None else max(a, b)


def apply(record: CallRecord, event: Event) -> CallRecord:
    """The record after ``event``; applying events in any order gives the same record."""
    data = event.data
    kind = event.kind
    if kind is Kind.RECEIVED:
        return replace(
            record,
            received_at=_min(record.received_at, event.at),
            line=record.line or _text(data.get("line")),
        )
    if kind in (Kind.OFFERED, Kind.NO_ONE_FREE):
        return replace(record, queued_at=_min(record.queued_at, event.at))
    if kind is Kind.LANGUAGE:
        return replace(record, language=_text(data.get("language")) or record.language)
    if kind is Kind.ACCEPTED and event.staff_id is not None:
        # One winner at a time (an atomic claim in Redis). A later acceptance only follows one that
        # never reached the caller, so the answer is the latest acceptance not withdrawn.
        if _withdrawn(event.at, record.withdrawn_at):
            return record
        if record.answered_at is None or (event.at, -event.staff_id) > (record.answered_at, -(record.staff_id or 0)):
            return replace(record, staff_id=event.staff_id, answered_at=event.at)
        return record
    if kind is Kind.NOT_CONNECTED:
        accepted = data.get("accepted_at")
        withdrawn = _max(record.withdrawn_at, float(accepted) if isinstance(accepted, int | float) else event.at)
        if record.answered_at is not None and _withdrawn(record.answered_at, withdrawn):
            return replace(record, staff_id=None, answered_at=None, withdrawn_at=withdrawn)
        return replace(record, withdrawn_at=withdrawn)
    if kind is Kind.CONNECTED:
        talk = int(data.get("talk_seconds") or 0)
        return replace(record, talk_seconds=max(record.talk_seconds or 0, talk))
    if kind is Kind.ENDED:
        status = _text(data.get("status")) or "completed"
        return replace(
            record, ended_at=_max(record.ended_at, event.at), status=callstatus.later(record.status, status)
        )
    if kind is Kind.LEG_STATUS and data.get("leg") == "caller":
        return replace(record, status=callstatus.later(record.status, _text(data.get("status")) or ""))
    if kind is Kind.HOLD_LEFT:
        held = int(data.get("held_seconds") or 0)
        return replace(record, held_seconds=max(record.held_seconds or 0, held))
    if kind is Kind.VOICEMAIL:
        return replace(record, voicemail=True)
    if kind is Kind.CALLBACK_REQUESTED:
        return replace(record, callback=True)
    if kind is Kind.OVERFLOW:
        return replace(record, overflowed=True)
    if kind is Kind.BLOCKED:
        return replace(record, blocked=True)
    return record


def _withdrawn(accepted_at: float, withdrawn_at: float | None) -> bool:
    """Whether an acceptance at this time is one that was withdrawn (times survive a database to 1 ms)."""
    return withdrawn_at is not None and accepted_at <= withdrawn_at + 0.001


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)
