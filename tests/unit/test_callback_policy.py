"""The callback policy: retries, and a calling window that holds in every zone, DST included."""
from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callcenter.core.callbacks import (
    RetryPolicy,
    Window,
    after_unreached,
    expected_wait,
    first_attempt_at,
    may_call,
    next_opening,
    open_everywhere,
    schedule,
)

WINDOW = Window(time(8, 0), time(21, 0))
ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
         "America/Anchorage", "Pacific/Honolulu", "America/Puerto_Rico", "Europe/London", "America/St_Johns"]
UTC = UTC


def at(text: str, zone: str = "America/New_York") -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def test_inside_the_window_the_call_may_happen_now() -> None:
    now = at("2026-06-10 14:00")
    assert schedule(now, ["America/New_York"], WINDOW, any_time=False) == now


def test_before_8_am_the_call_waits_for_8_am_local() -> None:
    now = at("2026-06-10 06:30", "America/Los_Angeles")
    assert schedule(now, ["America/Los_Angeles"], WINDOW, False) == at("2026-06-10 08:00", "America/Los_Angeles")


def test_after_9_pm_the_call_waits_for_the_next_morning() -> None:
    now = at("2026-06-10 21:00")
    assert schedule(now, ["America/New_York"], WINDOW, False) == at("2026-06-11 08:00")


def test_a_number_in_two_zones_is_called_only_when_both_are_inside_the_window() -> None:
    zones = ["America/New_York", "America/Chicago"]
    # 8:00 in New York is 7:00 in Chicago: wait for 8:00 in Chicago.
    assert schedule(at("2026-06-10 08:00"), zones, WINDOW, False) == at("2026-06-10 08:00", "America/Chicago")
    # 20:30 in Chicago is 21:30 in New York: too late there; the next morning in Chicago.
    late = at("2026-06-10 20:30", "America/Chicago")
    assert schedule(late, zones, WINDOW, False) == at("2026-06-11 08:00", "America/Chicago")


def test_consent_to_any_time_calls_at_once() -> None:
    night = at("2026-06-10 03:00")
    assert schedule(night, ["America/New_York"], WINDOW, any_time=True) == night


def test_the_window_opens_at_8_am_on_the_morning_clocks_spring_forward() -> None:
    # 2026-03-08: US clocks go from 2:00 to 3:00.
    now = at("2026-03-08 01:30")
    opening = schedule(now, ["America/New_York"], WINDOW, False)
    assert opening == at("2026-03-08 08:00") and opening.astimezone(ZoneInfo("America/New_York")).hour == 8
    assert opening - now == timedelta(hours=5, minutes=30)  # one hour of the night never happened


def test_the_window_opens_at_8_am_on_the_morning_clocks_fall_back() -> None:
    now = at("2026-11-01 01:30")  # the first 1:30 of the two that night
    opening = schedule(now, ["America/New_York"], WINDOW, False)
    assert opening.astimezone(ZoneInfo("America/New_York")).replace(tzinfo=None) == datetime(2026, 11, 1, 8, 0)


@settings(max_examples=400)
@given(moment=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31)),
       zones=st.lists(st.sampled_from(ZONES[:8]), min_size=1, max_size=3, unique=True))
def test_a_scheduled_call_is_always_inside_the_window_in_every_zone_and_never_later_than_needed(moment, zones) -> None:  # type: ignore[no-untyped-def]
    now = moment.replace(tzinfo=UTC)
    when = next_opening(now, zones, WINDOW)
    assert when is not None and when >= now
    assert open_everywhere(when, zones, WINDOW)
    assert when - now < timedelta(days=2)
    # Nothing earlier would do: check every minute boundary between now and then.
    probe = now
    while probe < when:
        assert not open_everywhere(probe, zones, WINDOW)
        probe = probe.replace(second=0, microsecond=0) + timedelta(minutes=1)


def test_a_number_spread_over_zones_with_no_common_window_is_deferred_not_dropped() -> None:
    evening = Window(time(17, 0), time(21, 0))
    zones = ["America/New_York", "Asia/Shanghai"]  # twelve hours apart: their evenings never meet
    now = at("2026-06-10 12:00")
    assert next_opening(now, zones, evening) is None
    when = schedule(now, zones, evening, False)  # the first zone's evening decides
    assert when == at("2026-06-10 17:00")


def test_unreached_attempts_follow_the_retry_policy_then_exhaust() -> None:
    policy = RetryPolicy(max_attempts=3, delays=(timedelta(minutes=10), timedelta(minutes=30)))
    now = at("2026-06-10 10:00")
    assert after_unreached(now, 1, policy, ["America/New_York"], WINDOW, False) == now + timedelta(minutes=10)
    assert after_unreached(now, 2, policy, ["America/New_York"], WINDOW, False) == now + timedelta(minutes=30)
    assert after_unreached(now, 3, policy, ["America/New_York"], WINDOW, False) is None
    late = at("2026-06-10 20:55")
    assert after_unreached(late, 1, policy, ["America/New_York"], WINDOW, False) == at("2026-06-11 08:00")



def test_retries_stay_in_the_window_the_caller_asked_for() -> None:
    policy = RetryPolicy(max_attempts=3, delays=(timedelta(minutes=10), timedelta(minutes=30)))
    zones = ["America/New_York"]
    evening = at("2026-06-10 18:00")
    assert after_unreached(evening, 1, policy, zones, WINDOW, False, "evening") == at("2026-06-10 18:10")
    late = at("2026-06-10 20:55")  # "this evening": not tomorrow morning, tomorrow evening
    assert after_unreached(late, 1, policy, zones, WINDOW, False, "evening") == at("2026-06-11 17:00")
    assert after_unreached(at("2026-06-10 11:55"), 1, policy, zones, WINDOW, False, "morning") == \
        at("2026-06-11 08:00")
    assert may_call(at("2026-06-10 18:00"), zones, WINDOW, False, "evening")
    assert not may_call(at("2026-06-10 10:00"), zones, WINDOW, False, "evening")
    assert may_call(at("2026-06-10 10:00"), zones, WINDOW, True, "evening")  # "any hour" consent


@pytest.mark.parametrize("preferred,expected", [("asap", "2026-06-10 10:00"), ("evening", "2026-06-10 17:00"),
                                                ("morning", "2026-06-10 10:00"), ("afternoon", "2026-06-10 12:00")])
def test_a_preferred_window_sets_the_first_attempt(preferred: str, expected: str) -> None:
    now = at("2026-06-10 10:00")
    assert first_attempt_at(now, ["America/New_York"], WINDOW, False, preferred) == at(expected)


def test_the_expected_wait_comes_from_recent_answer_times_or_is_not_guessed() -> None:
    answered = [1000.0, 1060.0, 1120.0, 1180.0]  # one held caller answered a minute
    assert expected_wait(3, answered, now=1200.0) == pytest.approx(180.0)
    assert expected_wait(3, answered[:2], now=1200.0) is None
    assert expected_wait(3, answered, now=1000.0 + 7200) is None  # all too old
