"""Pure TwiML builders: decisions and prompts in, XML out. No Redis, no Flask.

Every caller-facing document starts speaking at once and ends in a verb that keeps the
caller with a person, a recording or a clear goodbye: never silence.
"""
from __future__ import annotations

from collections.abc import Callable

from twilio.twiml.voice_response import Dial, Gather, VoiceResponse

from ..numbers import is_client
from ..settings import CallFlow, Language
from ..store.staffboard import StaffCard

UrlFor = Callable[..., str]


def _say(node: VoiceResponse | Gather, cf: CallFlow, lang: Language, name: str, /, **values: str) -> None:
    options = {"language": lang.say_language}
    if lang.voice:
        options["voice"] = lang.voice
    node.say(cf.prompt(lang.code, name, **values), **options)


def _staff_say(node: VoiceResponse | Gather, cf: CallFlow, name: str, /, **values: str) -> None:
    _say(node, cf, cf.default_language, name, **values)


def greeting(cf: CallFlow, *, menu: bool, blocked: bool, menu_url: str, route_url: str) -> str:
    """The 911/988 safety line before anything else; then welcome, menu or routing (or a refusal)."""
    response = VoiceResponse()
    default = cf.default_language
    _say(response, cf, default, "safety")
    if blocked:
        _say(response, cf, default, "blocked")
        response.hangup()
    elif menu:
        _say(response, cf, default, "welcome")
        _language_menu(response, cf, menu_url)
        response.redirect(menu_url, method="POST")
    else:
        _say(response, cf, default, "welcome")
        response.redirect(route_url, method="POST")
    return str(response)


def _language_menu(response: VoiceResponse, cf: CallFlow, action: str) -> None:
    gather = response.gather(num_digits=1, timeout=5, action=action, method="POST", action_on_empty_result=True)
    for language in cf.languages:
        _say(gather, cf, language, "language_option", digit=language.digit)


def ask_language_again(cf: CallFlow, action: str) -> str:
    """"That was not one of the choices", and the menu once more."""
    response = VoiceResponse()
    _say(response, cf, cf.default_language, "language_retry")
    _language_menu(response, cf, action)
    response.redirect(action, method="POST")
    return str(response)


def ring(cf: CallFlow, language: Language, staff: tuple[StaffCard, ...], *, timeout: int, first: bool,
         action: str, caller_id: str | None, screen_url: Callable[[int], str],
         status_url: Callable[[int], str]) -> str:
    """``<Dial>`` one staff phone, with the press-1 screening on their leg."""
    response = VoiceResponse()
    _say(response, cf, language, "connecting" if first else "still_connecting")
    dial = response.dial(action=action, method="POST", timeout=timeout, answer_on_bridge=True,
                         caller_id=caller_id or None)
    for card in staff:
        _dial_staff(dial, card, screen_url(card.id), status_url(card.id))
    return str(response)


def _dial_staff(dial: Dial, card: StaffCard, screen: str, status: str) -> None:
    events = "initiated ringing answered completed"
    if is_client(card.contact):
        dial.client(card.contact.removeprefix("client:"), url=screen, method="POST",
                    status_callback=status, status_callback_event=events, status_callback_method="POST")
    else:
        dial.number(card.contact, url=screen, method="POST", status_callback=status,
                    status_callback_event=events, status_callback_method="POST")


def ring_all(cf: CallFlow, language: Language, *, queue: str, wait_url: str, action: str, first: bool) -> str:
    """Park the caller in their own queue while several staff phones ring."""
    response = VoiceResponse()
    _say(response, cf, language, "connecting" if first else "still_connecting")
    response.enqueue(queue, wait_url=wait_url, wait_url_method="POST", action=action, method="POST")
    return str(response)


def ring_all_wait(cf: CallFlow, language: Language, *, leave: bool, announce: bool) -> str:
    """One loop of the ring-all wait: a short reassurance, a pause, or leaving the queue."""
    response = VoiceResponse()
    if leave:
        response.leave()
        return str(response)
    if announce:
        _say(response, cf, language, "ring_all_wait")
    response.pause(length=2)
    return str(response)


def no_one_free(cf: CallFlow, language: Language, *, mode: str, overflow_number: str | None,
                caller_id: str | None, voicemail_url: str, recording_url: str, overflow_url: str,
                on_duty: bool = True) -> str:
    """Nobody is free: forward to the overflow line, or take a voicemail."""
    response = VoiceResponse()
    _say(response, cf, language, "menu_busy" if on_duty else "menu_nobody")
    if mode == "overflow" and overflow_number:
        _say(response, cf, language, "transferring")
        response.dial(overflow_number, action=overflow_url, method="POST", timeout=30,
                      caller_id=caller_id or None)
        return str(response)
    _voicemail(response, cf, language, voicemail_url, recording_url)
    return str(response)


def _voicemail(response: VoiceResponse, cf: CallFlow, language: Language, action: str, recording_url: str) -> None:
    _say(response, cf, language, "voicemail")
    response.record(action=action, method="POST", max_length=cf.voicemail_max_seconds,
                    timeout=cf.voicemail_silence_seconds, play_beep=True, finish_on_key="#",
                    recording_status_callback=recording_url, recording_status_callback_method="POST",
                    recording_status_callback_event="completed")
    _say(response, cf, language, "voicemail_empty")
    _say(response, cf, language, "call_again")
    response.hangup()


def voicemail_only(cf: CallFlow, language: Language, *, voicemail_url: str, recording_url: str) -> str:
    """Take a voicemail (after an overflow line did not answer)."""
    response = VoiceResponse()
    _voicemail(response, cf, language, voicemail_url, recording_url)
    return str(response)


def voicemail_done(cf: CallFlow, language: Language, *, received: bool, promised: bool = True) -> str:
    """Thank the caller for their message (or tell them none was heard), then hang up."""
    response = VoiceResponse()
    if received:
        _say(response, cf, language, "voicemail_thanks" if promised else "voicemail_received")
    else:
        _say(response, cf, language, "voicemail_empty")
        _say(response, cf, language, "call_again")
    response.hangup()
    return str(response)


def goodbye(cf: CallFlow, language: Language, *, say: bool = True) -> str:
    """End of the call."""
    response = VoiceResponse()
    if say:
        _say(response, cf, language, "goodbye")
    response.hangup()
    return str(response)


def screen(cf: CallFlow, *, language_name: str | None, action: str, seconds: int) -> str:
    """Staff leg: "Helpline call, Spanish. Press 1 to accept." The caller's number is never said."""
    response = VoiceResponse()
    if language_name is None:
        _staff_say(response, cf, "screen_gone")
        response.hangup()
        return str(response)
    gather = response.gather(num_digits=1, timeout=seconds, action=action, method="POST",
                             action_on_empty_result=False)
    _staff_say(gather, cf, "screen", language=language_name)
    gather.pause(length=1)
    _staff_say(gather, cf, "screen", language=language_name)
    _staff_say(response, cf, "screen_not_accepted")
    response.hangup()
    return str(response)


def screen_answer(cf: CallFlow, *, result: str, queue: str | None) -> str:
    """Staff leg after a key: connect (bridge or dequeue the caller), or say why not."""
    response = VoiceResponse()
    if result == "accepted":
        _staff_say(response, cf, "screen_connecting")
        if queue:
            response.dial().queue(queue)
        return str(response)
    prompt = {"taken": "screen_taken", "gone": "screen_gone"}.get(result, "screen_not_accepted")
    _staff_say(response, cf, prompt)
    response.hangup()
    return str(response)


def fallback(cf: CallFlow, *, overflow_number: str | None, caller_id: str | None, after_url: str) -> str:
    """Static answer when the service cannot work: safety line, then the overflow line."""
    response = VoiceResponse()
    default = cf.default_language
    _say(response, cf, default, "safety")
    _say(response, cf, default, "trouble")
    if overflow_number:
        response.dial(overflow_number, action=after_url, method="POST", timeout=30, caller_id=caller_id or None)
    else:
        response.redirect(after_url, method="POST")
    return str(response)


def fallback_after(cf: CallFlow, *, answered: bool, recorded: bool, record_url: str, recording_url: str) -> str:
    """After the fallback's overflow call: goodbye, or a voicemail Twilio keeps for us.

    The service could not work when the call came, so no callback is promised: the message
    reaches the call log through its recording status callback once the service is back, and
    the caller is asked to call again.
    """
    response = VoiceResponse()
    default = cf.default_language
    if answered or recorded:
        if recorded:
            _say(response, cf, default, "voicemail_received")
            _say(response, cf, default, "call_again")
        response.hangup()
        return str(response)
    _say(response, cf, default, "voicemail")
    response.record(action=record_url, method="POST", max_length=cf.voicemail_max_seconds,
                    timeout=cf.voicemail_silence_seconds, play_beep=True, finish_on_key="#",
                    recording_status_callback=recording_url, recording_status_callback_method="POST",
                    recording_status_callback_event="completed")
    _say(response, cf, default, "call_again")
    response.hangup()
    return str(response)


def empty() -> str:
    """An empty document: the answer to a status callback."""
    return str(VoiceResponse())
