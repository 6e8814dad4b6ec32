"""`gospablik score`: a file of posts in, one scored JSON line (or CSV row) per input item out.

Reading is done by `service.readers`; scoring by `Scorer.score_row` in worker processes (one
Scorer per process, built once), chunks of ~200 rows, input order kept.
"""

from __future__ import annotations

import argparse
import csv
import json
import multiprocessing as mp
import os
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, TextIO

from service.errors import InputError
from service.readers import Row, read_posts

CHUNK = 200
CSV_COLUMNS = ["line", "id", "page_id", "platform", "overall", "readability", "usefulness",
               "engagement", "activity", "grade_level", "rubric", "feedback_count", "fix_first",
               "error_field", "error_message", "engagement_note"]

_scorer: Any = None


def _init_worker() -> None:
    global _scorer
    if _scorer is not None:  # inherited from the parent (fork): the models are loaded
        return
    from service.scoring import Scorer

    _scorer = Scorer()


def _score_chunk(chunk: list[tuple[int, dict[str, Any] | None, dict[str, str] | None,
                                   str | None]]) -> list[dict[str, Any]]:
    if _scorer is None:
        _init_worker()
    todo = [(line, data) for line, data, error, _ in chunk if error is None]
    # the models predict the chunk at once (one sparse matrix, one product per model)
    scored = iter(_scorer.score_chunk([d for _, d in todo], [n for n, _ in todo]))
    out = []
    for line, data, error, rid in chunk:
        if error is not None:
            out.append({"id": rid, "line": line, "error": error})
        else:
            result = next(scored)
            if isinstance(result, Exception):
                raise result
            result.setdefault("line", line)
            out.append(result)
        page = (data or {}).get("page")
        if isinstance(page, dict) and page.get("id") is not None:
            out[-1]["page_id"] = str(page["id"])
    return out


def _chunks(rows: Iterable[Row]) -> Iterator[list[tuple[int, Any, Any, str | None]]]:
    it = iter(rows)
    while chunk := [(r.line, r.data, r.error.as_dict() if r.error else None, r.id)
                    for r in islice(it, CHUNK)]:
        yield chunk


def score_rows(rows: Iterable[Row], jobs: int = 0) -> Iterator[dict[str, Any]]:
    """Yield the scored result of every row, in input order, on `jobs` processes (0 = all)."""
    global _scorer
    jobs = jobs or os.cpu_count() or 1
    if jobs == 1:
        for chunk in _chunks(rows):
            yield from _score_chunk(chunk)
        return
    ctx = mp.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    if ctx.get_start_method() == "fork":
        # load and warm the scorer once, before the fork: the children share its pages
        from service.jobs.tasks import preload

        _scorer = preload()
    with ctx.Pool(jobs, initializer=_init_worker) as pool:
        for results in pool.imap(_score_chunk, _chunks(rows), chunksize=1):
            yield from results


def csv_row(r: dict[str, Any]) -> list[Any]:
    """Return the flat CSV row of one scored result."""
    scores = r.get("scores") or {}
    err = r.get("error") or {}
    fix = r.get("fix_first") or {}
    return [r.get("line"), r.get("id"), r.get("page_id"), r.get("platform"),
            scores.get("overall"), scores.get("readability"), scores.get("usefulness"),
            scores.get("engagement"), scores.get("activity"),
            (r.get("readability") or {}).get("grade_level"),
            (r.get("usefulness") or {}).get("rubric"), len(r.get("feedback") or []),
            fix.get("message"), err.get("field"), err.get("message"),
            (r.get("engagement") or {}).get("estimate_note")]


def _open_out(path: str) -> TextIO:
    if path == "-":
        return sys.stdout
    try:
        return open(path, "w", encoding="utf-8-sig" if path.endswith(".csv") else "utf-8",
                    newline="")
    except OSError as exc:
        raise InputError("output", f"не удалось создать файл «{path}»: {exc.strerror}") from None


def run(args: argparse.Namespace) -> int:
    """Score the input file and write the results; return the exit code."""
    try:
        rows: Iterable[Row] = read_posts(args.input, fmt=getattr(args, "format", None),
                                          pages=getattr(args, "pages", None))
    except InputError as exc:
        print(f"Ошибка: {exc.message}", file=sys.stderr)
        return 2
    output = getattr(args, "output", "-") or "-"
    progress = not getattr(args, "no_progress", False) and sys.stderr.isatty()
    out = _open_out(output)
    counts = {"ok": 0, "error": 0}
    bar = None
    try:
        writer = csv.writer(out) if output.endswith(".csv") else None
        if writer:
            writer.writerow(CSV_COLUMNS)
        if progress:
            from tqdm import tqdm

            listed = list(rows)  # a known total makes the bar show time left
            rows = listed
            bar = tqdm(total=len(listed), unit=" постов", desc="Оценка", file=sys.stderr)
        for result in score_rows(rows, int(getattr(args, "jobs", 0) or 0)):
            counts["error" if "error" in result else "ok"] += 1
            if writer:
                writer.writerow(csv_row(result))
            else:
                out.write(json.dumps(result, ensure_ascii=False) + "\n")
            if bar is not None:
                bar.update(1)
    except InputError as exc:
        print(f"Ошибка: {exc.message}", file=sys.stderr)
        return 2
    finally:
        if bar is not None:
            bar.close()
        out.flush()
        if output != "-":
            out.close()
    if progress or output != "-":
        print(f"Готово: оценено {counts['ok']}, с ошибкой {counts['error']}"
              + ("" if output == "-" else f"; результат в {output}"), file=sys.stderr)
    return 0
