"""<Dial> with <Number>/<Client>: ring up to ten at once, the first to pick up runs the url, then talk."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .bridge import Bridge
from .calls import Call, Goto, StatusCallback
from .session import DONE, HANGUP, Document, Outcome, Session
from .twiml import Verb

if TYPE_CHECKING:
    from .network import Network

#: Verbs allowed in a <Number url> / <Client url> document (run on the called party before bridging).
SCREEN_VERBS = {"Say", "Play", "Pause", "Gather", "Hangup", "Redirect", "Reject", "Record"}
MAX_NOUNS = 10


@dataclass(eq=False)
class Leg:
    """One party rung by the Dial."""

    call: Call
    url: str | None
    method: str
    ringing: asyncio.Task[str]


async def dial(session: Session, document: Document, verb: Verb) -> Outcome:
    """<Dial>: a queue's front caller, or up to ten numbers and clients rung at once."""
    from .queues import dial_queue

    nouns = verb.children or ([Verb("Number", {}, verb.text)] if verb.text else [])
    queue = next((noun for noun in nouns if noun.name == "Queue"), None)
    if queue is not None:
        return await dial_queue(session, document, verb, queue)
    if not nouns:
        return None
    call, net = session.call, session.net
    ringback = Ringback(call)
    bridged = False
    legs = [_ring(net, call, document, verb, noun, verb.number("timeout", 30)) for noun in nouns[:MAX_NOUNS]]
    try:
        winner, results = await _first_to_answer(net, call, legs)
        if winner is not None:
            bridged = await _connect(session, verb, winner, ringback)
    finally:
        ringback.stop()
    if winner is None:
        status = "canceled" if call.stop.is_set() else _summary(results)
        return await finish_dial(session, document, verb, status, legs[-1].call if legs else None, 0, False)
    # DialCallDuration is the dialled leg's own duration (its url's time included)
    return await finish_dial(session, document, verb, "completed", winner.call, winner.call.duration(net.clock),
                             bridged)


class Ringback:
    """What the caller hears from the first ring until the bridge (the called party's url included)."""

    def __init__(self, call: Call) -> None:
        self.line = call.line
        if self.line is not None:
            self.line.begin("ringback", "ringing")

    def stop(self) -> None:
        if self.line is not None:
            self.line.end()
            self.line = None


def _ring(net: Network, parent: Call, document: Document, verb: Verb, noun: Verb, timeout: float) -> Leg:
    to = noun.text if noun.name == "Number" else "client:" + noun.text
    callback = None
    if noun.get("statusCallback"):
        events = frozenset((noun.get("statusCallbackEvent") or "completed").replace(",", " ").split())
        callback = StatusCallback(document.resolve(noun.get("statusCallback")),
                                  (noun.get("statusCallbackMethod") or "POST").upper(), events)
    leg = net.new_call(direction="outbound-dial", from_=verb.get("callerId") or parent.from_, to=to,
                       parent=parent, callback=callback)
    if noun.get("machineDetection"):
        leg.machine_detection = noun.get("machineDetection")
    url = document.resolve(noun.get("url")) if noun.get("url") else None
    return Leg(leg, url, (noun.get("method") or "POST").upper(), net.spawn(net.ring(leg, timeout), "ring"))


async def _first_to_answer(net: Network, parent: Call, legs: list[Leg]) -> tuple[Leg | None, list[str]]:
    """Twilio's simultaneous dial: the first leg picked up wins; the rest are hung up at once."""
    pending = {leg.ringing: leg for leg in legs}
    results: list[str] = []
    winner: Leg | None = None
    stop: asyncio.Future[Any] = asyncio.ensure_future(parent.stop.wait())
    try:
        while pending and winner is None and not parent.stop.is_set():
            done, _ = await asyncio.wait([*pending, stop], return_when=asyncio.FIRST_COMPLETED)
            for task in [task for task in pending if task in done]:
                leg = pending.pop(task)
                result = task.result()
                if result == "answered" and winner is None:
                    winner = leg
                else:
                    net.hang_up(leg.call, status=result if result != "answered" else None)
                    results.append(result)
    finally:
        stop.cancel()
    for task, leg in pending.items():
        net.hang_up(leg.call, status="canceled")
        await asyncio.gather(task, return_exceptions=True)
    if winner is not None and parent.stop.is_set():
        net.hang_up(winner.call)
        return None, results
    return winner, results


async def _connect(session: Session, verb: Verb, leg: Leg, ringback: Ringback) -> bool:
    """Answered: run the url on the called party; unless it hung up, bridge the two."""
    call, net = session.call, session.net
    answered_by = None
    if leg.call.machine_detection and leg.call.line is not None:
        answered_by = leg.call.line.phone.behaviour.machine_result(leg.call.machine_detection)
    net.answer(leg.call, answered_by)
    if leg.url:
        screening = Session(net, leg.call, allowed=SCREEN_VERBS, main=False)
        watch = asyncio.ensure_future(_end_with(net, call, leg.call))
        try:
            outcome = await screening.follow(Goto(leg.url, leg.method))
        finally:
            watch.cancel()
        if outcome != DONE or leg.call.stop.is_set() or call.stop.is_set():
            _release(net, leg.call)
            return False
    net.answer(call)  # answerOnBridge: the caller's call is answered only now
    ringback.stop()
    with Bridge(net, call, leg.call) as bridge:
        ended_by = await bridge.hold(verb.number("timeLimit", 14400))
    if ended_by == "b":
        _release(net, leg.call)
    else:
        net.hang_up(leg.call)
    return True


def _release(net: Network, leg: Call) -> None:
    """The dialled leg leaves the Dial: to its own new TwiML if it was redirected, else it is hung up."""
    goto = leg.take_redirect() if not leg.final else None
    if goto is not None:
        net.spawn(Session(net, leg).run(goto), f"call-{leg.sid}")
    else:
        net.hang_up(leg)


async def _end_with(net: Network, parent: Call, leg: Call) -> None:
    """The caller hangs up (or is redirected) while the called party is screening: end that leg too."""
    await parent.stop.wait()
    net.hang_up(leg)


def _summary(results: list[str]) -> str:
    """DialCallStatus when nobody answered."""
    for status in ("no-answer", "busy", "failed", "canceled"):
        if status in results:
            return status
    return "no-answer"


async def finish_dial(session: Session, document: Document, verb: Verb, status: str, leg: Call | None,
                      seconds: int, bridged: bool) -> Outcome:
    """The Dial action (or the next verb); a caller who hung up gets the request with its answer ignored."""
    call = session.call
    if call.redirect is not None and not call.final:
        return None  # redirected away: the Dial is over and its action is not requested
    action = verb.get("action")
    if not action:
        return HANGUP if call.final else None
    params = {"DialCallStatus": status, "DialCallDuration": str(seconds), "DialBridged": str(bridged).lower()}
    if leg is not None:
        params["DialCallSid"] = leg.sid
    goto = Goto(document.resolve(action), (verb.get("method") or "POST").upper(), params)
    if call.final:
        await session.notify(goto)
        return HANGUP
    return goto
