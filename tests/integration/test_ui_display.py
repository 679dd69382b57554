"""What the staff and supervisor pages show: labels not codes, local times, units, empty states, the
call's timeline in order and free of caller identifiers, the console's notes, the favicon."""
from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from callcenter.store.models import Call, CallEvent

from ..support.calls import InboundCall
from .conftest import call_row, record
from .ui_support import browser_for, csrf_from, make_user, sign_in, signed_in


def section(page: str, start: str, end: str) -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def test_an_empty_board_says_so_in_every_table(supervisor) -> None:
    page = supervisor.get("/board").get_data(as_text=True)
    for body, empty in (("progress-rows", "No calls in progress."), ("holding-rows", "No one is holding."),
                        ("callback-rows", "No pending callbacks."), ("staff-rows", "No staff on the board.")):
        assert empty in section(page, f'id="{body}"', "</tbody>"), body
    assert 'aria-live' not in page and page.count('role="status"') == 1   # one quiet status line, no live region
    assert '"admissions": "Admissions"' in page and '"timezone": "America/New_York"' in page   # labels for board.js


def test_the_board_shows_labels_and_durations(helpline, webhooks, supervisor, team) -> None:
    team.add(1)
    InboundCall(webhooks).answered()
    page = supervisor.get("/board").get_data(as_text=True)
    progress = text_of(section(page, 'id="progress-rows"', "</tbody>"))
    assert "Incoming call" in progress and "Admissions" in progress and "English" in progress
    assert "admissions" not in progress and re.search(r"\d+ s|—", progress)
    staff = text_of(section(page, 'id="staff-rows"', "</tbody>"))
    assert "on a call" in staff and re.search(r"\d+ s\b", staff)


def test_the_call_log_and_the_call_show_labels_local_times_and_units(helpline, webhooks, supervisor, team) -> None:
    team.add(1)
    call = InboundCall(webhooks)
    leg = call.answered()
    staff_id = helpline.board.winner(call.sid)
    leg.status("completed", CallDuration="185")
    call.status("completed", CallDuration="200")
    record(helpline)
    with helpline.database.session() as session:
        row = session.get(Call, call.sid)
        row.disposition, row.wrapped_up_by = "assessment_scheduled", staff_id
        row.received_at = datetime(2026, 11, 29, 14, 41, 7, tzinfo=UTC)
        row.wait_seconds, row.talk_seconds = 24.2, 185

    log = supervisor.get("/calls").get_data(as_text=True)
    assert "1 call ·" in log
    row_text = text_of(section(log, "<tbody>", "</tbody>"))
    assert "Sun 29 Nov 2026, 09:41 EST" in row_text and '<time datetime="2026-11-29T14:41:07Z">' in log
    for shown in ("Admissions", "English", "Answered", "Assessment scheduled", "24 s", "3 min 05 s"):
        assert shown in row_text, shown
    assert "assessment_scheduled" not in row_text and "admissions" not in row_text and "24.2" not in row_text

    detail = supervisor.get(f"/calls/{call.sid}").get_data(as_text=True)
    cards = text_of(section(detail, '<section class="cards"', "</section>"))
    for shown in ("Assessment scheduled", "Admissions · English", "24 s · 3 min 05 s", "Sun 29 Nov 2026, 09:41 EST"):
        assert shown in cards, shown
    assert "assessment_scheduled" not in cards


def test_the_timeline_is_in_time_order_then_the_order_of_a_calls_life_and_shows_no_identifiers(
        helpline, webhooks, supervisor, team) -> None:
    team.add(1)
    call = InboundCall(webhooks)
    leg = call.answered()
    leg.status("completed", CallDuration="2")
    call.status("completed", CallDuration="26")
    record(helpline)
    # Events recorded out of order within one second, as Twilio's whole-second timestamps and the
    # service's own clock produce them: the ringing before the dialling, the end before the conversation.
    with helpline.database.session() as session:
        received = session.scalar(select(CallEvent.at).where(CallEvent.call_sid == call.sid,
                                                             CallEvent.event == "call.received"))
        base = received.replace(microsecond=0) + timedelta(seconds=30)
        session.query(CallEvent).filter(CallEvent.call_sid == call.sid,
                                        CallEvent.event != "call.received").delete()
        for n, (event, data, offset) in enumerate([
                ("leg.status", {"leg": "staff", "leg_sid": leg.sid, "status": "ringing"}, 0.0),
                ("leg.status", {"leg": "staff", "leg_sid": leg.sid, "status": "initiated"}, 0.4),
                ("call.ended", {"status": "completed", "duration": 26}, 10.0),
                ("call.connected", {"talk_seconds": 2}, 10.6),
                ("leg.status", {"leg": "caller", "leg_sid": call.sid, "status": "completed", "duration": 26}, 10.0),
                ("call.offered", {"attempt": 1}, -2.0)]):
            session.add(CallEvent(key=f"test:{call.sid}:{n}", at=base + timedelta(seconds=offset), call_sid=call.sid,
                                  staff_id=None if "caller" in str(data) or event == "call.ended" else 1,
                                  event=event, data=data))
    page = supervisor.get(f"/calls/{call.sid}").get_data(as_text=True)
    timeline = section(page, '<tbody id="timeline">', "</tbody>")
    kinds = re.findall(r'<tr data-event="([^"]+)"', timeline)
    statuses = [k for k in kinds]
    assert statuses == ["call.received", "call.offered", "leg.status", "leg.status", "call.connected", "leg.status",
                        "call.ended"]
    words = text_of(timeline)
    assert words.index("phone: dialling") < words.index("phone: ringing")
    assert words.index("Talked with") < words.index("Caller's call: ended") < words.index("Call ended")
    assert "Call received" in words and "Number withheld: no" in words and "Line: Admissions" in words
    assert "Talk time: 2 s" in words and "Call length: 26 s" in words
    for leak in ("0123", "2025550123", "caller_hash", "caller_enc", "None", "False", "True", "=", leg.sid):
        assert leak not in words, leak
    times = re.findall(r'<time datetime="([^"]+)"', timeline)
    assert times == sorted(times) and len(times) == len(kinds)
    assert re.search(r"\d\d:\d\d:\d\d E[SD]T", words)


def test_the_console_titles_the_form_by_what_the_staff_member_is_doing(helpline, webhooks, browser) -> None:
    make_user(helpline, "ana", "staff", phone="+12025550111")
    sign_in(browser, "ana")
    token = csrf_from(browser, "/console")
    browser.post("/console/presence", data={"csrf_token": token, "presence": "available"})
    call = InboundCall(webhooks)
    leg = call.answered()
    during = browser.get("/console").get_data(as_text=True)
    assert ">Notes for this call</h2>" in during and "saving then ends your wrap-up" in during
    assert "on a call" in during and "Incoming call · Admissions · English" in during
    assert "private" not in during and "visible to supervisors" in during and "aria-live" not in during
    leg.status("completed", CallDuration="90")
    after = browser.get("/console").get_data(as_text=True)
    assert ">Wrap-up</h2>" in after and re.search(r"wrap-up: (\d+ s|1 min 00 s) left", after)
    assert call_row(helpline, call.sid).outcome == "answered"


def test_the_favicon_is_linked_and_served(app, browser) -> None:
    icon = browser.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
    assert 'rel="icon"' in browser.get("/signin").get_data(as_text=True)
    assert 'rel="icon"' in browser.get("/callback").get_data(as_text=True)
    assert browser.get("/static/favicon.svg").status_code == 200


def test_counts_are_pluralised_on_the_audit_log(helpline, app) -> None:
    client = signed_in(browser_for(app), helpline, "root", "admin")
    page = client.get("/admin/audit").get_data(as_text=True)
    count = int(re.search(r"(\d+) entr", page).group(1))  # type: ignore[union-attr]
    assert f"{count} {'entry' if count == 1 else 'entries'} ·" in page
    assert "When (UTC)" not in page and re.search(r"<time datetime=\"[^\"]+Z\">\w{3} \d+ \w{3} \d{4}, ", page)
