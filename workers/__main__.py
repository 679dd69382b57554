"""The worker process: ``python -m workers``.

One process runs the RQ worker (in-process, no fork per job), the RQ scheduler's
"move due jobs" step, the event recorder and the periodic sweep. Run as many such
processes, on as many hosts, as the load needs: every part coordinates through Redis.
"""
from __future__ import annotations

import argparse
import logging
import re
import sys
import threading
import time

from redis import Redis
from rq import SimpleWorker
from rq.scheduler import RQScheduler

from callcenter import logs
from callcenter.jobs import QUEUE
from callcenter.services import blocklist as blocklist_service
from callcenter.services import staffadmin
from callcenter.services.helpline import Helpline, make_redis
from callcenter.settings import Settings, SettingsError
from callcenter.store import keys

from . import context
from .recorder import Recorder

log = logging.getLogger("workers")
RESTART_SECONDS = 2.0
SWEEP_JOB = "sweep"


class QuietSweep(logging.Filter):
    """Leaves out RQ's routine INFO lines about the periodic sweep (four every sweep period).

    A sweep that fails still shows (RQ logs that as a warning or an error), and so does
    everything at DEBUG.
    """

    _mentions_sweep = re.compile(rf"\bworkers\.jobs\.{SWEEP_JOB}\(|\({SWEEP_JOB}\)|\bjob {SWEEP_JOB}\b")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.INFO or logging.getLogger().isEnabledFor(logging.DEBUG):
            return True
        return not self._mentions_sweep.search(record.getMessage())


def tick(h: Helpline, rq_redis: Redis, stop: threading.Event) -> None:
    """Every second: move due scheduled jobs; every sweep period: enqueue one sweep for all workers."""
    scheduler = RQScheduler([QUEUE], connection=rq_redis)
    while not stop.wait(1.0):
        try:
            if scheduler.acquire_locks():
                scheduler.enqueue_scheduled_jobs()
            if h.redis.set(keys.tick("sweep"), "1", nx=True, ex=h.settings.sweep_seconds):
                h.jobs.enqueue(f"workers.jobs.{SWEEP_JOB}", job_id=SWEEP_JOB)
        except Exception as exc:  # noqa: BLE001 - keep ticking through outages
            log.warning("tick failed: %s", type(exc).__name__)
    try:
        scheduler.release_locks()
    except Exception as exc:  # noqa: BLE001 - stopping while Redis is away: the locks expire by themselves
        log.warning("could not release the scheduler's locks: %s", type(exc).__name__)


def prepare(h: Helpline, stop: threading.Event) -> None:
    """Publish staff and the blocklist to Redis, waiting for the database if it is not up yet."""
    delay = 1.0
    while not stop.is_set():
        try:
            staff = staffadmin.publish_all(h)
            blocked = blocklist_service.publish(h)
            log.info("published %s active staff and %s blocked numbers", staff, blocked)
            return
        except Exception as exc:  # noqa: BLE001
            log.warning("waiting for the database/Redis (%s); retrying in %.0fs", type(exc).__name__, delay)
            stop.wait(delay)
            delay = min(delay * 2, 30)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workers", description=__doc__)
    parser.add_argument("--burst", action="store_true", help="Run queued jobs, then exit.")
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"callcenter worker: configuration error: {exc}", file=sys.stderr)
        return 2
    logs.configure(settings.log_level)
    logging.getLogger("rq.worker").addFilter(QuietSweep())
    if not settings.public_base_url:
        log.warning("PUBLIC_BASE_URL is not set: calls placed through the REST API (ring-all, callbacks) "
                    "cannot give Twilio a URL and will fail")
    h = Helpline.from_settings(settings)
    context.install(h)
    stop = threading.Event()
    prepare(h, stop)
    rq_redis = make_redis(settings, decode=False)
    threads = [threading.Thread(target=Recorder(h).run, args=(stop,), name="recorder", daemon=True),
               threading.Thread(target=tick, args=(h, rq_redis, stop), name="tick", daemon=True)]
    for thread in threads:
        thread.start()
    try:
        work(settings, rq_redis, burst=args.burst)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=5)
    return 0


def work(settings: Settings, rq_redis: Redis, burst: bool) -> None:
    """Run RQ's worker; when it gives up because Redis went away, start it again once Redis is back.

    It stops for good only when asked to (SIGTERM / SIGINT) or, in burst mode, when the queue is empty.
    """
    worker: SimpleWorker | None = None
    while True:
        if _asked_to_stop(worker):
            return  # asked to stop (SIGTERM / SIGINT) while waiting to start again
        try:
            worker = SimpleWorker([QUEUE], connection=rq_redis)  # talks to Redis already (CLIENT SETNAME)
            logs.protect_all_handlers()
            worker.work(burst=burst, logging_level=settings.log_level, with_scheduler=False)
        except Exception as exc:  # noqa: BLE001 - registering with a Redis that is down
            log.warning("worker could not run (%s); starting again in %.0fs", type(exc).__name__, RESTART_SECONDS)
        if burst or _asked_to_stop(worker):
            return  # asked to stop (SIGTERM / SIGINT), not knocked over
        time.sleep(RESTART_SECONDS)


def _asked_to_stop(worker: SimpleWorker | None) -> bool:
    return worker is not None and (worker._stop_requested or worker._shutdown_requested_date is not None)


if __name__ == "__main__":
    sys.exit(main())
