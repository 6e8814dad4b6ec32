"""A clean stop: `gospablik serve` and `gospablik worker` exit within 10 s of SIGTERM — while
starting, idle after use and mid-batch — and a chunk in flight is finished or handed back to the
queue: after a restart the batch completes with every row exactly once, no retry used up."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest
import redis
from helpers import service_posts, stop_process, wait_for
from rq import Worker
from rq.job import Job

from service.jobs import batch
from service.jobs.embedded import free_port
from service.jobs.queue import JOB_RETRIES
from service.jobs.store import Keys
from service.settings import Settings

REPO = Path(__file__).resolve().parent.parent
STOP_LIMIT = 10.0  # seconds: what `docker stop` gives before it kills


def posts(n: int, tag: str) -> list[dict[str, Any]]:
    return service_posts(n, tag, pages=3, page_name="Администрация поселения")


class Service:
    """A real `gospablik serve` (embedded Redis, local workers) on its own port and data dir."""

    def __init__(self, data_dir: Path, workers: int, **env: str) -> None:
        self.data_dir, self.port = data_dir, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        clean = {k: v for k, v in os.environ.items()
                 if k != "REDIS_URL" and not k.startswith("GOSPABLIK_")}
        self.env = {**clean, "PYTHONPATH": str(REPO), "GOSPABLIK_DATA_DIR": str(data_dir),
                    "GOSPABLIK_LOCAL_WORKERS": str(workers), **env}
        data_dir.mkdir(parents=True, exist_ok=True)
        self.log = data_dir / "serve.log"
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "service.cli", "serve", "--port", str(self.port)],
                cwd=REPO, env=self.env, stdout=log, stderr=log)
        self.children: list[psutil.Process] = []

    def ready(self) -> bool:
        try:
            return httpx.get(f"{self.base}/readyz", timeout=2).json().get("redis") is True
        except (httpx.HTTPError, ValueError):
            return False

    def wait_ready(self, timeout: float = 60) -> Service:
        """Wait until the API answers /readyz with Redis up; remember the process tree."""
        wait_for(lambda: self.ready() or self.proc.poll() is not None, timeout, 0.2)
        assert self.proc.poll() is None, self.log.read_text()
        self.children = psutil.Process(self.proc.pid).children(recursive=True)
        return self

    def workers_busy(self, n: int) -> bool:
        """Return True when `n` of this service's workers are running a job."""
        with redis.Redis.from_url(f"unix://{self.data_dir / 'redis' / 'redis.sock'}") as conn:
            return sum(w.get_state() == "busy" for w in Worker.all(connection=conn)) >= n

    def stop(self) -> float:
        """SIGTERM the service; assert nothing it started is left; return the seconds taken."""
        took = stop_process(self.proc)
        left = [p for p in self.children
                if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        assert not left, [p.cmdline() for p in left]
        return took

    def get(self, path: str) -> Any:
        r = httpx.get(self.base + path, timeout=30)
        assert r.status_code == 200, r.text
        return r


@pytest.fixture()
def data_dir(redis_server: object) -> Iterator[Path]:
    """A data dir short enough for the embedded Redis's unix socket (skips without Redis)."""
    path = Path(tempfile.mkdtemp(prefix="gsp-stop-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def test_serve_stops_while_starting_up(data_dir: Path) -> None:
    """SIGTERM at any moment of start-up (the worker loading models, registering, the API
    loading): the stop that once took exactly the 30-s grace."""
    for i, delay in enumerate((0.5, 2.0, 4.0)):
        svc = Service(data_dir / f"s{i}", workers=1)
        time.sleep(delay)
        svc.children = psutil.Process(svc.proc.pid).children(recursive=True)
        took = svc.stop()
        assert took < STOP_LIMIT, (delay, took, svc.log.read_text())
        # killed by the signal itself only while Python was still importing, children-less
        assert svc.proc.returncode == 0 or not svc.children, svc.log.read_text()


@pytest.mark.slow
def test_serve_stops_ready_busy_and_idle_and_the_batch_resumes(data_dir: Path) -> None:
    # (a) right after it becomes ready
    svc = Service(data_dir, workers=1).wait_ready()
    assert svc.stop() < STOP_LIMIT

    # (c) after some use, mid-batch: 20-post chunks at 0.4 s a post outlast the 5-s grace
    svc = Service(data_dir, 2, GOSPABLIK_CHUNK_SIZE="20", GOSPABLIK_JOB_ROW_DELAY_MS="400")
    svc.wait_ready()
    draft = httpx.post(f"{svc.base}/v1/posts/score", json=posts(1, "d")[0], timeout=30)
    assert draft.status_code == 200 and draft.json()["scores"]["readability"] > 0
    sent = posts(120, "b")
    bid = httpx.post(f"{svc.base}/v1/batches", json=sent, timeout=30).json()["id"]
    wait_for(lambda: svc.workers_busy(2), 30)
    took = svc.stop()
    assert took < STOP_LIMIT, svc.log.read_text()
    assert "возвращено в очередь" in svc.log.read_text()  # handed back, not left to a lease

    # the same data dir again: the batch completes, each row once, no retry spent on the stop
    svc = Service(data_dir, workers=1).wait_ready()
    st = wait_for(lambda: (s := svc.get(f"/v1/batches/{bid}").json())["status"]
                  in ("finished", "failed") and s, 60, 0.3)
    assert (st["status"], st["done"], st["failed_rows"], st["failed_chunks"]) == (
        "finished", 120, 0, [])
    rows = [line for line in svc.get(f"/v1/batches/{bid}/results").text.splitlines() if line]
    ids = [json.loads(line)["id"] for line in rows]
    assert ids == [p["id"] for p in sent]  # nothing lost, nothing twice, in order
    with redis.Redis.from_url(f"unix://{data_dir / 'redis' / 'redis.sock'}") as conn:
        jobs = [Job.fetch(f"gsp-{bid}-{k}", connection=conn) for k in range(st["chunks"])]
        assert {j.retries_left for j in jobs} == {JOB_RETRIES}

    # (b) idle after use
    assert svc.stop() < STOP_LIMIT


def _busy_pids(conn: Any) -> dict[int, str]:
    """Return pid -> current job id of the workers running a job now."""
    out = {}
    for w in Worker.all(connection=conn):
        if w.get_state() == "busy" and (job_id := w.get_current_job_id()):
            out[w.pid] = job_id
    return out


@pytest.mark.slow
def test_worker_stops_mid_chunk_finishing_or_handing_back(redis_conn: Any, redis_server: Any,
                                                          start_workers: Any) -> None:
    """Two lone workers get SIGTERM mid-chunk: the one whose chunk ends within the grace
    finishes it, the other hands its chunk back; a third worker completes the batch. The
    health check of `gospablik worker` says 0 while a worker beats and 1 once none is left."""
    env = {**os.environ, "REDIS_URL": redis_server.url, "PYTHONPATH": str(REPO)}

    def health() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "service.cli", "worker", "--health"],
                              cwd=REPO, env=env, capture_output=True, text=True, timeout=60)

    sent = posts(32, "w")  # 4 chunks of 8
    settings = Settings(REDIS_URL=redis_server.url, chunk_size=8)
    bid, _ = batch.submit(redis_conn, sent, settings, batch.fresh_id())
    quick = start_workers(1, row_delay_ms=150)[0]  # a chunk in 1.2 s: finished before leaving
    slow = start_workers(1, row_delay_ms=1500)[0]  # a chunk in 12 s: handed back at the grace
    busy = wait_for(lambda: (b := _busy_pids(redis_conn)).keys() >= {quick.pid, slow.pid} and b,
                    40, 0.05)
    t0 = time.monotonic()
    quick.send_signal(signal.SIGTERM)
    slow.send_signal(signal.SIGTERM)
    alive = health()  # the stopping workers still beat
    assert alive.returncode == 0, alive.stderr
    quick.wait(STOP_LIMIT)
    quick_took = time.monotonic() - t0
    slow.wait(STOP_LIMIT)
    slow_took = time.monotonic() - t0
    assert quick_took < STOP_LIMIT and slow_took < STOP_LIMIT, (quick_took, slow_took)
    assert quick.returncode == slow.returncode == 0

    keys = Keys(bid)
    quick_chunk = int(busy[quick.pid].rsplit("-", 1)[1])
    slow_job = Job.fetch(busy[slow.pid], connection=redis_conn)
    assert redis_conn.sismember(keys.done, quick_chunk)  # finished in the grace
    assert slow_job.get_status() == "queued"  # handed back at once, not after a lease
    assert redis_conn.lindex("rq:queue:gospablik", 0).decode() == slow_job.id  # at the head
    gone = health()
    assert gone.returncode == 1 and "нет" in gone.stderr, gone.stdout

    finisher = start_workers(1)[0]
    st = wait_for(lambda: (s := batch.status(redis_conn, bid))["status"]
                  in ("finished", "failed") and s, 60, 0.2)
    assert (st["status"], st["done"], st["failed_rows"]) == ("finished", 32, 0)
    rows = [json.loads(line) for line in batch.iter_results(redis_conn, bid)]
    assert [r["id"] for r in rows] == [p["id"] for p in sent]  # nothing lost, nothing twice
    assert Job.fetch(slow_job.id, connection=redis_conn).retries_left == JOB_RETRIES
    assert stop_process(finisher) < STOP_LIMIT  # idle after work


def test_worker_stops_listening_at_once(redis_conn: Any) -> None:
    """RQ's own unsubscribe waits for its listener thread, which (redis-py 8) may sit a whole
    minute in a wait for a subscription: the 30–65 s stops. Ours never waits."""
    from service.jobs.worker import BatchWorker

    worst = 0.0
    for _ in range(40):
        worker = BatchWorker(["gospablik"], connection=redis_conn)
        worker.subscribe()
        t0 = time.monotonic()
        worker.unsubscribe()
        worst = max(worst, time.monotonic() - t0)
        if worst > 2:
            break
    assert worst < 2, worst
