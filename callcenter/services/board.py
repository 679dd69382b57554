"""The supervisors' live board: who is free, who is waiting and for how long — no caller data."""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, cast

from sqlalchemy import select

from ..core import callbacks as policy
from ..store import keys
from ..store.models import CallbackAttempt, CallbackRequest
from ..store.staffboard import StaffLive
from . import callbacks, metrics
from .helpline import Helpline

SHARED_MS = 1000


def shared_snapshot(h: Helpline) -> dict[str, Any]:
    """The board as every open dashboard sees it: computed at most once a second for all of them."""
    cached = h.redis.get(keys.BOARD_CACHE)
    if cached:
        return cast(dict[str, Any], json.loads(cached))
    board = snapshot(h)
    h.redis.set(keys.BOARD_CACHE, json.dumps(board, default=str), px=SHARED_MS)
    return board


def snapshot(h: Helpline) -> dict[str, Any]:
    """The board: staff by state, calls in progress, callers holding, pending callbacks, today."""
    now = h.clock()
    cf = h.callflow
    staff = []
    people = h.board.live()
    since = state_since(h, people, now)
    for item in people:
        started = since.get(item.card.id)
        staff.append({"id": item.card.id, "name": item.card.name, "presence": item.presence,
                      "activity": item.activity, "reason": item.reason,
                      "seconds_in_state": max(0, round(now - started)) if started else None,
                      "on_call": item.busy_with if item.busy_with and policy.attempt_of(item.busy_with) is None
                      else None,
                      "callback": policy.attempt_of(item.busy_with) is not None})
    talking = cast(list[tuple[str, float]], h.redis.zrange(keys.TALKING, 0, -1, withscores=True))
    in_progress = []
    for member, _ in talking:
        sid, _, staff_id = member.partition("|")
        callback = policy.attempt_of(sid) is not None
        flow = h.flows.get(sid) if not callback else {}
        answered = float(flow.get("answered_at") or 0)
        in_progress.append({"call": sid, "staff_id": int(staff_id), "kind": "callback" if callback else "live",
                            "line": flow.get("line"), "language": flow.get("language"),
                            "talking_seconds": round(now - answered) if answered else None})
    holding = []
    for position, (sid, arrived) in enumerate(cast(list[tuple[str, float]],
                                                   h.redis.zrange(keys.HOLD, 0, -1, withscores=True)), start=1):
        flow = h.flows.get(sid)
        holding.append({"position": position, "call": sid, "language": flow.get("language"),
                        "line": flow.get("line"), "waiting_seconds": round(now - float(arrived)),
                        "holding_seconds": round(now - float(flow.get("hold_since") or now))})
    summary = metrics.today(h)
    return {"staff": staff, "in_progress": in_progress, "holding": holding, "callbacks": pending_callbacks(h),
            "today": asdict(summary), "service_level_seconds": cf.service_level_seconds,
            "counts": {"free": sum(1 for s in staff if s["activity"] == "free"),
                       "busy": sum(1 for s in staff if s["activity"] in ("busy", "wrapup")),
                       "holding": len(holding)}}


def state_since(h: Helpline, people: list[StaffLive], now: float) -> dict[int, float]:
    """When each staff member's current state began (epoch seconds), where it can be known.

    Free: since they became idle (their place in line). Ringing or on a call: since the call was
    offered to them or they accepted it (a callback: since its attempt began). Wrap-up: since it
    began (its length less what is left of it). Away or offline: since they said so.
    """
    pipe = h.redis.pipeline(transaction=False)
    for item in people:
        pipe.hget(keys.staff(item.card.id), "presence_at")
        pipe.pttl(keys.wrapup(item.card.id))
        busy = item.busy_with
        pipe.hmget(keys.call(busy), "winner", "answered_at", "attempt_started") if busy and \
            policy.attempt_of(busy) is None else pipe.echo("")
    raw = pipe.execute()
    attempts = [a for a in (policy.attempt_of(item.busy_with) for item in people) if a is not None]
    with h.database.session() as session:
        began = dict(session.execute(select(CallbackAttempt.id, CallbackAttempt.created_at)
                                     .where(CallbackAttempt.id.in_(attempts))).tuples()) if attempts else {}
    wrapup_seconds = h.callflow.routing.wrapup_seconds
    result: dict[int, float] = {}
    for i, item in enumerate(people):
        presence_at, wrapup_ttl_ms, call = raw[3 * i: 3 * i + 3]
        guess: float | None = None
        attempt = policy.attempt_of(item.busy_with)
        if attempt is not None:
            created = began.get(attempt)
            guess = created.timestamp() if created else None
        elif item.busy_with:
            winner, answered, offered = call
            guess = float(answered) if winner == str(item.card.id) and answered else \
                float(offered) if offered else None
        elif item.in_wrapup and wrapup_ttl_ms and wrapup_ttl_ms > 0:
            guess = now - max(0.0, wrapup_seconds - wrapup_ttl_ms / 1000)
        elif item.activity == "free" and item.idle_since_ms and item.idle_since_ms / 1000 <= now:
            guess = item.idle_since_ms / 1000
        if guess is None and presence_at:
            guess = float(presence_at) / 1000
        if guess is not None:
            result[item.card.id] = guess
    return result


def pending_callbacks(h: Helpline, limit: int = 100) -> list[dict[str, Any]]:
    """Open callback requests in line order: age, attempts, next attempt, whether calling is allowed now."""
    now = callbacks.now(h)
    window = callbacks.calling_window(h.callflow)
    with h.database.session() as session:
        rows = session.scalars(select(CallbackRequest).where(CallbackRequest.status.in_(policy.OPEN))
                               .order_by(CallbackRequest.original_call_at, CallbackRequest.id).limit(limit))
        return [{"id": r.id, "status": r.status, "source": r.source, "attempts": r.attempts,
                 "age_minutes": round((now - r.requested_at).total_seconds() / 60),
                 "next_attempt_at": r.next_attempt_at.isoformat(timespec="minutes") if r.next_attempt_at else None,
                 "window_open": policy.may_call(now, tuple(filter(None, r.time_zones.split(","))) or
                                                (h.callflow.timezone,), window, r.consent_any_time, r.preferred),
                 "language": r.language} for r in rows]
