"""The service as the Docker image runs it, without Docker: the wheel installed into a fresh
venv (its dependencies borrowed from ours through a .pth file, so no network), the installed
`gospablik serve` and `gospablik worker` entry points, the models in their own directory, the
data in a temp dir, the working directory outside the repository and the code read-only.

It answers /healthz and /readyz, scores a post, runs a batch, stops within 10 s of SIGTERM,
resumes an interrupted batch after a restart, and writes nothing into its code directory."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from helpers import service_posts, stop_process

from service.jobs.embedded import free_port

REPO = Path(__file__).resolve().parent.parent
STOP_LIMIT = 10.0


def posts(n: int, tag: str) -> list[dict[str, Any]]:
    return service_posts(n, tag, pages=2, page_name="МФЦ района")


@dataclass
class Image:
    """The installed service: its venv, code directory, models, data and working directories."""

    venv: Path
    code: list[Path]
    models: Path
    data: Path
    workdir: Path

    def env(self, **extra: str) -> dict[str, str]:
        clean = {k: v for k, v in os.environ.items()
                 if k not in ("REDIS_URL", "PYTHONPATH") and not k.startswith("GOSPABLIK_")}
        return {**clean, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONUNBUFFERED": "1",
                "GOSPABLIK_MODELS_DIR": str(self.models), "GOSPABLIK_DATA_DIR": str(self.data),
                **extra}

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """Run the installed `gospablik ARGS` and wait for it."""
        return subprocess.run([str(self.venv / "bin" / "gospablik"), *args], cwd=self.workdir,
                              env=self.env(**env), capture_output=True, text=True, timeout=120)

    def start(self, *args: str, log: str, **env: str) -> subprocess.Popen[bytes]:
        """Start the installed `gospablik ARGS` in the background, its output in `log`."""
        with open(self.workdir / log, "ab") as out:
            return subprocess.Popen([str(self.venv / "bin" / "gospablik"), *args],
                                    cwd=self.workdir, env=self.env(**env), stdout=out, stderr=out)

    def files(self) -> set[Path]:
        return {p for root in self.code for p in root.rglob("*")}


@pytest.fixture(scope="module")
def image(wheel: Path, redis_server: object) -> Iterator[Image]:
    """Install the wheel into a fresh venv, copy the models, make the code read-only."""
    root = Path(tempfile.mkdtemp(prefix="gsp-img-"))  # short: the Redis socket lives under it
    venv = root / "venv"
    made = subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)],
                          capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    site = Path(subprocess.check_output(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        text=True).strip())
    # Our dependencies as a plain path entry: its .pth files (our editable install) stay unread.
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check",
                           "-q", "install", "--no-deps", "--no-index", "--ignore-installed",
                           str(wheel)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    code = [site / "service", site / "training"]
    for path in [p for c in code for p in (c, *c.rglob("*"))]:
        path.chmod(path.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    models = root / "app" / "models"
    shutil.copytree(REPO / "models", models)
    (root / "data").mkdir()
    (root / "work").mkdir()
    yield Image(venv, code, models, root / "data", root / "work")
    for path in [p for c in code for p in (c, *c.rglob("*"))]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    shutil.rmtree(root, ignore_errors=True)


def test_installed_code_is_what_runs(image: Image) -> None:
    out = subprocess.run([str(image.venv / "bin" / "python"), "-c",
                          "import service, training; print(service.__file__, training.__file__)"],
                         cwd=image.workdir, env=image.env(), capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert all(p.startswith(str(image.venv)) for p in out.stdout.split()), out.stdout


def _wait(cond: Any, timeout: float, step: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := cond():
            return value
        time.sleep(step)
    raise AssertionError("condition not met in time")


@pytest.mark.slow
def test_installed_serve_and_worker_as_in_the_image(image: Image) -> None:
    before = image.files()
    port = free_port()
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return httpx.get(f"{base}/readyz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def status(bid: str) -> dict[str, Any]:
        return httpx.get(f"{base}/v1/batches/{bid}", timeout=10).json()

    # first run: an embedded Redis and one local worker, each row slowed so a batch is in flight
    serve = image.start("serve", "--host", "127.0.0.1", "--port", str(port), log="serve1.log",
                        GOSPABLIK_LOCAL_WORKERS="1", GOSPABLIK_CHUNK_SIZE="10",
                        GOSPABLIK_JOB_ROW_DELAY_MS="150")
    try:
        _wait(lambda: up() or serve.poll() is not None, 90)
        assert serve.poll() is None, (image.workdir / "serve1.log").read_text()
        assert httpx.get(f"{base}/healthz", timeout=5).status_code == 200
        ready = httpx.get(f"{base}/readyz", timeout=5).json()
        assert ready["redis"] is True, ready
        one = httpx.post(f"{base}/v1/posts/score", json=posts(1, "one")[0], timeout=30)
        assert one.status_code == 200 and 0 < one.json()["scores"]["usefulness"] <= 100

        small = posts(4, "s")
        sid = httpx.post(f"{base}/v1/batches", json=small, timeout=30).json()["id"]
        assert _wait(lambda: status(sid)["status"] == "finished", 60)

        big = posts(60, "b")  # 6 chunks of 10 rows, 1.5 s a chunk
        bid = httpx.post(f"{base}/v1/batches", json=big, timeout=30).json()["id"]
        _wait(lambda: status(bid)["done"] >= 10, 60)
    finally:
        took = stop_process(serve)
    assert took < STOP_LIMIT and serve.returncode == 0, (image.workdir / "serve1.log").read_text()
    assert 0 < chunks_done(image, bid) < 6  # stopped mid-batch

    # second run: the same data dir, plus a separate `gospablik worker` as in docker-compose
    serve = image.start("serve", "--host", "127.0.0.1", "--port", str(port), log="serve2.log",
                        GOSPABLIK_LOCAL_WORKERS="1")
    worker = None
    try:
        _wait(lambda: up() or serve.poll() is not None, 90)
        assert serve.poll() is None, (image.workdir / "serve2.log").read_text()
        url = f"unix://{image.data / 'redis' / 'redis.sock'}"
        worker = image.start("worker", log="worker.log", REDIS_URL=url)
        st = _wait(lambda: (s := status(bid))["status"] in ("finished", "failed") and s, 60)
        assert (st["status"], st["done"], st["failed_rows"]) == ("finished", 60, 0)
        lines = httpx.get(f"{base}/v1/batches/{bid}/results", timeout=30).text.splitlines()
        assert [json.loads(line)["id"] for line in lines] == [p["id"] for p in big]
        health = _wait(lambda: (h := image.run("worker", "--health", REDIS_URL=url))
                       .returncode == 0 and h, 30, 0.5)
        assert "живо" in health.stdout
        # the image's one HEALTHCHECK, judged by the main process: here the API of `serve`
        api_check = subprocess.run(
            [str(image.venv / "bin" / "python"), "-c", "import sys; from service.jobs.health "
             f"import check_container; sys.exit(check_container(['gospablik', 'serve', "
             f"'--port', '{port}']))"], cwd=image.workdir, env=image.env(), timeout=60)
        assert api_check.returncode == 0
    finally:
        worker_took = stop_process(worker) if worker is not None else 0.0
        took = stop_process(serve)
    assert worker_took < STOP_LIMIT and worker is not None and worker.returncode == 0
    assert took < STOP_LIMIT and serve.returncode == 0, (image.workdir / "serve2.log").read_text()
    assert image.files() == before  # nothing written into the code directory


def chunks_done(image: Image, bid: str) -> int:
    """Return how many chunks of a batch the stopped service has stored (its Redis restarted)."""
    import redis

    from service.jobs.embedded import EmbeddedRedis
    from service.jobs.store import Keys

    with EmbeddedRedis(image.data / "redis") as server, redis.Redis.from_url(server.url) as conn:
        return int(conn.scard(Keys(bid).done))
