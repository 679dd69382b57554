"""A local stand-in for Twilio: REST API, phone network, TwiML interpreter, scripted callers and staff.

It talks to the helpline only over HTTP, as Twilio does (signed webhooks in, REST requests out).
"""
from __future__ import annotations

from .config import Credentials, NumberConfig, SimConfig
from .personas import Behaviour, KeyRule
from .runtime import CallHandle, Simulator

__all__ = ["Behaviour", "CallHandle", "Credentials", "KeyRule", "NumberConfig", "SimConfig", "Simulator"]
