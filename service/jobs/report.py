"""The aggregate step of a batch: batch-level engagement, the region report, the final status."""

from __future__ import annotations

import gc
import json
import logging
import time
from typing import Any

import redis

from service.jobs.finish import batch_ttl
from service.jobs.results import read_chunk, tails_of
from service.jobs.store import Keys, as_str, loads, pack, pack_lines, unpack

log = logging.getLogger(__name__)


def read_pages(text: str | None) -> dict[str, dict[str, Any]] | None:
    """Return page metadata by id from an uploaded pages file (None when there is none)."""
    if not text:
        return None
    from service.readers import read_pages as reader

    return reader(text.encode())


def _add_engagement(posts: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], Any]:
    try:
        from service.report.collect import add_engagement_by_page
    except ModuleNotFoundError:
        return posts, None
    return add_engagement_by_page(posts)


def _region_report(posts: list[dict[str, Any]], pages: dict[str, dict[str, Any]] | None,
                   engagement: Any = None) -> Any:
    try:
        from service.report.build import region_report
    except ModuleNotFoundError:
        ok = [p for p in posts if not p.get("error")]
        return {"summary": {"posts": len(ok), "errors": len(posts) - len(ok)}}
    return region_report(posts, pages, engagement=engagement)


def _full_rows(conn: redis.Redis, keys: Keys, k: int) -> list[dict[str, Any]]:
    """Return the full result rows of chunk `k` (what the results endpoint serves)."""
    lines = read_chunk(conn, keys, k)
    return [loads(line) for line in lines.split(b"\n") if line] if lines else []


def load_views(conn: redis.Redis, batch_id: str, n_chunks: int) -> list[list[dict[str, Any]]]:
    """Return the report views of every chunk's rows (service.jobs.results.report_view).

    A chunk without views (it failed for good and holds error lines only) is read in full.
    Equal strings of the views (feedback messages, a repost's text) are kept once.
    """
    keys = Keys(batch_id)
    chunks = []
    strings: dict[str, str] = {}
    for k in range(n_chunks):
        blob = conn.get(keys.chunk_view(k))
        if blob is None:
            chunks.append(_full_rows(conn, keys, k))
            continue
        chunks.append(from_views(unpack(blob), strings))
    return chunks


# Fields of a feedback item whose values repeat across a region's posts.
SHARED_ITEM_FIELDS = ("code", "axis", "severity", "message", "fragment", "suggestion")


def from_views(rows: list[dict[str, Any]],
               strings: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Return stored report views as the report reads them (`fix_first` restored).

    `strings` (shared by the chunks of a batch) keeps one copy of each repeated string: a
    region's 30,000 views hold each feedback message thousands of times and each repost's text
    many times; parsed separately, they took half of the report job's memory.
    """
    share = (strings if strings is not None else {}).setdefault
    for r in rows:
        feedback = r.get("feedback")
        if feedback is not None:
            for it in feedback:
                for key in SHARED_ITEM_FIELDS:
                    value = it.get(key)
                    if value.__class__ is str:
                        it[key] = share(value, value)
            r["fix_first"] = feedback[0] if feedback else None
        text = r.get("text")
        if text.__class__ is str:
            r["text"] = share(text, text)
        use = r.get("usefulness")
        if use.__class__ is dict and use.get("rubric").__class__ is str:
            use["rubric"] = share(use["rubric"], use["rubric"])
        moderation = r.get("moderation")
        if moderation.__class__ is dict and moderation.get("reasons"):
            moderation["reasons"] = [share(x, x) if x.__class__ is str else x
                                     for x in moderation["reasons"]]
    return rows


def build_batch_report(conn: redis.Redis, batch_id: str) -> dict[str, Any]:
    """Add batch-level engagement to the results, store the region report, finish the batch."""
    # Reading back a region allocates millions of objects and frees none of them until the end:
    # cyclic collections would only rescan them again and again (they cost more than the parsing).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _build_batch_report(conn, batch_id)
    finally:
        if was_enabled:
            gc.enable()


def _build_batch_report(conn: redis.Redis, batch_id: str) -> dict[str, Any]:
    keys = Keys(batch_id)
    meta = {as_str(k): as_str(v) for k, v in conn.hgetall(keys.meta).items()}
    if not meta:
        return {"skipped": "пакет удалён или срок его хранения истёк"}
    if meta.get("status") in ("finished", "failed"):
        return {"skipped": "отчёт уже построен"}
    n_chunks = int(meta.get("chunks") or 0)
    ttl = batch_ttl(meta)
    t0 = time.perf_counter()
    chunks = load_views(conn, batch_id, n_chunks)
    flat = [p for chunk in chunks for p in chunk]
    before = [p.get("scores") for p in flat]
    posts, engagement = _add_engagement(flat)
    # Only the tails of chunks whose posts got batch-level engagement are written again.
    changed = [a is not p.get("scores") for a, p in zip(before, posts, strict=True)]
    rewrite: dict[int, bytes] = {}
    start = 0
    for k, chunk in enumerate(chunks):
        end = start + len(chunk)
        if any(changed[start:end]):
            rewrite[k] = pack_lines(tails_of(chunk))
        start = end
    del chunks, before, changed
    # The report reads the pages' engagement summaries, never a post's own engagement object:
    # with the tails written above, those go (a region's worth of them before the report grows).
    for p in posts:
        p.pop("engagement", None)
    t1 = time.perf_counter()
    pages_blob = conn.get(keys.pages)
    pages = read_pages(unpack(pages_blob) if pages_blob else None)
    report = _region_report(posts, pages, engagement)
    failed = conn.hlen(keys.failed)
    t2 = time.perf_counter()
    history = record_history(posts, pages, batch_id)
    with conn.pipeline() as pipe:
        for k in range(n_chunks):
            if k in rewrite:
                pipe.set(keys.chunk_tail(k), rewrite[k], ex=ttl)
            else:
                pipe.expire(keys.chunk_tail(k), ttl)
            pipe.expire(keys.chunk_out(k), ttl)
            pipe.expire(keys.chunk_view(k), ttl)
        pipe.set(keys.report, pack(report), ex=ttl)
        pipe.hset(keys.meta, mapping={
            "status": "failed" if failed else "finished", "finished_at": f"{time.time():.3f}",
            "report_seconds": f"{t1 - t0:.2f}+{t2 - t1:.2f}"})
        if history is not None:
            pipe.hset(keys.meta, "history", history)
        for key in (keys.meta, keys.done, keys.bad, keys.failed, keys.pages):
            pipe.expire(key, ttl)  # results are kept for `ttl` after the batch finishes
        pipe.execute()
    return {"posts": len(posts), "failed_chunks": failed}


def record_history(posts: list[dict[str, Any]], pages: dict[str, dict[str, Any]] | None,
                   batch_id: str) -> str | None:
    """Record the batch's rows in the history; return how it went, for the batch meta.

    A JSON object: {"recorded": true, "pages", "rows", "weeks", "regions",
    "seconds", "message"} or {"recorded": false, "message"}; a failure is logged and shown in
    the batch status, never fails the report (GOSPABLIK_HISTORY=0 turns recording off).
    """
    from service.settings import get_settings

    settings = get_settings()
    if not settings.history:
        return None
    try:
        from service.history import record_rows

        summary = record_rows(posts, pages, source=f"batch:{batch_id}", settings=settings)
    except Exception as exc:  # the report is ready either way: say what failed, keep going
        log.exception("history of batch %s not recorded", batch_id)
        out: dict[str, Any] = {
            "recorded": False,
            "message": f"история не записана ({type(exc).__name__}): проверьте базу истории "
                       "(GOSPABLIK_DATABASE_URL или папку данных); отчёт и результаты готовы"}
    else:
        out = {"recorded": True, **summary.as_dict(), "message": summary.message()}
    return json.dumps(out, ensure_ascii=False)
