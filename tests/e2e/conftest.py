"""A fresh helpline stack for each end-to-end scenario."""
from __future__ import annotations

from pathlib import Path

import pytest

from .stack import Stack


@pytest.fixture
def stack(tmp_path: Path, sqlite_template: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    built = Stack(tmp_path, sqlite_template, request.node.name[:48])
    yield built
    built.close()
