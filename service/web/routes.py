"""Routes of the web pages; the pages are plain HTML + JS files next to this module."""

from __future__ import annotations

from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from service.api.deps import ScorerDep
from service.api.errors import answers
from service.errors import InputError, NotFoundError, UnavailableError
from service.report.labels import PAGE_TYPE_RU
from service.scoring import Scorer

router = APIRouter(tags=["web"], include_in_schema=True)
HERE = Path(__file__).resolve().parent
MAX_UPLOAD = 64 * 1024 * 1024
MAX_INLINE_POSTS = 50_000
CARD_URL = "/v1/pages/{id}/card"  # a page's admin card ({id}: the page id)
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


@router.get("/auth.js", include_in_schema=False)
async def auth_script() -> Response:
    """Return the pages' `authFetch`: fetch with the access token kept in the browser."""
    return Response(page("auth.js"), media_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": "no-cache"})


@router.get("/region", response_class=HTMLResponse, summary="Отчёт по региону из файла")
async def region_page() -> HTMLResponse:
    """Return the page that uploads a posts file and shows the region report."""
    return HTMLResponse(page("region.html"))


def build_report(scorer: Scorer, raw: bytes, fmt: str | None, pages_raw: bytes | None,
                 name: str, output: str) -> bytes:
    """Return the region report of an uploaded file rendered as html, csv or xlsx."""
    from service.readers import EXTENSIONS, read_pages, read_posts
    from service.report.build import region_report
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
    return render_with_history(region_report(scored, pages), output, scored)


def render_with_history(report: dict[str, Any], output: str, scored: Any = None,
                        card_url: str = CARD_URL, settings: Any = None) -> bytes:
    """Return the report rendered as html, csv or xlsx, with each page's progress over weeks."""
    from service.report.cli import render
    from service.report.history_view import with_history

    report = with_history(report, settings)
    if output == "html":
        from service.report.html import render_region

        return render_region(report, card_url=card_url).encode("utf-8")
    return render(report, output, scored)


def batch_report_file(conn: Any, batch_id: str, output: str, settings: Any) -> bytes:
    """Return a finished batch's region report as html, csv or xlsx (xlsx with its posts)."""
    import orjson

    from service.api.batches import card_url
    from service.jobs import batch
    from service.jobs.store import Keys, unpack

    st = batch.status(conn, batch_id)
    if st["status"] not in batch.FINAL:
        raise InputError("batch", f"пакет ещё обрабатывается: готово {st['done']} из "
                         f"{st['total']}; загляните позже")
    blob = conn.get(Keys(batch_id).report)
    if blob is None:
        raise NotFoundError(f"отчёта пакета «{batch_id}» нет: срок хранения истёк")
    scored = ([orjson.loads(line) for line in batch.iter_results(conn, batch_id) if line]
              if output == "xlsx" else None)
    return render_with_history(unpack(blob), output, scored, card_url(batch_id), settings)


@router.get("/region/batches/{batch_id}/report", summary="Отчёт пакета файлом: HTML, CSV, XLSX",
            response_class=Response,
            responses={200: {"description": "отчёт по региону с динамикой по неделям",
                             "content": {m.split(";")[0]: {"schema": {"type": "string"}}
                                         for m in MEDIA.values()}},
                       **answers(404, 422, 503)})
def region_batch_report(batch_id: str, request: Request,
                        output: str = Query("html", pattern="^(html|csv|xlsx)$")) -> Response:
    """Return the region report of a finished batch as a file to save (no scoring again)."""
    from service.api import auth
    from service.jobs.queue import NO_REDIS

    conn = getattr(request.app.state, "batch_redis", None)
    if conn is None:
        raise UnavailableError(NO_REDIS)
    auth.check_reader(request, conn, batch_id)
    data = batch_report_file(conn, batch_id, output, request.app.state.settings)
    headers = {} if output == "html" else {
        "Content-Disposition": f'attachment; filename="region_report.{output}"'}
    return Response(data, media_type=MEDIA[output], headers=headers)


FILE = {"type": "string", "format": "binary"}
FORM = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {
        "file": {**FILE, "description": "файл постов: JSON Lines, CSV, VK, Telegram, OK, MAX"},
        "pages": {**FILE, "description": "CSV страниц: id, name, type, category, subscribers"},
        "format": {"type": "string", "description": "формат файла, если не ясен из имени"},
        "output": {"type": "string", "enum": list(MEDIA), "default": "html"}}}}}}


@router.post("/region/report", summary="Построить отчёт по загруженному файлу (без очереди)",
             openapi_extra={"requestBody": FORM}, response_class=Response,
             responses={200: {"description": "отчёт по региону: HTML, CSV или XLSX (`output`)",
                              "content": {m.split(";")[0]: {"schema": {"type": "string"}}
                                          for m in MEDIA.values()}},
                        **answers(400, 413, 422, 503)})
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
