"""What the emulator is configured with: credentials, the helpline's numbers, speed, timeouts."""
from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field

ACCOUNT_ENV = "TWILIO_ACCOUNT_SID"
TOKEN_ENV = "TWILIO_AUTH_TOKEN"
KEY_ENV = "TWILIO_API_KEY"
SECRET_ENV = "TWILIO_API_SECRET"
#: The helpline's number in the project's fictional range (+1 202 555 01xx).
DEFAULT_NUMBER = "+12025550100"


@dataclass(frozen=True)
class Credentials:
    """The account SID and Auth Token, plus an optional API key and secret for REST."""

    account_sid: str
    auth_token: str
    api_key: str | None = None
    api_secret: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Credentials:
        """The same variables the service reads."""
        env = os.environ if env is None else env
        if not env.get(ACCOUNT_ENV) or not env.get(TOKEN_ENV):
            raise ValueError(f"{ACCOUNT_ENV} and {TOKEN_ENV} are required (or pass --account-sid/--auth-token)")
        return cls(env[ACCOUNT_ENV], env[TOKEN_ENV], env.get(KEY_ENV) or None, env.get(SECRET_ENV) or None)

    @classmethod
    def generate(cls) -> Credentials:
        """Throwaway local credentials (tests, demos)."""
        return cls("AC" + secrets.token_hex(16), secrets.token_hex(16),
                   "SK" + secrets.token_hex(16), secrets.token_urlsafe(24))

    def accepts(self, username: str, password: str) -> bool:
        """HTTP basic auth as Twilio checks it: account SID + token, or API key + secret."""
        if secrets.compare_digest(username, self.account_sid) and secrets.compare_digest(password, self.auth_token):
            return True
        return bool(self.api_key and self.api_secret and secrets.compare_digest(username, self.api_key)
                    and secrets.compare_digest(password, self.api_secret))


@dataclass(frozen=True)
class NumberConfig:
    """One Twilio phone number of the account: where its calls' webhooks go."""

    number: str
    voice_url: str
    fallback_url: str | None = None
    status_callback: str | None = None
    voice_method: str = "POST"
    fallback_method: str = "POST"
    status_callback_method: str = "POST"

    @classmethod
    def for_service(cls, number: str, service_url: str) -> NumberConfig:
        """The helpline's settings from its README: incoming, fallback and status, all POST."""
        base = service_url.rstrip("/")
        return cls(number, f"{base}/voice/incoming", f"{base}/voice/fallback", f"{base}/voice/status")


@dataclass
class SimConfig:
    """Everything the emulator needs; speed scales simulated time, never HTTP timeouts."""

    credentials: Credentials
    numbers: list[NumberConfig] = field(default_factory=list)
    speed: float = 1.0
    webhook_timeout: float = 15.0          # real seconds, as Twilio's hard limit
    public_url: str = "http://127.0.0.1:8010"  # the emulator's own base URL (recording URLs, resource URIs)
    max_queue_size: int = 1000
    calls_per_second: float | None = None  # outbound REST calls started per real second (None: no limit)
    words_per_second: float = 2.5          # speaking rate of <Say>
    play_seconds: float = 4.0              # <Play> of audio not on the service's host (not measured)
    unknown_number: str = "no-answer"      # what a number with no simulated phone does: no-answer | failed
    callback_jitter: float = 0.0           # extra random delay (simulated seconds) before status callbacks
    duplicate_callbacks: float = 0.0       # probability a status callback is sent twice
    silence_threshold: float = 10.0        # simulated seconds of silence a caller may hear before it is flagged
    max_connections: int = 256
    check_responses: bool = False          # also check every REST answer against the spec (tests)

    def __post_init__(self) -> None:
        if self.speed <= 0:
            raise ValueError("speed must be positive")
        if self.unknown_number not in ("no-answer", "failed"):
            raise ValueError("unknown_number must be no-answer or failed")

    @classmethod
    def for_service(cls, service_url: str, credentials: Credentials | None = None,
                    numbers: list[str] | None = None, **options: object) -> SimConfig:
        """A configuration whose numbers all point at the helpline service."""
        creds = credentials or Credentials.from_env()
        configs = [NumberConfig.for_service(n, service_url) for n in (numbers or [DEFAULT_NUMBER])]
        return cls(creds, configs, **options)  # type: ignore[arg-type]

    def number(self, number: str) -> NumberConfig | None:
        """The account's configuration of one of its numbers."""
        return next((n for n in self.numbers if n.number == number), None)
