"""The phone network: phones, calls and their statuses, status callbacks, ringing, hanging up."""
from __future__ import annotations

import asyncio
import logging
import math
import random
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from .audio import AudioLengths
from .calls import EVENT_OF, FINAL, SIP_CODE, Call, Goto, StatusCallback
from .clock import Clock
from .config import SimConfig
from .ids import rfc2822
from .line import Event, Line
from .phones import Phone
from .queues import Queues
from .webhooks import WebhookClient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Flag:
    """An invariant violation seen from outside the service (double booking, silence, …)."""

    kind: str
    party: str
    call_sid: str
    detail: str
    at: float


class Network:
    """Everything the emulator simulates, on one asyncio loop."""

    def __init__(self, config: SimConfig, clock: Clock | None = None, rng: random.Random | None = None) -> None:
        self.config = config
        self.clock = clock or Clock(config.speed)
        self.rng = rng or random.Random()
        self.calls: dict[str, Call] = {}
        self.phones: dict[str, Phone] = {}
        self.queues = Queues(self)
        self.audio = AudioLengths(self)
        self.webhooks = WebhookClient(config.credentials.auth_token, config.webhook_timeout, config.max_connections)
        self.flags: list[Flag] = []
        self.subscribers: set[asyncio.Queue[Event]] = set()
        self.listeners: list[Callable[[Event], None]] = []
        self.tasks: set[asyncio.Task[Any]] = set()
        self.failures: list[BaseException] = []

    async def start(self) -> None:
        await self.webhooks.start()

    async def close(self) -> None:
        """Hang up everything still live, stop every background task, close the HTTP client."""
        for call in list(self.calls.values()):
            self.hang_up(call)
        while self.tasks:   # cancelling one task may spawn another (a last status callback)
            for task in list(self.tasks):
                task.cancel()
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
        await self.webhooks.close()

    # ------------------------------------------------------------------ plumbing

    def spawn(self, coro: Coroutine[Any, Any, Any], name: str = "") -> asyncio.Task[Any]:
        """Run a coroutine in the background; its crash is kept, never silently lost."""
        task = asyncio.get_running_loop().create_task(coro, name=name or None)
        self.tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.failures.append(task.exception())  # type: ignore[arg-type]
            log.error("emulator task %s crashed", task.get_name(), exc_info=task.exception())

    def publish(self, event: Event) -> None:
        for queue in list(self.subscribers):
            queue.put_nowait(event)
        for listener in self.listeners:
            listener(event)

    def flag(self, kind: str, party: str, call_sid: str, detail: str = "") -> None:
        self.flags.append(Flag(kind, party, call_sid, detail, self.clock.now()))

    def register(self, phone: Phone) -> Phone:
        """Put a phone on the network at its address (E.164 number or ``client:identity``)."""
        self.phones[phone.address] = phone
        return phone

    def unregister(self, address: str) -> None:
        self.phones.pop(address, None)

    def new_call(self, **fields: Any) -> Call:
        call = Call(account_sid=self.config.credentials.account_sid, **fields)
        self.calls[call.sid] = call
        return call

    # ------------------------------------------------------------------ statuses

    def set_status(self, call: Call, status: str) -> None:
        """Move a live call to a new status and send the callback its event asks for."""
        if call.final or call.status == status:
            return
        call.status = status
        call.updated = time.time()
        self._callback(call, status)

    def answer(self, call: Call, answered_by: str | None = None) -> None:
        """The call is answered (in-progress); the answer time starts its duration."""
        if call.answered or call.final:
            return
        call.answered_at = self.clock.now()
        call.start_wall = time.time()
        call.answered_by = answered_by or call.answered_by
        if call.line is not None:
            call.line.start_listening_for_silence()
        self.set_status(call, "in-progress")

    def hang_up(self, call: Call, *, by_party: bool = False, status: str | None = None) -> None:
        """End a call now: final status, callbacks, and its TwiML stops."""
        if call.final:
            return
        if status is None:
            if call.answered:
                status = "completed"
            elif call.direction == "inbound" or not by_party:
                status = "canceled"
            else:
                status = "no-answer"
        call.status = status
        call.updated = call.end_wall = time.time()
        call.ended_at = self.clock.now()
        call.hangup_requested = True
        call.stop.set()
        call.ended.set()
        line = call.line
        if line is not None:
            line.close_silence(call.ended_at)
            if line.offer is not None and not line.offer.done():
                line.offer.cancel()
            line.tell("hangup", status)
        self._callback(call, status)

    def _callback(self, call: Call, status: str) -> None:
        callback = call.callback
        if callback is None or EVENT_OF.get(status) not in callback.events:
            return
        params = call.params()
        params.update(CallStatus=status, CallbackSource="call-progress-events", SequenceNumber=str(call.sequence),
                      Timestamp=rfc2822())
        call.sequence += 1
        if status in FINAL:
            seconds = call.duration(self.clock)
            params.update(CallDuration=str(seconds), Duration=str(math.ceil(seconds / 60)),
                          SipResponseCode=str(SIP_CODE.get(status, 200)))
        copies = 2 if self.rng.random() < self.config.duplicate_callbacks else 1
        for _ in range(copies):
            self.spawn(self._send_callback(callback, params), "status-callback")

    async def _send_callback(self, callback: StatusCallback, params: dict[str, str]) -> None:
        if self.config.callback_jitter:
            await self.clock.sleep(self.rng.uniform(0, self.config.callback_jitter))
        await self.webhooks.send("status", callback.url, callback.method, params)

    # ------------------------------------------------------------------ ringing

    async def ring(self, call: Call, timeout: float) -> str:
        """Ring the phone at ``call.to``: answered, busy, no-answer, failed or canceled."""
        self.set_status(call, "initiated")
        phone = self.phones.get(call.to)
        if phone is None:
            if self.config.unknown_number == "failed":
                return "failed"
            self.set_status(call, "ringing")
            return "canceled" if not await call.wait(self.clock, timeout) else "no-answer"
        line = Line(self, call, phone)
        call.line = line
        busy_with = [other for other in phone.active() if other is not line]
        phone.lines.append(line)
        if busy_with:
            self.flag("double-booking", phone.address, call.sid, "also on " + ",".join(o.call.sid for o in busy_with))
            if not phone.behaviour.call_waiting:
                return "busy"
        self.set_status(call, "ringing")
        line.offer = asyncio.get_running_loop().create_future()
        line.tell("ring", call.from_)
        phone.incoming(line)
        stop: asyncio.Future[Any] = asyncio.ensure_future(call.stop.wait())
        offer: asyncio.Future[Any] = line.offer
        done, _ = await asyncio.wait([offer, stop], timeout=self.clock.real(timeout),
                                     return_when=asyncio.FIRST_COMPLETED)
        stop.cancel()
        if line.offer in done and not line.offer.cancelled():
            return {"answer": "answered", "busy": "busy"}.get(line.offer.result(), "no-answer")
        if not line.offer.done():
            line.offer.cancel()
        return "canceled" if call.stop.is_set() else "no-answer"

    # ------------------------------------------------------------------ calls placed

    def dial_in(self, phone: Phone, to: str) -> Call:
        """A caller dials a number of the account: Twilio requests its Voice URL."""
        from .session import Session

        number = self.config.number(to)
        callback = StatusCallback(number.status_callback, number.status_callback_method) \
            if number and number.status_callback else None
        fallback = (number.fallback_url, number.fallback_method) if number and number.fallback_url else None
        call = self.new_call(direction="inbound", from_=phone.address, to=to, callback=callback, fallback=fallback)
        line = Line(self, call, phone)
        call.line = line
        phone.lines.append(line)
        line.tell("dialled", to)
        call.status = "ringing"
        if number is None:
            line.tell("not-in-service", "The number you have dialled is not in service.", 4)
            self.hang_up(call, status="failed")
            return call
        phone.calling(line)
        self.spawn(Session(self, call).run(Goto(number.voice_url, number.voice_method)), f"call-{call.sid}")
        return call
