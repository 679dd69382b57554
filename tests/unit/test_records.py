"""A call's record follows from its events whatever order, and however often, they arrive."""
from __future__ import annotations

from functools import reduce

from hypothesis import given, settings
from hypothesis import strategies as st

from callcenter.core import callstatus
from callcenter.core.events import Event, Kind
from callcenter.core.records import CallRecord, Outcome, apply

SID = "CA" + "1" * 32
EVENTS = [
    Event(f"{SID}:received", Kind.RECEIVED, 100.0, SID, data={"line": "admissions"}),
    Event(f"{SID}:language", Kind.LANGUAGE, 104.0, SID, data={"language": "es"}),
    Event(f"{SID}:accepted", Kind.ACCEPTED, 121.0, SID, staff_id=7),
    Event(f"{SID}:connected", Kind.CONNECTED, 400.0, SID, staff_id=7, data={"talk_seconds": 279}),
    Event(f"{SID}:status:in-progress", Kind.LEG_STATUS, 101.0, SID, data={"leg": "caller", "status": "in-progress"}),
    Event(f"{SID}:status:completed", Kind.LEG_STATUS, 400.0, SID, data={"leg": "caller", "status": "completed"}),
    Event(f"{SID}:ended", Kind.ENDED, 400.0, SID, data={"status": "completed"}),
]


def fold(events: list[Event]) -> CallRecord:
    return reduce(apply, events, CallRecord(sid=SID))


def test_in_order_the_record_is_an_answered_call_with_its_wait() -> None:
    record = fold(EVENTS)
    assert record.outcome == Outcome.ANSWERED
    assert record.staff_id == 7 and record.language == "es" and record.status == "completed"
    assert record.wait_seconds == 21.0 and record.talk_seconds == 279


@settings(max_examples=200)
@given(st.permutations(EVENTS), st.lists(st.sampled_from(EVENTS), max_size=6))
def test_shuffled_and_duplicated_events_give_the_same_record(order, duplicates) -> None:  # type: ignore[no-untyped-def]
    assert fold(list(order) + duplicates) == fold(EVENTS)


def test_the_wait_counts_from_the_queue_not_from_the_safety_message_and_menu() -> None:
    offered = Event(f"{SID}:offered:1:7", Kind.OFFERED, 112.0, SID, staff_id=7, data={"attempt": 1})
    offered_again = Event(f"{SID}:offered:2:8", Kind.OFFERED, 117.0, SID, staff_id=8, data={"attempt": 2})
    record = fold([*EVENTS, offered_again, offered])   # any order: the first offer starts the queue
    assert record.queued_at == 112.0 and record.wait_seconds == 9.0   # answered at 121
    no_one_free = Event(f"{SID}:no-one-free", Kind.NO_ONE_FREE, 108.0, SID, data={"mode": "hold"})
    assert fold([EVENTS[0], no_one_free, EVENTS[6]]).wait_seconds == 292.0   # held, then hung up at 400


def test_a_call_that_ends_unanswered_without_voicemail_is_abandoned() -> None:
    record = fold([EVENTS[0], EVENTS[6]])
    assert record.outcome == Outcome.ABANDONED and record.wait_seconds == 300.0


def test_voicemail_beats_abandoned_and_answered_beats_voicemail() -> None:
    voicemail = Event(f"{SID}:voicemail:RE1", Kind.VOICEMAIL, 200.0, SID)
    assert fold([EVENTS[0], voicemail, EVENTS[6]]).outcome == Outcome.VOICEMAIL
    assert fold([EVENTS[0], voicemail, EVENTS[2]]).outcome == Outcome.ANSWERED


@given(st.lists(st.sampled_from(sorted(callstatus.KNOWN)), min_size=1, max_size=8))
def test_a_status_never_goes_backwards_and_the_result_is_order_independent(statuses) -> None:  # type: ignore[no-untyped-def]
    forward = reduce(callstatus.later, statuses, None)
    backward = reduce(callstatus.later, reversed(statuses), None)
    assert forward == backward == max(statuses, key=callstatus.rank)


def test_a_miss_is_an_unaccepted_leg_that_was_not_canceled() -> None:
    assert callstatus.missed_by("no-answer", accepted=False)
    assert callstatus.missed_by("completed", accepted=False)  # voicemail picked up, or no key
    assert not callstatus.missed_by("canceled", accepted=False)  # caller gone / colleague won
    assert not callstatus.missed_by("completed", accepted=True)


#: Staff 3 accepts at 120 but hangs up before the bridge; staff 9 accepts at 150 and talks; and
#: alone, the first half: nobody else, the caller leaves a voicemail.
WITHDRAWN = [
    Event(f"{SID}:received", Kind.RECEIVED, 100.0, SID, data={"line": "admissions"}),
    Event(f"{SID}:offered:3", Kind.OFFERED, 105.0, SID, staff_id=3),
    Event(f"{SID}:accepted:3:120000", Kind.ACCEPTED, 120.0, SID, staff_id=3),
    Event(f"{SID}:not-connected:3:120000", Kind.NOT_CONNECTED, 124.5, SID, staff_id=3,
          data={"accepted_at": 120.0, "reason": "hung up"}),
]
THEN_ANSWERED = [
    Event(f"{SID}:accepted:9:150000", Kind.ACCEPTED, 150.0, SID, staff_id=9),
    Event(f"{SID}:connected", Kind.CONNECTED, 400.0, SID, staff_id=9, data={"talk_seconds": 240}),
    Event(f"{SID}:ended", Kind.ENDED, 400.0, SID, data={"status": "completed"}),
]
THEN_VOICEMAIL = [
    Event(f"{SID}:voicemail", Kind.VOICEMAIL, 200.0, SID, data={"seconds": 30}),
    Event(f"{SID}:ended", Kind.ENDED, 240.0, SID, data={"status": "completed"}),
]


@settings(max_examples=200)
@given(st.permutations(WITHDRAWN + THEN_ANSWERED), st.lists(st.sampled_from(WITHDRAWN + THEN_ANSWERED), max_size=4))
def test_an_acceptance_that_never_reached_the_caller_gives_way_to_the_one_that_did(order, duplicates) -> None:  # type: ignore[no-untyped-def]
    record = fold(list(order) + duplicates)
    assert (record.outcome, record.staff_id, record.answered_at) == (Outcome.ANSWERED, 9, 150.0)
    assert record.wait_seconds == 45.0  # from the first offer to the acceptance that reached the caller


@settings(max_examples=100)
@given(st.permutations(WITHDRAWN + THEN_VOICEMAIL))
def test_a_call_whose_only_acceptance_never_reached_the_caller_is_not_answered(order) -> None:  # type: ignore[no-untyped-def]
    record = fold(list(order))
    assert (record.outcome, record.staff_id, record.answered_at) == (Outcome.VOICEMAIL, None, None)
    assert record.withdrawn_at == 120.0
