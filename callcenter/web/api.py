"""The read-only JSON API for the board and the call log, described by the OpenAPI document
it serves at /api/openapi.json. Bearer token (``flask --app callcenter api-tokens create``)
or a supervisor's session. Numbers are always masked; every read of the log is audited."""
from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import Blueprint, Response, abort, g, jsonify, request
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from ..services import apitokens, audit, calllog
from ..services import board as boards
from .auth import client_address, helpline
from .supervisor import call_filter

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.before_request
def authenticate() -> None:
    if request.endpoint == "api.openapi":
        return
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        actor = apitokens.check(helpline(), header.removeprefix("Bearer ").strip())
        if actor is None:
            abort(401)
        g.api_actor = audit.Actor(actor.id, actor.name, client_address())
        return
    if current_user.is_authenticated and current_user.may("api"):
        g.api_actor = current_user.user.actor(client_address())
        return
    abort(401)


def as_json(error: HTTPException) -> Response:
    response = jsonify(error=error.name, detail=error.description, status=error.code)
    response.status_code = error.code or 500
    if error.code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="callcenter"'
    return response


# By code, so that they come before the app's HTML error pages for the same codes.
for _code in (400, 401, 403, 404, 405, 429):
    bp.register_error_handler(_code, as_json)
bp.register_error_handler(HTTPException, as_json)


@bp.get("/board")
def board() -> Response:
    return jsonify(boards.shared_snapshot(helpline()))


@bp.get("/calls")
def calls() -> Response:
    f = call_filter()
    page = calllog.search(helpline(), f)
    audit.record(helpline(), g.api_actor, "api_view_call_log", "calls", f"page {page.page}", calls=len(page.calls))
    return jsonify(calls=[asdict(c) for c in page.calls], total=page.total, page=page.page, pages=page.pages)


@bp.get("/calls/<sid>")
def call(sid: str) -> Response:
    found = calllog.story(helpline(), sid)
    if found is None:
        abort(404, description="no such call")
    audit.record(helpline(), g.api_actor, "api_view_call", "call", sid)
    story = asdict(found)
    story.pop("notes", None)  # private notes stay in the authenticated pages
    return jsonify(story)


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(OPENAPI)


def _nullable(kind: str) -> dict[str, Any]:
    return {"type": kind, "nullable": True}


CALL_LINE = {"type": "object", "required": ["sid", "outcome", "number"], "properties": {
    "sid": {"type": "string"}, "received_at": _nullable("string"), "line": _nullable("string"),
    "language": _nullable("string"), "outcome": {"type": "string"}, "staff": _nullable("string"),
    "wait_seconds": _nullable("number"), "talk_seconds": _nullable("integer"), "held_seconds": _nullable("integer"),
    "disposition": _nullable("string"), "number": {"type": "string", "description": "masked: •••-•••-1234"}}}
ERROR = {"description": "an error", "content": {"application/json": {"schema": {
    "type": "object", "required": ["error", "status"],
    "properties": {"error": {"type": "string"}, "detail": _nullable("string"), "status": {"type": "integer"}}}}}}
DATE = {"type": "string", "format": "date"}
FILTERS = [
    {"name": "from", "in": "query", "schema": DATE}, {"name": "to", "in": "query", "schema": DATE},
    {"name": "line", "in": "query", "schema": {"type": "string"}},
    {"name": "staff", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}},
    {"name": "outcome", "in": "query", "schema": {"type": "string", "enum": [
        "answered", "callback", "voicemail", "overflow", "abandoned", "blocked", "in_progress"]}},
    {"name": "disposition", "in": "query", "schema": {"type": "string"}},
    {"name": "number", "in": "query", "schema": {"type": "string"}, "description": "search by caller number"},
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100_000}},
]
OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Helpline call log and board (read-only)", "version": "1.0.0",
             "description": "Numbers are masked. Each read of the call log writes an audit row."},
    "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                   "schemas": {"CallLine": CALL_LINE}},
    "security": [{"bearer": []}],
    "paths": {
        "/api/board": {"get": {"summary": "The live board", "responses": {
            "200": {"description": "staff, calls in progress, callers holding, callbacks, today",
                    "content": {"application/json": {"schema": {"type": "object", "required": [
                        "staff", "in_progress", "holding", "callbacks", "today", "counts"]}}}},
            "401": ERROR}}},
        "/api/calls": {"get": {"summary": "A page of the call log, newest first", "parameters": FILTERS,
                               "responses": {"200": {"description": "calls", "content": {"application/json": {
                                   "schema": {"type": "object", "required": ["calls", "total", "page", "pages"],
                                              "properties": {
                                                  "calls": {"type": "array",
                                                            "items": {"$ref": "#/components/schemas/CallLine"}},
                                                  "total": {"type": "integer"}, "page": {"type": "integer"},
                                                  "pages": {"type": "integer"}}}}}},
                                             "400": ERROR, "401": ERROR}}},
        "/api/calls/{sid}": {"get": {"summary": "One call's story (events, staff legs, callbacks)",
                                     "parameters": [{"name": "sid", "in": "path", "required": True,
                                                     "schema": {"type": "string"}}],
                                     "responses": {"200": {"description": "the call", "content": {
                                         "application/json": {"schema": {"type": "object", "required": [
                                             "call", "events", "legs", "callbacks"]}}}},
                                         "401": ERROR, "404": ERROR}}},
    },
}
