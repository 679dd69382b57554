"""Placing outbound calls: paced by the shared limiter, retried only when Twilio says it is safe."""
from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable

import requests
from twilio.base.exceptions import TwilioRestException

from ..store.limiter import RateLimiter
from .helpline import Helpline

log = logging.getLogger(__name__)
MAX_429_RETRIES = 5


def outbound_limiter(h: Helpline) -> RateLimiter:
    """The one limiter every outbound call goes through (Twilio's CPS is per account)."""
    return RateLimiter(h.redis, h.scripts, "outbound-calls", h.settings.outbound_calls_per_second)


class NotPlaced(Exception):
    """Twilio refused the call (a 4xx): it certainly was not placed."""


class MaybePlaced(Exception):
    """A 5xx or a timeout: Twilio may have placed the call. Never retry blindly."""


def place_call(h: Helpline, *, to: str, from_: str, url: str, status_callback: str, timeout: int,
               machine_detection: str | None = None, sleep: Callable[[float], None] = time.sleep) -> str:
    """One outbound call through the shared rate limiter; returns its SID.

    429 (too many concurrent requests) was not processed: back off with jitter and retry.
    A 5xx or a network timeout may have placed the call: raise MaybePlaced.
    """
    limiter = outbound_limiter(h)
    for attempt in range(MAX_429_RETRIES + 1):
        try:
            with limiter.slot(timeout=120) as granted:
                if not granted:
                    raise NotPlaced("the outbound limiter gave no slot within 120 s")
                return h.telephony.place_call(to=to, from_=from_, url=url, status_callback=status_callback,
                                              timeout=timeout, machine_detection=machine_detection)
        except TwilioRestException as exc:
            if exc.status == 429 and attempt < MAX_429_RETRIES:
                delay = min(30.0, 0.5 * 2 ** attempt) * random.uniform(0.5, 1.0)
                log.info("Twilio said 429; retrying in %.1fs", delay)
                sleep(delay)
                continue
            if exc.status >= 500:
                raise MaybePlaced(f"Twilio answered {exc.status}") from None
            raise NotPlaced(f"Twilio refused the call ({exc.status})") from None
        except (requests.Timeout, requests.ConnectionError) as exc:
            raise MaybePlaced(type(exc).__name__) from exc
    raise NotPlaced("Twilio kept answering 429")
