"""How long a <Play> lasts: the service's own audio files are fetched and measured, like Twilio fetches them."""
from __future__ import annotations

import asyncio
import io
import wave
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import aiohttp

if TYPE_CHECKING:
    from .network import Network

MP3_BITS_PER_SECOND = 128_000   # a guess for MP3s (their length is not in a header)


def measure(body: bytes, content_type: str, default: float) -> float:
    """Seconds of audio in a WAV (exact) or an MP3 (estimated); ``default`` for anything else."""
    if body[:4] == b"RIFF":
        try:
            with wave.open(io.BytesIO(body)) as audio:
                return audio.getnframes() / float(audio.getframerate())
        except (wave.Error, EOFError):
            return default
    if "mpeg" in content_type or body[:3] == b"ID3":
        return len(body) * 8 / MP3_BITS_PER_SECOND
    return default


class AudioLengths:
    """A cache of audio lengths by URL; only URLs on the service's own hosts are fetched."""

    def __init__(self, net: Network) -> None:
        self.net = net
        self.lengths: dict[str, asyncio.Future[float]] = {}
        self.hosts = {urlsplit(n.voice_url).netloc for n in net.config.numbers}

    async def seconds(self, url: str, call_sid: str = "") -> float:
        if urlsplit(url).netloc not in self.hosts:
            return self.net.config.play_seconds
        if url not in self.lengths:
            self.lengths[url] = asyncio.ensure_future(self._fetch(url, call_sid))
        return await asyncio.shield(self.lengths[url])

    async def _fetch(self, url: str, call_sid: str) -> float:
        session = self.net.webhooks.session
        default = self.net.config.play_seconds
        if session is None:
            return default
        try:
            async with session.get(url, timeout=aiohttp.ClientTimeout(total=5)) as response:
                if response.status != 200:
                    self.net.flag("audio-error", "", call_sid, f"HTTP {response.status} for {urlsplit(url).path}")
                    return 0.0
                return measure(await response.read(), response.headers.get("Content-Type", ""), default)
        except (TimeoutError, aiohttp.ClientError) as exc:
            self.net.flag("audio-error", "", call_sid, f"{type(exc).__name__} for {urlsplit(url).path}")
            return 0.0
