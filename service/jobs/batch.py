"""Batches: split submitted rows into chunk jobs on RQ, report progress, read results back."""

from __future__ import annotations

import hashlib
import json
import math
import secrets
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

import redis
from rq import Queue, Retry
from rq.job import Callback

from service.errors import InputError, NotFoundError
from service.jobs.finish import maybe_finish
from service.jobs.queue import JOB_RETRIES, chunk_timeout, get_queue
from service.jobs.results import read_chunk
from service.jobs.store import Keys, as_int, as_str, pack
from service.settings import Settings

MIN_CHUNK = 25  # below this the job overhead (~5-10 ms per job) outweighs the scoring
SPREAD = 8  # a small batch is cut into about this many chunks, so every worker gets some
FINAL = ("finished", "failed")

# A row as stored: [line number, the post object or None, error {"field","message"} or None].
StoredRow = list[Any]


def content_id(*parts: bytes) -> str:
    """Return the batch id of this content: the same bytes give the same id."""
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()[:20]


def fresh_id() -> str:
    """Return a new random batch id (for `force=true`)."""
    return secrets.token_hex(10)


def plan_chunk_size(total: int, chunk_size: int) -> int:
    """Return the rows per chunk: `chunk_size` for big batches, smaller for small ones."""
    return max(1, min(chunk_size, max(min(chunk_size, MIN_CHUNK), math.ceil(total / SPREAD))))


def stored_row(row: Any, n: int) -> StoredRow:
    """Return a reader `Row` (or a plain post object) as a stored row."""
    if hasattr(row, "line") and hasattr(row, "data"):
        err = getattr(row, "error", None)
        data = row.data
        if data is None and getattr(row, "id", None) is not None:
            data = {"id": row.id}  # a malformed row still answers with its id
        return [row.line or n, data, err.as_dict() if err is not None else None]
    if isinstance(row, dict):
        return [n, row, None]
    return [n, None, {"field": "post", "message": "пост должен быть JSON-объектом с полем text"}]


def find(conn: redis.Redis, batch_id: str) -> dict[str, str]:
    """Return the meta of a batch or raise `NotFoundError`."""
    raw = conn.hgetall(Keys(batch_id).meta) if _valid_id(batch_id) else {}
    if not raw:
        raise NotFoundError(
            f"пакет «{batch_id}» не найден: проверьте номер; результаты хранятся ограниченное время"
        )
    return {as_str(k) or "": as_str(v) or "" for k, v in raw.items()}


def _valid_id(batch_id: str) -> bool:
    return 0 < len(batch_id) <= 64 and all(c.isalnum() or c in "-_" for c in batch_id)


def submit(conn: redis.Redis, rows: Iterable[Any], settings: Settings, batch_id: str,
           source: dict[str, str] | None = None, pages: bytes | None = None) -> tuple[str, bool]:
    """Store the rows chunk by chunk, enqueueing each job at once; return (batch id, created).

    Workers start on the first chunk while the rest is still being read. An existing batch
    with the same id is returned as is (created = False).
    """
    keys = Keys(batch_id)
    ttl = settings.results_ttl_seconds
    if not conn.hsetnx(keys.meta, "status", "receiving"):
        if not _stale(conn, keys):
            return batch_id, False
        forget(conn, batch_id)
        conn.hset(keys.meta, "status", "receiving")
    fields: dict[str, str | int] = {"id": batch_id, "ttl": ttl,
                                    "created_at": f"{time.time():.3f}", **(source or {})}
    conn.hset(keys.meta, mapping=fields)  # type: ignore[arg-type]
    conn.expire(keys.meta, ttl)
    try:
        total, n_chunks = _store_chunks(conn, keys, rows, settings)
    except BaseException:
        forget(conn, batch_id)
        raise
    with conn.pipeline() as pipe:
        if pages:
            pipe.set(keys.pages, pack(pages.decode("utf-8", "replace")), ex=ttl)
        pipe.hset(keys.meta, mapping={"status": "queued", "total": total, "chunks": n_chunks})
        pipe.execute()
    maybe_finish(conn, batch_id, ttl)  # a small batch may be scored already
    return batch_id, True


def _stale(conn: redis.Redis, keys: Keys) -> bool:
    """Return True for a batch left half-received by a process that died (10 minutes old)."""
    state, created = conn.hmget(keys.meta, ["status", "created_at"])
    return as_str(state) == "receiving" and time.time() - float(created or 0) > 600


def _store_chunks(conn: redis.Redis, keys: Keys, rows: Iterable[Any],
                  settings: Settings) -> tuple[int, int]:
    """Write the rows chunk by chunk and enqueue each; return (total rows, chunks)."""
    it = (stored_row(row, n) for n, row in enumerate(rows, 1))
    head = list(islice(it, settings.chunk_size * SPREAD))
    size = plan_chunk_size(len(head), settings.chunk_size)
    conn.hset(keys.meta, "chunk_size", size)
    queue = get_queue(conn)
    ttl = settings.results_ttl_seconds
    total = n_chunks = 0
    buf: list[StoredRow] = []

    def flush() -> None:
        conn.set(keys.chunk_in(n_chunks), pack(buf), ex=ttl)
        enqueue_chunk(queue, keys.batch_id, n_chunks, len(buf), ttl)

    for row in _chain(head, it):
        buf.append(row)
        total += 1
        if total > settings.max_batch_posts:
            raise InputError(
                "file", f"слишком много постов: больше {settings.max_batch_posts}; "
                        "разделите файл на части")
        if len(buf) == size:
            flush()
            n_chunks, buf = n_chunks + 1, []
    if buf:
        flush()
        n_chunks += 1
    if total == 0:
        raise InputError("file", "в присланных данных нет ни одного поста")
    return total, n_chunks


def _chain(head: list[StoredRow], rest: Iterator[StoredRow]) -> Iterator[StoredRow]:
    yield from head
    yield from rest


def forget(conn: redis.Redis, batch_id: str) -> None:
    """Delete every key of a batch (its queued jobs then find nothing and skip)."""
    keys = Keys(batch_id)
    conn.delete(keys.meta)
    for key in conn.scan_iter(match=f"{keys.meta}:*", count=1000):
        conn.delete(key)


def enqueue_chunk(queue: Queue, batch_id: str, k: int, n_rows: int, ttl: int) -> None:
    """Enqueue the scoring job of chunk `k`; a failure after the retries is recorded for it."""
    queue.enqueue(
        "service.jobs.tasks.score_chunk", batch_id, k,
        job_id=f"gsp-{batch_id}-{k}", job_timeout=chunk_timeout(n_rows),
        retry=Retry(max=JOB_RETRIES), result_ttl=3600, failure_ttl=ttl,
        description=f"пакет {batch_id}, часть {k + 1}",
        on_failure=Callback("service.jobs.tasks.on_chunk_failure"),
    )


def chunk_rows(meta: dict[str, str], k: int) -> int:
    """Return how many rows chunk `k` holds."""
    size, total = int(meta["chunk_size"]), int(meta["total"])
    return max(0, min(size, total - k * size))


def status(conn: redis.Redis, batch_id: str) -> dict[str, Any]:
    """Return the status of a batch: state, progress, failed rows and chunks, ETA."""
    meta = find(conn, batch_id)
    keys = Keys(batch_id)
    with conn.pipeline(transaction=False) as pipe:
        pipe.smembers(keys.done)
        pipe.hgetall(keys.failed)
        pipe.hvals(keys.bad)
        done_raw, failed_raw, bad_raw = pipe.execute()
    total = as_int(meta.get("total"))
    if meta.get("status") == "receiving" or "chunks" not in meta:
        return {"id": batch_id, "status": "queued", "total": total, "done": 0,
                "failed_rows": 0, "eta_seconds": None}
    failed = {int(k): as_str(v) for k, v in failed_raw.items()}
    accounted = {int(k) for k in done_raw} | set(failed)
    done = sum(chunk_rows(meta, k) for k in accounted)
    state = meta["status"]
    if state not in FINAL:
        state = "running" if done or meta.get("started_at") else "queued"
    out: dict[str, Any] = {
        "id": batch_id,
        "status": state,
        "total": total,
        "done": done,
        "failed_rows": sum(as_int(v) for v in bad_raw),
        "eta_seconds": _eta(meta, done, total, state),
        "chunks": int(meta["chunks"]),
        "failed_chunks": [
            {"chunk": k + 1, "first_line": k * int(meta["chunk_size"]) + 1,
             "rows": chunk_rows(meta, k), "reason": failed[k]}
            for k in sorted(set(failed) - {int(k) for k in done_raw})],
        "created_at": _float(meta.get("created_at")),
        "started_at": _float(meta.get("started_at")),
        "finished_at": _float(meta.get("finished_at")),
    }
    if meta.get("report_error"):
        out["report_error"] = meta["report_error"]
    if meta.get("history"):  # service.jobs.report.record_history: recorded, or why not
        out["history"] = json.loads(meta["history"])
    if meta.get("source"):
        out["source"] = meta["source"]
    return out


def _float(v: str | None) -> float | None:
    return float(v) if v else None


def _eta(meta: dict[str, str], done: int, total: int, state: str) -> float | None:
    """Return the seconds left at the rate seen so far (None before the first chunk)."""
    if state in FINAL:
        return 0.0
    started = _float(meta.get("started_at"))
    if not started or not done:
        return None
    rate = done / max(time.time() - started, 1e-3)
    return round((total - done) / rate + 1.0, 1)  # +1 s: building the report


def iter_blocks(conn: redis.Redis, batch_id: str) -> Iterator[str]:
    """Yield the results of a batch chunk by chunk, as JSON Lines text (each ends in a newline)."""
    meta = find(conn, batch_id)
    keys = Keys(batch_id)
    for k in range(int(meta.get("chunks", 0))):
        lines = read_chunk(conn, keys, k)
        if lines is None:
            raise NotFoundError(
                f"результаты части {k + 1} пакета «{batch_id}» не найдены: срок хранения истёк")
        if lines:
            yield lines.decode() + "\n"


def iter_results(conn: redis.Redis, batch_id: str) -> Iterator[str]:
    """Yield the result lines of a batch (one JSON object per submitted row, in order)."""
    for block in iter_blocks(conn, batch_id):
        yield from block[:-1].split("\n")
