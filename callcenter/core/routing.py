"""Which free staff member should hear a call next: the routing strategies."""
from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Strategy(StrEnum):
    """How the next staff member is chosen among the free ones."""

    LONGEST_IDLE = "longest_idle"
    ROUND_ROBIN = "round_robin"
    FEWEST_CALLS = "fewest_calls"
    PRIORITY = "priority"
    RING_ALL = "ring_all"


@dataclass(frozen=True)
class Candidate:
    """A staff member who was free when the snapshot was taken."""

    staff_id: int
    idle_since: float
    languages: frozenset[str]
    lines: frozenset[str]
    priority: int = 100
    calls_today: int = 0


@dataclass(frozen=True)
class CallNeed:
    """What the call asks of the staff member who takes it."""

    line: str
    language: str
    language_fallback: bool = True


def eligible(
    candidates: Iterable[Candidate], need: CallNeed, exclude: Iterable[int] = ()
) -> list[Candidate]:
    """Staff on the call's line, speakers of its language first.

    Staff without the language come only when no speaker is free and the line allows it
    (a human who speaks English now beats voicemail for a Spanish speaker).
    """
    excluded = set(exclude)
    on_line = [c for c in candidates if need.line in c.lines and c.staff_id not in excluded]
    speakers = [c for c in on_line if need.language in c.languages]
    if speakers or not need.language_fallback:
        return speakers
    return on_line


def rank_staff(
    strategy: Strategy,
    candidates: Sequence[Candidate],
    *,
    last_offered: int | None = None,
    rng: random.Random,
) -> list[int]:
    """Order eligible staff by the strategy; the store claims the first still free."""
    # A random key first, so equal scores do not always favour the same person.
    shuffled = list(candidates)
    rng.shuffle(shuffled)
    if strategy in (Strategy.LONGEST_IDLE, Strategy.RING_ALL):
        ordered = sorted(shuffled, key=lambda c: c.idle_since)
    elif strategy is Strategy.FEWEST_CALLS:
        ordered = sorted(shuffled, key=lambda c: (c.calls_today, c.idle_since))
    elif strategy is Strategy.PRIORITY:
        ordered = sorted(shuffled, key=lambda c: (c.priority, c.staff_id))
    elif strategy is Strategy.ROUND_ROBIN:
        ordered = _round_robin(shuffled, last_offered)
    else:  # pragma: no cover - Enum is closed
        raise ValueError(f"unknown strategy {strategy!r}")
    return [c.staff_id for c in ordered]


def _round_robin(candidates: list[Candidate], last_offered: int | None) -> list[Candidate]:
    """Staff by id, starting with the first one after the last one offered a call."""
    by_id = sorted(candidates, key=lambda c: c.staff_id)
    if last_offered is None:
        return by_id
    after = [c for c in by_id if c.staff_id > last_offered]
    before = [c for c in by_id if c.staff_id <= last_offered]
    return after + before


def ring_count(strategy: Strategy, ring_all_max: int) -> int:
    """How many phones ring at once for one attempt."""
    return max(1, min(ring_all_max, 10)) if strategy is Strategy.RING_ALL else 1
