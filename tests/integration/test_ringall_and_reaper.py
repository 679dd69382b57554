"""Ring-all through REST-placed legs (validated against Twilio's spec) and the reaper."""
from __future__ import annotations

import dataclasses

from callcenter.core.routing import Strategy
from callcenter.services import calls, reaper
from callcenter.store import keys
from callcenter.web.app import create_app

from ..conftest import build_helpline
from ..support import twiml
from ..support.calls import InboundCall, StaffLeg, new_call_sid
from ..support.helpers import PUBLIC_BASE_URL, Webhooks, callflow, run_jobs, staff_leg_params
from .conftest import Team, events


def ring_all_app(settings, fake_twilio):  # type: ignore[no-untyped-def]
    ring_all = dataclasses.replace(settings, callflow=callflow(strategy=Strategy.RING_ALL))
    h = build_helpline(ring_all, fake_twilio)
    return h, Webhooks(create_app(ring_all, helpline=h).test_client(), ring_all)


def test_ring_all_rings_every_free_phone_and_the_first_to_press_1_wins(settings, fake_twilio, rq_redis) -> None:
    h, hooks = ring_all_app(settings, fake_twilio)
    team = Team(h)
    staff = [team.add(n) for n in range(3)]
    call = InboundCall(hooks)
    root = call.to_routing()
    enqueue = root.find("Enqueue")
    assert enqueue.text == f"cc-{call.sid}"
    assert "ring_staff" in run_jobs(h, rq_redis)  # it placed the calls
    created = fake_twilio.created()
    assert sorted(r["form"]["To"] for r in created) == sorted(team.phones.values())
    assert all(r["form"]["From"] == "+12025550100" for r in created)
    assert all(r["form"]["Url"].startswith(PUBLIC_BASE_URL + "/voice/screen?") for r in created)
    legs = {}
    for leg_sid, request in zip(h.flows.get(call.sid)["legs:1"].split(","), created, strict=True):
        staff_id, _, twilio_sid = leg_sid.partition("=")
        url, status = request["form"]["Url"], request["form"]["StatusCallback"]
        legs[int(staff_id)] = StaffLeg(call, request["form"]["To"], url.removeprefix(PUBLIC_BASE_URL),
                                       status.removeprefix(PUBLIC_BASE_URL), sid=twilio_sid)
    waiting = call.wait(enqueue.get("waitUrl"), QueueTime="2")
    assert twiml.verbs(waiting) == ["Say", "Pause"]

    first, second, third = (legs[s] for s in staff)
    second.pick_up()
    first.pick_up()
    won = second.press("1")
    assert won.find("Dial/Queue").text == f"cc-{call.sid}"
    lost = first.press("1")
    assert "colleague" in twiml.spoken(lost)[0]
    assert "stop_ringing" in run_jobs(h, rq_redis)  # the other legs: told, or no longer rung
    updates = [r for r in fake_twilio.requests if r["method"] == "POST" and not r["path"].endswith("Calls.json")]
    assert [r["form"].get("Status") for r in updates if r["form"].get("Status")] == ["canceled"]  # the third, ringing
    told = [r["form"]["Url"] for r in updates if r["form"].get("Url")]
    assert told == [PUBLIC_BASE_URL + "/voice/screen/taken"]  # the first, listening to the offer
    taken = hooks.post("/voice/screen/taken", staff_leg_params(first.sid, call.sid, first.contact))
    assert "colleague" in twiml.spoken(twiml.parse(taken.get_data()))[0]
    first.status("completed")
    third.status("canceled")
    assert twiml.verbs(call.wait(enqueue.get("waitUrl"), QueueTime="9")) == ["Pause"]  # winner connecting
    second.status("completed", CallDuration="200")
    done = call.post(enqueue.get("action"), QueueResult="bridged", QueueTime="11")
    assert twiml.verbs(done) == ["Say", "Hangup"]
    assert h.board.winner(call.sid) == staff[1]
    assert h.board.wrapup_token(staff[1]) is not None
    log = events(h, call.sid)
    assert ("call.accepted", staff[1]) in log
    assert not [s for kind, s in log if kind == "call.missed"]  # losing to a colleague is not a miss


def test_a_ring_all_round_nobody_answers_moves_on_and_counts_misses(settings, fake_twilio, rq_redis) -> None:
    h, hooks = ring_all_app(settings, fake_twilio)
    team = Team(h)
    staff = [team.add(n) for n in range(2)]
    call = InboundCall(hooks)
    enqueue = call.to_routing().find("Enqueue")
    run_jobs(h, rq_redis)
    offer = calls.reservation_seconds(h, 20)  # ringing, screening and slack: nobody can accept after it
    assert twiml.verbs(call.wait(enqueue.get("waitUrl"), QueueTime="40"))[-1] == "Pause"  # they may be screening
    assert twiml.verbs(call.wait(enqueue.get("waitUrl"), QueueTime=str(offer + 1))) == ["Leave"]  # round over
    after = call.post(enqueue.get("action"), QueueResult="leave", QueueTime=str(offer + 1))
    misses = [s for kind, s in events(h, call.sid) if kind == "call.missed"]
    assert sorted(misses) == sorted(staff)
    assert after.find("Gather").get("action").startswith("/voice/menu")  # everyone was just rung: the menu
    assert "stop_ringing" in run_jobs(h, rq_redis)
    assert len([r for r in fake_twilio.requests if r["form"].get("Status") == "canceled"]) == 2


def _ring_all_won(h, hooks, fake_twilio, rq_redis, staff_count: int = 2):  # type: ignore[no-untyped-def]
    """A ring-all call whose first staff member picked up and pressed 1: (call, enqueue, legs, winner)."""
    team = Team(h)
    staff = [team.add(n) for n in range(staff_count)]
    call = InboundCall(hooks)
    enqueue = call.to_routing().find("Enqueue")
    run_jobs(h, rq_redis)
    legs = []
    for item, request in zip(h.flows.get(call.sid)["legs:1"].split(","), fake_twilio.created(), strict=True):
        _, _, twilio_sid = item.partition("=")
        form = request["form"]
        legs.append(StaffLeg(call, form["To"], form["Url"].removeprefix(PUBLIC_BASE_URL),
                             form["StatusCallback"].removeprefix(PUBLIC_BASE_URL), sid=twilio_sid))
    legs[0].pick_up()
    assert legs[0].press("1").find("Dial/Queue") is not None
    return call, enqueue, legs, team.by_phone(legs[0].contact), staff


def test_a_ring_all_winner_whose_leg_ends_before_taking_the_caller_does_not_leave_them_in_silence(
        settings, fake_twilio, rq_redis) -> None:
    h, hooks = ring_all_app(settings, fake_twilio)
    call, enqueue, legs, winner, staff = _ring_all_won(h, hooks, fake_twilio, rq_redis)
    assert twiml.verbs(call.wait(enqueue.get("waitUrl"), QueueTime="12")) == ["Pause"]  # being connected
    legs[0].status("completed", CallDuration="9")  # hung up during "connecting you now"
    assert twiml.verbs(call.wait(enqueue.get("waitUrl"), QueueTime="14")) == ["Leave"]
    after = call.post(enqueue.get("action"), QueueResult="leave", QueueTime="14")
    assert after.find("Hangup") is None  # not a goodbye: the caller goes on (here: the menu, or a colleague)
    assert after.find("Gather") is not None or after.find("Enqueue") is not None
    assert h.board.winner(call.sid) is None
    log = events(h, call.sid)
    assert ("call.not_connected", winner) in log and "call.connected" not in [kind for kind, _ in log]
    assert h.board.live([winner])[0].misses == 0  # they did accept: not counted against them


def test_a_ring_all_winner_who_never_takes_the_caller_is_given_up_on_after_the_offer_and_a_grace(
        settings, fake_twilio, rq_redis) -> None:
    h, hooks = ring_all_app(settings, fake_twilio)
    call, enqueue, legs, winner, _ = _ring_all_won(h, hooks, fake_twilio, rq_redis)
    legs[0].status("in-progress")
    late = calls.reservation_seconds(h, 20) + 16
    assert twiml.verbs(call.wait(enqueue.get("waitUrl"), QueueTime=str(late - 2))) == ["Pause"]
    assert twiml.verbs(call.wait(enqueue.get("waitUrl"), QueueTime=str(late))) == ["Leave"]
    after = call.post(enqueue.get("action"), QueueResult="leave", QueueTime=str(late))
    assert after.find("Hangup") is None and h.board.winner(call.sid) is None


def test_the_reaper_frees_a_staff_member_whose_call_end_was_never_reported(settings, fake_twilio, webhooks,
                                                                          helpline) -> None:
    staff = Team(helpline).add(1)
    call = InboundCall(webhooks)
    call.answered()
    assert helpline.board.holder(staff) == call.sid
    # Twilio never sends the status callbacks. Much later, the reaper checks on the call.
    fake_twilio.set_status(call.sid, "in-progress", account=settings.twilio_account_sid)
    helpline.clock = lambda: 10_000_000_000.0
    assert reaper.reap(helpline) == 0  # still in progress: check again later
    assert helpline.board.holder(staff) == call.sid
    fake_twilio.set_status(call.sid, "completed", account=settings.twilio_account_sid)
    helpline.clock = lambda: 20_000_000_000.0
    assert reaper.reap(helpline) == 1
    assert helpline.board.holder(staff) is None
    assert helpline.redis.zcard(keys.TALKING) == 0
    assert ("call.ended", None) in events(helpline, call.sid)


def test_the_reaper_survives_twilio_not_knowing_the_call(settings, fake_twilio, webhooks, helpline) -> None:
    staff = Team(helpline).add(1)
    call = InboundCall(webhooks)
    call.answered()
    helpline.clock = lambda: 10_000_000_000.0
    assert reaper.reap(helpline) == 0  # 404 from Twilio: logged, retried later
    assert helpline.board.holder(staff) == call.sid
    assert new_call_sid() != call.sid
