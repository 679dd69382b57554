"""What every voice blueprint shares: the signature check, answering on failure, replays."""
from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, request
from werkzeug.exceptions import HTTPException

from ..numbers import caller_number
from ..services.helpline import Helpline
from . import forms, twiml
from .security import valid_signature

log = logging.getLogger("callcenter.web.voice")


def helpline() -> Helpline:
    return current_app.extensions["callcenter"]  # type: ignore[no-any-return]


def url(path: str, **query: Any) -> str:
    """A relative URL under /voice (Twilio resolves it against the request URL)."""
    return f"/voice{path}?{urlencode(query)}" if query else f"/voice{path}"


def xml(body: str) -> Response:
    return Response(body, mimetype="text/xml")


def voice_blueprint(name: str) -> Blueprint:
    """A blueprint under /voice whose every request must be signed and always gets TwiML."""
    bp = Blueprint(name, __name__, url_prefix="/voice")
    bp.before_request(check_signature)
    bp.register_error_handler(Exception, answer_anyway)
    return bp


def check_signature() -> None:
    if not valid_signature(request, helpline().settings):
        log.warning("rejected %s: missing or invalid X-Twilio-Signature", request.path)
        abort(403)


def answer_anyway(error: Exception) -> Response | HTTPException:
    if isinstance(error, HTTPException):
        return error
    log.error("webhook %s failed (%s); answered with the fallback", request.path, type(error).__name__,
              exc_info=error)
    return failure_answer(request.path)


def failure_answer(path: str) -> Response:
    """What each kind of request gets when the service cannot do its work."""
    cf = helpline().settings.callflow
    if path in (url("/status"), url("/recording")) or path.endswith("-status"):
        return xml(twiml.empty())
    if path.startswith((url("/screen"), url("/callback/staff"), url("/callback/dial-result"))):
        # a staff leg (a callback's dial result is heard by the staff member): the caller's side moves on
        return xml(twiml.screen_answer(cf, result="gone", queue=None))
    if path in (url("/ring-all/wait"), url("/hold/wait"), url("/hold/key")):  # few verbs allowed in a queue
        return xml(twiml.ring_all_wait(cf, cf.default_language, leave=True, announce=False))
    if path == url("/callback/caller"):  # the callback's caller leg: not bridged, the staff member hears why
        return xml(twiml.goodbye(cf, cf.default_language, say=False))
    return fallback_response()


def fallback_response() -> Response:
    """Static TwiML: the safety line, then the overflow line (no Redis, no database)."""
    cf = helpline().settings.callflow
    dialled = caller_number(request.form.get("To"))
    line = cf.line_for_number(dialled)
    return xml(twiml.fallback(cf, overflow_number=cf.overflow_for(line), caller_id=dialled,
                              after_url=url("/fallback/after")))


def call_sid() -> str:
    """The request's CallSid; a request without a valid one gets what its route answers on failure."""
    sid = forms.sid(request.form.get("CallSid"))
    if sid is None:
        abort(failure_answer(request.path))
    return sid


def replay_safe(view: Callable[..., str]) -> Callable[..., Response]:
    """Answer a replayed webhook (same call, same step URL) with the TwiML given the first time."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Response:
        sid = call_sid()
        key = request.path + "?" + request.query_string.decode("latin-1")
        cached = helpline().flows.cached_answer(sid, key)
        if cached is not None:
            return xml(cached)
        body = view(*args, **kwargs)
        helpline().flows.remember_answer(sid, key, body)
        return xml(body)

    return wrapper


def answer_once(sid: str, path: str, step: int, make: Callable[[], str]) -> str:
    """The answer of one step of a call, made once whichever request asks for it first."""
    key = f"/voice{path}?{urlencode({'s': step})}"
    cached = helpline().flows.cached_answer(sid, key)
    if cached is None:
        cached = make()
        helpline().flows.remember_answer(sid, key, cached)
    return cached
