"""Twilio request signatures: every ``/voice/*`` request is checked, failing closed."""
from __future__ import annotations

import logging

from flask import Request
from twilio.request_validator import RequestValidator

from ..settings import Settings

log = logging.getLogger(__name__)


def signed_url(request: Request, settings: Settings) -> str:
    """The URL Twilio requested and signed: the public base URL when set, else the request's own.

    Behind a TLS proxy, either ``PUBLIC_BASE_URL`` or ProxyFix (with the exact number of
    trusted proxies) turns ``http://internal-host/...`` back into the public URL.
    """
    query = request.query_string.decode("latin-1")
    suffix = request.path + (f"?{query}" if query else "")
    if settings.public_base_url:
        return settings.public_base_url + suffix
    return request.host_url.rstrip("/") + request.script_root + suffix


def valid_signature(request: Request, settings: Settings) -> bool:
    """True when ``X-Twilio-Signature`` matches with the Auth Token (or the secondary one)."""
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or request.method != "POST":
        return False
    url = signed_url(request, settings)
    params = request.form
    return any(RequestValidator(token).validate(url, params, signature) for token in settings.auth_tokens)
