"""Live updates without tying up the web workers.

Each request to a stream URL gets one snapshot as a server-sent event and the connection
ends; the browser's EventSource reconnects after ``retry`` milliseconds. A page stays live,
and no gunicorn thread is ever held by an open dashboard (twenty boards cost twenty short
requests every two seconds, not twenty threads).
"""
from __future__ import annotations

import json
from typing import Any

from flask import Response

from .auth import explain_ended_session

RETRY_MS = 2000


def snapshot(data: dict[str, Any], retry_ms: int = RETRY_MS) -> Response:
    """One server-sent event carrying ``data``, then the end of the response."""
    body = f"retry: {retry_ms}\nevent: snapshot\ndata: {json.dumps(data, default=str)}\n\n"
    return Response(body, mimetype="text/event-stream", headers={"Cache-Control": "no-store"})


def signed_out() -> Response:
    """Tell the page its session is over (it then goes to the sign-in page, which says why)."""
    explain_ended_session()
    return Response("retry: 60000\nevent: signedout\ndata: {}\n\n", mimetype="text/event-stream",
                    headers={"Cache-Control": "no-store"})
