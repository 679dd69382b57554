"""The staff console: say you are free, see your call, wrap up, see your callbacks."""
from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..services import console
from ..services.console import ConsoleError
from . import live
from .auth import helpline, passive, require

bp = Blueprint("console", __name__, url_prefix="/console")


@bp.get("")
@require("console")
def home() -> str:
    return _page()


def _page(**extra: Any) -> str:
    return render_template("ui/console.html", state=console.view(helpline(), current_user.user),
                           dispositions=helpline().callflow.dispositions, **extra)


@bp.get("/stream")
@passive
def stream() -> Response:
    if not current_user.is_authenticated or not current_user.may("console"):
        return live.signed_out()
    return live.snapshot(console.view(helpline(), current_user.user))


@bp.post("/presence")
@require("console")
def presence() -> Any:
    try:
        previous = console.set_presence(helpline(), current_user.user, request.form.get("presence", ""),
                                        request.form.get("reason", ""))
    except ConsoleError as exc:
        if request.accept_mimetypes.best == "application/json":
            return jsonify(error=str(exc)), 400
        flash(str(exc), "warning")   # the console again, saying what was wrong (a 400 is not followed)
        return _page(), 400
    if request.accept_mimetypes.best == "application/json":
        return jsonify(previous=previous, presence=request.form.get("presence"))
    return redirect(url_for("console.home"))


@bp.post("/wrapup")
@require("console")
def wrapup() -> Any:
    form = request.form
    try:
        console.wrap_up(helpline(), current_user.user, form.get("call", ""), form.get("disposition", ""),
                        form.get("notes", ""))
    except ConsoleError as exc:
        return _page(wrapup_error=str(exc), draft=form), 400
    flash("Wrap-up saved. You are ready for the next call.", "info")
    return redirect(url_for("console.home", saved=form.get("call", "")[-6:]))


@bp.get("/callbacks")
@require("own_callbacks")
def my_callbacks() -> str:
    return render_template("ui/my_callbacks.html", items=console.my_callbacks(helpline(), current_user.user))
