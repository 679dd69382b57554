"""Phones on the simulated network: a caller's mobile, a staff phone, a browser (Client) phone."""
from __future__ import annotations

from .line import Line, Transcript
from .personas import Behaviour, act


class Phone:
    """A phone at an address; scripted by a Behaviour, or ``manual`` (driven by the control API)."""

    def __init__(self, address: str, behaviour: Behaviour | None = None, *, label: str = "",
                 manual: bool = False, role: str = "staff") -> None:
        self.address = address
        self.behaviour = behaviour or Behaviour()
        self.label = label or address
        self.manual = manual
        self.role = role
        self.transcript = Transcript()
        self.lines: list[Line] = []

    def active(self) -> list[Line]:
        """Lines ringing or in a call right now."""
        return [line for line in self.lines if not line.call.final]

    def ringing(self) -> list[Line]:
        return [line for line in self.lines if line.ringing]

    def incoming(self, line: Line) -> None:
        """A call rings this phone: the persona decides (a manual phone waits for the control API)."""
        if not self.manual:
            line.net.spawn(act(line, self.behaviour, incoming=True), f"persona-{line.call.sid}")

    def calling(self, line: Line) -> None:
        """This phone placed a call: the persona reacts to what it hears."""
        if not self.manual:
            line.net.spawn(act(line, self.behaviour, incoming=False), f"persona-{line.call.sid}")

    def summary(self) -> dict[str, object]:
        return {"address": self.address, "label": self.label, "role": self.role, "manual": self.manual,
                "ringing": [line.call.sid for line in self.ringing()],
                "active": [line.call.sid for line in self.active()]}
