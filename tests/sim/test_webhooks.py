"""Webhooks as Twilio sends them: signed, resolved against the document's URL, with its error handling."""
from __future__ import annotations

from collections.abc import Callable

from twilio.request_validator import RequestValidator

from sim import Simulator
from sim.session import APPLICATION_ERROR
from sim.webhooks import signed_request

from .conftest import CALLER, CREDENTIALS, HELPLINE
from .stub import TwimlApp, response


def test_twilios_documented_signature_example_is_reproduced() -> None:
    params = {"CallSid": "CA1234567890ABCDE", "Caller": "+14158675310", "Digits": "1234",
              "From": "+14158675310", "To": "+18005551212"}
    _, _, signature = signed_request("12345", "https://example.com/myapp.php?foo=1&bar=2", "POST", params)
    assert signature == "L/OH5YylLD5NRKLltdqwSvS0BnU="


def test_every_webhook_is_signed_over_the_exact_url_and_carries_the_standard_parameters(
        app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response('<Redirect>next?step=2&amp;x=a%20b</Redirect>'))
    app.on("/voice/next", response('<Gather numDigits="1" timeout="1" actionOnEmptyResult="true"'
                                   ' action="../voice/done?s=3"><Say>Pick</Say></Gather>'))
    app.on("/voice/done", response("<Hangup/>"))
    sim.dial(CALLER).wait(10)
    sim.wait_idle(10)
    requests = app.received()
    assert [r.path for r in requests[:3]] == ["/voice/incoming", "/voice/next", "/voice/done"]
    assert requests[1].query == {"step": "2", "x": "a b"} and requests[2].query == {"s": "3"}
    assert all(r.signed for r in requests), [r.path for r in requests if not r.signed]
    first = requests[0].form
    assert first["CallSid"].startswith("CA") and len(first["CallSid"]) == 34
    assert first["AccountSid"] == CREDENTIALS.account_sid and first["ApiVersion"] == "2010-04-01"
    assert (first["From"], first["To"], first["Caller"], first["Called"]) == (CALLER, HELPLINE, CALLER, HELPLINE)
    assert (first["Direction"], first["CallStatus"]) == ("inbound", "ringing")
    assert requests[1].form["CallStatus"] == "in-progress"
    assert requests[0].headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert requests[0].headers["I-Twilio-Idempotency-Token"]


def test_a_get_redirect_sends_the_parameters_in_the_query_and_signs_that_url(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response('<Redirect method="GET">/voice/get?a=1</Redirect>'))
    app.on("/voice/get", response("<Hangup/>"))
    sim.dial(CALLER).wait(10)
    got = app.received("/voice/get")[0]
    assert got.method == "GET" and got.query["a"] == "1" and got.query["CallSid"].startswith("CA")
    assert RequestValidator(CREDENTIALS.auth_token).validate(got.url, {}, got.headers["X-Twilio-Signature"])


def test_a_webhook_that_times_out_goes_to_the_fallback_url_with_the_error(
        app: TwimlApp, make_sim: Callable[..., Simulator]) -> None:
    sim = make_sim(webhook_timeout=0.3)
    app.on("/voice/incoming", response("<Say>Too late</Say>"), delay=1.0)
    app.on("/voice/fallback", response("<Say>Fallback speaking</Say>"))
    call = sim.dial(CALLER).wait(10)
    fallback = app.received("/voice/fallback")[0]
    assert fallback.form["ErrorCode"] == "11205" and fallback.form["ErrorUrl"].endswith("/voice/incoming")
    assert fallback.signed
    assert call.heard() == ["Fallback speaking"]


def test_a_server_error_goes_to_the_fallback_url(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", (500, "boom"))
    app.on("/voice/fallback", response("<Say>Fallback speaking</Say>"))
    call = sim.dial(CALLER).wait(10)
    assert app.received("/voice/fallback")[0].form["ErrorCode"] == "11200"
    assert call.heard() == ["Fallback speaking"]


def test_an_unknown_verb_is_an_error_that_uses_the_fallback(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response("<Say>Hi</Say><Dance/>"))
    app.on("/voice/fallback", response("<Say>Fallback speaking</Say>"))
    call = sim.dial(CALLER).wait(10)
    assert app.received("/voice/fallback")[0].form["ErrorCode"] == "12200"
    assert call.heard() == ["Fallback speaking"], "a refused document runs none of its verbs"
    assert any(flag.kind == "twiml-error" for flag in sim.flags)


def test_without_a_fallback_the_caller_hears_the_application_error(
        app: TwimlApp, make_sim: Callable[..., Simulator]) -> None:
    sim = make_sim(fallback=False)
    app.on("/voice/incoming", response('<Say loud="yes">Hi</Say>'))
    call = sim.dial(CALLER).wait(10)
    assert [e.text for e in call.events() if e.kind == "app-error"] == [APPLICATION_ERROR]
    assert call.status == "completed"


def test_xml_that_does_not_parse_is_a_document_parse_failure(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", "<Response><Say>unclosed</Response>")
    app.on("/voice/fallback", "<Response><Nope/></Response>")
    call = sim.dial(CALLER).wait(10)
    assert app.received("/voice/fallback")[0].form["ErrorCode"] == "12100"
    assert [e.kind for e in call.events() if e.kind == "app-error"] == ["app-error"]


def test_the_numbers_status_callback_gets_the_final_status(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response("<Say>Hello and goodbye</Say>"))
    app.on("/voice/status", response())
    call = sim.dial(CALLER).wait(10)
    status = app.wait_for("/voice/status")[0].form
    assert status["CallSid"] == call.sid and status["CallStatus"] == "completed"
    assert status["CallbackSource"] == "call-progress-events" and status["SequenceNumber"] == "0"
    assert int(status["CallDuration"]) >= 2 and status["Timestamp"].endswith("+0000")
