"""Reservations on a real Redis: atomic under real concurrency, strategies, expiry, wrap-up."""
from __future__ import annotations

import dataclasses
import multiprocessing
import time
from collections import Counter

import pytest

from callcenter.core.routing import Strategy
from callcenter.services import calls
from callcenter.services import staff as staff_service
from callcenter.services.decisions import NoOneFree, Ring
from callcenter.services.helpline import Helpline
from callcenter.store import keys

from ..conftest import build_helpline
from ..support.calls import InboundCall, new_call_sid
from ..support.helpers import callflow, run_jobs
from .conftest import Team, events

STAFF = 20
PROCESSES = 8
CALLS_PER_PROCESS = 30  # 240 reservation attempts in all


def _race(settings, start, results, first_call: int) -> None:  # type: ignore[no-untyped-def]
    """One process: wait for the start signal, then route its calls as fast as it can."""
    from tests.support.twilio_rest import SpecCheckedTwilio

    h = build_helpline(settings, SpecCheckedTwilio())
    sids = [f"CA{first_call + i:032x}" for i in range(CALLS_PER_PROCESS)]
    for sid in sids:
        h.flows.start(sid, {"line": "admissions", "language": "en", "attempts": 0, "ring_used": 0})
    start.wait()
    got = []
    for sid in sids:
        decision = calls.route_call(h, sid)
        got.append((sid, [card.id for card in decision.staff] if isinstance(decision, Ring) else []))
    results.put(got)


@pytest.mark.parametrize("strategy", [Strategy.LONGEST_IDLE, Strategy.RING_ALL])
def test_no_staff_member_is_ever_reserved_twice_when_hundreds_of_calls_race(settings, fake_twilio, strategy,
                                                                            capsys) -> None:
    settings = dataclasses.replace(settings, callflow=callflow(strategy=strategy))
    h = build_helpline(settings, fake_twilio)
    team = Team(h)
    ids = [team.add(n) for n in range(STAFF)]
    ctx = multiprocessing.get_context("fork")
    start, results = ctx.Barrier(PROCESSES + 1), ctx.Queue()
    workers = [ctx.Process(target=_race, args=(settings, start, results, 0x100 * (p + 1)))
               for p in range(PROCESSES)]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.perf_counter()
    outcomes = [item for _ in workers for item in results.get(timeout=120)]
    elapsed = time.perf_counter() - began
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0

    reserved = Counter(staff for _, staff_ids in outcomes for staff in staff_ids)
    double_booked = [staff for staff, times in reserved.items() if times > 1]
    holders = {staff: h.redis.get(keys.busy(staff)) for staff in ids}
    winners = {staff: sid for sid, staff_ids in outcomes for staff in staff_ids}
    with capsys.disabled():
        print(f"\n[race] {strategy.value}: {len(outcomes)} reservation attempts by {PROCESSES} processes "
              f"over {STAFF} staff in {elapsed:.2f}s: {sum(reserved.values())} reserved, "
              f"{len(double_booked)} double-booked")
    assert len(outcomes) == PROCESSES * CALLS_PER_PROCESS >= 200
    assert double_booked == []
    assert sorted(reserved) == sorted(ids)  # every free staff member was used, once
    assert holders == winners  # Redis agrees with what each process was told


def _reserve_from_a_stale_snapshot(settings, start, results, first_call: int, count: int) -> None:  # type: ignore[no-untyped-def]
    """One process: read the free staff before the race, then try to reserve from that (stale) list."""
    import random

    from tests.support.twilio_rest import SpecCheckedTwilio

    h = build_helpline(settings, SpecCheckedTwilio())
    snapshot, _ = h.board.candidates("2026-11-29", "admissions")
    ranked = [c.staff_id for c in snapshot]
    random.Random(first_call).shuffle(ranked)  # each process ranks them its own way
    start.wait()
    got = [(f"CA{first_call + i:032x}", h.board.reserve(f"CA{first_call + i:032x}", ranked, count, 60_000))
           for i in range(CALLS_PER_PROCESS)]
    results.put((len(ranked), got))


@pytest.mark.parametrize("count", [1, 10])
def test_every_attempt_reaches_the_reservation_script_with_a_stale_list_and_none_double_books(
        settings, fake_twilio, count: int, capsys) -> None:  # type: ignore[no-untyped-def]
    """The candidate list is read without a lock, so it can be stale: the Lua script must decide alone.

    Every process read the 20 free staff before any reservation, so all 240 attempts run the script
    with a list naming staff that other processes may already hold.
    """
    h = build_helpline(settings, fake_twilio)
    team = Team(h)
    ids = [team.add(n) for n in range(STAFF)]
    ctx = multiprocessing.get_context("fork")
    start, results = ctx.Barrier(PROCESSES + 1), ctx.Queue()
    workers = [ctx.Process(target=_reserve_from_a_stale_snapshot,
                           args=(settings, start, results, 0x100 * (p + 1), count)) for p in range(PROCESSES)]
    for worker in workers:
        worker.start()
    start.wait()
    batches = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0
    assert [seen for seen, _ in batches] == [STAFF] * PROCESSES  # every process saw all 20 free
    outcomes = [item for _, got in batches for item in got]
    reserved = Counter(staff for _, staff_ids in outcomes for staff in staff_ids)
    with capsys.disabled():
        print(f"\n[race] stale lists, {count} per call: {len(outcomes)} calls to the reservation script by "
              f"{PROCESSES} processes over {STAFF} staff: {sum(reserved.values())} reserved, "
              f"{sum(1 for times in reserved.values() if times > 1)} double-booked")
    assert len(outcomes) == PROCESSES * CALLS_PER_PROCESS >= 200
    assert all(times == 1 for times in reserved.values()) and sorted(reserved) == sorted(ids)
    assert {staff: h.redis.get(keys.busy(staff)) for staff in ids} == \
        {staff: sid for sid, staff_ids in outcomes for staff in staff_ids}


def _route(h: Helpline) -> Ring | NoOneFree:
    sid = new_call_sid()
    h.flows.start(sid, {"line": "admissions", "language": "en", "attempts": 0, "ring_used": 0})
    decision = calls.route_call(h, sid)
    assert not isinstance(decision, calls.Goodbye)
    return decision


def helpline_with(settings, fake_twilio, **routing) -> Helpline:  # type: ignore[no-untyped-def]
    return build_helpline(dataclasses.replace(settings, callflow=callflow(**routing)), fake_twilio)


def test_longest_idle_picks_whoever_has_been_free_longest(settings, fake_twilio) -> None:
    h = helpline_with(settings, fake_twilio, strategy=Strategy.LONGEST_IDLE)
    team = Team(h)
    a, b, c = (team.add(n, available=False) for n in range(3))
    for staff, idle_since in ((a, 3_000), (b, 1_000), (c, 2_000)):
        h.board.set_presence(staff, "available", idle_since)
    assert [_route(h).staff[0].id for _ in range(3)] == [b, c, a]


def test_round_robin_takes_turns_by_staff_id(settings, fake_twilio) -> None:
    h = helpline_with(settings, fake_twilio, strategy=Strategy.ROUND_ROBIN)
    team = Team(h)
    a, b, c = (team.add(n) for n in range(3))
    first = _route(h).staff[0].id
    h.board.release(first, h.board.holder(first) or "")
    second = _route(h).staff[0].id
    assert (first, second) == (a, b)


def test_fewest_calls_picks_whoever_took_fewest_today(settings, fake_twilio) -> None:
    h = helpline_with(settings, fake_twilio, strategy=Strategy.FEWEST_CALLS)
    team = Team(h)
    a, b = team.add(1), team.add(2)
    h.redis.hset(keys.taken(h.today()), mapping={a: 4, b: 1})
    assert _route(h).staff[0].id == b


def test_priority_follows_the_configured_order(settings, fake_twilio) -> None:
    h = helpline_with(settings, fake_twilio, strategy=Strategy.PRIORITY)
    team = Team(h)
    team.add(1, priority=5)
    first = team.add(2, priority=1)
    assert _route(h).staff[0].id == first


def test_ring_all_reserves_every_free_phone_up_to_ten(settings, fake_twilio) -> None:
    h = helpline_with(settings, fake_twilio, strategy=Strategy.RING_ALL)
    team = Team(h)
    ids = [team.add(n) for n in range(12)]
    decision = _route(h)
    assert isinstance(decision, Ring) and decision.ring_all
    assert len(decision.staff) == 10 and {c.id for c in decision.staff} <= set(ids)
    assert len(_route(h).staff) == 2


def test_per_line_teams_only_get_their_lines_calls(settings, fake_twilio) -> None:
    from callcenter.settings import Line

    flow = dataclasses.replace(callflow(), lines=(Line("admissions", "Admissions", ("+12025550100",)),
                                                  Line("family", "Family line", ("+12025550101",))))
    h = build_helpline(dataclasses.replace(settings, callflow=flow), fake_twilio)
    team = Team(h)
    team.add(1, lines="admissions")
    family = team.add(2, lines="family")
    sid = new_call_sid()
    h.flows.start(sid, {"line": "family", "language": "en", "attempts": 0, "ring_used": 0})
    decision = calls.route_call(h, sid)
    assert isinstance(decision, Ring) and [c.id for c in decision.staff] == [family]


def test_a_reservation_expires_when_nobody_reports_back(settings, fake_twilio) -> None:
    h = build_helpline(settings, fake_twilio)
    staff = Team(h).add(1)
    decision = _route(h)
    ttl = h.redis.pttl(keys.busy(staff))
    routing = h.callflow.routing
    assert (routing.ring_seconds + routing.screen_seconds) * 1000 < ttl <= (
        routing.ring_seconds + routing.screen_seconds + calls.RESERVATION_SLACK_SECONDS) * 1000
    assert isinstance(_route(h), NoOneFree)
    h.redis.pexpire(keys.busy(staff), 150)  # as if its time had run out
    time.sleep(0.3)
    again = _route(h)
    assert isinstance(again, Ring) and again.staff[0].id == staff
    assert decision.staff[0].id == staff


def test_wrap_up_returns_a_staff_member_to_available_through_a_scheduled_job(settings, fake_twilio, rq_redis,
                                                                            webhooks) -> None:
    h = webhooks.client.application.extensions["callcenter"]
    h.settings = dataclasses.replace(h.settings, callflow=callflow(wrapup_seconds=1))
    staff = Team(h).add(1)
    call = InboundCall(webhooks)
    leg = call.answered()
    leg.status("completed", CallDuration="60")
    assert h.board.wrapup_token(staff) is not None
    assert isinstance(_route(h), NoOneFree)  # in wrap-up: not offered a call
    assert "end_wrapup" not in run_jobs(h, rq_redis)  # the end of wrap-up is scheduled, not due yet
    time.sleep(1.2)
    assert "end_wrapup" in run_jobs(h, rq_redis)
    assert h.board.wrapup_token(staff) is None
    assert ("staff.wrapup_ended", staff) in events(h)
    assert _route(h).staff[0].id == staff


def test_presence_changes_are_logged_and_unknown_staff_refused(helpline: Helpline) -> None:
    staff = Team(helpline).add(1, available=False)
    assert staff_service.set_presence(helpline, staff, "available") == "offline"
    assert staff_service.set_presence(helpline, staff, "away", "lunch") == "available"
    [live] = helpline.board.live([staff])
    assert (live.presence, live.reason, live.activity) == ("away", "lunch", "away")
    with pytest.raises(Exception, match="unknown staff"):
        helpline.board.set_presence(999, "available", 1)
