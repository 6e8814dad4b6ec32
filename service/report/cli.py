"""`gospablik report INPUT [--pages PAGES.csv] -o report.html|.csv|.xlsx [--save]`: the region
report; `--save` also records the pages' weeks in the history."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from service.errors import InputError
from service.report.build import region_report
from service.report.collect import collect_rows
from service.report.labels import plural

FORMATS = {".html": "html", ".htm": "html", ".csv": "csv", ".xlsx": "xlsx", ".json": "json"}


def output_format(path: str, fmt: str | None = None) -> str:
    """Return html, csv, xlsx or json from an explicit format or the output's extension."""
    if fmt:
        key = fmt.strip().lower().lstrip(".")
        if key in FORMATS.values():
            return key
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise InputError("output", f"не понимаю формат отчёта «{ext or path}»: укажите файл "
                         ".html, .csv или .xlsx")
    return FORMATS[ext]


def render(report: dict[str, Any], fmt: str, scored: list[dict[str, Any]] | None = None) -> bytes:
    """Return the report rendered as html, csv, xlsx or json bytes."""
    if fmt == "html":
        from service.report.html import render_region

        return render_region(report).encode("utf-8")
    if fmt == "csv":
        from service.report.tables import to_csv

        return to_csv(report).encode("utf-8-sig")  # the BOM lets Excel see UTF-8
    if fmt == "xlsx":
        from service.report.tables import to_xlsx

        return to_xlsx(report, scored)
    import json

    return json.dumps(report, ensure_ascii=False, default=str).encode("utf-8")


def build(input_: str, pages: str | None = None, fmt: str | None = None,
          jobs: int = 0) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return the region report of a posts file and the scored posts it was built from."""
    from service.readers import read_pages, read_posts

    page_meta = read_pages(pages) if pages else None
    rows = read_posts(input_, fmt, page_meta)
    scored = collect_rows(rows, jobs)
    return region_report(scored, page_meta), scored


def run(args: argparse.Namespace) -> int:
    """Write the region report to `args.output`; return the exit code."""
    out_fmt = output_format(args.output, getattr(args, "report_format", None))
    t0 = time.perf_counter()
    report, scored = build(args.input, getattr(args, "pages", None), getattr(args, "format", None),
                           getattr(args, "jobs", 0) or 0)
    saved, failed = None, None
    if getattr(args, "save", False):  # before rendering: the report may show this week's place
        try:
            saved = save(scored, args)
        except Exception as exc:  # the report still gets written; the history is what failed
            why = str(exc).splitlines()[0][:300] if str(exc) else ""
            failed = (f"Ошибка: история не записана ({type(exc).__name__}: {why}); проверьте "
                      "GOSPABLIK_DATABASE_URL или папку данных (GOSPABLIK_DATA_DIR)")
    data = render(report, out_fmt, scored)
    if args.output == "-":
        sys.stdout.buffer.write(data)
    else:
        Path(args.output).write_bytes(data)
    s = report["summary"]
    print(f"Готово за {time.perf_counter() - t0:.0f} с: {plural(s['posts'], 'пост', 'поста', 'постов')}, "
          f"{plural(s['pages'], 'страница', 'страницы', 'страниц')}, нужна помощь — "
          f"{s['weak_pages']}; ошибок в строках: {s['errors']}. Отчёт: {args.output}",
          file=sys.stderr)
    if failed:
        print(failed, file=sys.stderr)
        return 1
    if saved:
        print(f"История: {saved}.", file=sys.stderr)
    return 0


def save(scored: list[dict[str, Any]], args: argparse.Namespace) -> str:
    """Record the scored posts in the history (`--save`); return what was written, in Russian."""
    from service.history import record_rows
    from service.readers import read_pages

    pages = getattr(args, "pages", None)
    summary = record_rows(scored, read_pages(pages) if pages else None,
                          source=f"report:{Path(args.input).name}"[:200],
                          region=getattr(args, "region", None))
    return summary.message()
