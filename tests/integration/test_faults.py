"""Faults that really happen: workers SIGKILLed while placing callbacks, Redis restarted from its
append-only file. No callback request is lost; no caller is rung twice for one attempt."""
from __future__ import annotations

import dataclasses
import random
import shutil
import threading
import time
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select
from werkzeug.serving import make_server

from callcenter.core import callbacks as policy
from callcenter.services import callbacks, staffadmin
from callcenter.services import staff as staff_service
from callcenter.services.helpline import Helpline
from callcenter.settings import DEFAULT_CALLFLOW
from callcenter.store.models import CallbackRequest
from callcenter.web.app import create_app

from ..conftest import LOG_DIR
from ..support.helpers import ACCOUNT_SID, AUTH_TOKEN, callflow, make_settings
from ..support.outbound_phones import OutboundPhones
from ..support.processes import Worker, environment
from ..support.redis_server import RedisServer, free_port
from ..support.twilio_server import TwilioServer

pytestmark = pytest.mark.slow
REQUESTS = 40
STAFF = 4
FAULTS = 20


class Stack:
    """Redis (append-only file), SQLite, the web app over HTTP, workers, a Twilio stand-in, phones."""

    def __init__(self, tmp: Path, template: Path, name: str) -> None:
        self.name = name
        self.redis = RedisServer(tmp / "redis", appendonly=True).start()
        shutil.copy(template, tmp / "db.sqlite")
        web_port = free_port()
        self.phones = OutboundPhones(f"http://127.0.0.1:{web_port}", talk_seconds=0.3)
        self.twilio = TwilioServer(ACCOUNT_SID, AUTH_TOKEN, on_create=self.phones.on_create).start()
        flow = callflow(wrapup_seconds=0, screen_seconds=3)
        flow = dataclasses.replace(flow, callbacks=dataclasses.replace(flow.callbacks, staff_ring_seconds=5))
        self.settings = make_settings(self.redis.url, f"sqlite:///{tmp / 'db.sqlite'}", flow=flow,
                                      twilio_api_base_url=self.twilio.url, redis_timeout=1.0,
                                      public_base_url=f"http://127.0.0.1:{web_port}", sweep_seconds=2,
                                      outbound_calls_per_second=2.0)  # placing takes ~20 s: faults land mid-way
        self.h = Helpline.from_settings(self.settings)
        self.web = make_server("127.0.0.1", web_port, create_app(self.settings, helpline=self.h), threaded=True)
        threading.Thread(target=self.web.serve_forever, daemon=True).start()
        raw = yaml.safe_load(DEFAULT_CALLFLOW.read_text())
        raw["routing"].update(wrapup_seconds=0, screen_seconds=3)
        raw["callbacks"]["staff_ring_seconds"] = 5
        self.env = environment(self.settings, callflow=raw)
        self.workers: list[Worker] = []
        self.started = 0

    def add_worker(self) -> None:
        self.started += 1
        worker = Worker(self.env, LOG_DIR / f"{self.name}-worker-{self.started}.log").start()
        worker.started_at = time.monotonic()  # type: ignore[attr-defined]
        self.workers.append(worker)

    def booted_workers(self, seconds: float = 2.5) -> list[Worker]:
        """Workers running long enough to be doing work (a fresh one is still importing)."""
        now = time.monotonic()
        return [w for w in self.workers if w.process and w.process.poll() is None
                and now - w.started_at >= seconds]  # type: ignore[attr-defined]

    def seed(self) -> list[int]:
        for n in range(STAFF):
            member = staffadmin.add_staff(self.h, {"name": f"Staff {n}", "contact": f"client:staff_{n}"})
            staff_service.set_presence(self.h, member.id, "available")
        return [callbacks.record(self.h, source="web", number=f"+1202555{101 + n:04d}", consent_any_time=True
                                 ).request_id for n in range(REQUESTS)]

    def statuses(self) -> dict[int, str]:
        with self.h.database.session() as session:
            return {r.id: r.status for r in session.scalars(select(CallbackRequest))}

    def wait_until_all_closed(self, seconds: float) -> dict[int, str]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                statuses = self.statuses()
                if all(status in policy.TERMINAL for status in statuses.values()):
                    return statuses
            except Exception:  # noqa: BLE001 - the database may be busy for a moment
                pass
            time.sleep(0.5)
        return self.statuses()

    def attempt_outcomes(self) -> dict[str, int]:
        from collections import Counter

        from callcenter.store.models import CallbackAttempt

        with self.h.database.session() as session:
            return dict(Counter(a.outcome or a.state for a in session.scalars(select(CallbackAttempt))))

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.web.shutdown()
        self.phones.close()
        self.twilio.stop()
        self.h.database.dispose()
        self.redis.stop()


@pytest.fixture
def stack(tmp_path: Path, sqlite_template: Path, request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    built = Stack(tmp_path, sqlite_template, request.node.name[:40])
    yield built
    built.close()


def report(stack: Stack, what: str, statuses: dict[int, str], capsys: pytest.CaptureFixture[str]) -> None:
    phones = stack.phones
    with capsys.disabled():
        print(f"\n[faults] {what}: {len(statuses)} requests, {sum(s == 'completed' for s in statuses.values())} "
              f"completed; {len(phones.dials_per_attempt)} attempts dialled a caller, most dials in one attempt "
              f"{max(phones.dials_per_attempt.values(), default=0)}, most dials of one caller "
              f"{max(phones.dials_per_number.values(), default=0)}, most live calls of one caller "
              f"{phones.most_live_per_number}; {len(stack.twilio.fake.created())} staff calls placed; "
              f"attempts by outcome {stack.attempt_outcomes()}")


def assert_nothing_lost_and_nobody_rung_twice(stack: Stack, ids: list[int], statuses: dict[int, str]) -> None:
    assert sorted(statuses) == sorted(ids)
    assert set(statuses.values()) == {"completed"}  # every request reached its caller, none lost
    assert all(count == 1 for count in stack.phones.dials_per_attempt.values())
    assert sorted(stack.phones.dials_per_number.values()) == [1] * REQUESTS  # no caller rung twice
    assert stack.phones.most_live_per_number == 1
    assert stack.twilio.fake.violations == []


def test_workers_killed_while_placing_callbacks_lose_nothing_and_ring_nobody_twice(stack: Stack, capsys) -> None:
    ids = stack.seed()
    stack.add_worker()
    stack.add_worker()
    deadline = time.monotonic() + 60
    while not stack.twilio.fake.created() and time.monotonic() < deadline:
        time.sleep(0.1)  # placing has begun
    rng = random.Random(20)
    kills = 0
    while kills < FAULTS:
        time.sleep(rng.uniform(0.3, 0.9))
        booted = stack.booted_workers()
        if not booted:
            continue
        victim = rng.choice(booted)
        victim.kill()  # SIGKILL, mid-whatever it was doing
        stack.workers.remove(victim)
        kills += 1
        stack.add_worker()
    statuses = stack.wait_until_all_closed(150)
    report(stack, f"{kills} worker SIGKILLs", statuses, capsys)
    assert kills == FAULTS and stack.started == FAULTS + 2
    assert_nothing_lost_and_nobody_rung_twice(stack, ids, statuses)
    assert stack.attempt_outcomes().get("lost", 0) >= 1  # some kills did land mid-placement


def test_redis_restarted_from_its_append_only_file_loses_nothing_and_rings_nobody_twice(stack: Stack,
                                                                                       capsys) -> None:
    ids = stack.seed()
    stack.add_worker()
    stack.add_worker()
    rng = random.Random(21)
    for _ in range(FAULTS):
        time.sleep(rng.uniform(0.2, 0.7))
        stack.redis.stop(kill=True)  # SIGKILL: only what the append-only file has survives
        time.sleep(rng.uniform(0.05, 0.3))
        stack.redis.start()
    statuses = stack.wait_until_all_closed(150)
    report(stack, f"{FAULTS} Redis restarts from the AOF", statuses, capsys)
    assert_nothing_lost_and_nobody_rung_twice(stack, ids, statuses)
