"""Asking for a callback on the phone: the number (caller ID or keyed in), consents, a window.

The number is read back with recorded digits (``<Play>``), never through ``<Say>``; it
lives in the call's flow state only encrypted. The request is written to the database
before the caller hears "we will call you back".
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from .. import numbers
from ..store import keys
from . import callbacks
from .helpline import Helpline

log = logging.getLogger(__name__)
MAX_BAD_NUMBERS = 2


@dataclass(frozen=True)
class CallbackQuestion:
    """Ask the caller something: confirm / enter / voicemail_consent / name_consent / window."""

    question: str
    language: str
    step: int
    digits: tuple[str, ...] = ()  # the number's groups, for the read-back
    sorry: str | None = None  # a prompt before the question (a bad number, a wrong key)


@dataclass(frozen=True)
class CallbackDone:
    """The request is saved (``when``: asap | evening), or could not be (then: voicemail)."""

    language: str
    saved: bool
    when: str = "asap"
    step: int = 0


def _language(h: Helpline, flow: dict[str, str]) -> str:
    return flow.get("language") or h.callflow.default_language.code


def start(h: Helpline, call_sid: str) -> CallbackQuestion:
    """Offer the caller ID as the number if we may call it, else ask for one."""
    flow = h.flows.get(call_sid)
    h.flows.update(call_sid, wants_callback=0)
    if flow.get("caller_enc"):
        try:
            number = callbacks.valid_number(h, h.identifiers.reveal(flow["caller_enc"]))
        except ValueError:
            number = None
        if number:
            h.flows.update(call_sid, cb_number=h.identifiers.protect(number).ciphertext, cb_caller_id=1)
            return _confirm(h, call_sid, flow, number)
    return CallbackQuestion("enter", _language(h, flow), h.flows.next_step(call_sid))


def _confirm(h: Helpline, call_sid: str, flow: dict[str, str], number: str, sorry: str | None = None
             ) -> CallbackQuestion:
    return CallbackQuestion("confirm", _language(h, flow), h.flows.next_step(call_sid),
                            digits=tuple(numbers.digits_of(number)), sorry=sorry)


def answer(h: Helpline, call_sid: str, question: str, digits: str) -> CallbackQuestion | CallbackDone:
    """The caller answered ``question`` with ``digits``: ask the next thing, or save."""
    flow = h.flows.get(call_sid)
    language = _language(h, flow)
    if question == "confirm":
        tries = 0 if digits in ("1", "2") else _tries(h, call_sid, "cb_confirm_tries")
        if flow.get("cb_number") and (digits == "1" or (not digits and tries > 1)):
            # Silence after hearing the number twice: they heard it and did not object. Use it.
            return CallbackQuestion("voicemail_consent", language, h.flows.next_step(call_sid))
        if digits == "2" or tries > 1 or not flow.get("cb_number"):
            if digits == "2" and flow.get("cb_caller_id") == "1":
                h.flows.update(call_sid, cb_declined_caller_id=1)  # never call them back on it unasked
            return CallbackQuestion("enter", language, h.flows.next_step(call_sid))
        return _confirm(h, call_sid, flow, h.identifiers.reveal(flow["cb_number"]),
                        sorry=None if not digits else "menu_retry")
    if question == "enter":
        try:
            number = callbacks.valid_number(h, digits)
        except ValueError as reason:
            log.info("callback number refused call=%s: %s", call_sid, reason)
            if _tries(h, call_sid, "cb_bad_numbers") >= MAX_BAD_NUMBERS:
                return CallbackDone(language, saved=False, step=h.flows.next_step(call_sid))
            sorry = "callback_bad_number" if digits else None  # nothing keyed: just ask again
            return CallbackQuestion("enter", language, h.flows.next_step(call_sid), sorry=sorry)
        h.flows.update(call_sid, cb_number=h.identifiers.protect(number).ciphertext, cb_confirm_tries=0,
                       cb_caller_id=0)
        return _confirm(h, call_sid, flow, number)
    if question == "voicemail_consent":
        h.flows.update(call_sid, cb_voicemail=int(digits == "1"))
        return CallbackQuestion("name_consent", language, h.flows.next_step(call_sid))
    if question == "name_consent":
        h.flows.update(call_sid, cb_name=int(digits == "1"))
        return CallbackQuestion("window", language, h.flows.next_step(call_sid))
    return _save(h, call_sid, {"1": "asap", "2": "evening", "3": "any"}.get(digits, "asap"))


def _tries(h: Helpline, call_sid: str, name: str) -> int:
    return int(h.redis.hincrby(keys.call(call_sid), name, 1))


def _save(h: Helpline, call_sid: str, choice: str) -> CallbackDone:
    flow = h.flows.get(call_sid)
    language = _language(h, flow)
    preferred = "asap" if choice == "any" else choice
    number = h.identifiers.reveal(flow["cb_number"])
    try:
        recorded = callbacks.record(
            h, source="phone", number=number, call_sid=call_sid,
            line=flow.get("line"), language=language, preferred=preferred,
            consent_voicemail=flow.get("cb_voicemail") == "1", consent_name=flow.get("cb_name") == "1",
            consent_any_time=choice == "any",
            original_call_at=datetime.fromtimestamp(float(flow.get("received_at") or h.clock()), UTC))
    except Exception as exc:  # noqa: BLE001 - the database is down: never promise a callback we lost
        log.error("callback request not saved call=%s: %s", call_sid, type(exc).__name__)
        return CallbackDone(language, saved=False, step=h.flows.next_step(call_sid))
    if preferred == "evening":  # asked after the evening window closed: say it is tomorrow's
        zone = ZoneInfo(numbers.time_zones(number, h.callflow.timezone)[0])
        if recorded.first_attempt_at.astimezone(zone).date() > callbacks.now(h).astimezone(zone).date():
            preferred = "tomorrow_evening"
    return CallbackDone(language, saved=True, when=preferred)
