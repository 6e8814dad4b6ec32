"""/v1/pages/{page_id}/history and /v1/regions/{region}/history: progress over weeks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from service.errors import NotFoundError

router = APIRouter(prefix="/v1", tags=["history"])


class ErrorDetail(BaseModel):
    """What was wrong."""

    field: str
    message: str


class ErrorOut(BaseModel):
    """The JSON error every 4xx answer carries."""

    error: ErrorDetail


class Scores(BaseModel):
    """Axis means of a week (0–100; null when the axis had nothing to score)."""

    readability: float | None = None
    usefulness: float | None = None
    engagement: float | None = None
    activity: float | None = None
    overall: float | None = None


class Rank(BaseModel):
    """A page's place by overall in its region and among pages of its type, that week."""

    region: int | None = None
    region_of: int | None = None
    type: int | None = None
    type_of: int | None = None


class Week(BaseModel):
    """A page's figures for one ISO week of publication."""

    week: str = Field(examples=["2025-W46"])
    start: str = Field(examples=["2025-11-10"], description="понедельник недели")
    posts: int = Field(description="опубликовано постов (с текстом и без)")
    posts_with_text: int
    blocked: int = Field(description="постов с матом или личными данными")
    scores: Scores
    problems: dict[str, int] = Field(description="код проблемы → постов с ней")
    regularity: float | None = Field(None, description="регулярность публикаций, 0–100")
    meets_norm: bool | None = Field(None, description="постов не меньше нормы категории")
    norm_per_week: float | None = None
    rank: Rank
    source: str | None = Field(None, description="откуда неделя: batch:<id> или report")
    recorded_at: str | None = None


class PageInfo(BaseModel):
    """A page as the history knows it (from its latest upload)."""

    id: str
    name: str | None = None
    type: str | None = None
    category: str | None = None
    region: str | None = None
    municipality: str | None = None
    platform: str | None = None


class PageHistory(BaseModel):
    """A page's weeks on record, oldest first."""

    page: PageInfo
    weeks: list[Week]


class RegionWeek(BaseModel):
    """A region's week: its pages and the mean of each axis over them."""

    week: str
    start: str
    pages: int = Field(description="страниц с постами за неделю")
    pages_on_record: int
    posts: int
    blocked: int
    pages_meeting_norm: int
    scores: Scores


class Move(BaseModel):
    """A page's change of overall between its previous week on record and the latest."""

    page: PageInfo
    from_: float | None = Field(None, alias="from")
    to: float | None = None
    delta: float
    from_week: str
    to_week: str


class RegionHistory(BaseModel):
    """A region's weeks on record and the pages that improved or fell most."""

    region: str
    weeks: list[RegionWeek]
    improved: list[Move]
    fell: list[Move]


NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut, "description": "в истории нет такой страницы или региона"}}


def _store(request: Request) -> Any:
    from service.history import get_store

    return get_store(request.app.state.settings)


@router.get("/pages/{page_id}/history", summary="История страницы по неделям",
            response_model=PageHistory, response_model_by_alias=True, responses=NOT_FOUND)
async def page_history(page_id: str, request: Request) -> Any:
    """Return the page's weeks on record, oldest first: scores, problems, posts, rank."""
    found = await run_in_threadpool(_store(request).page_history, page_id)
    if found is None:
        raise NotFoundError(f"страницы «{page_id}» нет в истории: её посты ещё не загружали "
                            "(пакетом или командой gospablik report --save)")
    return found


@router.get("/regions/{region}/history", summary="История региона по неделям",
            response_model=RegionHistory, response_model_by_alias=True, responses=NOT_FOUND)
async def region_history(region: str, request: Request) -> Any:
    """Return the region's weeks (axis means over its pages) and who improved or fell most."""
    found = await run_in_threadpool(_store(request).region_history, region)
    if found is None:
        raise NotFoundError(f"региона «{region}» нет в истории: загрузите его посты пакетом "
                            "или командой gospablik report --save; регион берётся из файла "
                            "страниц или поля page.region")
    return found
