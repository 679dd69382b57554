"""A party's end of a call: what they hear (a transcript), the keys they press, hanging up."""
from __future__ import annotations

import asyncio
import itertools
import math
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .calls import Call
    from .network import Network
    from .phones import Phone

#: Events that are something the party heard (the rest are things the party did, or call states).
HEARD = {"say", "play", "beep", "app-error", "ringback", "hold", "bridged", "not-in-service"}
DID = {"pressed", "spoke", "answered", "declined", "hung-up", "dialled"}
_sequence = itertools.count()


@dataclass(frozen=True)
class Event:
    """One thing that happened on a line, in simulated and wall-clock time."""

    seq: int
    at: float
    wall: float
    party: str
    call_sid: str
    kind: str
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Transcript:
    """Everything one phone heard and did, in order, across its calls."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def add(self, event: Event) -> None:
        self.events.append(event)

    def of(self, call_sid: str | None = None, kinds: set[str] | None = None) -> list[Event]:
        return [e for e in self.events if (call_sid is None or e.call_sid == call_sid)
                and (kinds is None or e.kind in kinds)]

    def heard(self, call_sid: str | None = None) -> list[str]:
        """The <Say> texts, in order."""
        return [e.text for e in self.of(call_sid, {"say"})]

    def did(self, call_sid: str | None = None) -> list[str]:
        """What the party did: ``pressed 1``, ``answered``, ``hung-up`` …"""
        return [f"{e.kind} {e.text}".strip() for e in self.of(call_sid, DID)]

    def kinds(self, call_sid: str | None = None) -> list[str]:
        return [e.kind for e in self.of(call_sid)]


class Line:
    """The phone's end of one call leg; the engine tells it things, the party acts on it."""

    def __init__(self, net: Network, call: Call, phone: Phone) -> None:
        self.net = net
        self.call = call
        self.phone = phone
        self.inbox: asyncio.Queue[Event] = asyncio.Queue()
        self.digits: asyncio.Queue[str] = asyncio.Queue()
        self.offer: asyncio.Future[str] | None = None
        self.speaking_until = -math.inf
        self.speech: list[tuple[float, float]] = []   # when the party talked (simulated seconds)
        self.sound = asyncio.Event()
        self.quiet_from: float | None = None    # simulated time the party last heard something end
        self.ongoing = 0                         # ringback, hold music, conversation, listening in progress
        self.longest_silence = 0.0

    # ------------------------------------------------------------------ the engine's side

    def tell(self, kind: str, text: str = "", seconds: float = 0.0) -> Event:
        """Record an event on this line; ``seconds`` is how long the party hears it."""
        now = self.net.clock.now()
        event = Event(next(_sequence), round(now, 3), time.time(), self.phone.address, self.call.sid, kind, text)
        if kind in HEARD:
            self._heard(now, seconds)
        self.phone.transcript.add(event)
        if not self.phone.manual:   # a persona reads the inbox; a manual phone is watched over HTTP
            self.inbox.put_nowait(event)
        self.net.publish(event)
        return event

    def begin(self, kind: str, text: str = "") -> None:
        """Something the party hears until ``end`` (ringback, hold music, a conversation) or input is awaited."""
        if kind in HEARD:
            self.tell(kind, text, math.inf)
        else:
            self._heard(self.net.clock.now(), math.inf)
        self.ongoing += 1

    def end(self) -> None:
        self.ongoing = max(0, self.ongoing - 1)
        if self.ongoing == 0 and self.quiet_from is not None:
            now = self.net.clock.now()
            self.quiet_from = now if math.isinf(self.quiet_from) else max(self.quiet_from, now)

    def start_listening_for_silence(self) -> None:
        """From the answer on, a gap in what the caller hears is silence."""
        if self.quiet_from is None:
            self.quiet_from = self.net.clock.now()

    def _heard(self, now: float, seconds: float) -> None:
        self.close_silence(now)
        if self.quiet_from is not None:
            self.quiet_from = max(self.quiet_from, now + seconds)

    def close_silence(self, now: float) -> None:
        """Measure the silence that ends now (also called when the call ends)."""
        if self.quiet_from is None or self.ongoing or math.isinf(self.quiet_from):
            return
        gap = now - self.quiet_from
        if gap > self.longest_silence:
            self.longest_silence = gap
        if gap > self.net.config.silence_threshold and self.phone.role == "caller":
            self.net.flag("silence", self.phone.address, self.call.sid, f"{gap:.1f}s")

    # ------------------------------------------------------------------ the party's side

    def answer(self) -> None:
        if self.offer is not None and not self.offer.done():
            self.offer.set_result("answer")
            self.tell("answered")

    def decline(self, busy: bool = True) -> None:
        if self.offer is not None and not self.offer.done():
            self.offer.set_result("busy" if busy else "reject")
            self.tell("declined", "busy" if busy else "reject")

    def press(self, keys: str) -> None:
        if self.call.final or not keys:
            return
        self.tell("pressed", keys)
        for key in keys:
            self.digits.put_nowait(key)

    def speak(self, seconds: float) -> None:
        """The party talks for a while (what <Record> captures)."""
        if self.call.final:
            return
        start = max(self.speaking_until, self.net.clock.now())
        self.speaking_until = start + seconds
        self.speech.append((start, start + seconds))
        self.tell("spoke", f"{seconds:g}s")
        self.sound.set()

    def hang_up(self) -> None:
        if self.call.final:
            return
        if self.offer is not None and not self.offer.done():
            self.decline(busy=False)
            return
        self.tell("hung-up")
        self.net.hang_up(self.call, by_party=True)

    def spoken_between(self, start: float, end: float) -> float:
        """Seconds of the party's speech inside [start, end]."""
        return sum(max(0.0, min(b, end) - max(a, start)) for a, b in self.speech)

    @property
    def ringing(self) -> bool:
        return self.offer is not None and not self.offer.done() and not self.call.final
