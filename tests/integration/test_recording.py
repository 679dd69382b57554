"""The call-event log and the database: migrations, idempotent upserts, outages (SQLite and PostgreSQL)."""
from __future__ import annotations

import dataclasses

import pytest
from alembic import command
from sqlalchemy import create_engine, func, inspect, select

from callcenter.core.events import Event, Kind
from callcenter.store import calllog
from callcenter.store.db import Database, alembic_config, upgrade
from callcenter.store.models import Base, Call, CallEvent
from workers.recorder import DEAD_LETTERS, Recorder

from ..conftest import build_helpline
from ..support.calls import InboundCall
from ..support.helpers import Webhooks
from ..support.redis_server import free_port
from .conftest import Team

SID = "CA" + "e" * 32


def test_migrations_run_from_empty_and_match_the_models(any_database_url: str) -> None:
    config = alembic_config(any_database_url)
    command.downgrade(config, "base")
    engine = create_engine(any_database_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(any_database_url)
    assert set(inspect(engine).get_table_names()) >= {t.name for t in Base.metadata.sorted_tables}
    command.check(config)  # raises if the models and the migrations disagree
    engine.dispose()


def _events() -> list[Event]:
    return [
        Event(f"{SID}:received", Kind.RECEIVED, 1000.0, SID, data={"line": "admissions", "caller_hash": "ab" * 32,
                                                                   "caller_enc": "v1:xyz"}),
        Event(f"{SID}:accepted", Kind.ACCEPTED, 1012.0, SID, staff_id=None),
        Event(f"{SID}:status:completed", Kind.LEG_STATUS, 1300.0, SID, data={"leg": "caller", "status": "completed"}),
        Event(f"{SID}:ended", Kind.ENDED, 1300.0, SID, data={"status": "completed", "duration": 300}),
    ]


def test_recording_the_same_events_twice_stores_them_once(any_database_url: str) -> None:
    db = Database(any_database_url)
    for _ in range(2):
        with db.session() as session:
            stored = [calllog.record(session, event) for event in _events()]
    assert stored == [False] * 4
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(CallEvent)) == 4
        call = session.get(Call, SID)
        assert call.caller_hash == "ab" * 32 and call.outcome == "abandoned" and call.wait_seconds == 300
        received = session.scalar(select(CallEvent).where(CallEvent.key == f"{SID}:received"))
        assert "caller_enc" not in received.data and "caller_hash" not in received.data
    db.dispose()


def test_webhooks_keep_answering_while_the_database_is_down_and_nothing_is_lost(
        settings, fake_twilio, tmp_path, any_database_url) -> None:
    unreachable = f"postgresql+psycopg://helpline@127.0.0.1:{free_port()}/helpline?connect_timeout=1"
    down = dataclasses.replace(settings, database_url=unreachable)
    h = build_helpline(down, fake_twilio)
    from callcenter.web.app import create_app

    hooks = Webhooks(create_app(down, helpline=h).test_client(), down)
    calls = [InboundCall(hooks) for _ in range(3)]
    for call in calls:
        call.to_routing()
        assert call.menu_offered()  # answered without the database
    recorder = Recorder(h, consumer="r1")
    from sqlalchemy.exc import OperationalError

    with pytest.raises(OperationalError):
        recorder.drain()
    waiting = h.events.backlog()
    assert waiting >= 6
    # The database is back: the same recorder records everything it had read, and the rest.
    h.__dict__["database"] = Database(any_database_url)
    assert recorder.drain_all() == waiting
    assert h.events.backlog() == 0
    with h.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Call)) == 3
    h.database.dispose()


def test_a_recorder_that_died_mid_batch_has_its_events_taken_over(helpline, any_database_url, webhooks) -> None:
    helpline.__dict__["database"] = Database(any_database_url)
    InboundCall(webhooks).dial_in()
    dead = Recorder(helpline, consumer="dead")
    assert helpline.events.read("dead", 100)  # read, never acknowledged: it "died"
    import workers.recorder as recorder_module

    recorder_module.RECLAIM_IDLE_MS, old = 0, recorder_module.RECLAIM_IDLE_MS
    try:
        assert Recorder(helpline, consumer="alive").drain_all() >= 1
    finally:
        recorder_module.RECLAIM_IDLE_MS = old
    assert dead.h.events.backlog() == 0
    helpline.database.dispose()


def test_an_event_the_database_refuses_goes_to_dead_letters_and_does_not_block_the_rest(helpline, any_database_url,
                                                                                        webhooks) -> None:
    helpline.__dict__["database"] = Database(any_database_url)
    team = Team(helpline)
    team.add(1)
    bad = Event(f"{SID}:accepted", Kind.ACCEPTED, 5.0, SID, staff_id=424242)  # no such staff: FK refuses it
    helpline.events.emit([bad])
    InboundCall(webhooks).dial_in()
    Recorder(helpline, consumer="r").drain_all()
    assert helpline.events.backlog() == 0
    dead = helpline.redis.xrange(DEAD_LETTERS)
    assert [fields["key"] for _, fields in dead] == [bad.key]
    with helpline.database.session() as session:
        assert session.scalar(select(func.count()).select_from(Call)) == 1 + (1 if session.get(Call, SID) else 0)
    helpline.database.dispose()
