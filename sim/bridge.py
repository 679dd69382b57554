"""Two answered legs connected: they talk until one hangs up, is redirected, or the time limit."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .calls import Call
from .waiting import first

if TYPE_CHECKING:
    from .network import Network


class Bridge:
    """A conversation between two calls; both lines hear it (a transcript's ``bridged`` event)."""

    def __init__(self, net: Network, a: Call, b: Call) -> None:
        self.net = net
        self.a = a
        self.b = b
        self.opened_at = net.clock.now()

    def __enter__(self) -> Bridge:
        self.a.bridged_with, self.b.bridged_with = self.b, self.a
        self.a.peers.append(self.b)
        self.b.peers.append(self.a)
        for this, other in ((self.a, self.b), (self.b, self.a)):
            if this.line is not None:
                this.line.begin("bridged", other.line.phone.label if other.line else other.to)
        return self

    def __exit__(self, *exc: object) -> None:
        for call in (self.a, self.b):
            call.bridged_with = None
            if call.line is not None:
                call.line.end()
                if not call.final:
                    call.line.tell("unbridged")

    async def hold(self, time_limit: float) -> str:
        """Until one side stops: ``a``, ``b`` (hung up or redirected), or ``time-limit``."""
        done = await first(self.a.stop.wait(), self.b.stop.wait(), timeout=self.net.clock.real(time_limit))
        if 0 in done or self.a.stop.is_set():
            return "a"
        if 1 in done or self.b.stop.is_set():
            return "b"
        return "time-limit"

    def seconds(self) -> int:
        return round(self.net.clock.now() - self.opened_at)
