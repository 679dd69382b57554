from __future__ import annotations

from sim import Simulator

from .conftest import CALLER
from .stub import TwimlApp, response


def test_a_caller_hears_the_say_and_the_call_completes(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response("<Say>Hello there caller</Say><Hangup/>"))
    call = sim.dial(CALLER).wait(10)
    assert call.heard() == ["Hello there caller"]
    assert call.status == "completed"
    first = app.received("/voice/incoming")[0]
    assert first.signed and first.form["CallStatus"] == "ringing"
