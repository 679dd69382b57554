"""Status callbacks are idempotent and order-independent: shuffled and duplicated deliveries
end in exactly the records that in-order delivery gives."""
from __future__ import annotations

import dataclasses
from datetime import UTC
from typing import Any

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from redis import Redis
from sqlalchemy import select

from callcenter.store import keys
from callcenter.store.models import Call, CallEvent, CallLeg
from callcenter.web.app import create_app

from ..conftest import build_helpline
from ..support.calls import InboundCall, StaffLeg
from ..support.helpers import Webhooks, make_settings
from ..support.twilio_rest import SpecCheckedTwilio
from .conftest import Team, record

FROZEN = 1_800_000_000.0


def stamp(seconds: int) -> str:
    from datetime import datetime
    from email.utils import format_datetime

    return format_datetime(datetime.fromtimestamp(FROZEN + seconds, tz=UTC))


class Run:
    """One answered call on a clean Redis and database; its callbacks delivered in a given order."""

    def __init__(self, redis_url: str, database_url: str) -> None:
        Redis.from_url(redis_url).flushall()
        self.settings = make_settings(redis_url, database_url)
        self.h = build_helpline(self.settings, SpecCheckedTwilio(), clock=lambda: FROZEN)
        self.hooks = Webhooks(create_app(self.settings, helpline=self.h).test_client(), self.settings)
        self.staff = Team(self.h).add(1)
        self.call = InboundCall(self.hooks, sid="CA" + "c" * 32)
        self.call.to_routing()
        [leg] = self.call.legs()
        self.leg = dataclasses.replace(leg, sid="CA" + "d" * 32)
        self.leg.pick_up()
        self.leg.press("1")

    def deliveries(self) -> list[tuple[str, Any]]:
        """Every callback Twilio sends from here on, in the order it happened."""
        items: list[tuple[str, Any]] = []
        for seq, status in enumerate(["initiated", "ringing", "in-progress", "completed"]):
            items.append(("leg", dict(status=status, SequenceNumber=str(seq), Timestamp=stamp(seq + 1),
                                      **({"CallDuration": "240"} if status == "completed" else {}))))
        for seq, status in enumerate(["ringing", "in-progress", "completed"]):
            items.append(("call", dict(status=status, SequenceNumber=str(seq), Timestamp=stamp(seq * 100),
                                       **({"CallDuration": "300"} if status == "completed" else {}))))
        items.append(("dial", dict(status="completed", duration=240)))
        return items

    def deliver(self, item: tuple[str, Any]) -> None:
        kind, args = item
        args = dict(args)
        if kind == "leg":
            status = args.pop("status")
            response = self.hooks.post(self.leg.status_url, _leg_params(self.leg, status, args))
        elif kind == "call":
            status = args.pop("status")
            params = self.call.params(CallStatus=status, CallbackSource="call-progress-events", **args)
            response = self.hooks.post("/voice/status", params)
        else:
            params = self.call.params(DialCallStatus=args["status"], DialCallDuration=str(args["duration"]))
            response = self.hooks.post(self._dial_action, params)
        assert response.status_code == 200

    @property
    def _dial_action(self) -> str:
        return self.call.last.find("Dial").get("action")

    def snapshot(self) -> dict[str, Any]:
        record(self.h)
        with self.h.database.session() as session:
            def rows(model: Any, order: Any) -> list[dict[str, Any]]:
                return [{c.name: getattr(r, c.name) for c in model.__table__.columns if c.name != "id"}
                        for r in session.scalars(select(model).order_by(order))]
            calls = rows(Call, Call.sid)
            for row in calls:
                row["caller_enc"] = bool(row["caller_enc"])  # encrypted with a fresh nonce each run
            snapshot = {"calls": calls, "legs": rows(CallLeg, CallLeg.sid), "events": rows(CallEvent, CallEvent.key)}
        [live] = self.h.board.live([self.staff])
        snapshot["staff"] = (live.busy_with, live.in_wrapup, live.misses, live.presence)
        snapshot["talking"] = self.h.redis.zcard(keys.TALKING)
        self.h.database.dispose()
        return snapshot


def _leg_params(leg: StaffLeg, status: str, extra: dict[str, str]) -> dict[str, str]:
    from ..support.helpers import staff_leg_params

    return staff_leg_params(leg.sid, leg.call.sid, leg.contact, status=status,
                            CallbackSource="call-progress-events", **extra)


def in_order(redis_url: str, database_url: str) -> dict[str, Any]:
    run = Run(redis_url, database_url)
    for item in run.deliveries():
        run.deliver(item)
    return run.snapshot()


def test_in_order_delivery_records_an_answered_call_and_frees_the_staff_member(redis_server, fresh_database) -> None:
    snapshot = in_order(redis_server.url, fresh_database())
    [call] = snapshot["calls"]
    assert (call["outcome"], call["status"], call["talk_seconds"]) == ("answered", "completed", 240)
    [leg] = snapshot["legs"]
    assert leg["status"] == "completed" and leg["staff_id"] == 1
    assert snapshot["staff"] == (None, True, 0, "available")  # free of the call, in wrap-up
    assert snapshot["talking"] == 0
    statuses = [e["key"].split(":status:")[1] for e in snapshot["events"] if ":status:" in e["key"]]
    assert sorted(statuses) == sorted(["initiated", "ringing", "in-progress", "completed", "ringing",
                                       "in-progress", "completed"])


@hypothesis_settings(max_examples=25, deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_shuffled_and_duplicated_callbacks_converge_on_the_in_order_records(redis_server, fresh_database,
                                                                           data) -> None:  # type: ignore[no-untyped-def]
    """On SQLite and PostgreSQL: each example compares with an in-order run on the same database."""
    expected = in_order(redis_server.url, fresh_database())
    run = Run(redis_server.url, fresh_database())
    items = run.deliveries()
    order = data.draw(st.permutations(items), label="order")
    duplicates = data.draw(st.lists(st.sampled_from(items), max_size=5), label="duplicates")
    positions = data.draw(st.lists(st.integers(0, len(items)), min_size=len(duplicates),
                                   max_size=len(duplicates)), label="positions")
    delivered = list(order)
    for item, position in zip(duplicates, positions, strict=True):
        delivered.insert(position, item)
    for item in delivered:
        run.deliver(item)
    assert run.snapshot() == expected
