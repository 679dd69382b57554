"""The worker process's helpline, built once (jobs reach it through ``current()``)."""
from __future__ import annotations

from callcenter.services.helpline import Helpline
from callcenter.settings import Settings

_helpline: Helpline | None = None


def install(helpline: Helpline) -> None:
    """Use this helpline for jobs run in this process (the worker entry point, or a test)."""
    global _helpline
    _helpline = helpline


def current() -> Helpline:
    """The installed helpline, built from the environment on first use."""
    global _helpline
    if _helpline is None:
        _helpline = Helpline.from_settings(Settings.from_env())
    return _helpline
