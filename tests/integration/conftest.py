"""Helpers for integration tests: staff on the live board, the recorder, the event log."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from callcenter.services import staff as staff_service
from callcenter.services import staffadmin
from callcenter.services.helpline import Helpline
from callcenter.store.models import Call, CallEvent
from workers.recorder import Recorder

from .ui_support import browser_for, signed_in


class Team:
    """Adds staff through the real service (database + live board) and sets them available."""

    def __init__(self, helpline: Helpline) -> None:
        self.h = helpline
        self.phones: dict[int, str] = {}

    @staticmethod
    def phone(n: int) -> str:
        """The (fictional) phone of staff member n."""
        return f"+1202555{n + 110:04d}"

    def add(self, n: int, *, languages: str = "en", available: bool = True, **extra: Any) -> int:
        phone = self.phone(n)
        staff = staffadmin.add_staff(self.h, {"name": f"Staff {n}", "contact": phone, "languages": languages,
                                              **extra})
        self.phones[staff.id] = phone
        if available:
            staff_service.set_presence(self.h, staff.id, "available")
        return staff.id

    def by_phone(self, phone: str) -> int:
        return next(staff_id for staff_id, p in self.phones.items() if p == phone)


@pytest.fixture
def browser(app):  # type: ignore[no-untyped-def]
    """A client with CSRF checks on, as in production."""
    return browser_for(app)


@pytest.fixture
def supervisor(browser, helpline: Helpline):  # type: ignore[no-untyped-def]
    """The browser, signed in as the supervisor "sam"."""
    return signed_in(browser, helpline, "sam", "supervisor")


@pytest.fixture
def team(helpline: Helpline) -> Team:
    return Team(helpline)


def record(helpline: Helpline) -> int:
    """Persist every waiting event, as the worker's recorder does."""
    return Recorder(helpline, consumer="test").drain_all()


def call_row(helpline: Helpline, sid: str) -> Call:
    record(helpline)
    with helpline.database.session() as session:
        row = session.get(Call, sid)
        assert row is not None, f"no call row for {sid}"
        session.expunge(row)
        return row


def events(helpline: Helpline, sid: str | None = None) -> list[tuple[str, int | None]]:
    """(event, staff id) of the call log, oldest first."""
    record(helpline)
    with helpline.database.session() as session:
        query = select(CallEvent).order_by(CallEvent.at, CallEvent.id)
        if sid:
            query = query.where(CallEvent.call_sid == sid)
        return [(row.event, row.staff_id) for row in session.scalars(query)]
