"""Supervisor pages: the live board, the call log (masked; unmask and export audited), callbacks."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user
from sqlalchemy import select

from ..core.permissions import allowed
from ..services import audit, callbackadmin, calllog
from ..services import board as boards
from ..services.calllog import CallFilter
from ..store.models import Staff
from . import live
from .auth import client_address, helpline, passive, require

bp = Blueprint("supervisor", __name__)
MAX_PAGE = 100_000
MAX_ID = 2**31 - 1
OUTCOMES = ("answered", "callback", "voicemail", "overflow", "abandoned", "blocked", "in_progress")


def actor() -> audit.Actor:
    return current_user.user.actor(client_address())


@bp.get("/board")
@require("board")
def board() -> str:
    return render_template("ui/board.html", state=boards.snapshot(helpline()))


@bp.get("/board/stream")
@passive
def board_stream() -> Response:
    if not current_user.is_authenticated or not current_user.may("board"):
        return live.signed_out()
    return live.snapshot(boards.shared_snapshot(helpline()))


# ---------------------------------------------------------------------- the call log


def _date(name: str) -> date | None:
    value = request.args.get(name) or ""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        abort(400, description=f"{name}: a date like 2026-11-29")


def call_filter() -> CallFilter:
    """The log's filters from the query string (a bad value is a 400 naming it)."""
    args = request.args
    try:
        staff_id = int(args["staff"]) if args.get("staff") else None
        page = int(args.get("page") or 1)
    except ValueError:
        abort(400, description="staff and page: whole numbers")
    if not 1 <= page <= MAX_PAGE or (staff_id is not None and not 1 <= staff_id <= MAX_ID):
        abort(400, description=f"page: 1 to {MAX_PAGE}; staff: a staff id")
    outcome = args.get("outcome") or None
    if outcome and outcome not in OUTCOMES:
        abort(400, description=f"outcome: one of {', '.join(OUTCOMES)}")
    return CallFilter(first=_date("from"), last=_date("to"), line=args.get("line") or None, staff_id=staff_id,
                      outcome=outcome, disposition=args.get("disposition") or None,
                      number=args.get("number") or None, page=page)


def staff_names() -> list[tuple[int, str]]:
    with helpline().database.session() as session:
        return [(row.id, row.name) for row in session.scalars(select(Staff).order_by(Staff.name))]


@bp.get("/calls")
@require("call_log")
def call_log() -> str:
    f = call_filter()
    page = calllog.search(helpline(), f)
    audit.record(helpline(), actor(), "view_call_log", "calls", f"page {page.page}",
                 calls=len(page.calls), searched_number=bool(f.number))
    return render_template("ui/calls.html", page=page, f=f, args=request.args, outcomes=OUTCOMES,
                           staff=staff_names(), lines=helpline().callflow.lines,
                           dispositions=helpline().callflow.dispositions)


@bp.get("/calls/<sid>")
@require("call_log")
def call_detail(sid: str) -> str:
    found = calllog.story(helpline(), sid)
    if found is None:
        abort(404)
    audit.record(helpline(), actor(), "view_call", "call", sid)
    return render_template("ui/call.html", story=found, full_number=None)


@bp.post("/calls/<sid>/unmask")
@require("unmask")
def unmask(sid: str) -> str:
    found = calllog.story(helpline(), sid)
    if found is None:
        abort(404)
    number = calllog.full_number(helpline(), sid)
    audit.record(helpline(), actor(), "unmask", "call", sid)
    return render_template("ui/call.html", story=found, full_number=number or "withheld")


@bp.get("/calls/export.csv")
@require("export")
def export() -> Response:
    f = call_filter()
    full = request.args.get("numbers") == "full"
    if full and not allowed(current_user.role, "unmask"):
        abort(403)
    h = helpline()
    entry = audit.record(h, actor(), "export", "calls", "csv", full_numbers=full,
                         filters={k: v for k, v in request.args.items() if k != "numbers"})

    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["call", "received_at", "line", "language", "outcome", "staff", "wait_seconds",
                         "talk_seconds", "held_seconds", "disposition", "number"])
        for line, encrypted in calllog.each(h, f):
            number = (h.identifiers.reveal(encrypted) if encrypted else "withheld") if full else line.number
            writer.writerow([line.sid, line.received_at, line.line, line.language, line.outcome, line.staff or "",
                             line.wait_seconds, line.talk_seconds, line.held_seconds, line.disposition or "",
                             number])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()

    headers = {"Content-Disposition": f"attachment; filename=calls-{entry}.csv", "Cache-Control": "no-store"}
    return Response(stream_with_context(rows()), mimetype="text/csv", headers=headers)


# ---------------------------------------------------------------------- callbacks


@bp.get("/callbacks")
@require("manage_callbacks")
def callbacks() -> str:
    status = request.args.get("status") or "open"
    items = callbackadmin.list_requests(helpline(), status)
    audit.record(helpline(), actor(), "view_callbacks", "callback_requests", status, requests=len(items))
    return render_template("ui/callbacks.html", items=items, status=status, staff=staff_names())


@bp.post("/callbacks/<int:request_id>/<action>")
@require("manage_callbacks")
def callback_action(request_id: int, action: str) -> Any:
    h, form = helpline(), request.form
    try:
        if action == "cancel":
            callbackadmin.cancel(h, request_id, form.get("reason", ""), actor())
        elif action == "retry":
            callbackadmin.retry_now(h, request_id, actor())
        elif action == "done":
            callbackadmin.mark_done(h, request_id, actor())
        elif action == "reassign":
            staff_id = int(form["staff"]) if form.get("staff") else None
            callbackadmin.reassign(h, request_id, staff_id, actor())
        else:
            abort(404)
    except (ValueError, KeyError) as exc:
        flash(str(exc), "warning")
        return redirect(url_for("supervisor.callbacks")), 303
    flash(f"Callback request {request_id}: {action} done.", "info")
    return redirect(url_for("supervisor.callbacks", status=request.args.get("status") or "open"))
