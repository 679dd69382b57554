"""<Gather>: nested prompts with barge-in, then keys until numDigits, finishOnKey or the timeout."""
from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from .calls import Goto
from .session import Document, Outcome
from .twiml import Verb
from .waiting import drain, next_key

if TYPE_CHECKING:
    from .session import Session


async def gather(session: Session, document: Document, verb: Verb) -> Outcome:
    """<Gather>: the action with Digits, or (no input, actionOnEmptyResult false) the next verb."""
    call, line = session.call, session.call.line
    if line is None:
        return None
    finish = verb.get("finishOnKey", "#") or ""
    wanted = int(verb.number("numDigits", 0)) or None
    timeout = verb.number("timeout", 5)
    dtmf = "dtmf" in (verb.get("input") or "dtmf").split()
    drain(line.digits)
    line.tell("gather", " ".join(f"{k}={v}" for k, v in sorted(verb.attrs.items()) if k != "action"))
    pending = await _prompts(session, document, verb, dtmf)
    if call.stop.is_set():
        return None
    digits, finished_on = "", None
    line.tell("listen")
    line.begin("listening")
    try:
        while dtmf:
            key = pending or await next_key(line.digits, call.stop, session.clock.real(timeout))
            pending = None
            if key is None:
                break
            if key in finish:
                finished_on = key
                break
            digits += key
            if wanted and len(digits) >= wanted:
                break
        if not dtmf:  # speech is not simulated: the gather just times out
            await call.wait(session.clock, timeout)
    finally:
        line.end()
    if call.stop.is_set():
        return None
    if not digits and not verb.flag("actionOnEmptyResult", False):
        return None  # no input: Twilio moves on to the next verb
    params = {"Digits": digits} if digits else {}
    if finished_on:
        params["FinishedOnKey"] = finished_on
    return Goto(document.resolve(verb.get("action")), (verb.get("method") or "POST").upper(), params)


async def _prompts(session: Session, document: Document, verb: Verb, dtmf: bool) -> str | None:
    """Play the nested Say/Play/Pause; the first key pressed interrupts them and is returned."""
    from .handlers import HANDLERS

    async def play_all() -> None:
        for child in verb.children:
            if session.call.stop.is_set():
                return
            await HANDLERS[child.name](session, document, child)

    line = session.call.line
    assert line is not None
    prompts = asyncio.ensure_future(play_all())
    if not dtmf:
        await prompts
        return None
    getter = asyncio.ensure_future(line.digits.get())
    try:
        done, _ = await asyncio.wait({prompts, getter}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in (prompts, getter):
            if not task.done():
                task.cancel()
        await asyncio.gather(prompts, return_exceptions=True)
    if getter in done and not getter.cancelled():
        return getter.result()
    return None
