"""Twilio call statuses in order, so a call's state never goes backwards."""
from __future__ import annotations

_RANK = {
    "queued": 0,
    "initiated": 1,
    "ringing": 2,
    "in-progress": 3,
    # Final states. Only one happens to a real call; when duplicates disagree the
    # precedence below makes every delivery order end in the same state.
    "canceled": 4,
    "failed": 5,
    "no-answer": 6,
    "busy": 7,
    "completed": 8,
}
FINAL = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
KNOWN = frozenset(_RANK)


def rank(status: str) -> int:
    """Position of a status in a call's life; unknown statuses rank lowest."""
    return _RANK.get(status, -1)


def is_final(status: str) -> bool:
    """True for the statuses after which nothing more happens to the call."""
    return status in FINAL


def later(current: str | None, new: str) -> str:
    """The status a call is in after seeing ``new``: never earlier than ``current``."""
    if current is None or rank(new) > rank(current):
        return new
    return current


def missed_by(status: str, accepted: bool) -> bool:
    """Whether a staff leg that ended in ``status`` counts as a miss for its staff member.

    A leg that was canceled (the caller hung up, or a colleague took the call) is not
    the staff member's miss; an unanswered, busy or failed leg is, and so is a leg that
    was answered (by the person or by their voicemail) but never accepted with 1.
    """
    if accepted:
        return False
    return status in {"no-answer", "busy", "failed", "completed"}
