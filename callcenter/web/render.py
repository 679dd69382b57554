"""Turning any call-path decision into TwiML (one place, so every road renders the same)."""
from __future__ import annotations

from ..services import calls
from ..services.callback_ivr import CallbackDone, CallbackQuestion
from ..services.decisions import AskLanguage, Goodbye, NoOneFree, Ring
from ..services.helpline import Helpline
from ..services.hold import Holding
from ..services.menu import AskMenu, TakeVoicemail
from . import twiml, twiml_queue
from .common import url

Decision = (Ring | NoOneFree | Goodbye | AskLanguage | Holding | CallbackQuestion | CallbackDone | TakeVoicemail
            | AskMenu)


def render(h: Helpline, sid: str, decision: Decision) -> str:
    """TwiML for a decision about the caller's call."""
    cf = h.callflow
    language = cf.language(decision.language)
    recording = url("/recording", call=sid)
    if isinstance(decision, AskLanguage):
        return twiml.ask_language_again(cf, url("/language", s=decision.step))
    if isinstance(decision, Goodbye):
        return twiml.goodbye(cf, language, say=decision.say)
    if isinstance(decision, Holding):
        return twiml_queue.holding(cf, language, wait_url=url("/hold/wait"),
                                   action=url("/hold/result", s=decision.step))
    if isinstance(decision, AskMenu):
        return twiml_queue.menu(cf, language, action=url("/menu", s=decision.step), retry=True)
    if isinstance(decision, TakeVoicemail):
        return twiml.voicemail_only(cf, language, voicemail_url=url("/voicemail", s=decision.step),
                                    recording_url=recording)
    if isinstance(decision, CallbackQuestion):
        return twiml_queue.callback_question(
            cf, language, question=decision.question, digits=decision.digits, sorry=decision.sorry,
            action=url(f"/ask/{decision.question}", s=decision.step),
            digit_url=lambda lang, digit: f"/static/digits/{lang if lang in ('en', 'es') else 'en'}/{digit}.wav")
    if isinstance(decision, CallbackDone):
        return twiml_queue.callback_done(cf, language, saved=decision.saved, when=decision.when,
                                         voicemail_url=url("/voicemail", s=decision.step), recording_url=recording)
    if isinstance(decision, NoOneFree):
        if decision.mode == "menu":
            return twiml_queue.menu(cf, language, action=url("/menu", s=decision.step), on_duty=decision.on_duty)
        return twiml.no_one_free(
            cf, language, mode=decision.mode, overflow_number=decision.overflow_number,
            caller_id=decision.caller_id, voicemail_url=url("/voicemail", s=decision.step),
            recording_url=recording, overflow_url=url("/overflow-result", s=decision.step),
            on_duty=decision.on_duty)
    if decision.ring_all:
        return twiml.ring_all(cf, language, queue=calls.ring_all_queue(sid), first=decision.first,
                              wait_url=url("/ring-all/wait", s=decision.step),
                              action=url("/ring-all/result", s=decision.step))
    return twiml.ring(cf, language, decision.staff, timeout=decision.timeout, first=decision.first,
                      action=url("/dial-result", s=decision.step), caller_id=decision.caller_id,
                      screen_url=lambda staff: url("/screen", staff=staff, call=sid),
                      status_url=lambda staff: url("/status", staff=staff, call=sid))
