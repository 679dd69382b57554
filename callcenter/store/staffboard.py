"""Staff presence, idle order, reservations and wrap-up, kept in Redis.

Every change that touches more than one key is one Lua script, so any number of web
processes and workers can race without ever giving one staff member two calls.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from redis import Redis

from ..core.routing import Candidate
from . import keys
from .scripts import Scripts

PRESENCES = ("available", "away", "offline")
_DAY_SECONDS = 2 * 24 * 3600


@dataclass(frozen=True)
class StaffCard:
    """What routing needs to know about a staff member (the database has the rest)."""

    id: int
    name: str
    contact: str
    languages: tuple[str, ...]
    lines: tuple[str, ...]
    priority: int = 100


@dataclass(frozen=True)
class StaffLive:
    """A staff member's live state, for boards and the CLI."""

    card: StaffCard
    presence: str
    reason: str
    idle_since_ms: float | None
    busy_with: str | None
    in_wrapup: bool
    misses: int

    @property
    def activity(self) -> str:
        """What they are doing: offline / away / on a call / wrap-up / free."""
        if self.busy_with:
            return "busy"
        if self.in_wrapup:
            return "wrapup"
        return "free" if self.presence == "available" else self.presence


class StaffBoard:
    """Staff directory and live state in Redis."""

    def __init__(self, redis: Redis, scripts: Scripts) -> None:
        self.redis = redis
        self.scripts = scripts

    # ------------------------------------------------------------ directory

    def publish(self, cards: Iterable[StaffCard], *, complete: bool = False) -> None:
        """Write staff cards; with ``complete``, remove everyone not listed (deactivated)."""
        cards = list(cards)
        pipe = self.redis.pipeline(transaction=False)
        for card in cards:
            pipe.hset(keys.staff(card.id), mapping={
                "name": card.name,
                "contact": card.contact,
                "languages": ",".join(card.languages),
                "lines": ",".join(card.lines),
                "priority": card.priority,
            })
            pipe.sadd(keys.STAFF_IDS, card.id)
        pipe.execute()
        if complete:
            listed = {card.id for card in cards}
            for staff_id in self.known_ids() - listed:
                self.remove(staff_id)

    def remove(self, staff_id: int) -> None:
        """Take a staff member out of routing (deactivated); a call in progress continues."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.zrem(keys.AVAILABLE, staff_id)
        pipe.delete(keys.staff(staff_id))
        pipe.srem(keys.STAFF_IDS, staff_id)
        pipe.execute()

    def known_ids(self) -> set[int]:
        """Ids of every staff member in the directory."""
        return {int(x) for x in self.redis.smembers(keys.STAFF_IDS)}

    def cards(self, staff_ids: Sequence[int]) -> dict[int, StaffCard]:
        """Cards of these staff members (missing ones left out)."""
        pipe = self.redis.pipeline(transaction=False)
        for staff_id in staff_ids:
            pipe.hgetall(keys.staff(staff_id))
        replies = pipe.execute()
        return {sid: _card(sid, raw) for sid, raw in zip(staff_ids, replies, strict=True) if raw.get("contact")}

    # ------------------------------------------------------------ presence

    def set_presence(self, staff_id: int, presence: str, now_ms: int, reason: str = "") -> str:
        """Set available / away / offline; returns the previous presence."""
        if presence not in PRESENCES:
            raise ValueError(f"presence must be one of {', '.join(PRESENCES)}")
        return str(self.scripts.presence(keys=[keys.staff(staff_id), keys.AVAILABLE],
                                         args=[staff_id, presence, now_ms, reason]))

    def live(self, staff_ids: Sequence[int] | None = None) -> list[StaffLive]:
        """Live state of these staff members (default: everyone in the directory)."""
        ids = sorted(self.known_ids()) if staff_ids is None else list(staff_ids)
        pipe = self.redis.pipeline(transaction=False)
        for staff_id in ids:
            pipe.hgetall(keys.staff(staff_id))
            pipe.zscore(keys.AVAILABLE, staff_id)
            pipe.get(keys.busy(staff_id))
            pipe.exists(keys.wrapup(staff_id))
        raw = pipe.execute()
        result = []
        for i, staff_id in enumerate(ids):
            card, idle, busy, wrap = raw[4 * i: 4 * i + 4]
            if not card.get("contact"):
                continue
            result.append(StaffLive(
                card=_card(staff_id, card), presence=card.get("presence", "offline"),
                reason=card.get("reason", ""), idle_since_ms=idle, busy_with=busy,
                in_wrapup=bool(wrap), misses=int(card.get("misses") or 0)))
        return result

    # ------------------------------------------------------------ routing

    def candidates(self, day: str, line: str) -> tuple[list[Candidate], int | None]:
        """A snapshot of free staff and the last one offered a call on the line.

        The snapshot may be stale by the time a reservation is tried: ``reserve`` checks
        again atomically.
        """
        present = cast(list[tuple[str, float]], self.redis.zrange(keys.AVAILABLE, 0, -1, withscores=True))
        pipe = self.redis.pipeline(transaction=False)
        for member, _ in present:
            pipe.hmget(keys.staff(int(member)), "languages", "lines", "priority")
            pipe.exists(keys.busy(int(member)), keys.wrapup(int(member)))
        pipe.hgetall(keys.taken(day))
        pipe.get(keys.last_offered(line))
        raw = pipe.execute()
        taken, last = raw[-2], raw[-1]
        result = []
        for i, (member, idle) in enumerate(present):
            (languages, lines, priority), blocked = raw[2 * i], raw[2 * i + 1]
            if blocked or lines is None:
                continue
            result.append(Candidate(
                staff_id=int(member), idle_since=float(idle),
                languages=frozenset(filter(None, (languages or "").split(","))),
                lines=frozenset(filter(None, lines.split(","))),
                priority=int(priority or 100), calls_today=int(taken.get(member, 0))))
        return result, int(last) if last else None

    def reserve(self, call_sid: str, ranked: Sequence[int], count: int, ttl_ms: int) -> list[int]:
        """Reserve the first ``count`` of ``ranked`` that are still free, atomically."""
        if not ranked:
            return []
        key_list = [keys.AVAILABLE]
        for staff_id in ranked:
            key_list += [keys.busy(staff_id), keys.wrapup(staff_id)]
        got = self.scripts.reserve(keys=key_list, args=[call_sid, ttl_ms, count, *ranked])
        return [int(x) for x in got]

    def note_offered(self, line: str, staff_id: int) -> None:
        """Remember who was offered the last call on a line (round-robin's pointer)."""
        self.redis.set(keys.last_offered(line), staff_id, ex=_DAY_SECONDS)

    def release(self, staff_id: int, call_sid: str) -> bool:
        """Drop a reservation if it is still for this call."""
        return bool(self.scripts.release(keys=[keys.busy(staff_id)], args=[call_sid]))

    def holder(self, staff_id: int) -> str | None:
        """The call a staff member is reserved for or talking on."""
        value = self.redis.get(keys.busy(staff_id))
        return str(value) if value else None

    def accept(self, call_sid: str, staff_id: int, *, talk_ms: int, check_at_ms: int, day: str) -> str:
        """Make this staff member the call's winner: accepted/already/taken/gone/expired."""
        return str(self.scripts.accept(
            keys=[keys.busy(staff_id), keys.winner(call_sid), keys.call(call_sid), keys.staff(staff_id),
                  keys.taken(day), keys.TALKING],
            args=[call_sid, staff_id, talk_ms, check_at_ms, _DAY_SECONDS]))

    def clear_winner(self, call_sid: str, staff_id: int) -> bool:
        """Forget that this staff member won the call (they never got the caller); compare-and-delete."""
        cleared = bool(self.scripts.release(keys=[keys.winner(call_sid)], args=[str(staff_id)]))
        if cleared:
            self.redis.hdel(keys.call(call_sid), "winner")
        return cleared

    def winner(self, call_sid: str) -> int | None:
        """Who accepted the call, if anyone."""
        value = self.redis.get(keys.winner(call_sid))
        return int(value) if value else None

    def miss(self, call_sid: str, staff_id: int, *, autopause_after: int, now_ms: int) -> tuple[int, bool, bool]:
        """Count a miss once: (misses in a row, paused now, counted now)."""
        misses, paused, counted = self.scripts.miss(
            keys=[keys.missed(call_sid, staff_id), keys.staff(staff_id), keys.AVAILABLE, keys.busy(staff_id)],
            args=[call_sid, staff_id, autopause_after, _DAY_SECONDS, now_ms])
        return int(misses), bool(paused), bool(counted)

    def end_call(self, call_sid: str, staff_id: int, *, wrapup_ms: int, token: str, idle_since_ms: int) -> bool:
        """Free a staff member from a call into wrap-up; False if it had ended already."""
        return bool(self.scripts.end_call(
            keys=[keys.busy(staff_id), keys.wrapup(staff_id), keys.AVAILABLE, keys.TALKING],
            args=[call_sid, staff_id, wrapup_ms, token, idle_since_ms]))

    def end_wrapup(self, staff_id: int, token: str, now_ms: int) -> bool:
        """End one wrap-up (they are idle from ``now_ms``); False if it had already ended."""
        return bool(self.scripts.end_wrapup(keys=[keys.wrapup(staff_id), keys.AVAILABLE],
                                            args=[token, staff_id, now_ms]))

    def wrapup_token(self, staff_id: int) -> str | None:
        """The token of the wrap-up a staff member is in, if any."""
        value = self.redis.get(keys.wrapup(staff_id))
        return str(value) if value else None

    # ------------------------------------------------------------ the reaper's list

    def talking_due(self, now_ms: int, limit: int = 100) -> list[tuple[str, int]]:
        """Calls in progress whose check time has come: (call sid, staff id)."""
        members = cast(list[str], self.redis.zrangebyscore(keys.TALKING, "-inf", now_ms, start=0, num=limit))
        result = []
        for member in members:
            sid, _, staff = str(member).partition("|")
            result.append((sid, int(staff)))
        return result

    def check_later(self, call_sid: str, staff_id: int, at_ms: int) -> None:
        """Push a call's next check back (it is still in progress)."""
        self.redis.zadd(keys.TALKING, {f"{call_sid}|{staff_id}": at_ms}, xx=True)

    def forget_talking(self, call_sid: str, staff_id: int) -> None:
        """Drop a call from the reaper's list."""
        self.redis.zrem(keys.TALKING, f"{call_sid}|{staff_id}")


def _card(staff_id: int, raw: dict[str, str]) -> StaffCard:
    return StaffCard(
        id=staff_id, name=raw.get("name", ""), contact=raw.get("contact", ""),
        languages=tuple(filter(None, raw.get("languages", "").split(","))),
        lines=tuple(filter(None, raw.get("lines", "").split(","))),
        priority=int(raw.get("priority") or 100))
