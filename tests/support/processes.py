"""Worker processes for tests: the real `python -m workers`, configured like production."""
from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from callcenter.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def environment(settings: Settings, callflow: dict | None = None) -> dict[str, str]:  # type: ignore[type-arg]
    """The environment variables that give a process these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "CALLCENTER_"))}
    env.update({
        "TWILIO_ACCOUNT_SID": settings.twilio_account_sid, "TWILIO_AUTH_TOKEN": settings.twilio_auth_token,
        "TWILIO_API_BASE_URL": settings.twilio_api_base_url, "PUBLIC_BASE_URL": settings.public_base_url or "",
        "REDIS_URL": settings.redis_url, "DATABASE_URL": settings.database_url,
        "CALLCENTER_IDENTIFIER_KEY": base64.urlsafe_b64encode(settings.identifier_key).decode(),
        "CALLCENTER_SECRET_KEY": settings.secret_key or "test-secret", "CALLCENTER_LOG_LEVEL": "INFO",
        "CALLCENTER_OUTBOUND_CALLS_PER_SECOND": repr(settings.outbound_calls_per_second),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    })
    if settings.twilio_api_key:
        env.update(TWILIO_API_KEY=settings.twilio_api_key, TWILIO_API_SECRET=settings.twilio_api_secret or "")
    if callflow is not None:
        handle = tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False)
        yaml.safe_dump(callflow, handle)
        handle.close()
        env["CALLCENTER_CALLFLOW"] = handle.name
    return env


class Worker:
    """One `python -m workers` process, its log in the test-log folder."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log_path = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> Worker:
        self.log = self.log_path.open("ab")
        self.process = subprocess.Popen([sys.executable, "-m", "workers"], cwd=ROOT, env=self.env,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        return self

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as when a machine dies."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.log.close()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()
