"""Loaded by every Python process the tests start with this folder on PYTHONPATH: watch its log records."""
import os

if os.environ.get("TESTS_RAW_NUMBERS_DIR"):
    from tests.support.log_watch import RawNumberWatch

    RawNumberWatch(report_dir=os.environ["TESTS_RAW_NUMBERS_DIR"]).install()
