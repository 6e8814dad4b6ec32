"""The Redis connection, the RQ queue and the timing knobs of batch jobs."""

from __future__ import annotations

import os
from functools import lru_cache

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry as RedisRetry
from rq import Queue

from service.errors import UnavailableError
from service.settings import Settings

QUEUE_NAME = "gospablik"
NO_REDIS = (
    "пакетная обработка недоступна: не задан REDIS_URL. Запустите сервис командой "
    "`gospablik serve` (она поднимет встроенный Redis) или укажите адрес Redis в REDIS_URL"
)


def heartbeat_seconds() -> float:
    """Return how often a busy worker reports it is alive (GOSPABLIK_JOB_HEARTBEAT, default 10 s).

    A job of a dead worker is taken back after about three heartbeats; tests make it short.
    """
    value = float(os.environ.get("GOSPABLIK_JOB_HEARTBEAT", "10"))
    if value <= 0:
        raise ValueError("GOSPABLIK_JOB_HEARTBEAT must be a positive number of seconds")
    return value


def stop_grace_seconds() -> float:
    """Return how long a stopping worker may finish its job (GOSPABLIK_STOP_GRACE, default 5 s).

    A job still running after that goes back to the head of the queue and the worker exits;
    `gospablik serve` kills a worker that is still there two seconds later.
    """
    value = float(os.environ.get("GOSPABLIK_STOP_GRACE", "5"))
    if not 0 <= value <= 60:
        raise ValueError("GOSPABLIK_STOP_GRACE must be between 0 and 60 seconds")
    return value


def chunk_timeout(n_rows: int) -> int:
    """Return the time limit of a chunk job: generous, since a post scores in a few ms."""
    return int(60 + 0.2 * n_rows)


JOB_RETRIES = 2  # a chunk runs at most three times before it is reported as failed
REPORT_TIMEOUT = 1800


def redis_url(settings: Settings) -> str:
    """Return the configured REDIS_URL or raise `UnavailableError` saying how to set it."""
    if not settings.redis_url:
        raise UnavailableError(NO_REDIS)
    return settings.redis_url


@lru_cache(maxsize=8)
def connect(url: str) -> redis.Redis:
    """Return a client for `url` (one pool per process); brief outages are retried."""
    return redis.Redis.from_url(
        url,
        health_check_interval=30,
        retry=RedisRetry(ExponentialBackoff(cap=2.0, base=0.1), 8),
        retry_on_error=[redis.ConnectionError, redis.TimeoutError],
    )


def get_queue(conn: redis.Redis) -> Queue:
    """Return the batch queue on `conn`."""
    return Queue(QUEUE_NAME, connection=conn)


def ping(conn: redis.Redis) -> bool:
    """Return True when Redis answers."""
    try:
        return bool(conn.ping())
    except (redis.RedisError, OSError):
        return False
