"""Score a file's posts (in parallel), join them with their inputs and add the batch-level axes."""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Iterable, Sequence
from typing import Any

from service.engagement import analyse as engagement_analyse
from service.post_fields import NO_PAGE
from service.scoring import AXIS_WEIGHTS, Scorer

INPUT_KEYS = ("text", "published_at", "metrics", "page", "attachments", "is_repost", "platform")
UNKNOWN_PAGE = NO_PAGE
_WORKER: Scorer | None = None
CHUNK = 500  # posts scored at once in one process (the models predict a chunk in one product)


def join(post: dict[str, Any], scored: dict[str, Any]) -> dict[str, Any]:
    """Return the scored post with the input fields a report needs (text, metrics, page, date)."""
    out = dict(scored)
    for key in INPUT_KEYS:
        if key in post and (key not in out or out[key] is None):
            out[key] = post[key]
    if out.get("id") is None and post.get("id") is not None:
        out["id"] = str(post["id"])
    return out


def _init_worker() -> None:
    global _WORKER
    _WORKER = Scorer()


def _score_chunk(chunk: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
    assert _WORKER is not None
    return _scored(_WORKER, chunk)


def _scored(scorer: Scorer, chunk: Sequence[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
    """Return the joined scored posts of a chunk, the models predicting the chunk at once."""
    results = scorer.score_chunk([post for _, post in chunk], [line for line, _ in chunk])
    out = []
    for (_, post), result in zip(chunk, results, strict=True):
        if isinstance(result, Exception):
            raise result  # as `score_row` would: a broken scorer is not a bad row
        out.append(join(post, result))
    return out


def score_posts(posts: Sequence[dict[str, Any]], jobs: int = 0, scorer: Scorer | None = None,
                lines: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Return the joined scored posts, in input order; `jobs` processes (0: all cores)."""
    lines = lines or range(1, len(posts) + 1)
    items = list(zip(lines, posts, strict=True))
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(items) < 400:
        sc = scorer or Scorer()
        return [row for i in range(0, len(items), CHUNK)
                for row in _scored(sc, items[i : i + CHUNK])]
    size = max(50, min(CHUNK, len(items) // (jobs * 8) + 1))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
    with ctx.Pool(jobs, initializer=_init_worker) as pool:
        parts = pool.map(_score_chunk, chunks, chunksize=1)
    return [row for part in parts for row in part]


def overall(scores: dict[str, Any]) -> float | None:
    """Return the weighted mean of the available axes (as the scorer computes `overall`)."""
    avail = {k: v for k, v in scores.items() if k in AXIS_WEIGHTS and v is not None}
    if not avail:
        return None
    wsum = sum(AXIS_WEIGHTS[k] for k in avail)
    return round(sum(AXIS_WEIGHTS[k] * v for k, v in avail.items()) / wsum, 1)


def add_engagement(scored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the posts with engagement scored against the whole batch (page and peer baselines)."""
    return add_engagement_by_page(scored)[0]


def add_engagement_by_page(
        scored: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Return the posts with batch engagement added and the per-page summaries, in one pass."""
    ok = [p for p in scored if not p.get("error")]
    if not ok:
        return scored, {}
    per_post, by_page = engagement_analyse(ok)
    for post, eng in zip(ok, per_post, strict=True):
        if not eng:
            continue
        post["engagement"] = eng
        post["scores"] = {**post["scores"], "engagement": eng.get("score")}
        post["scores"]["overall"] = overall(post["scores"])
    return scored, by_page


def collect(posts: Iterable[dict[str, Any]], jobs: int = 0) -> list[dict[str, Any]]:
    """Return the posts scored, joined with their inputs, with batch engagement added."""
    return add_engagement(score_posts(list(posts), jobs))


def collect_rows(rows: Iterable[Any], jobs: int = 0,
                 scorer: Scorer | None = None) -> list[dict[str, Any]]:
    """Return reader rows (`line`, `data`, `error`) scored and joined, in input order."""
    rows = list(rows)
    good = [r for r in rows if r.error is None and r.data is not None]
    scored = iter(score_posts([r.data for r in good], jobs, scorer,
                              lines=[r.line for r in good]))
    out = []
    for r in rows:
        if r.error is None and r.data is not None:
            out.append(next(scored))
            continue
        data = r.data or {}
        rid = data.get("id")
        err = r.error.as_dict() if r.error is not None else {"field": "body",
                                                            "message": "пустая строка"}
        out.append(join(data, {"id": None if rid is None else str(rid), "line": r.line,
                               "error": err}))
    return add_engagement(out)
