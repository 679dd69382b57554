"""`make run` on embedded defaults: Redis, SQLite, gunicorn, a worker and (without Twilio credentials) the
Twilio emulator with demo staff, answering signed calls."""
from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ..conftest import LOG_DIR, ROOT
from ..support.redis_server import free_port

pytestmark = pytest.mark.slow


def wait_until(check, seconds: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.25)
    raise AssertionError(f"{what} did not happen in {seconds}s")


def up(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def descendants(pid: int) -> set[int]:
    """Every process started, directly or not, by ``pid`` (read from /proc)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@contextmanager
def make_run(var: Path, log_name: str, **extra: str) -> Iterator[tuple[dict[str, str], int, int, int, str]]:
    """scripts/localstack.py on free ports until its summary is printed; then Ctrl-C, and all of it stops."""
    web_port, redis_port, sim_port = free_port(), free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "CALLCENTER_"))
           and k not in ("REDIS_URL", "DATABASE_URL", "PUBLIC_BASE_URL")}
    env.update(CALLCENTER_VAR=str(var), CALLCENTER_PORT=str(web_port),
               CALLCENTER_REDIS_PORT=str(redis_port), CALLCENTER_SIM_PORT=str(sim_port), **extra)
    log_path = LOG_DIR / log_name
    log = log_path.open("w")
    process = subprocess.Popen([sys.executable, "scripts/localstack.py"], cwd=ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: up(f"http://127.0.0.1:{web_port}/healthz"), 90, "the web app answering")
        wait_until(lambda: "helpline is running" in log_path.read_text(errors="replace"), 90,
                   "make run printing its summary (after seeding the demo staff)")
        yield env, web_port, redis_port, sim_port, log_path.read_text(errors="replace")
    finally:
        started = descendants(process.pid)  # Redis, gunicorn and its workers, the worker, the emulator
        process.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            process.wait(timeout=40)
        finally:
            if process.poll() is None:
                process.kill()
            log.close()
    assert process.returncode == 0
    assert not any(map(port_open, (web_port, redis_port, sim_port)))  # everything it started has stopped
    assert len(started) >= 4 and [pid for pid in started if alive(pid)] == []  # the worker too, which has no port


@pytest.fixture
def local_stack(tmp_path: Path):  # type: ignore[no-untyped-def]
    with make_run(tmp_path / "var", "localstack.log") as (env, web_port, redis_port, _, _):
        yield env, web_port, redis_port, tmp_path / "var"


def run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_make_run_answers_a_signed_call_with_the_safety_line_first_and_records_it(local_stack) -> None:
    env, web_port, redis_port, var = local_stack
    assert (var / "local.env").exists() and (var / "redis" / "appendonlydir").exists()
    answer = run(env, "scripts/signed_post.py", "/voice/incoming")
    status, _, body = answer.partition("\n")
    assert status.startswith("200")
    root = ET.fromstring(body.strip())
    first = root[0]
    assert first.tag == "Say" and first.text.startswith("If you or someone with you is in danger")
    assert "9 1 1" in first.text and "9 8 8" in first.text

    staff = run(env, "scripts/cli.py", "staff", "list")   # the demo staff, whose phones the emulator rings
    assert all(name in staff for name in ("Ada Example", "Bruno Placeholder", "Carmen Ficticia", "Demo Supervisor"))
    assert [line.split()[-1] for line in staff.splitlines()[1:]] == ["free", "free", "free", "offline"]
    for demo in ("1", "2", "3"):
        run(env, "scripts/cli.py", "staff", "presence", demo, "away")
    assert "added staff 5" in run(env, "scripts/cli.py", "staff", "add", "--name", "Ana", "--phone", "+12025550114")
    run(env, "scripts/cli.py", "staff", "presence", "5", "available")
    routed = run(env, "scripts/signed_post.py", "/voice/route?s=1")
    assert "<Number" in routed and "+12025550114" in routed

    def recorded() -> bool:
        with sqlite3.connect(var / "callcenter.db") as db:
            return db.execute("select count(*) from call_events where event = 'call.offered'").fetchone()[0] == 1
    wait_until(recorded, 20, "the worker recording the call's events in SQLite")

    # The demo sign-ins: the supervisor's board, with the password make run kept in var/ (owner-only).
    logins = var / "demo-logins.txt"
    assert logins.stat().st_mode & 0o077 == 0
    password = logins.read_text().split("=", 1)[1].strip()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    base = f"http://127.0.0.1:{web_port}"
    form = browser.open(f"{base}/signin", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form) or \
        re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token, form
    data = urllib.parse.urlencode({"csrf_token": token.group(1), "username": "supervisor",
                                   "password": password}).encode()
    with browser.open(f"{base}/signin", data=data, timeout=10) as board:
        assert board.url.endswith("/board") and "Ada Example" in board.read().decode()


def test_with_twilio_credentials_make_run_starts_no_emulator_and_takes_the_demo_staff_off_line(tmp_path: Path) -> None:
    var = tmp_path / "var"
    with make_run(var, "localstack-demo.log") as (_, _, _, sim_port, summary):
        assert f"http://127.0.0.1:{sim_port}/phone" in summary and port_open(sim_port)
    real = {"TWILIO_ACCOUNT_SID": "AC" + "0f" * 16, "TWILIO_AUTH_TOKEN": "not-a-real-token-0123456789abcdef"}
    with make_run(var, "localstack-real.log", **real) as (env, _, _, sim_port, summary):
        assert "real Twilio" in summary and "/phone" not in summary and "emulator" not in summary
        assert not port_open(sim_port)
        assert "TWILIO_API_BASE_URL" not in (var / "run.env").read_text()
        staff = run(env, "scripts/cli.py", "staff", "list")   # fictional phones are never offered a real caller
        assert [line.split()[-1] for line in staff.splitlines()[1:]] == ["offline"] * 4
