"""Call queues: <Enqueue> with its wait URL loop, and <Dial><Queue> taking the caller at the front."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .bridge import Bridge
from .calls import Call, Goto
from .ids import new_sid
from .session import DONE, ERROR, HANGUP, REDIRECTED, Document, Outcome, Session
from .twiml import Verb
from .waiting import first

if TYPE_CHECKING:
    from .network import Network

WAIT_VERBS = {"Play", "Say", "Pause", "Hangup", "Redirect", "Leave", "Gather"}
QUEUE_URL_VERBS = {"Play", "Say", "Pause", "Redirect"}


@dataclass(eq=False)
class Dequeue:
    """A <Dial><Queue> taking a member: the url to run on the member first, then the bridge."""

    dequeuer: Call
    url: str | None
    method: str
    ready: asyncio.Future[bool]
    over: asyncio.Event = field(default_factory=asyncio.Event)


@dataclass(eq=False)
class Member:
    """A call waiting in a queue."""

    call: Call
    queue: Queue
    joined: float
    taken: asyncio.Future[Dequeue]


class Queue:
    """A named queue of the account (created on first use, like Twilio's)."""

    def __init__(self, name: str, max_size: int) -> None:
        self.name = name
        self.sid = new_sid("QU")
        self.max_size = max_size
        self.members: list[Member] = []
        self.dequeuers: list[asyncio.Future[Member]] = []

    def add(self, call: Call, now: float) -> Member | None:
        if len(self.members) >= self.max_size:
            return None
        member = Member(call, self, now, asyncio.get_running_loop().create_future())
        for waiting in self.dequeuers:
            if not waiting.done():
                self.dequeuers.remove(waiting)
                waiting.set_result(member)
                return member
        self.members.append(member)
        return member

    def remove(self, member: Member) -> None:
        if member in self.members:
            self.members.remove(member)

    def params(self, member: Member, now: float) -> dict[str, str]:
        waits = [now - m.joined for m in self.members] or [0.0]
        position = self.members.index(member) + 1 if member in self.members else 0
        return {"QueueSid": self.sid, "QueuePosition": str(position), "QueueTime": str(round(now - member.joined)),
                "AvgQueueTime": str(round(sum(waits) / len(waits))), "CurrentQueueSize": str(len(self.members)),
                "MaxQueueSize": str(self.max_size)}

    async def take(self, timeout: float, stop: asyncio.Event) -> Member | None:
        """The caller at the front, waiting up to ``timeout`` real seconds for one to arrive."""
        if self.members:
            return self.members.pop(0)
        waiting: asyncio.Future[Member] = asyncio.get_running_loop().create_future()
        self.dequeuers.append(waiting)
        await first(waiting, stop.wait(), timeout=timeout)
        if waiting.done():
            return waiting.result()
        self.dequeuers.remove(waiting)
        waiting.cancel()
        return None


class Queues:
    """All queues of the account, by name."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.by_name: dict[str, Queue] = {}

    def get(self, name: str) -> Queue | None:
        return self.by_name.get(name)

    def open(self, name: str) -> Queue:
        if name not in self.by_name:
            self.by_name[name] = Queue(name, self.net.config.max_queue_size)
        return self.by_name[name]


async def enqueue(session: Session, document: Document, verb: Verb) -> Outcome:
    """<Enqueue>: hold (the wait URL loop) until bridged, left, hung up, redirected or failed."""
    call, net = session.call, session.net
    queue = net.queues.open(verb.text.strip())
    member = queue.add(call, net.clock.now())
    if member is None:
        return await _leave(session, document, verb, "queue-full", {"QueueSid": queue.sid})
    if call.line is not None:
        call.line.tell("hold", queue.name)
    holding = asyncio.ensure_future(_hold(session, document, verb, member))
    try:
        await first(holding, member.taken, call.stop.wait())
    finally:
        if not holding.done():
            holding.cancel()
        await asyncio.gather(holding, return_exceptions=True)
        queue.remove(member)
    waited = round(net.clock.now() - member.joined)
    call.queue_time = waited
    if call.line is not None and not call.final:
        call.line.tell("unhold", queue.name)
    if member.taken.done():
        result = await _bridged(session, member.taken.result(), queue, waited)
    elif call.final:
        result = HANGUP
    elif call.redirect is not None:
        result = "redirected"
    else:
        result = holding.result() if not holding.cancelled() else "error"
        result = {REDIRECTED: "redirected", DONE: "error", ERROR: "error"}.get(result, result)
    return await _leave(session, document, verb, result, {"QueueSid": queue.sid, "QueueTime": str(waited)})


async def _leave(session: Session, document: Document, verb: Verb, result: str,
                 params: dict[str, str]) -> Outcome:
    """The Enqueue action (or the next verb); after a hangup or a redirect its answer is ignored."""
    action = verb.get("action")
    if not action:
        return HANGUP if session.call.final else None
    goto = Goto(document.resolve(action), (verb.get("method") or "POST").upper(), {"QueueResult": result, **params})
    if session.call.final or session.call.redirect is not None:
        await session.notify(goto)
        return HANGUP if session.call.final else None
    return goto


async def _hold(session: Session, document: Document, verb: Verb, member: Member) -> str:
    """Loop the wait URL (or Twilio's hold music) until the call leaves, hangs up or errs."""
    call, net = session.call, session.net
    wait_url = verb.get("waitUrl")
    if not wait_url:
        if call.line is not None and wait_url is None:
            call.line.begin("play", "hold music")
        try:
            await call.wait(net.clock, float("inf"))
        finally:
            if call.line is not None and wait_url is None:
                call.line.end()
        return HANGUP
    method = (verb.get("waitUrlMethod") or "POST").upper()
    waiting = Session(net, call, allowed=WAIT_VERBS, member=member, main=False, fatal_errors=False)
    while True:
        began = net.clock.now()
        params = member.queue.params(member, began)
        outcome = await waiting.follow(Goto(document.resolve(wait_url), method, params, fallback_ok=False))
        if outcome != DONE:
            return outcome
        if net.clock.now() - began < 1.0:  # an empty wait document: do not hammer the server
            await call.wait(net.clock, 1.0)


async def _bridged(session: Session, request: Dequeue, queue: Queue, waited: int) -> str:
    """Taken by a <Dial><Queue>: run its url on this caller, talk, then report how it ended."""
    call = session.call
    if request.url:
        params = {"QueueSid": queue.sid, "QueueTime": str(waited), "DequeingCallSid": request.dequeuer.sid}
        announcing = Session(session.net, call, allowed=QUEUE_URL_VERBS, main=False)
        await announcing.follow(Goto(request.url, request.method, params))
    ready = not call.stop.is_set()
    if not request.ready.done():
        request.ready.set_result(ready)
    if not ready:
        return HANGUP if call.final else "redirected"
    await first(request.over.wait(), call.stop.wait())
    if call.final:  # the action comes once both parties are gone
        await request.over.wait()
    return "redirected-from-bridged" if call.redirect is not None and not call.final else "bridged"


async def dial_queue(session: Session, document: Document, verb: Verb, noun: Verb) -> Outcome:
    """<Dial><Queue>: bridge with the front caller of the queue (waiting up to the Dial timeout)."""
    from .dial import finish_dial

    call, net = session.call, session.net
    queue = net.queues.get(noun.text.strip())
    if queue is None:  # Twilio posts an error status to the action URL
        return await finish_dial(session, document, verb, "failed", None, 0, False)
    member = await queue.take(net.clock.real(verb.number("timeout", 30)), call.stop)
    if member is None:
        return await finish_dial(session, document, verb, "canceled" if call.final else "no-answer", None, 0, False)
    request = Dequeue(call, document.resolve(noun.get("url")) if noun.get("url") else None,
                      (noun.get("method") or "POST").upper(), asyncio.get_running_loop().create_future())
    member.taken.set_result(request)
    await first(request.ready, call.stop.wait())
    if not (request.ready.done() and request.ready.result()) or call.stop.is_set():
        request.over.set()
        return await finish_dial(session, document, verb, "canceled" if call.final else "completed", member.call,
                                 0, False)
    with Bridge(net, call, member.call) as bridge:
        await bridge.hold(verb.number("timeLimit", 14400))
        seconds = bridge.seconds()
    request.over.set()
    return await finish_dial(session, document, verb, "completed", member.call, seconds, True)
