"""Metrics on a seeded call history whose answers were worked out by hand."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from callcenter.core import metrics as core
from callcenter.services import metrics
from callcenter.store.models import Call, CallbackRequest

from .conftest import Team
from .ui_support import browser_for, signed_in

NY = ZoneInfo("America/New_York")
DAY = date(2026, 6, 10)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 6, 10, hour, minute, tzinfo=NY)


@pytest.fixture
def history(helpline):  # type: ignore[no-untyped-def]
    """Ten calls on 10 June 2026 (New York time), two staff, three callback requests."""
    team = Team(helpline)
    ana, bo = team.add(1), team.add(2)
    calls = [  # (hour, minute, outcome, wait, talk, staff)
        (9, 0, "answered", 5, 300, ana), (9, 10, "answered", 15, 200, bo), (9, 20, "answered", 25, 100, ana),
        (9, 40, "abandoned", 40, None, None), (10, 0, "answered", 60, 400, bo), (10, 30, "callback", 30, None, None),
        (10, 45, "voicemail", 90, None, None), (11, 5, "abandoned", 10, None, None),
        (11, 15, "answered", 20, 500, ana), (11, 30, "blocked", None, None, None),
    ]
    with helpline.database.session() as session:
        for n, (hour, minute, outcome, wait, talk, staff) in enumerate(calls):
            session.add(Call(sid=f"CA{n:032x}", direction="inbound", line="admissions", outcome=outcome,
                             received_at=at(hour, minute), wait_seconds=wait, talk_seconds=talk, staff_id=staff,
                             voicemail=outcome == "voicemail", overflowed=False, blocked=outcome == "blocked",
                             callback_requested=outcome == "callback"))
        for n, (asked, closed, status) in enumerate([(at(10, 30), at(10, 50), "completed"),
                                                    (at(9, 0), at(10, 0), "completed"),
                                                    (at(11, 0), None, "exhausted")]):
            session.add(CallbackRequest(source="phone", status=status, number_hash=f"{n:064x}", number_enc="x",
                                        requested_at=asked, closed_at=closed, original_call_at=asked))
    return ana, bo


def test_the_summary_matches_the_hand_computed_figures(helpline, history) -> None:
    report = metrics.report(helpline, metrics.period(helpline, DAY), threshold_seconds=20)
    s = report.summary
    # 9 offered (the blocked call is not); 5 answered, 2 abandoned, 1 callback, 1 voicemail.
    assert (s.offered, s.answered, s.abandoned, s.callbacks, s.voicemail) == (9, 5, 2, 1, 1)
    # Within 20 s: waits 5, 15, 20 -> 3 of the 7 answered or abandoned.
    assert s.service_level == pytest.approx(3 / 7)
    # Abandonment 2 of 7 (the callback and the voicemail are neither answered nor abandoned).
    assert s.abandonment == pytest.approx(2 / 7)
    # Average speed of answer: (5 + 15 + 25 + 60 + 20) / 5 = 25 s.
    assert s.average_speed_of_answer == pytest.approx(25.0)
    hours = {h.label: h for h in report.hours}
    assert (hours["09"].answered, hours["09"].abandoned, hours["09"].other) == (3, 1, 0)
    assert (hours["10"].answered, hours["10"].abandoned, hours["10"].other) == (1, 0, 2)
    assert (hours["11"].answered, hours["11"].abandoned, hours["11"].other) == (1, 1, 0)
    assert sum(h.answered + h.abandoned + h.other for h in report.hours) == 9
    ana, bo = history
    figures = {f.staff_id: f for _, f in report.staff}
    assert (figures[ana].answered, figures[ana].average_talk_seconds) == (3, pytest.approx(300.0))  # 300,100,500
    assert (figures[bo].answered, figures[bo].average_wait_seconds) == (2, pytest.approx(37.5))  # 15, 60
    cb = report.callbacks
    assert (cb.requested, cb.completed, cb.exhausted) == (3, 2, 1)
    assert cb.median_minutes_to_completion == pytest.approx(40.0)  # 20 and 60 minutes


def test_a_different_threshold_changes_only_the_service_level(helpline, history) -> None:
    report = metrics.report(helpline, metrics.period(helpline, DAY), threshold_seconds=60)
    assert report.summary.service_level == pytest.approx(5 / 7)  # 5, 15, 25, 60, 20
    assert report.summary.abandonment == pytest.approx(2 / 7)


def test_the_metrics_page_shows_the_figures_and_its_charts(app, helpline, history) -> None:
    browser = signed_in(browser_for(app), helpline, "sam", "supervisor")
    page = browser.get("/metrics?from=2026-06-10&to=2026-06-10&threshold=20").get_data(as_text=True)
    assert '<div class="value" id="service-level">42.9%</div>' in page
    assert '<div class="value" id="abandonment">28.6%</div>' in page
    assert '<div class="value" id="asa">25 s</div>' in page
    assert page.count("<svg") == 3 and 'aria-label="Calls per hour"' in page


def test_pure_metrics_leave_blocked_calls_out_and_handle_an_empty_day() -> None:
    empty = core.summarize([], 20)
    assert (empty.offered, empty.service_level, empty.abandonment, empty.average_speed_of_answer) == (0, None, None,
                                                                                                      None)
    blocked = core.summarize([core.CallFacts(datetime(2026, 1, 1, tzinfo=NY), "blocked")], 20)
    assert blocked.offered == 0
    assert timedelta(0) == timedelta(0)
