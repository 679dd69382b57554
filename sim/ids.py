"""Twilio-shaped identifiers and timestamps."""
from __future__ import annotations

import secrets
from email.utils import formatdate


def new_sid(prefix: str) -> str:
    """Two letters and 32 hex digits, like ``CA…``, ``RE…``, ``QU…``."""
    return prefix + secrets.token_hex(16)


def rfc2822(when: float | None = None) -> str:
    """A timestamp as Twilio writes it (``Tue, 31 Aug 2010 20:36:28 +0000``)."""
    return formatdate(when, usegmt=False).replace("-0000", "+0000")
