"""What the browser tests share: `make run`'s stack on free ports, Debian's Chromium, signing in.

The stack is scripts/localstack.py in a subprocess (through ``make_run`` of the end-to-end tests), with a
temporary CALLCENTER_VAR; the browser is always /usr/bin/chromium (never one Playwright downloads), and
tests that need it are skipped where it is missing. Screenshots go to artifacts/screenshots/.
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from redis import Redis

from ..conftest import ROOT
from ..e2e.test_local_stack import make_run

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"

#: Mark a browser test module with this (and ``pytest.mark.slow``).
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(),
                                    reason="no /usr/bin/chromium (Debian's `chromium` package; `.ci/run` installs it)")


@dataclass
class Stack:
    """One running `make run` stack: its folder, ports and environment, and ways into it."""

    var: Path
    env: dict[str, str]
    web_port: int
    sim_port: int
    _redis: Redis | None = field(default=None, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def sim_url(self) -> str:
        return f"http://127.0.0.1:{self.sim_port}"

    @property
    def phone_url(self) -> str:
        return f"{self.sim_url}/phone"

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """``scripts/cli.py ARGS`` (the service's CLI with this stack's keys, Redis and database)."""
        done = subprocess.run([sys.executable, "scripts/cli.py", *args], cwd=ROOT, env=self.env,
                              capture_output=True, text=True, timeout=60)
        if check:
            assert done.returncode == 0, f"scripts/cli.py {' '.join(args)}:\n{done.stdout}{done.stderr}"
        return done

    def redis(self) -> Redis:
        """The stack's Redis (REDIS_URL from <var>/run.env)."""
        if self._redis is None:
            run_env = dict(line.split("=", 1) for line in (self.var / "run.env").read_text().splitlines()
                           if "=" in line and not line.startswith("#"))
            self._redis = Redis.from_url(run_env["REDIS_URL"], decode_responses=True)
        return self._redis

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Rows from the stack's SQLite database (<var>/callcenter.db)."""
        with sqlite3.connect(self.var / "callcenter.db") as db:
            return db.execute(sql, params).fetchall()

    def close(self) -> None:
        if self._redis is not None:
            self._redis.close()


@contextmanager
def running_stack(var: Path, log_name: str) -> Iterator[Stack]:
    """scripts/localstack.py as `make run` starts it (no Twilio credentials), on free ports, in ``var``."""
    with make_run(var, log_name) as (env, web_port, _, sim_port, summary):
        stack = Stack(var, env, web_port, sim_port)
        assert stack.phone_url in summary and "Ada Example" in summary
        try:
            yield stack
        finally:
            stack.close()
    # on the way out: Ctrl-C, and every port it opened (the emulator's too) is closed


@pytest.fixture
def local_stack(tmp_path: Path) -> Iterator[Stack]:
    """A stack of the test's own."""
    with running_stack(tmp_path / "var", "browser-localstack.log") as stack:
        yield stack


def launch_chromium(playwright: Any) -> Any:
    """Debian's Chromium through Playwright."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def call_outcome(var: Path, sid: str) -> str | None:
    with sqlite3.connect(var / "callcenter.db") as db:
        row = db.execute("select outcome from calls where sid = ?", (sid,)).fetchone()
    return row[0] if row else None
