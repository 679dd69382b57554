"""Staff console and supervisor pages: sign-in, sessions, roles, CSRF, audit, bad input."""
from __future__ import annotations

from sqlalchemy import select

from callcenter.core.records import Outcome
from callcenter.store import keys
from callcenter.store.models import Call

from ..support.calls import InboundCall
from .conftest import call_row, record
from .ui_support import PASSWORD, audit_rows, csrf_from, make_user, sign_in

PUBLIC = {"/signin", "/callback", "/healthz", "/static/<path:filename>", "/api/openapi.json", "/", "/favicon.ico"}


def test_a_staff_member_signs_in_and_lands_on_the_console(helpline, browser) -> None:
    make_user(helpline, "ana", "staff", phone="+12025550111")
    response = sign_in(browser, "ana")
    assert response.status_code == 302 and response.headers["Location"].endswith("/console")
    page = browser.get("/console")
    assert page.status_code == 200 and "Console" in page.get_data(as_text=True)
    assert audit_rows(helpline, "sign_in") == 1


def test_a_wrong_password_is_refused_recorded_and_throttled_per_account(helpline, browser) -> None:
    make_user(helpline, "ana", "staff", phone="+12025550111")
    for _ in range(5):
        assert sign_in(browser, "ana", "not the password").status_code == 401
    throttled = sign_in(browser, "ana", PASSWORD)  # right password, but too many failures
    assert throttled.status_code == 429 and int(throttled.headers["Retry-After"]) > 0
    assert audit_rows(helpline, "sign_in_failed") == 5
    unknown = sign_in(browser, "nobody", "whatever")
    assert unknown.status_code == 401 and "Wrong username or password." in unknown.get_data(as_text=True)


def test_failed_sign_ins_are_throttled_per_address_too(helpline, browser) -> None:
    for n in range(20):
        sign_in(browser, f"user{n}", "nope")
    assert sign_in(browser, "someone-else", "nope").status_code == 429


def test_every_ui_page_needs_a_session_and_every_api_call_a_token_or_session(app, browser) -> None:
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/voice") or rule.rule in PUBLIC or "GET" not in rule.methods:
            continue
        path = rule.rule.replace("<sid>", "CA" + "1" * 32).replace("<int:staff_id>", "1")
        response = browser.get(path)
        if path.startswith("/api/"):
            assert response.status_code == 401, path
        elif path.endswith("/stream"):
            assert b"event: signedout" in response.data, path
        else:
            assert response.status_code == 302 and "/signin" in response.headers["Location"], path
        checked += 1
    assert checked >= 14


def test_every_state_changing_route_requires_csrf_and_changes_nothing_without_it(app, helpline, supervisor) -> None:
    make_user(helpline, "root", "admin")
    before = audit_rows(helpline)
    posted = 0
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/voice") or "POST" not in rule.methods:
            continue
        path = (rule.rule.replace("<sid>", "CA" + "1" * 32).replace("<int:staff_id>", "1")
                .replace("<int:request_id>", "1").replace("<action>", "cancel"))
        response = supervisor.post(path, data={"presence": "available", "reason": "x", "name": "X"})
        assert response.status_code == 400, f"{path} accepted a POST without a CSRF token"
        assert "CSRF" in response.get_data(as_text=True), path
        posted += 1
    assert posted >= 10
    assert audit_rows(helpline) == before  # nothing changed


def test_staff_cannot_open_supervisor_or_admin_pages(helpline, browser) -> None:
    make_user(helpline, "ana", "staff", phone="+12025550111")
    sign_in(browser, "ana")
    for path in ("/board", "/calls", "/callbacks", "/metrics", "/admin/staff", "/admin/audit", "/calls/export.csv"):
        assert browser.get(path).status_code == 403, path
    assert browser.get("/api/calls").status_code == 401


def test_the_idle_limit_signs_a_user_out_on_the_server(helpline, browser) -> None:
    make_user(helpline, "sam", "supervisor")
    sign_in(browser, "sam")
    assert browser.get("/board").status_code == 200
    clock = helpline.clock
    helpline.clock = lambda: clock() + 16 * 60  # sixteen quiet minutes
    response = browser.get("/board")
    assert response.status_code == 302 and "/signin" in response.headers["Location"]
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Your session ended after a time without activity" in page
    helpline.clock = clock


def test_a_page_refreshing_itself_does_not_keep_its_session_alive_but_its_user_does(helpline, browser) -> None:
    make_user(helpline, "sam", "supervisor")
    sign_in(browser, "sam")
    clock = helpline.clock
    start = clock()
    try:
        for seconds in range(60, 14 * 60, 60):   # an unattended board refreshing itself for 13 minutes
            helpline.clock = lambda s=seconds: start + s
            assert "event: snapshot" in browser.get("/board/stream").get_data(as_text=True)
        helpline.clock = lambda: start + 14 * 60
        token = csrf_from(browser, "/board")   # the supervisor looks at it
        for minutes in (20, 30):    # ... and keeps using it: the page reports that, once a minute at most
            helpline.clock = lambda m=minutes: start + m * 60
            assert browser.post("/session/alive", headers={"X-CSRFToken": token}).status_code == 204
        helpline.clock = lambda: start + 31 * 60
        assert "event: snapshot" in browser.get("/board/stream").get_data(as_text=True)
        helpline.clock = lambda: start + 46 * 60     # then 16 minutes of nobody: the next refresh ends it
        ended = browser.get("/board/stream").get_data(as_text=True)
        assert "event: signedout" in ended and "snapshot" not in ended
        signin = browser.get("/signin?next=/board").get_data(as_text=True)
        assert "Your session ended after a time without activity" in signin   # the page says why
        assert browser.post("/session/alive", headers={"X-CSRFToken": token}).status_code == 401
    finally:
        helpline.clock = clock


def test_the_sign_in_link_goes_back_to_the_page_without_a_stray_question_mark(browser) -> None:
    response = browser.get("/board")
    assert response.status_code == 302 and response.headers["Location"].endswith("/signin?next=/board")


def test_the_absolute_limit_ends_even_a_busy_session(helpline, browser) -> None:
    make_user(helpline, "sam", "supervisor")
    sign_in(browser, "sam")
    clock = helpline.clock
    start = clock()
    for minutes in range(10, 12 * 60, 10):  # busy all day: never fifteen minutes idle
        helpline.clock = lambda m=minutes: start + m * 60
        assert browser.get("/board").status_code == 200, minutes
    helpline.clock = lambda: start + 12 * 3600 + 10
    assert browser.get("/board").status_code == 302
    helpline.clock = clock


def test_signing_out_ends_the_session_on_the_server_so_a_copied_cookie_is_useless(helpline, app, browser) -> None:
    make_user(helpline, "sam", "supervisor")
    sign_in(browser, "sam")
    cookie = browser.get_cookie("session")
    copy = app.test_client()
    copy.set_cookie("session", cookie.value)
    assert copy.get("/board").status_code == 200
    browser.post("/signout", data={"csrf_token": csrf_from(browser, "/board")})
    assert copy.get("/board").status_code == 302
    assert helpline.redis.keys(keys.session("*")) == []


def test_a_refused_availability_change_shows_the_console_with_the_reason(helpline, browser) -> None:
    make_user(helpline, "sam", "supervisor")   # no phone: nothing could ring
    sign_in(browser, "sam")
    token = csrf_from(browser, "/console")
    refused = browser.post("/console/presence", data={"csrf_token": token, "presence": "available"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Location" not in refused.headers
    assert "presence: your account has no phone to ring" in page and "<h1" in page


def test_a_staff_member_takes_a_call_and_wraps_it_up_with_a_disposition(helpline, app, webhooks, browser) -> None:
    staff_id = make_user(helpline, "ana", "staff", phone="+12025550111")
    sign_in(browser, "ana")
    token = csrf_from(browser, "/console")
    assert browser.post("/console/presence", data={"csrf_token": token, "presence": "available"}).status_code == 302
    call = InboundCall(webhooks)
    leg = call.answered()
    stream = browser.get("/console/stream").get_data(as_text=True)
    assert stream.startswith("retry: 2000") and '"kind": "live"' in stream and "0123" not in stream
    leg.status("completed", CallDuration="90")
    assert helpline.board.wrapup_token(staff_id) is not None
    saved = browser.post("/console/wrapup", data={"csrf_token": token, "call": call.sid,
                                                  "disposition": "assessment_scheduled",
                                                  "notes": "Assessment Tuesday 10 am."})
    assert saved.status_code == 302
    assert helpline.board.wrapup_token(staff_id) is None  # saved: wrap-up ended early
    row = call_row(helpline, call.sid)
    assert (row.disposition, row.wrapped_up_by, row.outcome) == ("assessment_scheduled", staff_id, Outcome.ANSWERED)
    assert "Tuesday" not in row.notes_enc and helpline.identifiers.reveal(row.notes_enc) == "Assessment Tuesday 10 am."
    refused = browser.post("/console/wrapup", data={"csrf_token": token, "call": call.sid, "disposition": "bogus"})
    assert refused.status_code == 400 and "disposition: choose one" in refused.get_data(as_text=True)


def test_an_expired_session_refuses_a_wrap_up_clearly_and_keeps_nothing_half_saved(helpline, webhooks, browser) -> None:
    make_user(helpline, "ana", "staff", phone="+12025550111")
    sign_in(browser, "ana")
    token = csrf_from(browser, "/console")
    clock = helpline.clock
    helpline.clock = lambda: clock() + 3600
    response = browser.post("/console/wrapup", data={"csrf_token": token, "call": "CA" + "2" * 32,
                                                     "disposition": "referred"})
    assert response.status_code == 302 and "/signin" in response.headers["Location"]
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "What you submitted was not saved." in page
    helpline.clock = clock
    with helpline.database.session() as session:
        assert session.scalars(select(Call).where(Call.disposition.is_not(None))).first() is None


def test_each_view_unmask_and_export_of_numbers_writes_exactly_one_audit_row(helpline, webhooks, supervisor) -> None:
    call = InboundCall(webhooks)
    call.dial_in()
    call_row(helpline, call.sid)
    for path, action in (("/calls", "view_call_log"), (f"/calls/{call.sid}", "view_call"),
                         ("/calls/export.csv", "export"), ("/callbacks", "view_callbacks")):
        before = audit_rows(helpline, action)
        response = supervisor.get(path)
        assert response.status_code == 200
        response.get_data()  # a streamed export writes its row before the first byte
        assert audit_rows(helpline, action) == before + 1, path
    page = supervisor.get(f"/calls/{call.sid}").get_data(as_text=True)
    assert "•••-•••-0123" in page and "2025550123" not in page
    token = csrf_from(supervisor, f"/calls/{call.sid}")
    before = audit_rows(helpline, "unmask")
    shown = supervisor.post(f"/calls/{call.sid}/unmask", data={"csrf_token": token}).get_data(as_text=True)
    assert "+12025550123" in shown and audit_rows(helpline, "unmask") == before + 1
    csv = supervisor.get("/calls/export.csv").get_data(as_text=True)
    assert "•••-•••-0123" in csv and "2025550123" not in csv
    full = supervisor.get("/calls/export.csv?numbers=full").get_data(as_text=True)
    assert "+12025550123" in full


def test_staff_may_not_unmask_or_export(helpline, webhooks, browser) -> None:
    make_user(helpline, "ana", "staff", phone="+12025550111")
    sign_in(browser, "ana")
    call = InboundCall(webhooks)
    call.dial_in()
    token = csrf_from(browser, "/console")
    assert browser.post(f"/calls/{call.sid}/unmask", data={"csrf_token": token}).status_code == 403
    assert audit_rows(helpline, "unmask") == 0


def test_an_unknown_call_is_a_404_page_and_bad_filters_are_named(supervisor) -> None:
    missing = supervisor.get("/calls/CA" + "f" * 32)
    assert missing.status_code == 404 and "Not found" in missing.get_data(as_text=True)
    bad = supervisor.get("/calls?from=yesterday")
    assert bad.status_code == 400 and "from: a date" in bad.get_data(as_text=True)


def test_the_call_log_filters_and_finds_a_caller_by_number(helpline, webhooks, supervisor) -> None:
    InboundCall(webhooks).dial_in()
    InboundCall(webhooks, caller="+12025550124").dial_in()
    record(helpline)
    assert supervisor.get("/calls").get_data(as_text=True).count("•••-•••-01") == 2
    found = supervisor.get("/calls?number=(202) 555-0124").get_data(as_text=True)
    assert "•••-•••-0124" in found and "•••-•••-0123" not in found
    assert "1 call ·" in found and "1 calls" not in found


def test_supervisors_manage_callbacks_and_each_change_is_audited(helpline, supervisor) -> None:
    from callcenter.services import callbacks

    first = callbacks.record(helpline, source="web", number="+12025550144", consent_any_time=True).request_id
    second = callbacks.record(helpline, source="web", number="+12025550145", consent_any_time=True).request_id
    staff_id = make_user(helpline, "ana", "staff", phone="+12025550111")
    token = csrf_from(supervisor, "/callbacks")
    page = supervisor.get("/callbacks").get_data(as_text=True)
    assert "•••-•••-0144" in page and "2025550144" not in page
    supervisor.post(f"/callbacks/{first}/reassign", data={"csrf_token": token, "staff": str(staff_id)})
    supervisor.post(f"/callbacks/{first}/retry", data={"csrf_token": token})
    supervisor.post(f"/callbacks/{second}/cancel", data={"csrf_token": token, "reason": "reached by email"})
    supervisor.post(f"/callbacks/{first}/done", data={"csrf_token": token})
    for action in ("callback_reassigned", "callback_retry_now", "callback_cancelled", "callback_completed"):
        assert audit_rows(helpline, action) == 1, action
    closed = supervisor.get("/callbacks?status=all").get_data(as_text=True)
    assert "cancelled: reached by email" in closed and "marked done by sam" in closed


def test_the_board_streams_one_snapshot_and_ends_the_response(helpline, webhooks, supervisor) -> None:
    InboundCall(webhooks).to_routing()
    response = supervisor.get("/board/stream")
    body = response.get_data(as_text=True)
    assert response.mimetype == "text/event-stream"
    assert body.startswith("retry: 2000\nevent: snapshot\ndata: {") and body.endswith("\n\n")
    assert "2025550123" not in body
