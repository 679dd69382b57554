"""<Record>: a beep, then the party's speech until silence, maxLength, a finish key or a hangup."""
from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from .calls import Goto
from .ids import new_sid, rfc2822
from .session import HANGUP, Document, Outcome
from .twiml import Verb
from .waiting import drain

if TYPE_CHECKING:
    from .session import Session


async def record(session: Session, document: Document, verb: Verb) -> Outcome:
    """<Record>: the action with the recording, or (no audio) the next verb."""
    call, line, clock = session.call, session.call.line, session.clock
    if line is None:
        return None
    drain(line.digits)
    if verb.flag("playBeep", True):
        line.tell("beep", "", 0.5)
        if not await call.wait(clock, 0.5):
            return None
    max_length = verb.number("maxLength", 3600)
    silence = verb.number("timeout", 5)
    finish = verb.get("finishOnKey", "1234567890*#") or ""
    started, started_wall = clock.now(), time.time()
    sid = new_sid("RE")
    callback = verb.get("recordingStatusCallback")
    events = set((verb.get("recordingStatusCallbackEvent") or "completed").replace(",", " ").split())
    line.tell("record", f"maxLength={max_length:g} timeout={silence:g}")
    line.begin("recording")
    try:
        digits = await _until_done(session, started, max_length, silence, finish)
    finally:
        line.end()
    ended = min(clock.now(), started + max_length)
    seconds = round(line.spoken_between(started, ended))
    url = f"{session.net.config.public_url.rstrip('/')}/2010-04-01/Accounts/{call.account_sid}/Recordings/{sid}"
    status = "completed" if seconds > 0 else "absent"
    if callback and status in events:
        params = {"AccountSid": call.account_sid, "CallSid": call.sid, "RecordingSid": sid, "RecordingUrl": url,
                  "RecordingStatus": status, "RecordingDuration": str(seconds), "RecordingChannels": "1",
                  "RecordingSource": "RecordVerb", "RecordingStartTime": rfc2822(started_wall), "ErrorCode": "0"}
        method = (verb.get("recordingStatusCallbackMethod") or "POST").upper()
        session.net.spawn(_recording_callback(session, document.resolve(callback), method, params), "recording")
    if call.redirect is not None and not call.final:
        return None
    if seconds <= 0:
        return HANGUP if call.final else None   # no audio: no action request, the next verb runs
    params = {"RecordingSid": sid, "RecordingUrl": url, "RecordingDuration": str(seconds)}
    if digits:
        params["Digits"] = digits
    goto = Goto(document.resolve(verb.get("action")), (verb.get("method") or "POST").upper(), params)
    if call.final:  # the caller hung up: Twilio still posts the recording, and ignores the answer
        await session.notify(goto)
        return HANGUP
    return goto


async def _until_done(session: Session, started: float, max_length: float, silence: float,
                      finish: str) -> str | None:
    """Wait for the end of the recording; the finishing key, ``hangup``, or None (silence/maxLength)."""
    call, line, clock = session.call, session.call.line, session.clock
    assert line is not None
    while True:
        now = clock.now()
        quiet_since = max(started, line.speaking_until)
        deadline = started + max_length
        if silence > 0:
            deadline = min(deadline, quiet_since + silence)
        if now >= deadline:
            return None
        line.sound.clear()
        getter = asyncio.ensure_future(line.digits.get())
        waiters = {getter, asyncio.ensure_future(line.sound.wait()), asyncio.ensure_future(call.stop.wait())}
        try:
            done, _ = await asyncio.wait(waiters, timeout=clock.real(deadline - now),
                                         return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()
        if call.stop.is_set():
            return "hangup" if call.final else None
        if getter in done and not getter.cancelled() and getter.result() in finish:
            return getter.result()


async def _recording_callback(session: Session, url: str, method: str, params: dict[str, str]) -> None:
    await session.clock.sleep(1.0)   # the recording is processed before it is announced
    await session.net.webhooks.send("recording", url, method, params)
