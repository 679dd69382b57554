"""<Enqueue> and <Dial><Queue>: the wait URL loop, its parameters, leaving, and bridging from the front."""
from __future__ import annotations

from collections.abc import Callable

from sim import Simulator

from .conftest import CALLER, CREDENTIALS
from .stub import Received, TwimlApp, response
from .test_rest import client

AGENT = "+12025550150"
ENQUEUE = '<Enqueue waitUrl="/wait" action="/queue-result">support</Enqueue><Say>After the queue</Say>'


def by_caller(enqueue: str, agent: str) -> Callable[[Received], str]:
    return lambda r: response(agent if r.form["From"] == AGENT else enqueue)


def test_the_wait_url_loops_with_the_queue_parameters(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response(ENQUEUE))
    app.on("/wait", response("<Say>Please hold</Say>"))
    app.on("/queue-result", response("<Hangup/>"))
    call = sim.dial(CALLER, hold_patience=8).wait(10)
    waits = app.received("/wait")
    assert len(waits) >= 2 and all(w.signed for w in waits)
    first = waits[0].form
    assert first["QueueSid"].startswith("QU") and first["QueuePosition"] == "1"
    assert (first["CurrentQueueSize"], first["MaxQueueSize"], first["QueueTime"]) == ("1", "1000", "0")
    assert "AvgQueueTime" in first and int(waits[-1].form["QueueTime"]) >= 2
    result = app.wait_for("/queue-result")[0].form
    assert (result["QueueResult"], result["QueueSid"]) == ("hangup", first["QueueSid"])
    assert call.heard()[:2] == ["Please hold", "Please hold"]
    assert "hold" in [e.kind for e in call.events()]


def test_dial_queue_bridges_the_front_caller_after_running_its_url_and_reports_bridged(
        app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", by_caller(ENQUEUE, '<Dial action="/agent-result"><Queue url="/connecting">support'
                                                 "</Queue></Dial>"))
    app.on("/wait", response('<Say>Please hold</Say><Pause length="5"/>'))
    app.on("/connecting", response("<Say>You are being connected</Say>"))
    app.on("/queue-result", response("<Say>Thanks for calling</Say>"))
    app.on("/agent-result", response())
    first = sim.dial(CALLER, talk=60)
    second = sim.dial("+12025550124", talk=60)
    sim.wait_for(lambda: len(app.received("/wait")) >= 2, 5, "both callers to wait")
    agent = sim.dial(AGENT, talk=4).wait(10)
    first.wait(10)
    connecting = app.received("/connecting")[0].form
    assert connecting["CallSid"] == first.sid and connecting["DequeingCallSid"] == agent.sid
    assert connecting["QueueSid"].startswith("QU") and "QueueTime" in connecting
    result = app.received("/queue-result")[0]
    assert result.form["QueueResult"] == "bridged" and result.form["CallSid"] == first.sid
    assert result.at >= app.received("/agent-result")[0].at - 0.05, "requested once the bridge ended"
    assert first.heard()[-2:] == ["You are being connected", "Thanks for calling"]
    agent_result = app.received("/agent-result")[0].form
    assert (agent_result["DialCallStatus"], agent_result["DialCallSid"]) == ("completed", first.sid)
    assert not second.call.final, "the second caller is still waiting"
    second.hang_up()


def test_a_dial_to_an_empty_queue_waits_for_the_next_caller(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", by_caller(ENQUEUE, '<Dial timeout="20"><Queue>support</Queue></Dial>'))
    app.on("/wait", response('<Pause length="10"/>'))
    app.on("/queue-result", response())
    sim.dial("+12025550124", hold_patience=1).wait(10)   # Twilio creates a queue on its first Enqueue
    agent = sim.dial(AGENT, talk=3)
    sim.wait_for(lambda: agent.call.answered, 5, "the agent's call")
    call = sim.dial(CALLER, talk=30).wait(10)
    agent.wait(10)
    assert call.call.peers == [agent.call]
    assert app.received("/queue-result")[-1].form["QueueResult"] == "bridged"


def test_a_dial_to_a_queue_that_never_existed_fails(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response('<Dial action="/agent-result"><Queue>nobody-here</Queue></Dial>'))
    app.on("/agent-result", response())
    sim.dial(AGENT).wait(10)
    assert app.received("/agent-result")[0].form["DialCallStatus"] == "failed"


def test_leave_in_the_wait_url_requests_the_action_at_once(app: TwimlApp, sim: Simulator) -> None:
    loops = iter([response("<Say>Hold on</Say>"), response("<Leave/>")])
    app.on("/voice/incoming", response(ENQUEUE))
    app.on("/wait", lambda _: next(loops))
    app.on("/queue-result", lambda r: response(f"<Say>Left with {r.form['QueueResult']}</Say>"))
    call = sim.dial(CALLER).wait(10)
    assert call.heard() == ["Hold on", "Left with leave"]


def test_leave_without_an_action_goes_on_with_the_next_verb(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response('<Enqueue waitUrl="/wait">support</Enqueue><Say>After the queue</Say>'))
    app.on("/wait", response("<Leave/>"))
    assert sim.dial(CALLER).wait(10).heard() == ["After the queue"]


def test_a_verb_not_allowed_in_a_wait_url_ends_the_hold_with_error(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response(ENQUEUE))
    app.on("/wait", response("<Dial>+12025550111</Dial>"))
    app.on("/queue-result", response("<Hangup/>"))
    sim.dial(CALLER).wait(10)
    assert app.received("/queue-result")[0].form["QueueResult"] == "error"


def test_a_full_queue_refuses_the_caller_with_queue_full(app: TwimlApp, make_sim: Callable[..., Simulator]) -> None:
    sim = make_sim(max_queue_size=1)
    app.on("/voice/incoming", response(ENQUEUE))
    app.on("/wait", response('<Pause length="10"/>'))
    app.on("/queue-result", lambda r: response(f"<Say>{r.form['QueueResult']}</Say><Hangup/>"))
    first = sim.dial(CALLER)
    sim.wait_for(lambda: len(app.received("/wait")) >= 1, 5, "the first caller to wait")
    assert sim.dial("+12025550124").wait(10).heard() == ["queue-full"]
    first.hang_up()


def test_a_rest_redirect_takes_the_caller_out_of_the_queue(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response(ENQUEUE))
    app.on("/wait", response('<Pause length="10"/>'))
    app.on("/queue-result", response("<Say>Ignored: the redirect wins</Say>"))
    app.on("/route", response("<Say>Routed</Say>"))
    call = sim.dial(CALLER)
    sim.wait_for(lambda: len(app.received("/wait")) >= 1, 5, "the caller to wait")
    client(sim).calls(call.sid).update(url=f"{app.url}/route", method="POST")
    call.wait(10)
    assert app.received("/queue-result")[0].form["QueueResult"] == "redirected"
    assert call.heard() == ["Routed"]
    assert app.received("/route")[0].form["AccountSid"] == CREDENTIALS.account_sid
