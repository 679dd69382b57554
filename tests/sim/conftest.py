"""Fixtures for the emulator's tests: a canned-TwiML app and an emulator pointed at it, fast."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from sim import Credentials, NumberConfig, SimConfig, Simulator

from .stub import TwimlApp

HELPLINE = "+12025550100"
CALLER = "+12025550123"
STAFF = "+12025550111"
CREDENTIALS = Credentials("AC" + "a1" * 16, "sim-test-token-0123456789abcdef", "SK" + "b2" * 16, "sim-test-secret")
SPEED = 100.0


@pytest.fixture
def app() -> Iterator[TwimlApp]:
    stub = TwimlApp(CREDENTIALS.auth_token).start()
    yield stub
    stub.stop()


@pytest.fixture
def make_sim(app: TwimlApp) -> Iterator[Callable[..., Simulator]]:
    """Build (and later stop) an emulator whose helpline number's webhooks go to ``app``."""
    started: list[Simulator] = []

    def make(speed: float = SPEED, fallback: bool = True, status: bool = True, **options: object) -> Simulator:
        number = NumberConfig(HELPLINE, f"{app.url}/voice/incoming",
                              f"{app.url}/voice/fallback" if fallback else None,
                              f"{app.url}/voice/status" if status else None)
        config = SimConfig(CREDENTIALS, [number], speed=speed, check_responses=True,
                           **options)  # type: ignore[arg-type]
        sim = Simulator(config).start()
        started.append(sim)
        return sim

    yield make
    for sim in started:
        failures, violations = sim.failures, sim.inspect(lambda s=sim: list(s.emulator.rest.violations))
        sim.stop()
        assert not failures, f"emulator tasks crashed: {failures}"
        assert not violations, f"REST answers the official spec rejects: {violations}"


@pytest.fixture
def sim(make_sim: Callable[..., Simulator]) -> Simulator:
    return make_sim()
