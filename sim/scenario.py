"""Scenario files: the staff phones and scripted callers of one run, in a few lines of YAML."""
from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .config import DEFAULT_NUMBER
from .outcomes import outcome, tally
from .personas import Behaviour
from .phones import Phone

if TYPE_CHECKING:
    from .calls import Call
    from .network import Network

PHONE = re.compile(r"\+?\d{10,15}")
EXAMPLE = """\
speed: 10                     # simulated time runs 10x faster (HTTP timeouts do not)
linger: 0                     # simulated seconds to wait after the last call ends (for callbacks)
staff:
  - {phone: "+12025550111", answer_after: 3, keys: ["1"], talk: 20}
  - {phone: "+12025550112", voicemail: true, answer_after: 8}
callers:
  - {from: "+12025550123", at: 0, keys: [""], talk: 15, expect: ["9 1 1"]}
  - {from: anonymous, at: 5, hold_patience: 60}
"""


@dataclass
class CallerSpec:
    """A scripted caller: who, when (simulated seconds), how often, what they do and must hear."""

    from_: str
    behaviour: Behaviour
    to: str | None = None
    at: float = 0.0
    repeat: int = 1
    every: float = 60.0
    expect: list[str] = field(default_factory=list)


@dataclass
class Scenario:
    staff: list[tuple[str, Behaviour, str]] = field(default_factory=list)
    callers: list[CallerSpec] = field(default_factory=list)
    speed: float | None = None
    service_url: str | None = None
    numbers: list[str] = field(default_factory=lambda: [DEFAULT_NUMBER])
    timeout: float = 600.0
    linger: float = 0.0     # simulated seconds to stay up after the last call (callbacks come later)


def load_scenario(source: str | Path) -> Scenario:
    """Parse a scenario from a path or YAML text; a bad field is named in the error."""
    text = Path(source).read_text() if isinstance(source, Path) or "\n" not in str(source) else str(source)
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise ValueError("a scenario is a YAML mapping")
    unknown = set(data) - {"speed", "service_url", "numbers", "timeout", "linger", "staff", "callers"}
    if unknown:
        raise ValueError(f"unknown scenario settings: {', '.join(sorted(unknown))}")
    scenario = Scenario(speed=data.get("speed"), service_url=data.get("service_url"),
                        numbers=[str(n) for n in data.get("numbers") or [DEFAULT_NUMBER]],
                        timeout=float(data.get("timeout", 600)), linger=float(data.get("linger", 0)))
    for index, item in enumerate(data.get("staff") or []):
        settings = dict(item)
        address = str(settings.pop("phone", ""))
        role = str(settings.pop("role", "staff"))
        if not address:
            raise ValueError(f"staff[{index}]: phone is required")
        scenario.staff.append((address, _behaviour(settings, f"staff[{index}]"), role))
    for index, item in enumerate(data.get("callers") or []):
        settings = dict(item)
        spec = CallerSpec(str(settings.pop("from", "anonymous")), Behaviour(), settings.pop("to", None),
                          float(settings.pop("at", 0)), int(settings.pop("repeat", 1)),
                          float(settings.pop("every", 60)), [str(e) for e in settings.pop("expect", []) or []])
        spec.behaviour = _behaviour(settings, f"callers[{index}]")
        scenario.callers.append(spec)
    return scenario


def _behaviour(settings: dict[str, Any], where: str) -> Behaviour:
    try:
        return Behaviour.from_dict(settings)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: {exc}") from None


@dataclass
class CallerResult:
    label: str
    call: Call
    outcome: str
    heard: list[str]
    did: list[str]
    missing: list[str]


async def run_scenario(net: Network, scenario: Scenario) -> list[CallerResult]:
    """Register the staff phones, let every caller dial when due, and wait until all calls are over."""
    for address, behaviour, role in scenario.staff:
        net.register(Phone(address, behaviour, role=role))
    placed: list[tuple[str, CallerSpec, Call]] = []
    deadline = time.monotonic() + scenario.timeout

    async def caller(index: int, spec: CallerSpec) -> None:
        await net.clock.sleep(spec.at)
        for attempt in range(spec.repeat):
            phone = net.phones.get(spec.from_) or Phone(spec.from_, spec.behaviour, role="caller",
                                                        label=f"caller {index + 1}")
            if spec.from_ != "anonymous":
                net.register(phone)
            call = net.dial_in(phone, spec.to or net.config.numbers[0].number)
            placed.append((f"caller {index + 1}" + (f" #{attempt + 1}" if spec.repeat > 1 else ""), spec, call))
            await net.clock.sleep(spec.every)

    await asyncio.gather(*(caller(i, spec) for i, spec in enumerate(scenario.callers)))
    quiet_since = None
    while time.monotonic() < deadline:
        if any(not c.final for c in net.calls.values()):
            quiet_since = None
        elif quiet_since is None:
            quiet_since = net.clock.now()
        elif net.clock.now() - quiet_since >= scenario.linger:
            break
        await asyncio.sleep(0.05)
    results = []
    for label, spec, call in placed:
        phone = call.line.phone if call.line else None
        heard = phone.transcript.heard(call.sid) if phone else []
        did = phone.transcript.did(call.sid) if phone else []
        results.append(CallerResult(label, call, outcome(call), heard, did, _missing(spec.expect, heard)))
    return results


def _missing(expect: list[str], heard: list[str]) -> list[str]:
    """The expected phrases not heard in order (each one matched after the previous)."""
    position = 0
    for index, pattern in enumerate(expect):
        hit = next((i for i in range(position, len(heard)) if re.search(pattern, heard[i], re.IGNORECASE)), None)
        if hit is None:
            return expect[index:]
        position = hit + 1
    return []


def report(net: Network, results: list[CallerResult], timeline: bool = False) -> str:
    """Transcripts and outcomes as text (labels; phone numbers masked)."""
    lines = []
    for result in results:
        lines.append(f"== {result.label}: {result.outcome} ({result.call.status}, {result.call.duration(net.clock)}s)")
        if timeline and result.call.line is not None:
            start = result.call.line.phone.transcript.of(result.call.sid)[0].at
            lines += [f"   {e.at - start:7.1f}s  {e.kind:<12} {e.text}" for e in _timeline(net, result.call)]
        else:
            lines += [f"   heard: {text}" for text in result.heard]
            lines.append(f"   did: {', '.join(result.did) or '-'}")
        if result.missing:
            lines.append(f"   MISSING expected: {result.missing}")
    counts = tally(net, [r.call for r in results])
    lines.append("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    for flag in net.flags:
        lines.append(f"flag: {flag.kind} on {flag.call_sid} {flag.detail}")
    return mask("\n".join(lines))


def _timeline(net: Network, call: Call) -> list[Any]:
    """Every event of a caller's call and of the legs it led to (staff phones), in time order.

    Legs placed through REST for this call are those whose URL names it (as ring-all legs do);
    calls to the caller's phone afterwards (callbacks) and whoever they were connected with are included.
    """
    party = call.line.phone.address if call.line else None
    later = [c for c in net.calls.values() if c.to == party and c.created > call.created and c.direction != "inbound"]
    related = {call.sid} | {c.sid for c in net.calls.values()
                            if c.parent is call or call in c.peers or call.sid in (c.url or "")}
    related |= {c.sid for c in later} | {p.sid for c in later for p in c.peers} | {
        c.sid for c in net.calls.values() if any(c.parent is back or back in c.peers for back in later)}
    events = [e for c in net.calls.values() if c.sid in related and c.line
              for e in c.line.phone.transcript.of(c.sid)]
    return sorted(events, key=lambda e: e.seq)


def mask(text: str) -> str:
    """Phone numbers shown as their last two digits only."""
    return PHONE.sub(lambda m: "•••" + m.group(0)[-2:], text)
