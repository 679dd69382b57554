"""The simple verbs: Say, Play, Pause, Redirect, Hangup, Reject, Leave."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .calls import Goto
from .session import HANGUP, LEAVE, Document, Outcome
from .twiml import Verb

if TYPE_CHECKING:
    from .session import Session

FOREVER = 1000   # loop="0" repeats until something else happens; this bounds it


def loops(verb: Verb) -> int:
    """How many times ``loop`` plays a verb (0 means until something else happens)."""
    count = int(verb.number("loop", 1))
    return FOREVER if count == 0 else max(1, count)


def say_seconds(session: Session, text: str) -> float:
    """How long text-to-speech takes to say ``text`` (simulated seconds)."""
    return max(1.0, len(text.split()) / session.net.config.words_per_second)


async def say(session: Session, document: Document, verb: Verb) -> Outcome:
    """<Say>: the party hears the text for as long as text-to-speech takes."""
    line = session.call.line
    seconds = say_seconds(session, verb.text)
    for _ in range(loops(verb)):
        if line is not None:
            line.tell("say", verb.text, seconds)
        if not await session.call.wait(session.clock, seconds):
            return None
    return None


async def play(session: Session, document: Document, verb: Verb) -> Outcome:
    """<Play>: audio (its measured length) or DTMF tones with ``digits``."""
    line = session.call.line
    digits = verb.get("digits")
    if digits:  # DTMF tones sent down the line (e.g. an extension once answered)
        if line is not None:
            line.tell("play", f"digits {digits}", 0.5 * len(digits))
        await session.call.wait(session.clock, 0.5 * len(digits))
        return None
    url = document.resolve(verb.text)
    seconds = await session.net.audio.seconds(url, session.call.sid)
    for _ in range(loops(verb)):
        if line is not None:
            line.tell("play", url, seconds)
        if not await session.call.wait(session.clock, seconds):
            return None
    return None


async def pause(session: Session, document: Document, verb: Verb) -> Outcome:
    """<Pause>: silence for ``length`` seconds (default 1)."""
    await session.call.wait(session.clock, verb.number("length", 1))
    return None


async def redirect(session: Session, document: Document, verb: Verb) -> Outcome:
    """<Redirect>: the next document, from the URL in the verb."""
    return Goto(document.resolve(verb.text), (verb.get("method") or "POST").upper())


async def hangup(session: Session, document: Document, verb: Verb) -> Outcome:
    """<Hangup>: the call ends now."""
    session.net.hang_up(session.call)
    return HANGUP


async def reject(session: Session, document: Document, verb: Verb) -> Outcome:
    """Not answered: busy for reason=busy, else no-answer (an answered call just ends)."""
    reason = verb.get("reason") or "rejected"
    status = None if session.call.answered else ("busy" if reason == "busy" else "no-answer")
    session.net.hang_up(session.call, status=status)
    return HANGUP


async def leave(session: Session, document: Document, verb: Verb) -> Outcome:
    """Out of the queue (only meaningful in a wait URL); elsewhere Twilio ignores it."""
    return LEAVE if session.member is not None else None
