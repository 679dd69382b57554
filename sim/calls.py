"""A call leg as Twilio keeps it: status, times, callbacks, and the signals that stop its TwiML."""
from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .ids import new_sid, rfc2822

if TYPE_CHECKING:
    from .clock import Clock
    from .line import Line

FINAL = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})
#: Statuses the REST resource shows ("initiated" exists only as a callback event).
REST_STATUS = {"initiated": "queued"}
#: The status-callback event that announces each status.
EVENT_OF = {"initiated": "initiated", "ringing": "ringing", "in-progress": "answered",
            **{status: "completed" for status in FINAL}}
SIP_CODE = {"completed": 200, "busy": 486, "no-answer": 487, "canceled": 487, "failed": 500}


@dataclass(frozen=True)
class Goto:
    """A TwiML request to make next: URL, method and the parameters added to the standard ones."""

    url: str
    method: str = "POST"
    params: dict[str, str] = field(default_factory=dict)
    fallback_ok: bool = True
    twiml: str | None = None       # inline TwiML (REST ``Twiml``) instead of a request


@dataclass(frozen=True)
class StatusCallback:
    """Where a leg's call-progress events go."""

    url: str
    method: str = "POST"
    events: frozenset[str] = frozenset({"completed"})


class Call:
    """One call leg (inbound, outbound-api or outbound-dial)."""

    def __init__(self, *, account_sid: str, direction: str, from_: str, to: str, parent: Call | None = None,
                 callback: StatusCallback | None = None, fallback: tuple[str, str] | None = None) -> None:
        self.sid = new_sid("CA")
        self.account_sid = account_sid
        self.direction = direction
        self.from_ = from_
        self.to = to
        self.parent = parent
        self.callback = callback
        self.fallback = fallback
        self.status = "queued"
        self.created = time.time()
        self.updated = self.created
        self.start_wall: float | None = None
        self.end_wall: float | None = None
        self.answered_at: float | None = None     # simulated seconds
        self.ended_at: float | None = None
        self.answered_by: str | None = None
        self.sequence = 0
        self.queue_time = 0
        self.line: Line | None = None
        self.url: str | None = None
        self.method = "POST"
        self.twiml: str | None = None
        self.timeout = 60.0
        self.machine_detection: str | None = None
        self.redirect: Goto | None = None
        self.hangup_requested = False
        self.stop = asyncio.Event()    # set by a hangup or a redirect: the current verb stops
        self.ended = asyncio.Event()
        self.bridged_with: Call | None = None
        self.peers: list[Call] = []    # every call this one was bridged with
        self.errors: list[tuple[int, str]] = []

    @property
    def final(self) -> bool:
        return self.status in FINAL

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    def duration(self, clock: Clock) -> int:
        """Seconds from answer to end (or to now), in simulated time."""
        if self.answered_at is None:
            return 0
        end = self.ended_at if self.ended_at is not None else clock.now()
        return max(0, math.ceil(end - self.answered_at - 1e-9))

    def request_redirect(self, goto: Goto) -> None:
        """Leave the current verb for another document (REST update with Url or Twiml)."""
        self.redirect = goto
        self.stop.set()

    def take_redirect(self) -> Goto | None:
        goto, self.redirect = self.redirect, None
        if not self.hangup_requested:
            self.stop.clear()
        return goto

    async def wait(self, clock: Clock, seconds: float) -> bool:
        """Wait simulated seconds; False when the call was stopped (hung up or redirected) first."""
        if self.stop.is_set():
            return False
        if math.isinf(seconds):
            await self.stop.wait()
            return False
        try:
            await asyncio.wait_for(self.stop.wait(), clock.real(seconds))
        except TimeoutError:
            return True
        return False

    def resource(self, clock: Clock) -> dict[str, Any]:
        """The REST representation (``api.v2010.account.call``)."""
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Calls/{self.sid}"
        return {
            "sid": self.sid, "date_created": rfc2822(self.created), "date_updated": rfc2822(self.updated),
            "parent_call_sid": self.parent.sid if self.parent else None, "account_sid": self.account_sid,
            "to": self.to, "to_formatted": self.to, "from": self.from_, "from_formatted": self.from_,
            "phone_number_sid": None, "status": REST_STATUS.get(self.status, self.status),
            "start_time": rfc2822(self.start_wall) if self.start_wall else None,
            "end_time": rfc2822(self.end_wall) if self.end_wall else None,
            "duration": str(self.duration(clock)) if self.final else None, "price": None, "price_unit": "USD",
            "direction": self.direction, "answered_by": self.answered_by, "api_version": "2010-04-01",
            "forwarded_from": None, "group_sid": None, "caller_name": None, "queue_time": str(self.queue_time),
            "trunk_sid": None, "uri": uri + ".json",
            "subresource_uris": {name: f"{uri}/{path}.json" for name, path in (
                ("notifications", "Notifications"), ("recordings", "Recordings"), ("payments", "Payments"),
                ("events", "Events"), ("siprec", "Siprec"), ("streams", "Streams"),
                ("transcriptions", "Transcriptions"), ("user_defined_message_subscriptions",
                                                       "UserDefinedMessageSubscriptions"),
                ("user_defined_messages", "UserDefinedMessages"))},
        }

    def params(self) -> dict[str, str]:
        """The standard parameters of every voice webhook about this call."""
        params = {"AccountSid": self.account_sid, "ApiVersion": "2010-04-01", "CallSid": self.sid,
                  "CallStatus": self.status, "Direction": self.direction, "From": self.from_, "To": self.to,
                  "Caller": self.from_, "Called": self.to}
        for side, number in (("From", self.from_), ("To", self.to), ("Caller", self.from_), ("Called", self.to)):
            if number.startswith("+1"):
                params[f"{side}Country"] = "US"
        if self.parent is not None:
            params["ParentCallSid"] = self.parent.sid
        if self.answered_by:
            params["AnsweredBy"] = self.answered_by
        return params
