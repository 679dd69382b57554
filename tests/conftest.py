"""Fixtures shared by every test: a private Redis, databases, the app, signed webhooks.

The whole suite's log output goes through the service's own logging configuration into
``artifacts/test-logs/``; ``test_zz_privacy`` (run last) checks no caller number got there.
Before that net, ``RAW_NUMBERS`` sees every log record of the test process as it is made,
before any redaction, and notes where a caller number was put into one; the processes the
tests start do the same (``support.log_watch``) and report to ``RAW_NUMBERS_DIR``.
"""
from __future__ import annotations

import os
import random
import secrets
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import create_engine, text

from callcenter import logs
from callcenter.jobs import RQJobs
from callcenter.services.helpline import Helpline, make_redis
from callcenter.store.db import upgrade
from callcenter.store.models import Base
from callcenter.telephony import Telephony
from callcenter.web.app import create_app

from .support.helpers import CheckedJobs, Webhooks, make_settings
from .support.log_watch import RawNumberWatch, watched_environment
from .support.redis_server import RedisServer
from .support.twilio_rest import SpecCheckedTwilio

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "artifacts" / "test-logs"
#: This run's own folder: another test run in the same checkout never mixes its logs in.
LOG_DIR = LOGS / f"run-{os.getpid()}"
RAW_NUMBERS_DIR = LOG_DIR / "raw-numbers"


RAW_NUMBERS = RawNumberWatch()


def pytest_configure(config: pytest.Config) -> None:
    for old in LOGS.glob("run-*") if LOGS.exists() else []:
        if not _alive(int(old.name.removeprefix("run-"))):
            shutil.rmtree(old, ignore_errors=True)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    stream = (LOG_DIR / "suite.log").open("w", encoding="utf-8")
    config._suite_log_stream = stream  # type: ignore[attr-defined]
    logs.configure("DEBUG", stream=stream)
    RAW_NUMBERS.install()
    os.environ.update(watched_environment(dict(os.environ), ROOT, RAW_NUMBERS_DIR))  # processes the tests start


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The privacy check reads the whole suite's logs, so it runs last."""
    last = [item for item in items if "test_zz_privacy" in item.nodeid]
    items[:] = [item for item in items if item not in last] + last


# ---------------------------------------------------------------- Redis


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The private server, emptied before each test (it is ours alone; never a shared one)."""
    if not redis_server.ping():
        redis_server.start()
    Redis.from_url(redis_server.url).flushall()
    return redis_server.url


# ---------------------------------------------------------------- databases


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated once from empty; each test gets a copy."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A fresh PostgreSQL database for this run (when TEST_DATABASE_URL is set), migrated from empty."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        yield None
        return
    from callcenter.settings import database_url

    admin_url = database_url(base)
    name = f"cc_test_{secrets.token_hex(4)}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def database_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated SQLite database of this test's own."""
    path = tmp_path / "callcenter.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def fresh_database(request: pytest.FixtureRequest, sqlite_template: Path, postgres_url: str | None,
                   tmp_path_factory: pytest.TempPathFactory) -> Callable[[], str]:
    """Makes an empty, migrated database on each call: SQLite, and PostgreSQL when TEST_DATABASE_URL is set."""
    if request.param == "sqlite":
        def fresh_sqlite() -> str:
            path = tmp_path_factory.mktemp("db") / "callcenter.db"
            shutil.copy(sqlite_template, path)
            return f"sqlite:///{path}"
        return fresh_sqlite
    if postgres_url is None:
        pytest.skip("PostgreSQL: set TEST_DATABASE_URL to run database tests on it too")
    url = postgres_url

    def fresh_postgres() -> str:
        _empty_postgres(url)
        return url
    return fresh_postgres


@pytest.fixture
def any_database_url(fresh_database: Callable[[], str]) -> str:
    """The test runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""
    return fresh_database()


# ---------------------------------------------------------------- the service


@pytest.fixture
def fake_twilio() -> Iterator[SpecCheckedTwilio]:
    fake = SpecCheckedTwilio()
    yield fake
    assert not fake.violations, f"REST requests the official spec rejects: {fake.violations}"


@pytest.fixture
def settings(redis_url: str, database_url: str):  # type: ignore[no-untyped-def]
    return make_settings(redis_url, database_url)


def build_helpline(settings, fake_twilio: SpecCheckedTwilio, **overrides) -> Helpline:  # type: ignore[no-untyped-def]
    parts = dict(telephony_factory=lambda: Telephony(settings, http_client=fake_twilio),
                 jobs=CheckedJobs(RQJobs(make_redis(settings, decode=False))), rng=random.Random(7))
    parts.update(overrides)
    return Helpline.from_settings(settings, **parts)


@pytest.fixture
def helpline(settings, fake_twilio: SpecCheckedTwilio) -> Iterator[Helpline]:  # type: ignore[no-untyped-def]
    h = build_helpline(settings, fake_twilio)
    yield h
    if "database" in h.__dict__:
        h.database.dispose()


@pytest.fixture
def rq_redis(settings) -> Redis:  # type: ignore[no-untyped-def]
    return make_redis(settings, decode=False)


@pytest.fixture
def app(settings, helpline: Helpline):  # type: ignore[no-untyped-def]
    application = create_app(settings, helpline=helpline)
    application.config["TESTING"] = True
    return application


@pytest.fixture
def webhooks(app, settings) -> Webhooks:  # type: ignore[no-untyped-def]
    return Webhooks(app.test_client(), settings)
