"""Parsing Twilio's form fields into typed values; garbage becomes "absent", never a 500."""
from __future__ import annotations

import re
from email.utils import parsedate_to_datetime

_SID = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")
_DIGITS = re.compile(r"[^0-9*#]")


def sid(value: str | None) -> str | None:
    """A Twilio SID (two letters and 32 hex digits), or None."""
    value = (value or "").strip()
    return value if _SID.match(value) else None


def digits(value: str | None) -> str:
    """Keys pressed: only 0-9, * and #, at most 20 of them."""
    return _DIGITS.sub("", value or "")[:20]


def whole(value: str | None, default: int = 0) -> int:
    """A non-negative whole number, or the default."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return number if number >= 0 else default


def staff_id(value: str | None) -> int | None:
    """A staff id from a query string, or None."""
    number = whole(value, -1)
    return number if number > 0 else None


def timestamp(value: str | None) -> float | None:
    """Twilio's ``Timestamp`` (RFC 2822) as epoch seconds, or None."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


def status(value: str | None) -> str:
    """A call status in lower case (unknown ones are ignored downstream)."""
    return (value or "").strip().lower()[:20]


def flag(value: str | None) -> bool | None:
    """Twilio's "true" / "false" (e.g. ``DialBridged``); None when absent or anything else."""
    text = (value or "").strip().lower()
    return True if text == "true" else False if text == "false" else None
