"""Twilio's voice webhooks for the caller's call and staff legs (all POST, all signed).

Thin views: parse, one use case, TwiML. Any failure inside a view (Redis down, a bug)
still answers: the caller gets the same static TwiML as ``/voice/fallback`` — the safety
line and the overflow line — never a 500.
"""
from __future__ import annotations

import logging

from flask import Response, abort, request

from ..services import calls, ringall, status, voicemail
from ..services.helpline import Helpline
from . import forms, twiml
from .common import call_sid, fallback_response, helpline, replay_safe, url, voice_blueprint, xml
from .render import render

log = logging.getLogger(__name__)

bp = voice_blueprint("voice")


# ---------------------------------------------------------------- the caller's call


@bp.post("/incoming")
@replay_safe
def incoming() -> str:
    h, sid = helpline(), call_sid()
    greeting = calls.receive_call(h, sid, request.form.get("From"), request.form.get("To"))
    return twiml.greeting(h.callflow, menu=greeting.menu, blocked=greeting.blocked,
                          menu_url=url("/language", s=greeting.step), route_url=url("/route", s=greeting.step))


@bp.post("/language")
@replay_safe
def language() -> str:
    h, sid = helpline(), call_sid()
    return render(h, sid, calls.choose_language(h, sid, forms.digits(request.form.get("Digits"))))


@bp.post("/route")
@replay_safe
def route() -> str:
    h, sid = helpline(), call_sid()
    return route_step(h, sid)


def route_step(h: Helpline, sid: str) -> str:
    """The routing step's answer (also what a held caller redirected out of the queue gets)."""
    return render(h, sid, calls.route_call(h, sid))


@bp.post("/dial-result")
@replay_safe
def dial_result() -> str:
    h, sid = helpline(), call_sid()
    decision = calls.dial_finished(h, sid, forms.status(request.form.get("DialCallStatus")),
                                   forms.whole(request.form.get("DialCallDuration")),
                                   bridged=forms.flag(request.form.get("DialBridged")))
    return render(h, sid, decision)


@bp.post("/ring-all/wait")
def ring_all_wait() -> Response:
    h, sid = helpline(), call_sid()
    wait = ringall.wait(h, sid, forms.whole(request.form.get("QueueTime")))
    return xml(twiml.ring_all_wait(h.callflow, h.callflow.language(wait.language), leave=wait.leave,
                                   announce=wait.announce))


@bp.post("/ring-all/result")
@replay_safe
def ring_all_result() -> str:
    h, sid = helpline(), call_sid()
    decision = ringall.queue_result(h, sid, forms.status(request.form.get("QueueResult")),
                                    forms.whole(request.form.get("QueueTime")))
    return render(h, sid, decision)


@bp.post("/voicemail")
@replay_safe
def voicemail_left() -> str:
    h, sid = helpline(), call_sid()
    taken = voicemail.voicemail_recorded(h, sid, forms.sid(request.form.get("RecordingSid")),
                                         forms.whole(request.form.get("RecordingDuration")))
    return twiml.voicemail_done(h.callflow, h.callflow.language(taken.language), received=taken.received,
                                promised=taken.promised)


@bp.post("/overflow-result")
@replay_safe
def overflow_result() -> str:
    h, sid = helpline(), call_sid()
    language = h.callflow.language(h.flows.get(sid).get("language"))
    if forms.status(request.form.get("DialCallStatus")) in ("completed", "answered"):
        return twiml.goodbye(h.callflow, language)
    step = h.flows.next_step(sid)
    return twiml.voicemail_only(h.callflow, language, voicemail_url=url("/voicemail", s=step),
                                recording_url=url("/recording", call=sid))


# ---------------------------------------------------------------- the staff leg


def leg_target() -> tuple[str, int]:
    """The caller's call and the staff member a staff-leg request is about (from its URL)."""
    parent = forms.sid(request.args.get("call")) or forms.sid(request.form.get("ParentCallSid"))
    staff = forms.staff_id(request.args.get("staff"))
    if parent is None or staff is None:
        abort(xml(twiml.screen(helpline().callflow, language_name=None, action="", seconds=1)))
    return parent, staff


@bp.post("/screen")
def screen() -> Response:
    h = helpline()
    parent, staff = leg_target()
    offer = calls.offer_to_staff(h, parent, staff, forms.sid(request.form.get("CallSid")))
    action = url("/screen/answer", staff=staff, call=parent)
    return xml(twiml.screen(h.callflow, language_name=offer.language_name, action=action,
                            seconds=h.callflow.routing.screen_seconds))


@bp.post("/screen/answer")
def screen_answer() -> Response:
    h = helpline()
    parent, staff = leg_target()
    answer = calls.answer_offer(h, parent, staff, forms.digits(request.form.get("Digits")))
    return xml(twiml.screen_answer(h.callflow, result=answer.result, queue=answer.queue))


# ---------------------------------------------------------------- callbacks from Twilio


@bp.post("/screen/taken")
def screen_taken() -> Response:
    """A staff leg still listening to the offer after a colleague took the call (ring-all)."""
    return xml(twiml.screen_answer(helpline().callflow, result="taken", queue=None))


@bp.post("/status")
def status_callback() -> Response:
    sid = forms.sid(request.form.get("CallSid"))
    if sid is None:
        log.info("status callback without a valid CallSid ignored")
        return xml(twiml.empty())
    staff = forms.staff_id(request.args.get("staff"))
    parent = forms.sid(request.args.get("call")) or forms.sid(request.form.get("ParentCallSid"))
    status.report_status(helpline(), status.StatusReport(
        sid=sid, status=forms.status(request.form.get("CallStatus")),
        at=forms.timestamp(request.form.get("Timestamp")), call_sid=parent if staff else None,
        staff_id=staff, duration=forms.whole(request.form.get("CallDuration"), -1) if
        request.form.get("CallDuration") else None))
    return xml(twiml.empty())


@bp.post("/recording")
def recording() -> Response:
    sid = forms.sid(request.args.get("call")) or forms.sid(request.form.get("CallSid"))
    recording_sid = forms.sid(request.form.get("RecordingSid"))
    if sid and recording_sid:
        voicemail.recording_status(helpline(), sid, recording_sid, forms.status(request.form.get("RecordingStatus")),
                                   forms.whole(request.form.get("RecordingDuration")))
    return xml(twiml.empty())


# ---------------------------------------------------------------- fallback (no Redis, no database)


@bp.post("/fallback")
def fallback() -> Response:
    return fallback_response()


@bp.post("/fallback/after")
def fallback_after() -> Response:
    cf = helpline().settings.callflow
    answered = forms.status(request.form.get("DialCallStatus")) in ("completed", "answered")
    recorded = request.args.get("recorded") == "1"
    return xml(twiml.fallback_after(cf, answered=answered, recorded=recorded,
                                    record_url=url("/fallback/after", recorded=1), recording_url=url("/recording")))
