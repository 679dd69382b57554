"""Logging for every process: one format, and a filter that redacts phone numbers.

The code never logs caller numbers on purpose; the filter is the net under that rule
(a library's debug line, an exception message quoting a form field).
"""
from __future__ import annotations

import logging
import re
import sys

_PHONE = re.compile(
    r"(?:\+|%2[Bb])\s?\d[\d\s().-]{6,18}\d"                     # +1 202 555 0123, %2B12025550123
    r"|(?<![\w.:/-])\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}(?![\w])"  # (202) 555-0123, 202.555.0123
    r"|(?<![\w.])\d{10,15}(?![\w.])"                             # 12025550123
)
REDACTED = "[number]"
FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def redact(text: str) -> str:
    """The text with anything that looks like a phone number replaced."""
    return _PHONE.sub(REDACTED, text)


class RedactingFilter(logging.Filter):
    """Formats each record's message and exception text, then redacts numbers from them."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the line
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info:
            record.exc_text = redact(self._formatter.formatException(record.exc_info))
            record.exc_info = None
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def configure(level: str = "INFO", stream: object = None) -> None:
    """Send every logger's records through one redacting handler (idempotent)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if any(isinstance(f, RedactingFilter) for f in handler.filters):
            root.setLevel(level)
            return
    handler = logging.StreamHandler(stream or sys.stderr)  # type: ignore[arg-type]
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactingFilter())
    root.addHandler(handler)
    root.setLevel(level)
    protect_all_handlers()


def protect_all_handlers() -> None:
    """Add the redacting filter to every handler already attached anywhere (RQ, gunicorn)."""
    loggers = [logging.getLogger()] + [logging.getLogger(name) for name in logging.root.manager.loggerDict]
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())
