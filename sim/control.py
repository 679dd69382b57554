"""The HTTP control API a browser phone page (or a script) drives the simulated parties with."""
from __future__ import annotations

import asyncio
import json
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .line import Event, Line
from .personas import Behaviour
from .phones import Phone
from .stats import latency_table

if TYPE_CHECKING:
    from .network import Network

KEEPALIVE = 15.0
#: The browser phone page and its static files (plain HTML, CSS and JavaScript; no build step).
PAGE_DIR = Path(__file__).resolve().parent / "phone"
STATIC = {"phone.js": "application/javascript", "phone.css": "text/css"}


def call_summary(net: Network, sid: str) -> dict[str, Any]:
    call = net.calls[sid]
    return {"sid": call.sid, "direction": call.direction, "from": call.from_, "to": call.to, "status": call.status,
            "parent_call_sid": call.parent.sid if call.parent else None, "answered_by": call.answered_by,
            "duration": call.duration(net.clock), "bridged_with": call.bridged_with.sid if call.bridged_with else None,
            "party": call.line.phone.address if call.line else None, "ringing": bool(call.line and call.line.ringing)}


class ControlApi:
    """Place calls, press keys, answer, hang up, and watch what every party hears."""

    def __init__(self, net: Network, history: int = 10000) -> None:
        self.net = net
        self.recent: deque[Event] = deque(maxlen=history)
        self.arrived = asyncio.Event()
        net.listeners.append(self._keep)

    def _keep(self, event: Event) -> None:
        self.recent.append(event)
        self.arrived.set()

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/sim", self.state), web.get("/sim/calls", self.calls), web.post("/sim/calls", self.place),
            web.post("/sim/calls/{sid}/{action}", self.act), web.get("/sim/phones", self.phones),
            web.post("/sim/phones", self.add_phone), web.delete("/sim/phones/{address}", self.remove_phone),
            web.get("/sim/phones/{address}/transcript", self.transcript), web.get("/sim/events", self.events),
            web.get("/sim/stream", self.stream), web.get("/sim/flags", self.flags),
            web.get("/sim/rest-log", self.rest_log), web.get("/sim/webhooks", self.webhooks),
            web.get("/", self.home), web.get("/phone", self.page), web.get("/phone/static/{name}", self.static),
        ]

    # ------------------------------------------------------------------ the browser phone page

    async def home(self, request: web.Request) -> web.Response:
        raise web.HTTPFound("/phone")

    async def page(self, request: web.Request) -> web.Response:
        """The browser phone: a caller panel and the staff phones, driven through this API."""
        return web.Response(text=(PAGE_DIR / "index.html").read_text(encoding="utf-8"), content_type="text/html",
                            headers={"Cache-Control": "no-cache"})

    async def static(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in STATIC:
            raise web.HTTPNotFound()
        return web.Response(text=(PAGE_DIR / name).read_text(encoding="utf-8"), content_type=STATIC[name],
                            headers={"Cache-Control": "no-cache"})

    # ------------------------------------------------------------------ reading

    async def state(self, request: web.Request) -> web.Response:
        net = self.net
        return web.json_response({
            "account_sid": net.config.credentials.account_sid, "speed": net.clock.speed,
            "numbers": [n.number for n in net.config.numbers],
            "phones": [p.summary() for p in net.phones.values()],
            "calls": [call_summary(net, sid) for sid, c in net.calls.items() if not c.final],
            "queues": {q.name: len(q.members) for q in net.queues.by_name.values()},
            "seq": self.recent[-1].seq if self.recent else -1})

    async def calls(self, request: web.Request) -> web.Response:
        live = request.query.get("live") in ("1", "true")
        return web.json_response([call_summary(self.net, sid) for sid, call in self.net.calls.items()
                                  if not (live and call.final)])

    async def phones(self, request: web.Request) -> web.Response:
        return web.json_response([p.summary() for p in self.net.phones.values()])

    async def transcript(self, request: web.Request) -> web.Response:
        phone = self._phone(request.match_info["address"])
        return web.json_response([e.to_json() for e in phone.transcript.events])

    async def flags(self, request: web.Request) -> web.Response:
        return web.json_response([vars(flag) for flag in self.net.flags])

    async def rest_log(self, request: web.Request) -> web.Response:
        from .server import REST

        rest = request.app.get(REST)
        records = rest.log if rest is not None else []
        return web.json_response([vars(r) for r in records])

    async def webhooks(self, request: web.Request) -> web.Response:
        return web.json_response(latency_table(self.net.webhooks.deliveries))

    async def events(self, request: web.Request) -> web.Response:
        """Long poll: events after ``after`` (a seq), waiting up to ``wait`` seconds for the first."""
        after = int(request.query.get("after", -1))
        wait = min(float(request.query.get("wait", 25)), 60.0)
        found = self._since(after, request.query)
        if not found and wait > 0:
            self.arrived.clear()
            try:
                await asyncio.wait_for(self.arrived.wait(), wait)
            except TimeoutError:
                pass
            found = self._since(after, request.query)
        return web.json_response([e.to_json() for e in found])

    def _since(self, after: int, query: Any) -> list[Event]:
        return [e for e in self.recent if e.seq > after and _wanted(e, query)]

    async def stream(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: every event of the network (filter with ``party`` or ``call``).

        Each is ``event: <kind>`` unless ``unnamed=1`` (then a page's ``onmessage`` gets them all). The
        events after ``after`` (a seq, e.g. ``GET /sim``'s) come first; so do those a reconnecting
        ``EventSource`` missed (it sends ``Last-Event-ID``, which wins).
        """
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        await response.prepare(request)
        named = request.query.get("unnamed") not in ("1", "true")
        queue: asyncio.Queue[Event] = asyncio.Queue()
        self.net.subscribers.add(queue)
        last = _last_event_id(request.headers.get("Last-Event-ID", "")) if "Last-Event-ID" in request.headers \
            else _last_event_id(request.query.get("after", ""))
        try:
            if last is not None:
                for event in self._since(last, request.query):
                    await response.write(_sse(event, named))
                    last = event.seq
            while True:
                try:
                    event = await asyncio.wait_for(queue.get(), KEEPALIVE)
                except TimeoutError:
                    await response.write(b": keep-alive\n\n")
                    continue
                if _wanted(event, request.query) and (last is None or event.seq > last):
                    await response.write(_sse(event, named))
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        finally:
            self.net.subscribers.discard(queue)
        return response

    # ------------------------------------------------------------------ acting

    async def place(self, request: web.Request) -> web.Response:
        """A caller dials: ``{"from": "+1…" | "anonymous", "to"?, "persona"?: {…}}`` (no persona: manual)."""
        body = await _json(request)
        from_ = str(body.get("from") or "anonymous")
        to = str(body.get("to") or self.net.config.numbers[0].number)
        phone = self.net.phones.get(from_)
        if phone is None:
            persona = body.get("persona")
            phone = Phone(from_, Behaviour.from_dict(persona) if persona else None, manual=persona is None,
                          role="caller")
        call = self.net.dial_in(phone, to)
        return web.json_response(call_summary(self.net, call.sid), status=201)

    async def act(self, request: web.Request) -> web.Response:
        """``digits`` {digits}, ``speak`` {seconds}, ``hangup``, ``answer``, ``decline`` {busy} on a call's party."""
        call = self.net.calls.get(request.match_info["sid"])
        if call is None or call.line is None:
            raise web.HTTPNotFound(text=json.dumps({"message": "no such call with a party"}),
                                   content_type="application/json")
        line: Line = call.line
        body = await _json(request)
        action = request.match_info["action"]
        if action == "digits":
            line.press(str(body.get("digits", "")))
        elif action == "speak":
            line.speak(float(body.get("seconds", 5)))
        elif action == "hangup":
            line.hang_up()
        elif action == "answer":
            line.answer()
        elif action == "decline":
            line.decline(busy=bool(body.get("busy", True)))
        else:
            raise web.HTTPNotFound(text=json.dumps({"message": f"unknown action {action}"}),
                                   content_type="application/json")
        return web.json_response(call_summary(self.net, call.sid))

    async def add_phone(self, request: web.Request) -> web.Response:
        """Register a phone: ``{"address": "+1…" | "client:name", "persona"?: {…}, "role"?}`` (no persona: manual)."""
        body = await _json(request)
        address = str(body.get("address") or "")
        if not address:
            raise web.HTTPBadRequest(text=json.dumps({"message": "address is required"}),
                                     content_type="application/json")
        persona = body.get("persona")
        phone = Phone(address, Behaviour.from_dict(persona) if persona else None, manual=persona is None,
                      role=str(body.get("role", "staff")), label=str(body.get("label", "")))
        self.net.register(phone)
        return web.json_response(phone.summary(), status=201)

    async def remove_phone(self, request: web.Request) -> web.Response:
        self.net.unregister(request.match_info["address"])
        return web.json_response({}, status=200)

    def _phone(self, address: str) -> Phone:
        phone = self.net.phones.get(address) or next(
            (line.phone for call in self.net.calls.values() if (line := call.line) and line.phone.address == address),
            None)
        if phone is None:
            raise web.HTTPNotFound(text=json.dumps({"message": "no such phone"}), content_type="application/json")
        return phone


def _sse(event: Event, named: bool) -> bytes:
    kind = f"event: {event.kind}\n" if named else ""
    return f"id: {event.seq}\n{kind}data: {json.dumps(event.to_json())}\n\n".encode()


def _last_event_id(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.lstrip("-").isdigit() else None


def _wanted(event: Event, query: Any) -> bool:
    return (not query.get("party") or event.party == query["party"]) and (
        not query.get("call") or event.call_sid == query["call"])


async def _json(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except json.JSONDecodeError:
        raise web.HTTPBadRequest(text=json.dumps({"message": "body must be JSON"}),
                                 content_type="application/json") from None
    return body if isinstance(body, dict) else {}
