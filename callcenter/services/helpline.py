"""The helpline's parts in one place: what every use case is given to work with."""
from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from redis import Redis

from ..jobs import Jobs, RQJobs
from ..settings import CallFlow, Settings
from ..store.callflows import CallFlows
from ..store.db import Database
from ..store.events import EventStream
from ..store.identifiers import Identifiers
from ..store.scripts import Scripts
from ..store.staffboard import StaffBoard
from ..telephony import Telephony


@dataclass
class Helpline:
    """Settings, live state, the record, jobs and the telephony door, built once per process."""

    settings: Settings
    redis: Redis
    jobs: Jobs
    identifiers: Identifiers
    database_factory: Callable[[], Database]
    telephony_factory: Callable[[], Telephony]
    clock: Callable[[], float] = time.time
    rng: random.Random = field(default_factory=random.Random)

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: object) -> Helpline:
        """Build the parts from settings; nothing connects until first used."""
        redis = make_redis(settings, decode=True)
        parts: dict[str, object] = {
            "settings": settings,
            "redis": redis,
            "jobs": RQJobs(make_redis(settings, decode=False)),
            "identifiers": Identifiers(settings.identifier_key),
            "database_factory": lambda: Database(settings.database_url),
            "telephony_factory": lambda: Telephony(settings),
        }
        parts.update(overrides)
        return cls(**parts)  # type: ignore[arg-type]

    @property
    def callflow(self) -> CallFlow:
        """The call flow from settings."""
        return self.settings.callflow

    @cached_property
    def scripts(self) -> Scripts:
        return Scripts(self.redis)

    @cached_property
    def board(self) -> StaffBoard:
        return StaffBoard(self.redis, self.scripts)

    @cached_property
    def flows(self) -> CallFlows:
        return CallFlows(self.redis, self.scripts)

    @cached_property
    def events(self) -> EventStream:
        return EventStream(self.redis)

    @cached_property
    def database(self) -> Database:
        return self.database_factory()

    @cached_property
    def telephony(self) -> Telephony:
        return self.telephony_factory()

    def now_ms(self) -> int:
        """The clock in whole milliseconds."""
        return int(self.clock() * 1000)

    def today(self) -> str:
        """Today's date on the helpline's own clock, as YYYYMMDD."""
        moment = datetime.fromtimestamp(self.clock(), ZoneInfo(self.callflow.timezone))
        return moment.strftime("%Y%m%d")


def make_redis(settings: Settings, *, decode: bool) -> Redis:
    """A Redis client with short timeouts: a webhook must answer well inside Twilio's 15 s."""
    return Redis.from_url(
        settings.redis_url, decode_responses=decode, socket_timeout=settings.redis_timeout,
        socket_connect_timeout=settings.redis_timeout, health_check_interval=30)
