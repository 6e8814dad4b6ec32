"""Health checks of the container: is the API answering, is a batch worker alive here.

A worker is alive when RQ's registry in Redis holds a worker of this host whose process exists
here and whose heartbeat is fresh: an idle worker beats every second, a busy one every
GOSPABLIK_JOB_HEARTBEAT seconds. `gospablik worker --health` checks a worker;
`python -m service.jobs.health` (the image's HEALTHCHECK) checks whatever the container runs,
judged by its main process: `gospablik worker` — the worker, anything else — the API's /healthz.
Exit code 0 when healthy, 1 when not.
"""

from __future__ import annotations

import os
import socket
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import redis
from rq import Worker

from service.errors import UnavailableError
from service.jobs.queue import heartbeat_seconds, redis_url
from service.settings import get_settings


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process, but it exists
        return True
    return True


def live_workers(conn: redis.Redis, host: str | None = None,
                 max_age: float | None = None) -> list[str]:
    """Return the names of the workers of `host` (this one) that beat within `max_age` seconds."""
    host = host or socket.gethostname()
    max_age = max_age if max_age is not None else 3 * heartbeat_seconds() + 5
    now = datetime.now(UTC)
    alive = []
    for worker in Worker.all(connection=conn):
        beat = worker.last_heartbeat
        if worker.hostname != host or beat is None or not worker.pid:
            continue
        if beat.tzinfo is None:
            beat = beat.replace(tzinfo=UTC)
        if (now - beat).total_seconds() <= max_age and _process_exists(worker.pid):
            alive.append(worker.name)
    return alive


def check() -> int:
    """Print whether a worker is alive here; return 0 if one is, 1 if none (or no Redis)."""
    try:
        url = redis_url(get_settings())
        conn = redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3)
        with conn:
            names = live_workers(conn)
    except UnavailableError as exc:
        print(f"Обработчик не проверить: {exc}", file=sys.stderr)
        return 1
    except (redis.RedisError, OSError) as exc:
        print(f"Обработчик не проверить: Redis не отвечает ({exc})", file=sys.stderr)
        return 1
    if not names:
        print("Живого обработчика на этой машине нет: он не запущен, ещё загружает модели "
              "или завис.", file=sys.stderr)
        return 1
    print(f"Обработчиков живо: {len(names)}")
    return 0


def check_api(port: int = 8000) -> int:
    """Return 0 when the API on this machine answers /healthz, else 1."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=3) as r:
            ok = r.status == 200
    except (urllib.error.URLError, OSError) as exc:
        print(f"API не отвечает: {exc}", file=sys.stderr)
        return 1
    return 0 if ok else 1


def main_command(pid: int = 1) -> list[str]:
    """Return the command line of the container's main process (empty if unreadable)."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def check_container(cmd: list[str] | None = None) -> int:
    """Check the worker when the main process is `gospablik worker`, else the API; 0 if ok."""
    cmd = main_command() if cmd is None else cmd
    if "worker" in cmd:
        return check()
    port = 8000
    if "--port" in cmd[:-1]:
        try:
            port = int(cmd[cmd.index("--port") + 1])
        except ValueError:
            pass
    return check_api(port)


if __name__ == "__main__":
    sys.exit(check_container())
