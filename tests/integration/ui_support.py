"""Signing in test users and driving the staff and supervisor pages."""
from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import func, select

from callcenter.services import accounts, staffadmin
from callcenter.services.helpline import Helpline
from callcenter.store.models import AuditEntry

PASSWORD = "correct horse battery"


def make_user(h: Helpline, username: str, role: str, phone: str | None = None) -> int:
    fields: dict[str, Any] = {"name": username.title(), "role": role}
    if phone:
        fields["contact"] = phone
    staff = staffadmin.add_staff(h, fields)
    accounts.set_username(h, staff.id, username)
    accounts.set_password(h, staff.id, PASSWORD)
    return staff.id


def csrf_from(client: FlaskClient, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf[-_]token" (?:value|content)="([^"]+)"', page) or \
        re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: FlaskClient, username: str, password: str = PASSWORD) -> Any:
    token = csrf_from(client, "/signin")
    return client.post("/signin", data={"csrf_token": token, "username": username, "password": password})


def browser_for(app: Any) -> FlaskClient:
    """A client of the app with CSRF checks on, as in production."""
    app.config["TESTING"] = False
    return app.test_client()  # type: ignore[no-any-return]


def signed_in(client: FlaskClient, h: Helpline, username: str, role: str) -> FlaskClient:
    """``client``, signed in as a new user with this role."""
    make_user(h, username, role)
    assert sign_in(client, username).status_code == 302
    return client


def audit_rows(h: Helpline, action: str | None = None) -> int:
    with h.database.session() as session:
        query = select(func.count()).select_from(AuditEntry)
        if action:
            query = query.where(AuditEntry.action == action)
        return int(session.scalar(query) or 0)
