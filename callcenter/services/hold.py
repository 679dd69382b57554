"""The hold queue: callers wait in order, hear their place and an honest expected wait."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import cast

from ..core.callbacks import expected_wait
from ..core.events import Kind
from ..store import keys
from .events import emit
from .helpline import Helpline
from .triggers import request_dispatch

log = logging.getLogger(__name__)
ANSWERED_HORIZON = 3600
#: Seconds a hand-over to staff may take (a REST redirect) before a caller still holding rejoins the line.
HANDOVER_SECONDS = 15


@dataclass(frozen=True)
class Holding:
    """Put the caller in the hold queue."""

    language: str
    step: int
    back: bool = False  # back in line after a dispatched staff member missed


@dataclass(frozen=True)
class HoldLoop:
    """One loop of the wait music: place in line and expected wait, or leave the queue."""

    language: str
    position: int | None
    wait_seconds: float | None
    leave: bool
    announce: bool


def enter(h: Helpline, call_sid: str, back: bool = False) -> Holding:
    """Join the hold queue, keeping the place the call's arrival gives it."""
    flow = h.flows.get(call_sid)
    arrived = float(flow.get("received_at") or h.clock())
    h.redis.zadd(keys.HOLD, {call_sid: arrived}, nx=True)
    h.flows.update(call_sid, held=1, hold_since=flow.get("hold_since") or h.clock(), current="", wait_loops=0)
    emit(h, Kind.HELD, f"{call_sid}:held", call_sid=call_sid)
    request_dispatch(h)
    return Holding(language=flow.get("language") or h.callflow.default_language.code,
                   step=h.flows.next_step(call_sid), back=back)


def position(h: Helpline, call_sid: str) -> int | None:
    """1 for the caller who has waited longest; None when not holding."""
    rank = h.redis.zrank(keys.HOLD, call_sid)
    return None if rank is None else int(rank) + 1  # type: ignore[arg-type]


def loop(h: Helpline, call_sid: str) -> HoldLoop:
    """What the caller hears on this loop of the wait URL."""
    flow = h.flows.get(call_sid)
    language = flow.get("language") or h.callflow.default_language.code
    loops = int(h.redis.hincrby(keys.call(call_sid), "wait_loops", 1))
    place = position(h, call_sid)
    if place is None and flow.get("ended") == "1":  # a late loop of a caller who hung up: never back in line
        return HoldLoop(language, None, None, leave=True, announce=False)
    if place is None:
        handed_over = float(flow.get("dispatched_at") or 0) if flow.get("dispatched") == "1" else 0.0
        if handed_over and h.clock() - handed_over < HANDOVER_SECONDS:
            return HoldLoop(language, None, None, leave=False, announce=False)  # the redirect is on its way
        place = rejoin(h, call_sid, flow)
        if place is None:  # Redis would not take it back: leave the queue for the menu (never silence)
            return HoldLoop(language, None, None, leave=True, announce=False)
    held_for = h.clock() - float(flow.get("hold_since") or h.clock())
    if held_for >= h.callflow.hold.max_seconds:
        h.flows.update(call_sid, hold_expired=1)
        return HoldLoop(language, place, None, leave=True, announce=False)
    now = h.clock()
    recent = cast(list[tuple[str, float]], h.redis.zrangebyscore(
        keys.HOLD_ANSWERED, now - ANSWERED_HORIZON, now, withscores=True))
    answered = [float(score) for _, score in recent]
    return HoldLoop(language, place, expected_wait(place, answered, now), leave=False, announce=loops % 3 == 1)


def rejoin(h: Helpline, call_sid: str, flow: dict[str, str]) -> int | None:
    """Still in Twilio's hold queue but not in line here (a hand-over that never came, or a Redis that
    lost the line): back in line at the place the call's arrival gives, never forgotten in silence."""
    arrived = float(flow.get("received_at") or h.clock())
    h.redis.zadd(keys.HOLD, {call_sid: arrived}, nx=True)
    h.flows.update(call_sid, dispatched=0, held=1)
    log.warning("held call %s was not in line; back in its place", call_sid)
    request_dispatch(h)
    return position(h, call_sid)


def asked_for_callback(h: Helpline, call_sid: str, digits: str) -> bool:
    """The caller pressed a key while holding: 2 leaves the queue for a callback."""
    if digits != "2":
        return False
    h.flows.update(call_sid, wants_callback=1)
    return True


def leave(h: Helpline, call_sid: str, reason: str, removed: bool | None = None) -> float:
    """Take the caller out of the queue (handed to staff, hung up, left); returns seconds held.

    ``removed``: the caller already took them out (the dispatcher claims by removing).
    """
    if removed is None:
        removed = bool(h.redis.zrem(keys.HOLD, call_sid))
    if not removed:
        return 0.0
    flow = h.flows.get(call_sid)
    since = float(flow.get("hold_since") or h.clock())
    held = max(0.0, h.clock() - since)
    times = int(h.redis.hincrby(keys.call(call_sid), "hold_left", 1))
    emit(h, Kind.HOLD_LEFT, f"{call_sid}:hold-left:{times}", call_sid=call_sid, held_seconds=round(held),
         reason=reason)
    if reason == "hangup":
        log.info("caller hung up while holding call=%s held=%ss", call_sid, round(held))
    return held


def note_answered(h: Helpline, call_sid: str) -> None:
    """A held caller is being handed to staff: it feeds the expected-wait estimate."""
    now = h.clock()
    pipe = h.redis.pipeline(transaction=False)
    pipe.zadd(keys.HOLD_ANSWERED, {call_sid: now})
    pipe.zremrangebyscore(keys.HOLD_ANSWERED, "-inf", now - ANSWERED_HORIZON)
    pipe.execute()
