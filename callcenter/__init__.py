"""The helpline call-routing and callback service.

WSGI entry point: ``callcenter:create_app()``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(*args: Any, **kwargs: Any) -> Flask:
    """Build the web application (see ``callcenter.web.app.create_app``).

    Under ``flask --app callcenter …`` a bad setting ends the command with one line naming it
    (exit status 1) instead of Flask's traceback; a WSGI server sees the ``SettingsError`` itself.
    """
    import click

    from .settings import SettingsError
    from .web.app import create_app as build

    try:
        return build(*args, **kwargs)
    except SettingsError as exc:
        if click.get_current_context(silent=True) is None:
            raise
        raise click.ClickException(f"configuration error: {exc}") from None


__all__ = ["create_app"]
