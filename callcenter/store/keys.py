"""Every Redis key the service uses, built in one place.

All routing keys share the hash tag ``{cc}`` so that the multi-key Lua scripts run
unchanged on Redis Cluster (every key of a script lands on the same slot).
"""
from __future__ import annotations

TAG = "{cc}"

#: Sorted set: staff present (available), scored by the time they became idle (ms).
AVAILABLE = f"{TAG}:available"
#: Stream of call events not yet recorded in the database.
EVENTS = f"{TAG}:events"
#: Set of keyed hashes of blocked caller numbers.
BLOCKLIST = f"{TAG}:blocklist"
#: Sorted set: calls a staff member is talking on, scored by when to check on them (ms).
TALKING = f"{TAG}:talking"
#: Set of staff ids that the directory in Redis knows.
STAFF_IDS = f"{TAG}:staff-ids"
#: Sorted set: callers holding, scored by when their call arrived (their place in line).
HOLD = f"{TAG}:hold"
#: Sorted set: when held callers were handed to staff (for the expected wait).
HOLD_ANSWERED = f"{TAG}:hold-answered"
#: String with TTL: the live board, shared by every open dashboard for a second.
BOARD_CACHE = f"{TAG}:board"
#: String with TTL: a dispatch job is queued; more triggers need not queue another.
DISPATCH_REQUESTED = f"{TAG}:dispatch-requested"


def staff(staff_id: int) -> str:
    """Hash: a staff member's card (contact, languages, lines, priority) and live fields."""
    return f"{TAG}:staff:{staff_id}"


def busy(staff_id: int) -> str:
    """String with TTL: the call a staff member is reserved for or talking on."""
    return f"{TAG}:busy:{staff_id}"


def wrapup(staff_id: int) -> str:
    """String with TTL: a staff member is in wrap-up until it expires."""
    return f"{TAG}:wrapup:{staff_id}"


def taken(day: str) -> str:
    """Hash: calls each staff member accepted on one day (for fewest-calls)."""
    return f"{TAG}:taken:{day}"


def last_offered(line: str) -> str:
    """String: the staff member last offered a call on a line (for round-robin)."""
    return f"{TAG}:rr:{line}"


def call(call_sid: str) -> str:
    """Hash with TTL: one inbound call's flow state and its cached webhook answers."""
    return f"{TAG}:call:{call_sid}"


def winner(call_sid: str) -> str:
    """String: the staff member who accepted a call (set once)."""
    return f"{TAG}:winner:{call_sid}"


def missed(call_sid: str, staff_id: int) -> str:
    """String with TTL: a miss of this staff member on this call was counted."""
    return f"{TAG}:missed:{call_sid}:{staff_id}"


def leg_status(sid: str) -> str:
    """String with TTL: the furthest status seen for a call or leg."""
    return f"{TAG}:status:{sid}"


def session(session_id: str) -> str:
    """Hash with TTL: a signed-in user's server-side session (deleting it signs them out)."""
    return f"{TAG}:session:{session_id}"


def sign_in_failures(kind: str, who: str) -> str:
    """Counter with TTL: failed sign-ins for an account or from an address."""
    return f"{TAG}:signin-failures:{kind}:{who}"


def wrapped(call_sid: str) -> str:
    """String with TTL: the call's wrap-up was saved (its disposition)."""
    return f"{TAG}:wrapped:{call_sid}"


def tick(name: str) -> str:
    """String with TTL: a periodic job was enqueued for this period."""
    return f"{TAG}:tick:{name}"


def limiter(name: str) -> str:
    """Sorted set: recent outbound requests of a rate limiter."""
    return f"{TAG}:limit:{name}"
