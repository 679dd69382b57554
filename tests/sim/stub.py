"""A tiny web app standing in for the helpline: canned TwiML per path, every request recorded."""
from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from twilio.request_validator import RequestValidator


@dataclass
class Received:
    """One request the app got."""

    method: str
    path: str
    url: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]
    signed: bool
    at: float


Answer = str | bytes | tuple[int, str] | Callable[[Received], str | tuple[int, str]]


@dataclass
class Route:
    answer: Answer
    delay: float = 0.0
    content_type: str = "text/xml"


class TwimlApp:
    """Runs in its own thread; ``on(path, twiml)`` sets an answer, ``received(path)`` lists requests."""

    def __init__(self, auth_token: str) -> None:
        self.validator = RequestValidator(auth_token)
        self.routes: dict[str, Route] = {}
        self.requests: list[Received] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner: web.AppRunner | None = None
        self.url = ""

    def on(self, path: str, answer: Answer, *, delay: float = 0.0, content_type: str = "text/xml") -> None:
        self.routes[path] = Route(answer, delay, content_type)

    def received(self, path: str | None = None) -> list[Received]:
        return [r for r in list(self.requests) if path is None or r.path == path]

    def wait_for(self, path: str, count: int = 1, timeout: float = 10.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.received(path)
            if len(found) >= count:
                return found
            time.sleep(0.01)
        raise AssertionError(f"{path} got {len(self.received(path))} requests, expected {count}")

    async def _handle(self, request: web.Request) -> web.Response:
        form = {k: v for k, v in (await request.post()).items() if isinstance(v, str)}
        url = str(request.url)
        signed = self.validator.validate(url, form, request.headers.get("X-Twilio-Signature", ""))
        received = Received(request.method, request.path, url, dict(request.query), form, dict(request.headers),
                            signed, time.monotonic())
        self.requests.append(received)
        route = self.routes.get(request.path)
        if route is None:
            return web.Response(status=404, text="not found")
        if route.delay:
            await asyncio.sleep(route.delay)
        answer = route.answer(received) if callable(route.answer) else route.answer
        status, body = answer if isinstance(answer, tuple) else (200, answer)
        if isinstance(body, bytes):
            return web.Response(status=status, body=body, content_type=route.content_type)
        return web.Response(status=status, text=body, content_type=route.content_type)

    async def _start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return f"http://127.0.0.1:{port}"

    def start(self) -> TwimlApp:
        self.thread.start()
        self.url = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        return self

    def stop(self) -> None:
        if self.runner is not None:
            asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


def response(*verbs: str) -> str:
    """A TwiML document from verb strings."""
    return '<?xml version="1.0" encoding="UTF-8"?><Response>' + "".join(verbs) + "</Response>"


def form_of(received: Received) -> dict[str, Any]:
    return dict(received.form)
