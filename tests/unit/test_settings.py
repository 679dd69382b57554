"""Settings are validated at start; a bad value stops the service with the setting's name."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from callcenter.settings import Settings, SettingsError, parse_callflow

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "TWILIO_ACCOUNT_SID": "AC" + "b2" * 16,
    "TWILIO_AUTH_TOKEN": "tok",
    "CALLCENTER_IDENTIFIER_KEY": "dGVzdC1pZGVudGlmaWVyLWtleS0zMi1ieXRlcy1vayE=",
    "CALLCENTER_SECRET_KEY": "a-test-secret",
}


def test_good_environment_gives_settings_with_defaults() -> None:
    settings = Settings.from_env(GOOD)
    assert settings.auth_tokens == ("tok",)
    assert settings.twilio_api_base_url == "https://api.twilio.com"
    assert settings.callflow.routing.strategy.value == "longest_idle"
    assert [lang.code for lang in settings.callflow.languages] == ["en", "es"]


@pytest.mark.parametrize("name,value,message", [
    ("TWILIO_AUTH_TOKEN", "", "TWILIO_AUTH_TOKEN: is required"),
    ("TWILIO_ACCOUNT_SID", "AC123", "TWILIO_ACCOUNT_SID: must be"),
    ("CALLCENTER_IDENTIFIER_KEY", "c2hvcnQ=", "CALLCENTER_IDENTIFIER_KEY: must decode to 32 bytes"),
    ("CALLCENTER_IDENTIFIER_KEY", "not base64!", "CALLCENTER_IDENTIFIER_KEY: must be base64"),
    ("REDIS_URL", "http://x", "REDIS_URL: must start with"),
    ("DATABASE_URL", "mysql://x", "DATABASE_URL: must be"),
    ("PUBLIC_BASE_URL", "helpline.example.org", "PUBLIC_BASE_URL: must be an http(s) URL"),
    ("CALLCENTER_TRUSTED_PROXIES", "two", "CALLCENTER_TRUSTED_PROXIES: must be a whole number"),
    ("CALLCENTER_OUTBOUND_CALLS_PER_SECOND", "0", "CALLCENTER_OUTBOUND_CALLS_PER_SECOND: must be between"),
    ("CALLCENTER_CALLFLOW", "/nonexistent.yaml", "CALLCENTER_CALLFLOW: file not found"),
    ("TWILIO_API_KEY", "SK" + "1" * 32, "TWILIO_API_SECRET: TWILIO_API_KEY and TWILIO_API_SECRET go together"),
])
def test_a_bad_setting_is_refused_with_its_name(name: str, value: str, message: str) -> None:
    with pytest.raises(SettingsError) as error:
        Settings.from_env({**GOOD, name: value})
    assert str(error.value).startswith(message)


def test_postgres_urls_use_the_psycopg3_driver() -> None:
    settings = Settings.from_env({**GOOD, "DATABASE_URL": "postgres://u@db/helpline"})
    assert settings.database_url == "postgresql+psycopg://u@db/helpline"


@pytest.mark.parametrize("flow,message", [
    ({"organisation": ""}, "organisation: is required"),
    ({"organisation": "X", "routing": {"strategy": "random"}}, "routing.strategy: must be one of"),
    ({"organisation": "X", "routing": {"ring_seconds": 2}}, "routing.ring_seconds: must be between 5 and 120"),
    ({"organisation": "X", "routing": {"wrapup": 3}}, "routing.wrapup: is not a known setting"),
    ({"organisation": "X", "languages": [{"code": "fr", "name": "French"}]}, "prompts.fr.welcome: has no default"),
    ({"organisation": "X", "lines": [{"id": "a", "numbers": ["12"]}]}, "lines[0].numbers[0]: must be a phone"),
    ({"organisation": "X", "no_one_free": "overflow"}, "overflow_number: is required when"),
    ({"organisation": "X", "timezone": "Mars/Olympus"}, "timezone: unknown time zone"),
    ({"organisation": "X", "prompts": {"en": {"safty": "x"}}}, "prompts.en.safty: is not a known prompt"),
    ({"organisation": "X", "colour": "blue"}, "colour: is not a known setting"),
])
def test_a_bad_call_flow_names_the_field(flow: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(SettingsError) as error:
        parse_callflow(flow, "callflow.yaml")
    assert message in str(error.value)


def test_a_new_language_works_once_its_prompts_are_written() -> None:
    from callcenter.core.prompts import CALLER_PROMPTS

    flow = parse_callflow({"organisation": "X", "languages": [
        {"code": "en", "name": "English"}, {"code": "fr", "name": "French", "say_language": "fr-CA"}],
        "prompts": {"fr": {name: f"fr {name}" for name in CALLER_PROMPTS}}})
    assert flow.prompt("fr", "safety") == "fr safety"
    assert flow.language_for_digit("2").code == "fr"


def _run(env_changes: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "CALLCENTER_"))}
    env.update(env_changes)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def test_the_web_server_refuses_to_start_without_an_auth_token() -> None:
    env = {**GOOD, "TWILIO_AUTH_TOKEN": "", "CALLCENTER_BIND": "127.0.0.1:0"}
    result = _run(env, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "callcenter:create_app()")
    assert result.returncode != 0
    assert "TWILIO_AUTH_TOKEN: is required" in result.stderr


def test_the_worker_refuses_to_start_with_a_bad_setting() -> None:
    result = _run({**GOOD, "CALLCENTER_TRUSTED_PROXIES": "-1"}, "-m", "workers", "--burst")
    assert result.returncode == 2
    assert "CALLCENTER_TRUSTED_PROXIES: must be between 0 and 10" in result.stderr


def test_the_flask_cli_names_a_bad_setting_in_one_line_without_a_traceback() -> None:
    result = _run({**GOOD, "CALLCENTER_TRUSTED_PROXIES": "-1"}, "-m", "flask", "--app", "callcenter", "staff", "list")
    assert result.returncode == 1
    assert result.stderr.strip() == ("Error: configuration error: "
                                     "CALLCENTER_TRUSTED_PROXIES: must be between 0 and 10, got -1")
    assert result.stdout == ""


def test_a_wsgi_server_still_sees_the_settings_error_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    import callcenter

    for name, value in {**GOOD, "TWILIO_ACCOUNT_SID": "nope"}.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match="TWILIO_ACCOUNT_SID"):
        callcenter.create_app()
