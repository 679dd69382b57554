"""Callback requests and the workers that call people back (real Redis, real database, RQ jobs)."""
from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from callcenter.core.records import Outcome
from callcenter.services import callbacks, dispatch
from callcenter.store.models import CallbackAttempt, CallbackRequest
from callcenter.web.app import create_app

from ..conftest import build_helpline
from ..support import twiml
from ..support.calls import InboundCall
from ..support.helpers import CALLER, PUBLIC_BASE_URL, Webhooks, make_settings, run_jobs, staff_leg_params
from .conftest import Team, call_row, record


@pytest.fixture
def settings(redis_url: str, any_database_url: str):  # type: ignore[no-untyped-def]
    """Every test here runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set."""
    return make_settings(redis_url, any_database_url)

NEW_YORK = ZoneInfo("America/New_York")


def clock_at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=NEW_YORK).timestamp()


class Clock:
    """The helpline's clock, set by the test (Redis TTLs still run on real time)."""

    def __init__(self, text: str) -> None:
        self.now = clock_at(text)

    def __call__(self) -> float:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta).total_seconds()


@pytest.fixture
def clock() -> Clock:
    return Clock("2026-06-10 11:00")  # a Wednesday morning in New York: inside the calling window


@pytest.fixture
def h(settings, fake_twilio, clock):  # type: ignore[no-untyped-def]
    helpline = build_helpline(settings, fake_twilio, clock=clock)
    yield helpline
    helpline.database.dispose()


@pytest.fixture
def hooks(settings, h) -> Webhooks:  # type: ignore[no-untyped-def]
    return Webhooks(create_app(settings, helpline=h).test_client(), settings)


def requests_of(h) -> list[CallbackRequest]:  # type: ignore[no-untyped-def]
    with h.database.session() as session:
        rows = list(session.scalars(select(CallbackRequest).order_by(CallbackRequest.id)))
        for row in rows:
            session.expunge(row)
        return rows


def ask_for_callback(hooks: Webhooks, caller: str = CALLER, *, voicemail: str = "1", name: str = "2",
                     window: str = "1") -> InboundCall:
    """Dial in, nobody free, press 2, accept the caller ID, answer the consent questions."""
    call = InboundCall(hooks, caller=caller)
    call.to_routing()
    confirm = call.choose("2")
    assert twiml.spoken(confirm)[0] == "We will call you back at"
    call.choose("1")
    call.choose(voicemail)
    call.choose(name)
    saved = call.choose(window)
    assert twiml.verbs(saved) == ["Say", "Hangup"]
    return call


def test_a_callback_by_caller_id_reads_the_number_back_with_recorded_digits_never_say(hooks, h) -> None:
    call = InboundCall(hooks)
    call.to_routing()
    confirm = call.choose("2")
    plays = [p.text for p in confirm.iter("Play")]
    assert plays == [f"/static/digits/en/{d}.wav" for d in "2025550123"]
    spoken = " ".join(twiml.spoken(confirm))
    assert not any(group in spoken.replace(" ", "") for group in ("202", "555", "0123"))  # no number through TTS
    assert hooks.client.get(plays[0]).status_code == 200  # Twilio can fetch the recordings
    assert "leave a short message" in twiml.spoken(call.choose("1"))[0]


def test_the_request_is_in_the_database_before_the_caller_hears_we_will_call(hooks, h) -> None:
    call = ask_for_callback(hooks, voicemail="1", name="2", window="2")
    assert "this evening" in twiml.spoken(call.last)[0]
    [request] = requests_of(h)
    assert (request.status, request.source, request.preferred) == ("pending", "phone", "evening")
    assert (request.consent_voicemail, request.consent_name, request.consent_any_time) == (True, False, False)
    assert h.identifiers.reveal(request.number_enc) == CALLER and request.time_zones == "America/New_York"
    due = request.next_attempt_at.replace(tzinfo=UTC).astimezone(NEW_YORK)
    assert due.hour == 17  # "this evening"
    assert call_row(h, call.sid).outcome == Outcome.CALLBACK


def test_this_evening_asked_after_the_evening_is_over_is_promised_for_tomorrow_evening(hooks, h, clock) -> None:
    clock.now = clock_at("2026-06-10 22:30")
    call = ask_for_callback(hooks, window="2")
    assert "tomorrow evening" in twiml.spoken(call.last)[0]
    [request] = requests_of(h)
    due = request.next_attempt_at.replace(tzinfo=UTC).astimezone(NEW_YORK)
    assert (due.day, due.hour) == (11, 17)
    clock.now = clock_at("2026-06-10 15:00")
    same_day = ask_for_callback(hooks, caller="+12025550124", window="2")
    assert "this evening" in twiml.spoken(same_day.last)[0]


def test_a_keyed_in_number_is_validated_and_a_bad_one_asked_again_twice_then_voicemail(hooks, h) -> None:
    call = InboundCall(hooks, caller="anonymous")
    call.to_routing()
    enter = call.choose("2")  # withheld caller ID: straight to keying in
    assert "enter the number" in twiml.spoken(enter)[0]
    assert enter.find("Gather").get("finishOnKey") == "#"
    again = call.choose("911")
    assert twiml.spoken(again)[0] == "Sorry, we cannot call that number back."
    confirm = call.choose("2025550177")
    assert [p.text[-5] for p in confirm.iter("Play")] == list("2025550177")
    for answer in ("1", "2", "2", "1"):
        call.choose(answer)
    [request] = requests_of(h)
    assert h.identifiers.reveal(request.number_enc) == "+12025550177"
    withheld = InboundCall(hooks, caller="anonymous")
    withheld.to_routing()
    withheld.choose("2")
    withheld.choose("19005550123")  # premium rate
    assert withheld.choose("12").find("Record") is not None  # twice wrong: offered voicemail


def test_a_second_request_for_the_same_number_merges_and_keeps_the_earlier_place(hooks, h, clock) -> None:
    first = ask_for_callback(hooks, voicemail="2")
    clock.advance(minutes=20)
    ask_for_callback(hooks, voicemail="1")
    merged, kept = sorted(requests_of(h), key=lambda r: r.status)
    assert (kept.status, merged.status, merged.merged_into_id) == ("pending", "merged", kept.id)
    assert kept.original_call_at.replace(tzinfo=UTC).timestamp() == pytest.approx(
        float(h.flows.get(first.sid)["received_at"]), abs=1)
    assert kept.consent_voicemail is True  # the latest wishes


def test_a_later_request_for_this_evening_is_called_this_evening_and_a_voicemail_keeps_that_wish(
        hooks, h, clock) -> None:
    ask_for_callback(hooks, window="1")  # as soon as possible ...
    clock.advance(minutes=5)
    ask_for_callback(hooks, window="2")  # ... no: this evening (they cannot talk now)
    [kept] = [r for r in requests_of(h) if r.status == "pending"]
    due = kept.next_attempt_at.replace(tzinfo=UTC).astimezone(NEW_YORK)
    assert (kept.preferred, due.hour, due.minute) == ("evening", 17, 0)
    call = InboundCall(hooks)  # then they call again and leave a message
    call.to_routing()
    record_verb = call.choose("3").find("Record")
    call.post(record_verb.get("action"), RecordingSid="RE" + "9" * 32, RecordingDuration="12")
    [kept] = [r for r in requests_of(h) if r.status == "pending"]
    assert kept.preferred == "evening" and kept.next_attempt_at.replace(tzinfo=UTC).astimezone(NEW_YORK).hour == 17


def test_an_open_request_is_closed_when_the_caller_gets_through_on_an_inbound_call(hooks, h) -> None:
    ask_for_callback(hooks)
    Team(h).add(1)
    InboundCall(hooks).answered()
    record(h)
    [request] = requests_of(h)
    assert (request.status, request.closed_reason) == ("completed", "reached on an inbound call")


def test_an_open_request_stays_open_when_an_acceptance_never_reached_the_caller(hooks, h) -> None:
    ask_for_callback(hooks)
    Team(h).add(1)
    call = InboundCall(hooks)
    leg = call.answered()
    record(h)
    assert requests_of(h)[0].status == "completed"  # a person accepted: closed ...
    leg.status("completed", CallDuration="3")
    call.dial_result("completed", duration=0, DialBridged="false")  # ... but their phone dropped first
    call.status("completed", CallDuration="40")  # and the caller hung up at the menu
    record(h)
    [request] = requests_of(h)
    assert (request.status, request.closed_reason) == ("pending", None)  # still to be called back
    assert request.next_attempt_at is not None


def test_a_voicemail_becomes_a_callback_request_linked_to_the_recording(hooks, h) -> None:
    call = InboundCall(hooks)
    call.to_routing()
    record_verb = call.choose("3").find("Record")
    thanks = call.post(record_verb.get("action"), RecordingSid="RE" + "7" * 32, RecordingDuration="21")
    assert "will call you back" in twiml.spoken(thanks)[0]
    [request] = requests_of(h)
    assert (request.source, request.recording_sid, request.consent_voicemail) == ("voicemail", "RE" + "7" * 32, False)


def test_a_caller_who_declined_their_number_is_not_called_back_on_it_after_a_voicemail(hooks, h) -> None:
    call = InboundCall(hooks)
    call.to_routing()
    call.choose("2")  # a call back, please ...
    call.choose("2")  # ... but not on the number I am calling from
    call.choose("123")
    record_verb = call.choose("456").find("Record")  # two numbers we cannot call: voicemail instead
    assert record_verb is not None
    thanks = call.post(record_verb.get("action"), RecordingSid="RE" + "8" * 32, RecordingDuration="30")
    said = " ".join(twiml.spoken(thanks))
    assert "received your message" in said and "will call you back" not in said
    assert requests_of(h) == []  # their message is kept for staff; no call to the number they declined


class StaffCall:
    """The staff member's side of a callback attempt placed through the (spec-checked) REST API."""

    def __init__(self, hooks: Webhooks, request: dict) -> None:  # type: ignore[type-arg]
        self.hooks = hooks
        self.form = request["form"]
        self.sid = request["sid"]
        self.last = None

    def post(self, url: str, **params: str):  # type: ignore[no-untyped-def]
        self.last = self.hooks.twiml(url.removeprefix(PUBLIC_BASE_URL), staff_leg_params(
            self.sid, "", self.form["To"], Direction="outbound-api", **params))
        return self.last

    def answer(self):  # type: ignore[no-untyped-def]
        return self.post(self.form["Url"])

    def press(self, digits: str):  # type: ignore[no-untyped-def]
        return self.post(self.last.find("Gather").get("action"), Digits=digits)

    def status(self, status: str):  # type: ignore[no-untyped-def]
        return self.hooks.post(self.form["StatusCallback"].removeprefix(PUBLIC_BASE_URL), staff_leg_params(
            self.sid, "", self.form["To"], status=status, Direction="outbound-api"))


def placed_staff_calls(h, fake_twilio, rq_redis, hooks) -> list[StaffCall]:  # type: ignore[no-untyped-def]
    run_jobs(h, rq_redis)
    return [StaffCall(hooks, request) for request in fake_twilio.created()]


def test_agent_first_the_staff_member_hears_who_asked_then_the_caller_is_dialled_from_the_helpline(
        hooks, h, fake_twilio, rq_redis) -> None:
    ask_for_callback(hooks, voicemail="2", name="2")
    staff = Team(h).add(1)
    [staff_call] = placed_staff_calls(h, fake_twilio, rq_redis, hooks)
    assert staff_call.form["To"] == "+12025550111" and staff_call.form["From"] == "+12025550100"
    offer = staff_call.answer()
    said = twiml.spoken(offer)
    assert said[0] == "Callback in English for a caller who asked at 11:00 AM."
    assert said[1] == "If a voicemail answers, hang up without leaving a message."  # they did not agree to one
    assert said[2].startswith("Do not say our name")
    assert not any("0123" in text for text in said)
    dial = staff_call.press("1")
    number = dial.find("Dial/Number")
    assert dial.find("Dial").get("callerId") == "+12025550100" and number.text == CALLER
    assert number.get("machineDetection") == "DetectMessageEnd"
    greeting = hooks.twiml(number.get("url"), staff_leg_params("CA" + "9" * 32, staff_call.sid, CALLER,
                                                                AnsweredBy="human"))
    assert twiml.spoken(greeting) == ["Hello, this is the return call you asked for. One moment, please."]
    done = staff_call.post(dial.find("Dial").get("action"), DialCallStatus="completed", DialCallDuration="300")
    assert twiml.spoken(done) == ["Thank you. The callback is complete."]
    staff_call.status("completed")
    [request] = requests_of(h)
    assert (request.status, request.last_outcome, request.closed_reason) == ("completed", "reached",
                                                                           "reached by a callback")
    assert h.board.holder(staff) is None and h.board.wrapup_token(staff) is not None


def test_a_caller_who_agreed_to_a_message_is_not_hung_up_on_by_staff_hearing_a_voicemail(
        hooks, h, fake_twilio, rq_redis) -> None:
    ask_for_callback(hooks, voicemail="1", name="1")
    Team(h).add(1)
    [staff_call] = placed_staff_calls(h, fake_twilio, rq_redis, hooks)
    said = twiml.spoken(staff_call.answer())
    assert "If a voicemail answers, hang up without leaving a message." not in said
    assert said[1] == "You may say our name. Press 1 to dial."


@pytest.mark.parametrize("caller_answered", [True, False])
def test_the_staff_leg_ending_before_the_dial_result_never_rings_a_reached_caller_again(
        hooks, h, fake_twilio, rq_redis, clock, caller_answered) -> None:
    """Twilio does not order the staff leg's final status and the <Dial> action: either may come first."""
    ask_for_callback(hooks)
    Team(h).add(1)
    [staff_call] = placed_staff_calls(h, fake_twilio, rq_redis, hooks)
    staff_call.answer()
    dial = staff_call.press("1")
    if caller_answered:
        hooks.twiml(dial.find("Dial/Number").get("url"), staff_leg_params("CA" + "9" * 32, staff_call.sid, CALLER,
                                                                         AnsweredBy="human"))
    staff_call.status("completed")
    [request] = requests_of(h)
    if caller_answered:  # the caller's answer already says it: reached, now
        assert (request.status, request.attempts, request.last_outcome) == ("completed", 0, "reached")
    else:  # nothing known yet: the attempt waits for its dial result
        assert (request.status, request.attempts) == ("in_progress", 0)
    staff_call.post(dial.find("Dial").get("action"), DialCallStatus="completed", DialCallDuration="120")
    clock.advance(minutes=5)
    from callcenter.services.reconcile import reconcile

    assert reconcile(h) == 0
    _free_staff(h)
    dispatch.request_dispatch(h)
    run_jobs(h, rq_redis)
    [request] = requests_of(h)
    assert (request.status, request.attempts, request.last_outcome) == ("completed", 0, "reached")
    assert len(fake_twilio.created()) == 1  # rung once


def test_an_accepted_attempt_with_no_dial_result_is_ended_by_the_sweep_and_tried_again(
        hooks, h, fake_twilio, rq_redis, clock) -> None:
    ask_for_callback(hooks)
    Team(h).add(1)
    [staff_call] = placed_staff_calls(h, fake_twilio, rq_redis, hooks)
    staff_call.answer()
    staff_call.press("1")
    staff_call.status("completed")
    fake_twilio.set_status(staff_call.sid, "completed")  # what Twilio answers when the sweep asks
    from callcenter.services.reconcile import reconcile

    assert reconcile(h) == 0  # within the grace for the dial result
    clock.advance(seconds=30)
    assert reconcile(h) == 1
    [request] = requests_of(h)
    assert (request.status, request.attempts, request.last_outcome) == ("pending", 1, "failed")


def test_a_caller_who_hangs_up_before_being_put_through_is_not_counted_as_reached(
        hooks, h, fake_twilio, rq_redis) -> None:
    ask_for_callback(hooks)
    Team(h).add(1)
    [staff_call] = placed_staff_calls(h, fake_twilio, rq_redis, hooks)
    staff_call.answer()
    dial = staff_call.press("1")
    # Picked up, then hung up in the silence while machine detection listened: never put through.
    told = staff_call.post(dial.find("Dial").get("action"), DialCallStatus="completed", DialCallDuration="3",
                           DialBridged="false")
    assert "try again later" in twiml.spoken(told)[0]
    [request] = requests_of(h)
    assert (request.status, request.attempts, request.last_outcome) == ("pending", 1, "no-answer")


def test_the_reaper_frees_a_callback_staff_member_whose_call_end_was_never_reported(
        hooks, h, fake_twilio, rq_redis, clock) -> None:
    from callcenter.services import reaper

    ask_for_callback(hooks)
    staff = Team(h).add(1)
    [staff_call] = placed_staff_calls(h, fake_twilio, rq_redis, hooks)
    staff_call.answer()
    dial = staff_call.press("1")
    staff_call.post(dial.find("Dial").get("action"), DialCallStatus="completed", DialCallDuration="300")
    # The staff call's own final status callback never comes; they stay "on a call" ...
    owner = h.board.holder(staff)
    assert owner is not None and owner.startswith("cb-")
    fake_twilio.set_status(staff_call.sid, "in-progress")
    clock.advance(seconds=h.callflow.routing.reaper_check_seconds + 1)
    assert reaper.reap(h) == 0 and h.board.holder(staff) == owner  # Twilio says the call goes on: wait
    fake_twilio.set_status(staff_call.sid, "completed")
    clock.advance(seconds=h.callflow.routing.reaper_check_seconds + 1)
    assert reaper.reap(h) == 1  # ... until the reaper asks Twilio about the staff member's own call
    assert h.board.holder(staff) is None and h.board.wrapup_token(staff) is not None
    assert requests_of(h)[0].status == "completed"


def test_a_staff_member_who_accepts_an_offer_that_stopped_being_needed_is_freed_and_not_counted(
        hooks, h, fake_twilio, rq_redis) -> None:
    from callcenter.services import callbackadmin

    ask_for_callback(hooks)
    staff = Team(h).add(1)
    [staff_call] = placed_staff_calls(h, fake_twilio, rq_redis, hooks)
    staff_call.answer()  # the offer plays ...
    callbackadmin.cancel(h, requests_of(h)[0].id, "reached by email")  # ... while a supervisor closes it
    told = staff_call.press("1")
    assert twiml.spoken(told) == ["This callback is no longer needed. Thank you."]
    assert h.board.holder(staff) is None and h.board.wrapup_token(staff) is None  # free at once
    staff_call.status("completed")
    [live] = h.board.live([staff])
    assert (live.misses, live.presence, live.busy_with) == (0, "available", None)
    assert len(fake_twilio.created()) == 1  # the caller was never dialled


def test_unreached_callers_are_retried_per_the_policy_then_exhausted(hooks, h, fake_twilio, rq_redis,
                                                                     clock) -> None:
    ask_for_callback(hooks)
    Team(h).add(1)
    for attempt, outcome in enumerate(["no-answer", "busy", "no-answer"], start=1):
        [staff_call] = placed_staff_calls(h, fake_twilio, rq_redis, hooks)[-1:]
        staff_call.answer()
        dial = staff_call.press("1")
        told = staff_call.post(dial.find("Dial").get("action"), DialCallStatus=outcome)
        staff_call.status("completed")
        [request] = requests_of(h)
        assert request.attempts == attempt
        assert ("try again later" in twiml.spoken(told)[0]) is (attempt < 3)  # the last: with the supervisors
        if attempt < 3:
            wait = {1: 10, 2: 30}[attempt]
            due = request.next_attempt_at.replace(tzinfo=UTC).timestamp()
            assert due == pytest.approx(clock.now + wait * 60, abs=1)
            _free_staff(h)
            run_jobs(h, rq_redis)
            assert len(fake_twilio.created()) == attempt  # not due yet
            clock.advance(minutes=wait)
            dispatch.request_dispatch(h)  # the sweep's (or the scheduled) dispatch
            _free_staff(h)
    assert (request.status, request.closed_reason) == ("exhausted", "not reached in 3 attempts")


def _free_staff(h) -> None:  # type: ignore[no-untyped-def]
    """End the staff member's wrap-up now (the test clock jumped ahead of Redis's)."""
    for live in h.board.live():
        if live.in_wrapup:
            from callcenter.services.staff import end_wrapup

            end_wrapup(h, live.card.id, h.board.wrapup_token(live.card.id))


def test_a_staff_member_who_does_not_accept_is_not_a_failed_attempt(hooks, h, fake_twilio, rq_redis) -> None:
    ask_for_callback(hooks)
    staff = Team(h).add(1)
    [staff_call] = placed_staff_calls(h, fake_twilio, rq_redis, hooks)
    staff_call.status("no-answer")
    [request] = requests_of(h)
    assert (request.status, request.attempts, request.last_outcome) == ("pending", 0, "staff_missed")
    assert h.board.live([staff])[0].misses == 1 and h.board.holder(staff) is None


@pytest.mark.parametrize("consent,expected", [("1", "message"), ("2", "nothing")])
def test_an_answering_machine_gets_a_discreet_message_only_with_consent(hooks, h, fake_twilio, rq_redis,
                                                                        consent, expected) -> None:
    ask_for_callback(hooks, voicemail=consent, name="2")
    Team(h).add(1)
    [staff_call] = placed_staff_calls(h, fake_twilio, rq_redis, hooks)
    staff_call.answer()
    number = staff_call.press("1").find("Dial/Number")
    machine = hooks.twiml(number.get("url"), staff_leg_params("CA" + "8" * 32, staff_call.sid, CALLER,
                                                               AnsweredBy="machine_end_beep"))
    said = twiml.spoken(machine)
    if expected == "message":
        assert said[0].startswith("Hello, this message is for the person who asked us to call back")
        assert "Riverside" not in said[0] and "2 0 2 5 5 5 0 1 0 0" in said[0]
    else:
        assert said == [] and twiml.verbs(machine) == ["Hangup"]
    staff_call.post(staff_call.last.find("Dial").get("action"), DialCallStatus="completed")
    [request] = requests_of(h)
    assert (request.last_outcome, request.attempts, request.status) == ("machine", 1, "pending")


def test_callbacks_wait_for_the_callers_calling_window(hooks, h, fake_twilio, rq_redis, clock) -> None:
    clock.now = clock_at("2026-06-10 06:30")  # too early in New York
    ask_for_callback(hooks)
    Team(h).add(1)
    run_jobs(h, rq_redis)
    assert fake_twilio.created() == []
    [request] = requests_of(h)
    assert request.next_attempt_at.replace(tzinfo=UTC).astimezone(NEW_YORK).hour == 8
    clock.now = clock_at("2026-06-10 08:00")
    dispatch.request_dispatch(h)
    run_jobs(h, rq_redis)
    assert len(fake_twilio.created()) == 1


def test_a_request_has_at_most_one_live_attempt_however_many_dispatchers_run(hooks, h, fake_twilio) -> None:
    ask_for_callback(hooks)
    team = Team(h)
    for n in range(4):
        team.add(n)
    barrier = threading.Barrier(4)

    def run() -> None:
        barrier.wait()
        dispatch.dispatch_callbacks(h)
    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with h.database.session() as session:
        attempts = list(session.scalars(select(CallbackAttempt)))
    assert len(attempts) == 1 and len(fake_twilio.created()) == 1
    assert sum(1 for staff in team.phones if h.board.holder(staff)) == 1


def test_a_429_is_retried_and_a_5xx_is_treated_as_maybe_placed(hooks, h, fake_twilio, rq_redis, clock) -> None:
    ask_for_callback(hooks)
    staff = Team(h).add(1)
    fake_twilio.fail_next = [429, 429]
    [staff_call] = placed_staff_calls(h, fake_twilio, rq_redis, hooks)
    assert len([r for r in fake_twilio.requests if r["path"].endswith("Calls.json")]) == 3
    staff_call.status("no-answer")  # back in line, not counted
    clock.advance(minutes=1)
    fake_twilio.fail_next = [500]
    _free_staff(h)
    dispatch.request_dispatch(h)
    run_jobs(h, rq_redis)
    with h.database.session() as session:
        attempt = session.scalars(select(CallbackAttempt).order_by(CallbackAttempt.id.desc())).first()
        assert attempt.state == "placing" and attempt.staff_call_sid is None  # maybe placed: not retried
    assert len([r for r in fake_twilio.requests if r["path"].endswith("Calls.json")]) == 4
    clock.advance(minutes=5)  # nothing ever reported on it: the sweep ends it, not counted
    from callcenter.services.reconcile import reconcile

    assert reconcile(h) == 1
    [request] = requests_of(h)
    assert (request.status, request.attempts, request.last_outcome) == ("pending", 0, "lost")
    assert h.board.holder(staff) is None
    assert callbacks.retry_policy(h.callflow).max_attempts == 3


def test_a_status_callback_for_an_unknown_attempt_is_acknowledged_and_changes_nothing(hooks, h) -> None:
    ask_for_callback(hooks)
    before = [(r.status, r.attempts) for r in requests_of(h)]
    for path in ("/voice/callback/staff-status?attempt=999", "/voice/callback/caller-status?attempt=999",
                 "/voice/callback/staff-status?attempt=abc"):
        response = hooks.post(path, staff_leg_params("CA" + "5" * 32, "", "client:x", status="completed"))
        assert response.status_code == 200
        twiml.parse(response.get_data())
    offer = hooks.twiml("/voice/callback/staff?attempt=999", staff_leg_params("CA" + "5" * 32, "", "client:x"))
    assert twiml.spoken(offer) == ["This callback is no longer needed. Thank you."]
    assert [(r.status, r.attempts) for r in requests_of(h)] == before


def test_a_caller_who_stays_silent_after_hearing_their_number_twice_keeps_it(hooks, h) -> None:
    call = InboundCall(hooks)
    call.to_routing()
    call.choose("2")
    again = call.choose("")
    assert [p.text for p in again.iter("Play")]  # the number is read once more, no "sorry"
    assert "leave a short message" in twiml.spoken(call.choose(""))[0]
    for answer in ("", "", ""):
        call.choose(answer)
    [request] = requests_of(h)
    assert h.identifiers.reveal(request.number_enc) == CALLER
    assert (request.consent_voicemail, request.consent_name, request.preferred) == (False, False, "asap")
