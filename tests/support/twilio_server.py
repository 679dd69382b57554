"""Twilio's REST API over real HTTP for tests with worker processes: spec-checked, timestamped.

Worker processes reach it through TWILIO_API_BASE_URL, exactly as they would reach the
emulator or api.twilio.com. Each request is validated against the official spec (see
``twilio_rest.SpecCheckedTwilio``) and recorded with its arrival time.
"""
from __future__ import annotations

import base64
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .twilio_rest import SpecCheckedTwilio, spec


class TwilioServer:
    """A threaded HTTP server in front of a SpecCheckedTwilio; ``on_create`` sees each new call."""

    def __init__(self, username: str, password: str,
                 on_create: Callable[[str, dict[str, Any]], None] | None = None) -> None:
        self.fake = SpecCheckedTwilio()
        spec()  # load it now, not on the first request (it takes seconds)
        self.auth = "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()
        self.on_create = on_create
        self.arrivals: list[float] = []  # monotonic arrival time of every call creation
        self.accepted: dict[Any, float] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server._handle(self, "GET")

            def do_POST(self) -> None:  # noqa: N802
                server._handle(self, "POST")

            def log_message(self, *args: Any) -> None:  # no stderr noise; nothing with numbers
                return

        class Server(ThreadingHTTPServer):
            def process_request(self, request: Any, client_address: Any) -> None:
                server.accepted[client_address] = time.monotonic()  # as early as the connection is seen
                super().process_request(request, client_address)

            def handle_error(self, request: Any, client_address: Any) -> None:
                if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                    super().handle_error(request, client_address)  # a killed worker's hang-up is expected

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> TwilioServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        arrived = self.accepted.pop(handler.client_address, time.monotonic())
        if handler.headers.get("Authorization") != self.auth:
            self._reply(handler, 401, b'{"code": 20003, "message": "Authenticate", "status": 401}')
            return
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        parts = urlsplit(handler.path)
        data = {k: v if len(v) > 1 else v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
        params = {k: v[0] for k, v in parse_qs(parts.query).items()}
        user, _, secret = base64.b64decode(self.auth.split()[1]).decode().partition(":")
        response = self.fake.request(method, f"https://api.twilio.com{parts.path}", params=params or None,
                                     data=data or None, auth=(user, secret))
        if method == "POST" and parts.path.endswith("/Calls.json"):
            self.arrivals.append(arrived)
            if response.status_code == 201 and self.on_create:
                sid = self.fake.requests[-1].get("sid") if self.fake.requests else None
                if sid:
                    self.on_create(sid, data)
        self._reply(handler, response.status_code, response.text.encode())

    @staticmethod
    def _reply(handler: BaseHTTPRequestHandler, status: int, payload: bytes) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)


def busiest_second(arrivals: list[float]) -> int:
    """The most requests that arrived within any one-second window."""
    times = sorted(arrivals)
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best
