"""Scripted people: settings, key rules, patience, machines, and what the silence watch flags."""
from __future__ import annotations

import pytest

from sim import Behaviour, KeyRule, Simulator

from .conftest import CALLER
from .stub import TwimlApp, response

MENU = ('<Gather numDigits="1" timeout="3" action="/menu"><Say>For English, press 1.</Say>'
        "<Say>Para español, oprima 2.</Say></Gather>")


def test_settings_are_checked_by_name() -> None:
    with pytest.raises(ValueError, match="bogus"):
        Behaviour.from_dict({"answer_after": 2, "bogus": 1})
    behaviour = Behaviour.from_dict({"keys": [None, 1, "12#"], "voicemail": True,
                                     "rules": [{"heard": "español", "press": 2}]})
    assert behaviour.keys == ["", "1", "12#"] and behaviour.rules == [KeyRule("español", "2")]
    assert behaviour.hangup_after == 60.0, "a voicemail box does not record forever"


def test_machine_detection_results_follow_the_persona() -> None:
    assert Behaviour().machine_result("Enable") == "human"
    assert Behaviour(voicemail=True).machine_result("Enable") == "machine_start"
    assert Behaviour(voicemail=True).machine_result("DetectMessageEnd") == "machine_end_beep"
    assert Behaviour(answered_by="fax").machine_result("Enable") == "fax"


def test_a_rule_that_matches_the_prompt_wins_over_the_scripted_keys(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response(MENU))
    app.on("/menu", response("<Hangup/>"))
    sim.dial(CALLER, keys=["1"], rules=[KeyRule("español", "2")]).wait(10)
    assert app.received("/menu")[0].form["Digits"] == "2"


def test_scripted_keys_are_used_one_per_gather_and_hangup_is_a_key(app: TwimlApp, sim: Simulator) -> None:
    answers = iter([response(MENU)] * 3 + [response("<Say>Never heard</Say>")])
    app.on("/voice/incoming", lambda _: next(answers))
    app.on("/menu", lambda r: response(f"<Say>Got {r.form.get('Digits')}</Say><Redirect>/voice/incoming"
                                       "</Redirect>"))
    call = sim.dial(CALLER, keys=["1", "2", "hangup"]).wait(10)
    assert [r.form["Digits"] for r in app.received("/menu")] == ["1", "2"]
    assert "Never heard" not in call.heard() and call.events()[-2].kind == "hung-up"


def test_a_callback_is_asked_for_once(app: TwimlApp, sim: Simulator) -> None:
    offer = ('<Gather numDigits="1" timeout="2" action="/choice"><Say>To get a call back, press 2.</Say></Gather>'
             "<Hangup/>")
    app.on("/voice/incoming", response(offer))
    app.on("/choice", response('<Gather numDigits="1" timeout="2" action="/confirm"><Say>We will call you back.'
                               ' If that is right, press 1.</Say></Gather><Hangup/>'))
    app.on("/confirm", response("<Hangup/>"))
    sim.dial(CALLER, callback="2", rules=[KeyRule("that is right", "1")]).wait(10)
    assert app.received("/choice")[0].form["Digits"] == "2"
    assert app.received("/confirm")[0].form["Digits"] == "1"


def test_a_long_silence_is_flagged_but_ringing_and_screening_are_not(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", lambda r: response(
        "<Say>Hello</Say><Pause length=\"15\"/><Say>Still there</Say>" if r.form["From"] == CALLER else
        '<Say>Hello</Say><Dial timeout="20"><Number url="/screen">+12025550111</Number></Dial>'))
    app.on("/screen", response('<Pause length="12"/><Hangup/>'))
    sim.add_phone("+12025550111", answer_after=5)
    quiet = sim.dial(CALLER).wait(10)
    ringing = sim.dial("+12025550124").wait(10)
    flags = [f for f in sim.flags if f.kind == "silence"]
    assert [f.call_sid for f in flags] == [quiet.sid]
    assert 14 <= float(flags[0].detail.rstrip("s")) <= 17
    assert ringing.call.line is not None and ringing.call.line.longest_silence < 3
