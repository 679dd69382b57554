"""Answering the calls the workers place, as Twilio and the people on the phones would.

For fault tests with real worker processes: every staff call created through the REST
stand-in is answered (staff presses 1), the caller's leg is dialled and answered by a
person, and each step's webhook is signed and sent to the running web app over HTTP.
It counts how often each caller is dialled, per callback attempt and overall, and how
many of one caller's calls were ever live at the same time.
"""
from __future__ import annotations

import threading
import xml.etree.ElementTree as ET
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import requests
from twilio.request_validator import RequestValidator

from .helpers import ACCOUNT_SID, AUTH_TOKEN, sid


class OutboundPhones:
    """Staff who always press 1, callers who always answer (a person, not a machine)."""

    def __init__(self, base_url: str, talk_seconds: float = 0.0) -> None:
        self.base_url = base_url
        self.talk_seconds = talk_seconds
        self.pool = ThreadPoolExecutor(max_workers=16)
        self.lock = threading.Lock()
        self.dials_per_attempt: Counter[int] = Counter()
        self.dials_per_number: Counter[str] = Counter()
        self.live: Counter[str] = Counter()
        self.most_live_per_number = 0
        self.errors: list[str] = []
        self.serial = 0

    def on_create(self, call_sid: str, form: dict[str, Any]) -> None:
        """The REST stand-in created a call: ring it in the background."""
        self.pool.submit(self._staff_call, call_sid, form)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=False)

    # ------------------------------------------------------------------ one callback attempt

    def _post(self, url: str, params: dict[str, str]) -> ET.Element | None:
        full = url if url.startswith("http") else self.base_url + url
        signature = RequestValidator(AUTH_TOKEN).compute_signature(full, params)
        try:
            response = requests.post(full, data=urlencode(params), timeout=20, headers={
                "X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"})
        except requests.RequestException as exc:
            self.errors.append(type(exc).__name__)
            return None
        if response.status_code != 200:
            self.errors.append(f"{response.status_code} for {urlsplit(full).path}")
            return None
        return ET.fromstring(response.content)

    def _params(self, leg: str, to: str, status: str, **extra: str) -> dict[str, str]:
        return {"CallSid": leg, "AccountSid": ACCOUNT_SID, "From": "+12025550100", "To": to,
                "CallStatus": status, "ApiVersion": "2010-04-01", "Direction": "outbound-api", **extra}

    def _staff_call(self, leg: str, form: dict[str, Any]) -> None:
        try:
            self._run(leg, form)
        except Exception as exc:  # noqa: BLE001 - reported by the test, not lost in a thread
            self.errors.append(f"{type(exc).__name__}: {exc}")

    def _run(self, leg: str, form: dict[str, Any]) -> None:
        to = str(form["To"])
        offer = self._post(str(form["Url"]), self._params(leg, to, "in-progress"))
        gather = offer.find("Gather") if offer is not None else None
        if gather is None:  # "no longer needed", or the service could not answer: the staff member hangs up
            self._post(str(form["StatusCallback"]), self._params(leg, to, "completed", CallDuration="3"))
            return
        dial_doc = self._post(gather.get("action", ""), self._params(leg, to, "in-progress", Digits="1"))
        dial = dial_doc.find("Dial") if dial_doc is not None else None
        if dial is None:
            self._post(str(form["StatusCallback"]), self._params(leg, to, "completed", CallDuration="5"))
            return
        number = dial.find("Number")
        attempt = int(parse_qs(urlsplit(dial.get("action", "")).query)["attempt"][0])
        caller = number.text or ""
        with self.lock:
            self.dials_per_attempt[attempt] += 1
            self.dials_per_number[caller] += 1
            self.live[caller] += 1
            self.most_live_per_number = max(self.most_live_per_number, self.live[caller])
            self.serial += 1
            caller_leg = sid("CA", 0xF00000 + self.serial)
        try:
            self._post(number.get("url", ""), self._params(caller_leg, caller, "in-progress", AnsweredBy="human"))
            threading.Event().wait(self.talk_seconds)
            self._post(dial.get("action", ""), self._params(leg, to, "in-progress", DialCallStatus="completed",
                                                            DialCallDuration="60", DialCallSid=caller_leg))
        finally:
            with self.lock:
                self.live[caller] -= 1
        self._post(str(form["StatusCallback"]), self._params(leg, to, "completed", CallDuration="70"))
