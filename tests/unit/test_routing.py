"""Routing strategies rank free staff the way each strategy promises."""
from __future__ import annotations

import random

from hypothesis import given
from hypothesis import strategies as st

from callcenter.core.hunt import HuntBudget, HuntProgress, next_ring_timeout
from callcenter.core.routing import CallNeed, Candidate, Strategy, eligible, rank_staff, ring_count


def staff(staff_id: int, idle: float, *, langs: str = "en", lines: str = "admissions", priority: int = 100,
          calls: int = 0) -> Candidate:
    return Candidate(staff_id, idle, frozenset(langs.split(",")), frozenset(lines.split(",")), priority, calls)


TEAM = [staff(1, 300.0, calls=5, priority=3), staff(2, 100.0, calls=2, priority=1),
        staff(3, 200.0, calls=2, priority=2), staff(4, 400.0, calls=0, priority=2)]


def rank(strategy: Strategy, candidates=TEAM, last=None):  # type: ignore[no-untyped-def]
    return rank_staff(strategy, candidates, last_offered=last, rng=random.Random(1))


def test_longest_idle_offers_first_whoever_has_waited_longest() -> None:
    assert rank(Strategy.LONGEST_IDLE) == [2, 3, 1, 4]


def test_fewest_calls_offers_first_whoever_took_fewest_today_then_longest_idle() -> None:
    assert rank(Strategy.FEWEST_CALLS) == [4, 2, 3, 1]


def test_priority_follows_the_fixed_order_then_staff_id() -> None:
    assert rank(Strategy.PRIORITY) == [2, 3, 4, 1]


def test_round_robin_starts_after_the_last_staff_member_offered() -> None:
    assert rank(Strategy.ROUND_ROBIN, last=None) == [1, 2, 3, 4]
    assert rank(Strategy.ROUND_ROBIN, last=2) == [3, 4, 1, 2]
    assert rank(Strategy.ROUND_ROBIN, last=4) == [1, 2, 3, 4]


def test_ring_all_rings_up_to_ten_phones_at_once() -> None:
    assert ring_count(Strategy.RING_ALL, 10) == 10
    assert ring_count(Strategy.RING_ALL, 25) == 10
    assert ring_count(Strategy.LONGEST_IDLE, 10) == 1


def test_equal_idle_times_are_not_always_broken_the_same_way() -> None:
    tied = [staff(i, 100.0) for i in range(1, 6)]
    firsts = {rank_staff(Strategy.LONGEST_IDLE, tied, rng=random.Random(seed))[0] for seed in range(40)}
    assert len(firsts) > 1


def test_speakers_of_the_callers_language_come_first_and_others_only_as_fallback() -> None:
    team = [staff(1, 1.0, langs="en"), staff(2, 2.0, langs="en,es"), staff(3, 3.0, langs="es", lines="other")]
    spanish = CallNeed(line="admissions", language="es")
    assert [c.staff_id for c in eligible(team, spanish)] == [2]
    only_english = [team[0]]
    assert [c.staff_id for c in eligible(only_english, spanish)] == [1]
    strict = CallNeed(line="admissions", language="es", language_fallback=False)
    assert eligible(only_english, strict) == []


def test_staff_outside_the_calls_line_or_already_tried_are_not_eligible() -> None:
    team = [staff(1, 1.0), staff(2, 2.0, lines="billing"), staff(3, 3.0)]
    need = CallNeed(line="admissions", language="en")
    assert [c.staff_id for c in eligible(team, need, exclude=[1])] == [3]


@given(st.lists(st.tuples(st.integers(1, 50), st.floats(0, 1e6), st.integers(0, 20), st.integers(0, 9)),
                unique_by=lambda t: t[0], max_size=12),
       st.sampled_from(list(Strategy)), st.integers(0, 1000))
def test_every_strategy_returns_each_eligible_staff_member_exactly_once(rows, strategy, seed) -> None:  # type: ignore[no-untyped-def]
    candidates = [staff(i, idle, calls=calls, priority=prio) for i, idle, calls, prio in rows]
    ranked = rank_staff(strategy, candidates, last_offered=seed % 50, rng=random.Random(seed))
    assert sorted(ranked) == sorted(c.staff_id for c in candidates)


def test_the_hunt_stops_when_attempts_or_ring_seconds_are_spent() -> None:
    budget = HuntBudget(max_attempts=3, max_ring_seconds=50, ring_seconds=20)
    assert next_ring_timeout(budget, HuntProgress()) == 20
    assert next_ring_timeout(budget, HuntProgress(2, 40)) == 10
    assert next_ring_timeout(budget, HuntProgress(2, 46)) is None  # 4 s is no fair chance to answer
    assert next_ring_timeout(budget, HuntProgress(3, 20)) is None
    assert HuntProgress().after(20).after(7) == HuntProgress(2, 27)


def test_roles_build_on_each_other_and_only_supervisors_and_admins_unmask() -> None:
    from callcenter.core.permissions import ROLES, allowed, permissions

    assert permissions("staff") < permissions("supervisor") < permissions("admin")
    assert [allowed(role, "unmask") for role in ROLES] == [False, True, True]
    assert [allowed(role, "audit_log") for role in ROLES] == [False, False, True]
    assert not allowed(None, "console") and not allowed("janitor", "console")
