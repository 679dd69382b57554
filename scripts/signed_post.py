"""Send one webhook to the local service, signed like Twilio signs it, and print the answer.

    .venv/bin/python scripts/signed_post.py /voice/incoming [Name=value ...]

Uses the Auth Token and public URL of the stack `make run` started. The caller number is
a fictional one (+1 202 555 01xx).
"""
from __future__ import annotations

import secrets
import sys
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from twilio.request_validator import RequestValidator  # noqa: E402

from scripts.localenv import local_environment  # noqa: E402


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    env = local_environment()
    path = argv[0]
    params = {"CallSid": "CA" + secrets.token_hex(16), "AccountSid": env["TWILIO_ACCOUNT_SID"],
              "From": "+12025550123", "To": "+12025550100", "CallStatus": "ringing",
              "ApiVersion": "2010-04-01", "Direction": "inbound"}
    params.update(arg.split("=", 1) for arg in argv[1:] if "=" in arg)
    url = env.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000") + path
    signature = RequestValidator(env["TWILIO_AUTH_TOKEN"]).compute_signature(url, params)
    request = urllib.request.Request(url, data=urllib.parse.urlencode(params).encode(), method="POST",
                                     headers={"X-Twilio-Signature": signature,
                                              "Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request, timeout=10) as response:
        print(response.status, response.headers.get("Content-Type"))
        print(response.read().decode())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
