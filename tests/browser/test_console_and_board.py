"""The staff console and the supervisor pages, felt from a browser against `make run`'s stack.

One stack for the module (scripts/localstack.py with the emulator at real speed and its three fictional
staff). Ada Example signs in to the console, says she is free, takes a call placed from the emulator's
browser phone, sees it live, wraps it up; Sam Supervisor watches it on the board, opens it in the call log,
shows the number (audited once) and exports the log (numbers masked). Staff are refused supervisor pages,
and an idle session ends with a message. Screenshots go to artifacts/screenshots/.
"""
from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ..e2e.test_local_stack import wait_until
from .conftest import SCREENSHOTS, Stack, call_outcome, launch_chromium, needs_chromium, running_stack

pytestmark = [pytest.mark.slow, needs_chromium]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in requirements-dev.txt")
expect = sync_api.expect

CALLER = "+12025550124"              # one of the browser phone's fictional caller numbers
CALLER_MASKED = "•••-•••-0124"
ADA_PHONE = "+12025550111"           # Ada Example's fictional phone (a manual phone on the emulator)
ADA = ("ada", "ada-fictional-passphrase")
SAM = ("sam", "sam-fictional-passphrase")
NOTE = "Prefers a morning assessment. Fictional test note 7731."
DISPOSITION = ("assessment_scheduled", "Assessment scheduled")
SUPERVISOR_PAGES = ("/board", "/calls", "/metrics", "/admin/staff")
SESSIONS = "{cc}:session:*"
IDLE_SECONDS = 15 * 60               # CALLCENTER_SESSION_IDLE_MINUTES' default
ENDED = "Your session ended after a time without activity"
LIVE_UPDATE = 10_000                 # ms: the console and the board refresh themselves every 2 s


@dataclass(frozen=True)
class Accounts:
    ada: int
    colleagues: tuple[int, ...]      # Bruno Placeholder, Carmen Ficticia
    sam: int


class Browsing:
    """Pages, each in a browser context of its own (its own cookies: one signed-in user each)."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self.contexts: list[Any] = []
        self.errors: list[str] = []

    def page(self) -> Any:
        context = self.browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    with running_stack(tmp_path_factory.mktemp("console") / "var", "browser-console.log") as stack:
        yield stack


@pytest.fixture(scope="module")
def accounts(stack: Stack) -> Accounts:
    """Sign-ins through the service's CLI: Ada Example (a seeded staff member) and a new supervisor."""
    listed = stack.cli("staff", "list").stdout
    ids = {name: int(line.split()[0]) for line in listed.splitlines()[1:]
           for name in ("Ada Example", "Bruno Placeholder", "Carmen Ficticia") if name in line}
    ada = ids["Ada Example"]
    stack.cli("users", "set-login", str(ada), ADA[0])
    stack.cli("users", "set-password", str(ada), "--password", ADA[1])
    added = stack.cli("staff", "add", "--name", "Sam Supervisor", "--role", "supervisor")   # no phone
    found = re.search(r"added staff (\d+)", added.stdout)
    assert found, added.stdout + added.stderr
    sam = int(found.group(1))
    stack.cli("users", "set-login", str(sam), SAM[0])
    stack.cli("users", "set-password", str(sam), "--password", SAM[1])
    return Accounts(ada, (ids["Bruno Placeholder"], ids["Carmen Ficticia"]), sam)


@pytest.fixture(scope="module")
def browser(stack: Stack) -> Iterator[Any]:
    """One Chromium for the module (closed before the stack stops)."""
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browsing(browser: Any) -> Iterator[Browsing]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = Browsing(browser)
    try:
        yield pages
    finally:
        pages.close()


def session_keys(stack: Stack) -> set[str]:
    return set(stack.redis().scan_iter(match=SESSIONS))


def sign_in(stack: Stack, page: Any, who: tuple[str, str], *, go: bool = True) -> str:
    """Sign in with the form at /signin (or the sign-in page already shown); the new session's Redis key."""
    before = session_keys(stack)
    if go:
        page.goto(f"{stack.base_url}/signin")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Username").fill(who[0])
    page.get_by_label("Password").fill(who[1])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    new = session_keys(stack) - before
    assert len(new) == 1, f"one new server-side session, not {new}"
    return new.pop()


def make_idle(stack: Stack, session: str) -> None:
    """The session looks as if nothing happened in it for longer than the idle limit (no waiting)."""
    assert stack.redis().hset(session, "seen", time.time() - IDLE_SECONDS - 60) == 0   # an update, not a new field


def audit_rows(stack: Stack, action: str, target: str) -> list[tuple[Any, ...]]:
    return stack.query("select actor, actor_id from audit_log where action = ? and target_id = ?", action, target)


def cells(row: Any) -> Any:
    return row.locator("td")


def page_width(page: Any) -> int:
    """How wide the page's content is (more than the viewport: the page scrolls sideways)."""
    return int(page.evaluate("Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"))


PHONE_WIDTH = {"width": 390, "height": 844}
DURATION = re.compile(r"^(\d+ s|\d+ min \d\d s|\d+ h \d\d min|—)$")


def test_a_call_taken_on_the_console_is_live_on_the_board_then_wrapped_up_unmasked_once_and_exported(
        stack: Stack, accounts: Accounts, browsing: Browsing) -> None:
    base = stack.base_url
    # Only Ada is offered the call: her colleagues step away, and she starts offline and says she is free herself.
    for colleague in accounts.colleagues:
        stack.cli("staff", "presence", str(colleague), "away", "--reason", "browser test")
    stack.cli("staff", "presence", str(accounts.ada), "offline")

    # --- Ada signs in and sets herself available with the console's form
    console = browsing.page()
    sign_in(stack, console, ADA)
    expect(console).to_have_url(f"{base}/console")
    expect(console.locator("#presence")).to_have_text("offline")
    console.get_by_label("Set my state").select_option("available")
    console.get_by_role("button", name="Update").click()
    expect(console.locator("#presence")).to_have_text("available")
    expect(console.locator("#activity")).to_have_text("free")
    expect(console.locator("#call")).to_have_text("none")
    expect(console.locator("#wrapup-section")).to_be_hidden()

    # --- Sam signs in in a second context and lands on the board, where Ada is free
    board = browsing.page()
    not_found: list[str] = []
    board.on("response", lambda response: not_found.append(response.url) if response.status == 404 else None)
    sign_in(stack, board, SAM)
    expect(board).to_have_url(f"{base}/board")
    ada_state = cells(board.locator("#staff-rows tr", has_text="Ada Example")).nth(1)
    expect(ada_state).to_have_text("free")
    expect(board.locator("#progress-rows")).to_have_text("No calls in progress.")   # an empty table says so
    expect(board.locator("#holding-rows")).to_have_text("No one is holding.")
    expect(board.locator("[aria-live]")).to_have_count(0)   # no region re-announced on every refresh

    # --- a caller calls from the emulator's browser phone and presses 1 for English; Ada's phone rings
    phone = browsing.page()
    phone.set_viewport_size({"width": 1400, "height": 1000})
    phone.goto(stack.phone_url)
    expect(phone.locator("#live")).to_have_text("live", timeout=15_000)
    phone.locator("#caller-from").select_option(CALLER)
    phone.get_by_role("button", name="Call the helpline").click()
    caller = phone.locator("#caller .phone")
    heard = caller.locator(".heard")
    expect(heard).to_contain_text("dial 9 1 1", timeout=15_000)   # the safety line first (~16 s at real speed)
    expect(heard).to_contain_text("For English, press 1", timeout=45_000)
    caller.get_by_role("button", name="1", exact=True).click()
    ada_phone = phone.locator(f'#staff .phone[data-address="{ADA_PHONE}"]')
    expect(ada_phone).to_have_attribute("data-state", "ringing", timeout=30_000)
    ada_phone.get_by_role("button", name="Answer").click()
    expect(ada_phone.locator(".heard")).to_contain_text("Press 1 to accept", timeout=10_000)
    ada_phone.get_by_role("button", name="1", exact=True).click()
    expect(caller).to_have_attribute("data-state", "connected", timeout=15_000)
    sid = caller.get_attribute("data-sid")
    assert sid and sid.startswith("CA")

    # --- the console shows the call live (never the caller's number)
    expect(console.locator("#activity")).to_have_text("on a call", timeout=LIVE_UPDATE)
    expect(console.locator("#call")).to_contain_text("Incoming call · Admissions · English", timeout=LIVE_UPDATE)
    expect(console.locator("#console-status")).to_contain_text("A call: Incoming call, Admissions, English")
    expect(console.locator("#wrapup-title")).to_have_text("Notes for this call")   # notes while on the call
    expect(console.locator("#wrapup-hint")).to_be_visible()
    assert "0124" not in console.locator("main").inner_text()
    console.screenshot(path=SCREENSHOTS / "console.png", full_page=True)

    # --- the board shows it in progress, and Ada busy
    progress = board.locator("#progress-rows tr", has_text=sid[-6:])
    expect(progress).to_have_count(1, timeout=LIVE_UPDATE)
    expect(cells(progress)).to_have_text([sid[-6:], "Incoming call", "Ada Example", "Admissions", "English",
                                          DURATION])
    expect(ada_state).to_have_text("on a call", timeout=LIVE_UPDATE)
    expect(cells(board.locator("#staff-rows tr", has_text="Ada Example")).nth(2)).to_have_text(DURATION)
    expect(board.locator("#busy")).to_have_text("1")
    expect(board.locator("#board-status")).to_have_text("0 free, 1 busy, 0 holding")   # said once, on the change
    assert "0124" not in board.locator("main").inner_text()
    board.screenshot(path=SCREENSHOTS / "board.png", full_page=True)

    # --- the caller hangs up: Ada is in wrap-up and the form is there, for this call
    caller.get_by_role("button", name="Hang up").click()
    expect(caller).to_have_attribute("data-state", "idle", timeout=15_000)
    expect(console.locator("#activity")).to_have_text("wrap-up", timeout=LIVE_UPDATE)
    expect(console.locator("#call")).to_have_text("none")
    expect(console.locator("#wrapup-left")).to_contain_text(re.compile(r"wrap-up: .* left"))
    expect(console.locator("#wrapup-section")).to_be_visible()
    expect(console.locator("#wrapup-title")).to_have_text("Wrap-up")
    expect(console.locator("#wrapup-hint")).to_be_hidden()
    expect(console.locator("#wrapup-call")).to_have_value(sid)
    expect(progress).to_have_count(0, timeout=LIVE_UPDATE)
    expect(board.locator("#progress-rows")).to_have_text("No calls in progress.")   # board.js' empty state
    expect(ada_state).to_have_text("wrap-up", timeout=LIVE_UPDATE)

    console.get_by_label("What came of the call").select_option(label=DISPOSITION[1])
    console.get_by_label("Notes").fill(NOTE)
    console.get_by_role("button", name="Save wrap-up").click()
    expect(console.locator(".flash")).to_contain_text("Wrap-up saved")
    expect(console.locator("#wrapup-section")).to_be_hidden()
    expect(console.locator("#activity")).to_have_text("free", timeout=LIVE_UPDATE)   # saving ends the wrap-up
    expect(ada_state).to_have_text("free", timeout=LIVE_UPDATE)

    # --- in the database: the disposition, and the note only encrypted
    wait_until(lambda: call_outcome(stack.var, sid) == "answered", 30, "the worker recording the call as answered")
    [(disposition, notes_enc, staff_id, caller_enc)] = stack.query(
        "select disposition, notes_enc, staff_id, caller_enc from calls where sid = ?", sid)
    assert (disposition, staff_id) == (DISPOSITION[0], accounts.ada)
    assert notes_enc and notes_enc != NOTE and "7731" not in notes_enc and "morning" not in notes_enc
    assert caller_enc and "0124" not in caller_enc

    # --- Sam finds it in the call log (masked) and opens it
    board.goto(f"{base}/calls")
    link = board.locator(f'a[href="/calls/{sid}"]')
    expect(link).to_have_count(1)
    row = board.locator("tbody tr", has=link)
    expect(cells(row).nth(1)).to_have_text(CALLER_MASKED)
    expect(row).to_contain_text("Answered")
    expect(row).to_contain_text("Ada Example")
    expect(row).to_contain_text(DISPOSITION[1])
    expect(row).to_contain_text("Admissions")
    expect(cells(row).nth(0)).to_have_text(re.compile(r"^\w{3} \d{1,2} \w{3} \d{4}, \d\d:\d\d E[SD]T$"))
    assert CALLER not in board.content()
    assert page_width(board) <= 1280
    board.screenshot(path=SCREENSHOTS / "calls.png", full_page=True)
    board.set_viewport_size(PHONE_WIDTH)
    assert page_width(board) <= 390, "the call log scrolls sideways at phone width"
    board.screenshot(path=SCREENSHOTS / "calls-390.png", full_page=True)
    board.set_viewport_size({"width": 1280, "height": 900})
    link.click()
    expect(board.get_by_role("heading", level=1)).to_have_text(f"Call {sid}")
    expect(board.locator("#number")).to_have_text(CALLER_MASKED)
    expect(board.locator("main")).to_contain_text(NOTE)   # supervisors read the notes (decrypted)
    expect(board.locator("#disposition")).to_have_text(DISPOSITION[1])
    timeline = board.locator("#timeline tr")
    expect(timeline.first).to_contain_text("Call received")
    expect(timeline.filter(has_text="Accepted by Ada Example")).to_have_count(1)
    moments = board.locator("#timeline time").evaluate_all("times => times.map(t => t.dateTime)")
    assert moments == sorted(moments), moments   # in time order (then in the order of the call's life)
    events = [row.get_attribute("data-event") for row in timeline.all()]
    if moments[events.index("call.connected")] == moments[events.index("call.ended")]:
        assert events.index("call.connected") < events.index("call.ended"), events
    assert "0124" not in board.locator("#timeline").inner_text()
    assert page_width(board) <= 1280, "the call's page is wider than the window"
    board.screenshot(path=SCREENSHOTS / "call-detail.png", full_page=True)
    board.set_viewport_size(PHONE_WIDTH)
    assert page_width(board) <= 390, "the call's page scrolls sideways at phone width"
    board.screenshot(path=SCREENSHOTS / "call-detail-390.png", full_page=True)
    board.set_viewport_size({"width": 1280, "height": 900})
    assert audit_rows(stack, "unmask", sid) == []

    # --- "Show number": the full fictional number, and exactly one audit row for it
    board.get_by_role("button", name="Show number").click()
    expect(board.locator("#number")).to_have_text(CALLER)
    expect(board.get_by_role("button", name="Show number")).to_have_count(0)
    assert audit_rows(stack, "unmask", sid) == [(SAM[0], accounts.sam)]

    # --- the CSV export of the call log: the call, its number masked
    board.goto(f"{base}/calls")
    with board.expect_download() as download:
        board.get_by_role("link", name="Export CSV").click()
    assert re.fullmatch(r"calls-\d+\.csv", download.value.suggested_filename)
    text = Path(download.value.path()).read_text(encoding="utf-8")
    exported = [line for line in csv.DictReader(io.StringIO(text)) if line["call"] == sid]
    assert len(exported) == 1, text
    assert exported[0]["number"] == CALLER_MASKED
    assert (exported[0]["outcome"], exported[0]["staff"], exported[0]["disposition"]) == (
        "answered", "Ada Example", DISPOSITION[0])
    assert CALLER not in text and "2025550124" not in text
    assert len(stack.query("select id from audit_log where action = 'export' and actor = ?", SAM[0])) == 1
    assert audit_rows(stack, "unmask", sid) == [(SAM[0], accounts.sam)]   # still one: exporting is not unmasking

    # --- the metrics page, with its charts
    board.goto(f"{base}/metrics")
    expect(board.get_by_role("heading", level=1)).to_have_text("Metrics")
    expect(board.locator("figure svg")).to_have_count(3)
    board.screenshot(path=SCREENSHOTS / "metrics.png", full_page=True)
    board.goto(f"{base}/board")
    expect(ada_state).to_have_text("free")
    board.screenshot(path=SCREENSHOTS / "board-after.png", full_page=True)
    for path in ("/board", "/calls", "/callbacks", "/metrics", "/admin/staff"):   # every page fits a phone
        board.set_viewport_size(PHONE_WIDTH)
        board.goto(f"{base}{path}")
        assert page_width(board) <= 390, f"{path} scrolls sideways at phone width"
    board.set_viewport_size({"width": 1280, "height": 900})

    assert browsing.errors == [], f"a page's script failed: {browsing.errors}"
    assert not_found == [], f"requests that found nothing: {not_found}"


def test_staff_are_refused_the_supervisor_pages(stack: Stack, accounts: Accounts, browsing: Browsing) -> None:
    page = browsing.page()
    sign_in(stack, page, ADA)
    expect(page.get_by_role("navigation", name="Main").get_by_role("link")).to_have_text(["Console"])
    for path in (*SUPERVISOR_PAGES, "/callbacks", "/admin/audit", "/calls/export.csv"):
        response = page.goto(f"{stack.base_url}{path}")
        assert response is not None and response.status == 403, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Not for your role")
        if path == "/board":
            page.screenshot(path=SCREENSHOTS / "forbidden.png", full_page=True)
    assert browsing.errors == []


def test_an_idle_session_ends_and_the_sign_in_page_says_why(
        stack: Stack, accounts: Accounts, browsing: Browsing) -> None:
    page = browsing.page()
    session = sign_in(stack, page, ADA)
    # A page that does not refresh itself: nothing but the user's next request touches the session.
    page.goto(f"{stack.base_url}/console/callbacks")
    expect(page.get_by_role("heading", level=1)).to_have_text("My callbacks")
    make_idle(stack, session)
    page.reload()
    expect(page).to_have_url(re.compile(r"/signin\?"))
    expect(page.get_by_role("status")).to_contain_text(ENDED)
    assert not stack.redis().exists(session)   # ended on the server, not just forgotten by the browser
    page.screenshot(path=SCREENSHOTS / "signed-out-idle.png", full_page=True)

    sign_in(stack, page, ADA, go=False)   # signing in again goes back where the user was
    expect(page).to_have_url(re.compile(r"/console/callbacks"))
    assert browsing.errors == []


def test_a_live_page_whose_session_ended_tells_the_user_why(
        stack: Stack, accounts: Accounts, browsing: Browsing) -> None:
    page = browsing.page()
    session = sign_in(stack, page, ADA)   # lands on the console, which asks /console/stream every 2 s
    expect(page).to_have_url(f"{stack.base_url}/console")
    make_idle(stack, session)   # e.g. the laptop slept past the idle limit with the console open
    expect(page).to_have_url(re.compile(r"/signin"), timeout=LIVE_UPDATE)   # its next refresh finds it over
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert not stack.redis().exists(session)
    expect(page.get_by_role("status")).to_contain_text(ENDED)
    page.screenshot(path=SCREENSHOTS / "signed-out-live.png", full_page=True)
    sign_in(stack, page, ADA, go=False)   # and back to the console after signing in again
    expect(page).to_have_url(f"{stack.base_url}/console")


def test_the_cli_adds_a_supervisor_without_a_phone(stack: Stack, accounts: Accounts) -> None:
    added = stack.cli("staff", "add", "--name", "Sol Supervisor", "--role", "supervisor", check=False)
    assert added.returncode == 0 and "added staff" in added.stdout, added.stderr


def test_the_cli_lists_staff_when_a_supervisor_has_no_phone(stack: Stack, accounts: Accounts) -> None:
    listed = stack.cli("staff", "list", check=False)   # Sam Supervisor has no phone
    assert listed.returncode == 0 and "Sam Supervisor" in listed.stdout, listed.stderr
