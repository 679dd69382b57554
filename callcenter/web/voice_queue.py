"""Webhooks when no one is free: the menu, the hold queue, and asking for a callback by phone."""
from __future__ import annotations

from flask import Response, abort, request

from ..services import callback_ivr, hold, menu
from . import forms, twiml_queue
from .common import answer_once, call_sid, helpline, replay_safe, url, voice_blueprint, xml
from .render import render

bp = voice_blueprint("voice_queue")
QUESTIONS = ("confirm", "enter", "voicemail_consent", "name_consent", "window")


@bp.post("/menu")
@replay_safe
def menu_choice() -> str:
    h, sid = helpline(), call_sid()
    return render(h, sid, menu.choose(h, sid, forms.digits(request.form.get("Digits"))))


@bp.post("/hold/wait")
def hold_wait() -> Response:
    h, sid = helpline(), call_sid()
    loop = hold.loop(h, sid)
    return xml(twiml_queue.hold_loop(h.callflow, h.callflow.language(loop.language), position=loop.position,
                                     wait_seconds=loop.wait_seconds, leave=loop.leave, announce=loop.announce,
                                     key_url=url("/hold/key")))


@bp.post("/hold/key")
def hold_key() -> Response:
    h, sid = helpline(), call_sid()
    leave = hold.asked_for_callback(h, sid, forms.digits(request.form.get("Digits")))
    language = h.callflow.language(h.flows.get(sid).get("language"))
    return xml(twiml_queue.hold_key(h.callflow, language, leave=leave))


@bp.post("/hold/result")
@replay_safe
def hold_result() -> str:
    h, sid = helpline(), call_sid()
    decision = menu.hold_ended(h, sid, forms.status(request.form.get("QueueResult")))
    if isinstance(decision, menu.BackToRouting):
        # Redirected out of the queue to the staff member the dispatcher reserved: whichever
        # request Twilio follows, the caller gets the routing step's one answer.
        from .voice import route_step

        return answer_once(sid, "/route", decision.step, lambda: route_step(h, sid))
    return render(h, sid, decision)


@bp.post("/ask/<question>")
@replay_safe
def callback_answer(question: str) -> str:  # type: ignore[override]
    h, sid = helpline(), call_sid()
    if question not in QUESTIONS:
        abort(404)
    return render(h, sid, callback_ivr.answer(h, sid, question, forms.digits(request.form.get("Digits"))))
