"""Recording chunk outcomes atomically and starting the report once every chunk is accounted for."""

from __future__ import annotations

import time
from typing import Any

import redis
from rq import Retry
from rq.job import Callback, Job

from service.jobs.queue import JOB_RETRIES, REPORT_TIMEOUT, get_queue
from service.jobs.store import Keys, as_int

# A chunk that failed for good gets its error lines only if its real results never arrived:
# a late success (say, of a worker that lost Redis for a while) always wins.
_RECORD_FAILURE = """
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
redis.call('DEL', KEYS[5], KEYS[6])
redis.call('HSET', KEYS[3], ARGV[1], ARGV[5])
redis.call('EXPIRE', KEYS[3], ARGV[3])
redis.call('HSET', KEYS[4], ARGV[1], ARGV[4])
redis.call('EXPIRE', KEYS[4], ARGV[3])
return 1
"""


def batch_ttl(meta: dict[Any, Any], default: int = 7 * 24 * 3600) -> int:
    """Return the time to live the batch was submitted with."""
    return as_int(meta.get("ttl") or meta.get(b"ttl"), default)


def record_success(conn: redis.Redis, batch_id: str, k: int, blob: bytes, n_bad: int,
                   ttl: int, tails: bytes, views: bytes) -> None:
    """Store the results of chunk `k` (service.jobs.results) and mark it done, atomically."""
    keys = Keys(batch_id)
    with conn.pipeline() as pipe:
        pipe.set(keys.chunk_out(k), blob, ex=ttl)
        pipe.set(keys.chunk_tail(k), tails, ex=ttl)
        pipe.set(keys.chunk_view(k), views, ex=ttl)
        pipe.sadd(keys.done, k)
        pipe.expire(keys.done, ttl)
        pipe.hdel(keys.failed, k)
        pipe.hset(keys.bad, str(k), n_bad)
        pipe.expire(keys.bad, ttl)
        pipe.delete(keys.chunk_in(k))
        pipe.execute()


def record_failure(conn: redis.Redis, batch_id: str, k: int, blob: bytes, n_rows: int,
                   reason: str, ttl: int) -> bool:
    """Store error lines for every row of a chunk that failed for good; False if it succeeded."""
    keys = Keys(batch_id)
    script = conn.register_script(_RECORD_FAILURE)
    return bool(script(keys=[keys.chunk_out(k), keys.done, keys.failed, keys.bad,
                              keys.chunk_tail(k), keys.chunk_view(k)],
                       args=[k, blob, ttl, n_rows, reason]))


def accounted(conn: redis.Redis, batch_id: str) -> tuple[int, int]:
    """Return (chunks with results or a final failure, chunks in the batch)."""
    keys = Keys(batch_id)
    with conn.pipeline(transaction=False) as pipe:
        pipe.smembers(keys.done)
        pipe.hkeys(keys.failed)
        pipe.hget(keys.meta, "chunks")
        done, failed, n = pipe.execute()
    return len(set(done) | set(failed)), as_int(n, -1)


def maybe_finish(conn: redis.Redis, batch_id: str, ttl: int) -> bool:
    """Enqueue the report job when every chunk is accounted for; True if this call did it."""
    n_done, n_chunks = accounted(conn, batch_id)
    if n_done < n_chunks or n_chunks < 0:
        return False
    if not conn.set(Keys(batch_id).aggregate, f"{time.time():.3f}", nx=True, ex=ttl):
        return False
    enqueue_report(conn, batch_id, ttl)
    return True


def enqueue_report(conn: redis.Redis, batch_id: str, ttl: int) -> Job:
    """Enqueue the job that builds the region report (ahead of other batches' chunks)."""
    return get_queue(conn).enqueue(
        "service.jobs.tasks.build_report", batch_id,
        job_id=report_job_id(batch_id), job_timeout=REPORT_TIMEOUT,
        retry=Retry(max=JOB_RETRIES), at_front=True, result_ttl=3600, failure_ttl=ttl,
        description=f"отчёт по пакету {batch_id}",
        on_failure=Callback("service.jobs.tasks.on_report_failure"),
    )


def report_job_id(batch_id: str) -> str:
    """Return the RQ job id of a batch's report job."""
    return f"gsp-{batch_id}-report"


def ensure_report(conn: redis.Redis, batch_id: str, meta: dict[str, str]) -> None:
    """Re-enqueue the report job if a process died between claiming and enqueueing it."""
    if meta.get("status") in ("finished", "failed"):
        return
    n_done, n_chunks = accounted(conn, batch_id)
    if n_done < n_chunks or n_chunks < 0:
        return
    claimed = conn.get(Keys(batch_id).aggregate)
    stale = claimed is None or time.time() - float(claimed) > 30
    if stale and not Job.exists(report_job_id(batch_id), connection=conn):
        conn.set(Keys(batch_id).aggregate, f"{time.time():.3f}", ex=batch_ttl(meta))
        enqueue_report(conn, batch_id, batch_ttl(meta))
