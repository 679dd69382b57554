"""Admin pages: staff accounts (details, role, sign-in, password) and the audit log viewer."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from ..core.permissions import ROLES
from ..services import accounts, audit, staffadmin
from ..store.models import AuditEntry, Staff
from .auth import client_address, helpline, require

bp = Blueprint("admin", __name__, url_prefix="/admin")
AUDIT_PAGE = 100


def actor() -> audit.Actor:
    return current_user.user.actor(client_address())


@bp.get("/staff")
@require("manage_staff")
def staff_list() -> str:
    return render_template("ui/staff_list.html", people=staffadmin.list_staff(helpline(), include_inactive=True),
                           live={x.card.id: x for x in helpline().board.live()})


@bp.route("/staff/new", methods=["GET", "POST"])
@require("manage_staff")
def staff_new() -> Any:
    return _staff_form(None)


@bp.route("/staff/<int:staff_id>", methods=["GET", "POST"])
@require("manage_staff")
def staff_edit(staff_id: int) -> Any:
    with helpline().database.session() as session:
        if session.get(Staff, staff_id) is None:
            abort(404)
    return _staff_form(staff_id)


def _staff_form(staff_id: int | None) -> Any:
    h = helpline()
    current = None
    if staff_id is not None:
        with h.database.session() as session:
            current = session.get(Staff, staff_id)
            session.expunge(current)
    if request.method == "POST":
        form = request.form
        fields = {name: form.get(name, "") for name in ("name", "contact", "languages", "lines", "role", "priority")}
        try:
            if form.get("username"):
                accounts.check_username(form["username"])
            if form.get("password"):
                accounts.check_password(form["password"])
            staff = (staffadmin.update_staff(h, staff_id, fields) if staff_id is not None
                     else staffadmin.add_staff(h, fields))
            if form.get("username"):
                accounts.set_username(h, staff.id, form["username"])
            if form.get("password"):
                accounts.set_password(h, staff.id, form["password"], actor())
        except ValueError as exc:
            return render_template("ui/staff_form.html", current=current, form=request.form, error=str(exc),
                                   roles=ROLES, cf=h.callflow), 400
        audit.record(h, actor(), "staff_changed" if staff_id else "staff_added", "staff", staff.id,
                     fields=sorted(k for k, v in fields.items() if v))
        flash(f"Saved {staff.name}.", "info")
        return redirect(url_for("admin.staff_list"))
    return render_template("ui/staff_form.html", current=current, form={}, error=None, roles=ROLES, cf=h.callflow)


@bp.post("/staff/<int:staff_id>/deactivate")
@require("manage_staff")
def staff_deactivate(staff_id: int) -> Any:
    try:
        staff = staffadmin.deactivate_staff(helpline(), staff_id)
    except ValueError:
        abort(404)
    audit.record(helpline(), actor(), "staff_deactivated", "staff", staff_id)
    flash(f"{staff.name} no longer gets calls or signs in.", "info")
    return redirect(url_for("admin.staff_list"))


@bp.get("/audit")
@require("audit_log")
def audit_log() -> str:
    args = request.args
    try:
        first = date.fromisoformat(args["from"]) if args.get("from") else None
        last = date.fromisoformat(args["to"]) if args.get("to") else None
        page = max(1, int(args.get("page") or 1))
    except ValueError:
        abort(400, description="from, to: dates like 2026-11-29; page: a whole number")
    query = select(AuditEntry)
    if args.get("actor"):
        query = query.where(AuditEntry.actor == args["actor"].strip().lower())
    if args.get("action"):
        query = query.where(AuditEntry.action == args["action"])
    if first:
        query = query.where(AuditEntry.at >= datetime.combine(first, time.min, timezone.utc))
    if last:
        query = query.where(AuditEntry.at < datetime.combine(last + timedelta(days=1), time.min, timezone.utc))
    with helpline().database.session() as session:
        total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
        entries = list(session.scalars(query.order_by(AuditEntry.id.desc()).limit(AUDIT_PAGE)
                                       .offset((page - 1) * AUDIT_PAGE)))
        actions = [a for (a,) in session.execute(select(AuditEntry.action).distinct().order_by(AuditEntry.action))]
    return render_template("ui/audit.html", entries=entries, total=total, page=page, args=args, actions=actions,
                           pages=max(1, -(-total // AUDIT_PAGE)))
