"""`gospablik serve`: the HTTP API; without REDIS_URL also an embedded Redis and local workers."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import FrameType

from service.api.auth import announce
from service.errors import UnavailableError
from service.jobs.embedded import EmbeddedRedis
from service.jobs.queue import stop_grace_seconds
from service.settings import Settings, get_settings

API_GRACE = 3  # seconds uvicorn lets requests in flight finish once asked to stop
KILL_AFTER = 2.0  # seconds past the workers' own grace before `serve` kills what is left


class LocalWorkers:
    """`gospablik worker` processes on this machine, restarted if one dies while serving."""

    def __init__(self, n: int, env: dict[str, str]) -> None:
        self.n, self.env = n, env
        self.procs: list[subprocess.Popen[bytes]] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()  # no worker is spawned once the stop has begun
        self._watch = threading.Thread(target=self._watchdog, name="workers", daemon=True)

    def _spawn(self) -> subprocess.Popen[bytes]:
        # Own session: Ctrl+C reaches only `serve`, which then stops the workers once, gently.
        return subprocess.Popen([sys.executable, "-m", "service.cli", "worker"], env=self.env,
                                start_new_session=True)

    def start(self) -> LocalWorkers:
        """Start the workers and the thread that replaces a dead one; return self."""
        self.procs = [self._spawn() for _ in range(self.n)]
        if self.n:
            self._watch.start()
        return self

    def _watchdog(self) -> None:
        while not self._stop.wait(2.0):
            with self._lock:
                for i, proc in enumerate(self.procs):
                    if proc.poll() is not None and not self._stop.is_set():
                        print(f"Обработчик {proc.pid} остановился (код {proc.returncode}); "
                              "запускаю новый.", file=sys.stderr)
                        self.procs[i] = self._spawn()

    def terminate(self) -> None:
        """Ask every worker to stop: each finishes or hands back its job within its grace."""
        with self._lock:
            self._stop.set()
            for proc in self.procs:
                if proc.poll() is None:
                    proc.send_signal(signal.SIGTERM)

    def wait(self, deadline: float) -> None:
        """Wait for the workers until `deadline` (time.monotonic()); kill the ones left."""
        for proc in self.procs:
            _wait_or_kill(proc, deadline)

    def stop(self) -> None:
        """Stop the workers within their grace plus a margin."""
        self.terminate()
        self.wait(time.monotonic() + stop_grace_seconds() + KILL_AFTER)


def _wait_or_kill(proc: subprocess.Popen[bytes], deadline: float, group: bool = False) -> None:
    """Wait for `proc` until `deadline`; then kill it (with its process group if `group`)."""
    try:
        proc.wait(max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        print(f"Процесс {proc.pid} не остановился вовремя: завершаю его принудительно.",
              file=sys.stderr)
        try:
            if group:
                os.killpg(proc.pid, signal.SIGKILL)
            else:
                proc.kill()
        except ProcessLookupError:
            pass
        proc.wait(5)


def start_api(args: argparse.Namespace) -> subprocess.Popen[bytes]:
    """Start uvicorn with the app in its own process group (stopped by `serve` only)."""
    n = max(1, int(getattr(args, "workers", 1) or 1))
    cmd = [sys.executable, "-m", "uvicorn", "service.api.app:create_app", "--factory",
           "--host", str(args.host), "--port", str(args.port), "--workers", str(n),
           "--loop", "uvloop", "--http", "httptools", "--log-level", "warning",
           "--no-access-log",  # its lines carry query strings; ours (gospablik.access) do not
           "--timeout-graceful-shutdown", str(API_GRACE)]
    return subprocess.Popen(cmd, env=dict(os.environ, GOSPABLIK_LOGS="stderr"),
                            start_new_session=True)


def start_embedded(settings: Settings) -> EmbeddedRedis | None:
    """Start the embedded Redis in the data dir; None (with a warning) if there is no server."""
    try:
        server = EmbeddedRedis(Path(settings.data_dir) / "redis").start()
    except UnavailableError as exc:
        print(f"Пакетная обработка выключена: {exc}", file=sys.stderr)
        return None
    print(f"Встроенный Redis: REDIS_URL={server.url} (данные в {server.data_dir})",
          file=sys.stderr)
    return server


def run(args: argparse.Namespace) -> int:
    """Run `gospablik serve --host --port [--workers]` until interrupted; stop what it started.

    `serve` itself only supervises: the API (uvicorn), the embedded Redis and the local
    workers are its children. SIGTERM or Ctrl+C stops them all at once — the API lets requests
    in flight finish for API_GRACE seconds, each worker finishes or hands back its job within
    GOSPABLIK_STOP_GRACE — then the embedded Redis, last, so that handed-back jobs are saved.
    """
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, on_signal)
    settings = get_settings()
    announce(args.host, settings)  # which tokens, or a loud warning when exposed
    server = None
    workers = LocalWorkers(0, {})
    api = None
    code = 0
    try:
        n_local = 0
        if not settings.redis_url:
            server = start_embedded(settings)
            if server is not None:
                os.environ["REDIS_URL"] = server.url  # seen by the API and our workers
                get_settings.cache_clear()
                n_local = settings.local_workers
        elif "local_workers" in settings.model_fields_set:
            n_local = settings.local_workers  # with an outside Redis only when asked explicitly
        if stop.is_set():
            return 0
        workers = LocalWorkers(n_local, dict(os.environ)).start()
        if n_local:
            print(f"Обработчиков пакетов на этой машине: {n_local}", file=sys.stderr)
        api = start_api(args)
        print(f"Сервис: http://{args.host}:{args.port} (методы API — /docs)", file=sys.stderr)
        while not stop.wait(0.5):
            if api.poll() is not None:
                print(f"API остановился сам (код {api.returncode}): останавливаю сервис.",
                      file=sys.stderr)
                code = 1
                break
    finally:
        deadline = time.monotonic() + stop_grace_seconds() + KILL_AFTER
        if api is not None and api.poll() is None:
            api.send_signal(signal.SIGTERM)
        workers.terminate()
        if api is not None:
            _wait_or_kill(api, deadline, group=True)
        workers.wait(deadline)
        if server is not None:
            server.stop(timeout=1.5)
    return code
