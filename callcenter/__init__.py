"""The helpline call-routing and callback service.

WSGI entry point: ``callcenter:create_app()``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(*args: Any, **kwargs: Any) -> Flask:
    """Build the web application (see ``callcenter.web.app.create_app``)."""
    from .web.app import create_app as build

    return build(*args, **kwargs)


__all__ = ["create_app"]
