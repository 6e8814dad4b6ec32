"""POST /v1/posts/score: one post in, one scored post out."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from service.api.deps import ScorerDep
from service.api.errors import answers, parse_json_body
from service.fastjson import dumps

router = APIRouter(prefix="/v1/posts", tags=["posts"])


@router.post(
    "/score",
    summary="Оценить один пост",
    description=(
        "Ответ — как строка `gospablik score`: `scores` (0–100 по осям и `overall`), "
        "`readability` {`score`, `grade_level` — число 1–18 (1–11 — школьный класс, 12–15 — "
        "студент, 16–18 — специалист), `grade_label` — то же словами: «7 класс», «студент», "
        "«специалист»; `reading_time_seconds`, `figures`, `reasons`}, `usefulness`, "
        "`feedback` (замечания по убыванию выигрыша), `moderation`. Подробно: docs/formats.md."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PostIn"}}},
        }
    },
    responses={200: {"description": "оценённый пост",
                     "content": {"application/json": {"schema": {"type": "object"}}}},
               **answers(400, 413, 422, 503)},
)
async def score_post(request: Request, scorer: ScorerDep) -> Any:
    """Return the scored post (same shape as one line of `gospablik score`)."""
    data = parse_json_body(await request.body())
    # orjson: the same bytes as JSONResponse's json.dumps (compact, UTF-8), ~5× faster
    return Response(dumps(scorer.score(data)), media_type="application/json")
