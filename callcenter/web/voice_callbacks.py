"""Webhooks of callback attempts: the staff member's call, then the caller's leg."""
from __future__ import annotations

from flask import Response, abort, request

from ..services import callback_calls
from . import forms, twiml, twiml_queue
from .common import helpline, url, voice_blueprint, xml

bp = voice_blueprint("voice_callbacks")


def attempt_id() -> int:
    attempt = forms.staff_id(request.args.get("attempt"))
    if attempt is None:
        abort(xml(twiml_queue.staff_callback_after(helpline().callflow, outcome="not_needed")))
    return attempt


@bp.post("/callback/staff")
def staff_answered() -> Response:
    h, attempt = helpline(), attempt_id()
    offer = callback_calls.staff_answered(h, attempt, forms.sid(request.form.get("CallSid")))
    return xml(twiml_queue.staff_callback_offer(
        h.callflow, needed=offer.needed, asked=offer.asked, language_name=offer.language_name,
        may_say_name=offer.may_say_name, may_leave_message=offer.may_leave_message,
        action=url("/callback/staff-answer", attempt=attempt)))


@bp.post("/callback/staff-answer")
def staff_answer() -> Response:
    h, attempt = helpline(), attempt_id()
    dial = callback_calls.staff_pressed(h, attempt, forms.digits(request.form.get("Digits")))
    if dial.result != "dial":
        return xml(twiml_queue.staff_callback_after(h.callflow, outcome=dial.result))
    return xml(twiml_queue.staff_callback_dial(
        h.callflow, number=dial.number, caller_id=dial.caller_id, timeout=dial.timeout,
        machine_detection=dial.machine_detection, action=url("/callback/dial-result", attempt=attempt),
        caller_url=url("/callback/caller", attempt=attempt),
        caller_status_url=url("/callback/caller-status", attempt=attempt)))


@bp.post("/callback/caller")
def caller_answered() -> Response:
    h, attempt = helpline(), attempt_id()
    greeting = callback_calls.caller_answered(h, attempt, (request.form.get("AnsweredBy") or "unknown").strip())
    return xml(twiml_queue.caller_greeting(h.callflow, h.callflow.language(greeting.language), kind=greeting.kind,
                                           named=greeting.named, helpline=greeting.helpline))


@bp.post("/callback/dial-result")
def dial_result() -> Response:
    h, attempt = helpline(), attempt_id()
    outcome = callback_calls.dial_finished(h, attempt, forms.status(request.form.get("DialCallStatus")),
                                           bridged=forms.flag(request.form.get("DialBridged")))
    return xml(twiml_queue.staff_callback_after(h.callflow, outcome=outcome))


@bp.post("/callback/staff-status")
def staff_status() -> Response:
    h, attempt = helpline(), attempt_id()
    callback_calls.staff_leg_status(h, attempt, forms.status(request.form.get("CallStatus")))
    return xml(twiml.empty())


@bp.post("/callback/caller-status")
def caller_status() -> Response:
    h, attempt = helpline(), attempt_id()
    sid = forms.sid(request.form.get("CallSid"))
    if sid:
        callback_calls.caller_leg_status(h, attempt, sid, forms.status(request.form.get("CallStatus")))
    return xml(twiml.empty())
