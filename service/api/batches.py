"""/v1/batches: a region's posts in, 202 with an id; status, results (JSONL/CSV), region report."""

from __future__ import annotations

from typing import Any

import redis
from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from service.api import auth, limits
from service.api.app import ON_START, ON_STOP, READY_PROBES
from service.api.errors import answers, error_body
from service.errors import InputError, UnavailableError
from service.jobs import batch
from service.jobs.export import csv_lines
from service.jobs.finish import ensure_report
from service.jobs.queue import NO_REDIS, connect, ping
from service.jobs.store import Keys, unpack
from service.settings import Settings

router = APIRouter(prefix="/v1/batches", tags=["batches"])
NOT_READY = 409


def _start(app: FastAPI) -> None:
    settings: Settings = app.state.settings
    app.state.batch_redis = connect(settings.redis_url) if settings.redis_url else None
    app.state.batch_probe = (
        redis.Redis.from_url(settings.redis_url, socket_timeout=1, socket_connect_timeout=1,
                             retry_on_timeout=False) if settings.redis_url else None)


def _stop(app: FastAPI) -> None:
    probe = getattr(app.state, "batch_probe", None)
    if probe is not None:
        probe.close()


def _ready(app: FastAPI) -> dict[str, Any]:
    probe = getattr(app.state, "batch_probe", None)
    return {"redis": None if probe is None else ping(probe)}


ON_START.append(_start)
ON_STOP.append(_stop)
READY_PROBES.append(_ready)


def _conn(request: Request) -> redis.Redis:
    conn = getattr(request.app.state, "batch_redis", None)
    if conn is None:
        raise UnavailableError(NO_REDIS)
    return conn  # type: ignore[no-any-return]


async def _read_input(request: Request, fmt: str | None) -> tuple[bytes, str | None, bytes | None,
                                                                   str]:
    """Return (posts bytes, format, pages bytes, source name) from a JSON body or a form."""
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        async with request.form(max_part_size=16 * 1024 * 1024) as form:
            upload, pages, form_fmt = form.get("file"), form.get("pages"), form.get("format")
            if not isinstance(upload, UploadFile):
                raise InputError("file", "в форме нет файла: пришлите его в поле «file»")
            return (await upload.read(),
                    fmt or (form_fmt if isinstance(form_fmt, str) else None),
                    await pages.read() if isinstance(pages, UploadFile) else None,
                    upload.filename or "")
    body = await request.body()
    if not fmt and "json" in ctype and body.lstrip()[:1] in (b"[", b"{"):
        fmt = "json"
    elif not fmt and ctype.split(";")[0].strip().lower() == "text/csv":
        fmt = "csv"  # the sender said what it is: a JSON-looking CSV is a bad CSV, not JSON
    return body, fmt, None, ""


def _submit(conn: redis.Redis, settings: Settings, raw: bytes, fmt: str | None,
            pages_raw: bytes | None, name: str, force: bool,
            owner: str = "") -> tuple[str, bool]:
    from service.readers import read_pages, read_posts

    if not raw.strip():
        raise InputError("file", "пустой запрос: пришлите JSON-список постов или файл")
    pages = read_pages(pages_raw) if pages_raw else None
    if fmt is None and name:
        fmt = _format_from_name(name)
    rows = read_posts(raw, fmt=fmt, pages=pages)
    # With tokens the owner is part of the id: the same file from two tokens is two batches.
    batch_id = batch.fresh_id() if force else batch.content_id(
        raw, (fmt or "").encode(), pages_raw or b"", *([owner.encode()] if owner else []))
    source = {**({"source": name} if name else {}), **({"owner": owner} if owner else {})}
    return batch.submit(conn, rows, settings, batch_id, source=source, pages=pages_raw)


def _format_from_name(name: str) -> str | None:
    from service.readers import EXTENSIONS

    for ext, fmt in EXTENSIONS.items():
        if name.lower().endswith(ext):
            return fmt
    return None


FILE = {"type": "string", "format": "binary"}
# The body is read raw (a JSON list, a file as it is, or a form), so it is described here.
SUBMIT_BODY = {"required": True, "content": {
    "application/json": {"schema": {"oneOf": [
        {"type": "array", "description": "посты (PostIn); элемент, который не пост, не отменяет "
         "пакет, а становится строкой результатов с `error`",
         "items": {"anyOf": [{"$ref": "#/components/schemas/PostIn"}, {}]}},
        {"type": "object", "description": "ответ VK wall.get, OK, MAX или выгрузка Telegram"}]}},
    "multipart/form-data": {"schema": {
        "type": "object", "required": ["file"], "properties": {
            "file": {**FILE, "description": "файл постов: JSON Lines, CSV, VK, Telegram, OK, MAX"},
            "pages": {**FILE, "description": "CSV страниц: id, name, type, category, subscribers"},
            "format": {"type": "string", "description": "формат файла, если не ясен из имени"}}}},
    "text/csv": {"schema": {"type": "string", "description": "CSV с заголовком (text, …)"}},
    "text/plain": {"schema": {"type": "string", "description": "файл как есть: JSON Lines, CSV, "
                              "VK, Telegram, OK, MAX (формат по содержимому или `format`)"}},
}}
STATUS_200: dict[int | str, dict[str, Any]] = {200: {"description": "состояние пакета",
    "content": {"application/json": {"schema": {"type": "object"}}}}}


@router.post("", status_code=202, summary="Отправить пакет постов на оценку",
             openapi_extra={"requestBody": SUBMIT_BODY},
             responses={202: {"description": "пакет принят: `id`, состояние и ссылки",
                              "headers": {"Location": {"schema": {"type": "string"}}}},
                        **answers(400, 413, 422, 503)})
async def create_batch(
    request: Request,
    fmt: str | None = Query(None, alias="format", description="jsonl, csv, vk, telegram, ok, max, json"),
    force: bool = Query(False, description="новый пакет, даже если такой уже присылали"),
) -> JSONResponse:
    """Accept a JSON list of posts or a file (multipart: `file`, optional `pages`); return 202."""
    conn = _conn(request)
    settings: Settings = request.app.state.settings
    caller = auth.caller_of(request)  # with tokens: the queue of this token is limited
    owner, limit = (caller.name if caller else ""), settings.max_queued_posts_per_token
    if caller and (full := await run_in_threadpool(limits.queue_full, conn, owner, limit)):
        return full
    raw, fmt, pages, name = await _read_input(request, fmt)
    batch_id, created = await run_in_threadpool(
        _submit, conn, settings, raw, fmt, pages, name, force, owner)
    if caller and created and (full := await run_in_threadpool(
            limits.admit, conn, owner, batch_id, limit, settings.results_ttl_seconds)):
        return full
    body = await run_in_threadpool(batch.status, conn, batch_id)
    body["duplicate"] = not created
    body["links"] = _links(batch_id)
    return JSONResponse(body, status_code=202,
                        headers={"Location": f"/v1/batches/{batch_id}"})


def _links(batch_id: str) -> dict[str, str]:
    base = f"/v1/batches/{batch_id}"
    return {"status": base, "results": f"{base}/results", "report": f"{base}/report"}


@router.get("/{batch_id}", summary="Состояние пакета", responses={**STATUS_200,
                                                                 **answers(404, 503)})
def get_batch(batch_id: str, request: Request) -> JSONResponse:
    """Return status (queued, running, finished, failed), done, total, failed rows, ETA."""
    conn = _conn(request)
    auth.check_reader(request, conn, batch_id)
    ensure_report(conn, batch_id, batch.find(conn, batch_id))
    return JSONResponse({**batch.status(conn, batch_id), "links": _links(batch_id)})


def _unfinished(st: dict[str, Any]) -> JSONResponse | None:
    if st["status"] in batch.FINAL:
        return None
    msg = f"пакет ещё обрабатывается: готово {st['done']} из {st['total']}; загляните позже"
    return JSONResponse({**error_body("status", msg), "batch": st}, status_code=NOT_READY)


@router.get("/{batch_id}/results", summary="Оценённые посты пакета (JSON Lines или CSV)",
            response_class=Response,
            responses={200: {"description": "строка на каждый присланный пост, по порядку",
                             "content": {"application/x-ndjson": {"schema": {"type": "string"}},
                                         "text/csv": {"schema": {"type": "string"}}}},
                       **answers(404, 409, 422, 503)})
def get_results(batch_id: str, request: Request,
                fmt: str = Query("jsonl", alias="format", pattern="^(jsonl|csv)$")) -> Response:
    """Return one line per submitted row, in order; a bad row is a line with `error`."""
    conn = _conn(request)
    auth.check_reader(request, conn, batch_id)
    st = batch.status(conn, batch_id)
    if (busy := _unfinished(st)) is not None:
        return busy
    if fmt == "csv":
        return StreamingResponse(
            csv_lines(batch.iter_results(conn, batch_id)), media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="batch-{batch_id}.csv"'})
    return StreamingResponse(batch.iter_blocks(conn, batch_id),
                             media_type="application/x-ndjson; charset=utf-8")


@router.get("/{batch_id}/report", summary="Отчёт по региону (JSON или HTML)",
            responses={200: {"description": "отчёт; HTML, если клиент просит text/html",
                             "content": {"application/json": {"schema": {"type": "object"}},
                                         "text/html": {"schema": {"type": "string"}}}},
                       **answers(404, 409, 503)})
def get_report(batch_id: str, request: Request) -> Response:
    """Return the region report; HTML when the client asks for text/html."""
    conn = _conn(request)
    auth.check_reader(request, conn, batch_id)
    st = batch.status(conn, batch_id)
    if (busy := _unfinished(st)) is not None:
        return busy
    blob = conn.get(Keys(batch_id).report)
    if blob is None:
        reason = st.get("report_error") or "срок хранения истёк"
        return JSONResponse(error_body("report", f"отчёта нет: {reason}"), status_code=404)
    from service.report.history_view import with_history

    report = with_history(unpack(blob), request.app.state.settings)  # progress as of now
    if "text/html" in request.headers.get("accept", ""):
        from service.report.html import render_region

        return HTMLResponse(render_region(report, card_url=card_url(batch_id)))
    return JSONResponse(report)


def card_url(batch_id: str) -> str:
    """Return the address of a page's admin card opened from this batch (`{id}`: the page)."""
    return f"/v1/pages/{{id}}/card?batch={batch_id}"
