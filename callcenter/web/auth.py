"""Signing in and out, and what every page behind sign-in checks.

Sessions live on the server (Redis): the browser's cookie only names one. A session ends
after the idle limit (15 minutes) or the absolute one (12 hours), and signing out deletes
it, so a copied cookie is worth nothing afterwards.
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, current_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from ..core.permissions import allowed
from ..services import accounts
from ..services.accounts import SignInRefused, SignInThrottled, User
from ..services.helpline import Helpline

bp = Blueprint("auth", __name__)


class SignedIn:
    """Flask-Login's view of a user."""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def __init__(self, user: User) -> None:
        self.user = user

    def get_id(self) -> str:
        return str(self.user.id)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.user, name)

    def may(self, permission: str) -> bool:
        return allowed(self.user.role, permission)


def helpline() -> Helpline:
    return current_app.extensions["callcenter"]  # type: ignore[no-any-return]


def setup(app: Flask) -> None:
    """Flask-Login, loading the user from the server-side session on every request."""
    manager = LoginManager(app)
    manager.login_view = "auth.signin"

    @manager.request_loader
    def from_session(_request: Any) -> SignedIn | None:
        session_id = session.get("sid")
        if not session_id:
            return None
        view = current_app.view_functions.get(request.endpoint or "")
        staff_id = accounts.resume_session(helpline(), session_id,
                                           activity=not getattr(view, "passive", False))
        if staff_id is None:
            session.pop("sid", None)
            g.session_expired = True
            return None
        user = accounts.load_user(helpline(), staff_id)
        return SignedIn(user) if user else None

    @manager.unauthorized_handler
    def to_sign_in() -> Any:
        if request.path.startswith("/api/"):
            abort(401)
        explain_ended_session()
        here = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.signin", next=here))

    app.context_processor(lambda: {"me": current_user if current_user.is_authenticated else None})


def explain_ended_session() -> None:
    """Tell the sign-in page why the user is there when their session just ended."""
    if getattr(g, "session_expired", False):
        message = "Your session ended after a time without activity. Sign in again."
        if request.method == "POST":
            message += " What you submitted was not saved."
        flash(message, "warning")


def passive(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view that a page calls by itself (live updates): it does not count as activity."""
    view.passive = True  # type: ignore[attr-defined]
    return view


def client_address() -> str:
    return request.remote_addr or "unknown"


def require(permission: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Only signed-in users whose role has ``permission`` (others: sign-in page, or 403)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
            if not current_user.may(permission):
                abort(403)
            return view(*args, **kwargs)

        wrapper.permission = permission  # type: ignore[attr-defined]
        return wrapper

    return decorate


class SignInForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired("Enter your username.")])
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> Any:
    form = SignInForm()
    if request.method == "POST" and form.validate():
        try:
            user = accounts.sign_in(helpline(), form.username.data or "", form.password.data or "",
                                    client_address())
        except SignInThrottled as exc:
            response = current_app.make_response((render_template("ui/signin.html", form=form,
                                                                   error=str(exc).capitalize() + "."), 429))
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        except SignInRefused:
            return render_template("ui/signin.html", form=form, error="Wrong username or password."), 401
        session.clear()  # a new session id for a new sign-in (no fixation)
        session["sid"] = accounts.start_session(helpline(), user, client_address())
        landing = "console.home" if user.role == "staff" else "supervisor.board"
        return redirect(_safe_next(request.args.get("next")) or url_for(landing))
    return render_template("ui/signin.html", form=form, error=None), 400 if request.method == "POST" else 200


@bp.post("/session/alive")
def still_here() -> Any:
    """The user did something on a page that refreshes itself: their session stays alive."""
    if not current_user.is_authenticated:
        explain_ended_session()
        return {"signed_in": False}, 401
    return "", 204


@bp.post("/signout")
def signout() -> Any:
    session_id = session.pop("sid", None)
    if session_id:
        accounts.end_session(helpline(), session_id)
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.signin"))
