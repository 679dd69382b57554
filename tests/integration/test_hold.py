"""The "no one free" menu and the hold queue: order kept in Redis, honest announcements, dispatch."""
from __future__ import annotations

import dataclasses

from callcenter.core.records import Outcome
from callcenter.services import staff as staff_service
from callcenter.store import keys

from ..support import twiml
from ..support.calls import InboundCall
from ..support.helpers import PUBLIC_BASE_URL, run_jobs
from .conftest import Team, call_row, events


def holding(webhooks, fake_twilio, settings) -> InboundCall:  # type: ignore[no-untyped-def]
    """A caller who found nobody free and pressed 1 to stay on the line."""
    call = InboundCall(webhooks)
    call.to_routing()
    assert call.menu_offered()
    root = call.choose("1")
    assert root.find("Enqueue") is not None
    fake_twilio.set_status(call.sid, "in-progress", account=settings.twilio_account_sid)
    return call


def test_the_menu_offers_hold_callback_and_voicemail_and_defaults_to_hold(webhooks) -> None:
    call = InboundCall(webhooks)
    call.to_routing()
    first, options = twiml.spoken(call.last)[:2]
    assert first == "No specialist can answer the phone right now."  # nobody on duty: no "helping other callers"
    assert "press 1" in options and "press 2" in options and "press 3" in options
    assert call.choose("9").find("Gather") is not None  # not a choice: the menu again
    assert call.choose("").find("Enqueue") is not None  # nothing pressed: hold (the configured default)


def test_holding_callers_hear_their_place_in_line_in_arrival_order(webhooks, fake_twilio, settings, helpline) -> None:
    callers = [holding(webhooks, fake_twilio, settings) for _ in range(3)]
    for place, call in enumerate(callers, start=1):
        wait_url = call.last.find("Enqueue").get("waitUrl")
        loop = call.wait(wait_url, QueuePosition=str(4 - place), QueueTime="5")  # Twilio's own order ignored
        said = twiml.spoken(loop)
        assert said[0] == f"You are number {place} in line."
        assert said[1] == "A specialist will be with you as soon as possible."  # no recent answers: no guess
        assert "press 2" in said[2] and loop.find("Gather/Play").text == helpline.callflow.hold.music_url


def test_the_expected_wait_is_computed_from_recent_answer_times(webhooks, fake_twilio, settings, helpline) -> None:
    now = helpline.clock()
    helpline.redis.zadd(keys.HOLD_ANSWERED, {f"CA{i:032x}": now - 600 + 120 * i for i in range(5)})  # 1 per 2 min
    callers = [holding(webhooks, fake_twilio, settings) for _ in range(2)]
    loop = callers[1].wait(callers[1].last.find("Enqueue").get("waitUrl"), QueueTime="1")
    assert twiml.spoken(loop)[1] == "The expected wait is about 4 minutes."


def test_a_free_staff_member_gets_the_longest_waiting_caller_through_a_rest_redirect(
        webhooks, fake_twilio, settings, helpline, rq_redis) -> None:
    first, second = holding(webhooks, fake_twilio, settings), holding(webhooks, fake_twilio, settings)
    staff = Team(helpline).add(1)  # becomes available: a dispatch is requested
    assert "dispatch" in run_jobs(helpline, rq_redis)
    redirects = [r for r in fake_twilio.requests if r["form"].get("Url")]
    assert len(redirects) == 1 and first.sid in redirects[0]["path"]
    assert redirects[0]["form"]["Url"].startswith(PUBLIC_BASE_URL + "/voice/route?s=")
    assert helpline.board.holder(staff) == first.sid  # reserved before the redirect
    # Twilio follows the redirect: the routing step rings the reserved staff member.
    routed = first.post(redirects[0]["form"]["Url"].removeprefix(PUBLIC_BASE_URL))
    [leg] = first.legs()
    assert leg.contact == "+12025550111"
    # ... and if the Enqueue action reports "redirected", it gets the same answer: no second ring.
    again = webhooks.post(first.hold_action, first.params(QueueResult="redirected", QueueTime="30"))
    assert again.get_data(as_text=True) == webhooks.post(
        redirects[0]["form"]["Url"].removeprefix(PUBLIC_BASE_URL), first.params()).get_data(as_text=True)
    assert routed.find("Dial") is not None
    assert [kind for kind, _ in events(helpline, first.sid)].count("call.offered") == 1
    assert helpline.redis.zrange(keys.HOLD, 0, -1) == [second.sid]
    wait = second.wait("/voice/hold/wait", QueueTime="40")
    assert twiml.spoken(wait)[0] == "You are number 1 in line."


def test_a_dispatched_caller_whose_staff_member_misses_goes_back_to_their_place(
        webhooks, fake_twilio, settings, helpline, rq_redis) -> None:
    first = holding(webhooks, fake_twilio, settings)
    second = holding(webhooks, fake_twilio, settings)
    Team(helpline).add(1)
    run_jobs(helpline, rq_redis)
    url = [r for r in fake_twilio.requests if r["form"].get("Url")][0]["form"]["Url"]
    first.post(url.removeprefix(PUBLIC_BASE_URL))
    back = first.dial_result("no-answer")
    assert back.find("Enqueue") is not None  # straight back into the queue, no menu
    assert helpline.redis.zrange(keys.HOLD, 0, -1) == [first.sid, second.sid]  # ahead of the later caller


def test_a_caller_who_hangs_up_while_holding_is_recorded_as_abandoned_with_the_wait(
        webhooks, fake_twilio, settings, helpline) -> None:
    call = holding(webhooks, fake_twilio, settings)
    action = call.last.find("Enqueue").get("action")
    helpline.flows.update(call.sid, hold_since=helpline.clock() - 95)
    assert twiml.verbs(call.post(action, QueueResult="hangup", QueueTime="95")) == ["Hangup"]
    call.status("completed")
    row = call_row(helpline, call.sid)
    assert row.outcome == Outcome.ABANDONED and 94 <= row.held_seconds <= 97
    assert helpline.redis.zcard(keys.HOLD) == 0


def test_pressing_2_while_holding_leaves_the_queue_for_a_callback(webhooks, fake_twilio, settings) -> None:
    call = holding(webhooks, fake_twilio, settings)
    loop = call.wait(call.last.find("Enqueue").get("waitUrl"), QueueTime="10")
    key = webhooks.post(loop.find("Gather").get("action"), call.params(Digits="2"))
    assert twiml.verbs(twiml.parse(key.get_data())) == ["Leave"]
    after = call.post(call.hold_action, QueueResult="leave", QueueTime="12")
    assert "We will call you back at" in twiml.spoken(after)[0]  # the callback request begins


def test_after_the_hold_budget_the_caller_is_offered_a_callback(webhooks, fake_twilio, settings, helpline) -> None:
    call = holding(webhooks, fake_twilio, settings)
    helpline.flows.update(call.sid, hold_since=helpline.clock() - helpline.callflow.hold.max_seconds - 1)
    loop = call.wait(call.last.find("Enqueue").get("waitUrl"), QueueTime="901")
    assert twiml.verbs(loop) == ["Say", "Leave"]
    after = call.post(call.hold_action, QueueResult="leave", QueueTime="901")
    assert after.find("Gather") is not None and "call you back" in " ".join(twiml.spoken(after))


def test_after_the_hold_budget_voicemail_when_configured(webhooks, fake_twilio, settings, helpline) -> None:
    helpline.settings = dataclasses.replace(helpline.settings, callflow=dataclasses.replace(
        helpline.callflow, hold=dataclasses.replace(helpline.callflow.hold, when_too_long="voicemail")))
    call = holding(webhooks, fake_twilio, settings)
    helpline.flows.update(call.sid, hold_since=helpline.clock() - 10_000)
    call.wait(call.last.find("Enqueue").get("waitUrl"), QueueTime="901")
    assert call.post(call.hold_action, QueueResult="leave").find("Record") is not None


def test_staff_going_available_is_what_triggers_the_dispatch(webhooks, fake_twilio, settings, helpline,
                                                             rq_redis) -> None:
    call = holding(webhooks, fake_twilio, settings)
    staff = Team(helpline).add(1, available=False)
    run_jobs(helpline, rq_redis)
    assert not [r for r in fake_twilio.requests if r["form"].get("Url")]
    staff_service.set_presence(helpline, staff, "available")
    assert "dispatch" in run_jobs(helpline, rq_redis)
    assert helpline.board.holder(staff) == call.sid
    assert ("call.hold_left", None) in events(helpline, call.sid)


def test_when_staff_are_on_duty_but_busy_the_menu_says_so(webhooks, helpline) -> None:
    staff = Team(helpline).add(1)
    InboundCall(webhooks).answered()
    assert helpline.board.holder(staff)
    call = InboundCall(webhooks)
    call.to_routing()
    assert twiml.spoken(call.last)[0] == "All of our specialists are helping other callers."


def test_a_hand_over_that_fails_in_any_way_keeps_the_callers_place(webhooks, fake_twilio, settings, helpline,
                                                                  rq_redis, monkeypatch) -> None:
    first = holding(webhooks, fake_twilio, settings)
    holding(webhooks, fake_twilio, settings)
    line = helpline.redis.zrange(keys.HOLD, 0, -1, withscores=True)
    # No public URL to give Twilio: the redirect cannot even be asked for (not a Twilio error).
    monkeypatch.setattr(helpline, "settings", dataclasses.replace(helpline.settings, public_base_url=None))
    staff = Team(helpline).add(1)
    run_jobs(helpline, rq_redis)
    assert helpline.redis.zrange(keys.HOLD, 0, -1, withscores=True) == line  # both in line, same places
    assert helpline.board.holder(staff) is None  # and the staff member is free again
    monkeypatch.undo()  # (the signature check needs the public URL back)
    assert twiml.spoken(first.wait("/voice/hold/wait", QueueTime="40"))[0] == "You are number 1 in line."


def test_a_held_caller_missing_from_the_line_rejoins_it_instead_of_waiting_in_silence(
        webhooks, fake_twilio, settings, helpline) -> None:
    first, second = holding(webhooks, fake_twilio, settings), holding(webhooks, fake_twilio, settings)
    helpline.redis.delete(keys.HOLD)  # e.g. a Redis that lost the line
    assert twiml.spoken(second.wait("/voice/hold/wait", QueueTime="40"))[0] == "You are number 1 in line."
    assert twiml.spoken(first.wait("/voice/hold/wait", QueueTime="41"))[0] == "You are number 1 in line."
    assert helpline.redis.zrange(keys.HOLD, 0, -1) == [first.sid, second.sid]  # the places their arrival gives
    # A hand-over in flight is waited for, briefly: the redirect is on its way.
    helpline.redis.zrem(keys.HOLD, first.sid)
    helpline.flows.update(first.sid, dispatched=1, dispatched_at=helpline.clock())
    assert twiml.verbs(first.wait("/voice/hold/wait", QueueTime="43")) == ["Pause"]
    helpline.flows.update(first.sid, dispatched_at=helpline.clock() - 60)  # ... and it never came
    assert twiml.verbs(first.wait("/voice/hold/wait", QueueTime="103")) != ["Pause"]
    assert helpline.redis.zrange(keys.HOLD, 0, -1) == [first.sid, second.sid]
    second.status("completed", CallDuration="110")  # hangs up; a loop already on its way arrives late
    assert twiml.verbs(second.wait("/voice/hold/wait", QueueTime="104"))[-1] == "Leave"
    assert helpline.redis.zrange(keys.HOLD, 0, -1) == [first.sid]  # not back in line
