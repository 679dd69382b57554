"""The Flask application factory: ``create_app(settings)``; nothing is built at import."""
from __future__ import annotations

from typing import Any

from flask import Flask, Response, current_app, jsonify
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from .. import logs
from ..services.helpline import Helpline
from ..settings import Settings


def create_app(settings: Settings | None = None, *, helpline: Helpline | None = None) -> Flask:
    """Build the web application from settings (read from the environment when not given)."""
    settings = settings or Settings.from_env()
    logs.configure(settings.log_level)
    app = Flask("callcenter", root_path=__file__.rsplit("/web/", 1)[0])
    app.config.update(
        SECRET_KEY=settings.secret_key, MAX_CONTENT_LENGTH=64 * 1024,
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=(settings.public_base_url or "").startswith("https://"),
        WTF_CSRF_TIME_LIMIT=3600)
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies,  # type: ignore[method-assign]
                                x_proto=settings.trusted_proxies, x_host=settings.trusted_proxies,
                                x_port=settings.trusted_proxies, x_prefix=settings.trusted_proxies)
    app.extensions["callcenter"] = helpline or Helpline.from_settings(settings)

    from . import admin, api, auth, console, display, metrics, public, supervisor, voice, voice_callbacks, voice_queue
    csrf = CSRFProtect(app)
    for blueprint in (voice.bp, voice_queue.bp, voice_callbacks.bp):
        csrf.exempt(blueprint)  # Twilio's webhooks are authenticated by their signature instead
        app.register_blueprint(blueprint)
    for blueprint in (public.bp, auth.bp, console.bp, supervisor.bp, metrics.bp, admin.bp, api.bp):
        app.register_blueprint(blueprint)
    auth.setup(app)
    app.context_processor(lambda: {"organisation": settings.callflow.organisation,
                                   "idle_minutes": settings.session_idle_minutes})
    display.register(app, app.extensions["callcenter"].callflow)  # times, durations, counts, labels
    app.after_request(security_headers)
    app.add_url_rule("/", "home", home)
    for code in (400, 403, 404, 405, 429):
        app.register_error_handler(code, error_page)
    app.add_url_rule("/healthz", "healthz", healthz)
    app.add_url_rule("/favicon.ico", "favicon", favicon)

    from .. import cli
    cli.register(app)
    return app


def security_headers(response: Response) -> Response:
    """Pages never cached, framed or sniffed; they load nothing from elsewhere."""
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
        response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    return response


def home() -> Any:
    """The start page: the console for staff, the board for supervisors, else sign-in."""
    from flask import redirect, url_for
    from flask_login import current_user

    if not current_user.is_authenticated:
        return redirect(url_for("auth.signin"))
    return redirect(url_for("console.home" if current_user.role == "staff" else "supervisor.board"))


ERRORS = {
    400: ("That request could not be used", "Something in it was missing or wrong; nothing was changed."),
    403: ("Not for your role", "Your account may not open this page. Nothing was changed."),
    404: ("Not found", "There is no such page or record."),
    405: ("Not allowed", "This address does not take that kind of request."),
    429: ("Please wait", "Too many tries; wait a little and try again."),
}


def error_page(error: Any) -> Any:
    """A readable page for the staff and supervisor UI (webhooks and the API answer their own way)."""
    from flask import render_template, request

    code = getattr(error, "code", 500) or 500
    title, message = ERRORS.get(code, ("Something went wrong", "Please try again."))
    description = getattr(error, "description", "")
    if code == 400 and description and not str(description).startswith("The browser"):
        message = f"{message} ({description})"
    if request.path.startswith(("/voice/", "/api/")):
        return error
    return render_template("ui/error.html", code=code, title=title, message=message), code


def favicon() -> Response:
    """Browsers ask for /favicon.ico whatever the pages link to: the same small SVG icon."""
    response = current_app.send_static_file("favicon.svg")
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def healthz() -> Response:
    """Liveness and readiness: Redis answers, the event backlog is small."""
    h: Helpline = current_app.extensions["callcenter"]
    try:
        backlog = h.events.backlog()
        ok = bool(h.redis.ping())
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        response = jsonify(status="unavailable", redis=type(exc).__name__)
        response.status_code = 503
        return response
    return jsonify(status="ok" if ok else "unavailable", events_waiting=backlog)
