"""Run last: no caller phone number appears in the log output of the whole suite.

Every test process writes its logs through the service's own logging set-up (see
``conftest.pytest_configure``); processes the tests start (gunicorn, workers, the emulator)
write theirs to the same folder. This reads all of it after everything else has run.

The redacting filter is only the net: in the test process, ``RAW_NUMBERS`` also checked each
record before redaction, so a number the code itself put into a log line is found even
though the filter would have hidden it.
"""
from __future__ import annotations

import pytest

from .conftest import LOG_DIR, RAW_NUMBERS, RAW_NUMBERS_DIR
from .support.helpers import FICTIONAL
from .support.log_watch import reported_places, watching_processes


def test_no_caller_phone_number_appears_in_the_log_output_of_the_whole_suite(request: pytest.FixtureRequest) -> None:
    if request.session.testscollected < 100:
        pytest.skip("reads the logs of the whole suite: run it with `make test`")
    for handler in __import__("logging").getLogger().handlers:
        handler.flush()
    files = sorted(LOG_DIR.glob("*.log"))
    text = "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in files)
    # Not vacuous: calls were handled and logged, and the redaction caught numbers put in on purpose.
    assert text.count("call received") >= 20
    assert "[number]" in text
    leaks = [(path.name, number) for path in files
             for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
             if FICTIONAL.search(line)]
    assert leaks == [], f"caller numbers in the logs at (file, line): {leaks[:20]}"


def test_no_code_puts_a_caller_number_into_a_log_record_even_where_the_filter_would_hide_it(
        request: pytest.FixtureRequest) -> None:
    if request.session.testscollected < 100:
        pytest.skip("watches the log records of the whole suite: run it with `make test`")
    # Not vacuous: it saw the suite's records, and the numbers logged on purpose to test the filter;
    # the processes the suite started (gunicorn, workers, the emulator, the CLI) watched theirs.
    assert RAW_NUMBERS.seen >= 100 and RAW_NUMBERS.deliberate >= 2
    assert watching_processes(RAW_NUMBERS_DIR) >= 5
    places = sorted(set(RAW_NUMBERS.places + reported_places(RAW_NUMBERS_DIR)))
    assert places == [], "a caller number was logged (logger, source line)"
