"""End-to-end scenarios: the emulator plays Twilio and every phone; the real service answers over
HTTP, a real worker process runs the jobs, Redis and the database are real. Each scenario checks
the records the supervisors will read, not only what was said."""
from __future__ import annotations

import time

import pytest

from callcenter.services import blocklist
from callcenter.services import staff as staff_service

from ..support.helpers import OVERFLOW_NUMBER
from .stack import Stack

pytestmark = pytest.mark.slow
SAFETY = "If you or someone with you is in danger"
CALLER = "+12025550123"


def heard(call) -> list[str]:  # type: ignore[no-untyped-def]
    return call.heard()


def test_a_call_is_answered_by_the_first_free_staff_member(stack: Stack) -> None:
    stack.start()
    first = stack.staff(1, keys=["1"], talk=10)
    second = stack.staff(2, keys=["1"], talk=10)
    stack.h.board.set_presence(second, "available", stack.h.now_ms() + 10_000)  # idle for less time
    call = stack.sim.dial(CALLER, keys=["1"]).wait(40)
    assert heard(call)[0].startswith(SAFETY)
    row = stack.ended(call.sid)
    assert (row.outcome, row.staff_id, row.language) == ("answered", first, "en")
    assert ("call.offered", second) not in stack.events(call.sid)
    assert "Helpline call, English. Press 1 to accept." in stack.sim.phone("+12025550111").transcript.heard()


def test_hunting_goes_past_a_staff_member_who_ignores_it_and_one_whose_voicemail_answers(stack: Stack) -> None:
    stack.start()
    ignores = stack.staff(1, answer_after=None)
    voicemail = stack.staff(2, voicemail=True, answer_after=3)
    answers = stack.staff(3, keys=["1"], talk=5)
    for n, staff in enumerate((ignores, voicemail, answers)):
        stack.h.board.set_presence(staff, "available", 1_000 + n)  # the order they are offered in
    call = stack.sim.dial(CALLER, keys=["1"]).wait(90)
    row = stack.ended(call.sid)
    assert (row.outcome, row.staff_id) == ("answered", answers)
    events = stack.events(call.sid)
    assert ("call.missed", ignores) in events and ("call.missed", voicemail) in events
    assert [e for e in events if e[0] == "call.accepted"] == [("call.accepted", answers)]


def test_ring_all_is_won_by_the_first_to_press_1_and_a_later_one_is_told_it_was_taken(stack: Stack) -> None:
    stack.start(routing={"strategy": "ring_all"})
    silent = stack.staff(1, answer_after=1, keys=[""])  # picks up first, never presses 1
    winner = stack.staff(2, answer_after=3, keys=["1"], key_delay=0.5, talk=6)
    late = stack.staff(3, answer_after=3.2, keys=["1"], key_delay=40)  # still listening when it is taken
    call = stack.sim.dial(CALLER, keys=["1"]).wait(60)
    row = stack.ended(call.sid)
    assert (row.outcome, row.staff_id) == ("answered", winner)
    late_heard = stack.sim.phone("+12025550113").transcript.heard()
    assert "A colleague has already taken this call. Thank you." in late_heard
    assert [s for kind, s in stack.events(call.sid) if kind == "call.accepted"] == [winner]
    assert silent != winner and late != winner


def test_a_held_caller_hears_their_place_and_is_connected_when_someone_frees_up(stack: Stack) -> None:
    stack.start()
    staff = stack.staff(1, keys=["1", "1"], talk=200)
    first = stack.sim.dial(CALLER, keys=["1"], talk=200)  # a long first conversation
    stack.wait_for(lambda: stack.h.board.winner(first.sid) == staff, 20, "the first call answered")
    second = stack.sim.dial("+12025550124", keys=["1", "1"])  # English, then 1: stay on the line
    second.wait(120)
    said = heard(second)
    assert any(s.startswith("All of our specialists are helping") for s in said)
    assert "You are number 1 in line." in said
    row = stack.ended(second.sid)
    assert (row.outcome, row.staff_id) == ("answered", staff) and row.held_seconds is not None
    assert "call.hold_left" in stack.kinds(second.sid)


def test_a_callback_request_is_placed_by_a_worker_staff_first_and_the_caller_is_reached(stack: Stack) -> None:
    stack.start()
    staff = stack.staff(1, keys=["1"], talk=8, available=False)
    # English; callback; confirm the number; no voicemail; do not say the name; any hour.
    stack.sim.add_phone(CALLER, role="caller", keys=["1", "2", "1", "2", "2", "3"], answer_after=2, talk=8)
    call = stack.sim.dial(CALLER).wait(60)
    assert heard(call)[-1].startswith("Thank you. We will call you back")
    assert stack.ended(call.sid).outcome == "callback"
    [request] = stack.requests()
    assert (request.status, request.consent_any_time) == ("pending", True)
    staff_service.set_presence(stack.h, staff, "available")
    done = stack.wait_for(lambda: [r for r in stack.requests() if r.status == "completed"], 60, "the callback")
    assert done[0].last_outcome == "reached" and done[0].attempts == 0
    caller_heard = stack.sim.phone(CALLER).transcript.heard()
    assert "Hello, this is the return call you asked for. One moment, please." in caller_heard
    assert not any(text.startswith("Hello, this is Riverside") for text in caller_heard)  # no consent to the name
    staff_heard = stack.sim.phone("+12025550111").transcript.heard()
    assert any(text.startswith("Callback in English for a caller who asked at") for text in staff_heard)


def _ask_for_callback(stack: Stack, answer_after: float | None) -> None:
    stack.sim.add_phone(CALLER, role="caller", keys=["1", "2", "1", "2", "2", "3"], answer_after=answer_after,
                        talk=5)
    stack.sim.dial(CALLER).wait(60)


def test_a_callback_that_is_not_answered_is_retried_and_then_completed(stack: Stack) -> None:
    stack.start()
    stack.staff(1, keys=["1"], talk=5, available=False)
    _ask_for_callback(stack, answer_after=None)  # the first callback rings out
    staff_id = stack.staff(2, keys=["1"], talk=5)
    stack.wait_for(lambda: any(r.attempts == 1 for r in stack.requests()), 60, "a first, unanswered attempt")
    stack.sim.add_phone(CALLER, role="caller", answer_after=2, talk=5)  # now they pick up
    done = stack.wait_for(lambda: [r for r in stack.requests() if r.status == "completed"], 60, "the retry")
    assert (done[0].attempts, done[0].last_outcome) == (1, "reached")
    assert staff_id


def test_a_callback_nobody_answers_is_exhausted_after_the_policys_attempts(stack: Stack) -> None:
    stack.start()
    stack.staff(1, keys=["1"] * 5, talk=5, available=False)
    _ask_for_callback(stack, answer_after=None)
    staff_service.set_presence(stack.h, 1, "available")
    done = stack.wait_for(lambda: [r for r in stack.requests() if r.status == "exhausted"], 90, "exhaustion")
    assert (done[0].attempts, done[0].closed_reason) == (3, "not reached in 3 attempts")


def test_a_caller_who_hangs_up_while_holding_is_recorded_as_abandoned_with_their_wait(stack: Stack) -> None:
    stack.start()
    call = stack.sim.dial(CALLER, keys=["1", "1"], hold_patience=30).wait(60)
    assert "You are number 1 in line." in heard(call)
    row = stack.ended(call.sid)
    assert row.outcome == "abandoned" and row.held_seconds is not None and row.held_seconds >= 1
    assert stack.h.redis.zcard("{cc}:hold") == 0


def test_a_voicemail_is_recorded_and_becomes_a_callback_request(stack: Stack) -> None:
    stack.start()
    call = stack.sim.dial(CALLER, keys=["1", "3"], speak=6, after_message="key:#").wait(60)
    assert any("received your message" in text for text in heard(call))
    row = stack.ended(call.sid)
    assert row.outcome == "voicemail"
    [request] = stack.requests()
    assert request.source == "voicemail" and request.recording_sid.startswith("RE")


def test_a_blocked_caller_hears_the_safety_line_and_is_politely_refused(stack: Stack) -> None:
    stack.start()
    stack.staff(1, keys=["1"])
    blocklist.block(stack.h, CALLER, reason="abusive calls")
    call = stack.sim.dial(CALLER).wait(30)
    said = heard(call)
    assert said[0].startswith(SAFETY) and "not able to take your call" in said[1]
    assert stack.ended(call.sid).outcome == "blocked"
    assert stack.sim.phone("+12025550111").transcript.heard() == []


def test_a_caller_with_a_withheld_number_keys_one_in_for_the_callback(stack: Stack) -> None:
    stack.start()
    call = stack.sim.dial("anonymous", keys=["1", "2", "2025550177#", "1", "1", "2", "1"]).wait(60)
    said = heard(call)
    assert any("enter the number we should call" in text for text in said)
    assert said[-1].startswith("Thank you. We will call you back")
    [request] = stack.requests()
    assert stack.h.identifiers.reveal(request.number_enc) == "+12025550177"
    assert (request.consent_voicemail, request.consent_name) == (True, False)


def test_a_webhook_slower_than_twilio_waits_sends_the_caller_to_the_fallback(stack: Stack) -> None:
    stack.start(sim_options={"webhook_timeout": 1.0})
    stack.sim.add_phone(OVERFLOW_NUMBER, answer_after=2, talk=5)
    stack.door.slow_paths, stack.door.delay = {"/voice/incoming"}, 1.5
    call = stack.sim.dial(CALLER).wait(60)
    assert heard(call)[0].startswith(SAFETY)
    assert "We are having trouble connecting your call. Please stay on the line." in heard(call)
    assert stack.sim.phone(OVERFLOW_NUMBER).transcript.did()  # the overflow line rang and answered


def test_with_redis_down_the_caller_hears_the_safety_line_and_reaches_the_overflow(stack: Stack) -> None:
    stack.start()
    stack.sim.add_phone(OVERFLOW_NUMBER, answer_after=2, talk=5)
    stack.redis.stop(kill=True)
    call = stack.sim.dial(CALLER, keys=["1"]).wait(60)
    said = heard(call)
    assert said[0].startswith(SAFETY) and "having trouble connecting" in said[1]
    assert "answered" in " ".join(stack.sim.phone(OVERFLOW_NUMBER).transcript.did())


def test_duplicated_and_reordered_status_callbacks_leave_the_same_records(stack: Stack) -> None:
    stack.start(sim_options={"callback_jitter": 3.0, "duplicate_callbacks": 0.6})
    staff = stack.staff(1, keys=["1"], talk=8)
    call = stack.sim.dial(CALLER, keys=["1"]).wait(60)
    row = stack.ended(call.sid)
    assert (row.outcome, row.staff_id, row.status) == ("answered", staff, "completed")
    kinds = stack.kinds(call.sid)
    assert kinds.count("call.accepted") == 1 and kinds.count("call.ended") == 1
    stack.wait_for(lambda: stack.h.board.live([staff])[0].busy_with is None, 20, "the staff member freed")
    assert stack.h.board.live([staff])[0].presence == "available"


def test_a_staff_member_who_goes_away_while_ringing_is_not_offered_the_next_call(stack: Stack) -> None:
    stack.start()
    leaving = stack.staff(1, answer_after=None)
    staying = stack.staff(2, keys=["1", "1"], talk=3)
    stack.h.board.set_presence(staying, "available", stack.h.now_ms() + 10_000)
    call = stack.sim.dial(CALLER, keys=["1"])
    stack.wait_for(lambda: stack.h.board.holder(leaving) == call.sid, 20, "the first phone ringing")
    staff_service.set_presence(stack.h, leaving, "away", "stepped out")
    call.wait(60)
    assert stack.ended(call.sid).staff_id == staying
    second = stack.sim.dial("+12025550124", keys=["1"]).wait(60)
    assert ("call.offered", leaving) not in stack.events(second.sid)
    assert time.monotonic() > 0
