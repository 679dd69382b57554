"""The worker's log: the periodic sweep does not fill it, anything else still shows."""
from __future__ import annotations

import logging

import pytest

from workers.__main__ import QuietSweep


def _record(message: str, level: int = logging.INFO) -> logging.LogRecord:
    return logging.LogRecord("rq.worker", level, __file__, 1, message, None, None)


@pytest.fixture(autouse=True)
def _root_at_info():  # type: ignore[no-untyped-def]
    root = logging.getLogger()
    before = root.level
    root.setLevel(logging.INFO)
    yield
    root.setLevel(before)


@pytest.mark.parametrize("message", [
    "Worker 6dba5d9e: callcenter: workers.jobs.sweep() (sweep)",
    "Successfully completed workers.jobs.sweep() job in 0:00:00.006382s on worker 6dba5d9e",
    "Worker 6dba5d9e: callcenter: Job OK (sweep)",
    "Worker 6dba5d9e: job sweep result is kept for 600 seconds",
])
def test_the_routine_sweep_lines_are_left_out(message: str) -> None:
    assert QuietSweep().filter(_record(message)) is False


@pytest.mark.parametrize("message", [
    "Worker 6dba5d9e: callcenter: workers.jobs.dispatch() (4f1c)",
    "Worker 6dba5d9e: callcenter: Job OK (ring-CA0123)",
    "Worker 6dba5d9e: warm shut down requested",
])
def test_other_jobs_still_show(message: str) -> None:
    assert QuietSweep().filter(_record(message)) is True


def test_a_failing_sweep_still_shows() -> None:
    assert QuietSweep().filter(_record("Traceback ... workers.jobs.sweep() (sweep) failed", logging.ERROR)) is True
    assert QuietSweep().filter(_record("job sweep: retrying in 5s", logging.WARNING)) is True


def test_at_debug_everything_shows() -> None:
    logging.getLogger().setLevel(logging.DEBUG)
    assert QuietSweep().filter(_record("Worker 6dba5d9e: callcenter: Job OK (sweep)")) is True
