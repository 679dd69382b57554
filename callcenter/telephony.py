"""The one door to Twilio's REST API.

The client is built from settings. Its HTTP client rewrites Twilio's host to the
configured base URL, so the local emulator (or a validating test double) stands in
for api.twilio.com without touching the rest of the library.
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from twilio.base.exceptions import TwilioRestException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from .settings import TWILIO_API, Settings

log = logging.getLogger(__name__)

__all__ = ["BaseUrlHttpClient", "Telephony", "TwilioRestException"]


class BaseUrlHttpClient(HttpClient):
    """Sends Twilio's requests to another base URL (scheme, host and port)."""

    def __init__(self, base_url: str, inner: HttpClient | None = None, timeout: float = 10.0) -> None:
        super().__init__(logging.getLogger("callcenter.telephony.http"), False, timeout)
        self.base = urlsplit(base_url)
        self.inner = inner or TwilioHttpClient(timeout=timeout, logger=logging.getLogger("twilio.http_client"))

    def request(self, method: str, uri: str, params: Any = None, data: Any = None, headers: Any = None,
                auth: Any = None, timeout: float | None = None, allow_redirects: bool = False) -> Response:
        parts = urlsplit(uri)
        if parts.hostname and parts.hostname.endswith("twilio.com"):
            path = self.base.path.rstrip("/") + parts.path
            uri = urlunsplit((self.base.scheme, self.base.netloc, path, parts.query, parts.fragment))
        return self.inner.request(method, uri, params=params, data=data, headers=headers, auth=auth,
                                  timeout=timeout or self.timeout, allow_redirects=allow_redirects)


class Telephony:
    """Calls placed, redirected, ended and looked up through Twilio's REST API."""

    def __init__(self, settings: Settings, http_client: HttpClient | None = None) -> None:
        username = settings.twilio_api_key or settings.twilio_account_sid
        password = settings.twilio_api_secret or settings.twilio_auth_token
        if http_client is None and settings.twilio_api_base_url != TWILIO_API:
            http_client = BaseUrlHttpClient(settings.twilio_api_base_url)
        self.client = Client(username, password, settings.twilio_account_sid, http_client=http_client)
        self.account_sid = settings.twilio_account_sid

    def call_status(self, call_sid: str) -> str:
        """Twilio's current status of a call."""
        return str(self.client.calls(call_sid).fetch().status)

    def redirect(self, call_sid: str, url: str) -> None:
        """Send a live call to new TwiML (e.g. a held caller into routing)."""
        self.client.calls(call_sid).update(url=url, method="POST")

    def end(self, call_sid: str, *, ringing: bool = False) -> None:
        """Hang up a call (``canceled`` for one that is still ringing)."""
        self.client.calls(call_sid).update(status="canceled" if ringing else "completed")

    def place_call(self, *, to: str, from_: str, url: str, status_callback: str,
                   events: Sequence[str] = ("initiated", "ringing", "answered", "completed"),
                   timeout: int = 30, machine_detection: str | None = None) -> str:
        """Start an outbound call whose TwiML comes from ``url``; returns its SID."""
        options: dict[str, Any] = {}
        if machine_detection:
            options["machine_detection"] = machine_detection
        call = self.client.calls.create(
            to=to, from_=from_, url=url, method="POST", status_callback=status_callback,
            status_callback_method="POST", status_callback_event=list(events), timeout=timeout, **options)
        return str(call.sid)
