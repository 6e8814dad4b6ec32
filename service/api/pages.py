"""POST /v1/pages/report: a page and its posts in, the page report out (JSON, or HTML on request)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from service.api.deps import ScorerDep
from service.api.errors import answers, parse_json_body
from service.errors import InputError
from service.report.build import page_report
from service.report.collect import add_engagement, join
from service.schemas import MAX_COUNT, PAGE_FIELDS
from service.scoring import Scorer

router = APIRouter(prefix="/v1/pages", tags=["pages"])
MAX_POSTS = 5000

REQUEST_SCHEMA = {
    "type": "object",
    "required": ["posts"],
    "properties": {
        "page": {"type": "object", "description": "страница: id, name, type, category, "
                 "subscribers, region", "example": {"id": "club123", "name": "МФЦ Заречинска",
                                                    "type": "mfc", "category": "активный",
                                                    "subscribers": 5400}},
        "posts": {"type": "array", "items": {"$ref": "#/components/schemas/PostIn"},
                  "description": f"посты страницы (до {MAX_POSTS}), с датами и метриками"},
    },
}


def validate(body: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return (page, posts) from a request body or raise `InputError` naming the field."""
    if not isinstance(body, dict):
        raise InputError("body", "ожидается JSON-объект с полями page и posts")
    page = body.get("page")
    page = {} if page is None else page
    if not isinstance(page, dict):
        raise InputError("page", "ожидается объект страницы: id, name, type, category, "
                         "subscribers")
    subs = page.get("subscribers")
    if subs is not None and (isinstance(subs, bool) or not isinstance(subs, int) or subs < 0
                             or subs > MAX_COUNT):
        raise InputError("page.subscribers", "ожидается целое неотрицательное число, не больше "
                         f"{MAX_COUNT}")
    posts = body.get("posts")
    if posts is None:
        raise InputError("posts", "обязательное поле отсутствует: пришлите список постов")
    if not isinstance(posts, list):
        raise InputError("posts", "ожидается список постов")
    if not posts:
        raise InputError("posts", "список постов пуст: отчёт строится по постам страницы")
    if len(posts) > MAX_POSTS:
        raise InputError("posts", f"слишком много постов: {len(posts)}, можно до {MAX_POSTS}; "
                         "для больших файлов есть /v1/batches")
    return page, posts


def build(scorer: Scorer, page: dict[str, Any], posts: list[Any]) -> dict[str, Any]:
    """Return the page report of validated input; a bad post raises `InputError` (posts.N.field)."""
    base = {k: page[k] for k in PAGE_FIELDS if page.get(k) not in (None, "")}
    scored = []
    for i, raw in enumerate(posts):
        if not isinstance(raw, dict):
            raise InputError(f"posts.{i}", "ожидается JSON-объект поста с полем text")
        own_page = raw.get("page")
        if own_page is not None and not isinstance(own_page, dict):
            raise InputError(f"posts.{i}.page", "ожидается объект страницы")
        own: dict[str, Any] = own_page or {}
        data = {**raw, "page": {**base, **own}} if base or own else raw
        try:
            post = scorer.parse(data)
        except InputError as exc:
            raise InputError(f"posts.{i}.{exc.field}", exc.message) from None
        scored.append(join(data, scorer.score_post(post)))
    from service.report.history_view import with_history

    return with_history(page_report(add_engagement(scored), base or None))  # + its weeks on record


@router.post(
    "/report",
    summary="Отчёт по странице",
    description="Страница и её посты → оценки по неделям, сильные стороны, три частые проблемы "
                "с примерами, лучшие и худшие посты с замечаниями и план на следующую неделю. "
                "`?format=html` — тот же отчёт страницей HTML.",
    openapi_extra={"requestBody": {"required": True, "content": {
        "application/json": {"schema": REQUEST_SCHEMA}}}},
    responses={200: {"description": "отчёт по странице: JSON или (`?format=html`) страница HTML",
                     "content": {"application/json": {"schema": {"type": "object"}},
                                 "text/html": {"schema": {"type": "string"}}}},
               **answers(400, 413, 422, 503)},
)
async def report(request: Request, scorer: ScorerDep,
                 fmt: str = Query("json", alias="format", pattern="^(json|html)$")) -> Any:
    """Return the page report as JSON (or HTML with `?format=html`)."""
    page, posts = validate(parse_json_body(await request.body()))
    result = await run_in_threadpool(build, scorer, page, posts)
    if fmt == "html":
        from service.report.html import render_page

        return HTMLResponse(render_page(result))
    return JSONResponse(result, headers={"Cache-Control": "no-store"})
