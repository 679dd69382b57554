"""How the staff and supervisor pages show things: times, durations, counts, labels.

One place for every page's formatting, registered once on the Jinja environment
(``register``); ``static/board.js`` and ``static/console.js`` mirror ``duration`` and
``local_time`` for the values they receive live. Everything here is a pure function of its
arguments (the call flow gives the time zone and the labels), so it is unit-tested alone.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from markupsafe import Markup

from ..services import calllog
from ..settings import CallFlow

#: What the pages show for a value that is unknown (a time never reached, a duration not measured).
UNKNOWN = "—"

#: Outcomes of a call (``core.records.Outcome``), as supervisors read them.
OUTCOMES = {"answered": "Answered", "callback": "Callback requested", "voicemail": "Voicemail",
            "overflow": "Sent to overflow", "blocked": "Blocked", "abandoned": "Abandoned",
            "in_progress": "In progress"}
#: A staff member's live activity (the board and the console).
ACTIVITIES = {"free": "free", "busy": "on a call", "wrapup": "wrap-up", "away": "away", "offline": "offline"}
#: What a call in progress is: a caller's call, or a callback the helpline placed.
CALL_KINDS = {"live": "Incoming call", "callback": "Callback"}
#: Callback request states (``core.callbacks``) and sources.
CALLBACK_STATUSES = {"pending": "pending", "in_progress": "in progress", "completed": "completed",
                     "exhausted": "exhausted", "cancelled": "cancelled", "merged": "merged", "open": "open",
                     "all": "all"}
CALLBACK_SOURCES = {"phone": "phone menu", "voicemail": "voicemail", "web": "web form"}


# ---------------------------------------------------------------------- numbers and words


def plural(count: int | float | None, singular: str, plural_form: str | None = None) -> str:
    """``1 call``, ``2 calls``, ``1,204 calls`` (``plural_form`` for irregular words: entry/entries)."""
    if count is None:
        return f"{UNKNOWN} {plural_form or singular + 's'}"
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}" if isinstance(count, int) else f"{count:,g} {word}"


def duration(seconds: float | None, *, minutes: bool = False) -> str:
    """A length of time: ``24 s``, ``3 min 05 s``, ``1 h 02 min`` (unknown: ``—``).

    ``minutes``: the value is a whole number of minutes already (``45 min``, ``1 h 02 min``,
    ``under 1 min``), for figures measured to the minute only.
    """
    if seconds is None or isinstance(seconds, bool):
        return UNKNOWN
    try:
        value = float(seconds)
    except (TypeError, ValueError):
        return UNKNOWN
    if value != value:  # NaN
        return UNKNOWN
    if minutes:
        whole = max(0, round(value))
        if whole < 1:
            return "under 1 min"
        hours, mins = divmod(whole, 60)
        return f"{hours} h {mins:02d} min" if hours else f"{mins} min"
    total = max(0, round(value))
    if total < 60:
        return f"{total} s"
    if total < 3600:
        mins, secs = divmod(total, 60)
        return f"{mins} min {secs:02d} s"
    hours, rest = divmod(total, 3600)
    return f"{hours} h {rest // 60:02d} min"


def percent(value: float | None, decimals: int = 0) -> str:
    """A share as a percentage (``43%``); unknown (no calls): ``—``."""
    return UNKNOWN if value is None else f"{value * 100:.{decimals}f}%"


def yes_no(value: Any) -> str:
    return "yes" if value else "no"


def humanize(code: str | None) -> str:
    """A code as words: ``in_progress`` → ``in progress``, ``no-answer`` → ``no answer``."""
    return "" if code is None else str(code).replace("_", " ").replace("-", " ")


# ---------------------------------------------------------------------- time


def moment(value: datetime | date | str | float | int | None) -> datetime | None:
    """An aware UTC datetime from what the services hand over (datetime, ISO text, epoch seconds)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        found = value
    elif isinstance(value, date):
        found = datetime(value.year, value.month, value.day)
    elif isinstance(value, int | float):
        found = datetime.fromtimestamp(float(value), UTC)
    else:
        try:
            found = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    return (found if found.tzinfo else found.replace(tzinfo=UTC)).astimezone(UTC)


def local_text(value: datetime | str | float | None, zone: str, *, year: bool = False, seconds: bool = False,
               day: bool = True) -> str:
    """``Sun 29 Nov, 09:41 EST`` in the helpline's time zone (``year``: ``Sun 29 Nov 2026, 09:41 EST``;
    ``seconds``: ``09:41:07``; ``day=False``: the time of day only). Unknown: ``—``."""
    found = moment(value)
    if found is None:
        return UNKNOWN
    local = found.astimezone(ZoneInfo(zone))
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    clock = f"{clock} {local:%Z}"
    if not day:
        return clock
    when = f"{local:%a} {local.day} {local:%b}" + (f" {local.year}" if year else "")
    return f"{when}, {clock}"


def local_time(value: datetime | str | float | None, zone: str, **options: bool) -> Markup:
    """``<time datetime="2026-11-29T14:41:07Z">Sun 29 Nov, 09:41 EST</time>`` (see ``local_text``)."""
    found = moment(value)
    if found is None:
        return Markup(UNKNOWN)
    stamp = found.isoformat(timespec="seconds").replace("+00:00", "Z")
    return Markup('<time datetime="{}">{}</time>').format(stamp, local_text(found, zone, **options))


def local_day(value: datetime | str | float | None, zone: str) -> date | None:
    """The helpline's calendar day of a moment (to tell when a list crosses midnight)."""
    found = moment(value)
    return found.astimezone(ZoneInfo(zone)).date() if found else None


# ---------------------------------------------------------------------- labels from the call flow


def labels(callflow: CallFlow) -> dict[str, dict[str, str]]:
    """Every code a page shows, with the words to show for it (also rendered for the live scripts)."""
    return {
        "lines": {line.id: line.name for line in callflow.lines},
        "languages": {language.code: language.name for language in callflow.languages},
        "dispositions": {d.code: d.label for d in callflow.dispositions},
        "outcomes": dict(OUTCOMES),
        "activities": dict(ACTIVITIES),
        "kinds": dict(CALL_KINDS),
        "callback_statuses": dict(CALLBACK_STATUSES),
        "callback_sources": dict(CALLBACK_SOURCES),
    }


def label(table: Mapping[str, str], code: str | None) -> str:
    """The label of a code; an unknown code shown as words; nothing: ``—``."""
    if code is None or code == "":
        return UNKNOWN
    return table.get(code) or humanize(code)


# ---------------------------------------------------------------------- key/value details

#: Text that looks like a phone number: +digits, ten digits or more, or digits grouped like one.
_PHONE_LIKE = re.compile(r"\+\s*\d{6,}|\d{10,}|\d{3}[\s.-]\d{3}[\s.-]?\d{4}|\(\d{3}\)\s*\d{3}")


def safe_value(value: Any) -> str | None:
    """A detail's value as text, or None when it must not (or need not) be shown."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, float) and getattr(value, "unit", None) == "seconds":  # services.calllog.Seconds
        return duration(value)
    if isinstance(value, Mapping):
        inner = details(value)
        return "; ".join(f"{k}: {v}" for k, v in inner) or None
    if isinstance(value, list | tuple | set):
        parts = [text for item in value if (text := safe_value(item)) is not None]
        return ", ".join(parts) or None
    text = str(value)
    if _PHONE_LIKE.search(text):
        return None
    return humanize(text) if re.fullmatch(r"[a-z]+(?:[_-][a-z]+)+", text) else text


def details(data: Mapping[str, Any] | None, skip: Iterable[str] = ()) -> list[tuple[str, str]]:
    """``{"withheld": False, "x": None}`` → ``[("Withheld", "no")]``: readable, no empty values, no
    identifiers (keys naming a caller, number, hash or ciphertext; values that look like numbers)."""
    skipped = set(skip)
    shown: list[tuple[str, str]] = []
    for key, value in (data or {}).items():
        if key in skipped or (calllog.identifying_key(str(key)) and not isinstance(value, bool)):
            continue  # a yes/no (e.g. "searched by number") identifies no one; any other value might
        text = safe_value(value)
        if text is not None:
            shown.append((humanize(str(key)).capitalize(), text))
    return shown


def details_text(data: Mapping[str, Any] | None) -> str:
    """The details on one line: ``Searched number: yes · Calls: 12``."""
    return " · ".join(f"{k}: {v}" for k, v in details(data))


# ---------------------------------------------------------------------- the Jinja set-up


def register(app: Flask, callflow: CallFlow) -> None:
    """The filters and globals every template may use (one place for the whole UI)."""
    zone = callflow.timezone
    table = labels(callflow)
    env = app.jinja_env
    env.filters.update(
        duration=duration,
        plural=plural,
        percent=percent,
        yes_no=yes_no,
        humanize=humanize,
        local_time=lambda value, **options: local_time(value, zone, **options),
        local_text=lambda value, **options: local_text(value, zone, **options),
        local_day=lambda value: local_day(value, zone),
        line_name=lambda code: label(table["lines"], code),
        language_name=lambda code: label(table["languages"], code),
        disposition_label=lambda code: label(table["dispositions"], code),
        outcome_label=lambda code: label(table["outcomes"], code),
        activity_label=lambda code: label(table["activities"], code),
        kind_label=lambda code: label(table["kinds"], code),
        callback_status=lambda code: label(table["callback_statuses"], code),
        callback_source=lambda code: label(table["callback_sources"], code),
        details=details,
        details_text=details_text,
        detail_value=safe_value,
        timeline=lambda events: calllog.timeline(callflow, events),
    )
    env.globals.update(display_labels=table, helpline_timezone=zone, UNKNOWN=UNKNOWN)

