"""Helpline metrics from call facts: pure arithmetic, so a test can check it by hand.

Definitions (what supervisors read):
- offered: every call that reached the service, except blocked numbers;
- answered: a person accepted it; abandoned: the caller hung up before anyone did and did
  not ask for a callback or leave a voicemail;
- service level: answered within the threshold, out of answered + abandoned;
- abandonment: abandoned out of answered + abandoned (callers who chose a callback or left a
  voicemail are neither: they were served another way);
- average speed of answer: mean wait of answered calls.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from statistics import mean, median
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class CallFacts:
    """What metrics need of one call."""

    received_at: datetime
    outcome: str
    wait_seconds: float | None = None
    talk_seconds: int | None = None
    staff_id: int | None = None


@dataclass(frozen=True)
class Summary:
    """Totals and rates for a period."""

    offered: int
    answered: int
    abandoned: int
    callbacks: int
    voicemail: int
    overflow: int
    service_level: float | None
    abandonment: float | None
    average_speed_of_answer: float | None
    outcomes: dict[str, int] = field(default_factory=dict)


def summarize(calls: Iterable[CallFacts], threshold_seconds: int) -> Summary:
    """Totals, service level, abandonment and speed of answer of these calls."""
    facts = [c for c in calls if c.outcome != "blocked"]
    outcomes = Counter(c.outcome for c in facts)
    answered = [c for c in facts if c.outcome == "answered"]
    abandoned = outcomes["abandoned"]
    judged = len(answered) + abandoned
    in_time = sum(1 for c in answered if c.wait_seconds is not None and c.wait_seconds <= threshold_seconds)
    waits = [c.wait_seconds for c in answered if c.wait_seconds is not None]
    return Summary(
        offered=len(facts), answered=len(answered), abandoned=abandoned, callbacks=outcomes["callback"],
        voicemail=outcomes["voicemail"], overflow=outcomes["overflow"],
        service_level=in_time / judged if judged else None,
        abandonment=abandoned / judged if judged else None,
        average_speed_of_answer=mean(waits) if waits else None, outcomes=dict(outcomes))


@dataclass(frozen=True)
class Hour:
    """One hour's calls, by what became of them."""

    label: str
    answered: int
    abandoned: int
    other: int


def per_hour(calls: Iterable[CallFacts], zone: str) -> list[Hour]:
    """Calls per local hour of the day (0–23), every hour present."""
    tz = ZoneInfo(zone)
    counts: dict[int, Counter[str]] = {hour: Counter() for hour in range(24)}
    for call in calls:
        if call.outcome == "blocked":
            continue
        kind = call.outcome if call.outcome in ("answered", "abandoned") else "other"
        counts[call.received_at.astimezone(tz).hour][kind] += 1
    return [Hour(f"{hour:02d}", c["answered"], c["abandoned"], c["other"]) for hour, c in counts.items()]


@dataclass(frozen=True)
class StaffFigures:
    """One staff member's answered calls, talk and speed."""

    staff_id: int
    answered: int
    average_talk_seconds: float | None
    average_wait_seconds: float | None


def per_staff(calls: Iterable[CallFacts]) -> list[StaffFigures]:
    """Answered calls per staff member, most first."""
    by_staff: dict[int, list[CallFacts]] = {}
    for call in calls:
        if call.outcome == "answered" and call.staff_id is not None:
            by_staff.setdefault(call.staff_id, []).append(call)
    figures = []
    for staff_id, taken in by_staff.items():
        talks = [c.talk_seconds for c in taken if c.talk_seconds is not None]
        waits = [c.wait_seconds for c in taken if c.wait_seconds is not None]
        figures.append(StaffFigures(staff_id, len(taken), mean(talks) if talks else None,
                                    mean(waits) if waits else None))
    return sorted(figures, key=lambda f: (-f.answered, f.staff_id))


@dataclass(frozen=True)
class CallbackFigures:
    """How callback requests ended, and how long a completed one took."""

    requested: int
    completed: int
    exhausted: int
    open: int
    median_minutes_to_completion: float | None
    mean_minutes_to_completion: float | None


def callback_figures(requests: Sequence[tuple[datetime, datetime | None, str]]) -> CallbackFigures:
    """From (requested at, closed at, status) of each request (merged ones left out)."""
    live = [r for r in requests if r[2] != "merged"]
    done = [(closed - asked).total_seconds() / 60 for asked, closed, status in live
            if status == "completed" and closed is not None]
    return CallbackFigures(
        requested=len(live), completed=sum(1 for r in live if r[2] == "completed"),
        exhausted=sum(1 for r in live if r[2] == "exhausted"),
        open=sum(1 for r in live if r[2] in ("pending", "in_progress")),
        median_minutes_to_completion=median(done) if done else None,
        mean_minutes_to_completion=mean(done) if done else None)
