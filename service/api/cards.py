"""GET /v1/pages/{page_id}/card: the admin's card of a page (HTML, plain text or JSON)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from service.api.errors import answers
from service.errors import NotFoundError, UnavailableError

router = APIRouter(prefix="/v1/pages", tags=["pages"])
CONTENT = {"text/html": {"schema": {"type": "string"}},
           "text/plain": {"schema": {"type": "string"}},
           "application/json": {"schema": {"type": "object"}}}


def _history(request: Request, page_id: str) -> dict[str, Any] | None:
    from service.history import get_store

    return get_store(request.app.state.settings).page_history(page_id)


def _batch_row(request: Request, batch_id: str, page_id: str) -> dict[str, Any] | None:
    """Return the page's row of a finished batch's region report (404 for an unknown batch)."""
    from service.api import auth
    from service.jobs.queue import NO_REDIS
    from service.jobs.store import Keys, unpack

    conn = getattr(request.app.state, "batch_redis", None)
    if conn is None:
        raise UnavailableError(NO_REDIS)
    auth.check_reader(request, conn, batch_id)
    blob = conn.get(Keys(batch_id).report)
    if blob is None:
        raise NotFoundError(f"отчёта пакета «{batch_id}» нет: пакет ещё не готов, не существует "
                            "или срок его хранения истёк")
    return next((r for r in unpack(blob).get("pages") or []
                 if str(r["page"]["id"]) == page_id), None)


def build(request: Request, page_id: str, batch_id: str | None) -> dict[str, Any]:
    """Return the card of a page from its history and, when given, the batch's report."""
    from service.report.card import build_card

    row = _batch_row(request, batch_id, page_id) if batch_id else None
    history = _history(request, page_id)
    if history is None and row is None:
        raise NotFoundError(f"страницы «{page_id}» нет в истории: её посты ещё не загружали "
                            "(пакетом или командой gospablik report --save)")
    return build_card(history, row)


@router.get("/{page_id}/card", summary="Карточка страницы для администратора",
            description="Неделя страницы простыми словами: оценки и их изменение, место среди "
                        "страниц того же типа, достижения по истории и что исправить дальше. "
                        "`?format=text` — текст для сообщения, `?format=json` — данные; "
                        "`?batch=ID` берёт замечания с выигрышем в баллах из отчёта пакета.",
            response_class=HTMLResponse,
            responses={200: {"description": "карточка", "content": CONTENT},
                       **answers(404, 422, 503)})
async def card(request: Request, page_id: str,
               fmt: str = Query("html", alias="format", pattern="^(html|text|json)$"),
               batch: str | None = Query(None, max_length=64,
                                         description="id пакета, из отчёта которого открыта "
                                                     "карточка")) -> Response:
    """Return the admin's card of the page as HTML (or plain text, or JSON)."""
    found = await run_in_threadpool(build, request, page_id, batch or None)
    if fmt == "json":
        return JSONResponse(found)
    if fmt == "text":
        from service.report.card import card_text

        return PlainTextResponse(card_text(found))
    from service.report.card_html import render_card

    return HTMLResponse(render_card(found))
