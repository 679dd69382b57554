"""Building settings, signing webhooks, running jobs: what most tests share."""
from __future__ import annotations

import base64
import dataclasses
from typing import Any
from urllib.parse import urlencode

from flask.testing import FlaskClient
from redis import Redis
from rq import Queue, SimpleWorker
from rq.scheduler import RQScheduler
from twilio.request_validator import RequestValidator
from werkzeug.test import TestResponse

from callcenter.jobs import QUEUE, Jobs
from callcenter.logs import redact
from callcenter.settings import DEFAULT_CALLFLOW, CallFlow, Settings, load_callflow
from workers import context

from . import twiml
from .log_watch import FICTIONAL

ACCOUNT_SID = "AC" + "a1" * 16
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
SECONDARY_TOKEN = "test-secondary-token-fedcba98765"
IDENTIFIER_KEY = base64.urlsafe_b64decode("dGVzdC1pZGVudGlmaWVyLWtleS0zMi1ieXRlcy1vayE=")
PUBLIC_BASE_URL = "https://helpline.example.org"
HELPLINE_NUMBER = "+12025550100"
OVERFLOW_NUMBER = "+12025550199"
#: Every phone number in the tests is a fictional one: +1 202 555 01xx (``log_watch.FICTIONAL``).
CALLER = "+12025550123"


def callflow(**changes: Any) -> CallFlow:
    """The default call flow, with routing fields (and others) changed."""
    base = load_callflow(DEFAULT_CALLFLOW)
    routing_fields = {f.name for f in dataclasses.fields(base.routing)}
    routing = dataclasses.replace(base.routing, **{k: v for k, v in changes.items() if k in routing_fields})
    other = {k: v for k, v in changes.items() if k not in routing_fields}
    return dataclasses.replace(base, routing=routing, **other)


def make_settings(redis_url: str, database_url: str, flow: CallFlow | None = None, **changes: Any) -> Settings:
    values: dict[str, Any] = dict(
        twilio_account_sid=ACCOUNT_SID, twilio_auth_token=AUTH_TOKEN, identifier_key=IDENTIFIER_KEY,
        callflow=flow or callflow(), public_base_url=PUBLIC_BASE_URL, redis_url=redis_url,
        database_url=database_url, redis_timeout=2.0, secret_key="test-secret", log_level="DEBUG",
        outbound_calls_per_second=50.0)
    values.update(changes)
    return Settings(**values)


def sid(prefix: str, n: int) -> str:
    """A well-formed SID: two letters and 32 hex digits."""
    return f"{prefix}{n:032x}"


class CheckedJobs:
    """Wraps the real job queue and refuses any job argument that looks like a phone number."""

    def __init__(self, inner: Jobs) -> None:
        self.inner = inner
        self.seen: list[tuple[str, tuple[Any, ...]]] = []

    def _check(self, func: str, args: tuple[Any, ...], job_id: str | None) -> None:
        for value in (*args, job_id or ""):
            text = str(value)
            assert redact(text) == text and not FICTIONAL.search(text), f"job {func} got a phone number argument"
        self.seen.append((func, args))

    def enqueue(self, func: str, *args: Any, job_id: str | None = None) -> None:
        self._check(func, args, job_id)
        self.inner.enqueue(func, *args, job_id=job_id)

    def schedule(self, func: str, *args: Any, delay_seconds: float, job_id: str | None = None) -> None:
        self._check(func, args, job_id)
        self.inner.schedule(func, *args, delay_seconds=delay_seconds, job_id=job_id)


class CountingWorker(SimpleWorker):
    """RQ's in-process worker, remembering the jobs it ran."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.executed: list[str] = []

    def execute_job(self, job: Any, queue: Any) -> Any:
        self.executed.append(job.func_name.removeprefix("workers.jobs."))
        return super().execute_job(job, queue)


def run_jobs(helpline: Any, rq_redis: Redis) -> list[str]:
    """Move due scheduled jobs to the queue, run every queued job in this process; none may fail.

    Returns the names of the jobs run (``workers.jobs.`` left off), in order.
    """
    context.install(helpline)
    scheduler = RQScheduler([QUEUE], connection=rq_redis)
    if scheduler.acquire_locks():
        scheduler.enqueue_scheduled_jobs()
        scheduler.release_locks()
    queue = Queue(QUEUE, connection=rq_redis)
    failed_before = queue.failed_job_registry.count
    worker = CountingWorker([queue], connection=rq_redis)
    worker.work(burst=True, logging_level="WARNING")
    failed = queue.failed_job_registry.get_job_ids()
    assert queue.failed_job_registry.count == failed_before, f"jobs failed: {failed}"
    return worker.executed


class Webhooks:
    """Posts webhooks to the app exactly as Twilio would: form-encoded and signed."""

    def __init__(self, client: FlaskClient, settings: Settings) -> None:
        self.client = client
        self.settings = settings

    def sign(self, path: str, params: dict[str, str], token: str | None = None, url: str | None = None) -> str:
        full = url or (self.settings.public_base_url or "http://localhost") + path
        return RequestValidator(token or AUTH_TOKEN).compute_signature(full, params)

    def post(self, path: str, params: dict[str, str], *, signature: str | None = None,
             headers: dict[str, str] | None = None, base_url: str | None = None) -> TestResponse:
        all_headers = {"X-Twilio-Signature": signature if signature is not None else self.sign(path, params)}
        all_headers.update(headers or {})
        return self.client.post(path, data=urlencode(params), headers=all_headers,
                                content_type="application/x-www-form-urlencoded",
                                base_url=base_url or "http://localhost")

    def twiml(self, path: str, params: dict[str, str]) -> Any:
        """Post and return the parsed TwiML (checked valid and caller-safe)."""
        response = self.post(path, params)
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == "text/xml"
        root = twiml.parse(response.get_data())
        twiml.assert_caller_safe(root)
        return root


def call_params(call_sid: str, *, caller: str = CALLER, status: str = "in-progress", **extra: str) -> dict[str, str]:
    """The parameters Twilio sends with every request about an inbound call."""
    params = {"CallSid": call_sid, "AccountSid": ACCOUNT_SID, "From": caller, "To": HELPLINE_NUMBER,
              "Caller": caller, "Called": HELPLINE_NUMBER, "CallStatus": status, "ApiVersion": "2010-04-01",
              "Direction": "inbound"}
    params.update(extra)
    return params


def staff_leg_params(leg_sid: str, parent_sid: str, staff_phone: str, *, status: str = "in-progress",
                     **extra: str) -> dict[str, str]:
    """The parameters of a request about a staff member's leg of a call."""
    params = {"CallSid": leg_sid, "ParentCallSid": parent_sid, "AccountSid": ACCOUNT_SID,
              "From": HELPLINE_NUMBER, "To": staff_phone, "CallStatus": status, "ApiVersion": "2010-04-01",
              "Direction": "outbound-dial"}
    params.update(extra)
    return params


def query(**values: Any) -> str:
    return urlencode(values)
