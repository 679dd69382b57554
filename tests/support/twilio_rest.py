"""A stand-in for api.twilio.com inside the tests: every request is validated against
Twilio's official OpenAPI spec (../shared/twilio-oai), and so is every answer it gives.

It plugs in where the real HTTP client would (``twilio.http.HttpClient``): no network.
"""
from __future__ import annotations

import base64
import json
import os
import secrets
import threading
import time
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from twilio.http import HttpClient
from twilio.http.response import Response

SPEC_PATH = Path("shared") / "twilio-oai" / "twilio_api_v2010.json"


def spec_file() -> Path:
    """``../shared/twilio-oai/`` beside the project (or TWILIO_OAI_SPEC): Twilio's official spec."""
    if os.environ.get("TWILIO_OAI_SPEC"):
        return Path(os.environ["TWILIO_OAI_SPEC"])
    root = Path(__file__).resolve().parents[2]
    for folder in root.parents:
        if (folder / SPEC_PATH).exists():
            return folder / SPEC_PATH
    raise FileNotFoundError(f"Twilio's OpenAPI spec was not found at ../{SPEC_PATH} from {root}; "
                            "set TWILIO_OAI_SPEC to its path")


_SPEC_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _load_spec() -> OpenAPI:
    with spec_file().open(encoding="utf-8") as handle:
        return OpenAPI.from_dict(json.load(handle))


def spec() -> OpenAPI:
    """The official spec, loaded once for all threads (json.load + from_dict: from_file_path
    trips on a \\u escape; loading takes seconds, so never in several threads at once)."""
    with _SPEC_LOCK:
        return _load_spec()


def _call_resource(account: str, sid: str, form: dict[str, Any], status: str) -> dict[str, Any]:
    now = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
    return {
        "sid": sid, "account_sid": account, "date_created": now, "date_updated": now,
        "parent_call_sid": None, "to": form.get("To"), "to_formatted": form.get("To"),
        "from": form.get("From"), "from_formatted": form.get("From"), "phone_number_sid": None,
        "status": status, "start_time": None, "end_time": None, "duration": None, "price": None,
        "price_unit": "USD", "direction": "outbound-api", "answered_by": None, "api_version": "2010-04-01",
        "forwarded_from": None, "group_sid": None, "caller_name": None, "queue_time": "0",
        "trunk_sid": None, "uri": f"/2010-04-01/Accounts/{account}/Calls/{sid}.json",
        "subresource_uris": {}
    }


class SpecCheckedTwilio(HttpClient):
    """Answers Calls requests from memory; records each request with its time."""

    def __init__(self) -> None:
        super().__init__(logger=__import__("logging").getLogger("tests.twilio"), is_async=False)
        self.lock = threading.Lock()
        self.calls: dict[str, dict[str, Any]] = {}
        self.requests: list[dict[str, Any]] = []
        self.violations: list[str] = []
        self.fail_next: list[int] = []

    # ----------------------------------------------------------------- what tests set and read

    def set_status(self, sid: str, status: str, account: str = "AC" + "0" * 32) -> None:
        with self.lock:
            call = self.calls.setdefault(sid, _call_resource(account, sid, {}, status))
            call["status"] = status

    def created(self) -> list[dict[str, Any]]:
        """Call-creation requests Twilio accepted (each with the SID it gave)."""
        return [r for r in self.requests if r["method"] == "POST" and r["path"].endswith("/Calls.json")
                and r.get("sid")]

    # ----------------------------------------------------------------- HttpClient

    def request(self, method: str, uri: str, params: Any = None, data: Any = None, headers: Any = None,
                auth: Any = None, timeout: Any = None, allow_redirects: bool = False) -> Response:
        parts = urlsplit(uri)
        body = urlencode(data or {}, doseq=True)
        request_headers = dict(headers or {})
        if auth:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
            request_headers["Authorization"] = f"Basic {token}"
        mock = MockRequest(f"{parts.scheme}://{parts.netloc}", method.lower(), parts.path, args=params or {},
                           headers=request_headers, data=body.encode() if body else None,
                           content_type="application/x-www-form-urlencoded")
        try:
            spec().validate_request(mock)
        except Exception as exc:  # noqa: BLE001 - any validation error is a violation
            with self.lock:
                self.violations.append(f"{method} {parts.path}: {exc}")
            return Response(400, json.dumps({"code": 20001, "message": "invalid request", "status": 400}))
        form = {k: (v if not isinstance(v, list) or len(v) > 1 else v[0]) for k, v in (data or {}).items()}
        record: dict[str, Any] = {"at": time.time(), "method": method.upper(), "path": parts.path, "form": form}
        with self.lock:
            self.requests.append(record)
            if self.fail_next:
                code = self.fail_next.pop(0)
                return Response(code, json.dumps({"code": 20429 if code == 429 else 20500,
                                                   "message": "test failure", "status": code}))
        status, payload = self._answer(method.upper(), parts.path, form)
        if status == 201:
            with self.lock:
                record["sid"] = payload["sid"]  # this request's record: others may have arrived since
        if status >= 300:  # the spec documents success answers only
            return Response(status, json.dumps(payload))
        try:
            spec().validate_response(mock, MockResponse(json.dumps(payload).encode(), status_code=status,
                                                        content_type="application/json"))
        except Exception as exc:  # noqa: BLE001
            with self.lock:
                self.violations.append(f"answer to {method} {parts.path}: {exc}")
        return Response(status, json.dumps(payload))

    def _answer(self, method: str, path: str, form: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        segments = path.split("/")
        account = segments[3]
        with self.lock:
            if path.endswith("/Calls.json") and method == "POST":
                sid = "CA" + secrets.token_hex(16)
                self.calls[sid] = _call_resource(account, sid, form, "queued")
                return 201, self.calls[sid]
            sid = segments[-1].removesuffix(".json")
            call = self.calls.get(sid)
            if call is None:
                return 404, {"code": 20404, "message": "The requested resource was not found",
                             "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}
            if method == "POST" and form.get("Status"):
                call["status"] = form["Status"]
            return 200, call
