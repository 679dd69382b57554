"""<Dial>: simultaneous ringing, the url run on the called leg, bridging, the action and leg callbacks."""
from __future__ import annotations

from sim import Simulator

from .conftest import CALLER, HELPLINE
from .stub import TwimlApp, response

ANA, BO, CY = "+12025550111", "+12025550112", "+12025550113"
EVENTS = 'statusCallbackEvent="initiated ringing answered completed"'


def number(phone: str) -> str:
    return f'<Number url="/screen" {EVENTS} statusCallback="/leg-status?phone={phone[-2:]}">{phone}</Number>'


def screening(app: TwimlApp) -> None:
    app.on("/screen", response('<Gather numDigits="1" timeout="3" action="/screen/answer"><Say>Press 1</Say>'
                               "</Gather><Say>Not accepted</Say><Hangup/>"))
    app.on("/screen/answer", lambda r: response("<Say>Connecting</Say>") if r.form.get("Digits") == "1"
           else response("<Hangup/>"))
    app.on("/dial-result", response("<Say>After the dial</Say>"))
    app.on("/leg-status", response())


def test_the_first_phone_to_pick_up_gets_the_url_and_the_others_are_hung_up(app: TwimlApp, sim: Simulator) -> None:
    screening(app)
    app.on("/voice/incoming", response(f'<Dial action="/dial-result" timeout="20" callerId="{HELPLINE}">'
                                       f"{number(ANA)}{number(BO)}{number(CY)}</Dial>"))
    sim.add_phone(ANA, answer_after=2, keys=["1"], talk=30)
    sim.add_phone(BO, answer_after=6, keys=["1"])
    sim.add_phone(CY, answer_after=None)
    call = sim.dial(CALLER, talk=5).wait(10)
    sim.wait_idle(10)
    legs = {leg.to: leg for leg in sim.children(call.sid)}
    assert legs[ANA].status == "completed" and legs[BO].status == "canceled" and legs[CY].status == "canceled"
    screens = app.received("/screen")
    assert [r.form["To"] for r in screens] == [ANA]
    screen = screens[0].form
    assert (screen["Direction"], screen["ParentCallSid"], screen["CallStatus"], screen["From"]) == (
        "outbound-dial", call.sid, "in-progress", HELPLINE)
    result = app.received("/dial-result")[0].form
    assert (result["DialCallStatus"], result["DialBridged"], result["DialCallSid"]) == (
        "completed", "true", legs[ANA].sid)
    assert int(result["DialCallDuration"]) >= 3 and result["CallStatus"] == "completed"
    assert call.heard() == [], "the caller heard ringing, then Ana: no prompt"
    assert "bridged" in [e.kind for e in call.events()]
    ana = sim.phone(ANA).transcript
    assert ana.heard(legs[ANA].sid) == ["Press 1", "Connecting"] and "pressed 1" in ana.did(legs[ANA].sid)
    assert sim.phone(BO).transcript.heard() == [] and sim.phone(BO).transcript.kinds()[-1] == "hangup"


def test_each_leg_reports_its_progress_to_its_own_status_callback(app: TwimlApp, sim: Simulator) -> None:
    screening(app)
    app.on("/voice/incoming", response(f'<Dial action="/dial-result">{number(ANA)}</Dial>'))
    sim.add_phone(ANA, answer_after=1, keys=["1"], talk=2)
    call = sim.dial(CALLER, talk=60).wait(10)
    sim.wait_idle(10)
    reports = sorted((r.form for r in app.received("/leg-status")), key=lambda f: int(f["SequenceNumber"]))
    assert [(f["SequenceNumber"], f["CallStatus"]) for f in reports] == [
        ("0", "initiated"), ("1", "ringing"), ("2", "in-progress"), ("3", "completed")]
    assert all(f["ParentCallSid"] == call.sid and f["CallbackSource"] == "call-progress-events" for f in reports)
    assert all(r.query == {"phone": "11"} and r.signed for r in app.received("/leg-status"))
    assert int(reports[-1]["CallDuration"]) >= 1 and "Timestamp" in reports[0]
    assert call.heard() == ["After the dial"], "Ana hung up first, so the caller's TwiML went on"


def test_a_voicemail_picking_up_first_wins_the_dial_but_is_not_bridged(app: TwimlApp, sim: Simulator) -> None:
    screening(app)
    app.on("/voice/incoming", response(f'<Dial action="/dial-result">{number(ANA)}{number(BO)}</Dial>'))
    sim.add_phone(ANA, voicemail=True, answer_after=1)
    sim.add_phone(BO, answer_after=3, keys=["1"])
    call = sim.dial(CALLER).wait(10)
    result = app.received("/dial-result")[0].form
    assert (result["DialCallStatus"], result["DialBridged"]) == ("completed", "false")
    assert call.heard() == ["After the dial"]
    assert sim.phone(ANA).transcript.heard() == ["Press 1", "Not accepted"]
    assert [r.form["To"] for r in app.received("/screen")] == [ANA], "Bo was hung up when Ana's voicemail answered"


def test_nobody_answering_within_the_timeout_is_no_answer(app: TwimlApp, sim: Simulator) -> None:
    screening(app)
    app.on("/voice/incoming", response(f'<Dial action="/dial-result" timeout="5">{number(ANA)}</Dial>'))
    sim.add_phone(ANA, answer_after=None)
    call = sim.dial(CALLER).wait(10)
    result = app.received("/dial-result")[0].form
    assert (result["DialCallStatus"], result["DialBridged"], result["DialCallDuration"]) == (
        "no-answer", "false", "0")
    assert sim.children(call.sid)[0].status == "no-answer"
    took = app.received("/dial-result")[0].at - app.received("/voice/incoming")[0].at
    assert 5 / 100 <= took < 2.0


def test_a_busy_phone_is_dial_status_busy(app: TwimlApp, sim: Simulator) -> None:
    screening(app)
    app.on("/voice/incoming", response(f'<Dial action="/dial-result">{number(ANA)}</Dial>'))
    sim.add_phone(ANA, busy=True)
    sim.dial(CALLER).wait(10)
    assert app.received("/dial-result")[0].form["DialCallStatus"] == "busy"


def test_a_caller_who_hangs_up_while_it_rings_still_gets_the_action_requested(app: TwimlApp,
                                                                               sim: Simulator) -> None:
    screening(app)
    app.on("/voice/incoming", response(f'<Dial action="/dial-result">{number(ANA)}</Dial><Say>Never</Say>'))
    sim.add_phone(ANA, answer_after=None)
    call = sim.dial(CALLER, hangup_after=4).wait(10)
    result = app.wait_for("/dial-result")[0].form
    assert (result["DialCallStatus"], result["CallStatus"]) == ("canceled", "completed")
    assert sim.children(call.sid)[0].status == "canceled" and call.heard() == []


def test_answer_on_bridge_keeps_the_caller_ringing_until_the_bridge(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response(f'<Dial answerOnBridge="true" callerId="{HELPLINE}">{ANA}</Dial>'))
    sim.add_phone(ANA, answer_after=3, talk=2)
    call = sim.dial(CALLER).wait(10)
    leg = sim.children(call.sid)[0]
    assert call.call.answered_at is not None and leg.answered_at is not None
    assert call.call.answered_at >= leg.answered_at
    assert leg.from_ == HELPLINE and call.status == "completed"


def test_a_phone_rung_for_a_second_call_while_on_one_is_flagged_as_double_booking(app: TwimlApp,
                                                                                  sim: Simulator) -> None:
    app.on("/voice/incoming", response(f'<Dial action="/dial-result">{ANA}</Dial>'))
    app.on("/dial-result", response("<Hangup/>"))
    sim.add_phone(ANA, answer_after=1, talk=20)
    first = sim.dial(CALLER)
    sim.wait_for(lambda: first.call.bridged_with is not None, 5, "the first bridge")
    second = sim.dial("+12025550124").wait(10)
    first.wait(10)
    assert [f.kind for f in sim.flags] == ["double-booking"] and sim.flags[0].call_sid == sim.children(
        second.sid)[0].sid
    assert app.received("/dial-result")[0].form["DialCallStatus"] == "busy"


def test_a_bridged_staff_leg_redirected_through_rest_leaves_and_the_caller_goes_on(app: TwimlApp,
                                                                                   sim: Simulator) -> None:
    from .test_rest import client

    app.on("/voice/incoming", response(f'<Dial action="/dial-result">{ANA}</Dial>'))
    app.on("/dial-result", response("<Say>After the dial</Say>"))
    app.on("/wrap-up", response("<Say>Please write your notes</Say>"))
    sim.add_phone(ANA, answer_after=1, talk=None)
    call = sim.dial(CALLER, talk=None)
    sim.wait_for(lambda: call.call.bridged_with is not None, 5, "the bridge")
    leg = sim.children(call.sid)[0]
    client(sim).calls(leg.sid).update(url=f"{app.url}/wrap-up", method="POST")
    call.wait(10)
    sim.wait_idle(10)
    assert app.received("/dial-result")[0].form["DialCallStatus"] == "completed"
    assert call.heard() == ["After the dial"]
    assert sim.phone(ANA).transcript.heard(leg.sid) == ["Please write your notes"]


def test_a_caller_redirected_during_a_dial_leaves_it_without_the_action(app: TwimlApp, sim: Simulator) -> None:
    from .test_rest import client

    app.on("/voice/incoming", response(f'<Dial action="/dial-result">{ANA}</Dial>'))
    app.on("/elsewhere", response("<Say>Somewhere else</Say>"))
    sim.add_phone(ANA, answer_after=None)
    call = sim.dial(CALLER)
    sim.wait_for(lambda: bool(sim.children(call.sid)) and sim.children(call.sid)[0].status == "ringing", 5,
                 "Ana's phone to ring")
    client(sim).calls(call.sid).update(url=f"{app.url}/elsewhere")
    call.wait(10)
    assert call.heard() == ["Somewhere else"] and app.received("/dial-result") == []
    assert sim.children(call.sid)[0].status == "canceled"


def test_a_client_noun_rings_the_browser_phone_registered_as_client_identity(app: TwimlApp,
                                                                             sim: Simulator) -> None:
    screening(app)
    app.on("/voice/incoming", response('<Dial action="/dial-result"><Client url="/screen">bo_browser</Client>'
                                       "</Dial>"))
    sim.add_phone("client:bo_browser", answer_after=1, keys=["1"], talk=2)
    call = sim.dial(CALLER).wait(10)
    assert app.received("/screen")[0].form["To"] == "client:bo_browser"
    assert app.received("/dial-result")[0].form["DialBridged"] == "true" and call.heard() == ["After the dial"]
