"""The whole helpline for end-to-end scenarios: the real service over HTTP, a real worker process,
a private Redis and database, and the emulator playing Twilio and every phone."""
from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from werkzeug.serving import make_server

from callcenter.core.events import Kind
from callcenter.services import staff as staff_service
from callcenter.services import staffadmin
from callcenter.services.helpline import Helpline
from callcenter.settings import DEFAULT_CALLFLOW, parse_callflow
from callcenter.store.models import Call, CallbackRequest, CallEvent
from callcenter.web.app import create_app
from sim import Credentials, NumberConfig, SimConfig, Simulator
from workers.recorder import Recorder

from ..conftest import LOG_DIR
from ..support.helpers import ACCOUNT_SID, AUTH_TOKEN, HELPLINE_NUMBER, make_settings
from ..support.processes import Worker, environment
from ..support.redis_server import RedisServer, free_port

SPEED = 20.0
#: The call flow of these scenarios: the service's own timers made short (they do not scale with
#: the emulator's speed), the calling window open all day so a scenario never waits for morning.
E2E_FLOW: dict[str, Any] = {
    "routing": {"wrapup_seconds": 0, "screen_seconds": 8},
    "callbacks": {"calling_window": {"start": "00:00", "end": "24:00"}, "retry_after_minutes": [0.05, 0.05]},
    "hold": {"max_seconds": 600},
}


class SlowDoor:
    """WSGI middleware: makes chosen paths slower than Twilio waits (for the timeout scenario)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.slow_paths: set[str] = set()
        self.delay = 0.0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("PATH_INFO") in self.slow_paths:
            time.sleep(self.delay)
        return self.app(environ, start_response)


class Stack:
    """Start with ``Stack(tmp, template).start(**flow_overrides)``; ``close()`` stops everything."""

    def __init__(self, tmp: Path, template: Path, name: str) -> None:
        self.tmp, self.name = tmp, name
        self.redis = RedisServer(tmp / "redis", appendonly=False)
        shutil.copy(template, tmp / "db.sqlite")
        self.web_port = free_port()
        self.base = f"http://127.0.0.1:{self.web_port}"
        self.workers: list[Worker] = []

    def start(self, sim_options: dict[str, Any] | None = None, **flow: Any) -> Stack:
        self.redis.start()
        raw = yaml.safe_load(DEFAULT_CALLFLOW.read_text())
        for section, values in {**E2E_FLOW, **flow}.items():
            if isinstance(values, dict):
                raw.setdefault(section, {}).update(values)
            else:
                raw[section] = values
        config = SimConfig(Credentials(ACCOUNT_SID, AUTH_TOKEN),
                           [NumberConfig.for_service(HELPLINE_NUMBER, self.base)], speed=SPEED,
                           **(sim_options or {}))
        self.sim = Simulator(config).start()
        self.settings = make_settings(self.redis.url, f"sqlite:///{self.tmp / 'db.sqlite'}",
                                      flow=parse_callflow(raw, "e2e callflow"), public_base_url=self.base,
                                      twilio_api_base_url=self.sim.url, outbound_calls_per_second=20.0,
                                      sweep_seconds=2, log_level="INFO")
        self.h = Helpline.from_settings(self.settings)
        self.door = SlowDoor(create_app(self.settings, helpline=self.h))
        self.web = make_server("127.0.0.1", self.web_port, self.door, threaded=True)
        threading.Thread(target=self.web.serve_forever, daemon=True).start()
        self.env = environment(self.settings, callflow=raw)
        self.workers.append(Worker(self.env, LOG_DIR / f"e2e-{self.name}-worker.log").start())
        return self

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.sim.stop()
        self.web.shutdown()
        self.h.database.dispose()
        self.redis.stop()

    # ------------------------------------------------------------------ people

    def staff(self, n: int, *, languages: str = "en", available: bool = True, **behaviour: Any) -> int:
        """A staff member in the service, and their phone (+1 202 555 011n) in the emulator."""
        phone = f"+1202555{110 + n:04d}"
        member = staffadmin.add_staff(self.h, {"name": f"Staff {n}", "contact": phone, "languages": languages})
        self.sim.add_phone(phone, **behaviour)
        if available:
            staff_service.set_presence(self.h, member.id, "available")
        return member.id

    # ------------------------------------------------------------------ the record

    def wait_for(self, check: Any, seconds: float = 30.0, what: str = "the expected records") -> Any:
        deadline = time.monotonic() + seconds
        last: Any = None
        while time.monotonic() < deadline:
            try:
                Recorder(self.h, consumer="e2e").drain_all()
                last = check()
                if last:
                    return last
            except AssertionError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{what} did not appear within {seconds}s (last: {last!r})")

    def call(self, sid: str) -> Call | None:
        with self.h.database.session() as session:
            row = session.get(Call, sid)
            if row is not None:
                session.expunge(row)
            return row

    def ended(self, sid: str, seconds: float = 30.0) -> Call:
        """The call's row once the call is over and its end recorded."""
        return self.wait_for(lambda: (row := self.call(sid)) is not None and row.ended_at is not None and row,
                             seconds, f"the end of call {sid}")

    def events(self, sid: str) -> list[tuple[str, int | None]]:
        Recorder(self.h, consumer="e2e").drain_all()
        with self.h.database.session() as session:
            rows = session.scalars(select(CallEvent).where(CallEvent.call_sid == sid).order_by(CallEvent.at,
                                                                                               CallEvent.id))
            return [(row.event, row.staff_id) for row in rows]

    def requests(self) -> list[CallbackRequest]:
        with self.h.database.session() as session:
            rows = list(session.scalars(select(CallbackRequest).order_by(CallbackRequest.id)))
            for row in rows:
                session.expunge(row)
            return rows

    def kinds(self, sid: str) -> list[str]:
        return [kind for kind, _ in self.events(sid)]


ACCEPTED = Kind.ACCEPTED.value
