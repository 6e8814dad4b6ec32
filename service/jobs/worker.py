"""`gospablik worker`: an RQ worker that loads the scorer once, does not fork per job and stops
within seconds of SIGTERM or Ctrl+C, handing a job it cannot finish in time back to the queue."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

import redis
from rq import SimpleWorker
from rq.executions import Execution
from rq.job import Job
from rq.queue import Queue
from rq.worker import WorkerStatus

from service.jobs.queue import (
    QUEUE_NAME,
    connect,
    heartbeat_seconds,
    redis_url,
    stop_grace_seconds,
)
from service.settings import get_settings

log = logging.getLogger("gospablik.worker")
IDLE_SLICE = 1  # seconds an idle worker blocks on the queue before it looks at a stop request


class Shutdown:
    """How the process stops: the first SIGTERM or SIGINT asks for a stop; `grace` seconds
    later (or at a second signal a second or more after the first) `leave` runs — it hands
    back the job in hand — and the process exits, whatever it was doing."""

    def __init__(self, grace: float | None = None) -> None:
        self.grace = stop_grace_seconds() if grace is None else grace
        self.requested = threading.Event()
        self.preloading = False  # nothing to hand back yet: a signal ends the process at once
        self.leave: Callable[[], None] | None = None
        self._first: float | None = None

    def install(self) -> Shutdown:
        """Catch SIGTERM and SIGINT in this process; return self."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self.on_signal)
        return self

    def on_signal(self, signum: int, frame: FrameType | None) -> None:
        """Record the stop request; never touch Redis here (the main thread may be inside it)."""
        now = time.monotonic()
        if self._first is None:
            self._first = now
            self.requested.set()
            threading.Thread(target=self._deadline, name="stop-deadline", daemon=True).start()
            if self.preloading:
                raise SystemExit(0)
        elif now - self._first >= 1.0:  # a deliberate second Ctrl+C, not the same one twice
            threading.Thread(target=self.exit_now, name="stop-now", daemon=True).start()

    def _deadline(self) -> None:
        time.sleep(self.grace)
        self.exit_now()

    def exit_now(self) -> None:
        """Run `leave` (hand the running job back) and end the process."""
        try:
            if self.leave is not None:
                self.leave()
        except Exception as exc:  # the lease then lapses and RQ requeues the job itself
            log.warning("could not hand the job back: %s", exc)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)


class BatchWorker(SimpleWorker):
    """Runs jobs in its own process (the scorer stays warm) with a heartbeat thread.

    A forking worker manages ~25 jobs/s and loses its caches with every child; this one keeps
    them. Timeouts still hold (SIGALRM in the main thread). While a job runs, a thread renews
    the job's lease every heartbeat, so the lease can be short: when a worker dies, another one
    requeues its job (RQ's abandoned-job handling) after about three heartbeats.

    Stopping (see `Shutdown`): the worker takes no new job, a running job gets the grace to
    finish; one that does not is put back at the head of the queue (no retry used up) and the
    process exits. A chunk's results are stored in one transaction, so a chunk cut off before
    it is either stored whole or not at all, and its second run skips a stored chunk.
    """

    def __init__(self, *args: Any, heartbeat: float | None = None,
                 shutdown: Shutdown | None = None, **kwargs: Any) -> None:
        self.beat = heartbeat or heartbeat_seconds()
        lease = max(3, int(3 * self.beat))
        kwargs.setdefault("maintenance_interval", lease)
        kwargs.setdefault("worker_ttl", 15 + lease)
        super().__init__(*args, **kwargs)
        self.lease = lease
        self.shutdown = shutdown or Shutdown()
        self._hand_back_lock = threading.Lock()
        self._running: tuple[Job, Queue, Execution, threading.Event] | None = None

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        """Return the lease of a running job (renewed every heartbeat)."""
        return self.lease

    def _install_signal_handlers(self) -> None:
        """Use our stop handling instead of RQ's (RQ raises inside whatever code is running)."""
        self.shutdown.leave = self.leave

        def on_signal(signum: int, frame: FrameType | None) -> None:
            self._stop_requested = True  # seen by RQ's loop, its suspension wait included
            self.shutdown.on_signal(signum, frame)

        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, on_signal)
        if self.shutdown.requested.is_set():  # the signal came while the worker was starting
            self._stop_requested = True

    def dequeue_job_and_maintain_ttl(self, timeout: int | None,
                                     max_idle_time: int | None = None) -> tuple[Job, Queue] | None:
        """Wait for a job in one-second slices, so that an idle worker stops within a second."""
        if timeout is None or max_idle_time is not None:  # burst mode: never blocks
            return super().dequeue_job_and_maintain_ttl(timeout, max_idle_time)
        while not self.shutdown.requested.is_set():
            result = super().dequeue_job_and_maintain_ttl(IDLE_SLICE, max_idle_time=IDLE_SLICE)
            if result is not None:
                return result
        self._stop_requested = True
        return None

    def execute_job(self, job: Job, queue: Queue) -> None:
        """Run the job in this process while a thread keeps its lease alive."""
        execution = self.prepare_execution(job)
        stop = threading.Event()
        beat = threading.Thread(target=self._keep_alive, args=(job, execution, stop),
                                name="heartbeat", daemon=True)
        beat.start()
        with self._hand_back_lock:
            self._running = (job, queue, execution, stop)
        try:
            self.perform_job(job, queue, execution)
        finally:
            with self._hand_back_lock:
                self._running = None
            stop.set()
            beat.join()
        self.set_state(WorkerStatus.IDLE)
        if self.shutdown.requested.is_set():
            self._stop_requested = True

    def handle_exception(self, job: Job, *exc_info: Any) -> None:
        """Log a failed job by its id and where it failed, never its exception's message (RQ's
        own log line quotes it, and a message may quote a post); then RQ's handlers as usual."""
        from rq.job_lifecycle import call_exception_handlers

        from service.logs import safe_traceback

        log.error("job %s failed:\n%s", job.id, safe_traceback(exc_info[1]))
        call_exception_handlers(self._exc_handlers, job, *exc_info)

    def _keep_alive(self, job: Job, execution: Execution, stop: threading.Event) -> None:
        while not stop.wait(self.beat):
            try:
                self.maintain_heartbeats(job, execution)
            except (redis.RedisError, OSError) as exc:  # Redis away: the lease may lapse
                log.warning("heartbeat failed: %s", exc)

    def leave(self) -> None:
        """Hand the running job back to the head of its queue and sign off (the stop deadline).

        Takes the lock for good: the process ends right after, and the main thread must not
        record the job's end in between.
        """
        self._hand_back_lock.acquire()
        running = self._running
        if running is not None:
            job, queue, execution, stop = running
            stop.set()  # no lease renewal after the job is back in the queue
            # First back in the queue, then out of the started registry: should the second
            # step fail, the stale entry lapses harmlessly (RQ requeues only started jobs).
            queue.enqueue_job(job, at_front=True)
            with self.connection.pipeline() as pipe:
                execution.delete(job=job, pipeline=pipe)
                pipe.execute()
            print(f"Обработчик остановлен посреди задания «{job.description}»: оно возвращено "
                  "в очередь, его сделает другой обработчик.", file=sys.stderr)
        try:
            self.register_death()
        except (redis.RedisError, OSError):
            pass

    def unsubscribe(self) -> None:
        """Stop listening for RQ commands without waiting out the listener's 60-s poll.

        RQ stops the listener thread and then waits for it; with redis-py 8 that wait has no
        limit, and once the UNSUBSCRIBE reply has ended the subscription the thread can sit in
        a 60-s wait for a new one (the 30–65 s stops of `serve`). Clearing its run flag before
        unsubscribing lets it end on that reply; it is a daemon thread, so we wait a second at
        most.
        """
        thread = self.pubsub_thread
        if not thread:
            return
        try:
            thread.stop(timeout=0)  # redis-py >= 8: clears the flag, no wait
        except TypeError:
            thread.stop()  # older redis-py: stop() only clears the flag
        try:
            self.pubsub.unsubscribe()
        except (redis.RedisError, OSError):
            pass
        thread.join(timeout=1)


def wait_for_redis(conn: redis.Redis, stop_after: float | None = None,
                   stop: threading.Event | None = None) -> bool:
    """Wait until Redis answers; return False if `stop_after` seconds passed or `stop` is set."""
    t0, delay = time.monotonic(), 0.2
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            if conn.ping():
                return True
        except (redis.RedisError, OSError):
            pass
        if stop_after is not None and time.monotonic() - t0 > stop_after:
            return False
        stop.wait(delay)
        delay = min(delay * 2, 5.0)
    return False


def work(url: str, burst: bool = False) -> int:
    """Take jobs until stopped (or until the queue is empty with `burst`); return exit code."""
    shutdown = Shutdown().install()
    shutdown.preloading = True
    try:
        from service.jobs.tasks import preload

        preload()  # the models load before the first job is taken
    finally:
        shutdown.preloading = False
    conn = connect(url)
    while not shutdown.requested.is_set():
        if not wait_for_redis(conn, stop_after=60 if burst else None, stop=shutdown.requested):
            if shutdown.requested.is_set():
                break
            print("Redis не отвечает: обработчик остановлен.", file=sys.stderr)
            return 1
        worker = BatchWorker([QUEUE_NAME], connection=conn, shutdown=shutdown)
        try:
            worker.work(burst=burst, logging_level="WARNING")
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            # Lost Redis mid-job: the job's lease lapses and it is requeued; start afresh.
            log.warning("lost Redis (%s); reconnecting", exc)
            continue
        if burst:
            return 0
        # work() quit on an error it logged (Redis gone, say): start afresh unless stopping
        shutdown.requested.wait(1.0)
    return 0


def run(args: argparse.Namespace) -> int:
    """Run `gospablik worker [--burst]` against REDIS_URL, or `--health`: is one alive here."""
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    if getattr(args, "health", False):
        from service.jobs.health import check

        return check()
    url = redis_url(get_settings())
    return work(url, burst=bool(getattr(args, "burst", False)))
