"""Twilio's voice webhooks (all POST, all signed). Thin views: parse, one use case, TwiML.

Any failure inside a view (Redis down, a bug) still answers the caller: the same static
TwiML as ``/voice/fallback`` — the safety line and the overflow line — never a 500.
"""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, request
from werkzeug.exceptions import HTTPException

from ..numbers import caller_number
from ..services import calls, ringall, status, voicemail
from ..services.decisions import AskLanguage, Goodbye, NoOneFree, Ring
from ..services.helpline import Helpline
from . import forms, twiml
from .security import valid_signature

log = logging.getLogger(__name__)
bp = Blueprint("voice", __name__, url_prefix="/voice")


def helpline() -> Helpline:
    return current_app.extensions["callcenter"]  # type: ignore[no-any-return]


def url(path: str, **query: Any) -> str:
    """A relative URL of this blueprint (Twilio resolves it against the request URL)."""
    return f"/voice{path}?{urlencode(query)}" if query else f"/voice{path}"


def xml(body: str) -> Response:
    return Response(body, mimetype="text/xml")


@bp.before_request
def check_signature() -> None:
    if not valid_signature(request, helpline().settings):
        log.warning("rejected %s: missing or invalid X-Twilio-Signature", request.path)
        abort(403)


@bp.errorhandler(Exception)
def answer_anyway(error: Exception) -> Response | HTTPException:
    if isinstance(error, HTTPException):
        return error
    log.error("webhook %s failed (%s); answered with the fallback", request.path, type(error).__name__,
              exc_info=error)
    return failure_answer(request.path)


def failure_answer(path: str) -> Response:
    """What each kind of request gets when the service cannot do its work."""
    cf = current_app.extensions["callcenter"].settings.callflow
    if path in (url("/status"), url("/recording")):
        return xml(twiml.empty())
    if path.startswith(url("/screen")):  # a staff leg: the caller's own Dial moves on
        return xml(twiml.screen_answer(cf, result="gone", queue=None))
    if path == url("/ring-all/wait"):  # only a few verbs are allowed while queued: leave the queue
        return xml(twiml.ring_all_wait(cf, cf.default_language, leave=True, announce=False))
    return fallback_response()


def call_sid() -> str:
    """The request's CallSid; a request without a valid one gets the fallback answer."""
    sid = forms.sid(request.form.get("CallSid"))
    if sid is None:
        abort(fallback_response())
    return sid


def replay_safe(view: Callable[[], str]) -> Callable[[], Response]:
    """Answer a replayed webhook (same call, same step URL) with the TwiML given the first time."""

    @functools.wraps(view)
    def wrapper() -> Response:
        sid = call_sid()
        key = request.path + "?" + request.query_string.decode("latin-1")
        cached = helpline().flows.cached_answer(sid, key)
        if cached is not None:
            return xml(cached)
        body = view()
        helpline().flows.remember_answer(sid, key, body)
        return xml(body)

    return wrapper


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
    return render(h, sid, calls.route_call(h, sid))


@bp.post("/dial-result")
@replay_safe
def dial_result() -> str:
    h, sid = helpline(), call_sid()
    decision = calls.dial_finished(h, sid, forms.status(request.form.get("DialCallStatus")),
                                   forms.whole(request.form.get("DialCallDuration")))
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
    return twiml.voicemail_done(h.callflow, h.callflow.language(taken.language), received=taken.received)


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


def render(h: Helpline, sid: str, decision: Ring | NoOneFree | Goodbye | AskLanguage) -> str:
    """TwiML for a routing decision."""
    cf = h.callflow
    language = cf.language(decision.language)
    if isinstance(decision, AskLanguage):
        return twiml.ask_language_again(cf, url("/language", s=decision.step))
    if isinstance(decision, Goodbye):
        return twiml.goodbye(cf, language, say=decision.say)
    if isinstance(decision, NoOneFree):
        return twiml.no_one_free(
            cf, language, mode=decision.mode, overflow_number=decision.overflow_number,
            caller_id=decision.caller_id, voicemail_url=url("/voicemail", s=decision.step),
            recording_url=url("/recording", call=sid), overflow_url=url("/overflow-result", s=decision.step))
    if decision.ring_all:
        return twiml.ring_all(cf, language, queue=calls.ring_all_queue(sid), first=decision.first,
                              wait_url=url("/ring-all/wait", s=decision.step),
                              action=url("/ring-all/result", s=decision.step))
    return twiml.ring(cf, language, decision.staff, timeout=decision.timeout, first=decision.first,
                      action=url("/dial-result", s=decision.step), caller_id=decision.caller_id,
                      screen_url=lambda staff: url("/screen", staff=staff, call=sid),
                      status_url=lambda staff: url("/status", staff=staff, call=sid))


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


def fallback_response() -> Response:
    settings = current_app.extensions["callcenter"].settings
    cf = settings.callflow
    dialled = caller_number(request.form.get("To"))
    line = cf.line_for_number(dialled)
    return xml(twiml.fallback(cf, overflow_number=cf.overflow_for(line), caller_id=dialled,
                              after_url=url("/fallback/after")))


@bp.post("/fallback")
def fallback() -> Response:
    return fallback_response()


@bp.post("/fallback/after")
def fallback_after() -> Response:
    cf = helpline().settings.callflow
    answered = forms.status(request.form.get("DialCallStatus")) in ("completed", "answered")
    recorded = request.args.get("recorded") == "1"
    return xml(twiml.fallback_after(cf, answered=answered, recorded=recorded,
                                    record_url=url("/fallback/after", recorded=1)))
