"""The public web callback form (the provider's "check your insurance" form).

It joins the same callback queue as phone requests. CSRF-protected, rate limited per
address and per number, with an error next to each field that is wrong.
"""
from __future__ import annotations

import logging
import secrets

from flask import Blueprint, Response, current_app, make_response, render_template, request
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from ..services import callbacks
from ..services.helpline import Helpline
from ..store.limiter import allow

log = logging.getLogger(__name__)
bp = Blueprint("public", __name__)
TIMES = [SelectChoice("asap", "As soon as possible"), SelectChoice("morning", "Morning (8 am to noon)"),
         SelectChoice("afternoon", "Afternoon (noon to 5 pm)"), SelectChoice("evening", "Evening (5 pm to 9 pm)")]
FORM_TOKEN_SECONDS = 24 * 3600


def helpline() -> Helpline:
    return current_app.extensions["callcenter"]  # type: ignore[no-any-return]


class CallbackForm(FlaskForm):
    """What a person asking for a callback tells us; only the number is required."""

    phone = StringField("Phone number", validators=[DataRequired("Enter the number we should call.")])
    first_name = StringField("First name (optional)", validators=[Length(max=60)])
    insurance = StringField("Insurance provider (optional)", validators=[Length(max=80)])
    best_time = RadioField("Best time to call", choices=TIMES, default="asap")
    consent_voicemail = BooleanField("You may leave a voicemail if I don't answer")
    consent_name = BooleanField("You may say the name of your organisation when you call")
    form_token = HiddenField()

    def validate_phone(self, field: StringField) -> None:
        try:
            field.data = callbacks.valid_number(helpline(), field.data)
        except ValueError as reason:
            raise ValidationError(f"This number cannot be used: {reason}.") from None


@bp.get("/callback")
def callback_form() -> str:
    form = CallbackForm(form_token=secrets.token_urlsafe(16))
    return render_template("callback_form.html", form=form)


@bp.post("/callback")
def callback_submit() -> Response | tuple[str, int]:
    h = helpline()
    form = CallbackForm()
    if not form.validate():
        return render_template("callback_form.html", form=form), 400
    token = form.form_token.data or ""
    if token and h.redis.get(_token_key(token)):
        return make_response(render_template("callback_done.html", form=form))  # the same form posted twice
    limited = _rate_limited(h, form.phone.data)
    if limited:
        response = make_response(render_template("callback_limited.html"), 429)
        response.headers["Retry-After"] = str(max(1, limited // 1000))
        return response
    recorded = callbacks.record(
        h, source="web", number=form.phone.data, preferred=form.best_time.data or "asap",
        consent_voicemail=bool(form.consent_voicemail.data), consent_name=bool(form.consent_name.data),
        first_name=(form.first_name.data or "").strip() or None, insurance=(form.insurance.data or "").strip() or None)
    if token:
        h.redis.set(_token_key(token), recorded.request_id, ex=FORM_TOKEN_SECONDS)
    return make_response(render_template("callback_done.html", form=form))


def _token_key(token: str) -> str:
    return "{cc}:form:" + "".join(ch for ch in token if ch.isalnum() or ch in "-_")[:40]


def _rate_limited(h: Helpline, number: str) -> int:
    """0 when allowed; else milliseconds until it would be. Limits: per address, per number."""
    cb = h.callflow.callbacks
    address = request.remote_addr or "unknown"
    wait = allow(h.scripts, f"form-address:{address}", cb.web_requests_per_address_per_hour, 3600 * 1000)
    if wait:
        log.warning("callback form rate-limited for an address")
        return wait
    wait = allow(h.scripts, f"form-number:{h.identifiers.lookup(number)}", cb.web_requests_per_number_per_day,
                 24 * 3600 * 1000)
    if wait:
        log.warning("callback form rate-limited for a number")
    return wait
