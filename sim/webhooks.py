"""Signed webhooks, sent the way Twilio sends them: form-encoded, X-Twilio-Signature, a hard timeout."""
from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit

import aiohttp
from twilio.request_validator import RequestValidator

log = logging.getLogger(__name__)
MAX_BODY = 64 * 1024   # Twilio refuses TwiML larger than 64 kB (error 11750)
USER_AGENT = "TwilioProxy/1.1"


@dataclass
class Delivery:
    """One webhook request and what came back."""

    kind: str
    method: str
    url: str
    started: float                      # time.monotonic()
    wall: float
    status: int | None = None
    error: str | None = None            # "timeout" or "connection: …" when no HTTP answer came
    latency: float = 0.0                # real seconds
    body: bytes = b""
    content_type: str = ""
    attempts: int = 1
    params: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def path(self) -> str:
        return urlsplit(self.url).path


@dataclass(frozen=True)
class Overrides:
    """Connection overrides from a URL fragment (``#ct=…&rt=…&tt=…&rc=…&rp=…``); times in ms."""

    connect: float | None = None
    read: float | None = None
    total: float | None = None
    retries: int = 1
    policy: frozenset[str] = frozenset({"ct"})

    @classmethod
    def parse(cls, fragment: str) -> Overrides:
        values = dict(parse_qsl(fragment))
        ms = {k: float(values[k]) / 1000 for k in ("ct", "rt", "tt") if values.get(k, "").isdigit()}
        retries = int(values["rc"]) if values.get("rc", "").isdigit() else 1
        policy = frozenset(values.get("rp", "ct").split(",")) if values.get("rp") else frozenset({"ct"})
        return cls(ms.get("ct"), ms.get("rt"), ms.get("tt"), min(retries, 5), policy)


def signed_request(token: str, url: str, method: str, params: dict[str, str]) -> tuple[str, dict[str, str], str]:
    """The URL to request, the body parameters, and the signature Twilio would compute."""
    validator = RequestValidator(token)
    if method.upper() == "GET":
        full = url + ("&" if "?" in url else "?") + urlencode(params) if params else url
        return full, {}, validator.compute_signature(full, {})
    return url, params, validator.compute_signature(url, params)


class WebhookClient:
    """Sends every webhook of the emulator and keeps a record of each for latency reports."""

    def __init__(self, auth_token: str, timeout: float = 15.0, max_connections: int = 256) -> None:
        self.auth_token = auth_token
        self.timeout = timeout
        self.max_connections = max_connections
        self.session: aiohttp.ClientSession | None = None
        self.fresh: aiohttp.ClientSession | None = None
        self.deliveries: list[Delivery] = []

    async def start(self) -> None:
        # Idle connections are dropped before a typical server's keep-alive (gunicorn: 5 s) drops them.
        connector = aiohttp.TCPConnector(limit=self.max_connections, limit_per_host=0, keepalive_timeout=3.0)
        self.session = aiohttp.ClientSession(connector=connector, headers={"User-Agent": USER_AGENT})
        # A retry never reuses a connection that may be the one that just failed.
        self.fresh = aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True),
                                           headers={"User-Agent": USER_AGENT})

    async def close(self) -> None:
        for session in (self.session, self.fresh):
            if session is not None:
                await session.close()
        self.session = self.fresh = None

    async def send(self, kind: str, url: str, method: str, params: dict[str, str]) -> Delivery:
        """One signed request (with the retries its URL fragment allows); never raises."""
        address, _, fragment = url.partition("#")
        overrides = Overrides.parse(fragment)
        method = (method or "POST").upper()
        target, body, signature = signed_request(self.auth_token, address, method, params)
        headers = {"X-Twilio-Signature": signature, "I-Twilio-Idempotency-Token": str(uuid.uuid4())}
        if method == "POST":
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=UTF-8"
        delivery = Delivery(kind, method, address, time.monotonic(), time.time(), params=dict(params))
        for attempt in range(1, overrides.retries + 2):
            delivery.attempts = attempt
            await self._attempt(self.session if attempt == 1 else self.fresh, delivery, target, body, headers,
                                overrides)
            if not self._retry(delivery, overrides) or attempt > overrides.retries:
                break
        delivery.latency = time.monotonic() - delivery.started
        self.deliveries.append(delivery)
        if not delivery.ok:
            log.info("webhook %s %s failed: %s", kind, delivery.path, delivery.error or delivery.status)
        return delivery

    async def _attempt(self, session: aiohttp.ClientSession | None, delivery: Delivery, target: str,
                       body: dict[str, str], headers: dict[str, str], overrides: Overrides) -> None:
        if session is None:
            delivery.error = "connection: emulator stopped"
            return
        total = min(self.timeout, overrides.total or self.timeout)
        timeout = aiohttp.ClientTimeout(total=total, sock_connect=overrides.connect, sock_read=overrides.read)
        delivery.status, delivery.error = None, None
        try:
            async with session.request(delivery.method, target, data=body or None, headers=headers,
                                            timeout=timeout, allow_redirects=True) as response:
                delivery.status = response.status
                delivery.content_type = response.headers.get("Content-Type", "")
                delivery.body = await response.content.read(MAX_BODY + 1)
        except TimeoutError:
            delivery.error = "timeout"
        except aiohttp.ClientConnectorError as exc:
            delivery.error = f"connection: {exc.os_error.__class__.__name__}"
        except aiohttp.ClientError as exc:
            delivery.error = f"connection: {type(exc).__name__}"

    @staticmethod
    def _retry(delivery: Delivery, overrides: Overrides) -> bool:
        policy = overrides.policy
        if delivery.error is not None:
            return bool(policy & {"ct", "all"}) and delivery.error.startswith("connection")
        status = delivery.status or 0
        return (400 <= status < 500 and bool(policy & {"4xx", "all"})) or (status >= 500 and bool(
            policy & {"5xx", "all"}))
