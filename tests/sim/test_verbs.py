"""The simple verbs and <Gather>, with Twilio's documented parameters; the speed factor."""
from __future__ import annotations

import io
import wave
from collections.abc import Callable

import pytest

from sim import Simulator

from .conftest import CALLER
from .stub import TwimlApp, response

TEN_WORDS = "one two three four five six seven eight nine ten"


@pytest.mark.parametrize("speed", [10.0, 20.0])
def test_say_and_pause_take_simulated_time_divided_by_the_speed(app: TwimlApp, make_sim: Callable[..., Simulator],
                                                                 speed: float) -> None:
    sim = make_sim(speed=speed)
    app.on("/voice/incoming", response(f"<Say>{TEN_WORDS}</Say>", '<Pause length="2"/>',
                                       "<Redirect>/voice/after</Redirect>"))
    app.on("/voice/after", response("<Hangup/>"))
    sim.dial(CALLER).wait(10)
    start, after = app.received("/voice/incoming")[0].at, app.received("/voice/after")[0].at
    expected = (10 / 2.5 + 2) / speed    # ten words at 2.5 words a second, then the pause
    assert expected * 0.95 <= after - start <= expected + 0.25


def test_gather_sends_the_digits_when_num_digits_are_pressed(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response('<Gather numDigits="2" action="/voice/got"><Say>Two keys</Say></Gather>'))
    app.on("/voice/got", response("<Say>Thanks</Say>"))
    call = sim.dial(CALLER, keys=["12"]).wait(10)
    form = app.received("/voice/got")[0].form
    assert form["Digits"] == "12" and "FinishedOnKey" not in form
    assert call.heard() == ["Two keys", "Thanks"]


def test_gather_ends_on_the_finish_key_and_reports_it(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response('<Gather action="/voice/got" timeout="3"><Say>Number then pound</Say>'
                                       "</Gather>"))
    app.on("/voice/got", response())
    sim.dial(CALLER, keys=["4711#"]).wait(10)
    form = app.received("/voice/got")[0].form
    assert (form["Digits"], form["FinishedOnKey"]) == ("4711", "#")


def test_gather_without_input_moves_on_to_the_next_verb(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response('<Gather numDigits="1" timeout="2" action="/voice/got"><Say>Menu</Say>'
                                       "</Gather><Say>Nothing pressed</Say>"))
    call = sim.dial(CALLER).wait(10)
    assert call.heard() == ["Menu", "Nothing pressed"]
    assert app.received("/voice/got") == []


def test_gather_with_action_on_empty_result_requests_the_action_without_digits(app: TwimlApp,
                                                                               sim: Simulator) -> None:
    app.on("/voice/incoming", response('<Gather numDigits="1" timeout="2" actionOnEmptyResult="true"'
                                       ' action="/voice/got"><Say>Menu</Say></Gather><Say>Not reached</Say>'))
    app.on("/voice/got", response("<Hangup/>"))
    call = sim.dial(CALLER).wait(10)
    assert "Digits" not in app.received("/voice/got")[0].form
    assert call.heard() == ["Menu"]


def test_gather_without_action_posts_to_the_documents_own_url(app: TwimlApp, sim: Simulator) -> None:
    answers = iter([response('<Gather numDigits="1"><Say>Again</Say></Gather>'), response("<Hangup/>")])
    app.on("/voice/incoming", lambda _: next(answers))
    sim.dial(CALLER, keys=["7"]).wait(10)
    second = app.received("/voice/incoming")[1]
    assert second.form["Digits"] == "7" and second.form["CallStatus"] == "in-progress"


def test_a_key_pressed_during_the_prompt_interrupts_it(app: TwimlApp, sim: Simulator) -> None:
    long_prompt = " ".join(["word"] * 50)    # 20 simulated seconds
    app.on("/voice/incoming", response(f'<Gather numDigits="1" action="/voice/got"><Say>{long_prompt}</Say>'
                                       "</Gather>"))
    app.on("/voice/got", response())
    sim.dial(CALLER, keys=["3"], barge_in=True, key_delay=1).wait(10)
    incoming, got = app.received("/voice/incoming")[0], app.received("/voice/got")[0]
    assert got.form["Digits"] == "3"
    assert got.at - incoming.at < 10 / 100, "the caller did not have to hear the whole prompt"


def test_reject_leaves_the_call_unanswered_with_busy_or_no_answer(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response('<Reject reason="busy"/><Say>Never</Say>'))
    busy = sim.dial(CALLER).wait(10)
    app.on("/voice/incoming", response("<Reject/>"))
    rejected = sim.dial(CALLER).wait(10)
    assert (busy.status, rejected.status) == ("busy", "no-answer")
    assert busy.heard() == [] and not busy.call.answered


def wav(seconds: float) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"\0\0" * int(8000 * seconds))
    return buffer.getvalue()


def test_play_fetches_the_services_audio_to_know_its_length_and_loops(app: TwimlApp, sim: Simulator) -> None:
    app.on("/sounds/tone.wav", wav(6.0), content_type="audio/wav")
    app.on("/voice/incoming", response('<Play loop="2">/sounds/tone.wav</Play><Redirect>/voice/end</Redirect>'))
    app.on("/voice/end", response("<Hangup/><Say>Never</Say>"))
    call = sim.dial(CALLER).wait(10)
    played = [e.text for e in call.events() if e.kind == "play"]
    assert played == [f"{app.url}/sounds/tone.wav"] * 2
    assert len(app.received("/sounds/tone.wav")) == 1, "measured once, then cached"
    took = app.received("/voice/end")[0].at - app.received("/voice/incoming")[0].at
    assert 12 / 100 <= took < 12 / 100 + 0.25
    assert call.heard() == []


def test_audio_the_service_cannot_serve_is_flagged(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response("<Play>/sounds/missing.wav</Play><Say>After</Say>"))
    call = sim.dial(CALLER).wait(10)
    assert call.heard() == ["After"]
    assert [f.kind for f in sim.flags] == ["audio-error"]


def test_the_caller_hanging_up_stops_the_twiml(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response(f"<Say>{TEN_WORDS} {TEN_WORDS}</Say>", "<Redirect>/voice/next</Redirect>"))
    call = sim.dial(CALLER, hangup_after=3).wait(10)
    assert call.status == "completed" and 1 <= call.call.duration(sim.net.clock) <= 5
    assert app.received("/voice/next") == []
