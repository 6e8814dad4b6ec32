"""RQ job functions: thin wrappers over the scoring core; their arguments are ids, never posts."""

from __future__ import annotations

import gc
import json
import os
import time
from collections.abc import Callable
from typing import Any, NamedTuple

import redis
from rq import get_current_job
from rq.exceptions import AbandonedJobError
from rq.job import Job
from rq.timeouts import JobTimeoutException

from service.jobs.finish import batch_ttl, maybe_finish, record_failure, record_success
from service.jobs.report import build_batch_report
from service.jobs.results import report_view, split_line
from service.jobs.store import Keys, as_str, pack, pack_lines, pack_text, unpack
from service.scoring import Scorer, settle_gc

# Slows every row down (milliseconds). For the fault tests only: it keeps a worker busy
# long enough to be killed mid-chunk without burning CPU.
ROW_DELAY = float(os.environ.get("GOSPABLIK_JOB_ROW_DELAY_MS", "0")) / 1000.0
_SCORER: Scorer | None = None
GC_YOUNG = 20_000  # allocations between young-generation collections (Python's default: 700)


def preload() -> Scorer:
    """Return the process-wide scorer, built and warmed up once (workers call this first)."""
    global _SCORER
    if _SCORER is None:
        _SCORER = Scorer()
        _SCORER.score({"text": "Прогрев: запись на приём открыта с 1 марта по телефону 8-800."})
        _SCORER.pipeline.morph.analyzer  # noqa: B018 - pymorphy3 for forms not in the table
        settle_gc()
        # Scoring allocates many short-lived objects: collect young garbage less often.
        gc.set_threshold(GC_YOUNG, 50, 100)
    return _SCORER


def _join() -> Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]:
    """Return the report's join of input and scores (the input fields a report needs)."""
    try:
        from service.report.collect import join
    except ModuleNotFoundError:
        return lambda post, scored: scored
    return join


def _connection() -> redis.Redis:
    job = get_current_job()
    if job is None:
        raise RuntimeError("score_chunk runs inside an RQ worker")
    return job.connection


class ScoredChunk(NamedTuple):
    """The stored results of one chunk (service.jobs.results) and how many rows have an error."""

    heads: list[bytes]
    tails: list[bytes]
    views: list[dict[str, Any]]
    bad: int


def score_rows(scorer: Scorer, rows: list[list[Any]]) -> ScoredChunk:
    """Return the results of stored rows, in order: line heads and tails, report views."""
    join = _join()
    heads: list[bytes] = []
    tails: list[bytes] = []
    views: list[dict[str, Any]] = []
    bad = 0
    todo = [(line, data) for line, data, err in rows if err is None]
    # the models predict the chunk at once; a post that breaks the scorer gets its exception
    scored = iter(scorer.score_chunk([d for _, d in todo], [n for n, _ in todo]))
    for line, data, err in rows:
        if err is None:
            out = next(scored)
            if isinstance(out, Exception):  # one broken post must not sink its chunk
                out = {"id": row_id(data), "error": {
                    "field": "post",
                    "message": f"пост не удалось оценить из-за внутренней ошибки "
                               f"({type(out).__name__}); сообщите о ней разработчикам"}}
        else:
            out = {"id": row_id(data), "error": err}
        if isinstance(data, dict):
            out = join(data, out)
        out["line"] = line
        bad += "error" in out
        head, tail = split_line(out)
        heads.append(head)
        tails.append(tail)
        views.append(report_view(out, tail))
        if ROW_DELAY:
            time.sleep(ROW_DELAY)
    return ScoredChunk(heads, tails, views, bad)


def row_id(data: Any) -> str | None:
    """Return the id of a raw row as text, if it has one."""
    rid = data.get("id") if isinstance(data, dict) else None
    return None if rid is None else str(rid)


def score_chunk(batch_id: str, k: int) -> dict[str, Any]:
    """Score chunk `k` of a batch and store its lines; return counts for the job result."""
    conn = _connection()
    keys = Keys(batch_id)
    meta = conn.hgetall(keys.meta)
    if not meta:
        return {"chunk": k, "skipped": "пакет удалён или срок его хранения истёк"}
    if conn.sismember(keys.done, str(k)):  # a repeated run after a success: nothing to score,
        maybe_finish(conn, batch_id, batch_ttl(meta))  # but a handed-back last chunk still
        return {"chunk": k, "skipped": "уже готово"}  # starts the report (at most once)
    blob = conn.get(keys.chunk_in(k))
    if blob is None:
        raise LookupError(f"нет входных данных части {k + 1}")
    conn.hsetnx(keys.meta, "started_at", f"{time.time():.3f}")
    heads, tails, views, bad = score_rows(preload(), unpack(blob))
    ttl = batch_ttl(meta)
    record_success(conn, batch_id, k, pack_lines(heads), bad, ttl,
                   tails=pack_lines(tails), views=pack(views))
    maybe_finish(conn, batch_id, ttl)
    settle_gc()  # the caches grew with this chunk's new word forms
    return {"chunk": k, "rows": len(heads), "failed_rows": bad}


def chunk_rows_of(meta: dict[Any, Any], k: int) -> int:
    """Return how many rows chunk `k` holds, from the raw meta hash."""
    size, total = int(meta[b"chunk_size"]), int(meta[b"total"])
    return max(0, min(size, total - k * size))


def failure_reason(exc_type: type[BaseException] | None) -> str:
    """Return why a job failed, in words for the analyst."""
    if exc_type is not None and issubclass(exc_type, JobTimeoutException):
        return "часть не уложилась в отведённое время"
    if exc_type is not None and issubclass(exc_type, AbandonedJobError):
        return "обработчик остановился посреди работы, а повторы исчерпаны"
    if exc_type is not None and issubclass(exc_type, redis.RedisError):
        return "потеряна связь с Redis"
    name = exc_type.__name__ if exc_type else "неизвестная ошибка"
    return f"внутренняя ошибка ({name})"


def on_chunk_failure(job: Job, connection: redis.Redis, exc_type: Any, *_: Any) -> None:
    """Record error lines for a chunk that failed after its last retry (never drop rows)."""
    if job.should_retry:
        return
    batch_id, k = job.args
    keys = Keys(batch_id)
    meta = connection.hgetall(keys.meta)
    if not meta:
        return
    reason = failure_reason(exc_type)
    blob = connection.get(keys.chunk_in(k))
    try:
        rows = unpack(blob)
    except Exception:  # the input is gone or broken too: still one line per row, by position
        first = k * int(meta[b"chunk_size"])
        rows = [[first + i + 1, None, None] for i in range(chunk_rows_of(meta, k))]
    message = f"эта часть пакета не обработана: {reason}; отправьте эти посты ещё раз"
    lines = [json.dumps({"id": row_id(data), "line": line,
                         "error": {"field": "batch", "message": message}}, ensure_ascii=False)
             for line, data, _err in rows]
    ttl = batch_ttl(meta)
    record_failure(connection, batch_id, k, pack_text("\n".join(lines)), len(lines), reason, ttl)
    maybe_finish(connection, batch_id, ttl)


def build_report(batch_id: str) -> dict[str, Any]:
    """Build and store the region report of a finished batch; mark the batch final."""
    if _SCORER is not None:
        # The texts this worker analysed are mostly the batch's own: their memory goes to the
        # report (a region's views) instead of adding up with it.
        _SCORER.forget_texts()
    return build_batch_report(_connection(), batch_id)


def on_report_failure(job: Job, connection: redis.Redis, exc_type: Any, *_: Any) -> None:
    """Mark the batch failed when its report could not be built after the retries."""
    if job.should_retry:
        return
    (batch_id,) = job.args
    keys = Keys(batch_id)
    if as_str(connection.hget(keys.meta, "status")) in ("finished", "failed"):
        return
    connection.hset(keys.meta, mapping={
        "status": "failed", "finished_at": f"{time.time():.3f}",
        "report_error": f"отчёт не построен: {failure_reason(exc_type)}; результаты доступны"})
