"""Limits per token: drafts per second per client (in this process) and posts queued in a
token's unfinished batches (counted in Redis, so every API process sees the same figure)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable

import redis
from starlette.responses import JSONResponse

from service.api.errors import error_body
from service.errors import NotFoundError
from service.jobs import batch

OWNER_PREFIX = "gsp:owner:"  # sorted set: the batch ids a token sent, by time
QUEUE_RETRY = (5, 60, 600)  # Retry-After of a full queue: least, without an ETA, most
MAX_CLIENTS = 10_000  # buckets kept before idle ones are dropped


def too_many(field: str, message: str, wait: float) -> JSONResponse:
    """Return the 429 answer with `Retry-After` (whole seconds, at least 1)."""
    return JSONResponse(error_body(field, message), status_code=429,
                        headers={"Retry-After": str(max(1, math.ceil(wait)))})


class RateLimiter:
    """Token buckets per client: `rate` requests per second, up to `burst` at once.

    Runs on the event loop (no lock needed); a bucket left idle long enough to be full again
    is forgotten once there are many clients. `rate` 0 turns the limit off.
    """

    def __init__(self, rate: float, burst: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate, self.burst, self.clock = rate, float(burst), clock
        self.buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when)

    def take(self, client: str) -> float:
        """Take one request from the client's bucket; return 0, or the seconds to wait."""
        if self.rate <= 0:
            return 0.0
        now = self.clock()
        tokens, then = self.buckets.get(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - then) * self.rate)
        if len(self.buckets) >= MAX_CLIENTS:
            self._forget_idle(now)
        if tokens >= 1.0:
            self.buckets[client] = (tokens - 1.0, now)
            return 0.0
        self.buckets[client] = (tokens, now)
        return (1.0 - tokens) / self.rate

    def _forget_idle(self, now: float) -> None:
        full = self.burst / self.rate
        self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < full}


def queued_posts(conn: redis.Redis, owner: str) -> tuple[int, float | None]:
    """Return (posts not yet scored in the owner's batches, seconds until the soonest is done).

    Finished, failed and expired batches leave the owner's set on the way.
    """
    key = OWNER_PREFIX + owner
    queued, soonest = 0, None
    for raw in conn.zrange(key, 0, -1):
        batch_id = raw.decode() if isinstance(raw, bytes) else str(raw)
        try:
            st = batch.status(conn, batch_id)
        except NotFoundError:
            st = {"status": "failed"}
        if st["status"] in batch.FINAL:
            conn.zrem(key, batch_id)
            continue
        queued += max(0, st["total"] - st["done"])
        if st.get("eta_seconds") is not None:
            soonest = st["eta_seconds"] if soonest is None else min(soonest, st["eta_seconds"])
    return queued, soonest


def queue_full(conn: redis.Redis, owner: str, limit: int) -> JSONResponse | None:
    """Return the 429 answer when the owner's queue is at its limit already, else None."""
    queued, soonest = queued_posts(conn, owner)
    return _full(queued, limit, soonest) if queued >= limit else None


def admit(conn: redis.Redis, owner: str, batch_id: str, limit: int,
          ttl: int) -> JSONResponse | None:
    """Count a new batch in its owner's queue; over the limit, drop it and return the 429.

    Each batch is recorded before the queue is counted, so of two batches sent at once the
    later count sees both: together they never pass the limit.
    """
    key = OWNER_PREFIX + owner
    with conn.pipeline() as pipe:
        pipe.zadd(key, {batch_id: time.time()})
        pipe.expire(key, ttl)
        pipe.execute()
    queued, soonest = queued_posts(conn, owner)
    if queued <= limit:
        return None
    st = batch.status(conn, batch_id)
    conn.zrem(key, batch_id)
    batch.forget(conn, batch_id)  # its queued jobs find nothing and skip
    return _full(queued - (st["total"] - st["done"]), limit, soonest, st["total"])


def _full(queued: int, limit: int, soonest: float | None, adding: int = 0) -> JSONResponse:
    least, default, most = QUEUE_RETRY
    wait = default if soonest is None else min(most, max(least, soonest))
    more = f"; в этом пакете {adding}" if adding else ""
    return too_many("queue", f"в очереди уже {queued} постов ваших пакетов{more}, а можно до "
                    f"{limit}: дождитесь, пока они оценятся, и пришлите снова", wait)
