"""The calls of a callback attempt: the staff member first, then the caller from the helpline.

Staff hear who asked and when (never the number) and press 1; only then is the caller
dialled, from the helpline's number, with a neutral greeting unless they agreed to hear
the organisation's name. An answering machine gets a discreet message only with consent.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from ..core import callbacks as policy
from ..core import callstatus
from ..store import callbackstore
from ..store.models import CallbackAttempt, CallbackRequest
from . import callbacks
from .dispatch import _finish
from .helpline import Helpline
from .staff import end_staff_call, staff_missed
from .triggers import request_dispatch

log = logging.getLogger(__name__)
DIAL_RESULT_GRACE_SECONDS = 10
MACHINE = ("machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other", "fax")


def token(attempt_id: int) -> str:
    """What the staff member's reservation is held for during this attempt."""
    return policy.attempt_owner(attempt_id)


@dataclass(frozen=True)
class StaffOffer:
    """What the staff member hears when they pick up (``needed`` False: nothing to do)."""

    needed: bool
    asked: str = ""
    language_name: str = ""
    may_say_name: bool = False
    may_leave_message: bool = False


@dataclass(frozen=True)
class DialCaller:
    """After the staff member pressed 1: dial the caller (or say why not)."""

    result: str  # dial | not_needed | declined
    number: str = ""
    caller_id: str = ""
    timeout: int = 30
    machine_detection: bool = True


@dataclass(frozen=True)
class CallerGreeting:
    """What the caller's side hears on answering: greet (then bridge), a message, or nothing."""

    kind: str  # greet | message | hangup
    named: bool
    language: str
    helpline: str = ""


def staff_answered(h: Helpline, attempt_id: int, staff_call_sid: str | None) -> StaffOffer:
    """The staff phone was answered: describe the callback, or say it is no longer needed."""
    cf = h.callflow
    with h.database.session() as session:
        pair = callbackstore.active_attempt(session, attempt_id)
        if pair is None:
            return StaffOffer(needed=False)
        attempt, request = pair
        if attempt.staff_call_sid is None and staff_call_sid:
            attempt.staff_call_sid = staff_call_sid
        callbackstore.move_attempt(session, attempt_id, ("placing",), "staff_ringing")
        asked = (request.original_call_at or request.requested_at)
        language = cf.language(request.language).name
        may_say_name = bool(request.consent_name)
        may_leave_message = bool(request.consent_voicemail)
    local = _aware(asked).astimezone(ZoneInfo(cf.timezone))
    today = datetime.fromtimestamp(h.clock(), ZoneInfo(cf.timezone)).date()
    spoken = local.strftime("%-I:%M %p") if local.date() == today else local.strftime("%-I:%M %p on %A")
    return StaffOffer(needed=True, asked=spoken, language_name=language, may_say_name=may_say_name,
                      may_leave_message=may_leave_message)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def staff_pressed(h: Helpline, attempt_id: int, digits: str) -> DialCaller:
    """1 accepts: the staff member wins the attempt and the caller is dialled, once."""
    if digits != "1":
        return DialCaller(result="declined")
    cf = h.callflow
    with h.database.session() as session:
        attempt = session.get(CallbackAttempt, attempt_id)
        staff_id = attempt.staff_id if attempt else None
    if staff_id is None:
        return DialCaller(result="not_needed")
    outcome = h.board.accept(token(attempt_id), staff_id, talk_ms=cf.routing.max_call_seconds * 1000,
                             check_at_ms=h.now_ms() + cf.routing.reaper_check_seconds * 1000, day=h.today())
    if outcome not in ("accepted", "already"):
        return DialCaller(result="not_needed")
    deadline = callbacks.now(h) + timedelta(seconds=cf.routing.max_call_seconds)
    with h.database.session() as session:
        pair = callbackstore.active_attempt(session, attempt_id)
        moved = pair is not None and callbackstore.move_attempt(
            session, attempt_id, ("placing", "staff_ringing"), "staff_accepted", deadline_at=deadline)
        if pair is None or (not moved and pair[0].state != "staff_accepted"):  # a replay after acceptance dials
            _withdraw(h, token(attempt_id), staff_id)  # the request closed meanwhile: free them now
            return DialCaller(result="not_needed")
        attempt, request = pair
        number = h.identifiers.reveal(request.number_enc)
        line = request.line
    log.info("callback attempt %s accepted by staff %s; dialling the caller", attempt_id, staff_id)
    return DialCaller(result="dial", number=number, caller_id=cf.caller_id(line),
                      timeout=cf.callbacks.caller_ring_seconds,
                      machine_detection=cf.callbacks.answering_machine_detection)


def _withdraw(h: Helpline, owner: str, staff_id: int) -> None:
    """A staff member accepted an offer that was no longer needed: free them at once, no wrap-up."""
    h.board.clear_winner(owner, staff_id)
    h.board.release(staff_id, owner)
    h.board.forget_talking(owner, staff_id)
    request_dispatch(h)


def caller_answered(h: Helpline, attempt_id: int, answered_by: str) -> CallerGreeting:
    """The caller's phone was answered: a person hears a greeting; a machine, maybe a message."""
    cf = h.callflow
    with h.database.session() as session:
        attempt = session.get(CallbackAttempt, attempt_id)
        request = session.get(CallbackRequest, attempt.request_id) if attempt else None
        if attempt is None or request is None:
            return CallerGreeting(kind="hangup", named=False, language=cf.default_language.code)
        attempt.answered_by = answered_by[:30] or "unknown"
        machine = answered_by in MACHINE
        leave_message = machine and answered_by != "fax" and request.consent_voicemail
        attempt.voicemail_left = bool(leave_message)
        named, language, line = bool(request.consent_name), request.language, request.line
    if machine:
        return CallerGreeting(kind="message" if leave_message else "hangup", named=named,
                              language=language or cf.default_language.code, helpline=cf.caller_id(line))
    return CallerGreeting(kind="greet", named=named, language=language or cf.default_language.code)


def dial_finished(h: Helpline, attempt_id: int, dial_status: str, bridged: bool | None = None) -> str:
    """The staff member's dial to the caller ended: record the outcome; returns what to tell them.

    ``bridged`` is Twilio's ``DialBridged``: a caller who picked up but hung up before being put
    through (e.g. in the silence while machine detection listens) was not reached: tried again.
    """
    with h.database.session() as session:
        attempt = session.get(CallbackAttempt, attempt_id)
        answered_by = (attempt.answered_by if attempt else None) or ""
    if attempt is None:
        log.warning("callback attempt %s: a dial result for an attempt that does not exist", attempt_id)
        return "not_needed"
    if dial_status in ("completed", "answered"):
        outcome = "machine" if answered_by in MACHINE else "no-answer" if bridged is False else "reached"
    elif dial_status in ("busy", "no-answer", "failed"):
        outcome = dial_status
    else:
        outcome = "staff_hung_up"  # the staff member hung up before the caller answered: not counted
    status = _finish(h, attempt_id, outcome)
    log.info("callback attempt %s: %s", attempt_id, outcome)
    return "exhausted" if status == policy.EXHAUSTED else outcome


def staff_leg_status(h: Helpline, attempt_id: int, status: str) -> None:
    """The staff member's call ended: wrap-up if they took it; else it was their miss, not the caller's."""
    if not callstatus.is_final(status):
        return
    with h.database.session() as session:
        attempt = session.get(CallbackAttempt, attempt_id)
        staff_id = attempt.staff_id if attempt else None
        accepted = attempt is not None and attempt.state in ("staff_accepted", "ended") and \
            attempt.outcome not in ("staff_missed", "not_placed", "lost")
        # An offer that stopped being needed while it rang (the request closed, the sweep ended it)
        # is not held against the staff member.
        moot = attempt is not None and not accepted and callbackstore.active_attempt(session, attempt_id) is None
        caller_sid = attempt.caller_call_sid if attempt else None
        answered_by = (attempt.answered_by if attempt else None) or ""
    if staff_id is None:
        return
    owner = token(attempt_id)
    if h.board.winner(owner) == staff_id and accepted:
        end_staff_call(h, owner, staff_id)
        # The dial result may still be on its way (Twilio does not order the two): decide now only
        # when the caller's leg already told us; otherwise give the dial result a moment and let
        # the sweep end the attempt with the best outcome known. Never "not reached" on a guess:
        # that would ring a caller again who was just helped.
        outcome = caller_outcome(h, caller_sid, answered_by)
        if outcome is not None:
            _finish(h, attempt_id, outcome)
        else:
            with h.database.session() as session:
                callbackstore.move_attempt(session, attempt_id, ("staff_accepted",), "staff_accepted",
                                           deadline_at=callbacks.now(h) + timedelta(seconds=DIAL_RESULT_GRACE_SECONDS))
        return
    if callstatus.missed_by(status, accepted=False) and not moot:
        staff_missed(h, owner, staff_id, reason=status)
    h.board.release(staff_id, owner)
    _finish(h, attempt_id, "staff_missed")


def caller_outcome(h: Helpline, caller_sid: str | None, answered_by: str) -> str | None:
    """What the caller's leg alone says about an attempt whose dial result is missing (None: not enough).

    The caller's answer webhook (``answered_by`` set) means the phone was picked up: a person
    was reached unless a machine answered. A final busy / no-answer / failed leg was not reached.
    """
    if answered_by:
        return "machine" if answered_by in MACHINE else "reached"
    status = h.flows.status(caller_sid) if caller_sid else None
    if status in ("busy", "no-answer", "failed"):
        return status
    return None


def caller_leg_status(h: Helpline, attempt_id: int, leg_sid: str, status: str) -> None:
    """The caller's leg of a callback: remember its SID and how far it got (for reconciling)."""
    h.flows.advance_status(leg_sid, status)
    with h.database.session() as session:
        attempt = session.get(CallbackAttempt, attempt_id)
        if attempt is not None and attempt.caller_call_sid is None:
            attempt.caller_call_sid = leg_sid
