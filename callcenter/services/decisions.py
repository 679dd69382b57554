"""What a use case decided for a call; the web layer turns these into TwiML."""
from __future__ import annotations

from dataclasses import dataclass

from ..store.staffboard import StaffCard


@dataclass(frozen=True)
class Greeting:
    """Answer a new call: safety line, then the language menu or straight to routing."""

    language: str
    menu: bool
    blocked: bool
    step: int


@dataclass(frozen=True)
class AskLanguage:
    """Ask the language menu again after a key that is not a choice."""

    language: str
    step: int


@dataclass(frozen=True)
class Ring:
    """Offer the call to reserved staff: one phone (hunting) or several (ring-all)."""

    language: str
    line: str
    staff: tuple[StaffCard, ...]
    timeout: int
    attempt: int
    step: int
    ring_all: bool
    first: bool
    caller_id: str | None = None


@dataclass(frozen=True)
class NoOneFree:
    """Nobody could take the call: voicemail, or the overflow number."""

    language: str
    line: str
    mode: str
    overflow_number: str | None
    step: int
    caller_id: str | None = None
    on_duty: bool = True  # some staff are present (just busy); else nobody is on duty


@dataclass(frozen=True)
class Goodbye:
    """The conversation is over (or the caller is gone): say goodbye, hang up."""

    language: str
    say: bool = True


@dataclass(frozen=True)
class RingAllWait:
    """A caller waiting while several staff phones ring: keep waiting, or leave the queue."""

    language: str
    leave: bool
    announce: bool


@dataclass(frozen=True)
class Screen:
    """What a staff member hears on picking up: the prompt, or that the call is gone."""

    language_name: str | None
    result: str = "offer"  # offer | gone


@dataclass(frozen=True)
class ScreenAnswer:
    """What happened when staff pressed a key: accepted / declined / taken / gone."""

    result: str
    queue: str | None = None


@dataclass(frozen=True)
class VoicemailTaken:
    """The caller left a message (or did not)."""

    language: str
    received: bool
    promised: bool = False
