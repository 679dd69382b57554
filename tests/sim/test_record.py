"""<Record>: the action's recording parameters, the recording status callback, and the empty recording."""
from __future__ import annotations

from sim import Simulator

from .conftest import CALLER, CREDENTIALS
from .stub import TwimlApp, response

RECORD = ('<Say>Leave a message</Say><Record action="/recorded" maxLength="60" timeout="3" finishOnKey="#"'
          ' recordingStatusCallback="/recording?call=1" recordingStatusCallbackEvent="completed absent"/>'
          "<Say>Nothing was recorded</Say>")


def test_a_message_is_posted_to_the_action_and_announced_to_the_callback(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response(RECORD))
    app.on("/recorded", response("<Say>Thank you</Say><Hangup/>"))
    app.on("/recording", response())
    call = sim.dial(CALLER, speak=6, after_message="wait").wait(10)
    recorded = app.received("/recorded")[0].form
    assert recorded["RecordingSid"].startswith("RE") and len(recorded["RecordingSid"]) == 34
    assert recorded["RecordingUrl"].endswith(f"/Accounts/{CREDENTIALS.account_sid}/Recordings/"
                                             f"{recorded['RecordingSid']}")
    assert 5 <= int(recorded["RecordingDuration"]) <= 7 and "Digits" not in recorded
    status = app.wait_for("/recording")[0]
    assert status.signed and status.query == {"call": "1"}
    assert (status.form["RecordingStatus"], status.form["RecordingSid"]) == ("completed", recorded["RecordingSid"])
    assert "CallSid" in status.form and "From" not in status.form
    assert call.heard() == ["Leave a message", "Thank you"]
    assert [e.kind for e in call.events()].count("beep") == 1


def test_the_finish_key_ends_the_recording_and_is_reported(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response(RECORD))
    app.on("/recorded", response("<Hangup/>"))
    sim.dial(CALLER, speak=4, after_message="key:#").wait(10)
    assert app.received("/recorded")[0].form["Digits"] == "#"


def test_hanging_up_after_the_message_still_posts_it_with_digits_hangup(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response(RECORD))
    app.on("/recorded", response("<Say>Ignored</Say>"))
    call = sim.dial(CALLER, speak=4, after_message="hangup").wait(10)
    recorded = app.wait_for("/recorded")[0].form
    assert (recorded["Digits"], recorded["CallStatus"]) == ("hangup", "completed")
    assert call.heard() == ["Leave a message"]


def test_silence_means_no_action_and_the_next_verb(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response(RECORD))
    app.on("/recording", response())
    call = sim.dial(CALLER, speak=None).wait(10)
    assert app.received("/recorded") == []
    assert call.heard() == ["Leave a message", "Nothing was recorded"]
    assert app.wait_for("/recording")[0].form["RecordingStatus"] == "absent"


def test_max_length_cuts_a_long_message(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response('<Record action="/recorded" maxLength="5" timeout="10"/>'))
    app.on("/recorded", response("<Hangup/>"))
    sim.dial(CALLER, speak=30, after_message="wait").wait(10)
    assert int(app.received("/recorded")[0].form["RecordingDuration"]) in (4, 5)
