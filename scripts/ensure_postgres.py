"""Make sure a PostgreSQL server answers for the history tests; print its URL on stdout.

Order: GOSPABLIK_TEST_DATABASE_URL or postgresql://postgres@127.0.0.1:5432/test if it answers;
else start the Debian cluster if one is installed; else, as root, apt-get install postgresql
and start it. Prints nothing (and the PostgreSQL tests skip, saying why) when none of it works.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import time

DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
PASSWORD = "gospablik-tests"  # set on a cluster this script installed (local tests only)


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def answers(url: str) -> bool:
    """Return True if a PostgreSQL server at `url` accepts a query."""
    try:
        import psycopg
    except ImportError:
        say("psycopg не установлен: нет клиента PostgreSQL")
        return False
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error as exc:
        say(f"PostgreSQL по адресу {url.split('@')[-1]} не отвечает: "
            f"{str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}")
        return False


def run(*cmd: str) -> bool:
    try:
        return subprocess.run(cmd, timeout=600, stdout=sys.stderr, stderr=sys.stderr).returncode == 0
    except (OSError, subprocess.SubprocessError) as exc:
        say(f"{cmd[0]}: {exc}")
        return False


def start_cluster() -> bool:
    """Start every installed Debian cluster (pg_ctlcluster); True if one was there."""
    if not shutil.which("pg_ctlcluster"):
        return False
    started = False
    for conf in glob.glob("/etc/postgresql/*/*/postgresql.conf"):
        version, name = conf.split("/")[3:5]
        say(f"Запускаю PostgreSQL {version}/{name} ...")
        started |= run("pg_ctlcluster", "--skip-systemctl-redirect", version, name, "start")
    return started


def install() -> bool:
    """apt-get install postgresql (root only); True if it went through."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        say("PostgreSQL не установлен, а поставить его может только root через apt-get")
        return False
    say("PostgreSQL не найден: устанавливаю через apt-get ...")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, timeout=600,
                       stdout=sys.stderr)
        subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=True, env=env,
                       timeout=900, stdout=sys.stderr)
    except (OSError, subprocess.SubprocessError) as exc:
        say(f"Не удалось установить postgresql: {exc}")
        return False
    return True


def with_password() -> str | None:
    """Give the postgres role a password (a fresh Debian cluster wants one over TCP)."""
    if os.geteuid() != 0 or not shutil.which("runuser"):
        return None
    sql = f"ALTER USER postgres PASSWORD '{PASSWORD}'"
    if not run("runuser", "-u", "postgres", "--", "psql", "-q", "-c", sql):
        return None
    return f"postgresql://postgres:{PASSWORD}@127.0.0.1:5432/postgres"


def wait_for(url: str, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if answers(url):
            return True
        time.sleep(1)
    return False


def main() -> int:
    """Print the URL of a PostgreSQL server the tests may use (nothing when there is none)."""
    url = os.environ.get("GOSPABLIK_TEST_DATABASE_URL") or DEFAULT
    if answers(url):
        print(url)
        return 0
    if not start_cluster():
        if not install():
            say("PostgreSQL для тестов нет: тесты истории на PostgreSQL будут пропущены")
            return 0
        start_cluster()
    for candidate in (url, "postgresql://postgres@127.0.0.1:5432/postgres"):
        if wait_for(candidate, 20):
            print(candidate)
            return 0
    fallback = with_password()
    if fallback and wait_for(fallback, 10):
        print(fallback)
        return 0
    say("PostgreSQL не поднялся: тесты истории на PostgreSQL будут пропущены")
    return 0


if __name__ == "__main__":
    sys.exit(main())
