"""The public web callback form: CSRF, field errors, rate limits, one request per duplicate post."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from callcenter.store.models import CallbackRequest


def hidden(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    page = client.get("/callback").get_data(as_text=True)
    return {name: value for name, value in re.findall(r'name="(csrf_token|form_token)"[^>]*value="([^"]*)"', page)}


def count_requests(helpline) -> int:  # type: ignore[no-untyped-def]
    with helpline.database.session() as session:
        return int(session.scalar(select(func.count()).select_from(CallbackRequest)))


def test_the_form_shows_the_safety_line_and_asks_only_for_what_is_needed(browser) -> None:
    page = browser.get("/callback")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "tel:911" in html and "tel:988" in html
    assert 'name="phone"' in html and 'name="csrf_token"' in html
    assert page.headers["Cache-Control"] == "no-store" and "frame-ancestors 'none'" in page.headers[
        "Content-Security-Policy"]


def test_a_good_request_is_recorded_with_its_consents(browser, helpline) -> None:
    fields = hidden(browser)
    response = browser.post("/callback", data={**fields, "phone": "(202) 555-0144", "first_name": "Sam",
                                                "insurance": "Acme Health", "best_time": "evening",
                                                "consent_voicemail": "y"})
    assert response.status_code == 200 and "ending in 0144" in response.get_data(as_text=True)
    with helpline.database.session() as session:
        [request] = session.scalars(select(CallbackRequest))
        assert (request.source, request.preferred, request.consent_voicemail, request.consent_name) == (
            "web", "evening", True, False)
        assert helpline.identifiers.reveal(request.number_enc) == "+12025550144"
        assert helpline.identifiers.reveal(request.first_name_enc) == "Sam"
        assert "Sam" not in request.first_name_enc and "Acme" not in (request.insurance_enc or "")


@pytest.mark.parametrize("phone,message", [
    ("", "Enter the number we should call."),
    ("911", "emergency and crisis numbers cannot be called back"),
    ("+1 900 555 0123", "premium-rate, toll-free"),
    ("+44 20 7183 8750", "we can only call back numbers in US"),
    ("12345", "is not"),
    ("+1 202 555 0100", "own number"),
])
def test_a_bad_number_gets_an_error_next_to_the_field_and_nothing_is_recorded(browser, helpline, phone,
                                                                            message) -> None:
    response = browser.post("/callback", data={**hidden(browser), "phone": phone})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    assert 'id="phone-error"' in html
    assert count_requests(helpline) == 0


def test_a_post_without_a_valid_csrf_token_is_refused_and_changes_nothing(browser, helpline) -> None:
    fields = hidden(browser)
    for data in ({"form_token": fields["form_token"], "phone": "2025550144"},
                 {**fields, "csrf_token": "forged", "phone": "2025550144"}):
        response = browser.post("/callback", data=data)
        assert response.status_code == 400
        assert "CSRF" in response.get_data(as_text=True)
    assert count_requests(helpline) == 0


def test_the_same_form_posted_twice_makes_one_request(browser, helpline) -> None:
    data = {**hidden(browser), "phone": "2025550144"}
    first = browser.post("/callback", data=data)
    second = browser.post("/callback", data=data)
    assert first.status_code == second.status_code == 200
    assert count_requests(helpline) == 1


def test_requests_are_rate_limited_per_number_and_per_address(browser, helpline) -> None:
    per_number = helpline.callflow.callbacks.web_requests_per_number_per_day
    for _ in range(per_number):
        assert browser.post("/callback", data={**hidden(browser), "phone": "2025550145"}).status_code == 200
    limited = browser.post("/callback", data={**hidden(browser), "phone": "2025550145"})
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    per_address = helpline.callflow.callbacks.web_requests_per_address_per_hour
    codes = [browser.post("/callback", data={**hidden(browser), "phone": f"20255501{50 + n}"}).status_code
             for n in range(per_address)]
    assert 429 in codes
    other_address = browser.post("/callback", data={**hidden(browser), "phone": "2025550160"},
                                 environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert other_address.status_code == 200
