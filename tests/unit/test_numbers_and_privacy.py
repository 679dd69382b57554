"""Numbers are parsed carefully, stored only encrypted, and never reach a log line."""
from __future__ import annotations

import logging

import pytest

from callcenter import logs, numbers
from callcenter.store.identifiers import Identifiers, mask

KEY = b"k" * 32


@pytest.mark.parametrize("raw", ["anonymous", "Restricted", "", None, "+266696687", "client:ana", "12"])
def test_withheld_or_bogus_caller_ids_are_not_numbers(raw: str | None) -> None:
    assert numbers.caller_number(raw) is None


def test_a_caller_id_is_normalized_to_e164() -> None:
    assert numbers.caller_number("+1 (202) 555-0123") == "+12025550123"
    assert numbers.caller_number("12025550123") == "+12025550123"


def test_staff_contacts_are_dialable_numbers_or_client_identities() -> None:
    assert numbers.staff_contact("+1 202 555 0111") == "+12025550111"
    assert numbers.staff_contact("client:ana_lopez") == "client:ana_lopez"
    for bad in ("555-0111", "+1 202 555 01", "client:ana lopez", "client:"):
        with pytest.raises(ValueError) as error:
            numbers.staff_contact(bad)
        if not bad.startswith("client:"):
            assert bad not in str(error.value)  # the refused number is not repeated


def test_identifiers_encrypt_and_hash_with_a_stable_lookup() -> None:
    ids = Identifiers(KEY)
    first, second = ids.protect("+12025550123"), ids.protect("+12025550123")
    assert first.ciphertext != second.ciphertext  # a fresh nonce each time
    assert first.lookup == second.lookup == ids.lookup("+12025550123")
    assert "2025550123" not in first.ciphertext and "2025550123" not in first.lookup
    assert ids.reveal(first.ciphertext) == "+12025550123"
    assert Identifiers(b"x" * 32).lookup("+12025550123") != first.lookup
    from cryptography.exceptions import InvalidTag

    with pytest.raises(InvalidTag):
        Identifiers(b"x" * 32).reveal(first.ciphertext)


def test_the_ui_shows_only_the_last_four_digits() -> None:
    assert mask("+12025550123") == "•••-•••-0123"
    assert mask(None) == "•••"


@pytest.mark.parametrize("text", ["caller +12025550123 waiting", "From=%2B12025550123&To=x", "(202) 555-0123",
                                  "202.555.0123 called", "raw 12025550123", "+1 202 555 0123"])
def test_the_log_filter_redacts_every_shape_of_number(text: str) -> None:
    assert "0123" not in logs.redact(text)
    assert logs.REDACTED in logs.redact(text)


@pytest.mark.parametrize("text", ["2026-11-29 11:46:29,123 INFO", "call=CA0123456789abcdef0123456789abcdef",
                                  "at 1764417989.123", "staff=12 attempt=3"])
def test_the_log_filter_leaves_timestamps_sids_and_ids_alone(text: str) -> None:
    assert logs.redact(text) == text


def test_a_number_in_a_message_argument_or_exception_is_redacted_before_output(
        caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("tests.privacy")
    with caplog.at_level(logging.INFO):
        logger.info("form had From=%s", "+12025550177")
        try:
            raise ValueError("bad caller +12025550178")
        except ValueError:
            logger.exception("handler failed")
    text = caplog.text
    assert "[number]" in text
    assert "2025550177" not in text and "2025550178" not in text


def test_a_started_process_reports_where_it_logged_a_caller_number_before_any_redaction(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import os
    import subprocess
    import sys
    from pathlib import Path

    from tests.support.log_watch import reported_places, watched_environment, watching_processes

    root = Path(__file__).resolve().parents[2]
    env = watched_environment({k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, root, tmp_path)
    script = ("import logging\n"
              "from callcenter import logs\n"
              "logs.configure('INFO')\n"
              "logging.getLogger('callcenter.demo').info('from %s', '+12025550166')\n"
              "logging.getLogger('callcenter.demo').info('no number, call=CA0123')\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "[number]" in done.stderr and "0166" not in done.stderr  # the filter hid it from the output ...
    assert watching_processes(tmp_path) == 1
    assert reported_places(tmp_path) == ["callcenter.demo <string>:4"]  # ... and the watch still saw it
