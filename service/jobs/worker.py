"""`gospablik worker`: an RQ worker that loads the scorer once and does not fork per job."""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time

import redis
from rq import SimpleWorker
from rq.job import Job
from rq.queue import Queue
from rq.worker import WorkerStatus

from service.jobs.queue import QUEUE_NAME, connect, heartbeat_seconds, redis_url
from service.settings import get_settings

log = logging.getLogger("gospablik.worker")


class BatchWorker(SimpleWorker):
    """Runs jobs in its own process (the scorer stays warm) with a heartbeat thread.

    A forking worker manages ~25 jobs/s and loses its caches with every child; this one keeps
    them. Timeouts still hold (SIGALRM in the main thread). While a job runs, a thread renews
    the job's lease every heartbeat, so the lease can be short: when a worker dies, another one
    requeues its job (RQ's abandoned-job handling) after about three heartbeats.
    """

    def __init__(self, *args: object, heartbeat: float | None = None, **kwargs: object) -> None:
        self.beat = heartbeat or heartbeat_seconds()
        lease = max(3, int(3 * self.beat))
        kwargs.setdefault("maintenance_interval", lease)
        kwargs.setdefault("worker_ttl", 15 + lease)  # blocks on the queue for `lease` seconds
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.lease = lease

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        """Return the lease of a running job (renewed every heartbeat)."""
        return self.lease

    def execute_job(self, job: Job, queue: Queue) -> None:
        """Run the job in this process while a thread keeps its lease alive."""
        execution = self.prepare_execution(job)
        stop = threading.Event()
        beat = threading.Thread(target=self._keep_alive, args=(job, execution, stop),
                                name="heartbeat", daemon=True)
        beat.start()
        try:
            self.perform_job(job, queue, execution)
        finally:
            stop.set()
            beat.join()
        self.set_state(WorkerStatus.IDLE)

    def _keep_alive(self, job: Job, execution: object, stop: threading.Event) -> None:
        while not stop.wait(self.beat):
            try:
                self.maintain_heartbeats(job, execution)  # type: ignore[arg-type]
            except (redis.RedisError, OSError) as exc:  # Redis away: the lease may lapse
                log.warning("heartbeat failed: %s", exc)


def wait_for_redis(conn: redis.Redis, stop_after: float | None = None) -> bool:
    """Wait until Redis answers; return False if `stop_after` seconds passed first."""
    t0, delay = time.monotonic(), 0.2
    while True:
        try:
            if conn.ping():
                return True
        except (redis.RedisError, OSError):
            pass
        if stop_after is not None and time.monotonic() - t0 > stop_after:
            return False
        time.sleep(delay)
        delay = min(delay * 2, 5.0)


def work(url: str, burst: bool = False) -> int:
    """Take jobs until stopped (or until the queue is empty with `burst`); return exit code."""
    from service.jobs.tasks import preload

    preload()  # the models load before the first job is taken
    conn = connect(url)
    while True:
        if not wait_for_redis(conn, stop_after=60 if burst else None):
            print("Redis не отвечает: обработчик остановлен.", file=sys.stderr)
            return 1
        worker = BatchWorker([QUEUE_NAME], connection=conn)
        try:
            worker.work(burst=burst, logging_level="WARNING")
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            # Lost Redis mid-job: the job's lease lapses and it is requeued; start afresh.
            log.warning("lost Redis (%s); reconnecting", exc)
            continue
        if burst or _stop_requested(worker):
            return 0
        time.sleep(1.0)  # work() quit on an error it logged (Redis gone, say): start afresh


def _stop_requested(worker: BatchWorker) -> bool:
    """Return True when the worker was asked to stop (SIGINT/SIGTERM)."""
    return bool(worker._stop_requested or getattr(worker, "_shutdown_requested_date", None))


def run(args: argparse.Namespace) -> int:
    """Run `gospablik worker [--burst]` against REDIS_URL."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    url = redis_url(get_settings())
    return work(url, burst=bool(getattr(args, "burst", False)))
