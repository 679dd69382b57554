"""Per-call flow state in Redis: language, hunt progress, and cached webhook answers.

The state expires on its own (a call cannot last longer than its TTL) and holds no
caller number in the clear.
"""
from __future__ import annotations

from typing import Any, cast

from redis import Redis

from ..core import callstatus
from . import keys
from .scripts import Scripts

FLOW_TTL_SECONDS = 8 * 3600
STATUS_TTL_SECONDS = 24 * 3600


class CallFlows:
    """One hash per inbound call (``{cc}:call:<sid>``)."""

    def __init__(self, redis: Redis, scripts: Scripts) -> None:
        self.redis = redis
        self.scripts = scripts

    def start(self, call_sid: str, fields: dict[str, str | int | float]) -> bool:
        """Create the call's state once; False when it existed (a replayed first webhook)."""
        args: list[str | int | float] = [FLOW_TTL_SECONDS]
        for name, value in fields.items():
            args += [name, value]
        return bool(self.scripts.start_flow(keys=[keys.call(call_sid)], args=args))

    def get(self, call_sid: str) -> dict[str, str]:
        """The call's state (empty when unknown or expired)."""
        return cast(dict[str, str], self.redis.hgetall(keys.call(call_sid)))

    def update(self, call_sid: str, **fields: str | int | float) -> None:
        """Set fields of the call's state."""
        if fields:
            pipe = self.redis.pipeline(transaction=False)
            pipe.hset(keys.call(call_sid), mapping=cast(Any, fields))
            pipe.expire(keys.call(call_sid), FLOW_TTL_SECONDS)
            pipe.execute()

    def next_step(self, call_sid: str) -> int:
        """A new step number for the next URL this call's TwiML points to."""
        return int(self.redis.hincrby(keys.call(call_sid), "step", 1))

    def cached_answer(self, call_sid: str, request_key: str) -> str | None:
        """The TwiML already given for this step of the call (a replayed webhook)."""
        value = self.redis.hget(keys.call(call_sid), f"answer:{request_key}")
        return str(value) if value is not None else None

    def remember_answer(self, call_sid: str, request_key: str, twiml: str) -> None:
        """Keep the TwiML given for this step, so a replay gets the same answer."""
        if self.redis.exists(keys.call(call_sid)):
            self.redis.hset(keys.call(call_sid), f"answer:{request_key}", twiml)

    def advance_status(self, sid: str, status: str) -> tuple[bool, bool]:
        """Record a call or leg status: (moved forward, became final with this status)."""
        new_rank = callstatus.rank(status)
        previous = int(self.scripts.advance_status(
            keys=[keys.leg_status(sid)], args=[status, new_rank, STATUS_TTL_SECONDS]))
        moved = previous < new_rank
        first_final = moved and callstatus.is_final(status) and previous < callstatus.rank("canceled")
        return moved, first_final

    def status(self, sid: str) -> str | None:
        """The furthest status seen for a call or leg."""
        value = self.redis.get(keys.leg_status(sid))
        return str(value).partition("|")[2] if value else None
