"""The "no one free" menu: 1 hold, 2 a callback, 3 a voicemail; no key: the configured default."""
from __future__ import annotations

from dataclasses import dataclass

from ..store import keys
from . import callback_ivr, calls, hold
from .callback_ivr import CallbackDone, CallbackQuestion
from .decisions import Goodbye, NoOneFree
from .helpline import Helpline
from .hold import Holding


@dataclass(frozen=True)
class AskMenu:
    """Say the menu again after a key that is not a choice."""

    language: str
    step: int


@dataclass(frozen=True)
class TakeVoicemail:
    """Record a voicemail."""

    language: str
    step: int


def choose(h: Helpline, call_sid: str, digits: str
           ) -> Holding | CallbackQuestion | CallbackDone | TakeVoicemail | AskMenu:
    """The caller's choice at the menu."""
    flow = h.flows.get(call_sid)
    language = flow.get("language") or h.callflow.default_language.code
    choice = {"1": "hold", "2": "callback", "3": "voicemail"}.get(digits)
    if choice is None and digits:
        if int(h.redis.hincrby(keys.call(call_sid), "menu_retries", 1)) <= 1:
            return AskMenu(language, h.flows.next_step(call_sid))
    return after(h, call_sid, choice or h.callflow.hold.menu_default)


def after(h: Helpline, call_sid: str, choice: str) -> Holding | CallbackQuestion | CallbackDone | TakeVoicemail:
    """Go where the caller chose (or where the configuration sends them)."""
    if choice == "hold":
        return hold.enter(h, call_sid)
    if choice == "callback":
        return callback_ivr.start(h, call_sid)
    flow = h.flows.get(call_sid)
    return TakeVoicemail(flow.get("language") or h.callflow.default_language.code, h.flows.next_step(call_sid))


@dataclass(frozen=True)
class BackToRouting:
    """The call was redirected out of the queue to a staff member (answer as that step would)."""

    step: int


def hold_ended(h: Helpline, call_sid: str, queue_result: str
               ) -> Holding | CallbackQuestion | CallbackDone | TakeVoicemail | NoOneFree | Goodbye | BackToRouting:
    """The caller left the hold queue: hung up, handed to staff, asked for a callback, or waited too long."""
    flow = h.flows.get(call_sid)
    language = flow.get("language") or h.callflow.default_language.code
    if queue_result == "hangup":
        hold.leave(h, call_sid, "hangup")
        return Goodbye(language, say=False)
    if queue_result in ("bridged", "redirected-from-bridged"):
        return Goodbye(language)
    if queue_result == "redirected" and flow.get("dispatch_step"):
        return BackToRouting(int(flow["dispatch_step"]))
    hold.leave(h, call_sid, "left")
    if flow.get("wants_callback") == "1":
        return callback_ivr.start(h, call_sid)
    if flow.get("hold_expired") == "1" and h.callflow.hold.when_too_long != "callback":
        if h.callflow.hold.when_too_long == "overflow":
            return calls.overflow(h, call_sid, flow)
        return TakeVoicemail(language, h.flows.next_step(call_sid))
    return callback_ivr.start(h, call_sid)  # waited too long, or the queue failed: offer a callback
