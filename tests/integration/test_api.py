"""The read-only JSON API: token or session, masked numbers, audited reads, and schemathesis."""
from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from callcenter.services import apitokens
from callcenter.services.audit import Actor

from ..support.calls import InboundCall
from .conftest import Team, record
from .ui_support import audit_rows, browser_for, signed_in


def token_for(helpline) -> str:  # type: ignore[no-untyped-def]
    return apitokens.create(helpline, "reporting", Actor(None, "test"))


def test_the_api_needs_a_token_or_a_supervisors_session(app, helpline) -> None:
    client = app.test_client()
    assert client.get("/api/calls").status_code == 401
    assert client.get("/api/calls", headers={"Authorization": "Bearer cc_not-a-token"}).status_code == 401
    token = token_for(helpline)
    assert client.get("/api/calls", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    browser = signed_in(browser_for(app), helpline, "sam", "supervisor")
    assert browser.get("/api/board").status_code == 200
    assert client.get("/api/openapi.json").json["openapi"].startswith("3.0")


def test_a_revoked_token_stops_working(app, helpline) -> None:
    token = token_for(helpline)
    apitokens.revoke(helpline, 1, Actor(None, "test"))
    assert app.test_client().get("/api/board", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_the_call_log_through_the_api_is_masked_and_each_read_audited(app, helpline, webhooks) -> None:
    Team(helpline).add(1)
    call = InboundCall(webhooks)
    call.answered()
    record(helpline)
    headers = {"Authorization": f"Bearer {token_for(helpline)}"}
    before = audit_rows(helpline, "api_view_call_log")
    listing = app.test_client().get("/api/calls?outcome=answered", headers=headers)
    assert listing.status_code == 200 and listing.json["total"] == 1
    assert listing.json["calls"][0]["number"] == "•••-•••-0123" and "2025550123" not in listing.get_data(as_text=True)
    assert audit_rows(helpline, "api_view_call_log") == before + 1
    story = app.test_client().get(f"/api/calls/{call.sid}", headers=headers)
    assert story.status_code == 200 and [e["event"] for e in story.json["events"]][0] == "call.received"
    assert app.test_client().get("/api/calls/CA" + "e" * 32, headers=headers).status_code == 404
    bad = app.test_client().get("/api/calls?from=soon", headers=headers)
    assert bad.status_code == 400 and bad.json["detail"].startswith("from:")


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(app, helpline, webhooks) -> None:
    Team(helpline).add(1)
    InboundCall(webhooks).answered()
    record(helpline)
    headers = {"Authorization": f"Bearer {token_for(helpline)}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.label for op in operations} == {"GET /api/board", "GET /api/calls", "GET /api/calls/{sid}"}
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, database=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                         HealthCheck.filter_too_much])
        def call_it(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate(headers=headers)

        call_it()
