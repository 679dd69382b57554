"""Benchmark: the live board and a filtered call-log page with 100,000 calls in the database.

    .venv/bin/python bench/ui_pages.py [--calls 100000] [--database-url postgresql://...]

Seeds the calls (90 days, 1,100 of them today) with a few events each, signs a supervisor in,
then times each page through the real Flask app (Redis from a private redis-server) and
prints the median and 95th percentile of 50 requests per page. The page's own work is
measured: rendering, the database queries, decrypting and masking the numbers shown.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402

from callcenter.services import accounts, staffadmin  # noqa: E402
from callcenter.services.helpline import Helpline  # noqa: E402
from callcenter.settings import DEFAULT_CALLFLOW, Settings, database_url, load_callflow  # noqa: E402
from callcenter.store import keys  # noqa: E402
from callcenter.store.db import upgrade  # noqa: E402
from callcenter.store.models import Call, CallEvent  # noqa: E402
from callcenter.web.app import create_app  # noqa: E402
from tests.support.redis_server import RedisServer  # noqa: E402

OUTCOMES = ["answered"] * 70 + ["abandoned"] * 8 + ["callback"] * 10 + ["voicemail"] * 7 + ["overflow"] * 5


def seed(h: Helpline, calls: int, staff: list[int]) -> None:
    rng = random.Random(7)
    now = datetime.now(timezone.utc)
    numbers = [f"+1202555{n:04d}" for n in range(101, 199)]
    protected = [h.identifiers.protect(n) for n in numbers]
    batch_calls, batch_events = [], []
    with h.database.session() as session:
        for n in range(calls):
            received = now - timedelta(minutes=5) if n < 1100 else now - timedelta(days=rng.uniform(1, 90))
            if n < 1100:
                received = now - timedelta(seconds=rng.uniform(60, 8 * 3600))
            outcome = rng.choice(OUTCOMES)
            answered = outcome == "answered"
            number = protected[n % len(protected)]
            sid = f"CA{n:032x}"
            batch_calls.append({
                "sid": sid, "direction": "inbound", "line": "admissions", "language": rng.choice(["en", "es"]),
                "caller_hash": number.lookup, "caller_enc": number.ciphertext, "status": "completed",
                "outcome": outcome, "staff_id": rng.choice(staff) if answered else None, "received_at": received,
                "answered_at": received + timedelta(seconds=20) if answered else None,
                "ended_at": received + timedelta(seconds=400), "wait_seconds": rng.uniform(2, 90),
                "talk_seconds": rng.randint(60, 1200) if answered else None, "voicemail": outcome == "voicemail",
                "overflowed": outcome == "overflow", "blocked": False, "callback_requested": outcome == "callback",
                "disposition": rng.choice(["admitted", "referred", "information_only"]) if answered else None})
            for k, event in enumerate(("call.received", "call.offered", "call.ended")):
                batch_events.append({"key": f"{sid}:{event}", "at": received + timedelta(seconds=k * 10),
                                     "call_sid": sid, "event": event, "data": {}})
            if len(batch_calls) == 5000:
                session.execute(insert(Call), batch_calls)
                session.execute(insert(CallEvent), batch_events)
                batch_calls, batch_events = [], []
        if batch_calls:
            session.execute(insert(Call), batch_calls)
            session.execute(insert(CallEvent), batch_events)


def timed(client, path: str, runs: int, before=None) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        if before is not None:
            before()  # not timed
        start = time.perf_counter()
        response = client.get(path)
        response.get_data()
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a SQLite file)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="callcenter-bench-ui-"))
    redis = RedisServer(work / "redis").start()
    url = database_url(args.database_url) if args.database_url else f"sqlite:///{work / 'bench.db'}"
    try:
        upgrade(url)
        settings = Settings(twilio_account_sid="AC" + "b" * 32, twilio_auth_token="bench", identifier_key=b"k" * 32,
                            callflow=load_callflow(DEFAULT_CALLFLOW), redis_url=redis.url, database_url=url,
                            secret_key="bench", public_base_url="https://helpline.example.org", log_level="WARNING")
        h = Helpline.from_settings(settings)
        staff = [staffadmin.add_staff(h, {"name": f"Staff {n}", "contact": f"client:s{n}"}).id for n in range(20)]
        boss = staffadmin.add_staff(h, {"name": "Sam", "role": "supervisor"}).id
        accounts.set_username(h, boss, "sam")
        accounts.set_password(h, boss, "bench password 1")
        started = time.perf_counter()
        seed(h, args.calls, staff)
        print(f"seeded {args.calls} calls ({3 * args.calls} events) in {time.perf_counter() - started:.1f}s "
              f"into {url.split('://')[0]}")
        if url.startswith("postgresql"):  # what autovacuum would have done by now in production
            with h.database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE calls")
                conn.exec_driver_sql("VACUUM ANALYZE call_events")
        app = create_app(settings, helpline=h)
        app.config["WTF_CSRF_ENABLED"] = False
        client = app.test_client()
        client.post("/signin", data={"username": "sam", "password": "bench password 1"})
        today = datetime.now(timezone.utc).date()
        pages = {
            "board (page)": "/board",
            "board (live snapshot, shared)": "/board/stream",
            "board (live snapshot, recomputed)": "/board/stream",
            "call log, answered, last 30 days": f"/calls?outcome=answered&from={today - timedelta(days=30)}&to={today}",
            "call log, by staff member, page 3": f"/calls?staff={staff[0]}&page=3",
            "call log, search by number": "/calls?number=%2B12025550142",
            "call detail": f"/calls/CA{5:032x}",
        }
        print(f"\n{'page':<38}{'median ms':>11}{'p95 ms':>9}   ({args.runs} requests each)")
        for name, path in pages.items():
            forget = (lambda: h.redis.delete(keys.BOARD_CACHE)) if name.endswith("recomputed)") else None
            median, p95 = timed(client, path, args.runs, forget)
            print(f"{name:<38}{median:>11.1f}{p95:>9.1f}")
    finally:
        redis.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
