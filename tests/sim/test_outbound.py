"""Calls created through REST: progress callbacks, the Url fetched on answer, machine detection, redirects."""
from __future__ import annotations

from collections.abc import Callable

from sim import Simulator

from .conftest import HELPLINE, STAFF
from .stub import TwimlApp, response
from .test_rest import client


def test_a_rest_call_reports_each_step_and_runs_its_url_once_answered(app: TwimlApp, sim: Simulator) -> None:
    app.on("/screen", response("<Say>Callback for a caller</Say>"))
    app.on("/status", response())
    sim.add_phone(STAFF, answer_after=2)
    sid = client(sim).calls.create(to=STAFF, from_=HELPLINE, url=f"{app.url}/screen?staff=1", method="POST",
                                   status_callback=f"{app.url}/status?staff=1", status_callback_method="POST",
                                   status_callback_event=["initiated", "ringing", "answered", "completed"]).sid
    sim.wait_idle(10)
    fetched = app.received("/screen")[0]
    assert fetched.signed and fetched.query == {"staff": "1"}
    assert (fetched.form["CallSid"], fetched.form["Direction"], fetched.form["CallStatus"]) == (
        sid, "outbound-api", "in-progress")
    assert (fetched.form["From"], fetched.form["To"]) == (HELPLINE, STAFF)
    reports = sorted((r.form for r in app.received("/status")), key=lambda f: int(f["SequenceNumber"]))
    assert [f["CallStatus"] for f in reports] == ["initiated", "ringing", "in-progress", "completed"]
    assert [f["SequenceNumber"] for f in reports] == ["0", "1", "2", "3"]
    assert "ParentCallSid" not in reports[0] and 1 <= int(reports[-1]["CallDuration"]) <= 6
    assert sim.phone(STAFF).transcript.heard(sid) == ["Callback for a caller"]


def test_only_the_completed_event_is_sent_by_default(app: TwimlApp, sim: Simulator) -> None:
    app.on("/status", response())
    sim.add_phone(STAFF, answer_after=None)
    client(sim).calls.create(to=STAFF, from_=HELPLINE, twiml="<Response><Say>Hi</Say></Response>", timeout=3,
                             status_callback=f"{app.url}/status")
    sim.wait_idle(10)
    assert [r.form["CallStatus"] for r in app.received("/status")] == ["no-answer"]


def test_busy_and_unknown_numbers_end_as_twilio_reports_them(app: TwimlApp, sim: Simulator) -> None:
    app.on("/status", response())
    sim.add_phone(STAFF, busy=True)
    twilio = client(sim)
    busy = twilio.calls.create(to=STAFF, from_=HELPLINE, twiml="<Response/>", status_callback=f"{app.url}/status")
    nobody = twilio.calls.create(to="+12025550198", from_=HELPLINE, twiml="<Response/>", timeout=2)
    sim.wait_idle(10)
    assert sim.net.calls[busy.sid].status == "busy" and sim.net.calls[nobody.sid].status == "no-answer"
    assert app.received("/status")[0].form["SipResponseCode"] == "486"


def test_machine_detection_reports_who_answered(app: TwimlApp, sim: Simulator) -> None:
    app.on("/greet", response("<Say>Hello</Say>"))
    sim.add_phone(STAFF, voicemail=True, answer_after=1)
    sim.add_phone("+12025550124", answer_after=1)
    twilio = client(sim)
    for to, detection in ((STAFF, "DetectMessageEnd"), (STAFF, "Enable"), ("+12025550124", "Enable")):
        twilio.calls.create(to=to, from_=HELPLINE, url=f"{app.url}/greet", machine_detection=detection)
        sim.wait_idle(10)
    assert [r.form["AnsweredBy"] for r in app.received("/greet")] == ["machine_end_beep", "machine_start", "human"]


def test_a_live_call_redirected_through_rest_fetches_the_new_url(app: TwimlApp, sim: Simulator) -> None:
    app.on("/first", response('<Say>First</Say><Pause length="30"/><Say>Never</Say>'))
    app.on("/second", response("<Say>Second</Say>"))
    sim.add_phone(STAFF, answer_after=0.5)
    twilio = client(sim)
    sid = twilio.calls.create(to=STAFF, from_=HELPLINE, url=f"{app.url}/first").sid
    app.wait_for("/first")
    sim.wait_for(lambda: "First" in sim.phone(STAFF).transcript.heard(sid), 5, "the first document")
    twilio.calls(sid).update(url=f"{app.url}/second", method="POST")
    sim.wait_idle(10)
    assert sim.phone(STAFF).transcript.heard(sid) == ["First", "Second"]
    assert app.received("/second")[0].form["CallSid"] == sid


def test_twiml_given_inline_runs_without_any_request(app: TwimlApp, sim: Simulator) -> None:
    sim.add_phone(STAFF, answer_after=0.5)
    sid = client(sim).calls.create(to=STAFF, from_=HELPLINE, twiml="<Response><Say>Inline</Say></Response>").sid
    sim.wait_idle(10)
    assert sim.phone(STAFF).transcript.heard(sid) == ["Inline"] and app.received() == []


def test_status_callbacks_can_arrive_twice_as_twilio_sometimes_sends_them(
        app: TwimlApp, make_sim: Callable[..., Simulator]) -> None:
    sim = make_sim(duplicate_callbacks=1.0, callback_jitter=2.0)
    app.on("/status", response())
    sim.add_phone(STAFF, answer_after=0.5)
    client(sim).calls.create(to=STAFF, from_=HELPLINE, twiml="<Response><Say>Hi</Say></Response>",
                             status_callback=f"{app.url}/status", status_callback_event=["ringing", "completed"])
    sim.wait_idle(10)
    sequence = sorted((r.form["SequenceNumber"], r.form["CallStatus"]) for r in app.received("/status"))
    assert sequence == [("0", "ringing"), ("0", "ringing"), ("1", "completed"), ("1", "completed")]
