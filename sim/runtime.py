"""The emulator in a background thread, with a synchronous API for tests and scripts."""
from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Coroutine
from concurrent.futures import Future
from typing import Any, TypeVar

from .calls import Call
from .config import SimConfig
from .line import Event
from .network import Flag, Network
from .personas import Behaviour
from .phones import Phone
from .rest import RestRecord
from .server import Emulator
from .webhooks import Delivery

T = TypeVar("T")


class CallHandle:
    """A call placed by a simulated caller, seen from the test's thread."""

    def __init__(self, sim: Simulator, call: Call, phone: Phone) -> None:
        self.sim = sim
        self.call = call
        self.phone = phone

    @property
    def sid(self) -> str:
        return self.call.sid

    @property
    def status(self) -> str:
        return self.call.status

    def wait(self, timeout: float = 30.0) -> CallHandle:
        """Block until the call has ended (AssertionError after ``timeout`` real seconds)."""
        self.sim.wait_for(lambda: self.call.final, timeout, f"call {self.sid} to end")
        return self

    def heard(self) -> list[str]:
        return self.sim.inspect(lambda: self.phone.transcript.heard(self.sid))

    def events(self) -> list[Event]:
        return self.sim.inspect(lambda: self.phone.transcript.of(self.sid))

    def press(self, keys: str) -> None:
        """The caller presses keys now."""
        def press() -> None:
            if self.call.line is not None:
                self.call.line.press(keys)
        self.sim.inspect(press)

    def hang_up(self) -> None:
        """The caller hangs up now."""
        def hang_up() -> None:
            if self.call.line is not None:
                self.call.line.hang_up()
        self.sim.inspect(hang_up)


class Simulator:
    """Start with ``Simulator(config).start()`` (or ``with Simulator(config) as sim``)."""

    def __init__(self, config: SimConfig, *, host: str = "127.0.0.1", port: int = 0, serve: bool = True,
                 public_url: str | None = None) -> None:
        self.config = config
        self.host, self.port, self.serve = host, port, serve
        self.public_url = public_url
        self.loop = asyncio.new_event_loop()
        self.emulator = Emulator(config, Network(config))
        self.thread = threading.Thread(target=self._run, name="twilio-sim", daemon=True)
        self.url = ""

    @property
    def net(self) -> Network:
        return self.emulator.net

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def start(self) -> Simulator:
        self.thread.start()
        self.url = self.run(self.emulator.start(self.host, self.port, self.serve))
        self.config.public_url = self.public_url or self.url or self.config.public_url
        return self

    def stop(self) -> None:
        if not self.thread.is_alive():
            return
        self.run(self.emulator.stop(), timeout=30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ crossing into the loop

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60.0) -> T:
        """Run a coroutine on the emulator's loop and return its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def inspect(self, fn: Callable[[], T], timeout: float = 10.0) -> T:
        """Call ``fn`` on the emulator's loop (where all its state lives) and return what it returns."""
        if threading.current_thread() is self.thread:
            return fn()
        future: Future[T] = Future()

        def call() -> None:
            try:
                future.set_result(fn())
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                future.set_exception(exc)
        self.loop.call_soon_threadsafe(call)
        return future.result(timeout)

    def wait_for(self, check: Callable[[], bool], timeout: float = 30.0, what: str = "the condition") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.inspect(check):
                return
            time.sleep(0.01)
        raise AssertionError(f"timed out after {timeout}s waiting for {what}")

    # ------------------------------------------------------------------ the domain

    def add_phone(self, address: str, behaviour: Behaviour | None = None, *, role: str = "staff",
                  manual: bool = False, **settings: Any) -> Phone:
        """Put a staff (or caller's) phone on the network; ``settings`` are Behaviour fields."""
        persona = behaviour or Behaviour.from_dict(settings)
        return self.inspect(lambda: self.net.register(Phone(address, persona, manual=manual, role=role)))

    def dial(self, from_: str, to: str | None = None, behaviour: Behaviour | None = None, *,
             manual: bool = False, **settings: Any) -> CallHandle:
        """A caller (``anonymous`` for a withheld number) dials a number of the account."""
        target = to or self.config.numbers[0].number

        def place() -> CallHandle:
            phone = self.net.phones.get(from_) or Phone(from_, behaviour or Behaviour.from_dict(settings),
                                                         manual=manual, role="caller")
            return CallHandle(self, self.net.dial_in(phone, target), phone)
        return self.inspect(place)

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Until no call is live and every background request has been sent."""
        self.wait_for(lambda: all(c.final for c in self.net.calls.values()) and not any(
            t.get_name() in ("status-callback", "recording") for t in self.net.tasks), timeout, "all calls to end")

    def calls(self) -> list[Call]:
        return self.inspect(lambda: list(self.net.calls.values()))

    def children(self, sid: str) -> list[Call]:
        return self.inspect(lambda: [c for c in self.net.calls.values() if c.parent and c.parent.sid == sid])

    def phone(self, address: str) -> Phone:
        return self.inspect(lambda: self.net.phones[address])

    @property
    def rest_log(self) -> list[RestRecord]:
        return self.inspect(lambda: list(self.emulator.rest.log))

    @property
    def deliveries(self) -> list[Delivery]:
        return self.inspect(lambda: list(self.net.webhooks.deliveries))

    @property
    def flags(self) -> list[Flag]:
        return self.inspect(lambda: list(self.net.flags))

    @property
    def failures(self) -> list[BaseException]:
        return self.inspect(lambda: list(self.net.failures))
