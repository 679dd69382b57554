"""Scenario files, the `python -m sim` commands, and the HTTP control API a phone page will use."""
from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from sim import Simulator
from sim.scenario import EXAMPLE, load_scenario, report, run_scenario

from .conftest import CALLER, CREDENTIALS, HELPLINE
from .stub import TwimlApp, response

ROOT = Path(__file__).resolve().parents[2]
STAFF_A = "+12025550111"
FLOW = response('<Say>Hang up and dial 9 1 1 in an emergency.</Say><Dial action="/after" timeout="10">'
                f'<Number url="/screen">{STAFF_A}</Number></Dial>')
SCREEN = response('<Gather numDigits="1" timeout="3" action="/accepted"><Say>Press 1 to accept.</Say></Gather>'
                  "<Hangup/>")


def serve_flow(app: TwimlApp) -> None:
    app.on("/voice/incoming", FLOW)
    app.on("/screen", SCREEN)
    app.on("/accepted", response("<Say>Connecting.</Say>"))
    app.on("/after", response("<Say>Goodbye.</Say><Hangup/>"))


def test_the_example_scenario_parses_and_bad_settings_are_named() -> None:
    scenario = load_scenario(EXAMPLE)
    assert [address for address, _, _ in scenario.staff] == ["+12025550111", "+12025550112"]
    assert scenario.callers[1].from_ == "anonymous" and scenario.callers[0].expect == ["9 1 1"]
    with pytest.raises(ValueError, match=r"callers\[0\]: unknown persona settings: patience"):
        load_scenario("callers:\n  - {from: anonymous, patience: 3}\n")


def test_a_scenario_runs_every_caller_and_reports_without_phone_numbers(app: TwimlApp, sim: Simulator) -> None:
    serve_flow(app)
    scenario = load_scenario(f"""
staff:
  - {{phone: "{STAFF_A}", answer_after: 2, keys: ["1"], talk: 5}}
callers:
  - {{from: "{CALLER}", at: 0, talk: 60, expect: ["9 1 1", "Goodbye"]}}
  - {{from: anonymous, at: 30, expect: ["never said"]}}
""")
    results = sim.run(run_scenario(sim.net, scenario))
    assert [r.outcome for r in results] == ["answered", "answered"]
    assert results[0].missing == [] and results[1].missing == ["never said"]
    text = sim.inspect(lambda: report(sim.net, results))
    assert "caller 1: answered" in text and "MISSING" in text
    assert "2025550" not in text
    timeline = sim.inspect(lambda: report(sim.net, results, timeline=True))
    assert "pressed      1" in timeline, "the staff leg's events are in the caller's timeline"


def test_the_run_command_serves_rest_and_exits_non_zero_on_a_missing_expectation(app: TwimlApp,
                                                                                  tmp_path: Path) -> None:
    serve_flow(app)
    path = tmp_path / "scenario.yaml"
    path.write_text(f'speed: 100\nservice_url: "{app.url}"\nstaff:\n  - {{phone: "{STAFF_A}", keys: ["1"], '
                    f'talk: 3}}\ncallers:\n  - {{from: "{CALLER}", expect: ["9 1 1", "not said"]}}\n')
    env = {**os.environ, "TWILIO_ACCOUNT_SID": CREDENTIALS.account_sid, "TWILIO_AUTH_TOKEN": CREDENTIALS.auth_token}
    done = subprocess.run([sys.executable, "-m", "sim", "run", str(path), "--port", "0"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    assert "caller 1: answered" in done.stdout and "MISSING expected: ['not said']" in done.stdout
    assert app.received("/voice/incoming")[0].signed


def test_the_staff_command_prints_a_csv_the_service_imports() -> None:
    done = subprocess.run([sys.executable, "-m", "sim", "staff", "--count", "2"], cwd=ROOT, capture_output=True,
                          text=True, timeout=30)
    assert done.stdout.splitlines() == ["name,contact,languages,lines,role,priority",
                                        "Sim staff 1,+12025550101,en;es,admissions,staff,1",
                                        "Sim staff 2,+12025550102,en;es,admissions,staff,2"]


def control(sim: Simulator, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(sim.url + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())


def test_a_page_can_place_a_call_answer_a_staff_phone_press_keys_and_hang_up(app: TwimlApp,
                                                                              sim: Simulator) -> None:
    serve_flow(app)
    app.on("/screen", response('<Gather numDigits="1" timeout="30" action="/accepted"><Say>Press 1 to accept.'
                               "</Say></Gather><Hangup/>"))
    assert control(sim, "POST", "/sim/phones", {"address": STAFF_A})["manual"] is True
    placed = control(sim, "POST", "/sim/calls", {"from": CALLER})
    assert placed["to"] == HELPLINE and placed["status"] == "ringing"
    sim.wait_for(lambda: bool(sim.net.phones[STAFF_A].ringing()), 5, "the staff phone to ring")
    ringing = control(sim, "GET", "/sim/phones")[0]["ringing"]
    control(sim, "POST", f"/sim/calls/{ringing[0]}/answer")
    sim.wait_for(lambda: "Press 1 to accept." in sim.net.phones[STAFF_A].transcript.heard(), 5, "the prompt")
    control(sim, "POST", f"/sim/calls/{ringing[0]}/digits", {"digits": "1"})
    sim.wait_for(lambda: sim.net.calls[placed["sid"]].bridged_with is not None, 5, "the bridge")
    control(sim, "POST", f"/sim/calls/{placed['sid']}/hangup")
    sim.wait_idle(10)
    assert app.received("/accepted")[0].form["Digits"] == "1"
    heard = control(sim, "GET", f"/sim/events?call={placed['sid']}&wait=0")
    assert [e["kind"] for e in heard][:3] == ["dialled", "say", "ringback"]
    assert control(sim, "GET", f"/sim/phones/{STAFF_A}/transcript")[0]["kind"] == "ring"
    assert control(sim, "GET", "/sim/calls?live=1") == []


def test_the_event_stream_sends_what_a_party_hears_as_server_sent_events(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response("<Say>Streamed words</Say>"))
    host, port = sim.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.request("GET", "/sim/stream?party=anonymous")
    stream = connection.getresponse()
    assert stream.headers["Content-Type"] == "text/event-stream"
    control(sim, "POST", "/sim/calls", {"persona": {"talk": 1}})
    lines = []
    while "event: say" not in lines:
        lines.append(stream.readline().decode().strip())
    data = json.loads(stream.readline().decode().removeprefix("data: "))
    assert data["text"] == "Streamed words" and data["party"] == "anonymous"
    connection.close()
