"""What became of each caller, seen from outside: answered, held, called back, abandoned, voicemail."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .calls import Call
    from .network import Network
    from .phones import Phone


def peer_roles(call: Call) -> set[str]:
    return {peer.line.phone.role for peer in call.peers if peer.line is not None}


def outcome(call: Call) -> str:
    """One word for an inbound call: answered, overflow, voicemail, abandoned, or ended (by the service)."""
    roles = peer_roles(call)
    if "staff" in roles:
        return "answered"
    if roles:
        return "overflow"
    kinds = call.line.phone.transcript.kinds(call.sid) if call.line else []
    if "record" in kinds and "spoke" in kinds[kinds.index("record"):]:
        return "voicemail"
    if "hung-up" in kinds:
        return "abandoned"
    return "ended"


def was_held(call: Call) -> bool:
    return call.line is not None and "hold" in call.line.phone.transcript.kinds(call.sid)


def called_back(net: Network, phone: Phone) -> bool:
    """The caller's phone later got an outbound call from the service that was answered."""
    return any(c.direction != "inbound" and c.to == phone.address and c.answered for c in net.calls.values())


def tally(net: Network, calls: Iterable[Call]) -> Counter[str]:
    """Counts of outcomes for the given inbound calls, plus ``held`` and ``called back``."""
    calls = list(calls)
    counts: Counter[str] = Counter(calls=len(calls))
    phones: dict[str, Phone] = {}
    for call in calls:
        counts[outcome(call)] += 1
        counts["held"] += was_held(call)
        if call.line is not None:
            phones[call.line.phone.address] = call.line.phone
    counts["called back"] = sum(called_back(net, phone) for phone in phones.values())
    return counts
