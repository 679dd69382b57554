"""Driving calls through the webhooks the way Twilio would: following each TwiML document."""
from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from . import twiml
from .helpers import CALLER, Webhooks, call_params, sid, staff_leg_params

_numbers = itertools.count(1)


def new_call_sid() -> str:
    return sid("CA", next(_numbers) + 0x100000)


def new_leg_sid() -> str:
    return sid("CA", next(_numbers) + 0x900000)


@dataclass
class StaffLeg:
    """One staff phone rung by a ``<Dial>`` (its screening URL and status callback URL)."""

    call: InboundCall
    contact: str
    screen_url: str
    status_url: str
    sid: str = field(default_factory=new_leg_sid)
    last: ET.Element | None = None
    seq: int = 0

    def status(self, status: str, **extra: str) -> Any:
        params = staff_leg_params(self.sid, self.call.sid, self.contact, status=status,
                                  SequenceNumber=str(self.seq), CallbackSource="call-progress-events", **extra)
        self.seq += 1
        return self.call.hooks.post(self.status_url, params)

    def pick_up(self) -> ET.Element:
        """The staff member (or their voicemail) answers: Twilio requests the screening URL."""
        self.last = self.call.hooks.twiml(self.screen_url, staff_leg_params(self.sid, self.call.sid, self.contact))
        return self.last

    def press(self, digits: str) -> ET.Element:
        assert self.last is not None
        action = self.last.find("Gather").get("action")
        self.last = self.call.hooks.twiml(action, staff_leg_params(self.sid, self.call.sid, self.contact,
                                                                   Digits=digits))
        return self.last


@dataclass
class InboundCall:
    """A caller's call, moved along by posting to the URLs in the TwiML the service returns."""

    hooks: Webhooks
    sid: str = field(default_factory=new_call_sid)
    caller: str = CALLER
    last: ET.Element | None = None
    seq: int = 0
    enqueue: ET.Element | None = None

    def params(self, **extra: str) -> dict[str, str]:
        return call_params(self.sid, caller=self.caller, **extra)

    def post(self, url: str, **extra: str) -> ET.Element:
        self.last = self.hooks.twiml(url, self.params(**extra))
        if self.last.find("Enqueue") is not None:
            self.enqueue = self.last.find("Enqueue")
        return self.last

    def wait(self, url: str, **extra: str) -> ET.Element:
        """One loop of an ``<Enqueue>`` wait URL: only the verbs Twilio allows there."""
        response = self.hooks.post(url, self.params(**extra))
        assert response.status_code == 200
        root = twiml.parse(response.get_data())
        allowed = {"Play", "Say", "Pause", "Hangup", "Redirect", "Leave", "Gather"}
        assert {child.tag for child in root} <= allowed, f"verbs not allowed in a wait URL: {root}"
        return root

    @property
    def hold_action(self) -> str:
        """The action URL of the last ``<Enqueue>`` this caller was given."""
        assert self.enqueue is not None
        return str(self.enqueue.get("action"))

    def menu_offered(self) -> bool:
        """The last document is the "no one free" menu (1 hold, 2 callback, 3 voicemail)."""
        gather = self.last.find("Gather") if self.last is not None else None
        return gather is not None and gather.get("action", "").startswith("/voice/menu")

    def dial_in(self) -> ET.Element:
        return self.post("/voice/incoming", CallStatus="ringing")

    def choose(self, digits: str) -> ET.Element:
        assert self.last is not None
        return self.post(self.last.find(".//Gather").get("action"), Digits=digits)

    def follow_redirect(self) -> ET.Element:
        assert self.last is not None
        return self.post(self.last.find("Redirect").text)

    def legs(self) -> list[StaffLeg]:
        """The staff phones the current ``<Dial>`` rings."""
        assert self.last is not None
        dial = self.last.find("Dial")
        assert dial is not None, f"expected a <Dial>, got {[c.tag for c in self.last]}"
        return [StaffLeg(self, noun.text if noun.tag == "Number" else f"client:{noun.text}",
                         noun.get("url"), noun.get("statusCallback")) for noun in dial]

    def dial_result(self, status: str, duration: int = 0, **extra: str) -> ET.Element:
        assert self.last is not None
        action = self.last.find("Dial").get("action")
        return self.post(action, DialCallStatus=status, DialCallDuration=str(duration), **extra)

    def status(self, status: str, **extra: str) -> Any:
        params = self.params(CallStatus=status, SequenceNumber=str(self.seq),
                             CallbackSource="call-progress-events", **extra)
        self.seq += 1
        return self.hooks.post("/voice/status", params)

    def answered(self) -> StaffLeg:
        """Dial in; the one staff phone rung picks up and presses 1. Returns that leg."""
        self.to_routing()
        [leg] = self.legs()
        leg.pick_up()
        leg.press("1")
        return leg

    def to_routing(self, language_digit: str = "1") -> ET.Element:
        """Dial in and pick a language: the document that rings staff (or says no one is free)."""
        self.dial_in()
        return self.choose(language_digit)
