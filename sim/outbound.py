"""Calls created through the REST API: paced like Twilio's CPS, rung, answered, then their TwiML runs."""
from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from .calls import Call, Goto
from .session import Session

if TYPE_CHECKING:
    from .network import Network

DETECTION_SECONDS = {"Enable": 2.0, "DetectMessageEnd": 6.0}


class Pacer:
    """Starts at most ``per_second`` outbound calls each real second; the rest wait in ``queued``."""

    def __init__(self, per_second: float | None) -> None:
        self.interval = 1.0 / per_second if per_second else 0.0
        self.next = 0.0

    async def slot(self) -> None:
        if not self.interval:
            return
        now = time.monotonic()
        at = max(now, self.next)
        self.next = at + self.interval
        await asyncio.sleep(at - now)


async def place(net: Network, call: Call, pacer: Pacer) -> None:
    """The life of a REST-created call after the 201 answer."""
    await pacer.slot()
    if call.final:
        return
    result = await net.ring(call, call.timeout)
    if call.final:
        return
    if result != "answered":
        net.hang_up(call, status=result)
        return
    answered_by = None
    if call.machine_detection and call.line is not None:
        answered_by = call.line.phone.behaviour.machine_result(call.machine_detection)
    net.answer(call, answered_by)
    if call.machine_detection and not await call.wait(net.clock, DETECTION_SECONDS.get(call.machine_detection, 2.0)):
        if call.final:
            return
    goto = call.take_redirect() or Goto(call.url or "", call.method, twiml=call.twiml)
    await Session(net, call).run(goto)
