"""One settings object: the environment plus the call-flow YAML, validated once at start.

A bad value raises :class:`SettingsError` naming the field, so the service stops with a
message an operator can act on instead of misbehaving on the first call.
"""
from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time as dt_time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
import yaml

from .core import prompts as prompt_defaults
from .core.errors import FieldError
from .core.routing import Strategy

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CALLFLOW = ROOT / "config" / "callflow.yaml"
TWILIO_API = "https://api.twilio.com"
_ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
_CODE = re.compile(r"^[a-z]{2}(-[A-Za-z]{2,4})?$")
_LINE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


class SettingsError(FieldError):
    """A setting is missing or wrong; the message starts with the setting's name."""


@dataclass(frozen=True)
class Language:
    """A language callers can choose; ``name`` is how staff hear it named."""

    code: str
    name: str
    say_language: str
    digit: str
    voice: str | None = None


@dataclass(frozen=True)
class Line:
    """A helpline line: the numbers that reach it and the team that answers it."""

    id: str
    name: str
    numbers: tuple[str, ...]
    overflow_number: str | None = None


@dataclass(frozen=True)
class Routing:
    """How calls are offered to staff."""

    strategy: Strategy = Strategy.LONGEST_IDLE
    ring_seconds: int = 20
    screen_seconds: int = 8
    language_fallback: bool = True
    ring_all_max: int = 10
    hunt_max_attempts: int = 4
    hunt_max_ring_seconds: int = 75
    autopause_after_misses: int = 3
    wrapup_seconds: int = 60
    max_call_seconds: int = 4 * 3600
    reaper_check_seconds: int = 600


@dataclass(frozen=True)
class Hold:
    """The hold queue: music, how long a caller holds, what happens after."""

    music_url: str = "http://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3"
    max_seconds: int = 900
    when_too_long: str = "callback"  # callback | voicemail | overflow
    menu_default: str = "hold"  # the "no one free" menu, no key pressed: hold | callback | voicemail


@dataclass(frozen=True)
class Callbacks:
    """Callback requests and how they are placed."""

    regions: tuple[str, ...] = ("US",)
    window_start: dt_time = dt_time(8, 0)
    window_end: dt_time = dt_time(21, 0)
    attempts: int = 3
    retry_after_minutes: tuple[float, ...] = (10, 30)
    order: str = "original_call"  # original_call | requested
    staff_ring_seconds: int = 25
    caller_ring_seconds: int = 30
    answering_machine_detection: bool = True
    web_requests_per_address_per_hour: int = 5
    web_requests_per_number_per_day: int = 3

    @property
    def default_region(self) -> str:
        """Where a number keyed in without a country code is taken to be."""
        return self.regions[0]


@dataclass(frozen=True)
class Disposition:
    """A wrap-up code staff pick for a call (what came of it)."""

    code: str
    label: str


DEFAULT_DISPOSITIONS = (
    Disposition("admitted", "Admitted"), Disposition("assessment_scheduled", "Assessment scheduled"),
    Disposition("referred", "Referred elsewhere"), Disposition("information_only", "Information only"),
    Disposition("insurance_check", "Insurance check"), Disposition("no_conversation", "No conversation"),
)


@dataclass(frozen=True)
class CallFlow:
    """The helpline's call flow, from ``config/callflow.yaml``."""

    organisation: str
    timezone: str
    languages: tuple[Language, ...]
    language_menu: bool
    prompts: Mapping[str, Mapping[str, str]]
    lines: tuple[Line, ...]
    routing: Routing
    no_one_free: str = "menu"
    overflow_number: str | None = None
    voicemail_max_seconds: int = 120
    voicemail_silence_seconds: int = 5
    hold: Hold = field(default_factory=Hold)
    callbacks: Callbacks = field(default_factory=Callbacks)
    dispositions: tuple[Disposition, ...] = DEFAULT_DISPOSITIONS
    service_level_seconds: int = 20

    @property
    def own_numbers(self) -> frozenset[str]:
        """The helpline's own numbers (never a callback number)."""
        numbers = {n for line in self.lines for n in line.numbers}
        numbers |= {n for n in [self.overflow_number, *(line.overflow_number for line in self.lines)] if n}
        return frozenset(numbers)

    @property
    def default_language(self) -> Language:
        """The first language: callers who press nothing get it, staff hear it."""
        return self.languages[0]

    @property
    def default_line(self) -> Line:
        """The first line: calls to numbers no line lists go there."""
        return self.lines[0]

    def language(self, code: str | None) -> Language:
        """The language with this code, or the default one."""
        for language in self.languages:
            if language.code == code:
                return language
        return self.default_language

    def language_for_digit(self, digit: str) -> Language | None:
        """The language a menu key picks, if any."""
        return next((lang for lang in self.languages if lang.digit == digit), None)

    def line(self, line_id: str | None) -> Line:
        """The line with this id, or the default one."""
        return next((line for line in self.lines if line.id == line_id), self.default_line)

    def line_for_number(self, dialled: str | None) -> Line:
        """The line a dialled helpline number belongs to."""
        return next((line for line in self.lines if dialled in line.numbers), self.default_line)

    def caller_id(self, line_id: str | None) -> str:
        """The helpline number outbound calls show: the line's own, else any of ours."""
        line = self.line(line_id)
        for candidate in (*line.numbers, *(n for other in self.lines for n in other.numbers)):
            return candidate
        return self.overflow_number or ""

    def overflow_for(self, line: Line) -> str | None:
        """Where calls go when the service cannot help: the line's number, else the global one."""
        return line.overflow_number or self.overflow_number

    def prompt(self, lang: str, name: str, /, **values: str) -> str:
        """A prompt's text in a language, with its placeholders filled."""
        texts = self.prompts.get(lang) or self.prompts[self.default_language.code]
        text = texts.get(name) or self.prompts[self.default_language.code][name]
        return text.format(organisation=self.organisation, **values)


@dataclass(frozen=True)
class Settings:
    """Everything the service reads from its environment, validated."""

    twilio_account_sid: str
    twilio_auth_token: str
    identifier_key: bytes
    callflow: CallFlow
    twilio_auth_token_secondary: str | None = None
    twilio_api_key: str | None = None
    twilio_api_secret: str | None = None
    twilio_api_base_url: str = TWILIO_API
    public_base_url: str | None = None
    trusted_proxies: int = 0
    redis_url: str = "redis://127.0.0.1:6379/0"
    redis_timeout: float = 2.0
    database_url: str = "sqlite:///var/callcenter.db"
    secret_key: str | None = None
    outbound_calls_per_second: float = 1.0
    sweep_seconds: int = 30
    session_idle_minutes: int = 15
    session_max_hours: int = 12
    log_level: str = "INFO"
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def auth_tokens(self) -> tuple[str, ...]:
        """Tokens a webhook signature may be made with (two during a rotation)."""
        return tuple(t for t in (self.twilio_auth_token, self.twilio_auth_token_secondary) if t)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read and validate the settings; raise SettingsError naming the first bad one."""
        env = os.environ if environ is None else environ
        get = lambda name: (env.get(name) or "").strip() or None  # noqa: E731

        sid = _required(get, "TWILIO_ACCOUNT_SID")
        if not _ACCOUNT_SID.match(sid):
            raise SettingsError("TWILIO_ACCOUNT_SID", "must be 'AC' followed by 32 hex digits")
        token = _required(get, "TWILIO_AUTH_TOKEN")
        api_key, api_secret = get("TWILIO_API_KEY"), get("TWILIO_API_SECRET")
        if bool(api_key) != bool(api_secret):
            missing = "TWILIO_API_SECRET" if api_key else "TWILIO_API_KEY"
            raise SettingsError(missing, "TWILIO_API_KEY and TWILIO_API_SECRET go together")
        public = get("PUBLIC_BASE_URL")
        callflow_path = Path(get("CALLCENTER_CALLFLOW") or DEFAULT_CALLFLOW)
        return cls(
            twilio_account_sid=sid,
            twilio_auth_token=token,
            twilio_auth_token_secondary=get("TWILIO_AUTH_TOKEN_SECONDARY"),
            twilio_api_key=api_key,
            twilio_api_secret=api_secret,
            twilio_api_base_url=_url("TWILIO_API_BASE_URL", get("TWILIO_API_BASE_URL") or TWILIO_API),
            public_base_url=_url("PUBLIC_BASE_URL", public).rstrip("/") if public else None,
            trusted_proxies=_int("CALLCENTER_TRUSTED_PROXIES", get("CALLCENTER_TRUSTED_PROXIES") or "0", 0, 10),
            redis_url=_redis_url(get("REDIS_URL") or "redis://127.0.0.1:6379/0"),
            redis_timeout=_float("CALLCENTER_REDIS_TIMEOUT", get("CALLCENTER_REDIS_TIMEOUT") or "2", 0.05, 10),
            database_url=database_url(get("DATABASE_URL") or "sqlite:///var/callcenter.db"),
            identifier_key=decode_key("CALLCENTER_IDENTIFIER_KEY", _required(get, "CALLCENTER_IDENTIFIER_KEY")),
            secret_key=_required(get, "CALLCENTER_SECRET_KEY"),
            outbound_calls_per_second=_float("CALLCENTER_OUTBOUND_CALLS_PER_SECOND",
                                             get("CALLCENTER_OUTBOUND_CALLS_PER_SECOND") or "1", 0.01, 100),
            sweep_seconds=_int("CALLCENTER_SWEEP_SECONDS", get("CALLCENTER_SWEEP_SECONDS") or "30", 1, 600),
            session_idle_minutes=_int("CALLCENTER_SESSION_IDLE_MINUTES",
                                      get("CALLCENTER_SESSION_IDLE_MINUTES") or "15", 1, 60),
            session_max_hours=_int("CALLCENTER_SESSION_MAX_HOURS", get("CALLCENTER_SESSION_MAX_HOURS") or "12", 1, 24),
            log_level=_choice("CALLCENTER_LOG_LEVEL", (get("CALLCENTER_LOG_LEVEL") or "INFO").upper(),
                              ("DEBUG", "INFO", "WARNING", "ERROR")),
            callflow=load_callflow(callflow_path),
        )


def _required(get: Any, name: str) -> str:
    value = get(name)
    if not value:
        raise SettingsError(name, "is required and not set")
    return str(value)


def _int(name: str, raw: Any, low: int, high: int) -> int:
    if isinstance(raw, bool):
        raise SettingsError(name, f"must be a whole number, got {raw!r}")
    try:
        value = int(str(raw).strip())
    except ValueError:
        raise SettingsError(name, f"must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(name, f"must be between {low} and {high}, got {value}")
    return value


def _float(name: str, raw: str, low: float, high: float) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(name, f"must be a number, got {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(name, f"must be between {low} and {high}, got {value}")
    return value


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise SettingsError(name, f"must be one of {', '.join(allowed)}; got {value!r}")
    return value


def _url(name: str, value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SettingsError(name, f"must be an http(s) URL without query, got {value!r}")
    return value


def _redis_url(value: str) -> str:
    if urlsplit(value).scheme not in ("redis", "rediss", "unix"):
        raise SettingsError("REDIS_URL", "must start with redis://, rediss:// or unix://")
    return value


def database_url(value: str) -> str:
    """The SQLAlchemy URL for DATABASE_URL; plain postgres URLs use the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix):]
    if not value.startswith(("sqlite:", "postgresql+")):
        raise SettingsError("DATABASE_URL", "must be a sqlite:/// or postgresql:// URL")
    return value


def decode_key(name: str, value: str) -> bytes:
    """A 32-byte key given as (URL-safe) base64."""
    try:
        key = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise SettingsError(name, "must be base64 (generate one: python -c 'import secrets,base64;"
                                  "print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())')") from None
    if len(key) != 32:
        raise SettingsError(name, f"must decode to 32 bytes, got {len(key)}")
    return key


def e164(name: str, value: Any) -> str:
    """A phone number setting in E.164 form, or SettingsError."""
    text = str(value).strip()
    try:
        number = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        raise SettingsError(name, "must be a phone number in E.164 form, like +12025550100") from None
    if not phonenumbers.is_possible_number(number):
        raise SettingsError(name, "is not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# ---------------------------------------------------------------- the call-flow YAML


def load_callflow(path: Path) -> CallFlow:
    """Read and validate the call-flow YAML; errors name the file and the field."""
    where = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise SettingsError("CALLCENTER_CALLFLOW", f"file not found: {where}") from None
    except yaml.YAMLError as exc:
        raise SettingsError(where, f"is not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise SettingsError(where, "must be a mapping of settings")
    return parse_callflow(raw, where)


def parse_callflow(raw: Mapping[str, Any], where: str = "callflow") -> CallFlow:
    """Validate a call-flow mapping (the YAML's content)."""
    known = {"organisation", "timezone", "languages", "language_menu", "prompts", "lines",
             "routing", "no_one_free", "overflow_number", "voicemail", "hold", "callbacks", "dispositions",
             "service_level_seconds"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SettingsError(f"{where}: {unknown[0]}", "is not a known setting")
    organisation = str(raw.get("organisation") or "").strip()
    if not organisation:
        raise SettingsError(f"{where}: organisation", "is required")
    tz = str(raw.get("timezone") or "America/New_York")
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"{where}: timezone", f"unknown time zone {tz!r}") from None
    languages = _languages(raw.get("languages"), where)
    prompts = _prompts(raw.get("prompts") or {}, languages, where)
    lines = _lines(raw.get("lines"), where)
    routing = _routing(raw.get("routing") or {}, where)
    no_one_free = _choice(f"{where}: no_one_free", str(raw.get("no_one_free", "menu")),
                          ("menu", "voicemail", "overflow"))
    overflow = raw.get("overflow_number")
    overflow_number = e164(f"{where}: overflow_number", overflow) if overflow else None
    hold = _hold(raw.get("hold") or {}, where)
    if "overflow" in (no_one_free, hold.when_too_long) and not (
            overflow_number or all(line.overflow_number for line in lines)):
        raise SettingsError(f"{where}: overflow_number", "is required when calls may go to the overflow line")
    voicemail = raw.get("voicemail") or {}
    _mapping(voicemail, f"{where}: voicemail", {"max_seconds", "silence_seconds"})
    return CallFlow(
        organisation=organisation,
        timezone=tz,
        languages=languages,
        language_menu=_bool(raw.get("language_menu", len(languages) > 1), f"{where}: language_menu"),
        prompts=prompts,
        lines=lines,
        routing=routing,
        no_one_free=no_one_free,
        overflow_number=overflow_number,
        voicemail_max_seconds=_int(f"{where}: voicemail.max_seconds", voicemail.get("max_seconds", 120), 10, 600),
        voicemail_silence_seconds=_int(f"{where}: voicemail.silence_seconds",
                                       voicemail.get("silence_seconds", 5), 2, 60),
        hold=hold,
        callbacks=_callbacks(raw.get("callbacks") or {}, where),
        dispositions=_dispositions(raw.get("dispositions"), where),
        service_level_seconds=_int(f"{where}: service_level_seconds", raw.get("service_level_seconds", 20), 5, 600),
    )


def _mapping(value: Any, name: str, allowed: set[str]) -> None:
    if not isinstance(value, dict):
        raise SettingsError(name, "must be a mapping")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise SettingsError(f"{name}.{unknown[0]}", "is not a known setting")


def _bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise SettingsError(name, f"must be true or false, got {value!r}")
    return value


def _languages(raw: Any, where: str) -> tuple[Language, ...]:
    if raw is None:
        raw = [{"code": "en", "name": "English", "say_language": "en-US"},
               {"code": "es", "name": "Spanish", "say_language": "es-US"}]
    if not isinstance(raw, list) or not raw:
        raise SettingsError(f"{where}: languages", "must be a non-empty list")
    if len(raw) > 9:
        raise SettingsError(f"{where}: languages", "at most 9 languages fit a one-key menu")
    result: list[Language] = []
    for index, item in enumerate(raw):
        name = f"{where}: languages[{index}]"
        _mapping(item, name, {"code", "name", "say_language", "voice", "digit"})
        code = str(item.get("code", ""))
        if not _CODE.match(code):
            raise SettingsError(f"{name}.code", f"must be a language code like 'en', got {code!r}")
        digit = str(item.get("digit", index + 1))
        if digit not in "123456789" or len(digit) != 1:
            raise SettingsError(f"{name}.digit", "must be one key from 1 to 9")
        result.append(Language(code=code, name=str(item.get("name") or code), digit=digit,
                               say_language=str(item.get("say_language") or code),
                               voice=str(item["voice"]) if item.get("voice") else None))
    codes = [lang.code for lang in result]
    digits = [lang.digit for lang in result]
    if len(set(codes)) != len(codes):
        raise SettingsError(f"{where}: languages", "each language code may appear once")
    if len(set(digits)) != len(digits):
        raise SettingsError(f"{where}: languages", "each menu digit may be used once")
    return tuple(result)


def _prompts(raw: Any, languages: tuple[Language, ...], where: str) -> Mapping[str, Mapping[str, str]]:
    if not isinstance(raw, dict):
        raise SettingsError(f"{where}: prompts", "must be a mapping of language code to prompts")
    codes = {lang.code for lang in languages}
    for code in raw:
        if code not in codes:
            raise SettingsError(f"{where}: prompts.{code}", "is not one of the configured languages")
    merged: dict[str, dict[str, str]] = {}
    known = set(prompt_defaults.CALLER_PROMPTS) | set(prompt_defaults.STAFF_PROMPTS)
    for index, lang in enumerate(languages):
        overrides = raw.get(lang.code) or {}
        if not isinstance(overrides, dict):
            raise SettingsError(f"{where}: prompts.{lang.code}", "must be a mapping of prompt names to text")
        for key, text in overrides.items():
            if key not in known:
                raise SettingsError(f"{where}: prompts.{lang.code}.{key}", "is not a known prompt")
            if not isinstance(text, str) or not text.strip():
                raise SettingsError(f"{where}: prompts.{lang.code}.{key}", "must be non-empty text")
        missing = prompt_defaults.missing_prompts(lang.code, overrides, staff_language=index == 0)
        if missing:
            raise SettingsError(f"{where}: prompts.{lang.code}.{missing[0]}",
                                "has no default for this language; write it in the call-flow file")
        merged[lang.code] = {**prompt_defaults.DEFAULTS.get(lang.code, {}), **overrides}
    return merged


def _lines(raw: Any, where: str) -> tuple[Line, ...]:
    if raw is None:
        raw = [{"id": "admissions", "name": "Admissions", "numbers": []}]
    if not isinstance(raw, list) or not raw:
        raise SettingsError(f"{where}: lines", "must be a non-empty list")
    lines: list[Line] = []
    for index, item in enumerate(raw):
        name = f"{where}: lines[{index}]"
        _mapping(item, name, {"id", "name", "numbers", "overflow_number"})
        line_id = str(item.get("id", ""))
        if not _LINE_ID.match(line_id):
            raise SettingsError(f"{name}.id", "must be lower-case letters, digits, '-' or '_'")
        numbers = item.get("numbers") or []
        if not isinstance(numbers, list):
            raise SettingsError(f"{name}.numbers", "must be a list of phone numbers")
        overflow = item.get("overflow_number")
        lines.append(Line(
            id=line_id,
            name=str(item.get("name") or line_id),
            numbers=tuple(e164(f"{name}.numbers[{i}]", n) for i, n in enumerate(numbers)),
            overflow_number=e164(f"{name}.overflow_number", overflow) if overflow else None,
        ))
    ids = [line.id for line in lines]
    if len(set(ids)) != len(ids):
        raise SettingsError(f"{where}: lines", "each line id may appear once")
    return tuple(lines)


def _routing(raw: Any, where: str) -> Routing:
    fields = {"strategy", "ring_seconds", "screen_seconds", "language_fallback", "ring_all_max",
              "hunt_max_attempts", "hunt_max_ring_seconds", "autopause_after_misses",
              "wrapup_seconds", "max_call_seconds", "reaper_check_seconds"}
    _mapping(raw, f"{where}: routing", fields)
    name = f"{where}: routing"
    default = Routing()
    strategy = str(raw.get("strategy", default.strategy.value))
    try:
        chosen = Strategy(strategy)
    except ValueError:
        raise SettingsError(f"{name}.strategy", "must be one of "
                            + ", ".join(s.value for s in Strategy) + f"; got {strategy!r}") from None
    routing = Routing(
        strategy=chosen,
        ring_seconds=_int(f"{name}.ring_seconds", raw.get("ring_seconds", default.ring_seconds), 5, 120),
        screen_seconds=_int(f"{name}.screen_seconds", raw.get("screen_seconds", default.screen_seconds), 3, 30),
        language_fallback=_bool(raw.get("language_fallback", True), f"{name}.language_fallback"),
        ring_all_max=_int(f"{name}.ring_all_max", raw.get("ring_all_max", default.ring_all_max), 1, 10),
        hunt_max_attempts=_int(f"{name}.hunt_max_attempts",
                               raw.get("hunt_max_attempts", default.hunt_max_attempts), 1, 50),
        hunt_max_ring_seconds=_int(f"{name}.hunt_max_ring_seconds",
                                   raw.get("hunt_max_ring_seconds", default.hunt_max_ring_seconds), 5, 1800),
        autopause_after_misses=_int(f"{name}.autopause_after_misses",
                                    raw.get("autopause_after_misses", default.autopause_after_misses), 0, 100),
        wrapup_seconds=_int(f"{name}.wrapup_seconds", raw.get("wrapup_seconds", default.wrapup_seconds), 0, 3600),
        max_call_seconds=_int(f"{name}.max_call_seconds",
                              raw.get("max_call_seconds", default.max_call_seconds), 600, 86400),
        reaper_check_seconds=_int(f"{name}.reaper_check_seconds",
                                  raw.get("reaper_check_seconds", default.reaper_check_seconds), 30, 86400),
    )
    return routing


def _hold(raw: Any, where: str) -> Hold:
    name = f"{where}: hold"
    _mapping(raw, name, {"music_url", "max_seconds", "when_too_long", "menu_default"})
    default = Hold()
    music = str(raw.get("music_url", default.music_url))
    if urlsplit(music).scheme not in ("http", "https"):
        raise SettingsError(f"{name}.music_url", "must be an http(s) URL of an audio file")
    return Hold(
        music_url=music,
        max_seconds=_int(f"{name}.max_seconds", raw.get("max_seconds", default.max_seconds), 30, 7200),
        when_too_long=_choice(f"{name}.when_too_long", str(raw.get("when_too_long", default.when_too_long)),
                              ("callback", "voicemail", "overflow")),
        menu_default=_choice(f"{name}.menu_default", str(raw.get("menu_default", default.menu_default)),
                             ("hold", "callback", "voicemail")),
    )


def _clock(name: str, value: Any) -> dt_time:
    """A time of day, "HH:MM"; "24:00" is the very end of the day."""
    if str(value) == "24:00":
        return dt_time.max
    try:
        hours, minutes = str(value).split(":")
        return dt_time(int(hours), int(minutes))
    except ValueError:
        raise SettingsError(name, f"must be a time of day like 08:00, got {value!r}") from None


def _callbacks(raw: Any, where: str) -> Callbacks:
    name = f"{where}: callbacks"
    _mapping(raw, name, {"regions", "calling_window", "attempts", "retry_after_minutes", "order",
                         "staff_ring_seconds", "caller_ring_seconds", "answering_machine_detection",
                         "web_requests_per_address_per_hour", "web_requests_per_number_per_day"})
    default = Callbacks()
    regions = raw.get("regions", list(default.regions))
    if not isinstance(regions, list) or not regions or not all(
            isinstance(r, str) and r.upper() in phonenumbers.SUPPORTED_REGIONS for r in regions):
        raise SettingsError(f"{name}.regions", "must be a list of region codes like [US, CA]")
    window = raw.get("calling_window") or {}
    _mapping(window, f"{name}.calling_window", {"start", "end"})
    retry = raw.get("retry_after_minutes", list(default.retry_after_minutes))
    if not isinstance(retry, list) or not all(isinstance(m, (int, float)) and not isinstance(m, bool)
                                              and 0 < m <= 7 * 24 * 60 for m in retry):
        raise SettingsError(f"{name}.retry_after_minutes", "must be a list of minutes, like [10, 30]")
    return Callbacks(
        regions=tuple(r.upper() for r in regions),
        window_start=_clock(f"{name}.calling_window.start", window.get("start", "08:00")),
        window_end=_clock(f"{name}.calling_window.end", window.get("end", "21:00")),
        attempts=_int(f"{name}.attempts", raw.get("attempts", default.attempts), 1, 20),
        retry_after_minutes=tuple(retry),
        order=_choice(f"{name}.order", str(raw.get("order", default.order)), ("original_call", "requested")),
        staff_ring_seconds=_int(f"{name}.staff_ring_seconds", raw.get("staff_ring_seconds", 25), 5, 120),
        caller_ring_seconds=_int(f"{name}.caller_ring_seconds", raw.get("caller_ring_seconds", 30), 5, 120),
        answering_machine_detection=_bool(raw.get("answering_machine_detection", True),
                                          f"{name}.answering_machine_detection"),
        web_requests_per_address_per_hour=_int(f"{name}.web_requests_per_address_per_hour",
                                               raw.get("web_requests_per_address_per_hour", 5), 1, 1000),
        web_requests_per_number_per_day=_int(f"{name}.web_requests_per_number_per_day",
                                             raw.get("web_requests_per_number_per_day", 3), 1, 100),
    )


def _dispositions(raw: Any, where: str) -> tuple[Disposition, ...]:
    if raw is None:
        return DEFAULT_DISPOSITIONS
    if not isinstance(raw, list) or not raw:
        raise SettingsError(f"{where}: dispositions", "must be a non-empty list of {code, label}")
    result = []
    for index, item in enumerate(raw):
        name = f"{where}: dispositions[{index}]"
        _mapping(item, name, {"code", "label"})
        code = str(item.get("code", ""))
        if not _LINE_ID.match(code):
            raise SettingsError(f"{name}.code", "must be lower-case letters, digits, '-' or '_'")
        result.append(Disposition(code, str(item.get("label") or code)))
    if len({d.code for d in result}) != len(result):
        raise SettingsError(f"{where}: dispositions", "each code may appear once")
    return tuple(result)
