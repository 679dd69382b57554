"""Benchmark: do open supervisor boards slow down Twilio's webhooks?

    .venv/bin/python bench/boards_vs_webhooks.py [--boards 20] [--webhooks 300]

Starts the production-shaped stack (gunicorn 2 processes x 8 threads, a worker, Redis, SQLite),
signs a supervisor in once per board, and keeps N boards live the way the page does (each
EventSource request gets one snapshot and ends; the browser asks again after 2 s). Meanwhile
it sends signed `POST /voice/incoming` webhooks and times them. It prints webhook latency
with no board open and with N boards open, and how many snapshots the boards received.
"""
from __future__ import annotations

import argparse
import re
import secrets
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from twilio.request_validator import RequestValidator  # noqa: E402

from bench.stack import BenchStack  # noqa: E402

PASSWORD = "bench password 1"


def board(base: str, stop: threading.Event, counts: list[int]) -> None:
    """One supervisor's open board: sign in, then follow the stream's retry like EventSource."""
    session = requests.Session()
    page = session.get(f"{base}/signin").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    session.post(f"{base}/signin", data={"csrf_token": token, "username": "sam", "password": PASSWORD})
    while not stop.is_set():
        body = session.get(f"{base}/board/stream", timeout=10).text
        assert body.startswith("retry: "), body[:80]
        counts.append(1)
        stop.wait(int(body.split("\n", 1)[0].removeprefix("retry: ")) / 1000)


def webhooks(base: str, token: str, account: str, count: int) -> list[float]:
    """Signed first webhooks of new calls, a few a second; their latencies in ms."""
    session = requests.Session()
    latencies = []
    for _ in range(count):
        params = {"CallSid": "CA" + secrets.token_hex(16), "AccountSid": account, "From": "+12025550123",
                  "To": "+12025550100", "CallStatus": "ringing", "ApiVersion": "2010-04-01", "Direction": "inbound"}
        url = f"{base}/voice/incoming"
        signature = RequestValidator(token).compute_signature(url, params)
        start = time.perf_counter()
        response = session.post(url, data=urlencode(params), headers={
            "X-Twilio-Signature": signature, "Content-Type": "application/x-www-form-urlencoded"})
        latencies.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200 and b"9 1 1" in response.content
        time.sleep(0.05)
    return latencies


def figures(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    pick = lambda q: ordered[min(len(ordered) - 1, int(len(ordered) * q))]  # noqa: E731
    return (f"p50 {statistics.median(ordered):6.1f}  p95 {pick(0.95):6.1f}  p99 {pick(0.99):6.1f}  "
            f"max {ordered[-1]:6.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--boards", type=int, default=20)
    parser.add_argument("--webhooks", type=int, default=300)
    args = parser.parse_args()
    stack = BenchStack().start()
    try:
        stack.flask("users", "create-admin", "--username", "sam", "--name", "Sam", "--password", PASSWORD)
        base, token, account = stack.base, stack.env["TWILIO_AUTH_TOKEN"], stack.env["TWILIO_ACCOUNT_SID"]
        webhooks(base, token, account, 20)  # warm up
        quiet = webhooks(base, token, account, args.webhooks)
        stop, counts = threading.Event(), []
        threads = [threading.Thread(target=board, args=(base, stop, counts), daemon=True) for _ in range(args.boards)]
        for thread in threads:
            thread.start()
        time.sleep(3)
        started = time.perf_counter()
        busy = webhooks(base, token, account, args.webhooks)
        elapsed = time.perf_counter() - started
        stop.set()
        for thread in threads:
            thread.join(timeout=15)
        print(f"gunicorn: 2 processes x 8 threads; {args.webhooks} signed POST /voice/incoming each run (ms)")
        print(f"  no board open      {figures(quiet)}")
        print(f"  {args.boards} boards open    {figures(busy)}")
        print(f"  the boards received {len(counts)} snapshots ({len(counts) / max(elapsed, 1e-9):.1f}/s) "
              f"while the webhooks ran")
    finally:
        stack.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
