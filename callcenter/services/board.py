"""The supervisors' live board: who is free, who is waiting and for how long — no caller data."""
from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any, cast

from sqlalchemy import select

from ..core import callbacks as policy
from ..store import keys
from ..store.models import CallbackRequest
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
    for item in h.board.live():
        since = float(h.redis.hget(keys.staff(item.card.id), "presence_at") or 0) / 1000
        staff.append({"id": item.card.id, "name": item.card.name, "presence": item.presence,
                      "activity": item.activity, "reason": item.reason,
                      "seconds_in_state": round(now - since) if since else None,
                      "on_call": item.busy_with if item.busy_with and not item.busy_with.startswith("cb-") else None,
                      "callback": bool(item.busy_with and item.busy_with.startswith("cb-"))})
    talking = cast(list[tuple[str, float]], h.redis.zrange(keys.TALKING, 0, -1, withscores=True))
    in_progress = []
    for member, _ in talking:
        sid, _, staff_id = member.partition("|")
        flow = h.flows.get(sid) if not sid.startswith("cb-") else {}
        answered = float(flow.get("answered_at") or 0)
        in_progress.append({"call": sid, "staff_id": int(staff_id), "kind": "callback" if sid.startswith("cb-")
                            else "live", "line": flow.get("line"), "language": flow.get("language"),
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
                                                (h.callflow.timezone,), window, r.consent_any_time),
                 "language": r.language} for r in rows]
