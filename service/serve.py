"""`gospablik serve`: the HTTP API; without REDIS_URL also an embedded Redis and local workers."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from service.errors import UnavailableError
from service.jobs.embedded import EmbeddedRedis
from service.settings import Settings, get_settings

STOP_GRACE = 30.0  # seconds a worker gets to finish its chunk on shutdown


class LocalWorkers:
    """`gospablik worker` processes on this machine, restarted if one dies while serving."""

    def __init__(self, n: int, env: dict[str, str]) -> None:
        self.n, self.env = n, env
        self.procs: list[subprocess.Popen[bytes]] = []
        self._stop = threading.Event()
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
            for i, proc in enumerate(self.procs):
                if proc.poll() is not None and not self._stop.is_set():
                    print(f"Обработчик {proc.pid} остановился (код {proc.returncode}); "
                          "запускаю новый.", file=sys.stderr)
                    self.procs[i] = self._spawn()

    def stop(self) -> None:
        """Ask every worker to finish its current chunk and exit; kill the ones that do not."""
        self._stop.set()
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(STOP_GRACE)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


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
    """Run `gospablik serve --host --port [--workers]` until interrupted; stop what it started."""
    import uvicorn

    settings = get_settings()
    server = None
    n_local = 0
    if not settings.redis_url:
        server = start_embedded(settings)
        if server is not None:
            os.environ["REDIS_URL"] = server.url  # seen by the app, uvicorn's and our workers
            get_settings.cache_clear()
            n_local = settings.local_workers
    elif "local_workers" in settings.model_fields_set:
        n_local = settings.local_workers  # with an outside Redis only when asked explicitly
    workers = LocalWorkers(n_local, dict(os.environ)).start()
    if n_local:
        print(f"Обработчиков пакетов на этой машине: {n_local}", file=sys.stderr)
    print(f"Сервис: http://{args.host}:{args.port} (методы API — /docs)", file=sys.stderr)
    # uvicorn re-raises SIGTERM after its graceful shutdown; turn it into SystemExit so the
    # embedded Redis and the local workers are stopped below rather than orphaned.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        uvicorn.run("service.api.app:create_app", factory=True, host=args.host, port=args.port,
                    workers=max(1, int(getattr(args, "workers", 1) or 1)), loop="uvloop",
                    http="httptools", log_level="warning")
    finally:
        workers.stop()
        if server is not None:
            server.stop()
    return 0
