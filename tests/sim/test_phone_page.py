"""The browser phone page the emulator serves, and the event-stream options it relies on."""
from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest

from sim import Simulator

from .conftest import CALLER
from .stub import TwimlApp, response


def get(sim: Simulator, path: str) -> tuple[int, str, str]:
    request = urllib.request.Request(sim.url + path)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.headers["Content-Type"], answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], ""


def test_the_page_and_its_script_and_style_are_served_with_nothing_from_elsewhere(sim: Simulator) -> None:
    status, kind, page = get(sim, "/phone")
    assert status == 200 and kind.startswith("text/html")
    assert 'id="caller"' in page and 'id="staff"' in page and 'aria-live="polite"' in page
    assert "/phone/static/phone.js" in page and "/phone/static/phone.css" in page
    status, kind, script = get(sim, "/phone/static/phone.js")
    assert status == 200 and kind.startswith("application/javascript")
    assert "/sim/stream?unnamed=1" in script and "/sim/calls" in script and "/sim/phones" in script
    status, kind, style = get(sim, "/phone/static/phone.css")
    assert status == 200 and kind.startswith("text/css")
    for text in (page, script, style):   # offline: no CDN, no external font, no absolute URL
        assert not re.search(r"(?:src|href)=\"https?://|url\(\s*['\"]?https?://|fetch\(\s*['\"`]https?://", text)


def test_unknown_static_files_are_not_found_and_the_root_leads_to_the_page(sim: Simulator) -> None:
    assert get(sim, "/phone/static/index.html")[0] == 404
    assert get(sim, "/phone/static/..%2Fcontrol.py")[0] == 404
    status, _, page = get(sim, "/")
    assert status == 200 and 'id="caller"' in page  # followed the redirect


def read_events(stream: http.client.HTTPResponse, until: str) -> list[str]:
    lines: list[str] = []
    while not any(until in line for line in lines):
        lines.append(stream.readline().decode().strip())
    return lines


@contextmanager
def open_stream(sim: Simulator, path: str, headers: dict[str, str] | None = None) -> Iterator[http.client.HTTPResponse]:
    host, port = sim.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path, headers=headers or {})
        yield connection.getresponse()
    finally:
        connection.close()


def test_unnamed_events_reach_a_page_s_onmessage(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response("<Say>Plain messages</Say>"))
    with open_stream(sim, f"/sim/stream?unnamed=1&party={quote(CALLER)}") as stream:
        sim.dial(CALLER, talk=1)
        lines = read_events(stream, "Plain messages")
    assert not any(line.startswith("event:") for line in lines)
    data = [json.loads(line.removeprefix("data: ")) for line in lines if line.startswith("data: ")]
    assert [d["kind"] for d in data][:2] == ["dialled", "say"]
    ids = [line for line in lines if line.startswith("id: ")]
    assert len(ids) == len(data)


def test_a_reconnecting_page_gets_the_events_it_missed_first(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response("<Say>First words</Say><Say>Second words</Say><Hangup/>"))
    call = sim.dial(CALLER, manual=True).wait(10)
    events = call.events()
    first = next(e for e in events if e.text == "First words")
    with open_stream(sim, f"/sim/stream?party={quote(CALLER)}", {"Last-Event-ID": str(first.seq)}) as stream:
        lines = read_events(stream, '"kind": "hangup"')
    data = [json.loads(line.removeprefix("data: ")) for line in lines if line.startswith("data: ")]
    assert [d["seq"] for d in data] == [e.seq for e in events if e.seq > first.seq]
    assert data[0]["text"] == "Second words" and "event: say" in lines


@pytest.mark.parametrize("role", ["staff", "caller"])
def test_a_page_s_phone_keeps_its_label_and_role(sim: Simulator, role: str) -> None:
    body = json.dumps({"address": "+12025550119", "role": role, "label": "Ada Example (en)"}).encode()
    request = urllib.request.Request(sim.url + "/sim/phones", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 201
    state = json.loads(get(sim, "/sim")[2])
    assert {"address": "+12025550119", "label": "Ada Example (en)", "role": role, "manual": True,
            "ringing": [], "active": []} in state["phones"]


def test_a_page_opened_during_a_call_starts_its_stream_where_its_state_ends(app: TwimlApp, sim: Simulator) -> None:
    app.on("/voice/incoming", response("<Say>Before the page</Say><Say>After the page</Say><Hangup/>"))
    call = sim.dial(CALLER, manual=True).wait(10)
    before = next(e for e in call.events() if e.text == "Before the page")
    assert json.loads(get(sim, "/sim")[2])["seq"] == call.events()[-1].seq
    with open_stream(sim, f"/sim/stream?unnamed=1&after={before.seq}&party={quote(CALLER)}") as stream:
        lines = read_events(stream, '"kind": "hangup"')
    data = [json.loads(line.removeprefix("data: ")) for line in lines if line.startswith("data: ")]
    assert data[0]["text"] == "After the page" and all(d["seq"] > before.seq for d in data)
