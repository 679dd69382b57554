"""The Lua scripts under ``store/lua/``, registered once per Redis client."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from redis import Redis

_LUA = Path(__file__).with_name("lua")
NAMES = tuple(sorted(p.stem for p in _LUA.glob("*.lua")))


class Scripts:
    """Attribute access to each script: ``scripts.reserve(keys=..., args=...)``."""

    def __init__(self, redis: Redis) -> None:
        self._scripts = {name: redis.register_script((_LUA / f"{name}.lua").read_text()) for name in NAMES}

    def __getattr__(self, name: str) -> Any:
        try:
            return self._scripts[name]
        except KeyError:
            raise AttributeError(name) from None
