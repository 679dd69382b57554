"""The REST API: Twilio's shapes (checked against the official spec), errors, auth and the request log."""
from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from callcenter.telephony import BaseUrlHttpClient
from sim import Simulator, spec
from sim.stats import max_in_window

from .conftest import CREDENTIALS, HELPLINE, STAFF
from .stub import TwimlApp, response

ACCOUNT = CREDENTIALS.account_sid


def client(sim: Simulator, api_key: bool = True) -> Client:
    username, password = (CREDENTIALS.api_key, CREDENTIALS.api_secret) if api_key else (
        ACCOUNT, CREDENTIALS.auth_token)
    return Client(username, password, ACCOUNT, http_client=BaseUrlHttpClient(sim.url))


def raw(sim: Simulator, method: str, path: str, form: dict[str, Any] | None = None,
        auth: tuple[str, str] | None = (ACCOUNT, CREDENTIALS.auth_token)) -> tuple[int, dict[str, Any]]:
    data = urllib.parse.urlencode(form or {}, doseq=True).encode() if form is not None else None
    request = urllib.request.Request(sim.url + path, data=data, method=method)
    if auth:
        request.add_header("Authorization", "Basic " + base64.b64encode(":".join(auth).encode()).decode())
    if data is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def calls_path(sid: str | None = None) -> str:
    return f"/2010-04-01/Accounts/{ACCOUNT}/Calls" + (f"/{sid}.json" if sid else ".json")


def test_create_fetch_update_and_list_answer_in_the_shapes_of_the_official_spec(app: TwimlApp,
                                                                                 sim: Simulator) -> None:
    app.on("/screen", response("<Say>Press nothing</Say><Pause length=\"30\"/>"))
    sim.add_phone(STAFF, answer_after=1)
    twilio = client(sim)
    call = twilio.calls.create(to=STAFF, from_=HELPLINE, url=f"{app.url}/screen", method="POST",
                               status_callback=f"{app.url}/status", status_callback_event=["initiated", "completed"],
                               timeout=20)
    assert call.status == "queued" and call.direction == "outbound-api" and call.sid.startswith("CA")
    sim.wait_for(lambda: sim.net.calls[call.sid].status == "in-progress", 5, "the call to be answered")
    status, fetched = raw(sim, "GET", calls_path(call.sid))
    assert status == 200 and fetched["status"] == "in-progress" and fetched["start_time"]
    assert spec.response_problem("GET", calls_path(call.sid), 200, fetched) is None
    status, listed = raw(sim, "GET", calls_path() + "?PageSize=1")
    assert status == 200 and len(listed["calls"]) == 1
    assert spec.response_problem("GET", calls_path(), 200, listed) is None
    assert [c.sid for c in twilio.calls.list(limit=5)] == [call.sid]
    ended = twilio.calls(call.sid).update(status="completed")
    assert ended.status == "completed"
    status, body = raw(sim, "POST", calls_path(call.sid), {"Status": "completed"})
    assert status == 400 and body["code"] == 21220
    created = [r for r in sim.rest_log if r.created_call]
    assert created[0].form["StatusCallbackEvent"] == ["initiated", "completed"]


def test_every_answer_to_a_valid_request_is_checked_against_the_spec(sim: Simulator) -> None:
    sim.add_phone(STAFF, answer_after=None)
    status, created = raw(sim, "POST", calls_path(), {"To": STAFF, "From": HELPLINE, "Twiml": "<Response/>",
                                                      "StatusCallbackEvent": ["initiated", "ringing"]})
    assert status == 201 and spec.response_problem("POST", calls_path(), 201, created) is None
    status, updated = raw(sim, "POST", calls_path(created["sid"]), {"Status": "canceled"})
    assert status == 200 and updated["status"] == "canceled" and updated["end_time"]
    assert spec.response_problem("POST", calls_path(created["sid"]), 200, updated) is None
    assert spec.response_problem("POST", calls_path(created["sid"]), 200, {**updated, "status": "gone"}) is not None
    assert sim.inspect(lambda: sim.emulator.rest.violations) == []


def test_a_request_the_spec_rejects_is_refused_with_a_twilio_error_body(sim: Simulator) -> None:
    status, body = raw(sim, "POST", calls_path(), {"To": STAFF, "From": HELPLINE, "Url": "https://x.example/a",
                                                   "Timeout": "soon"})
    assert status == 400
    assert set(body) == {"code", "message", "more_info", "status"} and body["status"] == 400
    status, body = raw(sim, "POST", calls_path(), {"From": HELPLINE, "Url": "https://x.example/a"})
    assert (status, body["code"]) == (400, 21201)
    status, body = raw(sim, "GET", calls_path() + "?PageSize=5000")
    assert status == 400
    status, body = raw(sim, "POST", calls_path(), {"To": STAFF, "From": HELPLINE, "Url": "https://x.example/a",
                                                   "Method": "PUT"})
    assert status == 400
    assert not [c for c in sim.calls()], "a refused request must not place a call"


def test_without_valid_credentials_the_answer_is_401(sim: Simulator) -> None:
    status, body = raw(sim, "GET", calls_path(), auth=None)
    assert (status, body["code"]) == (401, 20003)
    status, _ = raw(sim, "GET", calls_path(), auth=(ACCOUNT, "wrong-token"))
    assert status == 401
    status, _ = raw(sim, "GET", calls_path(), auth=(CREDENTIALS.api_key or "", CREDENTIALS.api_secret or ""))
    assert status == 200


def test_unknown_calls_and_other_accounts_are_404(sim: Simulator) -> None:
    status, body = raw(sim, "GET", calls_path("CA" + "0" * 32))
    assert (status, body["code"]) == (404, 20404)
    status, _ = raw(sim, "GET", f"/2010-04-01/Accounts/AC{'f' * 32}/Calls.json")
    assert status == 404
    with pytest.raises(TwilioRestException) as raised:
        client(sim).calls("CA" + "1" * 32).fetch()
    assert raised.value.status == 404


def test_canceling_a_call_that_is_no_longer_ringing_is_an_error(app: TwimlApp, sim: Simulator) -> None:
    app.on("/talk", response('<Pause length="60"/>'))
    sim.add_phone(STAFF, answer_after=0.5)
    twilio = client(sim, api_key=False)
    sid = twilio.calls.create(to=STAFF, from_=HELPLINE, url=f"{app.url}/talk").sid
    sim.wait_for(lambda: sim.net.calls[sid].answered, 5, "the answer")
    with pytest.raises(TwilioRestException) as raised:
        twilio.calls(sid).update(status="canceled")
    assert raised.value.status == 400 and raised.value.code == 21220
    assert twilio.calls(sid).update(status="completed").status == "completed"


def test_a_ringing_call_can_be_canceled(sim: Simulator) -> None:
    sim.add_phone(STAFF, answer_after=None)
    twilio = client(sim)
    sid = twilio.calls.create(to=STAFF, from_=HELPLINE, twiml="<Response><Say>Hi</Say></Response>").sid
    sim.wait_for(lambda: sim.net.calls[sid].status == "ringing", 5, "ringing")
    assert twilio.calls(sid).update(status="canceled").status == "canceled"
    assert sim.phone(STAFF).transcript.kinds(sid)[-1] == "hangup"


def test_calls_from_a_number_the_account_does_not_own_are_refused(sim: Simulator) -> None:
    status, body = raw(sim, "POST", calls_path(), {"To": STAFF, "From": "+12025550177", "Url": "https://x.example/"})
    assert (status, body["code"]) == (400, 21210)
    status, body = raw(sim, "POST", calls_path(), {"To": "12345", "From": HELPLINE, "Url": "https://x.example/"})
    assert (status, body["code"]) == (400, 21211)
    status, body = raw(sim, "POST", calls_path(), {"To": STAFF, "From": HELPLINE})
    assert (status, body["code"]) == (400, 21205)


def test_call_creations_are_paced_and_logged_with_their_arrival_times(app: TwimlApp,
                                                                    make_sim: Callable[..., Simulator]) -> None:
    sim = make_sim(calls_per_second=5.0)
    twilio = client(sim)
    for n in range(6):
        twilio.calls.create(to=f"+120255501{40 + n}", from_=HELPLINE, twiml="<Response/>", timeout=1,
                            status_callback=f"{app.url}/status", status_callback_event=["initiated"])
    created = [r for r in sim.rest_log if r.created_call]
    assert len(created) == 6 and all(r.wall > 0 for r in created)
    dialled = [r.at for r in app.wait_for("/status", 6)]
    assert max_in_window(dialled, 0.95) <= 5      # Twilio queues the excess instead of refusing it
    assert max(dialled) - min(dialled) >= 0.95
