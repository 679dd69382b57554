"""Load mode: many scripted callers and staff at once, with latency percentiles and invariant checks."""
from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .outcomes import tally
from .personas import Behaviour, KeyRule
from .phones import Phone
from .stats import format_table, latency_table, max_in_window

if TYPE_CHECKING:
    from .calls import Call
    from .network import Network
    from .rest import RestRecord

#: Area codes whose 555-0100..0199 numbers are all fictional; the first 98 staff use 202.
AREAS = ["202", "301", "410", "703", "212", "213", "312", "415", "617", "646", "305", "206"]


#: "If that is right, press 1": a caller confirms what is read back to them.
CONFIRM = KeyRule(r"(right|correct)[,.]? press 1|to confirm,? press 1", "1")


def staff_numbers(count: int) -> list[str]:
    """+1 202 555 0101 … (0100 is the helpline and 0199 its overflow line), then other areas."""
    pool = [f"+1202555{n:04d}" for n in range(101, 199)]
    pool += [f"+1{area}555{n:04d}" for area in AREAS[1:6] for n in range(100, 200)]
    if count > len(pool):
        raise ValueError(f"at most {len(pool)} staff phones")
    return pool[:count]


def caller_numbers(count: int) -> list[str]:
    """Fictional caller numbers from areas staff do not use (numbers repeat beyond 600)."""
    pool = [f"+1{area}555{n:04d}" for area in AREAS[6:] for n in range(100, 200)]
    return [pool[i % len(pool)] for i in range(count)]


@dataclass
class LoadPlan:
    """How many callers arrive over how long (simulated seconds), against how many staff phones."""

    callers: int = 100
    staff: int = 10
    duration: float = 300.0
    seed: int = 7
    timeout: float = 900.0                 # real seconds before the run stops waiting
    overflow: str | None = "+12025550199"   # a phone answering the overflow line (None: nobody)


@dataclass
class LoadReport:
    outcomes: Counter[str]
    latency: dict[str, dict[str, Any]]
    flags: Counter[str]
    worst_silence: float
    max_live_calls: int
    rest_creations: int
    rest_max_per_second: int
    rest_refused: int
    rest_other: Counter[str]
    elapsed: float
    unfinished: int
    examples: dict[str, list[str]] = field(default_factory=dict)

    def text(self) -> str:
        out = Counter(self.outcomes)
        lines = [f"calls {out['calls']}: answered {out['answered']}, held {out['held']}, "
                 f"called back {out['called back']}, abandoned {out['abandoned']}, voicemail {out['voicemail']}, "
                 f"overflow {out['overflow']}, ended by the service {out['ended']}, unfinished {self.unfinished}",
                 f"max live calls {self.max_live_calls}; run took {self.elapsed:.1f}s real",
                 f"REST: {self.rest_creations} calls created, at most {self.rest_max_per_second} in any 1 s window,"
                 f" {self.rest_refused} refused; "
                 + ", ".join(f"{v} {k}" for k, v in sorted(self.rest_other.items())),
                 "invariant violations: " + (", ".join(f"{k} {v}" for k, v in sorted(self.flags.items())) or "none")
                 + f" (longest silence a caller heard: {self.worst_silence:.1f}s)", "", format_table(self.latency)]
        for kind, samples in self.examples.items():
            lines.append(f"{kind} e.g. " + "; ".join(samples))
        return "\n".join(lines)


def staff_behaviour(rng: random.Random) -> Behaviour:
    """Most staff answer and press 1; some let it ring, some have their voicemail pick up."""
    roll = rng.random()
    talk = rng.uniform(20, 90)
    if roll < 0.05:
        return Behaviour(answer_after=None)
    if roll < 0.10:
        return Behaviour(voicemail=True, answer_after=rng.uniform(8, 15), hangup_after=40)
    if roll < 0.15:
        return Behaviour(answer_after=rng.uniform(1, 5), keys=[""], talk=talk)   # picks up, never presses 1
    return Behaviour(answer_after=rng.uniform(1, 6), keys=["1"], talk=talk)


def caller_behaviour(rng: random.Random) -> Behaviour:
    """Callers choose a language (mostly the default), wait, talk, sometimes give up or want a callback."""
    language = rng.choices(["", "1", "2"], [0.6, 0.2, 0.2])[0]
    behaviour = Behaviour(keys=[language], talk=rng.uniform(30, 120), hold_patience=rng.uniform(30, 240),
                          speak=rng.uniform(5, 20), answer_after=rng.uniform(2, 8),
                          callback="2" if rng.random() < 0.3 else None, rules=[CONFIRM])
    if rng.random() < 0.1:
        behaviour.hangup_after = rng.uniform(5, 40)   # gives up early, whatever happens
    return behaviour


async def run_load(net: Network, plan: LoadPlan, rest_log: list[RestRecord] | None = None) -> LoadReport:
    """Drive the plan against the service the network points at; wait for every call to end."""
    rng = random.Random(plan.seed)
    started = time.monotonic()
    for address in staff_numbers(plan.staff):
        net.register(Phone(address, staff_behaviour(rng), role="staff"))
    if plan.overflow:
        net.register(Phone(plan.overflow, Behaviour(answer_after=3, talk=60), role="overflow", label="overflow"))
    inbound: list[Call] = []
    live_max = 0

    async def arrivals() -> None:
        for number in caller_numbers(plan.callers):
            await net.clock.sleep(rng.expovariate(plan.callers / plan.duration))
            phone = net.phones.get(number) or net.register(Phone(number, caller_behaviour(rng), role="caller"))
            inbound.append(net.dial_in(phone, net.config.numbers[0].number))

    feeding = asyncio.ensure_future(arrivals())
    deadline = started + plan.timeout
    while time.monotonic() < deadline:
        live = sum(1 for c in net.calls.values() if not c.final)
        live_max = max(live_max, live)
        if feeding.done() and not live:
            break
        await asyncio.sleep(0.1)
    feeding.cancel()
    return _report(net, plan, inbound, live_max, rest_log or [], time.monotonic() - started)


def _report(net: Network, plan: LoadPlan, inbound: list[Call], live_max: int, rest_log: list[RestRecord],
            elapsed: float) -> LoadReport:
    flags = Counter(flag.kind for flag in net.flags)
    examples: dict[str, list[str]] = {}
    for flag in net.flags:
        samples = examples.setdefault(flag.kind, [])
        if len(samples) < 3:
            samples.append(f"{flag.call_sid} {flag.detail}")
    creations = [r.monotonic for r in rest_log if r.created_call]
    other: Counter[str] = Counter(_kind(r) for r in rest_log if not r.created_call and r.status < 400)
    worst = max((c.line.longest_silence for c in inbound if c.line is not None), default=0.0)
    return LoadReport(tally(net, inbound), latency_table(net.webhooks.deliveries), flags, worst, live_max,
                      len(creations), max_in_window(creations, 1.0), sum(1 for r in rest_log if r.status >= 400),
                      other, elapsed, sum(1 for c in net.calls.values() if not c.final), examples)


def _kind(record: RestRecord) -> str:
    """A REST request in words: fetches, lists, redirects, hang-ups, cancels."""
    if record.method == "GET":
        return "lists" if record.path.endswith("/Calls.json") else "fetches"
    status = (record.form.get("Status") or [""])[0]
    return {"completed": "hang-ups", "canceled": "cancels"}.get(status, "redirects")
