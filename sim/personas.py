"""Scripted people: when to answer, which keys to press, how long to talk, hold or wait."""
from __future__ import annotations

import asyncio
import re
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .line import Line

CALLBACK_WORDS = r"call (?:you )?back|callback"


@dataclass(frozen=True)
class KeyRule:
    """Press ``press`` at a <Gather> whose prompt (or the sentence before it) matches ``heard``."""

    heard: str
    press: str

    def matches(self, texts: list[str]) -> bool:
        return any(re.search(self.heard, text, re.IGNORECASE) for text in texts)


@dataclass
class Behaviour:
    """How one person (or their voicemail) acts on a call; times are simulated seconds."""

    answer_after: float | None = 2.0       # None: lets it ring out
    busy: bool = False                     # rejects every call with busy
    voicemail: bool = False                # a machine answers: never presses a key, never talks
    keys: list[str] = field(default_factory=list)   # one entry per <Gather>, in order ("" none, "hangup")
    rules: list[KeyRule] = field(default_factory=list)
    callback: str | None = None            # key to press when a prompt offers a callback
    key_delay: float = 1.0                 # after the prompt ends (or after it starts, with barge_in)
    barge_in: bool = False
    talk: float | None = 30.0              # hang up after this long in a conversation (None: never)
    hold_patience: float | None = None     # hang up after this long on hold (None: waits forever)
    hangup_after: float | None = None      # hang up this long after the call starts
    speak: float | None = 8.0              # seconds of message when a <Record> runs (None: silence)
    after_message: str = "hangup"          # after speaking to <Record>: hangup | wait | key:<k>
    answered_by: str | None = None         # machine detection result (default: human, or machine_* for voicemail)
    call_waiting: bool = False             # a second call rings too instead of getting busy

    @classmethod
    def from_dict(cls, values: Mapping[str, Any]) -> Behaviour:
        """From a scenario's YAML mapping; unknown names are refused with their name."""
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ValueError(f"unknown persona settings: {', '.join(sorted(unknown))}")
        data = dict(values)
        data["keys"] = ["" if k is None else str(k) for k in data.get("keys") or []]
        data["rules"] = [r if isinstance(r, KeyRule) else KeyRule(str(r["heard"]), str(r["press"]))
                         for r in data.get("rules") or []]
        if data.get("callback") is not None:
            data["callback"] = str(data["callback"])
        if data.get("voicemail"):
            data.setdefault("hangup_after", 60.0)
        return cls(**data)

    def machine_result(self, detection: str) -> str:
        """AnsweredBy for machine detection ``Enable`` or ``DetectMessageEnd``."""
        if self.answered_by:
            return self.answered_by
        if not self.voicemail:
            return "human"
        return "machine_end_beep" if detection == "DetectMessageEnd" else "machine_start"


class Persona:
    """Reacts to the events of one line as the behaviour says."""

    def __init__(self, line: Line, behaviour: Behaviour) -> None:
        self.line = line
        self.b = behaviour
        self.keys = deque(behaviour.keys)
        self.recent: deque[str] = deque(maxlen=3)
        self.timers: dict[str, asyncio.Task[None]] = {}
        self.asked_callback = False

    def later(self, name: str, seconds: float | None, action: Callable[[], None]) -> None:
        """Do ``action`` after simulated ``seconds`` unless cancelled (or the call ends) first."""
        self.cancel(name)
        if seconds is None:
            return

        async def fire() -> None:
            try:  # a redirect does not stop a person's patience; only the end of the call does
                await asyncio.wait_for(self.line.call.ended.wait(), self.line.net.clock.real(seconds))
            except TimeoutError:
                action()
        self.timers[name] = self.line.net.spawn(fire(), f"persona-timer-{name}")

    def cancel(self, name: str) -> None:
        task = self.timers.pop(name, None)
        if task is not None:
            task.cancel()

    async def answer(self) -> bool:
        """Ring-time decision; True when the call was picked up."""
        if self.b.busy:
            self.line.decline(busy=True)
            return False
        if self.b.answer_after is None:
            return False
        offer = self.line.offer
        assert offer is not None
        try:
            await asyncio.wait_for(asyncio.shield(offer), self.line.net.clock.real(self.b.answer_after))
        except TimeoutError:
            self.line.answer()
        except asyncio.CancelledError:
            if not offer.cancelled():
                raise
        return offer.done() and not offer.cancelled() and offer.result() == "answer"

    def choose_keys(self, prompt: list[str]) -> str:
        """The keys for this <Gather>: a matching rule first, else the next scripted entry."""
        if self.b.voicemail:
            return ""
        texts = prompt or list(self.recent)[-1:]   # the gather's own prompt, else what was said just before
        if self.b.callback and not self.asked_callback and KeyRule(CALLBACK_WORDS, self.b.callback).matches(texts):
            self.asked_callback = True   # once: later prompts that mention a callback are about this one
            return self.b.callback
        for rule in self.b.rules:
            if rule.matches(texts):
                return rule.press
        return self.keys.popleft() if self.keys else ""

    def press(self, keys: str) -> None:
        if keys == "hangup":
            self.line.hang_up()
        elif keys:
            self.line.press(keys)

    def on_record(self) -> None:
        if self.b.voicemail or not self.b.speak:
            return
        self.line.speak(self.b.speak)
        after = self.b.after_message
        if after == "hangup":
            self.later("message", self.b.speak + 0.5, self.line.hang_up)
        elif after.startswith("key:"):
            self.later("message", self.b.speak + 0.5, lambda: self.line.press(after[4:]))

    async def run(self, incoming: bool) -> None:
        if incoming and not await self.answer():
            return
        self.later("total", self.b.hangup_after, self.line.hang_up)
        prompt: list[str] = []
        try:
            while True:
                event = await self.line.inbox.get()
                kind = event.kind
                if kind == "hangup":
                    return
                if kind == "say":
                    prompt.append(event.text)
                    self.recent.append(event.text)
                elif kind == "gather":
                    prompt = []
                    if self.b.barge_in:
                        self._schedule_keys(prompt)
                elif kind == "listen" and not self.b.barge_in:
                    self._schedule_keys(prompt)
                elif kind == "record":
                    self.on_record()
                elif kind == "hold":
                    self.later("hold", self.b.hold_patience, self.line.hang_up)
                elif kind == "unhold":
                    self.cancel("hold")
                elif kind == "bridged" and not self.b.voicemail:
                    self.cancel("hold")
                    self.later("talk", self.b.talk, self.line.hang_up)
                elif kind == "unbridged":
                    self.cancel("talk")
        finally:
            for name in list(self.timers):
                self.cancel(name)

    def _schedule_keys(self, prompt: list[str]) -> None:
        keys = self.choose_keys(list(prompt))
        if keys:
            self.later("keys", self.b.key_delay, lambda: self.press(keys))


async def act(line: Line, behaviour: Behaviour, incoming: bool) -> None:
    """The persona coroutine of one line."""
    await Persona(line, behaviour).run(incoming)
