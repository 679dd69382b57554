"""The live inbound call path: answer, choose a language, route, hunt, screen, accept."""
from __future__ import annotations

import logging

from ..core import hunt
from ..core.events import Kind
from ..core.routing import CallNeed, Strategy, eligible, rank_staff, ring_count
from ..numbers import caller_number
from ..store import keys
from . import hold
from .decisions import AskLanguage, Goodbye, Greeting, NoOneFree, Ring, Screen, ScreenAnswer
from .events import emit
from .helpline import Helpline
from .hold import Holding
from .staff import accepted_not_connected, end_staff_call, staff_missed

log = logging.getLogger(__name__)

#: Extra seconds a reservation outlives its ring time: screening, plus slack for slow webhooks.
RESERVATION_SLACK_SECONDS = 30


def receive_call(h: Helpline, call_sid: str, from_: str | None, to: str | None) -> Greeting:
    """A new call: create its state once, record it, and check the blocklist."""
    cf = h.callflow
    dialled = caller_number(to)
    line = cf.line_for_number(dialled)
    number = caller_number(from_)
    protected = h.identifiers.protect(number) if number else None
    blocked = bool(protected and h.redis.sismember(keys.BLOCKLIST, protected.lookup))
    fields: dict[str, str | int | float] = {
        "line": line.id, "language": cf.default_language.code, "received_at": h.clock(),
        "to": dialled or (line.numbers[0] if line.numbers else ""), "attempts": 0, "ring_used": 0,
    }
    if protected:
        fields.update(caller_hash=protected.lookup, caller_enc=protected.ciphertext)
    if h.flows.start(call_sid, fields):
        emit(h, Kind.RECEIVED, f"{call_sid}:received", call_sid=call_sid, line=line.id,
             withheld=number is None, caller_hash=protected.lookup if protected else None,
             caller_enc=protected.ciphertext if protected else None)
        if blocked:
            emit(h, Kind.BLOCKED, f"{call_sid}:blocked", call_sid=call_sid)
        log.info("call received call=%s line=%s withheld=%s blocked=%s", call_sid, line.id, number is None, blocked)
    menu = cf.language_menu and len(cf.languages) > 1 and not blocked
    return Greeting(language=cf.default_language.code, menu=menu, blocked=blocked, step=h.flows.next_step(call_sid))


def choose_language(h: Helpline, call_sid: str, digits: str) -> AskLanguage | Ring | NoOneFree | Holding | Goodbye:
    """The caller pressed a key (or nothing) at the language menu."""
    cf = h.callflow
    chosen = cf.language_for_digit(digits) if digits else cf.default_language
    if chosen is None:
        tries = int(h.redis.hincrby(keys.call(call_sid), "menu_tries", 1))
        if tries <= 1:
            return AskLanguage(language=cf.default_language.code, step=h.flows.next_step(call_sid))
        chosen = cf.default_language
    h.flows.update(call_sid, language=chosen.code)
    emit(h, Kind.LANGUAGE, f"{call_sid}:language", call_sid=call_sid, language=chosen.code)
    return route_call(h, call_sid)


def route_call(h: Helpline, call_sid: str) -> Ring | NoOneFree | Holding | Goodbye:
    """Offer the call to the next free staff member(s), or take the "no one free" path."""
    flow = _flow(h, call_sid)
    if flow.get("ended") == "1":
        return Goodbye(language=flow["language"], say=False)
    routing = h.callflow.routing
    budget = hunt.HuntBudget(routing.hunt_max_attempts, routing.hunt_max_ring_seconds, routing.ring_seconds)
    progress = hunt.HuntProgress(int(flow.get("attempts") or 0), int(float(flow.get("ring_used") or 0)))
    timeout = hunt.next_ring_timeout(budget, progress)
    if flow.get("dispatched") == "1":  # a held caller: the dispatcher reserved their staff member
        h.flows.update(call_sid, dispatched=0)
        reserved = [int(s) for s in flow.get("current", "").split(",") if s and h.board.holder(int(s)) == call_sid]
    else:
        reserved = _reserve(h, call_sid, flow, timeout) if timeout else []
    cards = h.board.cards(reserved)
    for staff_id in set(reserved) - set(cards):  # deactivated between snapshot and claim
        h.board.release(staff_id, call_sid)
    if not cards or timeout is None:
        return no_one_free(h, call_sid, flow)
    attempt = progress.attempts + 1
    tried = [t for t in flow.get("tried", "").split(",") if t] + [str(s) for s in cards]
    h.flows.update(call_sid, attempts=attempt, ring_used=progress.ring_seconds_used + timeout,
                   tried=",".join(tried), current=",".join(str(s) for s in cards), attempt_started=h.clock(),
                   attempt_timeout=timeout)
    for staff_id in cards:
        emit(h, Kind.OFFERED, f"{call_sid}:offered:{attempt}:{staff_id}", call_sid=call_sid,
             staff_id=staff_id, attempt=attempt)
    ring_all = routing.strategy is Strategy.RING_ALL
    if ring_all:
        h.jobs.enqueue("workers.jobs.ring_staff", call_sid, attempt, job_id=f"ring-{call_sid}-{attempt}")
    return Ring(language=flow["language"], line=flow["line"], staff=tuple(cards.values()), timeout=timeout,
                attempt=attempt, step=h.flows.next_step(call_sid), ring_all=ring_all, first=attempt == 1,
                caller_id=flow.get("to") or None)


def _flow(h: Helpline, call_sid: str) -> dict[str, str]:
    """The call's state; rebuilt with defaults if Redis lost it (the caller is still there)."""
    flow = h.flows.get(call_sid)
    if "line" not in flow:
        cf = h.callflow
        h.flows.start(call_sid, {"line": cf.default_line.id, "language": cf.default_language.code,
                                 "received_at": h.clock(), "attempts": 0, "ring_used": 0})
        flow = {**h.flows.get(call_sid), **flow}
        flow.setdefault("language", cf.default_language.code)
        flow.setdefault("line", cf.default_line.id)
    return flow


def _reserve(h: Helpline, call_sid: str, flow: dict[str, str], timeout: int) -> list[int]:
    """Rank the free staff for this call and claim the first still free, atomically."""
    routing = h.callflow.routing
    tried = {int(t) for t in flow.get("tried", "").split(",") if t}
    last_round = {int(t) for t in flow.get("current", "").split(",") if t}
    count = ring_count(routing.strategy, routing.ring_all_max)
    ttl_ms = reservation_seconds(h, timeout) * 1000
    # Everyone free already tried: try them again, but never the last one(s) twice in a row.
    return (reserve_for(h, call_sid, flow["line"], flow["language"], ttl_ms, exclude=tried, count=count)
            or (tried and reserve_for(h, call_sid, flow["line"], flow["language"], ttl_ms, exclude=last_round,
                                      count=count)) or [])


def reservation_seconds(h: Helpline, ring_seconds: int) -> int:
    """How long an offer stays open: ringing, screening, and slack; no one can accept after it."""
    return ring_seconds + h.callflow.routing.screen_seconds + RESERVATION_SLACK_SECONDS


def reserve_for(h: Helpline, owner: str, line: str, language: str, ttl_ms: int, exclude: set[int] | None = None,
                count: int = 1, strategy: Strategy | None = None) -> list[int]:
    """Reserve staff for a call or a callback (``owner``): rank who is free, claim atomically."""
    routing = h.callflow.routing
    need = CallNeed(line=line, language=language, language_fallback=routing.language_fallback)
    candidates, last = h.board.candidates(h.today(), line)
    pool = eligible(candidates, need, exclude=exclude or set())
    ranked = rank_staff(strategy or routing.strategy, pool, last_offered=last, rng=h.rng)
    reserved = h.board.reserve(owner, ranked, count, ttl_ms)
    if reserved:
        h.board.note_offered(line, reserved[0])
    return reserved


def no_one_free(h: Helpline, call_sid: str, flow: dict[str, str]) -> NoOneFree | Holding:
    """Nobody could take the call: the hold / callback / voicemail menu (or what is configured).

    A caller who was held already goes straight back into the queue, at their old place.
    """
    cf = h.callflow
    line = cf.line(flow.get("line"))
    mode = cf.no_one_free
    if mode == "overflow" and not cf.overflow_for(line):
        mode = "voicemail"
    if flow.get("hold_since"):
        return hold.enter(h, call_sid, back=True)
    emit(h, Kind.NO_ONE_FREE, f"{call_sid}:no-one-free", call_sid=call_sid, mode=mode,
         attempts=int(flow.get("attempts") or 0))
    h.flows.update(call_sid, current="")
    if mode == "overflow":
        return overflow(h, call_sid, flow)
    return NoOneFree(language=flow.get("language") or cf.default_language.code, line=line.id, mode=mode,
                     overflow_number=None, step=h.flows.next_step(call_sid), caller_id=flow.get("to") or None,
                     on_duty=bool(h.redis.zcard(keys.AVAILABLE)))


def overflow(h: Helpline, call_sid: str, flow: dict[str, str]) -> NoOneFree:
    """Forward to the overflow line (then voicemail if it does not answer)."""
    cf = h.callflow
    line = cf.line(flow.get("line"))
    emit(h, Kind.OVERFLOW, f"{call_sid}:overflow", call_sid=call_sid)
    return NoOneFree(language=flow.get("language") or cf.default_language.code, line=line.id, mode="overflow",
                     overflow_number=cf.overflow_for(line), step=h.flows.next_step(call_sid),
                     caller_id=flow.get("to") or None)


def dial_finished(h: Helpline, call_sid: str, status: str, talk_seconds: int, bridged: bool | None = None
                  ) -> Ring | NoOneFree | Holding | Goodbye:
    """The ``<Dial>`` to staff ended: the conversation is over, or hunt on after a miss.

    ``bridged`` is Twilio's ``DialBridged``: False when the staff member accepted (pressed 1) but
    their leg ended before the caller was connected. That caller is not done: they go on.
    """
    flow = _flow(h, call_sid)
    winner = h.board.winner(call_sid)
    accepted_only = winner if winner is not None and bridged is False else None
    if accepted_only is not None:
        accepted_not_connected(h, call_sid, accepted_only,
                               reason="their phone hung up before the caller was put through")
        winner = None
    if winner is not None:
        emit(h, Kind.CONNECTED, f"{call_sid}:connected", call_sid=call_sid, staff_id=winner,
             talk_seconds=talk_seconds)
        end_staff_call(h, call_sid, winner)
        return Goodbye(language=flow["language"])
    caller_gone = flow.get("ended") == "1" or status == "canceled"
    for staff_id in _current(flow):
        if not caller_gone and staff_id != accepted_only:
            staff_missed(h, call_sid, staff_id, reason=status or "no-answer")
        h.board.release(staff_id, call_sid)
    if caller_gone:
        return Goodbye(language=flow["language"], say=False)
    _settle_ring_time(h, call_sid, flow)
    return route_call(h, call_sid)


def _current(flow: dict[str, str]) -> list[int]:
    return [int(s) for s in flow.get("current", "").split(",") if s]


def _settle_ring_time(h: Helpline, call_sid: str, flow: dict[str, str]) -> None:
    """Count the ringing that really happened (a busy phone uses seconds, not the full ring)."""
    started = float(flow.get("attempt_started") or 0)
    if started:
        planned = int(flow.get("attempt_timeout") or h.callflow.routing.ring_seconds)
        used = float(flow.get("ring_used") or 0) - planned + min(planned, max(0.0, h.clock() - started))
        h.flows.update(call_sid, ring_used=max(0, round(used)))


def offer_to_staff(h: Helpline, call_sid: str, staff_id: int, leg_sid: str | None = None) -> Screen:
    """A staff member picked up: tell them it is a helpline call, unless it is gone already."""
    if leg_sid:
        h.flows.advance_status(leg_sid, "in-progress")  # Twilio asks for screening only once answered
    flow = h.flows.get(call_sid)
    if flow.get("ended") == "1" or h.board.holder(staff_id) != call_sid:
        return Screen(language_name=None, result="gone")
    return Screen(language_name=h.callflow.language(flow.get("language")).name)


def answer_offer(h: Helpline, call_sid: str, staff_id: int, digits: str) -> ScreenAnswer:
    """Staff pressed a key while screening: 1 accepts; the first to accept wins the call."""
    if digits != "1":
        return ScreenAnswer(result="declined")
    routing = h.callflow.routing
    now_ms = h.now_ms()
    result = h.board.accept(call_sid, staff_id, talk_ms=routing.max_call_seconds * 1000,
                            check_at_ms=now_ms + routing.reaper_check_seconds * 1000, day=h.today())
    if result in ("accepted", "already"):
        if result == "accepted":
            now = h.clock()
            h.flows.update(call_sid, answered_at=now)
            emit(h, Kind.ACCEPTED, acceptance_key(call_sid, staff_id, now), call_sid=call_sid, staff_id=staff_id,
                 at=now)
            log.info("call accepted call=%s staff=%s", call_sid, staff_id)
            if routing.strategy is Strategy.RING_ALL:
                request_stop_ringing(h, call_sid, h.flows.get(call_sid))
        queue = ring_all_queue(call_sid) if routing.strategy is Strategy.RING_ALL else None
        return ScreenAnswer(result="accepted", queue=queue)
    return ScreenAnswer(result="taken" if result == "taken" else "gone")


def acceptance_key(call_sid: str, staff_id: int, accepted_at: float) -> str:
    """One acceptance of a call (a call accepted by someone who never reached the caller can be again)."""
    return f"{call_sid}:accepted:{staff_id}:{round(accepted_at * 1000)}"


def ring_all_queue(call_sid: str) -> str:
    """The Twilio queue a ring-all caller waits in until the winning staff leg dequeues them."""
    return f"cc-{call_sid}"


def request_stop_ringing(h: Helpline, call_sid: str, flow: dict[str, str]) -> None:
    """Have a worker hang up this attempt's other ring-all legs (REST calls stay off webhooks)."""
    attempt = int(flow.get("attempts") or 0)
    if attempt:
        h.jobs.enqueue("workers.jobs.stop_ringing", call_sid, attempt, job_id=f"stop-{call_sid}-{attempt}")
