"""`make run` without Twilio credentials, felt from a browser: the phone page places a call, a staff phone
rings and accepts it, both sides are connected, and the call is in the database as answered.

Runs Debian's Chromium through Playwright (never a browser of Playwright's own); skipped where there is
none. Screenshots go to artifacts/screenshots/.
"""
from __future__ import annotations

import pytest

from ..e2e.test_local_stack import wait_until
from .conftest import SCREENSHOTS, Stack, call_outcome, launch_chromium, needs_chromium

pytestmark = [pytest.mark.slow, needs_chromium]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in requirements-dev.txt")


def test_a_call_placed_from_the_browser_phone_is_accepted_on_a_staff_phone_and_recorded(
        local_stack: Stack) -> None:
    expect = sync_api.expect
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(local_stack.phone_url)
            expect(page.locator("#live")).to_have_text("live", timeout=15_000)
            staff = page.locator("#staff .phone")
            expect(staff).to_have_count(3)
            expect(page.locator("#staff")).to_contain_text("Ada Example")
            page.screenshot(path=SCREENSHOTS / "1-idle.png")

            caller = page.locator("#caller .phone")
            page.get_by_role("button", name="Call the helpline").click()
            heard = caller.locator(".heard")
            expect(heard).to_contain_text("dial 9 1 1", timeout=15_000)   # the safety line comes first
            expect(heard).to_contain_text("For English, press 1", timeout=45_000)
            page.screenshot(path=SCREENSHOTS / "2-language-menu.png")
            caller.focus()
            page.keyboard.press("1")   # keyboard: a focused phone takes typed keys
            expect(heard).to_contain_text("You pressed 1")

            ringing = page.locator('#staff .phone[data-state="ringing"]')
            expect(ringing).to_have_count(1, timeout=30_000)
            expect(ringing.locator(".heard")).to_contain_text("Incoming call")
            address = ringing.get_attribute("data-address")
            staff_phone = page.locator(f'#staff .phone[data-address="{address}"]')
            expect(caller.locator(".state-text")).to_have_text("on the line")
            page.screenshot(path=SCREENSHOTS / "3-staff-ringing.png")
            staff_phone.get_by_role("button", name="Answer").click()
            expect(staff_phone.locator(".heard")).to_contain_text("Press 1 to accept", timeout=10_000)
            staff_phone.get_by_role("button", name="1", exact=True).click()

            expect(staff_phone).to_have_attribute("data-state", "connected", timeout=15_000)
            expect(caller).to_have_attribute("data-state", "connected", timeout=15_000)
            expect(heard).to_contain_text("Connected — talking with")
            expect(staff_phone.locator(".heard")).to_contain_text("Connected — talking with the caller")
            sid = caller.get_attribute("data-sid")
            assert sid and sid.startswith("CA")
            page.screenshot(path=SCREENSHOTS / "4-connected.png")

            caller.get_by_role("button", name="Hang up").click()
            expect(caller).to_have_attribute("data-state", "idle", timeout=15_000)
            expect(staff_phone).to_have_attribute("data-state", "idle", timeout=15_000)
            expect(heard).to_contain_text("Call ended (completed)")
            page.screenshot(path=SCREENSHOTS / "5-hung-up.png")
        finally:
            browser.close()
    assert errors == [], f"the page's script failed: {errors}"
    wait_until(lambda: call_outcome(local_stack.var, sid) == "answered", 30,
               "the worker recording the call as answered in SQLite")
