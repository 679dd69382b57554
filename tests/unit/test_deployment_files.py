"""The deployment files say what the service needs (no Docker engine here: read, not run)."""
from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_web_worker_redis_with_its_append_only_file_and_postgres() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "redis", "postgres", "migrate"} <= set(services)
    assert "appendonly yes" in (ROOT / "config" / "redis.conf").read_text()
    environment = services["worker"]["environment"]
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "PUBLIC_BASE_URL", "REDIS_URL", "DATABASE_URL",
                 "CALLCENTER_IDENTIFIER_KEY"):
        assert name in environment
    assert services["web"]["environment"] == environment
    assert "callcenter:create_app()" in services["web"]["command"]


def test_every_setting_the_code_reads_is_documented_in_the_readme() -> None:
    source = (ROOT / "callcenter" / "settings.py").read_text()
    names = set(re.findall(r'get\("([A-Z_]+)"\)', source)) | set(re.findall(r'_required\(get, "([A-Z_]+)"\)', source))
    readme = (ROOT / "README.md").read_text()
    assert len(names) >= 12
    assert [name for name in sorted(names) if f"`{name}`" not in readme] == []


def test_every_dependency_is_pinned() -> None:
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r"):
                assert "==" in line, f"{name}: {line} is not pinned"
