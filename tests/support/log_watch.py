"""Watching log records for caller numbers before the service's redacting filter sees them.

Standard library only: a process the tests start loads it from ``sitecustomize`` (see
``tests/support/watch/``) before anything else.
"""
from __future__ import annotations

import logging
import os
import re
import traceback
from pathlib import Path

#: Every phone number in the tests is a fictional one: +1 202 555 01xx.
#: (555-0100 to 555-0199 are fictional in every North American area code; most tests use 202.)
FICTIONAL = re.compile(r"(?:\+|%2B)?1?[\s.()-]*\d{3}[\s.()-]*555[\s.()-]*01\d\d")

#: Set in a started process's environment: the folder its watch reports to.
REPORT_DIR_VARIABLE = "TESTS_RAW_NUMBERS_DIR"


class RawNumberWatch:
    """A log-record factory that looks at each record's text before any filter redacts it.

    Where a record carries a (fictional) caller number, it notes the logger and source line,
    never the text: in ``places``, and in a file of ``report_dir`` when given (a started
    process may be killed before it could say anything at exit). ``tests.privacy`` logs
    numbers on purpose to test the redaction: those are counted apart, which also shows the
    watch is working.
    """

    DELIBERATE = "tests.privacy"

    def __init__(self, report_dir: str | None = None) -> None:
        self.places: list[str] = []
        self.deliberate = 0
        self.seen = 0
        self.report_dir = Path(report_dir) if report_dir else None
        self._make = logging.getLogRecordFactory()

    def install(self) -> None:
        logging.setLogRecordFactory(self)
        if self.report_dir:
            self.report_dir.mkdir(parents=True, exist_ok=True)
            (self.report_dir / f"watching-{os.getpid()}").touch()

    def __call__(self, *args, **kwargs) -> logging.LogRecord:  # type: ignore[no-untyped-def]
        record = self._make(*args, **kwargs)
        self.seen += 1
        try:
            text = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string is the logging module's to report
            text = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            text += "\n" + "".join(traceback.format_exception(record.exc_info[1]))
        if FICTIONAL.search(text):
            if record.name.startswith(self.DELIBERATE):
                self.deliberate += 1
            else:
                place = f"{record.name} {record.pathname}:{record.lineno}"
                self.places.append(place)
                if self.report_dir:
                    with (self.report_dir / f"places-{os.getpid()}.txt").open("a") as report:
                        report.write(place + "\n")
        return record


def reported_places(report_dir: Path) -> list[str]:
    """What the started processes found."""
    return [line for path in sorted(report_dir.glob("places-*.txt")) for line in path.read_text().splitlines()]


def watching_processes(report_dir: Path) -> int:
    """How many started processes had the watch installed."""
    return len(list(report_dir.glob("watching-*")))


def watched_environment(env: dict[str, str], root: Path, report_dir: Path) -> dict[str, str]:
    """``env`` for a process the tests start, so that it watches its log records too."""
    paths = [str(root / "tests" / "support" / "watch"), str(root), *filter(None, [env.get("PYTHONPATH")])]
    return {**env, "PYTHONPATH": os.pathsep.join(dict.fromkeys(paths)), REPORT_DIR_VARIABLE: str(report_dir)}
