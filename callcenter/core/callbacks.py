"""Callback policy: when the next attempt may happen, and whether a moment is safe to call.

Pure functions of an explicit ``now`` (aware datetimes): the retry schedule, the calling
window that must hold in every time zone a number may be in, and preferred windows.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

#: Request states. Open ones may still be called; every request ends in exactly one terminal one.
PENDING, IN_PROGRESS = "pending", "in_progress"
COMPLETED, EXHAUSTED, CANCELLED, MERGED = "completed", "exhausted", "cancelled", "merged"
OPEN = (PENDING, IN_PROGRESS)
TERMINAL = (COMPLETED, EXHAUSTED, CANCELLED, MERGED)

#: Attempt outcomes that count against the caller's attempts (the caller was not reached).
CALLER_NOT_REACHED = frozenset({"busy", "no-answer", "machine", "failed"})


def attempt_owner(attempt_id: int) -> str:
    """What a staff member's reservation is held for during a callback attempt (a call SID otherwise)."""
    return f"cb-{attempt_id}"


def attempt_of(owner: str | None) -> int | None:
    """The callback attempt a reservation is held for; None for a caller's call (or nothing)."""
    if owner and owner.startswith("cb-") and owner[3:].isdigit():
        return int(owner[3:])
    return None

_SEARCH_DAYS = 8


@dataclass(frozen=True)
class Window:
    """Local hours in which calling is allowed: [start, end)."""

    start: time = time(8, 0)
    end: time = time(21, 0)

    def contains(self, local: datetime) -> bool:
        """True when a local wall-clock time falls inside the window."""
        clock = local.timetz().replace(tzinfo=None)
        if self.start <= self.end:
            return self.start <= clock < self.end
        return clock >= self.start or clock < self.end  # a window across midnight


@dataclass(frozen=True)
class RetryPolicy:
    """How many attempts, and how long to wait after each unreached one."""

    max_attempts: int = 3
    delays: tuple[timedelta, ...] = (timedelta(minutes=10), timedelta(minutes=30))

    def delay_after(self, attempts_made: int) -> timedelta:
        """The wait after the ``attempts_made``-th unreached attempt (the last delay repeats)."""
        if not self.delays:
            return timedelta(0)
        return self.delays[min(attempts_made, len(self.delays)) - 1]


#: Preferred windows a caller may ask for, as local hours (None: as soon as possible).
PREFERRED: dict[str, Window | None] = {
    "asap": None,
    "morning": Window(time(8, 0), time(12, 0)),
    "afternoon": Window(time(12, 0), time(17, 0)),
    "evening": Window(time(17, 0), time(21, 0)),
}


def open_everywhere(moment: datetime, zones: Sequence[str], window: Window) -> bool:
    """True when ``moment`` is inside the window in every one of the zones."""
    return all(window.contains(moment.astimezone(ZoneInfo(zone))) for zone in zones)


def next_opening(now: datetime, zones: Sequence[str], window: Window) -> datetime | None:
    """The earliest moment at or after ``now`` inside the window in every zone.

    Candidates are ``now`` and each zone's window start on each of the next days (the
    windows open only at those instants); None when no moment within eight days works.
    """
    if open_everywhere(now, zones, window):
        return now
    candidates = []
    for zone in zones:
        tz = ZoneInfo(zone)
        local_day = now.astimezone(tz).date()
        for offset in range(_SEARCH_DAYS + 1):
            day = local_day + timedelta(days=offset)
            start = _local_instant(day, window.start, tz)
            if start > now:
                candidates.append(start)
    for candidate in sorted(candidates):
        if open_everywhere(candidate, zones, window):
            return candidate
    return None


def _local_instant(day: object, clock: time, tz: ZoneInfo) -> datetime:
    """The instant a local wall-clock time happens (the later one when DST repeats it,
    and the moment after the gap when DST skips it)."""
    naive = datetime.combine(day, clock)  # type: ignore[arg-type]
    local = naive.replace(tzinfo=tz, fold=0)
    if local.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        # Skipped by a DST jump: the first moment after the gap.
        local = (naive + timedelta(hours=1)).replace(tzinfo=tz)
    return local.astimezone(UTC)


def may_call(now: datetime, zones: Sequence[str], window: Window, any_time: bool, preferred: str = "asap") -> bool:
    """Whether an attempt may start now: inside the calling window and the window the caller asked
    for (always, with the caller's "any time" consent)."""
    chosen = PREFERRED.get(preferred)
    return any_time or (open_everywhere(now, zones, window) and (chosen is None or open_everywhere(now, zones, chosen)))


def first_attempt_at(now: datetime, zones: Sequence[str], window: Window, any_time: bool,
                     preferred: str = "asap") -> datetime:
    """When the first attempt may happen: the preferred window if any, inside the calling window."""
    chosen = PREFERRED.get(preferred)
    earliest = now
    if chosen is not None:
        earliest = next_opening(now, zones, chosen) or now
    return schedule(earliest, zones, window, any_time)


def schedule(earliest: datetime, zones: Sequence[str], window: Window, any_time: bool) -> datetime:
    """The first moment at or after ``earliest`` that the calling window allows.

    With no opening in every zone within eight days (numbers spread across far-apart
    zones), the request is not dropped: the first zone's window decides.
    """
    if any_time:
        return earliest
    return next_opening(earliest, zones, window) or next_opening(earliest, zones[:1], window) or earliest


def after_unreached(now: datetime, attempts_made: int, policy: RetryPolicy, zones: Sequence[str],
                    window: Window, any_time: bool, preferred: str = "asap") -> datetime | None:
    """When to try again after an attempt that did not reach the caller (still in the window they
    asked for: "this evening" stays an evening, tomorrow's if need be); None when exhausted."""
    if attempts_made >= policy.max_attempts:
        return None
    return first_attempt_at(now + policy.delay_after(attempts_made), zones, window, any_time, preferred)


def expected_wait(position: int, answered_at: Sequence[float], now: float, horizon: float = 3600.0) -> float | None:
    """Seconds a held caller at ``position`` may expect to wait, from recent answer times.

    The rate at which held callers were answered over the last hour, applied to the
    callers ahead; None when too few were answered lately to say anything honest.
    """
    recent = sorted(t for t in answered_at if now - horizon <= t <= now)
    if len(recent) < 3 or recent[-1] <= recent[0]:
        return None
    rate = (len(recent) - 1) / (recent[-1] - recent[0])
    return position / rate
