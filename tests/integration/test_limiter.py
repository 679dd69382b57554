"""The shared rate limiter on a real Redis: a request counts until it has finished."""
from __future__ import annotations

import time

from redis import Redis

from callcenter.store.limiter import RateLimiter, allow
from callcenter.store.scripts import Scripts


def test_a_slot_is_held_while_its_request_is_in_flight_and_one_window_after(redis_url: str) -> None:
    redis = Redis.from_url(redis_url, decode_responses=True)
    limiter = RateLimiter(redis, Scripts(redis), "test", rate_per_second=2)
    with limiter.slot() as first:
        with limiter.slot() as second:
            assert first and second
            assert limiter.try_acquire("third") > 0  # two in flight: the window is full
            time.sleep(1.1)
            assert limiter.try_acquire("third") > 0  # still in flight: they may arrive any moment now
    assert limiter.try_acquire("fourth") > 0  # finished just now: they count for one more window
    time.sleep(1.05)
    assert limiter.try_acquire("fifth") == 0


def test_a_slot_that_never_comes_in_time_is_reported(redis_url: str) -> None:
    redis = Redis.from_url(redis_url, decode_responses=True)
    limiter = RateLimiter(redis, Scripts(redis), "slow", rate_per_second=1)
    with limiter.slot() as granted:
        assert granted
        with limiter.slot(timeout=0.2) as late:
            assert late is False


def test_the_form_limit_allows_n_per_window_then_says_how_long_to_wait(redis_url: str) -> None:
    redis = Redis.from_url(redis_url, decode_responses=True)
    scripts = Scripts(redis)
    assert [allow(scripts, "form", 3, 60_000) for _ in range(3)] == [0, 0, 0]
    wait = allow(scripts, "form", 3, 60_000)
    assert 59_000 < wait <= 60_001
