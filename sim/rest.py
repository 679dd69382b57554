"""The subset of api.twilio.com/2010-04-01 the service uses: Calls create, fetch, update, list."""
from __future__ import annotations

import asyncio
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from aiohttp import BasicAuth, web

from . import spec, twiml
from .calls import Call, Goto, StatusCallback
from .outbound import Pacer, place

if TYPE_CHECKING:
    from .network import Network

PREFIX = "/2010-04-01/Accounts/{account}/Calls"
ADDRESS = re.compile(r"^(\+[1-9]\d{6,14}|client:[A-Za-z0-9_]{1,120})$")
RINGING = {"queued", "initiated", "ringing"}


@dataclass
class RestRecord:
    """One REST request as it arrived (monotonic and wall clock) and the status it got."""

    method: str
    path: str
    monotonic: float
    wall: float
    form: dict[str, list[str]] = field(default_factory=dict)
    query: dict[str, list[str]] = field(default_factory=dict)
    status: int = 0
    sid: str | None = None

    @property
    def created_call(self) -> bool:
        return self.method == "POST" and self.path.endswith("/Calls.json") and self.status == 201


class RestError(Exception):
    """An answer in Twilio's error shape."""

    def __init__(self, status: int, code: int, message: str) -> None:
        super().__init__(message)
        self.status, self.code = status, code


class RestApi:
    """Serves the Calls resource from the network's calls; every request is checked against the spec."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.pacer = Pacer(net.config.calls_per_second)
        self.log: list[RestRecord] = []
        self.violations: list[str] = []    # answers of ours the spec rejects (with check_responses)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sim-spec")

    def routes(self) -> list[web.RouteDef]:
        return [web.route("*", "/2010-04-01/{tail:.*}", self.handle)]

    async def warm(self) -> None:
        """Load the spec now (3 s of CPU), so the first request does not wait for it mid-run."""
        await asyncio.get_running_loop().run_in_executor(self.executor, spec.spec)

    def close(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        record = RestRecord(request.method, request.path, time.monotonic(), time.time(),
                            query={k: request.query.getall(k) for k in request.query})
        if request.content_type == "application/x-www-form-urlencoded":
            record.form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        self.log.append(record)
        try:
            self._authenticate(request)
            problem = await asyncio.get_running_loop().run_in_executor(
                self.executor, spec.request_problem, request.method, request.path,
                {k: request.query.getall(k) for k in request.query}, dict(request.headers), body,
                request.content_type)
            if problem:
                raise RestError(400, _code_for(problem), problem)
            status, payload = self._dispatch(request, {k: v for k, v in record.form.items()})
        except RestError as error:
            status, payload = error.status, spec.error_body(error.status, error.code, str(error))
        record.status = status
        record.sid = payload.get("sid") if isinstance(payload, dict) else None
        if self.net.config.check_responses and status < 300:
            problem = await asyncio.get_running_loop().run_in_executor(
                self.executor, spec.response_problem, request.method, request.path, status, payload)
            if problem:
                self.violations.append(f"{request.method} {request.path}: {problem}")
        headers = {"WWW-Authenticate": 'Basic realm="Twilio API"'} if status == 401 else None
        return web.json_response(payload, status=status, headers=headers)

    def _authenticate(self, request: web.Request) -> None:
        header = request.headers.get("Authorization", "")
        try:
            auth = BasicAuth.decode(header) if header else None
        except ValueError:
            auth = None
        if auth is None or not self.net.config.credentials.accepts(auth.login, auth.password):
            raise RestError(401, 20003, "Authenticate")

    def _dispatch(self, request: web.Request, form: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
        parts = request.path.split("/")
        account = self.net.config.credentials.account_sid
        if len(parts) < 5 or parts[3] != account or parts[4] not in ("Calls.json", "Calls"):
            raise RestError(404, 20404, f"The requested resource {request.path} was not found")
        if len(parts) == 5 and request.method == "POST":
            return 201, self.create(form).resource(self.net.clock)
        if len(parts) == 5 and request.method == "GET":
            return 200, self.list(request)
        if len(parts) == 6 and parts[5].endswith(".json"):
            call = self.net.calls.get(parts[5].removesuffix(".json"))
            if call is None:
                raise RestError(404, 20404, f"The requested resource {request.path} was not found")
            if request.method == "GET":
                return 200, call.resource(self.net.clock)
            if request.method == "POST":
                return 200, self.update(call, form).resource(self.net.clock)
        raise RestError(404, 20404, f"The requested resource {request.path} was not found")

    # ------------------------------------------------------------------ Calls

    def create(self, form: dict[str, list[str]]) -> Call:
        to, from_ = _one(form, "To"), _one(form, "From")
        if not ADDRESS.match(to):
            raise RestError(400, 21211, "Invalid 'To' Phone Number")
        if self.net.config.number(from_) is None and not from_.startswith("client:"):
            raise RestError(400, 21210, "The source phone number provided is not yet verified for your account")
        url, inline = _one(form, "Url"), form.get("Twiml", [None])[0]
        if not url and inline is None:
            raise RestError(400, 21205, "Url parameter is required (or Twiml)")
        if url and not url.startswith(("http://", "https://")):
            raise RestError(400, 21205, "Url is not a valid URL")
        if inline is not None:
            _check_twiml(inline)
        fallback = (_one(form, "FallbackUrl"), _one(form, "FallbackMethod") or "POST") \
            if _one(form, "FallbackUrl") else None
        call = self.net.new_call(direction="outbound-api", from_=from_, to=to, callback=_callback(form),
                                 fallback=fallback)
        call.url, call.method, call.twiml = url or None, (_one(form, "Method") or "POST").upper(), inline
        call.timeout = float(_one(form, "Timeout") or 60)
        call.machine_detection = _one(form, "MachineDetection") or None
        self.net.spawn(place(self.net, call, self.pacer), f"outbound-{call.sid}")
        return call

    def update(self, call: Call, form: dict[str, list[str]]) -> Call:
        status = _one(form, "Status")
        url, inline = _one(form, "Url"), form.get("Twiml", [None])[0]
        if status == "canceled":
            if call.status not in RINGING:
                raise RestError(400, 21220, "Call is not queued or ringing: it cannot be canceled")
            self.net.hang_up(call, status="canceled")
        elif status == "completed":
            if call.final:
                raise RestError(400, 21220, "Call is not in-progress. Cannot complete it.")
            self.net.hang_up(call, status="completed" if call.answered else "canceled")
        elif url or inline is not None:
            if call.final:
                raise RestError(400, 21220, "Call is not in-progress. Cannot redirect.")
            if inline is not None:
                _check_twiml(inline)
            method = (_one(form, "Method") or "POST").upper()
            if call.answered:
                call.request_redirect(Goto(url, method, twiml=inline))
            else:
                call.url, call.method, call.twiml = url or None, method, inline
        if _one(form, "StatusCallback"):
            events = call.callback.events if call.callback else frozenset({"completed"})
            call.callback = StatusCallback(_one(form, "StatusCallback"),
                                           (_one(form, "StatusCallbackMethod") or "POST").upper(), events)
        if _one(form, "FallbackUrl"):
            call.fallback = (_one(form, "FallbackUrl"), (_one(form, "FallbackMethod") or "POST").upper())
        call.updated = time.time()
        return call

    def list(self, request: web.Request) -> dict[str, Any]:
        size, page = int(request.query.get("PageSize", 50)), int(request.query.get("Page", 0))
        filters = {"Status": "status", "To": "to", "From": "from", "ParentCallSid": "parent_call_sid"}
        newest_first = sorted(self.net.calls.values(), key=lambda call: call.created, reverse=True)
        rows = [call.resource(self.net.clock) for call in newest_first]
        for name, key in filters.items():
            if name in request.query:
                rows = [row for row in rows if row[key] == request.query[name]]
        chunk = rows[page * size:(page + 1) * size]
        base = request.path
        more = len(rows) > (page + 1) * size
        return {"calls": chunk, "start": page * size, "end": page * size + max(0, len(chunk) - 1), "page": page,
                "page_size": size, "uri": f"{base}?PageSize={size}&Page={page}",
                "first_page_uri": f"{base}?PageSize={size}&Page=0",
                "next_page_uri": f"{base}?PageSize={size}&Page={page + 1}&PageToken=PA{page + 1}" if more else None,
                "previous_page_uri": f"{base}?PageSize={size}&Page={page - 1}" if page else None}


def _one(form: dict[str, list[str]], name: str) -> str:
    values = form.get(name) or [""]
    return values[0]


def _callback(form: dict[str, list[str]]) -> StatusCallback | None:
    url = _one(form, "StatusCallback")
    if not url:
        return None
    events = frozenset(e for value in form.get("StatusCallbackEvent", []) for e in value.split()) or {"completed"}
    return StatusCallback(url, (_one(form, "StatusCallbackMethod") or "POST").upper(), frozenset(events))


def _check_twiml(document: str) -> None:
    try:
        twiml.parse(document)
    except twiml.TwimlError as error:
        raise RestError(400, error.code, f"Twiml is not valid: {error}") from None


def _code_for(problem: str) -> int:
    """Twilio's codes for a missing To or From; 20001 for anything else the spec refuses."""
    if "'To' is a required" in problem:
        return 21201
    if "'From' is a required" in problem:
        return 21213
    return 20001
