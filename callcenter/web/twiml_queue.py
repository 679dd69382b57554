"""Pure TwiML builders for the "no one free" menu, the hold queue and callbacks."""
from __future__ import annotations

from collections.abc import Callable
from math import ceil

from twilio.twiml.voice_response import VoiceResponse

from ..settings import CallFlow, Language
from .twiml import _say, _staff_say, _voicemail

HOLD_QUEUE = "helpline-hold"


def menu(cf: CallFlow, language: Language, *, action: str, retry: bool = False, on_duty: bool = True) -> str:
    """"All of our specialists are helping other callers" (or "no specialist can answer right now"),
    then: press 1 to hold, 2 for a call back, 3 for a voicemail."""
    response = VoiceResponse()
    if retry:
        _say(response, cf, language, "menu_retry")
    else:
        _say(response, cf, language, "menu_busy" if on_duty else "menu_nobody")
    gather = response.gather(num_digits=1, timeout=6, action=action, method="POST", action_on_empty_result=True)
    _say(gather, cf, language, "menu")
    response.redirect(action, method="POST")
    return str(response)


def holding(cf: CallFlow, language: Language, *, wait_url: str, action: str) -> str:
    """Join the hold queue (ordering is the service's own, not the queue's)."""
    response = VoiceResponse()
    _say(response, cf, language, "hold_intro")
    response.enqueue(HOLD_QUEUE, wait_url=wait_url, wait_url_method="POST", action=action, method="POST")
    return str(response)


def hold_loop(cf: CallFlow, language: Language, *, position: int | None, wait_seconds: float | None, leave: bool,
              announce: bool, key_url: str) -> str:
    """One loop of the wait URL: place in line, expected wait, "press 2 for a callback", music."""
    response = VoiceResponse()
    if leave:
        _say(response, cf, language, "hold_too_long")
        response.leave()
        return str(response)
    if position is None:  # being handed to a specialist right now
        response.pause(length=2)
        return str(response)
    gather = response.gather(num_digits=1, timeout=1, action=key_url, method="POST", action_on_empty_result=False)
    if announce:
        _say(gather, cf, language, "hold_position", position=str(position))
        if wait_seconds is None:
            _say(gather, cf, language, "hold_wait_unknown")
        elif wait_seconds <= 90:
            _say(gather, cf, language, "hold_wait_one_minute")
        else:
            _say(gather, cf, language, "hold_wait_minutes", minutes=str(ceil(wait_seconds / 60)))
    _say(gather, cf, language, "hold_offer_callback")
    gather.play(cf.hold.music_url)
    return str(response)


def hold_key(cf: CallFlow, language: Language, *, leave: bool) -> str:
    """After a key on hold: leave the queue for a callback, or keep waiting."""
    response = VoiceResponse()
    if leave:
        response.leave()
    else:
        response.pause(length=1)
    return str(response)


def callback_question(cf: CallFlow, language: Language, *, question: str, action: str, digits: tuple[str, ...],
                      digit_url: Callable[[str, str], str], sorry: str | None = None) -> str:
    """One question of the phone callback request (the number is read back with recorded digits)."""
    response = VoiceResponse()
    if sorry:
        _say(response, cf, language, sorry)
    if question == "enter":
        gather = response.gather(num_digits=15, finish_on_key="#", timeout=10, action=action, method="POST",
                                 action_on_empty_result=True)
        _say(gather, cf, language, "callback_enter_number")
    else:
        gather = response.gather(num_digits=1, timeout=6, action=action, method="POST", action_on_empty_result=True)
        if question == "confirm":
            _say(gather, cf, language, "callback_confirm_intro")
            for group in digits:
                for digit in group:
                    gather.play(digit_url(language.code, digit))
                gather.pause(length=1)
        prompt = {"confirm": "callback_confirm_question", "voicemail_consent": "callback_voicemail_consent",
                  "name_consent": "callback_name_consent", "window": "callback_window"}[question]
        _say(gather, cf, language, prompt)
    response.redirect(action, method="POST")
    return str(response)


def callback_done(cf: CallFlow, language: Language, *, saved: bool, when: str, voicemail_url: str,
                  recording_url: str) -> str:
    """The request is saved: say when we will call and hang up. Not saved: take a voicemail instead."""
    response = VoiceResponse()
    if saved:
        saved_when = {"evening": "callback_saved_evening", "tomorrow_evening": "callback_saved_tomorrow_evening"}
        _say(response, cf, language, saved_when.get(when, "callback_saved_asap"))
        response.hangup()
        return str(response)
    _say(response, cf, language, "callback_not_saved")
    _voicemail(response, cf, language, voicemail_url, recording_url)
    return str(response)


def staff_callback_offer(cf: CallFlow, *, needed: bool, asked: str, language_name: str, may_say_name: bool,
                         action: str, may_leave_message: bool = False) -> str:
    """Staff leg of a callback: who asked and when (never the number), what they agreed to, then press 1."""
    response = VoiceResponse()
    if not needed:
        _staff_say(response, cf, "callback_not_needed")
        response.hangup()
        return str(response)
    gather = response.gather(num_digits=1, timeout=cf.routing.screen_seconds, action=action, method="POST",
                             action_on_empty_result=False)
    for _ in range(2):
        _staff_say(gather, cf, "callback_offer", language=language_name, asked=asked)
        if not may_leave_message:  # machine detection can miss one: the staff member must not leave a message
            _staff_say(gather, cf, "callback_offer_no_message")
        _staff_say(gather, cf, "callback_offer_name_ok" if may_say_name else "callback_offer_name_no")
        gather.pause(length=1)
    _staff_say(response, cf, "screen_not_accepted")
    response.hangup()
    return str(response)


def staff_callback_dial(cf: CallFlow, *, number: str, caller_id: str, timeout: int, machine_detection: bool,
                        action: str, caller_url: str, caller_status_url: str) -> str:
    """The staff member accepted: dial the caller from the helpline's number."""
    response = VoiceResponse()
    _staff_say(response, cf, "callback_dialing")
    dial = response.dial(action=action, method="POST", timeout=timeout, caller_id=caller_id, answer_on_bridge=True)
    options = {"machine_detection": "DetectMessageEnd"} if machine_detection else {}
    dial.number(number, url=caller_url, method="POST", status_callback=caller_status_url,
                status_callback_event="initiated ringing answered completed", status_callback_method="POST",
                **options)
    return str(response)


def staff_callback_after(cf: CallFlow, *, outcome: str) -> str:
    """Staff leg after the dial: done, or "we will try again later"; or not needed any more."""
    response = VoiceResponse()
    prompt = {"reached": "callback_done", "not_needed": "callback_not_needed", "declined": "screen_not_accepted",
              "exhausted": "callback_exhausted"}.get(outcome, "callback_not_reached")
    _staff_say(response, cf, prompt)
    response.hangup()
    return str(response)


def caller_greeting(cf: CallFlow, language: Language, *, kind: str, named: bool, helpline: str) -> str:
    """Caller's leg of a callback: a neutral greeting (or the name, with consent) before bridging.

    An answering machine gets a discreet message only with consent; else nothing at all.
    """
    response = VoiceResponse()
    if kind == "greet":
        _say(response, cf, language, "callback_greeting_named" if named else "callback_greeting_neutral")
        return str(response)
    if kind == "message":
        spoken = " ".join(ch for ch in helpline if ch.isdigit())
        _say(response, cf, language, "callback_message_named" if named else "callback_message_neutral",
             helpline=spoken[1:] if spoken.startswith("1 ") else spoken)
    response.hangup()
    return str(response)
