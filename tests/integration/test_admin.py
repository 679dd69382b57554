"""Admin pages: staff accounts in the UI, and the audit log viewer."""
from __future__ import annotations

import pytest

from .ui_support import audit_rows, browser_for, csrf_from, make_user, sign_in, signed_in


@pytest.fixture
def admin(browser, helpline):  # type: ignore[no-untyped-def]
    return signed_in(browser, helpline, "root", "admin")


def test_an_admin_adds_a_staff_member_who_can_then_sign_in(app, helpline, admin) -> None:
    token = csrf_from(admin, "/admin/staff/new")
    bad = admin.post("/admin/staff/new", data={"csrf_token": token, "name": "Dee", "contact": "555-0111"})
    assert bad.status_code == 400 and "contact: must be a phone number in E.164" in bad.get_data(as_text=True)
    short = admin.post("/admin/staff/new", data={"csrf_token": token, "name": "Dee", "contact": "+12025550116",
                                                 "username": "dee", "password": "short"})
    assert short.status_code == 400 and "password: at least 12 characters" in short.get_data(as_text=True)
    ok = admin.post("/admin/staff/new", data={"csrf_token": token, "name": "Dee", "contact": "+12025550117",
                                              "languages": "en,es", "username": "Dee", "password": "a long enough pw"})
    assert ok.status_code == 302
    assert "Dee" in admin.get("/admin/staff").get_data(as_text=True)
    assert audit_rows(helpline, "staff_added") >= 1 and audit_rows(helpline, "password_set") >= 1
    staff = app.test_client()
    assert sign_in(staff, "dee", "a long enough pw").status_code == 302


def test_a_deactivated_staff_member_can_no_longer_sign_in_or_get_calls(app, helpline, admin) -> None:
    staff_id = make_user(helpline, "ana", "staff", phone="+12025550111")
    token = csrf_from(admin, "/admin/staff")
    assert admin.post(f"/admin/staff/{staff_id}/deactivate", data={"csrf_token": token}).status_code == 302
    assert staff_id not in helpline.board.known_ids()
    assert sign_in(app.test_client(), "ana").status_code == 401


def test_the_audit_log_shows_who_did_what_and_filters(helpline, admin) -> None:
    page = admin.get("/admin/audit").get_data(as_text=True)
    assert "sign_in" in page and "root" in page
    filtered = admin.get("/admin/audit?action=password_set").get_data(as_text=True)
    assert "password_set" in filtered and "<td>sign_in</td>" not in filtered
    assert admin.get("/admin/audit?from=never").status_code == 400


def test_supervisors_cannot_manage_staff_or_read_the_audit_log(app, helpline) -> None:
    client = signed_in(browser_for(app), helpline, "sam", "supervisor")
    for path in ("/admin/staff", "/admin/staff/new", "/admin/audit"):
        assert client.get(path).status_code == 403, path
