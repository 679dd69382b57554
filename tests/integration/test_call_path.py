"""The live inbound call path, through signed webhooks on a real Redis and a real database."""
from __future__ import annotations

import dataclasses

import pytest

from callcenter.core.records import Outcome
from callcenter.services import blocklist
from callcenter.services import staff as staff_service
from callcenter.store import keys
from callcenter.web.app import create_app

from ..conftest import build_helpline
from ..support import twiml
from ..support.calls import InboundCall, StaffLeg
from ..support.helpers import CALLER, OVERFLOW_NUMBER, Webhooks, callflow, make_settings
from .conftest import Team, call_row, events


@pytest.fixture
def settings(redis_url: str, any_database_url: str):  # type: ignore[no-untyped-def]
    """Every test here runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""
    return make_settings(redis_url, any_database_url)


def test_the_caller_hears_the_safety_line_first_then_the_language_menu(webhooks, helpline) -> None:
    call = InboundCall(webhooks)
    root = call.dial_in()
    said = twiml.spoken(root)
    assert said[0].startswith("If you or someone with you is in danger") and "9 8 8" in said[0]
    assert root.find("Gather") is not None
    row = call_row(helpline, call.sid)
    assert row.caller_hash == helpline.identifiers.lookup(CALLER)
    assert helpline.identifiers.reveal(row.caller_enc) == CALLER
    assert row.outcome == Outcome.IN_PROGRESS and row.line == "admissions"


def test_without_the_language_menu_the_welcome_leads_straight_to_routing(settings, fake_twilio) -> None:
    settings = dataclasses.replace(settings, callflow=callflow(language_menu=False))
    helpline = build_helpline(settings, fake_twilio)
    webhooks = Webhooks(create_app(settings, helpline=helpline).test_client(), settings)
    staff = Team(helpline).add(1, languages="en,es")
    call = InboundCall(webhooks)
    root = call.dial_in()
    said = twiml.spoken(root)
    assert said[0].startswith("If you or someone with you is in danger")
    assert twiml.verbs(root) == ["Say", "Say", "Redirect"] and root.find(".//Gather") is None
    call.follow_redirect()
    [leg] = call.legs()
    assert leg.contact == Team(helpline).phone(1)
    assert helpline.board.holder(staff) == call.sid
    assert helpline.flows.get(call.sid)["language"] == "en"


def test_an_answered_call_goes_to_a_free_speaker_of_the_language_and_is_recorded(webhooks, helpline,
                                                                                team: Team) -> None:
    english = team.add(1, languages="en")
    spanish = team.add(2, languages="en,es")
    call = InboundCall(webhooks)
    start, clock = helpline.clock(), helpline.clock
    helpline.clock = lambda: start
    call.dial_in()
    helpline.clock = lambda: start + 18      # the safety message and the language menu: not waiting for staff
    root = call.choose("2")
    assert "especialista" in twiml.spoken(root)[0]
    [leg] = call.legs()
    assert team.by_phone(leg.contact) == spanish
    screen = leg.pick_up()
    assert twiml.spoken(screen)[0] == "Helpline call, Spanish. Press 1 to accept."
    assert CALLER[-4:] not in "".join(screen.itertext()).replace(" ", "")  # nor read out digit by digit
    helpline.clock = lambda: start + 24
    accepted = leg.press("1")
    helpline.clock = clock
    assert twiml.spoken(accepted) == ["Connecting you now."] and accepted.find("Hangup") is None
    leg.status("in-progress")
    leg.status("completed", CallDuration="240")
    goodbye = call.dial_result("completed", duration=240, DialBridged="true")
    assert twiml.verbs(goodbye) == ["Say", "Hangup"]
    call.status("completed", CallDuration="270")

    assert helpline.board.holder(spanish) is None
    assert helpline.board.wrapup_token(spanish) is not None  # wrap-up before the next call
    row = call_row(helpline, call.sid)
    assert (row.outcome, row.staff_id, row.language, row.status) == (Outcome.ANSWERED, spanish, "es", "completed")
    assert row.wait_seconds == 6.0 and row.talk_seconds == 240   # offered at +18 s, accepted at +24 s
    kinds = [kind for kind, _ in events(helpline, call.sid)]
    for kind in ("call.received", "call.language", "call.offered", "call.accepted", "call.connected",
                 "call.ended", "staff.wrapup_started"):
        assert kind in kinds
    assert english not in [staff for kind, staff in events(helpline, call.sid) if kind == "call.offered"]


def first_of_two_ringing(webhooks, helpline, team: Team) -> tuple[int, int, InboundCall, StaffLeg]:  # type: ignore[no-untyped-def]
    """Two free staff; the call rings the one free longest: (first, second, call, first's leg)."""
    first, second = team.add(1), team.add(2)
    helpline.board.set_presence(second, "available", 2_000_000_000_000)  # idle for less time
    call = InboundCall(webhooks)
    call.to_routing()
    [leg] = call.legs()
    assert team.by_phone(leg.contact) == first
    return first, second, call, leg


def test_hunting_skips_a_staff_member_who_does_not_answer(webhooks, helpline, team: Team) -> None:
    first, second, call, leg = first_of_two_ringing(webhooks, helpline, team)
    leg.status("no-answer")
    call.dial_result("no-answer")
    [next_leg] = call.legs()
    assert team.by_phone(next_leg.contact) == second
    assert "still reaching" in twiml.spoken(call.last)[0]
    assert ("call.missed", first) in events(helpline, call.sid)


def test_a_voicemail_pickup_without_a_key_is_a_miss_and_the_hunt_goes_on(webhooks, helpline, team: Team) -> None:
    team.add(1)
    second = team.add(2)
    call = InboundCall(webhooks)
    call.to_routing()
    [leg] = call.legs()
    leg.pick_up()  # the voicemail greeting plays; nobody presses 1; the screening hangs up
    leg.status("completed", CallDuration="9")
    call.dial_result("completed", duration=0)
    [next_leg] = call.legs()
    assert team.by_phone(next_leg.contact) == second
    assert ("call.missed", team.by_phone(leg.contact)) in events(helpline, call.sid)


def test_a_wrong_key_declines_and_counts_as_a_miss(webhooks, helpline, team: Team) -> None:
    first = team.add(1)
    call = InboundCall(webhooks)
    call.to_routing()
    [leg] = call.legs()
    leg.pick_up()
    declined = leg.press("7")
    assert twiml.verbs(declined)[-1] == "Hangup"
    call.dial_result("completed")
    assert ("call.missed", first) in events(helpline, call.sid)


def test_k_misses_in_a_row_set_a_staff_member_away(webhooks, helpline, team: Team) -> None:
    assert helpline.callflow.routing.autopause_after_misses == 3
    careless = team.add(1)
    for _ in range(3):
        call = InboundCall(webhooks)
        call.to_routing()
        [leg] = call.legs()
        assert team.by_phone(leg.contact) == careless
        call.dial_result("no-answer")
        assert call.menu_offered()  # nobody else: hold, callback or voicemail
    [live] = helpline.board.live([careless])
    assert (live.presence, live.reason) == ("away", "missed calls")
    assert ("staff.autopaused", careless) in events(helpline)
    call = InboundCall(webhooks)
    call.to_routing()
    assert call.last.find("Dial") is None and call.menu_offered()


def test_accepting_a_call_or_saying_available_again_starts_the_count_of_misses_again(webhooks, helpline,
                                                                                   team: Team) -> None:
    staff = team.add(1)

    def miss() -> None:
        call = InboundCall(webhooks)
        call.to_routing()
        [leg] = call.legs()
        assert team.by_phone(leg.contact) == staff
        call.dial_result("no-answer")

    def misses() -> tuple[int, str]:
        [live] = helpline.board.live([staff])
        return live.misses, live.presence

    miss()
    miss()
    assert misses() == (2, "available")
    call = InboundCall(webhooks)
    call.to_routing()
    [leg] = call.legs()
    leg.pick_up()
    leg.press("1")
    assert misses() == (0, "available")
    leg.status("completed", CallDuration="60")
    call.dial_result("completed", duration=60, DialBridged="true")
    call.status("completed", CallDuration="80")
    assert staff_service.end_wrapup(helpline, staff, helpline.board.wrapup_token(staff) or "")
    miss()
    miss()
    assert misses() == (2, "available")  # two in a row since the accepted call: not away yet
    staff_service.set_presence(helpline, staff, "available")  # e.g. back at the desk and says so
    miss()
    assert misses() == (1, "available")
    miss()
    miss()
    assert misses() == (3, "away")


def test_a_staff_member_who_accepts_then_drops_before_the_bridge_does_not_end_the_callers_call(
        webhooks, helpline, team: Team) -> None:
    first, second, call, leg = first_of_two_ringing(webhooks, helpline, team)
    leg.pick_up()
    leg.press("1")  # accepted ... and then their phone dropped before the caller was connected
    leg.status("completed", CallDuration="4")
    root = call.dial_result("completed", duration=0, DialBridged="false")
    assert root.find("Hangup") is None
    [next_leg] = call.legs()
    assert team.by_phone(next_leg.contact) == second
    assert helpline.board.winner(call.sid) is None and helpline.board.holder(first) is None
    assert helpline.board.live([first])[0].misses == 0
    assert "call.connected" not in [kind for kind, _ in events(helpline, call.sid)]
    next_leg.pick_up()
    next_leg.press("1")
    assert helpline.board.winner(call.sid) == second
    done = call.dial_result("completed", duration=120, DialBridged="true")
    assert twiml.verbs(done) == ["Say", "Hangup"]
    assert ("call.connected", second) in events(helpline, call.sid)
    call.status("completed", CallDuration="150")
    row = call_row(helpline, call.sid)
    assert (row.outcome, row.staff_id) == (Outcome.ANSWERED, second)  # who really talked with the caller
    assert ("call.not_connected", first) in events(helpline, call.sid)


def test_a_caller_who_hangs_up_as_the_staff_member_presses_1_is_not_counted_as_answered(
        webhooks, helpline, team: Team) -> None:
    staff = team.add(1)
    call = InboundCall(webhooks)
    call.answered()
    call.status("completed", CallDuration="30")  # the caller hung up before they were put through
    assert twiml.verbs(call.dial_result("completed", duration=0, DialBridged="false")) == ["Hangup"]
    row = call_row(helpline, call.sid)
    assert (row.outcome, row.staff_id) == (Outcome.ABANDONED, None)
    assert helpline.board.holder(staff) is None and helpline.board.live([staff])[0].misses == 0


def test_a_call_whose_only_acceptance_never_reached_the_caller_is_not_counted_as_answered(
        webhooks, helpline, team: Team) -> None:
    only = team.add(1)
    call = InboundCall(webhooks)
    leg = call.answered()
    leg.status("completed", CallDuration="3")
    after = call.dial_result("completed", duration=0, DialBridged="false")
    assert call.menu_offered() and after.find("Hangup") is None  # nobody else: hold, callback or voicemail
    call.status("completed", CallDuration="60")
    row = call_row(helpline, call.sid)
    assert row.staff_id is None and row.outcome == Outcome.ABANDONED and row.withdrawn_at is not None
    assert helpline.board.holder(only) is None


def test_the_hunt_budget_ends_in_voicemail_that_is_recorded(webhooks, helpline, team: Team) -> None:
    for n in range(1, 7):
        team.add(n)
    call = InboundCall(webhooks)
    call.to_routing()
    offered = []
    while call.last.find("Dial") is not None:
        [leg] = call.legs()
        offered.append(leg.contact)
        call.dial_result("no-answer")
    assert len(offered) == helpline.callflow.routing.hunt_max_attempts == 4
    assert len(set(offered)) == 4
    assert call.menu_offered()
    record = call.choose("3").find("Record")
    assert record is not None and record.get("maxLength") == "120"
    thanks = call.post(record.get("action"), RecordingSid="RE" + "5" * 32, RecordingDuration="14",
                       RecordingUrl="https://api.twilio.com/x")
    assert "received your message" in twiml.spoken(thanks)[0]
    call.status("completed")
    row = call_row(helpline, call.sid)
    assert row.outcome == Outcome.VOICEMAIL and row.voicemail


def test_when_nobody_is_free_the_caller_is_never_left_in_silence(webhooks, helpline) -> None:
    call = InboundCall(webhooks)
    call.to_routing()
    assert call.menu_offered()
    root = call.choose("3")
    assert root.find("Record") is not None and twiml.verbs(root)[-1] == "Hangup"
    empty = call.post(root.find("Record").get("action"), RecordingDuration="0")
    assert "did not hear a message" in twiml.spoken(empty)[0]


def test_overflow_mode_forwards_to_the_overflow_line_then_voicemail(webhooks, helpline, app) -> None:
    import dataclasses

    helpline.settings = dataclasses.replace(
        helpline.settings, callflow=dataclasses.replace(helpline.callflow, no_one_free="overflow"))
    call = InboundCall(webhooks)
    root = call.to_routing()
    assert root.find("Dial").text == OVERFLOW_NUMBER
    assert root.find("Dial").get("callerId") == "+12025550100"
    after = call.dial_result("no-answer")
    assert after.find("Record") is not None
    assert call_row(helpline, call.sid).overflowed


def test_a_blocked_caller_hears_the_safety_line_and_a_polite_goodbye(webhooks, helpline, team: Team) -> None:
    team.add(1)
    blocklist.block(helpline, CALLER, reason="abusive")
    call = InboundCall(webhooks)
    root = call.dial_in()
    assert "9 1 1" in twiml.spoken(root)[0]
    assert twiml.verbs(root) == ["Say", "Say", "Hangup"]
    assert call_row(helpline, call.sid).outcome == Outcome.BLOCKED
    other = InboundCall(webhooks, caller="+12025550124")
    assert other.dial_in().find("Gather") is not None


def test_a_withheld_caller_id_is_routed_like_any_call(webhooks, helpline, team: Team) -> None:
    team.add(1)
    call = InboundCall(webhooks, caller="anonymous")
    call.to_routing()
    assert len(call.legs()) == 1
    row = call_row(helpline, call.sid)
    assert row.caller_hash is None and row.caller_enc is None


def test_a_caller_who_hangs_up_while_staff_ring_frees_them_without_a_miss(webhooks, helpline, team: Team) -> None:
    staff = team.add(1)
    call = InboundCall(webhooks)
    call.to_routing()
    [leg] = call.legs()
    call.status("completed", CallDuration="12")
    assert helpline.board.holder(staff) is None
    leg.status("canceled")
    assert twiml.verbs(call.dial_result("canceled")) == ["Hangup"]
    assert helpline.board.live([staff])[0].misses == 0
    assert call_row(helpline, call.sid).outcome == Outcome.ABANDONED


def test_staff_who_go_away_while_ringing_are_not_offered_the_next_call(webhooks, helpline, team: Team) -> None:
    leaving, staying = team.add(1), team.add(2)
    call = InboundCall(webhooks)
    call.to_routing()
    [leg] = call.legs()
    assert team.by_phone(leg.contact) == leaving
    helpline.board.set_presence(leaving, "away", helpline.now_ms(), "break")
    call.dial_result("no-answer")
    assert team.by_phone(call.legs()[0].contact) == staying
    second = InboundCall(webhooks)
    second.to_routing()
    assert second.last.find("Dial") is None  # the one left is busy, the other away


def test_the_first_of_two_calls_keeps_its_staff_member(webhooks, helpline, team: Team) -> None:
    staff = team.add(1)
    first, second = InboundCall(webhooks), InboundCall(webhooks)
    first.to_routing()
    second.to_routing()
    assert first.last.find("Dial") is not None and second.last.find("Dial") is None
    assert helpline.board.holder(staff) == first.sid


@pytest.mark.parametrize("strategy_attempts", [1])
def test_unknown_call_state_is_rebuilt_and_the_caller_still_routed(webhooks, helpline, team: Team,
                                                                   strategy_attempts: int) -> None:
    team.add(1)
    call = InboundCall(webhooks)
    call.to_routing()
    helpline.redis.delete(keys.call(call.sid))  # e.g. Redis lost it
    root = call.post("/voice/route?s=99")
    assert root.find("Dial") is not None or call.menu_offered()
