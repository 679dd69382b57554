"""Outbound pacing across processes: four real workers place 100+ callbacks, never faster than
the configured rate in any one-second window (measured on the request arrival times)."""
from __future__ import annotations

import dataclasses
import time

import pytest

from callcenter.services import callbacks, staffadmin
from callcenter.services import staff as staff_service
from callcenter.services.dispatch import request_dispatch

from ..conftest import LOG_DIR, build_helpline
from ..support.helpers import ACCOUNT_SID, AUTH_TOKEN, make_settings
from ..support.processes import Worker, environment
from ..support.twilio_server import TwilioServer, busiest_second

pytestmark = pytest.mark.slow
RATE = 8  # calls per second, configured for this test
CALLBACKS = 110
WORKERS = 4


def fictional(n: int) -> str:
    """110 fictional numbers: 555-0101..0198 in area code 202, then in 212."""
    area, line = (202, 101 + n) if n < 98 else (212, 101 + n - 98)
    return f"+1{area}555{line:04d}"


def test_four_workers_and_110_due_callbacks_never_exceed_the_rate(redis_url, database_url, capsys) -> None:
    server = TwilioServer(ACCOUNT_SID, AUTH_TOKEN).start()
    settings = make_settings(redis_url, database_url, twilio_api_base_url=server.url,
                             outbound_calls_per_second=float(RATE))
    h = build_helpline(settings, server.fake)
    for n in range(CALLBACKS):  # enough staff that staff never limit the pace
        member = staffadmin.add_staff(h, {"name": f"Staff {n}", "contact": f"client:staff_{n}"})
        staff_service.set_presence(h, member.id, "available")
    for n in range(CALLBACKS):
        callbacks.record(h, source="web", number=fictional(n), consent_any_time=True)
    env = environment(settings)
    workers = [Worker(env, LOG_DIR / f"pacing-worker-{i}.log").start() for i in range(WORKERS)]
    try:
        for _ in range(WORKERS):
            h.redis.delete("{cc}:dispatch-requested")
            request_dispatch(h)  # one dispatch run for each worker, all at once
        deadline = time.monotonic() + 180  # the limit under test is the rate, not the speed
        while len(server.fake.created()) < CALLBACKS and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        for worker in workers:
            worker.stop()
        server.stop()
    arrivals = server.arrivals
    busiest = busiest_second(arrivals)
    span = max(arrivals) - min(arrivals)
    with capsys.disabled():
        print(f"\n[pacing] {WORKERS} workers placed {len(arrivals)} calls in {span:.1f}s "
              f"({(len(arrivals) - 1) / span:.2f}/s); busiest 1-second window: {busiest} "
              f"(configured {RATE}/s)")
    assert len(server.fake.created()) == CALLBACKS
    assert server.fake.violations == []
    assert busiest <= RATE
    assert dataclasses.asdict(settings)["outbound_calls_per_second"] == RATE
