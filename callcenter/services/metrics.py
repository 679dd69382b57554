"""Metrics for a period, read from the database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from ..core import metrics
from ..store.models import Call, CallbackRequest, Staff
from . import callbacks
from .helpline import Helpline


@dataclass(frozen=True)
class Period:
    """Local days [first, last] on the helpline's clock, as UTC instants."""

    first: date
    last: date
    start: datetime
    end: datetime


def period(h: Helpline, first: date | None = None, last: date | None = None) -> Period:
    """The period from ``first`` to ``last`` (default: today), in the helpline's time zone."""
    tz = ZoneInfo(h.callflow.timezone)
    today = callbacks.now(h).astimezone(tz).date()
    first = first or today
    last = last or first
    if last < first:
        first, last = last, first
    start = datetime.combine(first, time.min, tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tz)
    return Period(first, last, start, end)


@dataclass(frozen=True)
class Report:
    """Everything the metrics page shows for a period."""

    period: Period
    summary: metrics.Summary
    hours: list[metrics.Hour]
    staff: list[tuple[str, metrics.StaffFigures]]
    callbacks: metrics.CallbackFigures
    threshold_seconds: int


def facts(h: Helpline, span: Period) -> list[metrics.CallFacts]:
    """The calls received in a period."""
    with h.database.session() as session:
        rows = session.execute(select(Call.received_at, Call.outcome, Call.wait_seconds, Call.talk_seconds,
                                      Call.staff_id).where(Call.received_at >= span.start,
                                                           Call.received_at < span.end))
        return [metrics.CallFacts(received, outcome, wait, talk, staff)
                for received, outcome, wait, talk, staff in rows if received is not None]


def report(h: Helpline, span: Period, threshold_seconds: int | None = None) -> Report:
    """The period's summary, calls per hour, per-staff figures and callback figures."""
    threshold = threshold_seconds or h.callflow.service_level_seconds
    calls = facts(h, span)
    with h.database.session() as session:
        names = dict(session.execute(select(Staff.id, Staff.name)).all())
        requests = [(r.requested_at, r.closed_at, r.status) for r in session.scalars(
            select(CallbackRequest).where(CallbackRequest.requested_at >= span.start,
                                          CallbackRequest.requested_at < span.end))]
    return Report(span, metrics.summarize(calls, threshold), metrics.per_hour(calls, h.callflow.timezone),
                  [(names.get(f.staff_id, f"#{f.staff_id}"), f) for f in metrics.per_staff(calls)],
                  metrics.callback_figures(requests), threshold)


def today(h: Helpline) -> metrics.Summary:
    """Today's summary (for the live board)."""
    return metrics.summarize(facts(h, period(h)), h.callflow.service_level_seconds)
