"""Twilio's official OpenAPI spec of api.twilio.com/2010-04-01: loaded once, used to refuse bad requests."""
from __future__ import annotations

import json
import os
import threading
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse
from werkzeug.datastructures import MultiDict

SPEC_PATH = Path("shared") / "twilio-oai" / "twilio_api_v2010.json"
TWILIO_HOST = "https://api.twilio.com"
_lock = threading.Lock()


def spec_file() -> Path:
    """``../shared/twilio-oai/`` beside the project (or TWILIO_OAI_SPEC)."""
    if os.environ.get("TWILIO_OAI_SPEC"):
        return Path(os.environ["TWILIO_OAI_SPEC"])
    here = Path(__file__).resolve().parent
    for folder in here.parents:
        if (folder / SPEC_PATH).exists():
            return folder / SPEC_PATH
    raise FileNotFoundError(f"Twilio's OpenAPI spec was not found at ../{SPEC_PATH}; set TWILIO_OAI_SPEC")


@lru_cache(maxsize=1)
def _load() -> OpenAPI:
    with spec_file().open(encoding="utf-8") as handle:  # from_file_path trips on a \u escape
        return OpenAPI.from_dict(json.load(handle))


def spec() -> OpenAPI:
    """The official spec, loaded once per process (about 3 s)."""
    with _lock:
        return _load()


def request_problem(method: str, path: str, query: Mapping[str, Any], headers: Mapping[str, str],
                    body: bytes, content_type: str) -> str | None:
    """Why the spec rejects this request, or None when it accepts it."""
    mock = MockRequest(TWILIO_HOST, method.lower(), path, headers=dict(headers), data=body or None,
                       content_type=content_type or "application/x-www-form-urlencoded")
    mock.parameters.query = MultiDict(list(_pairs(query)))
    result = spec().unmarshal_request(mock)
    if not result.errors:
        return None
    return "; ".join(_describe(error) for error in result.errors)


def response_problem(method: str, path: str, status: int, payload: Any) -> str | None:
    """Why the spec rejects this answer to a (valid) request, or None."""
    mock = MockRequest(TWILIO_HOST, method.lower(), path, headers={"Authorization": "Basic eDp5"})
    response = MockResponse(json.dumps(payload).encode(), status_code=status, content_type="application/json")
    try:
        spec().validate_response(mock, response)
    except Exception as exc:  # noqa: BLE001 - any validation error is the answer
        return _describe(exc)
    return None


def _pairs(query: Mapping[str, Any]) -> list[tuple[str, str]]:
    if hasattr(query, "items") and hasattr(query, "getall"):
        return [(k, v) for k, v in query.items()]
    return [(k, v) for k, values in query.items() for v in (values if isinstance(values, list) else [values])]


def _describe(error: BaseException) -> str:
    """A short human reason, with the JSON-schema messages when there are some."""
    reasons: list[str] = []
    seen: set[int] = set()
    node: BaseException | None = error
    while node is not None and id(node) not in seen:
        seen.add(id(node))
        for schema_error in getattr(node, "schema_errors", None) or ():
            reasons.append(getattr(schema_error, "message", str(schema_error)))
        node = node.__cause__ or node.__context__
    if reasons:
        return f"{type(error).__name__}: {', '.join(reasons)}"
    return str(error) or type(error).__name__


def error_body(status: int, code: int, message: str) -> dict[str, Any]:
    """Twilio's JSON error shape."""
    return {"code": code, "message": message, "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status}
