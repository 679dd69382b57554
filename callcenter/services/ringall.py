"""Ring-all: several staff phones ring at once and the first to press 1 wins.

Twilio's own simultaneous ``<Dial>`` connects the first phone to *pick up* (a voicemail
greeting included) and hangs up the rest, so no colleague could still press 1. Instead
the caller waits in a queue of their own, each staff phone is called through the REST
API (paced by the shared limiter), and the winner's leg dequeues the caller.
"""
from __future__ import annotations

import logging
from urllib.parse import urlencode

from twilio.base.exceptions import TwilioRestException

from ..core import callstatus
from ..core.events import Kind
from ..store import keys
from . import calls
from .decisions import Goodbye, NoOneFree, Ring, RingAllWait
from .events import emit
from .helpline import Helpline
from .hold import Holding
from .outbound import MaybePlaced, NotPlaced, place_call
from .staff import accepted_not_connected, end_staff_call, staff_missed

log = logging.getLogger(__name__)
#: Seconds a winner has, once the offer is over, to take the caller out of the queue.
BRIDGE_GRACE_SECONDS = 15
#: QueueResult values that mean the caller was connected to whoever dequeued them.
BRIDGED = frozenset({"bridged", "redirected-from-bridged", "bridging-in-process", "bridging-in-progress"})


def voice_url(h: Helpline, path: str, **query: str | int) -> str:
    """An absolute URL of this service for Twilio to request (REST-placed calls need one)."""
    base = h.settings.public_base_url
    if not base:
        raise RuntimeError("PUBLIC_BASE_URL must be set for calls placed through the REST API")
    return f"{base}{path}?{urlencode(query)}" if query else f"{base}{path}"


def ring_staff(h: Helpline, call_sid: str, attempt: int) -> int:
    """Place one outbound call to each staff member reserved for this ring-all attempt."""
    flow = h.flows.get(call_sid)
    if flow.get("ended") == "1" or int(flow.get("attempts") or 0) != attempt or h.board.winner(call_sid):
        return 0
    cards = h.board.cards([int(s) for s in flow.get("current", "").split(",") if s])
    placed = []
    for staff_id, card in cards.items():
        if h.board.holder(staff_id) != call_sid or h.board.winner(call_sid):
            h.board.release(staff_id, call_sid)
            continue
        try:
            leg = place_call(
                h, to=card.contact, from_=flow.get("to") or "", timeout=int(flow.get("attempt_timeout") or 20),
                url=voice_url(h, "/voice/screen", staff=staff_id, call=call_sid),
                status_callback=voice_url(h, "/voice/status", staff=staff_id, call=call_sid))
        except (NotPlaced, MaybePlaced) as exc:
            log.warning("ring-all leg not placed call=%s staff=%s: %s", call_sid, staff_id, exc)
            h.board.release(staff_id, call_sid)
            continue
        placed.append(f"{staff_id}={leg}")
        h.flows.update(call_sid, **{f"legs:{attempt}": ",".join(placed)})
    return len(placed)


def stop_ringing(h: Helpline, call_sid: str, attempt: int) -> int:
    """Hang up the ring-all legs still ringing or screening (someone won, or the round ended)."""
    flow = h.flows.get(call_sid)
    winner = h.board.winner(call_sid)
    stopped = 0
    for item in filter(None, flow.get(f"legs:{attempt}", "").split(",")):
        staff, _, leg = item.partition("=")
        status = h.flows.status(leg)
        if int(staff) == winner or (status and callstatus.is_final(status)):
            continue
        if status == "in-progress":
            stopped += _tell_taken(h, leg)  # picked up and listening: say why, then hang up
        elif _hang_up(h, leg, ringing=status in (None, "queued", "initiated", "ringing")):
            stopped += 1
    return stopped


def _tell_taken(h: Helpline, leg: str) -> int:
    try:
        h.telephony.redirect(leg, voice_url(h, "/voice/screen/taken"))
        return 1
    except TwilioRestException as exc:  # over already
        log.info("ring-all leg not redirected: status %s", exc.status)
        return 0


def _hang_up(h: Helpline, leg: str, ringing: bool) -> bool:
    """Cancel a ringing leg or complete an answered one; our view of its state may lag Twilio's."""
    for ringing_now in ((True, False) if ringing else (False,)):
        try:
            h.telephony.end(leg, ringing=ringing_now)
            return True
        except TwilioRestException as exc:  # answered meanwhile (try completing it), or over already
            log.info("ring-all leg not %s: status %s", "canceled" if ringing_now else "completed", exc.status)
    return False


def wait(h: Helpline, call_sid: str, queue_seconds: int) -> RingAllWait:
    """The caller waits while phones ring; leave when the round is over and nobody won.

    Nobody can accept once the offer's reservation has run out, so the caller waits that long
    at most. A winner dequeues the caller within moments; if their leg ended first, or the
    dequeue never came, the caller leaves too: never an endless wait in silence.
    """
    flow = h.flows.get(call_sid)
    language = flow.get("language") or h.callflow.default_language.code
    loops = int(h.redis.hincrby(keys.call(call_sid), "wait_loops", 1))
    offer_seconds = calls.reservation_seconds(h, int(flow.get("attempt_timeout") or 20))
    winner = h.board.winner(call_sid)
    if winner is not None:
        gone = _leg_over(h, flow, winner) or queue_seconds > offer_seconds + BRIDGE_GRACE_SECONDS
        return RingAllWait(language=language, leave=gone, announce=False)
    current = [int(s) for s in flow.get("current", "").split(",") if s]
    nobody_left = all(h.board.holder(s) != call_sid for s in current)
    return RingAllWait(language=language, leave=nobody_left or queue_seconds > offer_seconds, announce=loops == 1)


def _leg_over(h: Helpline, flow: dict[str, str], staff_id: int) -> bool:
    """Whether this staff member's leg of the current round has ended (by its status callbacks)."""
    for item in filter(None, flow.get(f"legs:{flow.get('attempts')}", "").split(",")):
        staff, _, leg = item.partition("=")
        if int(staff) == staff_id:
            return callstatus.is_final(h.flows.status(leg) or "")
    return False


def queue_result(h: Helpline, call_sid: str, result: str, queue_seconds: int) -> Ring | NoOneFree | Holding | Goodbye:
    """The caller left the ring-all queue: the conversation is over, or this round is.

    Only a bridge (``QueueResult`` bridged) is a conversation. A caller who left while a winner
    never dequeued them goes on to the next offer, and the winner is no longer the winner.
    """
    flow = h.flows.get(call_sid)
    language = flow.get("language") or h.callflow.default_language.code
    winner = h.board.winner(call_sid)
    if winner is not None and result in BRIDGED:
        emit(h, Kind.CONNECTED, f"{call_sid}:connected", call_sid=call_sid, staff_id=winner)
        end_staff_call(h, call_sid, winner)
        return Goodbye(language=language)
    if winner is not None:
        accepted_not_connected(h, call_sid, winner, reason="the caller was never taken from the queue")
    if result == "hangup" or flow.get("ended") == "1":
        return Goodbye(language=language, say=False)
    for staff_id in (int(s) for s in flow.get("current", "").split(",") if s):
        if h.board.holder(staff_id) == call_sid:  # still ringing when the round ran out
            staff_missed(h, call_sid, staff_id, reason="no-answer")
        h.board.release(staff_id, call_sid)
    calls.request_stop_ringing(h, call_sid, flow)
    h.flows.update(call_sid, wait_loops=0)
    return calls.route_call(h, call_sid)

