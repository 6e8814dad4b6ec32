"""Routes of the web pages; the pages are plain HTML + JS files next to this module."""

from __future__ import annotations

from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from service.api.deps import ScorerDep
from service.errors import InputError
from service.report.labels import PAGE_TYPE_RU
from service.scoring import Scorer

router = APIRouter(tags=["web"], include_in_schema=True)
HERE = Path(__file__).resolve().parent
MAX_UPLOAD = 64 * 1024 * 1024
MAX_INLINE_POSTS = 50_000
MEDIA = {"html": "text/html; charset=utf-8", "csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@lru_cache(maxsize=4)
def page(name: str) -> str:
    """Return the HTML of a web page (read once per process)."""
    return (HERE / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def draft_page() -> str:
    """Return the draft checker's HTML with the page types the models know, in Russian."""
    options = "".join(f'<option value="{k}">{escape(v)}</option>'
                      for k, v in sorted(PAGE_TYPE_RU.items(), key=lambda kv: kv[1]))
    return page("draft.html").replace("<!--PAGE_TYPE_OPTIONS-->", options)


@router.get("/", response_class=HTMLResponse, summary="Проверка черновика поста")
async def draft_checker() -> HTMLResponse:
    """Return the draft checker: a text box with live scores and highlighted problems."""
    return HTMLResponse(draft_page())


@router.get("/region", response_class=HTMLResponse, summary="Отчёт по региону из файла")
async def region_page() -> HTMLResponse:
    """Return the page that uploads a posts file and shows the region report."""
    return HTMLResponse(page("region.html"))


def build_report(scorer: Scorer, raw: bytes, fmt: str | None, pages_raw: bytes | None,
                 name: str, output: str) -> bytes:
    """Return the region report of an uploaded file rendered as html, csv or xlsx."""
    from service.readers import EXTENSIONS, read_pages, read_posts
    from service.report.build import region_report
    from service.report.cli import render
    from service.report.collect import collect_rows

    if not raw.strip():
        raise InputError("file", "файл пустой: в нём нет постов")
    if fmt is None and name:
        fmt = next((f for ext, f in EXTENSIONS.items() if name.lower().endswith(ext)), None)
    pages = read_pages(pages_raw) if pages_raw else None
    rows = list(read_posts(raw, fmt, pages))
    if len(rows) > MAX_INLINE_POSTS:
        raise InputError("file", f"слишком много постов для этой страницы: {len(rows)}, можно до "
                         f"{MAX_INLINE_POSTS}; используйте /v1/batches")
    scored = collect_rows(rows, jobs=1, scorer=scorer)
    return render(region_report(scored, pages), output, scored)


@router.post("/region/report", summary="Построить отчёт по загруженному файлу (без очереди)")
async def region_report_inline(request: Request, scorer: ScorerDep) -> Response:
    """Return the region report of a form upload (`file`, optional `pages`, `format`, `output`)."""
    async with request.form(max_part_size=MAX_UPLOAD) as form:
        upload, pages, fmt, output = (form.get("file"), form.get("pages"), form.get("format"),
                                      form.get("output"))
        if not isinstance(upload, UploadFile):
            raise InputError("file", "в форме нет файла: выберите файл с постами")
        raw = await upload.read()
        pages_raw = await pages.read() if isinstance(pages, UploadFile) else None
        name = upload.filename or ""
    out = output if isinstance(output, str) and output in MEDIA else "html"
    in_fmt = fmt if isinstance(fmt, str) and fmt.strip() else None
    data: Any = await run_in_threadpool(build_report, scorer, raw, in_fmt, pages_raw or None,
                                        name, out)
    headers = {} if out == "html" else {
        "Content-Disposition": f'attachment; filename="region_report.{out}"'}
    return Response(data, media_type=MEDIA[out], headers=headers)
