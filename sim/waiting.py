"""Waiting for the first of several things (a key, a hangup, a timeout) in simulated time."""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any


async def first(*things: Awaitable[Any] | asyncio.Future[Any], timeout: float | None = None) -> set[int]:
    """Indexes of the awaitables done first (empty on timeout, in real seconds); the others are cancelled
    (futures passed in are left alone)."""
    futures = [asyncio.ensure_future(thing) for thing in things]
    owned = [future is not thing for future, thing in zip(futures, things, strict=True)]
    try:
        done, _ = await asyncio.wait(futures, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for future, mine in zip(futures, owned, strict=True):
            if mine and not future.done():
                future.cancel()
    return {index for index, future in enumerate(futures) if future in done}


async def next_key(digits: asyncio.Queue[str], stop: asyncio.Event, timeout: float) -> str | None:
    """The next key pressed within ``timeout`` real seconds; None on timeout or stop."""
    if not digits.empty():
        return digits.get_nowait()
    getter = asyncio.ensure_future(digits.get())
    stopper = asyncio.ensure_future(stop.wait())
    try:
        done, _ = await asyncio.wait({getter, stopper}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopper.cancel()
        if not getter.done():
            getter.cancel()
    if getter in done and not getter.cancelled():
        return getter.result()
    return None


def drain(digits: asyncio.Queue[str]) -> None:
    """Forget keys pressed before now."""
    while not digits.empty():
        digits.get_nowait()
